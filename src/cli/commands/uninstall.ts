import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { uninstall, wrapActionError } from '../../release/index.js';
import { globals, timeoutMs, type CliContext } from '../context.js';
import { actionContext } from './install.js';

interface UninstallFlags {
  dryRun?: boolean;
  hooks?: boolean;
  ignoreNotFound?: boolean;
  keepHistory?: boolean;
  wait?: boolean;
  cascade: string;
  timeout: string;
  description?: string;
}

const CASCADE = { background: 'Background', foreground: 'Foreground', orphan: 'Orphan' } as const;

/** `slipway uninstall RELEASE…`: helm uninstall, natively. */
export function uninstallCommand(ctx: CliContext): Command {
  return new Command('uninstall')
    .aliases(['del', 'delete', 'un'])
    .description('Uninstall a release (helm uninstall): delete its objects (except those marked keep) and its history')
    .argument('[releases...]', 'release names')
    .option('--dry-run', 'simulate an uninstall')
    .option('--no-hooks', 'do not run hooks')
    .option('--ignore-not-found', 'treat "release not found" as a successful uninstall')
    .option('--keep-history', 'delete the objects but keep the history, marking the release uninstalled')
    .option('--wait', 'wait until every deleted object is gone')
    .option('--cascade <mode>', 'background, foreground or orphan: how dependents are deleted', 'background')
    .option('--timeout <duration>', 'time to wait for any one operation (hook, --wait)', '5m0s')
    .option('--description <text>', 'a custom description')
    .action(async (names: string[], flags: UninstallFlags, command: Command) => {
      const g = globals(command);
      if (names.length === 0) throw new UsageError('"slipway uninstall" requires at least 1 argument\n\nUsage:  slipway uninstall RELEASE_NAME [...] [flags]');
      const policy = CASCADE[flags.cascade as keyof typeof CASCADE];
      if (!policy) throw new UsageError(`invalid cascade value (${flags.cascade}). Must be "background", "foreground", or "orphan"`);
      const actx = await actionContext(ctx, g);
      for (const name of names) {
        let info: string;
        try {
          const res = await uninstall(actx, {
            name,
            namespace: g.namespace ?? actx.client.namespace,
            dryRun: !!flags.dryRun,
            disableHooks: flags.hooks === false,
            ignoreNotFound: !!flags.ignoreNotFound,
            keepHistory: !!flags.keepHistory,
            wait: !!flags.wait,
            propagationPolicy: policy,
            timeoutMs: timeoutMs(flags.timeout),
            description: flags.description,
          });
          info = res.info;
        } catch (e) {
          throw wrapActionError('', e);
        }
        if (info) ctx.out(`${info}\n`);
        ctx.out(`release "${name}" uninstalled\n`);
      }
    });
}
