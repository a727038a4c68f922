import { homedir } from 'node:os';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { SlipwayError, UnknownKindError, UsageError, formatError } from '../../core/index.js';
import { WatchCache, type KubeClient } from '../../kube/index.js';
import {
  DEFAULT_WEBHOOK_CONFIG_NAME,
  NamespaceLabels,
  PolicyReportWriter,
  PolicyStore,
  applyWebhookConfiguration,
  defaultNamespaceSelector,
  deleteWebhookConfiguration,
  directoryCertificateStore,
  ensureCertificates,
  installPolicyCrds,
  invalidPolicyLine,
  loadPolicyFiles,
  parseListen,
  policyKinds,
  secretCertificateStore,
  servedResources,
  startAdmissionServer,
  webhookConfiguration,
  webhookHosts,
  webhookRules,
  type CertificateStore,
  type RunningAdmissionServer,
} from '../../server/index.js';
import { collect, globals, type CliContext } from '../context.js';

interface WebhookFlags {
  listen: string;
  policy?: string[];
  clusterPolicies: boolean;
  certDir?: string;
  certSecret?: string;
  host?: string[];
  install?: boolean;
  url?: string;
  service?: string;
  name: string;
  failurePolicy: 'Fail' | 'Ignore';
  namespaceSelector?: string;
  timeout: string;
  reports: boolean;
  keepConfig?: boolean;
}

/** The default certificate directory: $SLIPWAY_CACHE/webhook-certs, else ~/.cache/slipway/webhook-certs. */
export function defaultCertDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.SLIPWAY_CACHE ? join(env.SLIPWAY_CACHE, 'webhook-certs') : join(homedir(), '.cache', 'slipway', 'webhook-certs');
}

/** `ns/name` or `ns/name:port`. */
function parseService(text: string): { namespace: string; name: string; port?: number } {
  const m = /^([a-z0-9-]+)\/([a-z0-9-]+)(?::(\d+))?$/.exec(text);
  if (!m) throw new UsageError(`invalid --service "${text}": expected namespace/name or namespace/name:port`);
  return { namespace: m[1]!, name: m[2]!, ...(m[3] ? { port: Number(m[3]) } : {}) };
}

/** `k=v,k2=v2` as a matchLabels selector. */
function parseLabelSelector(text: string): Record<string, unknown> {
  const matchLabels: Record<string, string> = {};
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid --namespace-selector "${text}": expected key=value[,key=value]`);
    matchLabels[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return { matchLabels };
}

/**
 * `slipway webhook`: a validating admission webhook enforcing Kyverno ClusterPolicies and
 * Policies (from the cluster, and from --policy files) with Kyverno's denial messages; Audit
 * results become PolicyReports. With --install it also installs the policy CRDs the cluster
 * lacks and the ValidatingWebhookConfiguration (with the CA of its own serving certificate),
 * keeps its rules in step with the policies, and removes it on exit when the webhook runs
 * outside the cluster (--url), so a stopped webhook never blocks the cluster.
 */
export function webhookCommand(ctx: CliContext): Command {
  return new Command('webhook')
    .description('Serve a validating admission webhook that enforces Kyverno policies and writes PolicyReports')
    .option('--listen <host:port>', 'address of the HTTPS server', '127.0.0.1:9443')
    .option('--policy <path>', 'policy file or directory (repeatable); always in force, besides the cluster\'s', collect)
    .option('--no-cluster-policies', "do not watch the cluster's kyverno.io ClusterPolicies and Policies")
    .option('--cert-dir <dir>', 'where the CA and serving certificate are kept (default $SLIPWAY_CACHE/webhook-certs or ~/.cache/slipway/webhook-certs)')
    .option('--cert-secret <namespace/name>', 'keep the certificates in this Secret instead of a directory')
    .option('--host <name>', 'extra DNS name or IP address for the serving certificate (repeatable)', collect)
    .option('--install', 'install the policy CRDs (when missing) and the ValidatingWebhookConfiguration')
    .option('--url <url>', 'URL the apiserver calls (a webhook outside the cluster); default https://<listen address>/validate')
    .option('--service <namespace/name[:port]>', 'Service the apiserver calls instead of --url (an in-cluster webhook)')
    .option('--name <name>', 'name of the ValidatingWebhookConfiguration', DEFAULT_WEBHOOK_CONFIG_NAME)
    .addOption(new Option('--failure-policy <policy>', 'what the apiserver does when the webhook cannot answer').choices(['Fail', 'Ignore']).default('Fail'))
    .option('--namespace-selector <k=v,...>', 'only namespaces with these labels (default: all but kube-system)')
    .option('--timeout <seconds>', 'webhook timeout the apiserver applies', '10')
    .option('--no-reports', 'do not write PolicyReports')
    .option('--keep-config', 'leave the ValidatingWebhookConfiguration installed on exit (default for --service; with --url it is removed)')
    .addHelpText(
      'after',
      `
Denials read as Kyverno's: 'admission webhook "validate.slipway.dev" denied the request:
resource Pod/ns/name was blocked due to the following policies ...'. Audit failures are
admitted with a warning and recorded in PolicyReport polr-ns-<namespace> (cluster-scoped
resources: ClusterPolicyReport clusterpolicyreport). Runs until SIGTERM or SIGINT; with
--install and --url the configuration is removed on exit. A process killed outright leaves it
behind, refusing matching requests under --failure-policy Fail: remove it with
'kubectl delete validatingwebhookconfiguration <name>' (kube-system is never selected).`,
    )
    .action(async (flags: WebhookFlags, cmd: Command) => {
      const g = globals(cmd);
      const log = (line: string) => ctx.err(`${new Date().toISOString()} ${line}\n`);
      let listen: { host: string; port: number } | undefined;
      try {
        listen = parseListen(flags.listen);
      } catch (e) {
        throw new UsageError(`invalid --listen: ${(e as Error).message}`);
      }
      if (!listen) throw new UsageError('--listen is required');
      if (flags.url && flags.service) throw new UsageError('--url and --service are exclusive');
      const timeoutSeconds = Number(flags.timeout);
      if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 30) throw new UsageError(`invalid --timeout "${flags.timeout}": 1 to 30 seconds`);
      const service = flags.service ? parseService(flags.service) : undefined;
      const namespaceSelector = flags.namespaceSelector ? parseLabelSelector(flags.namespaceSelector) : undefined;
      const filePolicies = flags.policy?.length ? loadPolicyFiles(flags.policy) : [];
      if (flags.policy?.length && filePolicies.length === 0) throw new UsageError(`no kyverno.io ClusterPolicy or Policy in ${flags.policy.join(', ')}`);

      const needCluster = flags.clusterPolicies || flags.reports || flags.install || !!flags.certSecret;
      const client: KubeClient | undefined = needCluster ? await ctx.client(g) : undefined;
      const cache = client ? new WatchCache(client, { onError: (kind, e) => log(`watch ${kind}: ${describeError(e)} (retrying)`) }) : undefined;

      if (flags.install && client) {
        const crds = await installPolicyCrds(client);
        if (crds.created.length) log(`installed CRDs ${crds.created.join(', ')}`);
        if (crds.skipped.length) log(`kept CRDs installed by others: ${crds.skipped.join(', ')}`);
      }

      let store: CertificateStore;
      if (flags.certSecret) {
        const [ns, name] = flags.certSecret.split('/');
        if (!ns || !name) throw new UsageError(`invalid --cert-secret "${flags.certSecret}": expected namespace/name`);
        store = secretCertificateStore(client!, ns, name);
      } else store = directoryCertificateStore(flags.certDir ?? defaultCertDir());
      const urlHost = flags.url ? new URL(flags.url).hostname.replace(/^\[|\]$/g, '') : undefined;
      const hosts = webhookHosts(service, [...(flags.host ?? []), ...(urlHost ? [urlHost] : [])]);
      const { certs, action } = await ensureCertificates(store, { hosts });
      log(`certificates ${action} (${store.where})`);

      const policies = new PolicyStore({ filePolicies, cache: flags.clusterPolicies ? cache : undefined, onInvalid: (w, e) => log(invalidPolicyLine(w, e)) });
      if (flags.clusterPolicies) {
        try {
          await policies.start();
        } catch (e) {
          if (!(e instanceof UnknownKindError)) throw e;
          log('the cluster serves no kyverno.io policies (no CRDs; --install adds them): only --policy files are in force');
        }
      }
      const nsLabels = client && cache ? new NamespaceLabels(client, cache) : undefined;
      await nsLabels?.start();
      const reports = flags.reports && client ? new PolicyReportWriter(client, { log }) : undefined;

      let server: RunningAdmissionServer;
      try {
        server = await startAdmissionServer({
          ...listen,
          cert: certs.cert,
          key: certs.key,
          policies: () => policies.policies(),
          namespaceLabels: nsLabels ? (ns) => nsLabels.labels(ns) : undefined,
          log,
          onDecision: (d) => {
            if (!reports || !d.resource || d.request?.dryRun) return;
            if (d.request?.operation === 'DELETE') reports.forget(d.resource);
            else if (d.review.response.allowed && d.results.length) reports.record(d.resource, d.results, policies.policies());
          },
        });
      } catch (e) {
        client?.close();
        throw new UsageError(`cannot listen on ${flags.listen}: ${(e as Error).message}`);
      }
      const names = policies.policies().map((p) => `${p.kind}/${p.namespace ? `${p.namespace}/` : ''}${p.name}`);
      log(`listening on ${server.url}/validate; ${names.length} policies${names.length ? `: ${names.join(', ')}` : ''}`);

      const connectHost = listen.host === '0.0.0.0' || listen.host === '::' ? '127.0.0.1' : listen.host;
      const target = service ? { service } : { url: flags.url ?? `https://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${server.port}/validate` };
      let lastRules = '';
      const install = async () => {
        const rules = webhookRules(policyKinds(policies.policies()), await servedResources(client!), ['CREATE', 'UPDATE']);
        const text = JSON.stringify(rules);
        if (text === lastRules) return;
        lastRules = text;
        const config = webhookConfiguration({
          name: flags.name,
          target,
          caCert: certs.caCert,
          rules,
          namespaceSelector: namespaceSelector ?? defaultNamespaceSelector(service?.namespace),
          failurePolicy: flags.failurePolicy,
          timeoutSeconds,
          reportDeletions: flags.reports,
        });
        await applyWebhookConfiguration(client!, config);
        const what = rules.length === 0 ? 'no rules (no validate policy)' : rules.map((r) => r.resources.map((res) => (r.apiGroups[0] ? `${res}.${r.apiGroups[0]}` : res)).join(', ')).join(', ');
        log(`ValidatingWebhookConfiguration ${flags.name} → ${'url' in target ? target.url : `service ${service!.namespace}/${service!.name}`}: ${what}`);
      };
      let timer: NodeJS.Timeout | undefined;
      if (flags.install && client) {
        await install();
        // Policies come and go: keep the rules in step (coalescing bursts of changes).
        policies.onChange(() => {
          clearTimeout(timer);
          timer = setTimeout(() => void install().catch((e: unknown) => log(`updating the webhook configuration failed: ${describeError(e)}`)), 500);
        });
      }

      const signal = await new Promise<string>((resolve) => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
      });
      log(`${signal}: stopping`);
      clearTimeout(timer);
      if (flags.install && client && !service && !flags.keepConfig) {
        // A webhook outside the cluster that is gone would fail every matching request (failurePolicy Fail).
        await deleteWebhookConfiguration(client, flags.name).catch((e: unknown) => log(`removing ${flags.name} failed: ${describeError(e)}`));
        log(`removed ValidatingWebhookConfiguration ${flags.name}`);
      }
      await server.close();
      await reports?.stop();
      policies.stop();
      cache?.stop();
      client?.close();
      const s = server.stats();
      log(`stopped after ${s.requests} reviews (${s.allowed} allowed, ${s.denied} denied, ${s.errors} errors; p50 ${s.p50Ms.toFixed(1)} ms, p99 ${s.p99Ms.toFixed(1)} ms)`);
    });
}

function describeError(e: unknown): string {
  return e instanceof SlipwayError ? formatError(e) : (e as Error).message;
}
