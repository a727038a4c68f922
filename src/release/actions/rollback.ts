import { SlipwayError } from '../../core/index.js';
import type { Release, ReleaseStore } from '../storage/index.js';
import { resolveContext, withReleaseLock, type ActionContext, type ResolvedContext } from './context.js';
import { currentResources, targetResources } from './deploy.js';
import { ReleaseActionError } from './errors.js';
import { execHooks } from './hooks.js';
import { retryTransient } from './internal/async.js';
import { checkReleaseName, oneLine, setStatus, stamp, wrap } from './internal/shared.js';
import type { RollbackOptions } from './options.js';
import { deleteResources, updateResources, waitReady } from './resources.js';

/**
 * `helm rollback` (pkg/action/rollback.go): a new revision (newest + 1) with the manifest,
 * values, chart and hooks of the target revision (default: the one before the newest),
 * described "Rollback to N"; pre-rollback hooks, apply (objects the target does not have are
 * deleted), --wait, post-rollback hooks; then every deployed revision is superseded and the
 * new one deployed. Like helm it does not refuse a pending newest revision: rollback is how
 * a release stuck in pending-* is recovered.
 */
export async function rollback(context: ActionContext, options: Partial<RollbackOptions> & Pick<RollbackOptions, 'name' | 'namespace'>): Promise<Release> {
  const ctx = resolveContext(context);
  checkReleaseName(options.name, () => `prepareRollback: Release name is invalid: ${options.name}`);
  const store = ctx.store(options.namespace);
  if (options.dryRun) return (await prepareRollback(ctx, store, options)).target;
  if (!(await store.last(options.name))) throw new ReleaseActionError('release: not found');
  return withReleaseLock(ctx, store, options.name, (signal) => rollbackLocked(ctx, store, options, signal));
}

/** The rollback itself, for a caller that holds the lease (upgrade --atomic does). */
export async function rollbackLocked(
  ctx: ResolvedContext,
  store: ReleaseStore,
  options: Partial<RollbackOptions> & Pick<RollbackOptions, 'name' | 'namespace'>,
  signal?: AbortSignal,
): Promise<Release> {
  const { current, target } = await prepareRollback(ctx, store, options);
  await retryTransient(() => store.create(target, { maxHistory: options.historyMax ?? 10 }));
  await performRollback(ctx, store, current, target, options, signal);
  await retryTransient(() => store.update(target));
  return target;
}

async function prepareRollback(
  ctx: ResolvedContext,
  store: ReleaseStore,
  options: Partial<RollbackOptions> & Pick<RollbackOptions, 'name' | 'namespace'>,
): Promise<{ current: Release; target: Release }> {
  const version = options.version ?? 0;
  if (version < 0) throw new ReleaseActionError('invalid release revision');
  const current = await store.last(options.name);
  if (!current) throw new ReleaseActionError('release: not found');
  const previousVersion = version === 0 ? current.version - 1 : version;
  const history = await store.history(options.name);
  if (!history.some((r) => r.version === previousVersion)) throw new ReleaseActionError(`release has no ${previousVersion} version`);
  ctx.log(`rolling back ${options.name} (current: v${current.version}, target: v${previousVersion})`);
  const previous = (await store.get(options.name, previousVersion))!;
  const target: Release = {
    name: options.name,
    namespace: current.namespace,
    version: current.version + 1,
    info: {
      first_deployed: current.info.first_deployed,
      last_deployed: stamp(ctx.now),
      deleted: '',
      status: 'pending-rollback',
      ...(previous.info.notes ? { notes: previous.info.notes } : {}),
      description: `Rollback to ${previousVersion}`,
    },
    chart: previous.chart,
    config: previous.config,
    manifest: previous.manifest,
    hooks: structuredClone(previous.hooks ?? []),
    ...(previous.labels ? { labels: { ...previous.labels } } : {}),
  };
  return { current, target };
}

/** helm's performRollback. */
async function performRollback(
  ctx: ResolvedContext,
  store: ReleaseStore,
  current: Release,
  target: Release,
  options: Partial<RollbackOptions> & Pick<RollbackOptions, 'name' | 'namespace'>,
  signal?: AbortSignal,
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const record = (r: Release) => retryTransient(() => store.update(r)).catch((e: Error) => ctx.log(`warning: Failed to update release ${r.name}: ${e.message}`));
  const currentObjs = await currentResources(ctx, current);
  const targetObjs = await targetResources(ctx, target.manifest, target.namespace);
  const hookCtx = { client: ctx.client, namespace: target.namespace, timeoutMs, record: () => record(target), now: ctx.now, onLog: ctx.onHookLog, log: ctx.log, signal };
  if (!options.disableHooks) await execHooks(target, 'pre-rollback', hookCtx);
  try {
    await updateResources(ctx.client, currentObjs, targetObjs, { release: target.name, namespace: target.namespace, signal, log: ctx.log });
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    const msg = `Rollback "${target.name}" failed: ${oneLine(e)}`;
    ctx.log(`warning: ${msg}`);
    current.info.status = 'superseded';
    setStatus(target, 'failed', msg);
    await record(current);
    await record(target);
    const created = (e as { result?: { created?: typeof currentObjs[number]['ref'][] } }).result?.created ?? [];
    if (options.cleanupOnFail && created.length > 0) {
      const { errors } = await deleteResources(ctx.client, created, { signal });
      if (errors.length > 0) {
        throw wrap(`an error occurred while cleaning up resources. original rollback error: ${oneLine(e)}`, new ReleaseActionError(`unable to cleanup resources: ${errors.map((x) => x.message).join(', ')}`));
      }
    }
    throw e;
  }
  if (options.wait) {
    try {
      await waitReady(ctx.client, targetObjs.map((r) => r.ref), { timeoutMs, waitForJobs: options.waitForJobs, signal });
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      setStatus(target, 'failed', `Release "${target.name}" failed: ${oneLine(e)}`);
      await record(current);
      await record(target);
      throw wrap(`release ${target.name} failed`, e);
    }
  }
  if (!options.disableHooks) await execHooks(target, 'post-rollback', hookCtx);
  for (const r of await store.history(current.name)) {
    if (r.info.status !== 'deployed' || r.version === target.version) continue;
    ctx.log(`superseding previous deployment ${r.version}`);
    r.info.status = 'superseded';
    await record(r);
  }
  target.info.status = 'deployed';
}
