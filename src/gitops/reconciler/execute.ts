import {
  ApiError,
  SlipwayError,
  TimeoutError,
  formatError,
  formatKubectlRef,
  isNotFound,
  isPruneProtected,
  type KubeObject,
  type Manifest,
} from '../../core/index.js';
import {
  DegradedError,
  applyManifests,
  deleteObject,
  getObject,
  resourcePath,
  serverSideApply,
  waitForHealthy,
  type Change,
  type KubeClient,
  type ObjectRef,
} from '../../kube/index.js';
import type { AppSpec, ResourceResult } from './deps.js';
import type { SyncPlan, SyncStep, SyncTask } from './plan.js';
import { hasOption } from './hooks.js';
import { FLUX_PRUNE, ownership } from './owners.js';
import type { ResolvedObject } from './compare.js';

/** Reason words of sync results (STYLE §5); also the Events' reasons. */
export type SyncReason =
  | 'ReconciliationSucceeded'
  | 'ArtifactFailed'
  | 'BuildFailed'
  | 'ApplyFailed'
  | 'PruneFailed'
  | 'HealthCheckFailed'
  | 'HookFailed'
  /** A Kyverno Enforce policy refused objects of the sync: nothing was applied. */
  | 'PolicyViolation';

/** What running a plan did. */
export interface ExecuteResult {
  ok: boolean;
  /** The failure's reason word; 'ReconciliationSucceeded' when ok. */
  reason: SyncReason;
  message: string;
  /** Per object, in Argo CD's words. */
  results: ResourceResult[];
  /** Non-hook objects applied (or left unchanged): the app now owns them. */
  applied: ObjectRef[];
  /** Objects a prune failed to delete: they stay in the inventory for the next run. */
  pruneFailed: ObjectRef[];
}

/** What the executor needs. */
export interface ExecuteContext {
  client: KubeClient;
  app: AppSpec;
  fieldManager: string;
  dryRun: boolean;
  /** Longest wait for a wave's health or a hook's completion. */
  timeoutMs: number;
  /** Resolved objects by key string, for their origin (errors name file and line). */
  origins: Map<string, ResolvedObject>;
  log: (message: string) => void;
  signal?: AbortSignal;
  /**
   * Dry run: namespaces the sync would create (CreateNamespace, or a Namespace it applies).
   * The server cannot dry-run objects into a namespace that does not exist yet; those are
   * reported as created without the server's check rather than failing the dry run.
   */
  pendingNamespaces?: Set<string>;
}

class StepFailure extends Error {
  constructor(
    readonly reason: SyncReason,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Runs an Argo CD plan (gitops-engine sync_context.go Sync): creates the destination
 * namespace when asked, then phase by phase and wave by wave prunes, deletes hooks that ask
 * for BeforeHookCreation, applies, and waits — for hooks to complete, and for the wave's
 * resources to be healthy before the next wave (or PostSync) starts. The first failure stops
 * the sync and runs the SyncFail hooks. A dry run applies with dryRun=All, runs no hooks and
 * waits for nothing.
 */
export async function executeArgo(ctx: ExecuteContext, plan: SyncPlan, createNamespace?: KubeObject): Promise<ExecuteResult> {
  const out = newResult();
  const steps = plan.steps.filter((s) => s.phase !== 'SyncFail');
  try {
    if (createNamespace) await ensureNamespace(ctx, createNamespace, out);
    for (let i = 0; i < steps.length; i++) {
      await runStep(ctx, steps[i]!, i < steps.length - 1, out);
    }
  } catch (e) {
    const failure = asFailure(e);
    out.ok = false;
    out.reason = failure.reason;
    out.message = failure.message;
    for (const step of plan.steps.filter((s) => s.phase === 'SyncFail')) {
      try {
        await runStep(ctx, step, false, out);
      } catch (e2) {
        out.message += `; SyncFail hook failed: ${asFailure(e2).message}`;
      }
    }
    return out;
  }
  for (const s of plan.skipped) out.results.push(result(s.key, 'PruneSkipped', s.message));
  out.message = summaryMessage(out, ctx.dryRun);
  return out;
}

/**
 * Runs a Flux plan (kustomize-controller reconcile): one staged apply of everything, then
 * prune (only when the apply succeeded), then the health checks: every applied object when
 * `wait` is set, else the listed `healthChecks`, within the timeout.
 */
export async function executeFlux(ctx: ExecuteContext, plan: SyncPlan, healthChecks: ObjectRef[]): Promise<ExecuteResult> {
  const out = newResult();
  try {
    const applyTasks = plan.steps.flatMap((s) => s.tasks.filter((t) => t.action === 'apply'));
    await applyTasksOf(ctx, applyTasks, out);
    const pruneTasks = plan.steps.flatMap((s) => s.tasks.filter((t) => t.action === 'prune'));
    await pruneTasksOf(ctx, pruneTasks, out);
    if (out.pruneFailed.length > 0) throw new StepFailure('PruneFailed', `prune failed for ${out.pruneFailed.length} object(s)`);
    const refs = ctx.app.wait ? applyTasks.map((t) => refOfTask(t)) : healthChecks;
    if (!ctx.dryRun && refs.length > 0) await waitHealthy(ctx, refs);
  } catch (e) {
    const failure = asFailure(e);
    return { ...out, ok: false, reason: failure.reason, message: failure.message };
  }
  for (const s of plan.skipped) out.results.push(result(s.key, 'PruneSkipped', s.message));
  out.message = summaryMessage(out, ctx.dryRun);
  return out;
}

function newResult(): ExecuteResult {
  return { ok: true, reason: 'ReconciliationSucceeded', message: '', results: [], applied: [], pruneFailed: [] };
}

function asFailure(e: unknown): StepFailure {
  if (e instanceof StepFailure) return e;
  if (e instanceof SlipwayError) return new StepFailure('ApplyFailed', formatError(e));
  throw e;
}

async function ensureNamespace(ctx: ExecuteContext, ns: KubeObject, out: ExecuteResult): Promise<void> {
  const ref: ObjectRef = { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns.metadata.name ?? '' };
  const live = await getObject(ctx.client, ref, ctx.signal);
  if (live) return;
  if (ctx.dryRun) (ctx.pendingNamespaces ??= new Set()).add(ref.name);
  try {
    await serverSideApply(ctx.client, ns, { fieldManager: ctx.fieldManager, force: true, dryRun: ctx.dryRun, signal: ctx.signal });
    out.results.push(result(ref, 'Synced', `namespace/${ref.name} created`, { syncPhase: 'PreSync' }));
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    out.results.push(result(ref, 'SyncFailed', formatError(e), { syncPhase: 'PreSync' }));
    throw new StepFailure('ApplyFailed', `namespace auto creation failed: ${formatError(e)}`);
  }
}

async function runStep(ctx: ExecuteContext, step: SyncStep, waitAfter: boolean, out: ExecuteResult): Promise<void> {
  ctx.log(`${step.phase} wave ${step.wave}: ${step.tasks.length} task(s)`);
  const prunes = step.tasks.filter((t) => t.action === 'prune');
  await pruneTasksOf(ctx, prunes, out);
  if (out.pruneFailed.length > 0) throw new StepFailure('PruneFailed', `prune failed: ${out.results.filter((r) => r.status === 'SyncFailed').map((r) => r.message).join('; ')}`);

  // Hooks: a named hook that exists is created once (gitops-engine doc.go) unless it asks
  // for BeforeHookCreation, in which case the old one goes first.
  const hooks: SyncTask[] = [];
  for (const t of step.tasks.filter((t) => t.action === 'hook')) {
    if (ctx.dryRun) continue;
    const live = await getObject(ctx.client, refOfTask(t), ctx.signal);
    if (live && !t.deletePolicies?.includes('BeforeHookCreation')) {
      out.results.push(result(t.key, 'Synced', 'hook exists', { hookType: t.phase, hookPhase: 'Succeeded', syncPhase: t.phase }, refOfTask(t).version));
      continue;
    }
    if (live) await deleteAndWait(ctx, refOfTask(t));
    hooks.push(t);
  }
  const applies = step.tasks.filter((t) => t.action === 'apply');
  await applyTasksOf(ctx, [...applies, ...hooks], out);
  if (ctx.dryRun) return;

  const waits: Promise<void>[] = [];
  if (hooks.length > 0) waits.push(runHooks(ctx, hooks, out));
  if (waitAfter && applies.length > 0) waits.push(waitHealthy(ctx, applies.map(refOfTask)));
  const settled = await Promise.allSettled(waits);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) throw failed.reason;
}

function refOfTask(t: SyncTask): ObjectRef {
  const slash = t.object.apiVersion.indexOf('/');
  return { ...t.key, version: slash < 0 ? t.object.apiVersion : t.object.apiVersion.slice(slash + 1) };
}

async function applyTasksOf(ctx: ExecuteContext, tasks: readonly SyncTask[], out: ExecuteResult): Promise<void> {
  if (tasks.length === 0) return;
  const manifests: Manifest[] = tasks.map((t) => ({ key: t.key, object: t.object, origin: ctx.origins.get(keyId(t.key))?.manifest.origin ?? { source: 'git' } }));
  const byKey = new Map(tasks.map((t) => [keyId(t.key), t]));
  // Argo CD Replace=true (app or object): `kubectl replace`/`create` instead of an apply.
  const replaced = new Set(tasks.filter((t) => ctx.app.syncPolicy.replace || hasOption(t.object, 'Replace')).map((t) => keyId(t.key)));
  const set = await applyManifests(ctx.client, manifests.filter((m) => !replaced.has(keyId(m.key))), {
    fieldManager: ctx.fieldManager,
    force: true,
    dryRun: ctx.dryRun,
    namespace: ctx.app.destination.namespace || ctx.client.namespace,
    enforceNamespace: false,
    concurrency: 8,
    crdTimeoutMs: 60_000,
    signal: ctx.signal,
  });
  for (const t of tasks) if (replaced.has(keyId(t.key))) set.changes.push(await replaceTask(ctx, t));
  const failures: string[] = [];
  if (ctx.dryRun) {
    for (const c of set.changes) if (c.action === 'created' && c.ref.kind === 'Namespace' && c.ref.group === '') (ctx.pendingNamespaces ??= new Set()).add(c.ref.name);
  }
  for (let change of set.changes) {
    const task = byKey.get(keyId(change.ref));
    if (change.action === 'failed' && ctx.dryRun && inPendingNamespace(ctx, change)) {
      out.applied.push(change.ref);
      out.results.push(result(change.ref, 'Synced', `${formatKubectlRef(change.ref)} created (dry run; namespace ${change.ref.namespace} does not exist yet, not checked by the server)`, { syncPhase: task?.phase ?? 'Sync' }, change.ref.version));
      continue;
    }
    if (change.action === 'failed' && ctx.app.syncPolicy.force && isImmutableError(change.error) && task) change = await recreate(ctx, task, change);
    const hookInfo = task?.action === 'hook' ? { hookType: task.phase, hookPhase: 'Running' as const, syncPhase: task.phase } : { syncPhase: task?.phase ?? 'Sync' };
    if (change.action === 'failed') {
      const message = change.error ? formatError(change.error) : 'failed';
      failures.push(message);
      out.results.push(result(change.ref, 'SyncFailed', message, hookInfo, change.ref.version));
      continue;
    }
    const what = `${formatKubectlRef(change.ref)} ${change.action}${ctx.dryRun ? ' (dry run)' : ''}`;
    if (task?.action !== 'hook') {
      out.applied.push(change.ref);
      out.results.push(result(change.ref, 'Synced', what, hookInfo, change.ref.version));
    }
  }
  if (failures.length > 0) throw new StepFailure('ApplyFailed', failures.join('\n'));
}

/** `kubectl replace` (PUT of the whole object at the live resourceVersion), or `kubectl create` when it does not exist. */
async function replaceTask(ctx: ExecuteContext, t: SyncTask): Promise<Change> {
  const ref = refOfTask(t);
  const query = { fieldManager: ctx.fieldManager, ...(ctx.dryRun ? { dryRun: 'All' } : {}) };
  try {
    const res = await ctx.client.discovery.resolve(t.object.apiVersion, t.object.kind);
    const live = await getObject(ctx.client, ref, ctx.signal);
    if (!live) {
      const object = await ctx.client.request<KubeObject>('POST', resourcePath(res, ref.namespace, undefined), { key: ref, body: t.object, query, signal: ctx.signal });
      return { ref, action: 'created', object };
    }
    const body = { ...t.object, metadata: { ...t.object.metadata, resourceVersion: live.metadata.resourceVersion } };
    const object = await ctx.client.request<KubeObject>('PUT', resourcePath(res, ref.namespace, ref.name), { key: ref, body, query, signal: ctx.signal });
    return { ref, action: 'configured', object, before: live, note: 'replaced' };
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    return { ref, action: 'failed', error: e };
  }
}

function inPendingNamespace(ctx: ExecuteContext, change: Change): boolean {
  const ns = change.ref.namespace;
  return !!ns && !!ctx.pendingNamespaces?.has(ns) && isNotFound(change.error) && (change.error?.message ?? '').includes(`namespaces "${ns}" not found`);
}

function isImmutableError(e: SlipwayError | undefined): boolean {
  return e instanceof ApiError && e.status === 422 && /immutable/i.test(e.message);
}

/** Argo `Force=true` / Flux `force`: an object whose update hits an immutable field is deleted and created again. */
async function recreate(ctx: ExecuteContext, task: SyncTask, change: Change): Promise<Change> {
  const ref = refOfTask(task);
  try {
    await deleteAndWait(ctx, ref);
    const object = await serverSideApply(ctx.client, task.object, { fieldManager: ctx.fieldManager, force: true, signal: ctx.signal });
    return { ref, action: 'created', object, note: 'recreated' };
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    return { ...change, error: e };
  }
}

async function pruneTasksOf(ctx: ExecuteContext, tasks: readonly SyncTask[], out: ExecuteResult): Promise<void> {
  const policy = ctx.app.syncPolicy.prunePropagationPolicy;
  const propagationPolicy = policy === 'background' ? 'Background' : policy === 'orphan' ? 'Orphan' : 'Foreground';
  for (const t of tasks) {
    const ref = refOfTask(t);
    const live = t.object;
    const owner = ownership(live, ctx.app);
    if (owner !== 'mine') {
      out.results.push(result(ref, 'PruneSkipped', owner === 'other' ? 'ignored (owned by another app)' : 'ignored (not tracked to this app)', {}, ref.version));
      continue;
    }
    if (isPruneProtected(live) || live.metadata.labels?.[FLUX_PRUNE] === 'disabled' || live.metadata.annotations?.[FLUX_PRUNE] === 'disabled') {
      out.results.push(result(ref, 'PruneSkipped', 'ignored (no prune)', {}, ref.version));
      continue;
    }
    try {
      // An object already being deleted is not deleted again (no update hot loop, as in gitops-engine).
      if (!live.metadata.deletionTimestamp) await deleteObject(ctx.client, ref, { propagationPolicy, dryRun: ctx.dryRun, signal: ctx.signal });
      out.results.push(result(ref, 'Pruned', ctx.dryRun ? 'pruned (dry run)' : 'pruned', {}, ref.version));
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      out.pruneFailed.push(ref);
      out.results.push(result(ref, 'SyncFailed', `${formatKubectlRef(ref)} prune failed: ${formatError(e)}`, {}, ref.version));
    }
  }
}

async function deleteAndWait(ctx: ExecuteContext, ref: ObjectRef): Promise<void> {
  await deleteObject(ctx.client, ref, { propagationPolicy: 'Background', signal: ctx.signal });
  const deadline = Date.now() + 60_000;
  while (await getObject(ctx.client, ref, ctx.signal)) {
    if (Date.now() > deadline) throw new StepFailure('ApplyFailed', `${formatKubectlRef(ref)} was not deleted within 60s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Waits for hooks to complete, then applies their delete policies. */
async function runHooks(ctx: ExecuteContext, hooks: readonly SyncTask[], out: ExecuteResult): Promise<void> {
  const failures: string[] = [];
  await Promise.all(
    hooks.map(async (t) => {
      const ref = refOfTask(t);
      let ok = true;
      let message = `${formatKubectlRef(ref)} completed`;
      try {
        await waitForHealthy(ctx.client, [ref], { timeoutMs: ctx.timeoutMs, signal: ctx.signal, intervalMs: 500 });
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        ok = false;
        message = `${formatKubectlRef(ref)} failed: ${e instanceof DegradedError ? e.states.map((s) => s.health.message).join('; ') : e.message}`;
        failures.push(message);
      }
      out.results.push(result(ref, ok ? 'Synced' : 'SyncFailed', message, { hookType: t.phase, hookPhase: ok ? 'Succeeded' : 'Failed', syncPhase: t.phase }, ref.version));
      const policies = t.deletePolicies ?? [];
      if ((ok && policies.includes('HookSucceeded')) || (!ok && policies.includes('HookFailed'))) {
        try {
          await deleteObject(ctx.client, ref, { propagationPolicy: 'Background', signal: ctx.signal });
        } catch (e) {
          if (!(e instanceof SlipwayError)) throw e;
          ctx.log(`could not delete hook ${formatKubectlRef(ref)}: ${e.message}`);
        }
      }
    }),
  );
  if (failures.length > 0) throw new StepFailure('HookFailed', failures.join('\n'));
}

async function waitHealthy(ctx: ExecuteContext, refs: readonly ObjectRef[]): Promise<void> {
  try {
    await waitForHealthy(ctx.client, refs, { timeoutMs: ctx.timeoutMs, signal: ctx.signal, intervalMs: 500 });
  } catch (e) {
    if (e instanceof DegradedError || e instanceof TimeoutError) throw new StepFailure('HealthCheckFailed', e.message);
    throw e;
  }
}

function result(
  key: { group: string; kind: string; namespace: string; name: string },
  status: ResourceResult['status'],
  message: string,
  extra: Partial<Pick<ResourceResult, 'hookType' | 'hookPhase' | 'syncPhase'>> = {},
  version = '',
): ResourceResult {
  return { group: key.group, version, kind: key.kind, namespace: key.namespace, name: key.name, status, message, ...extra };
}

function summaryMessage(out: ExecuteResult, dryRun: boolean): string {
  const count = (s: ResourceResult['status']) => out.results.filter((r) => r.status === s).length;
  const parts = [`${count('Synced')} synced`];
  if (count('Pruned')) parts.push(`${count('Pruned')} pruned`);
  if (count('PruneSkipped')) parts.push(`${count('PruneSkipped')} prune skipped`);
  return `successfully synced (${parts.join(', ')})${dryRun ? ' (dry run)' : ''}`;
}

function keyId(k: { group: string; kind: string; namespace: string; name: string }): string {
  return `${k.group}|${k.kind}|${k.namespace}|${k.name}`;
}
