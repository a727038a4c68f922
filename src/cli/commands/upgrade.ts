import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import {
  DEFAULT_HISTORY_MAX,
  upgradeInstallMode,
  defaultInstallOptions,
  defaultUpgradeOptions,
  install,
  upgrade,
  wrapActionError,
  type Release,
} from '../../release/index.js';
import { globals, type CliContext } from '../context.js';
import {
  actionContext,
  addDeployFlags,
  checkOutput,
  deployOptions,
  loadDeployInput,
  printRelease,
  takeBackDryRun,
  type DeployFlags,
} from './install.js';

interface UpgradeFlags extends DeployFlags {
  install?: boolean;
  historyMax: string;
  resetValues?: boolean;
  reuseValues?: boolean;
  resetThenReuseValues?: boolean;
  cleanupOnFail?: boolean;
}

/** helm's settings.MaxHistory: $HELM_MAX_HISTORY, else 10. */
function defaultHistoryMax(): string {
  const env = Number.parseInt(process.env.HELM_MAX_HISTORY ?? '', 10);
  return String(Number.isFinite(env) ? env : DEFAULT_HISTORY_MAX);
}

/** `slipway upgrade RELEASE CHART`: helm upgrade (with --install), natively. */
export function upgradeCommand(ctx: CliContext): Command {
  const cmd = new Command('upgrade')
    .description('Upgrade a release to a new chart or new values (helm upgrade); --install installs it when missing')
    .argument('[args...]', 'RELEASE CHART')
    .option('-i, --install', 'install the release if it does not exist yet')
    .option('--history-max <n>', 'keep at most this many revisions (0: no limit)', defaultHistoryMax())
    .option('--reset-values', 'reset the values to the ones built into the chart')
    .option('--reuse-values', "reuse the last release's values and merge in the overrides from -f and --set")
    .option('--reset-then-reuse-values', "reset to the chart's values, then apply the last release's values and the overrides")
    .option('--cleanup-on-fail', 'delete the objects this upgrade created when it fails');
  addDeployFlags(cmd).addHelpText(
    'after',
    `
Flags, messages and exit codes are helm's. The release is locked while the upgrade runs (a
Lease with a TTL), and the revision is stored pending-upgrade, so a concurrent slipway or helm
upgrade is refused; a revision left pending by a killed slipway is marked failed once its
lease has expired, and the next upgrade goes ahead.

Examples:
  slipway upgrade --install web ./chart -n shop --create-namespace -f values.yaml --set image.tag=1.2.3 --wait --timeout 300s
  slipway upgrade web ./chart --reuse-values --set replicas=3 --atomic`,
  );
  return cmd.action(async (rawArgs: string[], flags: UpgradeFlags, command: Command) => {
    const g = globals(command);
    checkOutput(flags.output);
    const args = takeBackDryRun(flags, rawArgs);
    if (args.length !== 2) throw new UsageError(`"slipway upgrade" requires 2 arguments\n\nUsage:  slipway upgrade [RELEASE] [CHART] [flags]`);
    const [name, chartPath] = args as [string, string];
    const historyMax = Number(flags.historyMax);
    if (!Number.isInteger(historyMax)) throw new UsageError(`invalid argument "${flags.historyMax}" for "--history-max" flag`);
    const actx = await actionContext(ctx, g);
    const namespace = g.namespace ?? actx.client.namespace;
    const common = deployOptions(flags);

    if (flags.install) {
      const mode = await upgradeInstallMode(actx, namespace, name);
      if (mode !== 'upgrade') {
        if (flags.output === 'table') ctx.out(`Release "${name}" does not exist. Installing it now.\n`);
        const { chart, values } = await loadDeployInput(chartPath, flags);
        let rel: Release;
        try {
          rel = await install(actx, {
            ...defaultInstallOptions(),
            ...common,
            name,
            namespace,
            chart,
            values,
            createNamespace: !!flags.createNamespace,
            skipCrds: !!flags.skipCrds,
            replace: mode === 'reinstall',
          });
        } catch (e) {
          // helm's upgrade --install returns the install error without a prefix
          throw wrapActionError('', e);
        }
        printRelease(ctx, rel, flags.output, { debug: g.debug, hideNotes: flags.hideNotes });
        return;
      }
    }

    const { chart, values } = await loadDeployInput(chartPath, flags);
    let rel: Release;
    try {
      rel = await upgrade(actx, {
        ...defaultUpgradeOptions(),
        ...common,
        name,
        namespace,
        chart,
        values,
        historyMax,
        resetValues: !!flags.resetValues,
        reuseValues: !!flags.reuseValues,
        resetThenReuseValues: !!flags.resetThenReuseValues,
        cleanupOnFail: !!flags.cleanupOnFail,
      });
    } catch (e) {
      throw wrapActionError('UPGRADE FAILED', e);
    }
    if (flags.output === 'table') ctx.out(`Release "${name}" has been upgraded. Happy Helming!\n`);
    printRelease(ctx, rel, flags.output, { debug: g.debug, hideNotes: flags.hideNotes });
  });
}
