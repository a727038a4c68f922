import { SlipwayError } from '../../core/index.js';
import { chartFromJson, type Release, type ReleaseStore } from '../storage/index.js';
import { coalesceValues, type Chart, type GoMap } from '../../engines/chart/index.js';
import { resolveContext, withReleaseLock, type ActionContext, type ResolvedContext } from './context.js';
import { checkConflicts, currentResources, refKey, renderForRelease, storedChart, targetResources } from './deploy.js';
import { ReleaseActionError, ReleasePendingError } from './errors.js';
import { execHooks } from './hooks.js';
import { retryTransient } from './internal/async.js';
import { checkReleaseName, newest, oneLine, setStatus, stamp, wrap } from './internal/shared.js';
import type { UpgradeOptions } from './options.js';
import { deleteResources, updateResources, waitReady, type ReleaseResource, type UpdateResult } from './resources.js';
import { rollbackLocked } from './rollback.js';

const PENDING = ['pending-install', 'pending-upgrade', 'pending-rollback'];

/**
 * `helm upgrade` (pkg/action/upgrade.go). Under the release lease: refuses when the newest
 * revision is pending (helm's errPending; a revision left pending by a Slipway process that
 * died has already been marked failed when its expired lease was taken over); picks the
 * deployed revision (or the newest failed/superseded one when none is deployed) as the
 * current one; renders the new revision (values per --reuse-values/--reset-values);
 * refuses objects new to the release that belong to no or another release; stores it
 * pending-upgrade (pruning history to --history-max); runs pre-upgrade hooks, applies,
 * deletes what the chart dropped (unless kept), waits (--wait), runs post-upgrade hooks;
 * then the current revision is superseded and the new one deployed ("Upgrade complete").
 * On failure the new revision is marked failed (`Upgrade "x" failed: …`) and, with
 * --atomic, the release is rolled back to the newest deployed or superseded revision.
 */
export async function upgrade(context: ActionContext, options: UpgradeOptions): Promise<Release> {
  const ctx = resolveContext(context);
  checkReleaseName(options.name, () => `release name is invalid: ${options.name}`);
  const store = ctx.store(options.namespace);
  if (options.dryRun !== 'none') return (await prepare(ctx, store, options)).upgraded;
  // helm's answer for a release that is not there, before a lease is made for it
  if (!(await store.last(options.name))) throw new ReleaseActionError(`"${options.name}" has no deployed releases`);
  return withReleaseLock(ctx, store, options.name, async (signal) => {
    const { current, upgraded, currentObjs, targetObjs } = await prepare(ctx, store, options);
    await retryTransient(() => store.create(upgraded, { maxHistory: options.historyMax }));
    try {
      await releasingUpgrade(ctx, store, current, upgraded, currentObjs, targetObjs, options, signal);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      throw await failUpgrade(ctx, store, upgraded, options, e, signal);
    }
    await retryTransient(() => store.update(upgraded));
    return upgraded;
  });
}

interface Prepared {
  current: Release;
  upgraded: Release;
  currentObjs: ReleaseResource[];
  targetObjs: ReleaseResource[];
}

/** helm's prepareUpgrade and the checks of performUpgrade before anything is written. */
async function prepare(ctx: ResolvedContext, store: ReleaseStore, options: UpgradeOptions): Promise<Prepared> {
  const last = await store.last(options.name);
  if (!last) throw new ReleaseActionError(`"${options.name}" has no deployed releases`);
  if (PENDING.includes(last.info.status)) throw new ReleasePendingError(options.name);
  let current = last;
  if (last.info.status !== 'deployed') {
    const deployed = await store.deployed(options.name);
    if (deployed) current = deployed;
    else if (last.info.status !== 'failed' && last.info.status !== 'superseded') throw new ReleaseActionError(`"${options.name}" has no deployed releases`);
  }
  const { chart, values } = reuseValues(ctx, options.chart, current, options);
  const revision = last.version + 1;
  const rendered = await renderForRelease(ctx, chart, values, { ...options, namespace: current.namespace, revision, isUpgrade: true });
  const labels = mergeLabels(last.labels, options.labels);
  const upgraded: Release = {
    name: options.name,
    namespace: current.namespace,
    version: revision,
    info: {
      first_deployed: current.info.first_deployed,
      last_deployed: stamp(ctx.now),
      deleted: '',
      status: 'pending-upgrade',
      description: 'Preparing upgrade',
      ...(rendered.notes ? { notes: rendered.notes } : {}),
    },
    chart: storedChart(chart, values),
    config: values,
    manifest: rendered.manifest,
    hooks: rendered.hooks,
    ...(labels ? { labels } : {}),
  };
  const currentObjs = await currentResources(ctx, current);
  const targetObjs = await targetResources(ctx, upgraded.manifest, upgraded.namespace);
  await checkConflicts(ctx, targetObjs, new Set(currentObjs.map((r) => refKey(r.ref))), {
    release: upgraded.name,
    namespace: upgraded.namespace,
    verb: 'update',
    takeOwnership: options.takeOwnership,
  });
  if (options.dryRun !== 'none') upgraded.info.description = options.description || 'Dry run complete';
  return { current, upgraded, currentObjs, targetObjs };
}

/**
 * helm's reuseValues: --reset-values takes the new values alone; --reuse-values merges them
 * over the current release's values and makes the current release's computed values the
 * chart's defaults; --reset-then-reuse-values merges over the current values with the new
 * chart's defaults; with none of these and no new values, the current values are kept.
 */
export function reuseValues(
  ctx: Pick<ResolvedContext, 'log'>,
  chart: Chart,
  current: Pick<Release, 'name' | 'version' | 'config' | 'chart'>,
  options: Pick<UpgradeOptions, 'values' | 'resetValues' | 'reuseValues' | 'resetThenReuseValues'>,
): { chart: Chart; values: GoMap } {
  const config = (current.config ?? {}) as GoMap;
  // chartutil.CoalesceTables(new, old) is what coalescing `old` as the defaults of a
  // chart without subcharts does: new wins, maps merge, a null in new deletes the key.
  const coalesceTables = (dst: GoMap, src: GoMap): GoMap =>
    coalesceValues({ ...chart, values: structuredClone(src), dependencies: [], metadata: { ...chart.metadata, dependencies: [] } }, dst);
  if (options.resetValues) return { chart, values: options.values };
  if (options.reuseValues) {
    ctx.log("reusing the old release's values");
    const oldChart = chartFromJson(current.chart);
    const oldValues = coalesceValues(oldChart, structuredClone(config));
    return { chart: { ...chart, values: oldValues }, values: coalesceTables(options.values, config) };
  }
  if (options.resetThenReuseValues) {
    ctx.log('merging values from old release to new values');
    return { chart, values: coalesceTables(options.values, config) };
  }
  if (Object.keys(options.values).length === 0 && Object.keys(config).length > 0) {
    ctx.log(`copying values from ${current.name} (v${current.version}) to new release.`);
    return { chart, values: config };
  }
  return { chart, values: options.values };
}

/** helm's mergeCustomLabels: new over old, a value "null" removes the label. */
function mergeLabels(old: Record<string, string> | undefined, add: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!old && !add) return undefined;
  const out: Record<string, string> = { ...old, ...add };
  for (const [k, v] of Object.entries(out)) if (v === 'null') delete out[k];
  return out;
}

/** helm's releasingUpgrade. */
async function releasingUpgrade(
  ctx: ResolvedContext,
  store: ReleaseStore,
  current: Release,
  upgraded: Release,
  currentObjs: ReleaseResource[],
  targetObjs: ReleaseResource[],
  options: UpgradeOptions,
  signal: AbortSignal,
): Promise<void> {
  const record = (r: Release) => retryTransient(() => store.update(r)).catch((e: Error) => ctx.log(`warning: Failed to update release ${r.name}: ${e.message}`));
  const hookCtx = { client: ctx.client, namespace: upgraded.namespace, timeoutMs: options.timeoutMs, record: () => record(upgraded), now: ctx.now, onLog: ctx.onHookLog, log: ctx.log, signal };
  if (!options.disableHooks) {
    try {
      await execHooks(upgraded, 'pre-upgrade', hookCtx);
    } catch (e) {
      throw prefixed('pre-upgrade hooks failed', e);
    }
  } else ctx.log(`upgrade hooks disabled for ${upgraded.name}`);
  let result: UpdateResult;
  try {
    result = await updateResources(ctx.client, currentObjs, targetObjs, { release: upgraded.name, namespace: upgraded.namespace, signal, log: ctx.log });
  } catch (e) {
    throw Object.assign(e as object, { created: (e as { result?: UpdateResult }).result?.created ?? [] });
  }
  if (options.wait || options.atomic) {
    ctx.log(`waiting for release ${upgraded.name} resources (created: ${result.created.length} updated: ${result.updated.length}  deleted: ${result.deleted.length})`);
    try {
      await waitReady(ctx.client, targetObjs.map((r) => r.ref), { timeoutMs: options.timeoutMs, waitForJobs: options.waitForJobs, signal });
    } catch (e) {
      throw Object.assign(e as object, { created: result.created });
    }
  }
  if (!options.disableHooks) {
    try {
      await execHooks(upgraded, 'post-upgrade', hookCtx);
    } catch (e) {
      throw Object.assign(prefixed('post-upgrade hooks failed', e) as object, { created: result.created });
    }
  }
  current.info.status = 'superseded';
  await record(current);
  upgraded.info.status = 'deployed';
  upgraded.info.description = options.description || 'Upgrade complete';
}

/** helm's Upgrade.failRelease. */
async function failUpgrade(ctx: ResolvedContext, store: ReleaseStore, rel: Release, options: UpgradeOptions, err: SlipwayError, signal: AbortSignal): Promise<SlipwayError> {
  const msg = `Upgrade "${rel.name}" failed: ${oneLine(err)}`;
  ctx.log(`warning: ${msg}`);
  setStatus(rel, 'failed', msg);
  await retryTransient(() => store.update(rel)).catch((e: Error) => ctx.log(`warning: Failed to update release ${rel.name}: ${e.message}`));
  if (signal.aborted) {
    // the lease was lost to another operation: undoing anything now would fight it
    return wrap('the release lock was lost to another operation; stopped without cleanup or rollback', err);
  }
  const created = (err as { created?: UpdateResult['created'] }).created ?? [];
  if (options.cleanupOnFail && created.length > 0) {
    ctx.log(`Cleanup on fail set, cleaning up ${created.length} resources`);
    const { errors } = await deleteResources(ctx.client, created, { signal });
    if (errors.length > 0) {
      return wrap(
        `an error occurred while cleaning up resources. original upgrade error: ${oneLine(err)}`,
        new ReleaseActionError(`unable to cleanup resources: ${errors.map((e) => e.message).join(', ')}`),
      );
    }
  }
  if (!options.atomic) return err;
  ctx.log('Upgrade failed and atomic is set, rolling back to last successful release');
  const target = newest(await store.history(rel.name), ['superseded', 'deployed']);
  if (!target) return wrap('unable to find a previously successful release when attempting to rollback. original upgrade error', err);
  try {
    await rollbackLocked(ctx, store, {
      name: rel.name,
      namespace: rel.namespace,
      version: target.version,
      wait: true,
      waitForJobs: options.waitForJobs,
      disableHooks: options.disableHooks,
      timeoutMs: options.timeoutMs,
      historyMax: options.historyMax,
    }, signal);
  } catch (e) {
    return wrap(`an error occurred while rolling back the release. original upgrade error: ${oneLine(err)}`, e);
  }
  return wrap(`release ${rel.name} failed, and has been rolled back due to atomic being set`, err);
}

function prefixed(prefix: string, e: unknown): unknown {
  return e instanceof SlipwayError ? wrap(prefix, e) : e;
}
