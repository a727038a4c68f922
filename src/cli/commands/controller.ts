import { randomBytes } from 'node:crypto';
import { homedir, hostname } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { UsageError, formatError, SlipwayError } from '../../core/index.js';
import { WatchCache, parseDuration } from '../../kube/index.js';
import { GitSourceCache, GitopsController } from '../../gitops/index.js';
import { parseListen, startServer, type RunningServer } from '../../server/index.js';
import { globals, type CliContext } from '../context.js';

interface ControllerFlags {
  listen: string;
  webhookSecret?: string;
  concurrency: number;
  cacheDir?: string;
  namespaces?: string;
  leaderElect?: boolean;
  leaseNamespace?: string;
  leaseName: string;
  appResync: string;
}

/** The default git cache: $SLIPWAY_CACHE/git, else ~/.cache/slipway/git. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLIPWAY_CACHE ? join(env.SLIPWAY_CACHE, 'git') : join(homedir(), '.cache', 'slipway', 'git');
}

function positiveInt(flag: string): (text: string) => number {
  return (text) => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid ${flag} "${text}": expected a whole number of at least 1`);
    return n;
  };
}

/** One log line, klog-like: time, then what happened (the app first when there is one). */
function logLine(ctx: CliContext): (line: string) => void {
  return (line) => ctx.err(`${new Date().toISOString()} ${line}\n`);
}

/**
 * `slipway controller`: the GitOps controller process. Watches Argo CD Applications, Flux
 * Kustomizations (+ GitRepositories) and Slipway Applications, keeps them reconciled, and
 * serves webhooks and health on --listen. Runs until SIGTERM or SIGINT, then stops cleanly
 * (in-flight work aborted, the Lease released).
 */
export function controllerCommand(ctx: CliContext): Command {
  return new Command('controller')
    .description('Run the GitOps controller: reconcile Argo CD Applications, Flux Kustomizations and Slipway Applications')
    .option('--listen <host:port>', "address of the HTTP server (webhooks, /healthz, /readyz); '' for none", '127.0.0.1:8080')
    .option('--webhook-secret <secret>', 'secret of the Git webhooks (GitHub/Gitea HMAC, GitLab token); default $SLIPWAY_WEBHOOK_SECRET; none = unsigned pushes accepted')
    .option('--concurrency <n>', 'apps reconciled at once', positiveInt('--concurrency'), 4)
    .option('--cache-dir <dir>', 'git cache directory (default $SLIPWAY_CACHE/git or ~/.cache/slipway/git)')
    .option('--namespaces <a,b>', 'only apps in these namespaces (default: all)')
    .option('--app-resync <duration>', "refresh interval of apps that set none (Argo CD's --app-resync)", '3m')
    .option('--leader-elect', 'elect a leader with a Lease; only the leader reconciles')
    .option('--lease-namespace <namespace>', 'namespace of the Lease (default: -n, else the context namespace)')
    .option('--lease-name <name>', 'name of the Lease', 'slipway-controller')
    .addHelpText(
      'after',
      `
Each refresh compares Git with the cluster; automated apps are synced when out of sync
(Argo CD: syncPolicy.automated, selfHeal on drift; Flux: always, unless suspended). Drift
on owned objects is seen through watches and healed within seconds. Webhooks:
POST /api/webhook (GitHub, GitLab, Gitea push events); on demand:
POST /api/apps/<namespace>/<name>/refresh[?kind=Application|Kustomization].`,
    )
    .action(async (flags: ControllerFlags, cmd: Command) => {
      const g = globals(cmd);
      const log = logLine(ctx);
      let listen: { host: string; port: number } | undefined;
      try {
        listen = parseListen(flags.listen);
      } catch (e) {
        throw new UsageError(`invalid --listen: ${(e as Error).message}`);
      }
      const resync = parseDuration(flags.appResync);
      if (resync === undefined || resync <= 0) throw new UsageError(`invalid --app-resync "${flags.appResync}": use a duration such as 3m or 30s`);
      const namespaces = flags.namespaces?.split(',').map((s) => s.trim()).filter(Boolean);
      const secret = flags.webhookSecret ?? process.env.SLIPWAY_WEBHOOK_SECRET ?? '';

      const client = await ctx.client(g);
      const cache = new WatchCache(client, { onError: (kind, e) => log(`watch ${kind}: ${e instanceof SlipwayError ? formatError(e) : String(e)} (retrying)`) });
      const cacheDir = flags.cacheDir ?? defaultCacheDir();
      const identity = `${hostname()}_${randomBytes(4).toString('hex')}`;
      const controller = new GitopsController({
        client,
        cache,
        sources: new GitSourceCache(cacheDir, { log }),
        log,
        concurrency: flags.concurrency,
        defaultIntervalMs: resync,
        ...(namespaces?.length ? { namespaces } : {}),
        ...(flags.leaderElect
          ? { leaderElection: { namespace: flags.leaseNamespace ?? g.namespace ?? client.namespace, name: flags.leaseName, identity } }
          : {}),
      });

      let server: RunningServer | undefined;
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      if (listen) {
        try {
          server = await startServer({ ...listen, controller, webhookSecret: secret, log });
        } catch (e) {
          client.close();
          throw new UsageError(`cannot listen on ${flags.listen}: ${(e as Error).message}`);
        }
        log(`listening on ${server.url}${secret ? '' : ' (no webhook secret: unsigned pushes accepted)'}`);
      }
      log(`slipway controller starting: cache ${cacheDir}, concurrency ${flags.concurrency}, resync ${flags.appResync}${flags.leaderElect ? `, leader election as ${identity}` : ''}`);
      await controller.start();
      const signal = await stopped;
      log(`${signal}: stopping`);
      await server?.close();
      await controller.stop();
      cache.stop();
      client.close();
      log('stopped');
    });
}
