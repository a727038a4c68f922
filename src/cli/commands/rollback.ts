import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { DEFAULT_HISTORY_MAX, rollback, wrapActionError } from '../../release/index.js';
import { globals, timeoutMs, type CliContext } from '../context.js';
import { actionContext } from './install.js';

interface RollbackFlags {
  dryRun?: boolean;
  hooks?: boolean;
  wait?: boolean;
  waitForJobs?: boolean;
  timeout: string;
  historyMax: string;
  cleanupOnFail?: boolean;
  force?: boolean;
}

/** `slipway rollback RELEASE [REVISION]`: helm rollback, natively. */
export function rollbackCommand(ctx: CliContext): Command {
  return new Command('rollback')
    .description('Roll a release back to an earlier revision (helm rollback): a new revision with that revision\'s manifest and values')
    .argument('[release]', 'release name')
    .argument('[revision]', 'revision to roll back to (default: the one before the newest)')
    .option('--dry-run', 'simulate a rollback')
    .option('--no-hooks', 'do not run hooks')
    .option('--wait', 'wait until every object is ready before marking the release deployed')
    .option('--wait-for-jobs', 'with --wait, also wait until Jobs have completed')
    .option('--timeout <duration>', 'time to wait for any one operation (hook, --wait)', '5m0s')
    .option('--history-max <n>', 'keep at most this many revisions (0: no limit)', String(DEFAULT_HISTORY_MAX))
    .option('--cleanup-on-fail', 'delete the objects this rollback created when it fails')
    .option('--force', 'accepted for helm compatibility: objects are always applied with server-side apply and forced ownership')
    .addHelpText(
      'after',
      `
Examples:
  slipway rollback web            # to the revision before the newest
  slipway rollback web 3 --wait`,
    )
    .action(async (name: string | undefined, revision: string | undefined, flags: RollbackFlags, command: Command) => {
      const g = globals(command);
      if (name === undefined) throw new UsageError('"slipway rollback" requires at least 1 argument\n\nUsage:  slipway rollback <RELEASE> [REVISION] [flags]');
      let version = 0;
      if (revision !== undefined) {
        if (!/^[+-]?\d+$/.test(revision)) throw new UsageError(`could not convert revision to a number: strconv.Atoi: parsing "${revision}": invalid syntax`);
        version = Number(revision);
      }
      const historyMax = Number(flags.historyMax);
      if (!Number.isInteger(historyMax)) throw new UsageError(`invalid argument "${flags.historyMax}" for "--history-max" flag`);
      const actx = await actionContext(ctx, g);
      try {
        await rollback(actx, {
          name,
          namespace: g.namespace ?? actx.client.namespace,
          version,
          dryRun: !!flags.dryRun,
          disableHooks: flags.hooks === false,
          wait: !!flags.wait,
          waitForJobs: !!flags.waitForJobs,
          timeoutMs: timeoutMs(flags.timeout),
          historyMax,
          cleanupOnFail: !!flags.cleanupOnFail,
        });
      } catch (e) {
        throw wrapActionError('', e);
      }
      ctx.out('Rollback was a success! Happy Helming!\n');
    });
}
