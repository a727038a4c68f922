/**
 * The `deploy` step, in one of three modes:
 * - `release`: `helm upgrade --install` through src/release (chart directory or .tgz in the
 *   workspace, values files, `set` entries read as helm's --set reads them, --wait,
 *   --timeout, --create-namespace);
 * - `kustomize`: the kustomization built by src/engines/kustomize, then server-side applied;
 * - `apply`: the manifests of a file or directory (recursively), server-side applied.
 * The two manifest modes record what they applied in an inventory ConfigMap (as
 * `slipway apply --inventory` does), so `prune: true` deletes what a later revision dropped;
 * with `wait` they wait until every applied object is healthy (src/kube/wait).
 *
 * With `policies:` the objects about to be applied (a release's rendered chart, hooks included)
 * are first checked against those Kyverno policies (see policy.ts), namespaced ones in their
 * target namespace; a failed Enforce rule refuses the step before anything is applied.
 *
 * The step's log gets one line per object (`Deployment/shop/web created`) and a summary
 * (`3 created, 1 configured, 2 unchanged`, or the release revision); an error names the
 * file it comes from.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { InputError, SlipwayError, formatError, formatKey, keyString, nodeFileSystem, type Manifest } from '../../core/index.js';
import { loadChart, mergeValueOptions } from '../../engines/chart/index.js';
import { kustomize } from '../../engines/kustomize/index.js';
import { loadManifests } from '../../engines/yaml/index.js';
import {
  Inventory,
  applySet,
  defaultApplyOptions,
  waitForHealthy,
  type ApplyOptions,
  type Change,
  type KubeClient,
  type ObjectRef,
} from '../../kube/index.js';
import {
  DEFAULT_TIMEOUT_MS,
  upgradeInstallMode,
  defaultInstallOptions,
  defaultUpgradeOptions,
  install,
  upgrade,
  type ActionContext,
  type Release,
} from '../../release/index.js';
import type { StepIO, StepResult } from '../executor.js';
import { existingPath } from '../files.js';
import type { DeployStep, ManifestDeployStep, ReleaseDeployStep } from '../model.js';
import { checkBeforeDeploy, renderChartObjects } from './policy.js';

/** The field manager of everything a deploy step applies. */
export const DEPLOY_FIELD_MANAGER = 'slipway';

/** Options of {@link runDeployStep}. */
export interface DeployStepOptions {
  /** Namespace when the step names none (the stage's test environment). @default the kubeconfig's */
  namespace?: string;
  /** Timeout of `wait` when the step gives none. @default 300000 (helm's 5m) */
  timeoutMs?: number;
}

/** A release to install or upgrade (helm upgrade --install). Paths are absolute or workspace-relative. */
export interface ReleaseSpec {
  name: string;
  namespace: string;
  /** Chart directory or .tgz. */
  chart: string;
  valuesFiles: string[];
  /** key → value, each read as one helm `--set key=value`. */
  set: Record<string, string>;
  wait: boolean;
  timeoutMs: number;
  createNamespace: boolean;
}

/**
 * The `--set` strings of a `set` map: one `key=value` per entry, the value's `\` and `,`
 * escaped so that it stays one value (helm's strvals splits on unescaped commas); types are
 * then helm's: `true` a bool, `3` an int, anything else a string.
 */
export function setFlags(set: Record<string, string>): string[] {
  return Object.entries(set).map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\').replace(/,/g, '\\,')}`);
}

/**
 * `helm upgrade --install`: installs when the release has no history (or was uninstalled),
 * otherwise upgrades. Chart and values files are resolved against `workspace`; a missing
 * one is an InputError naming it.
 */
export async function upgradeInstall(client: KubeClient, spec: ReleaseSpec, workspace: string, io: StepIO): Promise<Release> {
  const chartPath = existingPath(spec.chart, workspace, 'chart');
  const valueFiles = spec.valuesFiles.map((f) => existingPath(f, workspace, 'values file'));
  const chart = await loadChart(chartPath, nodeFileSystem);
  const values = mergeValueOptions({ valueFiles, values: setFlags(spec.set) }, nodeFileSystem);
  const actx: ActionContext = {
    client,
    warn: (m) => io.write('stderr', `WARNING: ${m}\n`),
    onHookLog: (ns, pod, container, text) => io.write('stdout', `[hook ${ns}/${pod}/${container}] ${text}${text.endsWith('\n') ? '' : '\n'}`),
  };
  const common = { name: spec.name, namespace: spec.namespace, chart, values, wait: spec.wait, timeoutMs: spec.timeoutMs };
  const mode = await upgradeInstallMode(actx, spec.namespace, spec.name);
  if (mode !== 'upgrade') {
    io.write('system', `installing release ${spec.name} (chart ${chart.metadata.name}-${chart.metadata.version}) in namespace ${spec.namespace}\n`);
    return install(actx, { ...defaultInstallOptions(), ...common, createNamespace: spec.createNamespace, replace: mode === 'reinstall' });
  }
  io.write('system', `upgrading release ${spec.name} (chart ${chart.metadata.name}-${chart.metadata.version}) in namespace ${spec.namespace}\n`);
  return upgrade(actx, { ...defaultUpgradeOptions(), ...common });
}

/** Runs a deploy step (already interpolated) against the cluster, from `workspace`. */
export async function runDeployStep(client: KubeClient, step: DeployStep, workspace: string, io: StepIO, opts: DeployStepOptions = {}): Promise<StepResult> {
  try {
    if (step.mode === 'release') await deployRelease(client, step, workspace, io, opts);
    else await deployManifests(client, step, workspace, io, opts);
    return { exitCode: 0 };
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    const message = `${step.name}: ${formatError(e)}`;
    io.write('system', message + '\n');
    return { exitCode: 1, error: message };
  }
}

async function deployRelease(client: KubeClient, step: ReleaseDeployStep, workspace: string, io: StepIO, opts: DeployStepOptions): Promise<void> {
  const namespace = step.namespace ?? opts.namespace ?? client.namespace;
  if (step.policies?.length) {
    const warn = (m: string) => io.write('stderr', `WARNING: ${m}\n`);
    const rendered = await renderChartObjects({ chart: step.chart, release: step.release, namespace, valuesFiles: step.valuesFiles, set: step.set }, workspace, warn);
    checkBeforeDeploy(step.policies, await inNamespace(client, rendered, namespace), workspace, io);
  }
  const rel = await upgradeInstall(
    client,
    {
      name: step.release,
      namespace,
      chart: step.chart,
      valuesFiles: step.valuesFiles,
      set: step.set,
      wait: step.wait,
      timeoutMs: step.deployTimeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      createNamespace: step.createNamespace,
    },
    workspace,
    io,
  );
  io.write('system', `release ${rel.name} revision ${rel.version} ${rel.info.status} in namespace ${rel.namespace}${step.wait ? ' (ready)' : ''}\n`);
}

/** The inventory ConfigMap of a manifest deploy: one per path and namespace, stable across runs. */
export function inventoryName(mode: string, path: string): string {
  const slug = path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 30)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(`${mode}:${path}`).digest('hex').slice(0, 8);
  return `slipway-deploy-${slug ? `${slug}-` : ''}${hash}`;
}

/** Counts of a change set, as a log line: `3 created, 1 configured, 2 unchanged`. */
export function summarize(changes: readonly Change[]): string {
  const counts = new Map<string, number>();
  for (const c of changes) counts.set(c.action, (counts.get(c.action) ?? 0) + 1);
  const order = ['created', 'configured', 'unchanged', 'deleted', 'skipped', 'failed'];
  const parts = order.filter((a) => counts.has(a)).map((a) => `${counts.get(a)} ${a}`);
  return parts.length > 0 ? parts.join(', ') : 'no objects';
}

async function deployManifests(client: KubeClient, step: ManifestDeployStep, workspace: string, io: StepIO, opts: DeployStepOptions): Promise<void> {
  const path = resolve(workspace, step.path);
  const shown = relative(workspace, path) || '.';
  if (!existsSync(path)) throw new InputError(`${step.mode} path "${step.path}" not found`, { file: step.path });
  const namespace = step.namespace ?? opts.namespace;
  let manifests: Manifest[];
  if (step.mode === 'kustomize') {
    const built = kustomize(path, nodeFileSystem, { warn: (m) => io.write('stderr', `${m}\n`) });
    // -n overrides the namespace of every namespaced object (cluster-scoped ones get none in planApply)
    manifests = namespace
      ? built.resources.map((m) => {
          const { namespace: _drop, ...metadata } = m.object.metadata;
          return { ...m, object: { ...m.object, metadata } };
        })
      : built.resources;
  } else {
    manifests = loadManifests([path], nodeFileSystem);
  }
  if (manifests.length === 0 && !step.prune) throw new InputError(`no objects in ${shown}`, { file: step.path });
  if (step.policies?.length) checkBeforeDeploy(step.policies, await inNamespace(client, manifests, namespace ?? client.namespace), workspace, io);

  const files = new Map<string, string>();
  const target = namespace ?? client.namespace;
  const options: ApplyOptions = {
    ...defaultApplyOptions(),
    fieldManager: DEPLOY_FIELD_MANAGER,
    force: true,
    namespace: target,
    // kubectl apply -n: an object naming another namespace is an error (kustomize mode overrode it)
    enforceNamespace: namespace !== undefined && step.mode === 'apply',
    signal: io.signal,
  };
  const inventory = new Inventory(client, inventoryName(step.mode, shown), target, DEPLOY_FIELD_MANAGER);
  const { applied, pruned } = await applySet(client, manifests, inventory, { ...options, prune: step.prune });
  for (const m of manifests) {
    if (m.origin.at?.file) files.set(`${m.object.kind}/${m.object.metadata.name ?? ''}`, m.origin.at.file);
  }
  for (const c of applied.changes) if (c.action !== 'failed') io.write('stdout', `${formatKey(c.ref)} ${c.action}\n`);
  for (const c of pruned.changes) if (c.action !== 'failed') io.write('stdout', `${formatKey(c.ref)} ${c.action === 'deleted' ? 'pruned' : c.action}\n`);
  io.write('system', `${step.mode} ${shown}: ${summarize(applied.changes)}${step.prune ? `; pruned: ${summarize(pruned.changes)}` : ''}\n`);

  const failures = [...applied.changes, ...pruned.changes].filter((c) => c.action === 'failed');
  if (failures.length > 0) {
    const lines = failures.map((c) => {
      const file = files.get(`${c.ref.kind}/${c.ref.name}`);
      const why = c.error ? c.error.message : 'failed';
      return `${file ? `${relativeTo(workspace, file)}: ` : ''}${formatKey(c.ref)}: ${why}`;
    });
    throw new DeployFailedError(`${failures.length === 1 ? 'an object' : `${failures.length} objects`} failed to apply:\n${lines.join('\n')}`);
  }
  if (step.wait) {
    const refs: ObjectRef[] = applied.changes.map((c) => c.ref);
    const seen = new Set<string>();
    const unique = refs.filter((r) => (seen.has(keyString(r)) ? false : (seen.add(keyString(r)), true)));
    await waitForHealthy(client, unique, { timeoutMs: step.deployTimeoutMs ?? opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, signal: io.signal });
    io.write('system', `${unique.length} object${unique.length === 1 ? '' : 's'} healthy\n`);
  }
}

/**
 * The objects as the apiserver will see them: namespaced kinds without a namespace get the
 * target one (kinds the server does not know are taken as namespaced), so policies that match
 * on namespaces see the right one.
 */
async function inNamespace(client: KubeClient, manifests: readonly Manifest[], namespace: string): Promise<Manifest[]> {
  const out: Manifest[] = [];
  for (const m of manifests) {
    if (m.object.metadata.namespace) {
      out.push(m);
      continue;
    }
    const res = await client.discovery.find(m.object.apiVersion, m.object.kind).catch(() => undefined);
    if (res && !res.namespaced) out.push(m);
    else out.push({ ...m, object: { ...m.object, metadata: { ...m.object.metadata, namespace } } });
  }
  return out;
}

function relativeTo(workspace: string, file: string): string {
  const r = relative(workspace, resolve(workspace, file));
  return r.startsWith('..') ? file : r;
}

/** Some objects of a deploy step could not be applied; each is listed with its file. */
export class DeployFailedError extends SlipwayError {
  readonly code = 'SLW771' as const;
}
