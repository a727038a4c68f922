import { SlipwayError, isNotFound } from '../../core/index.js';
import { processDependencies } from '../../engines/chart/index.js';
import { serverSideApply } from '../../kube/index.js';
import { ReleaseStore, type Release } from '../storage/index.js';
import { resolveContext, withReleaseLock, type ActionContext, type ResolvedContext } from './context.js';
import { checkConflicts, installCrds, renderForRelease, storedChart, targetResources } from './deploy.js';
import { ReleaseActionError } from './errors.js';
import { execHooks } from './hooks.js';
import { retryTransient } from './internal/async.js';
import { chartCrds, checkReleaseName, oneLine, setStatus, stamp, wrap } from './internal/shared.js';
import type { InstallOptions } from './options.js';
import { FIELD_MANAGER, updateResources, waitReady, type ReleaseResource } from './resources.js';
import { uninstallLocked } from './uninstall.js';

/**
 * `helm install` (pkg/action/install.go): checks the name is free, installs crds/ (create
 * only), renders against the cluster, refuses objects that exist and belong to no or
 * another release, stores revision 1 as pending-install, runs pre-install hooks, applies,
 * waits (--wait), runs post-install hooks and marks the revision deployed ("Install
 * complete"). A failure marks it failed (`Release "x" failed: …`); with --atomic the
 * release is uninstalled again. Holds the release lease from the first read to the last
 * write. A dry run writes nothing and returns the release it would have stored.
 */
export async function install(context: ActionContext, options: InstallOptions): Promise<Release> {
  const ctx = resolveContext(context);
  checkReleaseName(options.name, (p) => `release name "${options.name}": ${p}`);
  const store = ctx.store(options.namespace);
  if (options.dryRun !== 'none') return prepare(ctx, store, options);
  if (options.createNamespace) await createNamespace(ctx, options.namespace);
  return withReleaseLock(ctx, store, options.name, async (signal) => {
    const { rel, resources } = await prepare(ctx, store, options, signal);
    await retryTransient(() => store.create(rel));
    try {
      await performInstall(ctx, store, rel, resources, options, signal);
      return rel;
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      throw await failInstall(ctx, store, rel, options, e, signal);
    }
  });
}

async function prepare(ctx: ResolvedContext, store: ReleaseStore, options: InstallOptions): Promise<Release>;
async function prepare(
  ctx: ResolvedContext,
  store: ReleaseStore,
  options: InstallOptions,
  signal: AbortSignal,
): Promise<{ rel: Release; resources: ReleaseResource[] }>;
async function prepare(
  ctx: ResolvedContext,
  store: ReleaseStore,
  options: InstallOptions,
  signal?: AbortSignal,
): Promise<Release | { rel: Release; resources: ReleaseResource[] }> {
  const dry = options.dryRun !== 'none';
  if (!dry) await checkAvailable(store, options);
  const processed = processDependencies(options.chart, options.values);
  const crds = chartCrds(processed);
  if (!options.skipCrds && crds.length > 0) {
    if (dry) ctx.warn('This chart or one of its subcharts contains CRDs. Rendering may fail or contain inaccuracies.');
    else await installCrds(ctx, crds, signal);
  }
  const now = stamp(ctx.now);
  const rel: Release = {
    name: options.name,
    namespace: options.namespace,
    version: 1,
    info: { first_deployed: now, last_deployed: now, deleted: '', status: 'unknown' },
    chart: storedChart(options.chart, options.values),
    config: options.values,
    manifest: '',
    hooks: [],
    ...(options.labels && Object.keys(options.labels).length > 0 ? { labels: { ...options.labels } } : {}),
  };
  const rendered = await renderForRelease(ctx, options.chart, options.values, { ...options, revision: 1, isUpgrade: false });
  rel.manifest = rendered.manifest;
  rel.hooks = rendered.hooks;
  if (rendered.notes) rel.info.notes = rendered.notes;
  setStatus(rel, 'pending-install', 'Initial install underway');
  const resources = await targetResources(ctx, rel.manifest, options.namespace);
  await checkConflicts(ctx, resources, new Set(), { release: options.name, namespace: options.namespace, verb: 'install', takeOwnership: options.takeOwnership });
  if (dry) {
    rel.info.description = 'Dry run complete';
    return rel;
  }
  if (options.replace) await replacePrevious(store, rel);
  return { rel, resources };
}

/** helm's availableName: a name with history is taken, unless --replace and its newest revision is uninstalled or failed. */
async function checkAvailable(store: ReleaseStore, options: InstallOptions): Promise<void> {
  const history = await store.history(options.name);
  const last = history[history.length - 1];
  if (!last) return;
  if (options.replace && (last.info.status === 'uninstalled' || last.info.status === 'failed')) return;
  throw new ReleaseActionError('cannot re-use a name that is still in use');
}

/** helm's replaceRelease: the new record continues the old history; the old newest one is superseded unless it failed. */
async function replacePrevious(store: ReleaseStore, rel: Release): Promise<void> {
  const last = await store.last(rel.name);
  if (!last) return;
  rel.version = last.version + 1;
  if (last.info.status === 'failed') return;
  setStatus(last, 'superseded', 'superseded by new release');
  await retryTransient(() => store.update(last));
}

/** --create-namespace: the namespace with helm's label `name`, unless it exists. */
async function createNamespace(ctx: ResolvedContext, namespace: string): Promise<void> {
  const ref = { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: namespace };
  try {
    await ctx.client.request('GET', `/api/v1/namespaces/${encodeURIComponent(namespace)}`, { key: ref });
    return;
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  await serverSideApply(
    ctx.client,
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace, labels: { name: namespace } } },
    { fieldManager: FIELD_MANAGER },
  );
}

/** helm's performInstall. */
async function performInstall(
  ctx: ResolvedContext,
  store: ReleaseStore,
  rel: Release,
  resources: ReleaseResource[],
  options: InstallOptions,
  signal: AbortSignal,
): Promise<void> {
  const hookCtx = {
    client: ctx.client,
    namespace: rel.namespace,
    timeoutMs: options.timeoutMs,
    record: () => retryTransient(() => store.update(rel)).catch((e: Error) => ctx.log(`warning: Failed to update release ${rel.name}: ${e.message}`)),
    now: ctx.now,
    onLog: ctx.onHookLog,
    log: ctx.log,
    signal,
  };
  if (!options.disableHooks) {
    try {
      await execHooks(rel, 'pre-install', hookCtx);
    } catch (e) {
      throw wrapPlain('failed pre-install', e);
    }
  }
  await updateResources(ctx.client, [], resources, { release: rel.name, namespace: rel.namespace, signal, log: ctx.log });
  if (options.wait || options.atomic) {
    await waitReady(ctx.client, resources.map((r) => r.ref), { timeoutMs: options.timeoutMs, waitForJobs: options.waitForJobs, signal });
  }
  if (!options.disableHooks) {
    try {
      await execHooks(rel, 'post-install', hookCtx);
    } catch (e) {
      throw wrapPlain('failed post-install', e);
    }
  }
  setStatus(rel, 'deployed', options.description || 'Install complete');
  await retryTransient(() => store.update(rel)).catch((e: Error) => ctx.log(`failed to record the release: ${e.message}`));
}

/** helm's failRelease for install. */
async function failInstall(
  ctx: ResolvedContext,
  store: ReleaseStore,
  rel: Release,
  options: InstallOptions,
  err: SlipwayError,
  signal: AbortSignal,
): Promise<SlipwayError> {
  setStatus(rel, 'failed', `Release "${options.name}" failed: ${oneLine(err)}`);
  if (signal.aborted) return wrap('the release lock was lost to another operation; stopped without uninstalling', err);
  if (options.atomic) {
    ctx.log('Install failed and atomic is set, uninstalling release');
    try {
      await retryTransient(() => store.update(rel)).catch(() => undefined);
      await uninstallLocked(ctx, store, { name: options.name, namespace: options.namespace, disableHooks: options.disableHooks, keepHistory: false, timeoutMs: options.timeoutMs });
    } catch (e) {
      return wrap(`an error occurred while uninstalling the release. original install error: ${oneLine(err)}`, e);
    }
    return wrap(`release ${options.name} failed, and has been uninstalled due to atomic being set`, err);
  }
  await retryTransient(() => store.update(rel)).catch(() => undefined);
  return err;
}

/** fmt.Errorf("%s: %s", prefix, err): the message changes, the error class stays where it can. */
function wrapPlain(prefix: string, e: unknown): unknown {
  if (!(e instanceof SlipwayError)) return e;
  return wrap(prefix, e);
}

/**
 * What `helm upgrade --install` does with a release: `install` when it has no history,
 * `reinstall` (install with replace) when its last revision is uninstalled (kept with
 * --keep-history), else `upgrade`. A namespace that does not exist yet lists no releases.
 */
export async function upgradeInstallMode(ctx: ActionContext, namespace: string, name: string): Promise<'install' | 'reinstall' | 'upgrade'> {
  const store = ctx.store?.(namespace) ?? new ReleaseStore(ctx.client, namespace);
  const last = (await store.history(name)).at(-1);
  if (!last) return 'install';
  return last.info.status === 'uninstalled' ? 'reinstall' : 'upgrade';
}
