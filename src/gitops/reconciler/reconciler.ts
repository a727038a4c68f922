import {
  SlipwayError,
  formatError,
  formatKey,
  keyString,
  splitApiVersion,
  type KubeObject,
  type Manifest,
  type ResourceKey,
} from '../../core/index.js';
import { diffName, diffObjects } from '../../engines/diff/index.js';
import {
  EventRecorder,
  getObject,
  mergePatch,
  patchStatus,
  stableJson,
  unionRefs,
  type CacheEvent,
  type EventInput,
  type KubeClient,
  type ObjectRef,
  type WatchCache,
} from '../../kube/index.js';
import {
  ComparisonMemo,
  combineErrors,
  compareApp,
  resolveObjects,
  summarize,
  type ComparedResource,
  type ResolvedObject,
} from './compare.js';
import {
  commitOf,
  defaultRender,
  statusPatch,
  type AppSource,
  type AppSpec,
  type AppStatus,
  type HistoryEntry,
  type OperationStatus,
  type RenderFunction,
  type RenderKind,
  type ResourceResult,
  type ResourceStatus,
  type RetryPolicy,
  type SourceFetcher,
} from './deps.js';
import { executeArgo, executeFlux, type ExecuteContext, type ExecuteResult, type SyncReason } from './execute.js';
import { syncWave } from './hooks.js';
import { matchingRules, withLiveIgnoredFields } from './ignore-differences.js';
import { ARGO_TRACKING_ID, FLUX_NAME_LABEL, FLUX_NAMESPACE_LABEL, OwnerIndex, SLIPWAY_APP, appId, ownership } from './owners.js';
import { planSync, type PlanResource } from './plan.js';
import { ClusterPolicies, auditMessage, checkSyncPolicies, namespaceLabelReader, resultKey, violationMessage, type SyncPolicyCheck } from './policies.js';
import { AppStateStore } from './state.js';

/** What an {@link AppReconciler} works with; pass clients in, once (STYLE §8). */
export interface ReconcileContext {
  client: KubeClient;
  /** The shared watch cache: live objects come from here, never from per-app lists. */
  cache: WatchCache;
  /** sources' GitSourceCache (or anything with its fetch). */
  sources: SourceFetcher;
  clock: () => Date;
  log?: (message: string) => void;
  /** Write Kubernetes Events about sync results on the app object. @default true */
  events?: boolean;
  /** Server-side apply field manager. @default 'slipway' */
  fieldManager?: string;
  /** Renders a checkout. @default sources' renderSource */
  render?: RenderFunction;
  /** Longest wait for a wave's health, a hook, or Flux health checks, when the app sets no timeout. @default 300000 */
  defaultTimeoutMs?: number;
  /** Write status to the app object (status subresource, else the object). @default true */
  writeStatus?: boolean;
  /**
   * Check each sync against the cluster's Kyverno policies (kyverno.io ClusterPolicy/Policy,
   * through the watch cache): an Enforce failure applies nothing. @default true
   */
  policies?: boolean;
}

/** Options of {@link AppReconciler.sync}. */
export interface SyncOptions {
  /** Sync this revision (branch, tag or SHA) instead of the app's. */
  revision?: string;
  /** Prune objects that left Git; @default the app's syncPolicy.prune */
  prune?: boolean;
  /** Ask the server, change nothing: no hooks, no waits, no inventory, history or status writes. @default false */
  dryRun?: boolean;
  /** Retry policy; @default the app's syncPolicy.retry; null for none. */
  retry?: RetryPolicy | null;
  /** Who asked, as Argo CD records it. */
  initiatedBy?: { username?: string; automated?: boolean };
}

/** One object's diff between the cluster and Git. */
export interface ObjectDiff {
  key: ResourceKey;
  /** A unified diff, `diff -u -N live/<name> merged/<name>` as kubectl diff prints it. */
  text: string;
}

/** Thrown when a sync or rollback cannot start (no such history entry, automation refuses to prune everything). */
export class ReconcileError extends SlipwayError {
  readonly code = 'SLW620' as const;
}

class SourceFailure extends Error {
  constructor(
    readonly reason: SyncReason,
    message: string,
  ) {
    super(message);
  }
}

/** The result of fetching, rendering and comparing an app once. */
interface Comparison {
  /** As FetchedSource prints it ("main@sha1:…"). */
  revision: string;
  revisions: string[];
  commit: string;
  sourceTypes: RenderKind[];
  objects: ResolvedObject[];
  resources: ComparedResource[];
  resolveError?: SlipwayError;
}

/** What the reconciler remembers of one app between calls. */
interface AppMemory {
  loaded: boolean;
  store: AppStateStore;
  appObject?: KubeObject;
  /** The object's `.status` as last read or written: statusPatch keeps condition times from it. */
  previousStatus?: unknown;
  lastWritten?: string;
  inventory: ObjectRef[];
  history: HistoryEntry[];
  /** The last comparison of a successful render: what status shows while Git is broken. */
  lastGood?: Comparison;
  lastOperation?: OperationStatus;
  lastAppliedRevision?: string;
  lastError?: string;
  /** Audit policy failures of the last sync (Argo CD apps show them as a PolicyWarning condition). */
  policyAudit?: string;
  /** Serialises refresh, sync and rollback of one app. */
  lock: Promise<unknown>;
}

const DEFAULT_TIMEOUT_MS = 300_000;

/**
 * Reconciles apps (STYLE §4 Reconciler): each call reads the world fresh — Git through the
 * source cache, the cluster through the shared watch cache — and moves it forward one step.
 *
 * - {@link refresh}: fetch, render, compare, status (sync, health, resources). A render
 *   failure keeps the last good state and says why.
 * - {@link sync}: plan (see plan.ts) and run it — Argo CD phases, waves and hooks, or Flux's
 *   staged apply, prune and health checks — with retries, history, Events and status.
 * - {@link rollback}: sync a history entry's revision and switch automation off.
 * - {@link diff}: what a sync would change, per object.
 * - {@link ownedKeys}, {@link appsOwning}, {@link onOwnedChange}: for self-heal.
 *
 * When to call them is the controller's business: refresh and sync do what they are asked
 * whatever `automated`, `selfHeal` or Flux `suspend` say (the controller skips suspended
 * apps and syncs automated ones); only rollback changes those settings, on the app object.
 */
export class AppReconciler {
  private readonly apps = new Map<string, AppMemory>();
  private readonly owners = new OwnerIndex();
  private readonly memo = new ComparisonMemo();
  private readonly recorder?: EventRecorder;
  private readonly fieldManager: string;
  private readonly render: RenderFunction;
  private readonly subscribedKinds = new Map<string, () => void>();
  private readonly ownedHandlers = new Set<(app: string, event: CacheEvent) => void>();
  private readonly policies?: ClusterPolicies;

  constructor(private readonly ctx: ReconcileContext) {
    this.fieldManager = ctx.fieldManager ?? 'slipway';
    if (ctx.policies !== false) this.policies = new ClusterPolicies(ctx.client, ctx.cache, Date.now, (m) => this.log(m));
    this.render = ctx.render ?? defaultRender;
    if (ctx.events !== false) {
      this.recorder = new EventRecorder(ctx.client, { clock: ctx.clock, onError: (e) => this.log(`event not recorded: ${String(e)}`) });
    }
  }

  /** Fetches, renders and compares the app; writes and returns its status. */
  async refresh(app: AppSpec, signal?: AbortSignal): Promise<AppStatus> {
    return this.locked(app, async (mem) => {
      let cmp: Comparison;
      try {
        cmp = await this.compare(app, mem, undefined, signal);
      } catch (e) {
        if (!(e instanceof SourceFailure)) throw e;
        const status = this.statusOf(app, mem, mem.lastGood, { failure: e });
        if (mem.lastError !== e.message) await this.event(app, mem, { type: 'Warning', reason: e.reason, message: e.message });
        mem.lastError = e.message;
        await this.writeStatus(app, mem, status);
        return status;
      }
      mem.lastError = undefined;
      mem.lastGood = cmp;
      const status = this.statusOf(app, mem, cmp);
      await this.writeStatus(app, mem, status);
      return status;
    });
  }

  /**
   * Syncs the app to Git (or `options.revision`): one attempt, then retries with backoff as
   * the retry policy says (Argo CD: `limit` retries, negative = until `signal` aborts; delay
   * duration·factor^n up to maxDuration; without `refresh` a retry syncs the commit that
   * failed). The app is not locked while waiting between attempts.
   */
  async sync(app: AppSpec, options: SyncOptions = {}, signal?: AbortSignal): Promise<AppStatus> {
    const retry = options.retry === null ? undefined : (options.retry ?? app.syncPolicy.retry);
    let revision = options.revision;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.locked(app, (mem) => this.attemptSync(app, mem, { ...options, revision }, attempt, signal));
      if (outcome.ok || options.dryRun || !retry) return outcome.status;
      if (retry.limit >= 0 && attempt >= retry.limit) return outcome.status;
      const delay = Math.min(retry.backoff.duration * retry.backoff.factor ** attempt, retry.backoff.maxDuration);
      if (!retry.refresh && outcome.commit) revision = outcome.commit;
      this.log(`${formatKey(appKey(app))}: sync failed, retry ${attempt + 1} in ${delay}ms`);
      if (!(await sleep(delay, signal))) return outcome.status;
    }
  }

  /**
   * Syncs the revision of history entry `historyId`, as `argocd app rollback` does, after
   * switching automated sync off on the app object (Argo CD refuses a rollback while it is on,
   * and its UI turns it off first): Argo CD and Slipway apps get `spec.syncPolicy.automated`
   * removed (false for Slipway), Flux Kustomizations `spec.suspend: true` — otherwise the next
   * automated sync would undo the rollback. The current source spec is used with the old
   * revision. A successful rollback adds a history entry of its own. Argo CD apps prune only
   * with `options.prune` (their prune setting was part of `automated`); Flux and Slipway apps
   * keep their prune setting.
   */
  async rollback(app: AppSpec, historyId: number, signal?: AbortSignal, options: { prune?: boolean } = {}): Promise<AppStatus> {
    const mem = await this.memory(app);
    const entry = mem.history.find((h) => h.id === historyId);
    if (!entry) {
      const ids = mem.history.map((h) => h.id).join(', ') || 'none';
      throw new ReconcileError(`${formatKey(appKey(app))}: no history entry with id ${historyId} (ids: ${ids})`);
    }
    const patch =
      app.format === 'flux'
        ? { spec: { suspend: true } }
        : { spec: { syncPolicy: { automated: app.format === 'argocd' ? null : false } } };
    await mergePatch(this.ctx.client, appObjectRef(app), patch, { signal });
    // Argo CD's prune lives in `automated`, which is gone now: a rollback prunes only when asked
    // (`argocd app rollback --prune`), as the sync it starts has prune=false.
    const prune = options.prune ?? (app.format === 'argocd' ? false : app.syncPolicy.prune);
    const manual: AppSpec = { ...app, syncPolicy: { ...app.syncPolicy, automated: false, prune }, suspend: app.format === 'flux' ? true : app.suspend };
    return this.sync(manual, { revision: commitOf(entry.revision), retry: null, initiatedBy: { username: 'rollback' } }, signal);
  }

  /**
   * What a sync would change: a unified diff per object that is out of sync (creations from
   * nothing, deletions of objects that left Git), with ignored fields and server bookkeeping
   * left out. Hooks are not shown. Throws when the source cannot be fetched or rendered.
   */
  async diff(app: AppSpec, signal?: AbortSignal): Promise<ObjectDiff[]> {
    return this.locked(app, async (mem) => {
      let cmp: Comparison;
      try {
        cmp = await this.compare(app, mem, undefined, signal);
      } catch (e) {
        if (e instanceof SourceFailure) throw new ReconcileError(e.message);
        throw e;
      }
      const out: ObjectDiff[] = [];
      for (const r of cmp.resources) {
        if (r.hook || r.status === 'Synced') continue;
        const name = diffName(r.desired?.object ?? r.live!);
        let text: string;
        if (r.requiresPruning) text = diffObjects(r.live, undefined, name);
        else if (!r.live) text = diffObjects(undefined, r.desired!.object, name);
        else if (r.predicted && r.compared) text = diffObjects(r.compared, r.predicted, name);
        else text = diffObjects(r.live, r.desired!.object, name);
        if (text) out.push({ key: { group: r.ref.group, kind: r.ref.kind, namespace: r.ref.namespace, name: r.ref.name }, text });
      }
      return out;
    });
  }

  /** The keys of the objects an app owns (desired plus inventory), as of its last refresh or sync. */
  ownedKeys(app: Pick<AppSpec, 'ref'>): ResourceKey[] {
    return this.owners.keys(appId(app));
  }

  /** The ids ({@link appId}) of the apps owning an object. */
  appsOwning(key: ResourceKey): string[] {
    return this.owners.apps(key);
  }

  /**
   * Calls `handler(appId, event)` for each watch event on an object some app owns — what
   * self-heal reacts to. One subscription per watched kind, dispatched through the owner
   * index (no per-app work for objects no app owns). Returns the unsubscribe function.
   */
  onOwnedChange(handler: (app: string, event: CacheEvent) => void): () => void {
    this.ownedHandlers.add(handler);
    this.subscribeOwnedKinds();
    return () => this.ownedHandlers.delete(handler);
  }

  /** Forgets an app (deleted, or moved to another shard). Its objects stay. */
  forget(app: Pick<AppSpec, 'ref'>): void {
    const id = appId(app);
    this.apps.delete(id);
    this.owners.remove(id);
    this.memo.forget(`${id}|`);
  }

  // ------------------------------------------------------------------------------ internals

  private log(message: string): void {
    this.ctx.log?.(message);
  }

  private async memory(app: AppSpec): Promise<AppMemory> {
    const id = appId(app);
    let mem = this.apps.get(id);
    if (!mem) {
      mem = { loaded: false, store: new AppStateStore(this.ctx.client, app), inventory: [], history: [], lock: Promise.resolve() };
      this.apps.set(id, mem);
    }
    if (!mem.loaded) {
      mem.appObject = await getObject(this.ctx.client, appObjectRef(app));
      mem.previousStatus = mem.appObject?.status;
      mem.inventory = await mem.store.readInventory();
      mem.history = (await mem.store.readHistory()) ?? historyFromStatus(mem.appObject?.status);
      mem.loaded = true;
    }
    return mem;
  }

  private async locked<T>(app: AppSpec, fn: (mem: AppMemory) => Promise<T>): Promise<T> {
    const mem = await this.memory(app);
    const run = mem.lock.then(() => fn(mem));
    mem.lock = run.catch(() => undefined);
    return run;
  }

  /** Fetch, render, resolve and compare. Throws SourceFailure for fetch and render errors. */
  private async compare(app: AppSpec, mem: AppMemory, revision: string | undefined, signal?: AbortSignal): Promise<Comparison> {
    const sources = (app.sources.length ? app.sources : [app.source]).filter((s) => s.render !== false);
    const manifests: Manifest[] = [];
    const revisions: string[] = [];
    const sourceTypes: RenderKind[] = [];
    let commit = '';
    const substitute = await this.substitutions(app, signal);
    for (const [i, source] of sources.entries()) {
      const spec = i === 0 && revision ? withRevision(source, revision) : source;
      let fetched;
      try {
        fetched = await this.ctx.sources.fetch(spec, signal);
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        throw new SourceFailure('ArtifactFailed', `${source.url}: ${formatError(e)}`);
      }
      if (i === 0) commit = fetched.commit;
      revisions.push(fetched.revision);
      try {
        const renderSpec = renderSpecOf(app, substitute ? { ...source, postBuild: { substitute: { ...substitute, ...source.postBuild?.substitute } } } : source);
        // No FileSystem: renderSource reads checkouts through its own (symlink-aware) one.
        const out = this.render(fetched.dir, renderSpec);
        sourceTypes.push(out.kind);
        manifests.push(...out.manifests.map((m) => withCommonMetadata(m, app)));
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        throw new SourceFailure('BuildFailed', `${commitOf(fetched.revision).slice(0, 7)}: ${formatError(e)}`);
      }
    }
    const { objects, errors } = await resolveObjects(this.ctx.client, app, manifests);
    const resources = await compareApp(
      { client: this.ctx.client, cache: this.ctx.cache, memo: this.memo, fieldManager: this.fieldManager, appId: `${appId(app)}|`, signal },
      app,
      objects,
      mem.inventory,
    );
    this.index(app, objects, mem.inventory);
    return { revision: revisions[0] ?? '', revisions, commit, sourceTypes, objects, resources, resolveError: combineErrors(errors) };
  }

  /** Flux postBuild.substituteFrom: ConfigMaps and Secrets read at each reconcile (inline `substitute` wins). */
  private async substitutions(app: AppSpec, signal?: AbortSignal): Promise<Record<string, string> | undefined> {
    if (app.substituteFrom.length === 0) return undefined;
    const out: Record<string, string> = {};
    for (const ref of app.substituteFrom) {
      const obj = await getObject(this.ctx.client, { group: '', version: 'v1', kind: ref.kind, namespace: ref.namespace, name: ref.name }, signal);
      if (!obj) {
        if (ref.optional) continue;
        throw new SourceFailure('BuildFailed', `substitute from ${ref.kind} ${ref.namespace}/${ref.name}: not found`);
      }
      for (const [k, v] of Object.entries((obj.data ?? {}) as Record<string, string>)) {
        out[k] = ref.kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
      }
    }
    return out;
  }

  private index(app: AppSpec, objects: readonly ResolvedObject[], inventory: readonly ObjectRef[]): void {
    const keys: ResourceKey[] = [];
    for (const o of objects) if (!o.hook) keys.push(plainKey(o.ref));
    for (const r of inventory) keys.push(plainKey(r));
    this.owners.set(appId(app), keys);
    if (this.ownedHandlers.size > 0) this.subscribeOwnedKinds();
  }

  private subscribeOwnedKinds(): void {
    for (const kind of this.owners.kinds()) {
      if (this.subscribedKinds.has(kind)) continue;
      const slash = kind.indexOf('/');
      const unsubscribe = this.ctx.cache.subscribeKind(kind.slice(0, slash), kind.slice(slash + 1), (event) => {
        const o = event.object;
        const key = { group: splitApiVersion(o.apiVersion).group, kind: o.kind, namespace: o.metadata.namespace ?? '', name: o.metadata.name ?? '' };
        for (const id of this.owners.apps(key)) for (const h of this.ownedHandlers) h(id, event);
      });
      this.subscribedKinds.set(kind, unsubscribe);
    }
  }

  private async attemptSync(
    app: AppSpec,
    mem: AppMemory,
    options: SyncOptions,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<{ ok: boolean; status: AppStatus; commit?: string }> {
    const startedAt = this.ctx.clock().toISOString();
    const dryRun = options.dryRun ?? false;
    const prune = options.prune ?? app.syncPolicy.prune;
    const operation = (phase: OperationStatus['phase'], message: string, extra: Partial<OperationStatus> = {}): OperationStatus => ({
      phase,
      message,
      startedAt,
      prune,
      dryRun,
      retryCount: attempt || undefined,
      initiatedBy: options.initiatedBy,
      syncOptions: syncOptionsOf(app),
      ...extra,
    });
    if (!dryRun) {
      mem.lastOperation = operation('Running', attempt ? `Retrying attempt #${attempt}` : 'Sync started', { revision: options.revision });
      await this.writeStatus(app, mem, this.statusOf(app, mem, mem.lastGood));
    }

    let cmp: Comparison;
    try {
      cmp = await this.compare(app, mem, options.revision, signal);
    } catch (e) {
      if (!(e instanceof SourceFailure)) throw e;
      return this.finishFailed(app, mem, dryRun, operation('Failed', e.message, { finishedAt: this.now() }), e.reason, e.message, mem.lastGood);
    }
    if (!options.revision) mem.lastGood = cmp;
    const fail = (reason: SyncReason, message: string) =>
      this.finishFailed(app, mem, dryRun, operation('Failed', message, { finishedAt: this.now(), revision: cmp.revision }), reason, message, cmp);
    if (cmp.resolveError) return fail('ApplyFailed', formatError(cmp.resolveError));
    const desired = cmp.resources.filter((r) => r.desired && !r.hook);
    if (app.syncPolicy.failOnSharedResource) {
      // Argo CD FailOnSharedResource=true: refuse objects another app already tracks.
      const shared = desired.filter((r) => r.live && ownership(r.live, app) === 'other');
      if (shared.length > 0) {
        return fail('ApplyFailed', `Shared resource found: ${shared.map((r) => `${r.ref.kind}/${r.ref.name} is part of applications ${app.ref.name} and ${ownerName(r.live!)}`).join(', ')}`);
      }
    }
    if (options.initiatedBy?.automated && prune && !app.syncPolicy.allowEmpty && desired.length === 0 && cmp.resources.some((r) => r.requiresPruning)) {
      return fail('ApplyFailed', 'auto-sync will wipe out all resources (set allowEmpty to allow it)');
    }
    const policyCheck = await this.checkPolicies(app, mem, cmp, dryRun);
    if (policyCheck && policyCheck.blocking.length > 0) {
      // As the admission webhook would refuse them, but before anything is applied: all or nothing.
      const message = violationMessage(policyCheck);
      const resources = policyResults(policyCheck, cmp);
      return this.finishFailed(app, mem, dryRun, operation('Failed', message, { finishedAt: this.now(), revision: cmp.revision, resources }), 'PolicyViolation', message, cmp);
    }

    const plan = planSync(cmp.resources.map((r) => toPlanResource(r, app)), {
      format: app.format,
      prune,
      pruneLast: app.syncPolicy.pruneLast,
      applyOutOfSyncOnly: app.syncPolicy.applyOutOfSyncOnly,
      revision: cmp.commit,
      startedAt: new Date(startedAt),
    });
    const owned = desired.map((r) => r.ref);
    const before = mem.inventory;
    // Record everything before changing anything: a crash midway leaves each object tracked.
    if (!dryRun) await this.writeInventory(app, mem, unionRefs(before, owned));

    const ectx: ExecuteContext = {
      client: this.ctx.client,
      app,
      fieldManager: this.fieldManager,
      dryRun,
      timeoutMs: app.timeout ?? this.ctx.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS,
      origins: new Map(cmp.objects.map((o) => [keyString(o.ref), o])),
      log: (m) => this.log(`${formatKey(appKey(app))}: ${m}`),
      signal,
    };
    let result: ExecuteResult;
    if (app.format === 'flux') {
      result = await executeFlux(ectx, plan, await this.healthCheckRefs(app, cmp));
    } else {
      result = await executeArgo(ectx, plan, this.namespaceToCreate(app, cmp));
    }

    if (!dryRun) {
      // Still owned: what Git has, what a prune failed to delete, and (Argo CD: tracked until
      // pruned, shown as requiresPruning) what was not pruned. Flux's new inventory is what it
      // applied: objects it did not prune (prune off, or `prune: disabled`) are let go.
      const notPruned =
        app.format === 'flux' ? [] : cmp.resources.filter((r) => r.requiresPruning && !result.results.some((x) => x.status === 'Pruned' && sameRef(x, r.ref))).map((r) => r.ref);
      await this.writeInventory(app, mem, result.ok ? unionRefs(owned, result.pruneFailed, notPruned) : unionRefs(before, owned));
      await this.awaitCache(result, cmp);
    }
    const finishedAt = this.now();
    if (result.ok && !dryRun) {
      mem.lastAppliedRevision = cmp.revision;
      await this.addHistory(app, mem, cmp, startedAt, finishedAt, options);
    }
    const op = operation(result.ok ? 'Succeeded' : 'Failed', result.message, { finishedAt, revision: cmp.revision, resources: result.results });
    if (!result.ok) return this.finishFailed(app, mem, dryRun, op, result.reason, result.message, cmp);

    // The status after the sync: the same rendered objects compared with the cluster now.
    const after = { ...cmp, resources: await this.recompare(app, mem, cmp, signal) };
    if (!options.revision) mem.lastGood = after;
    if (dryRun) return { ok: true, status: this.statusOf(app, mem, after, { operation: op }), commit: cmp.commit };
    mem.lastOperation = op;
    const status = this.statusOf(app, mem, after);
    await this.writeStatus(app, mem, status);
    await this.event(app, mem, { type: 'Normal', reason: 'ReconciliationSucceeded', message: `Sync to ${shortRevision(cmp.revision)} succeeded: ${result.message}` });
    return { ok: true, status, commit: cmp.commit };
  }

  private async finishFailed(
    app: AppSpec,
    mem: AppMemory,
    dryRun: boolean,
    op: OperationStatus,
    reason: SyncReason,
    message: string,
    cmp: Comparison | undefined,
  ): Promise<{ ok: false; status: AppStatus; commit?: string }> {
    const failure = { reason, message };
    if (dryRun) return { ok: false, status: this.statusOf(app, mem, cmp, { failure, operation: op }), commit: cmp?.commit };
    mem.lastOperation = op;
    let current = cmp;
    if (cmp) current = { ...cmp, resources: await this.recompare(app, mem, cmp) };
    const status = this.statusOf(app, mem, current, { failure });
    await this.writeStatus(app, mem, status);
    await this.event(app, mem, { type: 'Warning', reason, message: `Sync${cmp ? ` to ${shortRevision(cmp.revision)}` : ''} failed: ${message}` });
    return { ok: false, status, commit: cmp?.commit };
  }

  /** The sync's policy check (undefined when policies are off or the cluster has none); Audit failures are reported here. */
  private async checkPolicies(app: AppSpec, mem: AppMemory, cmp: Comparison, dryRun: boolean): Promise<SyncPolicyCheck | undefined> {
    if (!this.policies) return undefined;
    const policies = await this.policies.current();
    if (policies.length === 0) {
      if (!dryRun) mem.policyAudit = undefined;
      return undefined;
    }
    const check = await checkSyncPolicies(policies, cmp.resources, namespaceLabelReader(this.ctx.client, this.ctx.cache));
    if (dryRun) return check;
    const audit = check.audit.length > 0 ? auditMessage(check) : undefined;
    if (audit && audit !== mem.policyAudit) await this.event(app, mem, { type: 'Warning', reason: 'PolicyWarning', message: audit });
    mem.policyAudit = audit;
    return check;
  }

  private async recompare(app: AppSpec, mem: AppMemory, cmp: Comparison, signal?: AbortSignal): Promise<ComparedResource[]> {
    return compareApp(
      { client: this.ctx.client, cache: this.ctx.cache, memo: this.memo, fieldManager: this.fieldManager, appId: `${appId(app)}|`, signal },
      app,
      cmp.objects,
      mem.inventory,
    );
  }

  /**
   * Waits (briefly) until the watch cache shows what the sync wrote, so the status after a sync
   * is not stale. Only the app's resources count: their kinds are watched. A namespace made by
   * CreateNamespace is not (the cache would never show it, and every such sync waited the
   * whole deadline).
   */
  private async awaitCache(result: ExecuteResult, cmp: Comparison): Promise<void> {
    const deadline = Date.now() + 5000;
    const watched = new Set(cmp.resources.filter((r) => !r.hook).map((r) => keyString(plainKey(r.ref))));
    const pending = () =>
      result.results.filter((r) => {
        const key = { group: r.group, kind: r.kind, namespace: r.namespace, name: r.name };
        if (r.hookType || !watched.has(keyString(key))) return false;
        if (r.status === 'Pruned') return this.ctx.cache.get(key) !== undefined && !this.ctx.cache.get(key)?.metadata.deletionTimestamp;
        if (r.status === 'Synced') return this.ctx.cache.get(key) === undefined;
        return false;
      });
    while (pending().length > 0 && Date.now() < deadline) await sleep(100);
    // Changed objects: give the watch a moment to deliver the new versions.
    await sleep(200);
  }

  private async writeInventory(app: AppSpec, mem: AppMemory, refs: ObjectRef[]): Promise<void> {
    await mem.store.writeInventory(refs);
    mem.inventory = refs;
    this.index(app, mem.lastGood?.objects ?? [], refs);
  }

  private async addHistory(app: AppSpec, mem: AppMemory, cmp: Comparison, startedAt: string, finishedAt: string, options: SyncOptions): Promise<void> {
    const id = mem.history.reduce((m, h) => Math.max(m, h.id), -1) + 1;
    const entry: HistoryEntry = {
      id,
      revision: cmp.revision,
      ...(cmp.revisions.length > 1 ? { revisions: cmp.revisions, sources: app.declared.sources } : {}),
      deployedAt: finishedAt,
      deployStartedAt: startedAt,
      source: app.declared.source ?? {},
      ...(options.initiatedBy ? { initiatedBy: options.initiatedBy } : {}),
    };
    // Argo CD keeps revisionHistoryLimit entries (10 by default), oldest dropped first.
    mem.history = [...mem.history, entry].slice(-Math.max(app.revisionHistoryLimit || 10, 1));
    await mem.store.writeHistory(mem.history);
  }

  private async healthCheckRefs(app: AppSpec, cmp: Comparison): Promise<ObjectRef[]> {
    const out: ObjectRef[] = [];
    for (const h of app.healthChecks) {
      let apiVersion = h.apiVersion;
      if (!apiVersion) {
        // '' = the preferred version: take the one the app's own object of that kind uses.
        const own = cmp.objects.find((o) => o.ref.kind === h.kind && o.ref.name === h.name);
        apiVersion = own?.object.apiVersion ?? 'v1';
      }
      const { group, version } = splitApiVersion(apiVersion);
      out.push({ group, version, kind: h.kind, namespace: h.namespace, name: h.name });
    }
    return out;
  }

  private namespaceToCreate(app: AppSpec, cmp: Comparison): KubeObject | undefined {
    const ns = app.destination.namespace;
    if (!app.syncPolicy.createNamespace || !ns) return undefined;
    if (cmp.objects.some((o) => o.ref.kind === 'Namespace' && o.ref.group === '' && o.ref.name === ns)) return undefined;
    const meta = app.syncPolicy.managedNamespaceMetadata;
    return {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: ns, ...(meta?.labels ? { labels: meta.labels } : {}), ...(meta?.annotations ? { annotations: meta.annotations } : {}) },
    };
  }

  private statusOf(app: AppSpec, mem: AppMemory, cmp: Comparison | undefined, extra: { failure?: { reason: SyncReason; message: string }; operation?: OperationStatus } = {}): AppStatus {
    const resources = cmp ? cmp.resources : this.inventoryResources(mem);
    const summary = summarize(resources);
    const failure = extra.failure ?? (cmp?.resolveError ? { reason: 'BuildFailed' as const, message: formatError(cmp.resolveError) } : undefined);
    const sourceFailed = failure && (failure.reason === 'ArtifactFailed' || failure.reason === 'BuildFailed') && !extra.operation && !mem.lastOperation?.finishedAt;
    const images = new Set<string>();
    for (const o of cmp?.objects ?? []) for (const i of imagesOf(o.object)) images.add(i);
    return {
      phase: extra.failure && (extra.failure.reason === 'ArtifactFailed' || extra.failure.reason === 'BuildFailed') && !extra.operation ? 'Unknown' : cmp ? summary.phase : 'Unknown',
      revision: cmp?.revision,
      ...(cmp && cmp.revisions.length > 1 ? { revisions: cmp.revisions } : {}),
      health: summary.health,
      resources: resources.filter((r) => !r.hook).map(toResourceStatus),
      history: mem.history,
      operation: extra.operation ?? mem.lastOperation,
      conditions: [
        ...(failure ? [{ type: 'Ready', status: 'False' as const, reason: failure.reason, message: failure.message, lastTransitionTime: this.now() }] : []),
        // Flux and Slipway conditions are Ready/Reconciling/Healthy only: their Audit failures are Events.
        ...(mem.policyAudit && app.format === 'argocd'
          ? [{ type: 'PolicyWarning', status: 'True' as const, reason: 'PolicyWarning', message: mem.policyAudit, lastTransitionTime: this.now() }]
          : []),
      ],
      error: failure?.message,
      lastAppliedRevision: mem.lastAppliedRevision,
      inventory: mem.inventory,
      reconciledAt: this.now(),
      ...(app.refreshRequest ? { lastHandledReconcileAt: app.refreshRequest } : {}),
      ...(cmp?.sourceTypes.length ? { sourceTypes: cmp.sourceTypes } : {}),
      ...(images.size ? { summary: { images: [...images].sort() } } : {}),
      ...(sourceFailed ? {} : {}),
    };
  }

  /** Before any good render (a restart with Git broken): the inventory's objects with their live health. */
  private inventoryResources(mem: AppMemory): ComparedResource[] {
    return mem.inventory.map((ref) => {
      const live = this.ctx.cache.get(ref);
      return { ref, live, hook: false, status: 'Synced' as const, health: live ? undefined : { status: 'Missing' as const, message: 'Resource does not exist' }, requiresPruning: false, counted: false };
    });
  }

  private async writeStatus(app: AppSpec, mem: AppMemory, status: AppStatus): Promise<void> {
    if (this.ctx.writeStatus === false) return;
    const patch = statusPatch(app, status, { previous: mem.previousStatus, now: status.reconciledAt });
    // Skip writes that would change nothing but timestamps: every write is a watch event
    // for the controller, and on CRDs without a status subresource a new generation.
    const { reconciledAt: _r, ...comparable } = patch.status;
    const text = stableJson(comparable);
    if (text === mem.lastWritten) return;
    try {
      const written = await patchStatus(this.ctx.client, appObjectRef(app), patch as unknown as Record<string, unknown>);
      mem.previousStatus = written.status;
      mem.appObject = written;
      mem.lastWritten = text;
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      this.log(`${formatKey(appKey(app))}: status not written: ${e.message}`);
    }
  }

  private async event(app: AppSpec, mem: AppMemory, e: EventInput): Promise<void> {
    if (!this.recorder) return;
    await this.recorder.record(mem.appObject ?? appObjectRef(app), e);
  }

  private now(): string {
    return this.ctx.clock().toISOString();
  }
}

// ------------------------------------------------------------------------------ helpers

function appKey(app: Pick<AppSpec, 'ref'>): ResourceKey {
  return { group: splitApiVersion(app.ref.apiVersion).group, kind: app.ref.kind, namespace: app.ref.namespace, name: app.ref.name };
}

function appObjectRef(app: Pick<AppSpec, 'ref'>): ObjectRef {
  const { group, version } = splitApiVersion(app.ref.apiVersion);
  return { group, version, kind: app.ref.kind, namespace: app.ref.namespace, name: app.ref.name };
}

function plainKey(r: ResourceKey): ResourceKey {
  return { group: r.group, kind: r.kind, namespace: r.namespace, name: r.name };
}

function sameRef(a: ResourceKey, b: ResourceKey): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}

/** The source pinned to a revision: a SHA or ref name replaces both the Flux ref and the Argo targetRevision. */
function withRevision(source: AppSource, revision: string): AppSource {
  const { ref: _ref, ...rest } = source;
  return { ...rest, revision };
}

/**
 * The source as sources' renderSource reads it. models keeps Flux's kustomization generation
 * on the source (`generateKustomization`); renderSource takes it, and Flux's
 * LoadRestrictionsNone, among its kustomize options.
 */
function renderSpecOf(app: AppSpec, source: AppSource): AppSource {
  if (app.format !== 'flux' && !source.generateKustomization) return source;
  const kustomize = {
    ...source.kustomize,
    ...(source.generateKustomization ? { generateKustomization: true } : {}),
    ...(app.format === 'flux' ? { loadRestrictor: 'LoadRestrictionsNone' as const } : {}),
  };
  return { ...source, kustomize };
}

/** Flux `commonMetadata`: labels and annotations set on every object, overriding. */
function withCommonMetadata(m: Manifest, app: AppSpec): Manifest {
  const cm = app.commonMetadata;
  if (!cm) return m;
  const metadata = { ...m.object.metadata };
  if (cm.labels) metadata.labels = { ...metadata.labels, ...cm.labels };
  if (cm.annotations) metadata.annotations = { ...metadata.annotations, ...cm.annotations };
  return { ...m, object: { ...m.object, metadata } };
}

/** The app an object's owner mark names (Argo: app name; Flux and Slipway: namespace/name). */
function ownerName(live: KubeObject): string {
  const a = live.metadata.annotations ?? {};
  const l = live.metadata.labels ?? {};
  if (a[ARGO_TRACKING_ID]) return a[ARGO_TRACKING_ID].split(':')[0]!;
  if (l[FLUX_NAME_LABEL]) return `${l[FLUX_NAMESPACE_LABEL] ?? ''}/${l[FLUX_NAME_LABEL]}`;
  return a[SLIPWAY_APP] ?? 'another app';
}

function toPlanResource(r: ComparedResource, app: AppSpec): PlanResource {
  const key = plainKey(r.ref);
  let desired = r.desired?.object;
  // RespectIgnoreDifferences: a sync keeps the live values of ignored fields.
  if (desired && r.live && !r.hook && app.syncPolicy.respectIgnoreDifferences) desired = withLiveIgnoredFields(desired, r.live, matchingRules(app.ignoreDifferences, key));
  return { key, desired, live: r.live, status: r.hook ? 'OutOfSync' : r.status };
}

/** Argo CD's per-resource results of a refused sync: each violating object SyncFailed with its rules' messages. */
function policyResults(check: SyncPolicyCheck, cmp: Comparison): ResourceResult[] {
  const messages = new Map<string, string[]>();
  for (const r of check.blocking) messages.set(resultKey(r), [...(messages.get(resultKey(r)) ?? []), `${r.policy}/${r.rule}: ${r.message}`]);
  const out: ResourceResult[] = [];
  for (const o of cmp.objects) {
    const m = messages.get(formatKey(o.ref));
    if (!m) continue;
    out.push({ group: o.ref.group, version: o.ref.version, kind: o.ref.kind, namespace: o.ref.namespace, name: o.ref.name, status: 'SyncFailed', message: m.join('; ') });
  }
  return out;
}

function toResourceStatus(r: ComparedResource): ResourceStatus {
  const wave = r.desired ? syncWave(r.desired.object) : undefined;
  return {
    group: r.ref.group,
    version: r.ref.version,
    kind: r.ref.kind,
    namespace: r.ref.namespace,
    name: r.ref.name,
    status: r.status,
    ...(r.health ? { health: r.health } : {}),
    ...(r.requiresPruning ? { requiresPruning: true } : {}),
    ...(wave ? { syncWave: wave } : {}),
  };
}

function syncOptionsOf(app: AppSpec): string[] {
  const p = app.syncPolicy;
  const out: string[] = [];
  if (p.createNamespace) out.push('CreateNamespace=true');
  if (p.pruneLast) out.push('PruneLast=true');
  if (p.serverSideApply) out.push('ServerSideApply=true');
  if (p.applyOutOfSyncOnly) out.push('ApplyOutOfSyncOnly=true');
  return out;
}

/** Argo CD / Slipway `status.history` as stored on the app object (used when Slipway has no record of its own yet). */
function historyFromStatus(status: unknown): HistoryEntry[] {
  const list = (status as { history?: unknown } | undefined)?.history;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (h): h is HistoryEntry => !!h && typeof h === 'object' && typeof (h as HistoryEntry).id === 'number' && typeof (h as HistoryEntry).revision === 'string',
  );
}

function imagesOf(obj: KubeObject): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key?: string): void => {
    if (Array.isArray(v)) {
      if (key === 'containers' || key === 'initContainers') for (const c of v) if (c && typeof (c as { image?: unknown }).image === 'string') out.push((c as { image: string }).image);
      for (const x of v) walk(x);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (k !== 'metadata' && k !== 'status') walk(x, k);
    }
  };
  walk(obj);
  return out;
}

function shortRevision(revision: string): string {
  const sha = commitOf(revision);
  return /^[0-9a-f]{40,64}$/.test(sha) ? sha.slice(0, 7) : revision;
}

/** Resolves true after `ms`, false when `signal` aborts first. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
