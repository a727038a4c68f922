import { basename } from 'node:path';
import { Command } from 'commander';
import { UsageError, formatKubectlRef, nodeFileSystem, type KubeObject } from '../../core/index.js';
import { loadChart, mergeValueOptions, releaseNameFromTemplate, type Chart, type GoMap } from '../../engines/chart/index.js';
import {
  defaultInstallOptions,
  formatStatus,
  install,
  wrapActionError,
  type ActionContext,
  type DeployOptions,
  type DryRunMode,
  type Release,
} from '../../release/index.js';
import {
  DEFAULT_INSTALL_NAMESPACE,
  INSTALL_FIELD_MANAGER,
  crdInstallAction,
  installCrds,
  installObjects,
} from '../../gitops/index.js';
import { getObject, refOf, serverSideApply, waitForHealthy } from '../../kube/index.js';
import { version } from '../main.js';
import { formatObjects } from '../output.js';
import { collect, globals, timeoutMs, type CliContext, type GlobalOptions } from '../context.js';
import { addValuesFlags, valueOptions, type ValuesFlags } from '../values-flags.js';

/** The flags install and upgrade share (helm's addInstallFlags / upgrade flags and values.Options). */
export interface DeployFlags extends ValuesFlags {
  createNamespace?: boolean;
  dryRun?: string | boolean;
  hooks?: boolean;
  wait?: boolean;
  waitForJobs?: boolean;
  timeout: string;
  atomic?: boolean;
  skipCrds?: boolean;
  description?: string;
  labels: string[];
  renderSubchartNotes?: boolean;
  skipSchemaValidation?: boolean;
  hideNotes?: boolean;
  takeOwnership?: boolean;
  force?: boolean;
  output: string;
}

/** Adds the flags install and upgrade share, with helm's names and defaults. */
export function addDeployFlags(cmd: Command): Command {
  return addValuesFlags(cmd)
    .option('--create-namespace', 'create the release namespace if not present')
    .option('--dry-run [mode]', 'simulate: "client" (the default) does not ask the cluster to answer lookup; "server" does')
    .option('--no-hooks', 'do not run hooks')
    .option('--wait', 'wait until every object is ready (healthy) before marking the release deployed')
    .option('--wait-for-jobs', 'with --wait, also wait until Jobs have completed')
    .option('--timeout <duration>', 'time to wait for any one operation (hook, --wait)', '5m0s')
    .option('--atomic', 'undo the change if it fails (uninstall a failed install, roll back a failed upgrade); implies --wait')
    .option('--skip-crds', 'do not install the chart\'s crds/')
    .option('--description <text>', 'a custom description for the revision')
    .option('-l, --labels <key=value,…>', 'labels for the release record; repeatable', collect, [])
    .option('--render-subchart-notes', 'render subchart notes along with the parent')
    .option('--skip-schema-validation', 'do not check values against values.schema.json')
    .option('--hide-notes', 'do not print the notes')
    .option('--take-ownership', 'adopt existing objects that lack helm\'s ownership annotations')
    .option('--force', 'accepted for helm compatibility: objects are always applied with server-side apply and forced ownership')
    .option('-o, --output <format>', 'table, json or yaml', 'table');
}

/** The chart and the values of the command line, read as helm reads them. */
export async function loadDeployInput(chartPath: string, flags: DeployFlags): Promise<{ chart: Chart; values: GoMap }> {
  if (!nodeFileSystem.stat(chartPath)) {
    throw new UsageError(
      chartPath.startsWith('.') || chartPath.startsWith('/')
        ? `path "${chartPath}" not found`
        : `chart "${chartPath}" not found: only chart directories and .tgz archives on disk are supported`,
    );
  }
  const values = mergeValueOptions(valueOptions(flags), nodeFileSystem);
  return { chart: await loadChart(chartPath, nodeFileSystem), values };
}

/** helm's --dry-run: bare or "client"/"true" is a client dry run, "server" a server one, "none"/"false" none. */
export function dryRunMode(value: string | boolean | undefined): DryRunMode {
  if (value === undefined || value === false || value === 'none' || value === 'false') return 'none';
  if (value === true || value === 'client' || value === 'true') return 'client';
  if (value === 'server') return 'server';
  throw new UsageError('Invalid dry-run flag. Flag must one of the following: false, true, none, client, server');
}

/**
 * Commander reads `--dry-run web ./chart` as --dry-run=web; helm (pflag's NoOptDefVal) reads
 * a bare --dry-run. A value that is no dry-run mode goes back in front of the arguments.
 */
export function takeBackDryRun(flags: DeployFlags, args: string[]): string[] {
  if (typeof flags.dryRun !== 'string' || ['client', 'server', 'none', 'true', 'false'].includes(flags.dryRun)) return args;
  const value = flags.dryRun;
  flags.dryRun = true;
  return [value, ...args];
}

/** pflag's StringToString: "a=b,c=d" (repeatable). */
export function parseLabels(values: string[]): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of values.flatMap((v) => v.split(','))) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq <= 0) throw new UsageError(`invalid --labels "${part}": use key=value`);
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return Object.keys(out).length ? out : undefined;
}

/** The DeployOptions of the command line (chart, values and name filled in by the caller). */
export function deployOptions(flags: DeployFlags): Omit<DeployOptions, 'name' | 'namespace' | 'chart' | 'values'> {
  const { values: _v, ...defaults } = defaultInstallOptions();
  return {
    ...defaults,
    dryRun: dryRunMode(flags.dryRun),
    disableHooks: flags.hooks === false,
    wait: !!flags.wait || !!flags.atomic,
    waitForJobs: !!flags.waitForJobs,
    timeoutMs: timeoutMs(flags.timeout),
    atomic: !!flags.atomic,
    description: flags.description,
    labels: parseLabels(flags.labels),
    subNotes: !!flags.renderSubchartNotes,
    skipSchemaValidation: !!flags.skipSchemaValidation,
    takeOwnership: !!flags.takeOwnership,
  };
}

/** What every release command hands the actions: the client, helm's warnings, --debug logging, hook logs. */
export async function actionContext(ctx: CliContext, g: GlobalOptions): Promise<ActionContext> {
  return {
    client: await ctx.client(g),
    warn: (m) => ctx.err(`WARNING: ${m}\n`),
    log: g.debug ? (m) => ctx.err(`[debug] ${m}\n`) : undefined,
    onHookLog: (_ns, pod, container, text) => ctx.err(`${pod}/${container}:\n${text}${text.endsWith('\n') ? '' : '\n'}`),
  };
}

/** helm's output flag: the status block (table), or the release record as JSON or YAML. */
export function printRelease(ctx: CliContext, rel: Release, output: string, options: { debug?: boolean; hideNotes?: boolean } = {}): void {
  ctx.out(formatStatus(rel, output as 'table' | 'json' | 'yaml', options));
}

/** Checks -o before anything happens. */
export function checkOutput(output: string): void {
  if (!['table', 'json', 'yaml'].includes(output)) throw new UsageError(`invalid argument "${output}" for "-o, --output" flag: invalid format type`);
}

interface InstallFlags extends DeployFlags {
  generateName?: boolean;
  nameTemplate?: string;
  replace?: boolean;
  image?: string;
}

/** helm's Install.NameAndChart: NAME CHART, or CHART with --generate-name / --name-template. */
function nameAndChart(args: string[], flags: InstallFlags): { name: string; chart: string } {
  if (args.length > 2) throw new UsageError(`expected at most two arguments, unexpected arguments: ${args.slice(2).join(', ')}`);
  if (args.length === 2) {
    if (flags.generateName) throw new UsageError('cannot set --generate-name and also specify a name');
    if (flags.nameTemplate) throw new UsageError('cannot set --name-template and also specify a name');
    return { name: args[0]!, chart: args[1]! };
  }
  const chart = args[0]!;
  if (flags.nameTemplate) return { name: releaseNameFromTemplate(flags.nameTemplate), chart };
  if (!flags.generateName) throw new UsageError('must either provide a name or specify --generate-name');
  let base = basename(chart);
  if (base === '.' || base === '') base = 'chart';
  const dot = base.indexOf('.');
  if (dot !== -1) base = base.slice(0, dot);
  return { name: `${base}-${Math.floor(Date.now() / 1000)}`, chart };
}

/** `slipway install [NAME] CHART`: helm install, natively. */
export function installCommand(ctx: CliContext): Command {
  const cmd = new Command('install')
    .description('Install a chart as a release (helm install): stored as helm stores it, applied with server-side apply')
    .argument('[args...]', 'NAME CHART, or CHART with --generate-name')
    .option('-g, --generate-name', 'generate the name (and omit the NAME argument)')
    .option('--name-template <template>', 'template used to name the release')
    .option('--replace', 're-use the name of a release that was uninstalled with --keep-history or failed')
    .option('--image <ref>', 'without a chart: the controller image (default ghcr.io/slipway/slipway:<version>)');
  addDeployFlags(cmd).addHelpText(
    'after',
    `
Flags, messages and exit codes are helm's. Objects are applied with server-side apply
(field manager "slipway"), CRDs from crds/ first, then hooks and objects in helm's order.

Without arguments, installs Slipway itself: the GitOps CRDs the cluster lacks (Argo CD
Application/AppProject, Flux GitRepository/Kustomization, slipway.dev Application; a CRD that
exists and was not installed by Slipway — Argo CD's or Flux's own — is left alone), the
namespace (-n, default ${DEFAULT_INSTALL_NAMESPACE}), a ServiceAccount with a ClusterRole allowing
everything (as Argo CD's application-controller), a Deployment running
"slipway controller --leader-elect" and a Service for its webhook port 8080. Only --image,
--dry-run (prints the objects; -o json for JSON), --wait and --timeout apply then.

Examples:
  slipway install web ./chart -n shop --create-namespace -f values-prod.yaml --wait
  slipway install ./chart --generate-name --dry-run
  slipway install --wait                      # Slipway's controller, in ${DEFAULT_INSTALL_NAMESPACE}
  slipway install --dry-run -o yaml           # print what would be installed`,
  );
  return cmd.action(async (rawArgs: string[], flags: InstallFlags, command: Command) => {
    const g = globals(command);
    checkOutput(flags.output);
    const args = takeBackDryRun(flags, rawArgs);
    if (args.length < 1) {
      if (flags.generateName || flags.nameTemplate) throw new UsageError('"slipway install" requires at least 1 argument');
      await installSlipway(ctx, g, flags);
      return;
    }
    if (flags.image !== undefined) throw new UsageError('--image is for "slipway install" without a chart (installing Slipway itself)');
    const { name, chart: chartPath } = nameAndChart(args, flags);
    const actx = await actionContext(ctx, g);
    const namespace = g.namespace ?? actx.client.namespace;
    const { chart, values } = await loadDeployInput(chartPath, flags);
    let rel: Release;
    try {
      rel = await install(actx, {
        ...defaultInstallOptions(),
        ...deployOptions(flags),
        name,
        namespace,
        chart,
        values,
        createNamespace: !!flags.createNamespace,
        replace: !!flags.replace,
        skipCrds: !!flags.skipCrds,
      });
    } catch (e) {
      throw wrapActionError('INSTALLATION FAILED', e);
    }
    printRelease(ctx, rel, flags.output, { debug: g.debug, hideNotes: flags.hideNotes });
  });
}

/**
 * `slipway install` without a chart: Slipway's controller and the gitops CRDs (see
 * gitops/install.ts for the objects). CRDs first, each created or updated only when the
 * cluster lacks it or Slipway installed it; then the rest with server-side apply.
 */
async function installSlipway(ctx: CliContext, g: GlobalOptions, flags: InstallFlags): Promise<void> {
  const dryRun = dryRunMode(flags.dryRun) !== 'none';
  const namespace = g.namespace ?? DEFAULT_INSTALL_NAMESPACE;
  const objects = installObjects({ version: version(), namespace, ...(flags.image ? { image: flags.image } : {}) });
  const crds = installCrds();
  if (dryRun) {
    ctx.out(formatObjects([...crds, ...objects], flags.output === 'json' ? 'json' : 'yaml'));
    return;
  }
  const wait = !!flags.wait || !!flags.atomic;
  const timeout = timeoutMs(flags.timeout);
  const client = await ctx.client(g);
  const apply = async (obj: KubeObject, note?: string): Promise<void> => {
    const ref = refOf(obj);
    const before = await getObject(client, ref);
    const after = await serverSideApply(client, obj, { fieldManager: INSTALL_FIELD_MANAGER, force: true });
    const verb = !before ? 'created' : before.metadata.resourceVersion === after.metadata.resourceVersion ? 'unchanged' : 'configured';
    ctx.out(`${formatKubectlRef(ref)} ${verb}${note ? ` (${note})` : ''}\n`);
  };
  for (const crd of crds) {
    const ref = refOf(crd);
    const live = await getObject(client, ref);
    if (crdInstallAction(live) === 'skip') {
      const owner = live?.metadata.labels?.['app.kubernetes.io/part-of'] ?? live?.metadata.labels?.['app.kubernetes.io/managed-by'];
      ctx.out(`${formatKubectlRef(ref)} skipped (exists${owner ? `, part of ${owner}` : ''}; not installed by slipway)\n`);
      continue;
    }
    await apply(crd);
  }
  client.discovery.invalidate();
  for (const obj of objects) await apply(obj);
  if (wait) {
    const deployments = objects.filter((o) => o.kind === 'Deployment').map(refOf);
    await waitForHealthy(client, deployments, { timeoutMs: timeout });
    ctx.out(`slipway controller is ready in namespace ${namespace}\n`);
  }
}
