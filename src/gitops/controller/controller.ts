import { setMaxListeners } from 'node:events';
import {
  SlipwayError,
  formatError,
  splitApiVersion,
  type KubeObject,
  type ResourceKey,
} from '../../core/index.js';
import {
  EventRecorder,
  getObject,
  mergePatch,
  patchStatus,
  pruneObjects,
  refOf,
  stableJson,
  deleteObject,
  type CacheEvent,
  type KubeClient,
  type ObjectRef,
  type WatchCache,
} from '../../kube/index.js';
import {
  APP_TYPES,
  AppSpecError,
  FLUX_KUSTOMIZE_GROUP,
  FLUX_SOURCE_GROUP,
  FLUX_VERSIONS,
  SLIPWAY_GROUP,
  SourceNotFoundError,
  commitOf,
  gitRepositoryStatusPatch,
  parseApp,
  type AppSpec,
  type AppStatus,
} from '../models/index.js';
import { AppReconciler, type ReconcileContext } from '../reconciler/reconciler.js';
import { ownership } from '../reconciler/owners.js';
import { AppStateStore } from '../reconciler/state.js';
import type { SourceFetcher } from '../reconciler/deps.js';
import { CredentialResolver } from './credentials.js';
import { autoSyncReason } from './decide.js';
import { LeaderElector } from './lease.js';
import { matchesPush, sameRepository, type PushEvent } from './match.js';
import { WorkQueue, backoffDelay, jittered, realTimers, type Timers } from './queue.js';

/** Argo CD's refresh annotation ("normal" | "hard"); removed once handled, as Argo CD does. */
export const ARGO_REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
/** Flux's on-demand reconcile token; handled once per value (status.lastHandledReconcileAt). */
export const FLUX_REQUESTED_AT_ANNOTATION = 'reconcile.fluxcd.io/requestedAt';
/** Slipway's spelling of the same. */
export const SLIPWAY_REQUESTED_AT_ANNOTATION = 'slipway.dev/requestedAt';
/** Argo CD's finalizers that delete an app's objects with the app. */
export const ARGO_RESOURCES_FINALIZERS = [
  'resources-finalizer.argocd.argoproj.io',
  'resources-finalizer.argocd.argoproj.io/foreground',
  'resources-finalizer.argocd.argoproj.io/background',
];
/** Flux's finalizer (kustomize-controller adds it; Slipway honours it when present, see the module doc). */
export const FLUX_FINALIZER = 'finalizers.fluxcd.io';

/** Options of {@link GitopsController}. */
export interface GitopsControllerOptions {
  client: KubeClient;
  /** The one shared watch cache: app kinds and owned objects are watched through it. */
  cache: WatchCache;
  /** sources' GitSourceCache (under the cache dir). Credentials from Secrets are added by the controller. */
  sources: SourceFetcher;
  /** Reconciler options besides the clients (fieldManager, events, defaultTimeoutMs…). */
  reconciler?: Omit<ReconcileContext, 'client' | 'cache' | 'sources' | 'clock' | 'log'>;
  /** @default () => new Date() */
  clock?: () => Date;
  /** Timers of the work queue and schedules. @default real timers */
  timers?: Timers;
  /** @default Math.random */
  random?: () => number;
  /** One line per event (no trailing newline). */
  log?: (line: string) => void;
  /** Apps reconciled at once. @default 4 */
  concurrency?: number;
  /** Refresh intervals are spread by ±this fraction. @default 0.1 */
  jitter?: number;
  /** Only apps in these namespaces. @default all */
  namespaces?: string[];
  /** Campaign for a Lease; only the leader reconciles. @default no election: always work */
  leaderElection?: { namespace: string; name: string; identity: string; leaseDurationMs?: number; renewDeadlineMs?: number; retryPeriodMs?: number };
  /** Refresh interval of apps that set none (Argo CD Applications): Argo CD's timeout.reconciliation. @default 180000 */
  defaultIntervalMs?: number;
  /** Owned-object events are gathered this long before the app is looked at. @default 200 */
  healDebounceMs?: number;
  /**
   * Status changes of owned objects (rollouts) refresh an app that is not Healthy after this
   * long; a Healthy app sees them at its next refresh. @default 1000
   */
  healthDebounceMs?: number;
  /** App kinds whose CRD is missing are looked for again this often. @default 30000 */
  discoveryRetryMs?: number;
  /** How long {@link GitopsController.stop} waits for aborted work to unwind before releasing the Lease. @default 5000 */
  stopTimeoutMs?: number;
  /** Namespace of Argo CD repository Secrets (credentials found by URL). @default 'argocd' */
  argoNamespace?: string;
}

/** How to name an app from outside (webhooks, the API, the CLI). */
export interface AppRef {
  /** 'Application' (Argo CD, else Slipway) or 'Kustomization'; any when unset. */
  kind?: string;
  /** API group, to tell Argo CD and Slipway Applications apart. */
  group?: string;
  namespace: string;
  name: string;
}

/** One app as the controller reports it. */
export interface TriggeredApp {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** In-memory counters (Prometheus comes later). */
export interface ControllerMetrics {
  /** Refreshes done (each reconcile starts with one). */
  reconciles: number;
  /** Syncs started. */
  syncs: number;
  /** Syncs that ended Failed. */
  syncFailures: number;
  /** Syncs started by drift on an owned object (self-heal). */
  heals: number;
  /** Reconciles that threw (cluster unreachable, conflicts…) and were retried with backoff. */
  failures: number;
  /** Apps that do not parse. */
  invalidApps: number;
  /** Apps known. */
  apps: number;
  queueDepth: number;
  active: number;
  scheduled: number;
  /** Milliseconds from becoming active until every app known then had been reconciled once. */
  lastFullPassMs?: number;
  leader: boolean;
}

interface Request {
  reasons: string[];
  /** Sync even if the app is Synced (a Flux reconcile request). */
  force?: boolean;
  /** Drift seen on an owned object. */
  heal?: boolean;
  hard?: boolean;
  /** Flux: fetch the GitRepository now (webhook, on demand, GitRepository changed) rather than deploy its last artifact. */
  fetch?: boolean;
}

interface AppEntry {
  id: string;
  key: ResourceKey;
  fingerprint?: string;
  spec?: AppSpec;
  parseError?: string;
  /** Consecutive reconciles that threw. */
  errors: number;
  /** Consecutive refreshes whose source could not be fetched or rendered. */
  sourceFailures?: number;
  /** Argo retries of the current failing revision. */
  retries: number;
  retryRevision?: string;
  /** When the next Argo retry of the failed revision may run (timers' clock). */
  retryAt?: number;
  /** Health and sync state after the last refresh or sync. */
  lastHealth?: string;
  lastPhase?: string;
}

const TYPE_GROUPS = {
  argocd: { group: 'argoproj.io', kind: 'Application' },
  flux: { group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization' },
  slipway: { group: SLIPWAY_GROUP, kind: 'Application' },
} as const;

/** How soon an app whose health is Progressing is looked at again, at most. */
const PROGRESSING_RECHECK_MS = 5_000;

/**
 * The GitOps controller process: watches the app kinds (Argo CD Application, Flux
 * Kustomization with its GitRepository, Slipway Application) through the one shared watch
 * cache, and keeps each app reconciled through an {@link AppReconciler}:
 *
 * - a de-duplicating work queue with bounded concurrency: an app never runs twice at once; a
 *   trigger while it runs makes it run once more afterwards;
 * - a refresh per app every interval (Flux `spec.interval`, Slipway `spec.interval`, Argo CD
 *   3 minutes), spread by jitter; a refresh of an automated app that is OutOfSync, or whose
 *   revision moved, syncs. Argo CD semantics: a revision that was synced is not synced again
 *   for drift unless selfHeal; a revision whose sync failed is retried only by syncPolicy.retry
 *   (scheduled by the controller, not slept on in a worker). Flux: every reconcile of a
 *   non-suspended Kustomization applies what is out of sync, and a failure is retried after
 *   `retryInterval`;
 * - while an app is Progressing it is refreshed again within PROGRESSING_RECHECK_MS, so a
 *   finished rollout shows as Healthy without waiting for the interval;
 * - self-heal from watch events on owned objects (reconciler.onOwnedChange): events written by
 *   Slipway's own field manager are ignored; others are gathered for `healDebounceMs` and the
 *   app is refreshed, and synced when it is OutOfSync and heals (Argo/Slipway selfHeal; Flux
 *   always — kustomize-controller corrects drift only at the next interval, Slipway does it on
 *   the event, which is what a Flux user wants anyway);
 * - on-demand: {@link trigger}, Argo's `argocd.argoproj.io/refresh` annotation (removed after
 *   the refresh), Flux's `reconcile.fluxcd.io/requestedAt` (handled once per value), Argo's
 *   `operation` field (what `argocd app sync` writes; cleared after the sync);
 * - deletion: an Argo CD app with the resources finalizer (or a Kustomization with Flux's
 *   finalizer, deletionPolicy Delete) has its objects deleted, then the finalizer removed;
 *   without one, its objects stay. Slipway never adds a finalizer itself, so a stopped
 *   controller can never block a namespace's deletion;
 * - leader election on a Lease: only the leader reconciles; losing the Lease stops all work;
 * - parse errors go to the app's status and an Event; cluster errors are retried with backoff.
 */
export class GitopsController {
  readonly reconciler: AppReconciler;
  private readonly client: KubeClient;
  private readonly cache: WatchCache;
  private readonly queue: WorkQueue<Request>;
  private readonly apps = new Map<string, AppEntry>();
  private readonly timers: Timers;
  private readonly random: () => number;
  private readonly clock: () => Date;
  private readonly recorder: EventRecorder;
  private readonly credentials: CredentialResolver;
  private readonly elector?: LeaderElector;
  private readonly unsubscribe: (() => void)[] = [];
  private readonly watchedKinds = new Set<string>();
  private readonly typeVersions = new Map<string, string>();
  private readonly repoStatusWritten = new Map<string, string>();
  private readonly counters = { reconciles: 0, syncs: 0, syncFailures: 0, heals: 0, failures: 0 };
  private abort = new AbortController();
  private working = false;
  private started = false;
  private synced = false;
  private discoveryTimer: unknown;
  private fullPass?: { start: number; pending: Set<string> };
  private lastFullPassMs?: number;
  private readonly fieldManager: string;

  constructor(private readonly options: GitopsControllerOptions) {
    this.client = options.client;
    this.cache = options.cache;
    this.timers = options.timers ?? realTimers;
    this.random = options.random ?? Math.random;
    this.clock = options.clock ?? (() => new Date());
    this.fieldManager = options.reconciler?.fieldManager ?? 'slipway';
    this.credentials = new CredentialResolver(options.client, options.sources, { argoNamespace: options.argoNamespace ?? 'argocd' });
    this.reconciler = new AppReconciler({
      ...options.reconciler,
      client: options.client,
      cache: options.cache,
      sources: this.credentials,
      clock: this.clock,
      log: (m) => this.log(m),
    });
    this.recorder = new EventRecorder(options.client, { clock: this.clock, onError: (e) => this.log(`event not recorded: ${String(e)}`) });
    this.queue = new WorkQueue<Request>((id, req) => this.process(id, req), {
      concurrency: options.concurrency ?? 4,
      timers: this.timers,
      merge: (a, b) => ({
        reasons: [...new Set([...a.reasons, ...b.reasons])],
        force: a.force || b.force,
        heal: a.heal || b.heal,
        hard: a.hard || b.hard,
        fetch: a.fetch || b.fetch,
      }),
      onError: (id, e) => this.log(`${id}: internal error: ${(e as Error)?.stack ?? String(e)}`),
    });
    if (options.leaderElection) {
      this.elector = new LeaderElector(
        options.client,
        { ...options.leaderElection, log: (m) => this.log(m) },
        { onStartedLeading: () => void this.startWorking(), onStoppedLeading: () => this.stopWorking() },
      );
    }
  }

  /** Starts watching (and campaigning, with leader election). Returns once the watches are set up. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    this.unsubscribe.push(this.reconciler.onOwnedChange((id, e) => this.onOwnedChange(id, e)));
    await this.discover();
    if (this.elector) this.elector.start();
    else await this.startWorking();
  }

  /** Stops: no new work, in-flight work aborted and awaited, Lease released. */
  async stop(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    if (this.discoveryTimer !== undefined) this.timers.clearTimeout(this.discoveryTimer);
    this.stopWorking();
    // In-flight work was aborted; give it a moment to unwind, but never hang a shutdown on it.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.queue.idle(), new Promise((r) => (timer = setTimeout(r, this.options.stopTimeoutMs ?? 5000)))]);
    clearTimeout(timer);
    await this.elector?.stop();
    for (const u of this.unsubscribe.splice(0)) u();
  }

  /** Whether this process is the one reconciling (always true without leader election). */
  get isLeader(): boolean {
    return this.elector ? this.elector.isLeader : this.started;
  }

  /** Ready: every served app kind has been listed once. */
  get ready(): boolean {
    return this.synced;
  }

  /** Resolves when no app is waiting or running (scheduled refreshes do not count). */
  idle(): Promise<void> {
    return this.queue.idle();
  }

  /** Counters and gauges. */
  metrics(): ControllerMetrics {
    return {
      ...this.counters,
      invalidApps: [...this.apps.values()].filter((a) => a.parseError).length,
      apps: this.apps.size,
      queueDepth: this.queue.depth,
      active: this.queue.active,
      scheduled: this.queue.scheduled,
      lastFullPassMs: this.lastFullPassMs,
      leader: this.isLeader,
    };
  }

  /**
   * Asks for a refresh (and a sync, if the app is automated and out of sync) now. Returns the
   * app, or undefined when no such app is known (or this replica is not the leader: then the
   * leader's own watch sees nothing and the caller should ask it).
   */
  trigger(ref: AppRef, options: { hard?: boolean; reason?: string } = {}): TriggeredApp | undefined {
    const entry = this.find(ref);
    if (!entry) return undefined;
    this.invalidateSources(entry.spec);
    if (this.working) this.queue.add(entry.id, { reasons: [options.reason ?? 'trigger'], hard: options.hard, force: entry.spec?.format === 'flux', fetch: true });
    return { ...entry.key };
  }

  /** Apps whose source is the pushed repository and branch (see match.ts), triggered. */
  triggerPush(push: PushEvent): TriggeredApp[] {
    const out: TriggeredApp[] = [];
    this.credentials.invalidate((url) => sameRepository(url, push.urls));
    for (const entry of this.apps.values()) {
      if (!entry.spec || !matchesPush(entry.spec, push)) continue;
      if (this.working) this.queue.add(entry.id, { reasons: ['webhook'], force: entry.spec.format === 'flux', fetch: true });
      out.push({ ...entry.key });
    }
    return out;
  }

  private invalidateSources(app: AppSpec | undefined): void {
    if (!app) return;
    const urls = app.sources.map((s) => s.url);
    this.credentials.invalidate((url) => urls.includes(url));
  }

  /** The apps known, with their parse error if any. */
  list(): { app: TriggeredApp; error?: string }[] {
    return [...this.apps.values()].map((a) => ({ app: { ...a.key }, ...(a.parseError ? { error: a.parseError } : {}) }));
  }

  // ------------------------------------------------------------------------------ watching

  /** Finds the served version of each app kind; watches the served ones, retries the rest later. */
  private async discover(): Promise<void> {
    const wanted: { apiVersions: string[]; group: string; kind: string }[] = [
      ...Object.values(TYPE_GROUPS).map((t) => ({
        ...t,
        apiVersions: APP_TYPES.filter((a) => splitApiVersion(a.apiVersion).group === t.group && a.kind === t.kind).map((a) => a.apiVersion),
      })),
      { group: FLUX_SOURCE_GROUP, kind: 'GitRepository', apiVersions: FLUX_VERSIONS.map((v) => `${FLUX_SOURCE_GROUP}/${v}`) },
    ];
    let missing = 0;
    let failed = 0;
    for (const w of wanted) {
      const id = `${w.group}/${w.kind}`;
      if (this.watchedKinds.has(id)) continue;
      let served: string | undefined;
      try {
        for (const v of w.apiVersions) {
          if (await this.client.discovery.find(v, w.kind)) {
            served = v;
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        this.log(`discovery of ${w.kind}.${w.group}: ${e.message}`);
        failed++;
      }
      if (!served) {
        missing++;
        continue;
      }
      try {
        await this.cache.watchKind(served, w.kind);
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        this.log(`watch ${w.kind}.${w.group}: ${e.message}`);
        missing++;
        failed++;
        continue;
      }
      this.watchedKinds.add(id);
      this.typeVersions.set(id, served);
      this.log(`watching ${w.kind}.${w.group} (${served})`);
      if (w.kind === 'GitRepository') {
        this.unsubscribe.push(this.cache.subscribeKind(w.group, w.kind, (e) => this.onGitRepository(e)));
      } else {
        this.unsubscribe.push(this.cache.subscribeKind(w.group, w.kind, (e) => this.onAppEvent(e)));
        for (const obj of this.cache.list(w.group, w.kind)) this.onAppEvent({ type: 'ADDED', object: obj });
      }
    }
    // Ready once every kind is either watched or known to have no CRD; an unreachable
    // apiserver is not "synced", and is asked again sooner.
    if (failed === 0) this.synced = true;
    if (missing > 0 && this.started) {
      this.discoveryTimer = this.timers.setTimeout(
        () => {
          this.discoveryTimer = undefined;
          if (this.started) void this.discover();
        },
        failed > 0 ? Math.min(5000, this.options.discoveryRetryMs ?? 30_000) : (this.options.discoveryRetryMs ?? 30_000),
      );
    }
  }

  private inScope(namespace: string): boolean {
    return !this.options.namespaces?.length || this.options.namespaces.includes(namespace);
  }

  private onAppEvent(e: CacheEvent): void {
    const obj = e.object;
    const key = keyOfObject(obj);
    if (!this.inScope(key.namespace)) return;
    const id = appIdOf(key);
    if (e.type === 'DELETED') {
      this.forget(id);
      return;
    }
    let entry = this.apps.get(id);
    if (!entry) {
      entry = { id, key, errors: 0, retries: 0 };
      this.apps.set(id, entry);
    }
    const fingerprint = fingerprintOf(obj);
    const refresh = obj.metadata.annotations?.[ARGO_REFRESH_ANNOTATION];
    const changed = fingerprint !== entry.fingerprint;
    entry.fingerprint = fingerprint;
    if (!this.working) return;
    if (changed) this.queue.add(id, { reasons: [e.type === 'ADDED' ? 'added' : 'spec changed'], force: isFluxReconcileRequest(obj) });
    else if (refresh) this.queue.add(id, { reasons: [`refresh=${refresh}`], hard: refresh === 'hard' });
  }

  /** A GitRepository changed: its Kustomizations reconcile again. */
  private onGitRepository(e: CacheEvent): void {
    if (!this.working) return;
    const obj = e.object;
    const ns = obj.metadata.namespace ?? '';
    const name = obj.metadata.name ?? '';
    if (e.type === 'DELETED') {
      this.repoFingerprints.delete(`${ns}/${name}`);
      this.repoStatusWritten.delete(`${ns}/${name}`);
      this.artifacts.delete(`${ns}/${name}`);
    } else if (e.type === 'MODIFIED') {
      const prev = this.repoFingerprints.get(`${ns}/${name}`);
      const now = fingerprintOf(obj);
      this.repoFingerprints.set(`${ns}/${name}`, now);
      if (prev === now) return; // a status write (ours)
    } else {
      this.repoFingerprints.set(`${ns}/${name}`, fingerprintOf(obj));
    }
    const url = (obj.spec as { url?: unknown } | undefined)?.url;
    if (typeof url === 'string') this.credentials.invalidate((u) => u === url);
    for (const id of this.kustomizationsOf(ns, name)) {
      this.queue.add(id, { reasons: [`GitRepository/${ns}/${name} ${e.type.toLowerCase()}`], force: true, fetch: true });
    }
  }

  /** Ids of the Kustomizations (in scope) whose sourceRef is GitRepository ns/name. */
  private kustomizationsOf(ns: string, name: string): string[] {
    const out: string[] = [];
    for (const k of this.cache.list(FLUX_KUSTOMIZE_GROUP, 'Kustomization')) {
      const ref = (k.spec as { sourceRef?: { kind?: string; name?: string; namespace?: string } } | undefined)?.sourceRef;
      if (ref?.kind !== 'GitRepository' || ref.name !== name || (ref.namespace || k.metadata.namespace) !== ns) continue;
      const key = keyOfObject(k);
      if (this.inScope(key.namespace)) out.push(appIdOf(key));
    }
    return out;
  }

  /**
   * Flux: a Kustomization deploys the last artifact of its GitRepository, which is fetched
   * again only at the GitRepository's interval, on its requestedAt, or on a webhook — not at
   * every Kustomization reconcile (drift correction, dependencies, its own interval). Argo CD
   * resolves targetRevision at every refresh, so its apps always fetch. Branch refs are
   * pinned to the artifact's commit; tag, semver and name refs are fetched each time.
   */
  private withArtifact(app: AppSpec, req: Request): { app: AppSpec; fetching: boolean; repoId?: string; token?: string } {
    const repo = app.gitRepository;
    if (app.format !== 'flux' || !repo) return { app, fetching: true };
    const repoId = `${repo.ref.namespace}/${repo.ref.name}`;
    const live = this.cache.get({ group: FLUX_SOURCE_GROUP, kind: 'GitRepository', namespace: repo.ref.namespace, name: repo.ref.name });
    const token = live?.metadata.annotations?.[FLUX_REQUESTED_AT_ANNOTATION];
    const art = this.artifacts.get(repoId);
    const ref = app.source.ref ?? {};
    const pinnable = !ref.commit && !ref.tag && !ref.semver && !ref.name;
    const due = !art || req.fetch || (!repo.suspend && this.timers.now() - art.at >= repo.interval) || (token !== undefined && token !== art.token);
    if (due || !pinnable) return { app, fetching: true, repoId, token };
    const source = { ...app.source, ref: { ...ref, commit: art.commit } };
    return { app: { ...app, source, sources: app.sources.map((s) => (s === app.source ? source : s)) }, fetching: false, repoId, token };
  }

  /** Records what a refresh that fetched found; a new commit wakes the other Kustomizations of the repository. */
  private recordArtifact(entry: AppEntry, app: AppSpec, repoId: string, token: string | undefined, status: AppStatus): void {
    // The commit fetched, even when it does not build: Flux's artifact is the source, and the
    // Kustomization says BuildFailed for it until a newer one builds.
    const fetched = this.credentials.lastFetched(app.source);
    if (!fetched || status.conditions.some((c) => c.reason === 'ArtifactFailed')) return;
    const commit = fetched.commit;
    const before = this.artifacts.get(repoId)?.commit;
    this.artifacts.set(repoId, { commit, at: this.timers.now(), token });
    if (before === undefined || before === commit) return;
    const [ns, name] = repoId.split('/') as [string, string];
    for (const id of this.kustomizationsOf(ns, name)) {
      if (id !== entry.id) this.queue.add(id, { reasons: [`GitRepository/${repoId} at ${commit.slice(0, 7)}`], force: true });
    }
  }

  /** When to look at an app again: its interval, or sooner when its GitRepository is due a fetch. */
  private nextDelay(entry: AppEntry, app: AppSpec): number {
    const interval = this.intervalOf(entry);
    const repo = app.gitRepository;
    const art = repo ? this.artifacts.get(`${repo.ref.namespace}/${repo.ref.name}`) : undefined;
    if (!repo || !art || repo.suspend) return interval;
    return Math.min(interval, Math.max(1000, art.at + repo.interval - this.timers.now()));
  }
  private readonly artifacts = new Map<string, { commit: string; at: number; token?: string }>();
  private readonly repoFingerprints = new Map<string, string>();

  /** An owned object changed: refresh the app soon (and heal, when it heals). */
  private onOwnedChange(id: string, e: CacheEvent): void {
    if (!this.working) return;
    const entry = this.apps.get(id);
    if (!entry?.spec) return;
    if (e.type !== 'DELETED' && writtenBy(e.object, this.fieldManager)) {
      // Our own apply, or a status change (a rollout progressing): nothing to heal, but while
      // the app is not yet Healthy its health may have changed — look again, unhurried.
      if (entry.lastHealth !== 'Healthy') {
        this.queue.addAfter(id, this.options.healthDebounceMs ?? 1000, { reasons: ['health'] });
      }
      return;
    }
    const heal = entry.spec.format === 'flux' ? !entry.spec.suspend : entry.spec.syncPolicy.automated && entry.spec.syncPolicy.selfHeal;
    const what = `${e.object.kind}/${e.object.metadata.namespace ? `${e.object.metadata.namespace}/` : ''}${e.object.metadata.name} ${e.type.toLowerCase()}`;
    this.queue.addAfter(id, this.options.healDebounceMs ?? 200, { reasons: [what], heal });
  }

  private forget(id: string): void {
    const entry = this.apps.get(id);
    this.apps.delete(id);
    this.queue.remove(id);
    this.fullPass?.pending.delete(id);
    if (entry) this.reconciler.forget({ ref: refOfEntry(entry, this.typeVersions) });
  }

  private find(ref: AppRef): AppEntry | undefined {
    const candidates = [...this.apps.values()].filter(
      (a) =>
        a.key.namespace === ref.namespace &&
        a.key.name === ref.name &&
        (!ref.kind || a.key.kind === ref.kind) &&
        (!ref.group || a.key.group === ref.group),
    );
    // An Argo CD Application wins over a Slipway one of the same name.
    return candidates.sort((a, b) => order(a.key.group) - order(b.key.group))[0];
  }

  // ------------------------------------------------------------------------------ working

  private async startWorking(): Promise<void> {
    if (this.working) return;
    this.working = true;
    this.abort = new AbortController();
    // Every request of every reconcile listens on this one signal.
    setMaxListeners(0, this.abort.signal);
    this.queue.start();
    this.log(`controller working${this.options.namespaces?.length ? ` in ${this.options.namespaces.join(',')}` : ''}`);
    const ids = [...this.apps.keys()];
    this.fullPass = { start: this.timers.now(), pending: new Set(ids) };
    if (ids.length === 0) this.finishFullPass();
    for (const id of ids) this.queue.add(id, { reasons: ['start'] });
  }

  private stopWorking(): void {
    if (!this.working) return;
    this.working = false;
    this.abort.abort();
    this.queue.stop();
    this.fullPass = undefined;
    this.log('controller stopped working');
  }

  private finishFullPass(): void {
    if (!this.fullPass || this.fullPass.pending.size > 0) return;
    this.lastFullPassMs = this.timers.now() - this.fullPass.start;
    this.fullPass = undefined;
    this.log(`full pass over all apps took ${this.lastFullPassMs}ms`);
  }

  /** The worker: one reconcile of one app. */
  private async process(id: string, req: Request): Promise<void> {
    const entry = this.apps.get(id);
    if (!entry || !this.working) return;
    const signal = this.abort.signal;
    try {
      await this.reconcile(entry, req, signal);
      entry.errors = 0;
    } catch (e) {
      if (signal.aborted) return;
      this.counters.failures++;
      entry.errors++;
      const delay = backoffDelay(entry.errors, 1000, Math.min(this.intervalOf(entry), 300_000));
      this.log(`${showId(entry)}: reconcile failed (retry in ${delay}ms): ${e instanceof SlipwayError ? formatError(e) : ((e as Error)?.stack ?? String(e))}`);
      if (this.apps.has(id)) this.queue.addAfter(id, delay, { reasons: ['retry after error'], ...(req.force ? { force: true } : {}) });
    } finally {
      if (this.fullPass?.pending.delete(id)) this.finishFullPass();
    }
  }

  private intervalOf(entry: AppEntry): number {
    return entry.spec?.interval ?? this.options.defaultIntervalMs ?? 180_000;
  }

  private schedule(entry: AppEntry, delayMs: number, reason = 'interval'): void {
    if (!this.working || !this.apps.has(entry.id)) return;
    this.queue.addAfter(entry.id, jittered(delayMs, this.options.jitter ?? 0.1, this.random), { reasons: [reason] });
  }

  private async reconcile(entry: AppEntry, req: Request, signal: AbortSignal): Promise<void> {
    const obj = this.cache.get(entry.key);
    if (!obj) {
      this.forget(entry.id);
      return;
    }
    if (obj.metadata.deletionTimestamp) {
      await this.finalize(entry, obj, signal);
      return;
    }
    const parsed = await this.parse(entry, obj, signal);
    if (!parsed) return;
    const { app, fetching, repoId, token } = this.withArtifact(parsed, req);
    if (app.suspend) {
      this.log(`${showId(entry)}: suspended, skipped`);
      return; // Flux: a suspended Kustomization is not reconciled until spec changes
    }
    const why = req.reasons.join(', ');

    // Argo CD `operation`: a sync someone asked for (argocd app sync).
    if (app.requestedOperation) {
      const op = app.requestedOperation;
      this.log(`${showId(entry)}: sync requested by ${op.initiatedBy.username ?? 'operation'}${op.sync.revision ? ` at ${op.sync.revision}` : ''}`);
      this.counters.syncs++;
      const status = await this.reconciler.sync(
        app,
        { revision: op.sync.revision, prune: op.sync.prune, dryRun: op.sync.dryRun, retry: op.retry ?? null, initiatedBy: op.initiatedBy },
        signal,
      );
      if (status.operation?.phase === 'Failed') this.counters.syncFailures++;
      this.remember(entry, status);
      await mergePatch(this.client, refOfEntry(entry, this.typeVersions, obj), { operation: null }, { signal });
      this.logResult(entry, 'sync', status);
      this.schedule(entry, this.intervalOf(entry));
      return;
    }

    this.counters.reconciles++;
    // A hard refresh (Argo's annotation "hard", the API's ?hard=true) drops what the
    // reconciler remembers of the app — comparisons, inventory and history are read afresh.
    const refresh = obj.metadata.annotations?.[ARGO_REFRESH_ANNOTATION];
    if (req.hard || refresh === 'hard') this.reconciler.forget(app);
    if (req.hard || refresh !== undefined) this.invalidateSources(app);
    let status = await this.reconciler.refresh(app, signal);
    if (fetching && repoId) this.recordArtifact(entry, app, repoId, token, status);
    this.remember(entry, status);
    await this.afterRefresh(entry, obj, app, status, signal);
    const decision = this.shouldSync(entry, app, status, req);
    const waiting = decision && app.format === 'flux' ? this.unreadyDependencies(app) : [];
    if (decision && waiting.length > 0) {
      // Flux requeues a Kustomization whose dependencies are not ready (--requeue-dependency, 30s).
      this.log(`${showId(entry)}: dependencies not ready: ${waiting.join(', ')}; retrying in 30s`);
      this.queue.addAfter(entry.id, 30_000, { reasons: ['dependency'], force: true });
      return;
    }
    if (decision) {
      this.counters.syncs++;
      if (req.heal) this.counters.heals++;
      this.log(`${showId(entry)}: syncing (${decision}; ${why})`);
      status = await this.reconciler.sync(app, { retry: null, initiatedBy: { username: 'automated sync', automated: true } }, signal);
      this.remember(entry, status);
      this.logResult(entry, 'sync', status);
      if (status.operation?.phase === 'Failed' || status.operation?.phase === 'Error') {
        this.counters.syncFailures++;
        this.scheduleRetry(entry, app, status);
        return;
      }
      entry.retries = 0;
      entry.retryRevision = undefined;
    } else {
      this.log(`${showId(entry)}: refreshed: ${status.phase}, ${status.health.status}${status.error ? `: ${status.error}` : ''} (${why})`);
      if (status.error && app.format === 'flux') {
        this.schedule(entry, Math.min(app.retryInterval ?? this.intervalOf(entry), this.nextDelay(entry, app)), 'retryInterval');
        return;
      }
      if (status.phase === 'Unknown' && status.error) {
        // Git unreachable or a commit that does not render: the status says why; look again
        // with backoff (5s, 10s, … up to the interval) rather than only at the next interval.
        entry.sourceFailures = (entry.sourceFailures ?? 0) + 1;
        this.schedule(entry, Math.min(this.nextDelay(entry, app), backoffDelay(entry.sourceFailures, 5000, 300_000)), 'source retry');
        return;
      }
    }
    entry.sourceFailures = 0;
    // While a rollout is under way, look again soon as well: the status update that ends it
    // may land while this app is being reconciled (or before its first health is known) and
    // would otherwise wait for the next interval.
    const next = this.nextDelay(entry, app);
    if (status.health.status === 'Progressing') this.schedule(entry, Math.min(next, PROGRESSING_RECHECK_MS), 'progressing');
    else this.schedule(entry, next);
  }

  private remember(entry: AppEntry, status: AppStatus): void {
    entry.lastHealth = status.health.status;
    entry.lastPhase = status.phase;
  }

  /** Flux dependsOn: the Kustomizations that are not Ready yet (kustomize-controller checkDependencies). */
  private unreadyDependencies(app: AppSpec): string[] {
    const out: string[] = [];
    for (const d of app.dependsOn) {
      const dep = this.cache.get({ group: FLUX_KUSTOMIZE_GROUP, kind: 'Kustomization', namespace: d.namespace, name: d.name });
      const conditions = ((dep?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) out.push(`${d.namespace}/${d.name}`);
    }
    return out;
  }

  /** Why to sync after a refresh, or undefined not to. */
  private shouldSync(entry: AppEntry, app: AppSpec, status: AppStatus, req: Request): string | undefined {
    const revision = status.revision ? commitOf(status.revision) : undefined;
    const retryDue = entry.retryRevision === revision && entry.retryAt !== undefined && this.timers.now() >= entry.retryAt;
    const reason = autoSyncReason(app, status, { heal: req.heal, force: req.force, retryDue });
    if (reason === 'retry') {
      entry.retryAt = undefined;
      return `retry ${entry.retries}`;
    }
    return reason;
  }

  private scheduleRetry(entry: AppEntry, app: AppSpec, status: AppStatus): void {
    if (app.format === 'flux') {
      this.schedule(entry, app.retryInterval ?? this.intervalOf(entry), 'retryInterval');
      return;
    }
    const revision = commitOf(status.operation?.revision ?? status.revision ?? '');
    if (entry.retryRevision !== revision) {
      entry.retryRevision = revision;
      entry.retries = 0;
    }
    const retry = app.syncPolicy.retry;
    if (retry && (retry.limit < 0 || entry.retries < retry.limit)) {
      const delay = Math.min(retry.backoff.duration * retry.backoff.factor ** entry.retries, retry.backoff.maxDuration);
      entry.retries++;
      entry.retryAt = this.timers.now() + delay;
      this.log(`${showId(entry)}: sync failed, retry ${entry.retries}${retry.limit >= 0 ? `/${retry.limit}` : ''} in ${delay}ms`);
      if (this.working) this.queue.addAfter(entry.id, delay, { reasons: ['sync retry'] });
      return;
    }
    this.schedule(entry, this.intervalOf(entry));
  }

  /** Handled annotations and GitRepository status after a refresh. */
  private async afterRefresh(entry: AppEntry, obj: KubeObject, app: AppSpec, status: AppStatus, signal: AbortSignal): Promise<void> {
    if (obj.metadata.annotations?.[ARGO_REFRESH_ANNOTATION] !== undefined) {
      try {
        await mergePatch(this.client, refOfEntry(entry, this.typeVersions, obj), { metadata: { annotations: { [ARGO_REFRESH_ANNOTATION]: null } } }, { signal });
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        this.log(`${showId(entry)}: refresh annotation not removed: ${e.message}`);
      }
    }
    const repo = app.gitRepository;
    if (repo) {
      const id = `${repo.ref.namespace}/${repo.ref.name}`;
      const live = this.cache.get({ group: FLUX_SOURCE_GROUP, kind: 'GitRepository', namespace: repo.ref.namespace, name: repo.ref.name });
      const token = live?.metadata.annotations?.[FLUX_REQUESTED_AT_ANNOTATION];
      const fetch = {
        ...(status.conditions.some((c) => c.reason === 'ArtifactFailed') ? { error: status.error } : { revision: status.revision }),
        ...(token ? { lastHandledReconcileAt: token } : {}),
      };
      const text = stableJson(fetch);
      if (this.repoStatusWritten.get(id) === text) return;
      const patch = gitRepositoryStatusPatch(repo, { ...fetch, fetchedAt: this.clock().toISOString() }, { previous: live?.status });
      try {
        const { group, version } = splitApiVersion(live?.apiVersion ?? repo.ref.apiVersion);
        await patchStatus(this.client, { group, version, kind: 'GitRepository', namespace: repo.ref.namespace, name: repo.ref.name }, patch as unknown as Record<string, unknown>, signal);
        this.repoStatusWritten.set(id, text);
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        this.log(`GitRepository/${id}: status not written: ${e.message}`);
      }
    }
  }

  /** Parses the app; a parse error is written to its status and an Event, once per message. */
  private async parse(entry: AppEntry, obj: KubeObject, signal: AbortSignal): Promise<AppSpec | undefined> {
    try {
      const app = parseApp(obj, { gitRepositories: this.cache.list(FLUX_SOURCE_GROUP, 'GitRepository') });
      entry.spec = app;
      if (entry.parseError) this.log(`${showId(entry)}: spec is valid again`);
      entry.parseError = undefined;
      for (const w of app.warnings) this.log(`${showId(entry)}: warning: ${w}`);
      return app;
    } catch (e) {
      if (!(e instanceof AppSpecError)) throw e;
      const notFound = e instanceof SourceNotFoundError;
      if (entry.parseError !== e.message) {
        entry.parseError = e.message;
        this.log(`${showId(entry)}: ${notFound ? 'source not found' : 'invalid spec'}: ${e.message}`);
        await this.writeInvalid(entry, obj, notFound ? 'ArtifactFailed' : 'InvalidSpec', e.message, signal);
      }
      entry.spec = undefined;
      // A missing GitRepository can appear (its watch event re-queues us too); a bad spec waits for an edit.
      if (notFound) this.queue.addAfter(entry.id, 30_000, { reasons: ['source not found'] });
      return undefined;
    }
  }

  private async writeInvalid(entry: AppEntry, obj: KubeObject, reason: string, message: string, signal: AbortSignal): Promise<void> {
    const now = this.clock().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const status =
      entry.key.group === 'argoproj.io'
        ? { conditions: [{ type: 'InvalidSpecError', message, lastTransitionTime: now }], sync: { status: 'Unknown' } }
        : {
            ...(typeof obj.metadata.generation === 'number' ? { observedGeneration: obj.metadata.generation } : {}),
            conditions: [
              { type: 'Ready', status: 'False', reason, message, lastTransitionTime: now, ...(typeof obj.metadata.generation === 'number' ? { observedGeneration: obj.metadata.generation } : {}) },
            ],
          };
    try {
      await patchStatus(this.client, refOfEntry(entry, this.typeVersions, obj), { status }, signal);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      this.log(`${showId(entry)}: status not written: ${e.message}`);
    }
    await this.recorder.record(obj, { type: 'Warning', reason, message });
  }

  /** The app object is being deleted: delete its objects when a finalizer asks, then let it go. */
  private async finalize(entry: AppEntry, obj: KubeObject, signal: AbortSignal): Promise<void> {
    const finalizers = (obj.metadata.finalizers ?? []) as string[];
    const ours = finalizers.filter((f) => ARGO_RESOURCES_FINALIZERS.includes(f) || f === FLUX_FINALIZER);
    if (ours.length === 0) {
      this.forget(entry.id);
      return;
    }
    let app = entry.spec;
    try {
      app = parseApp(obj, { gitRepositories: this.cache.list(FLUX_SOURCE_GROUP, 'GitRepository') });
    } catch {
      // A broken spec still names the app; its inventory is all deletion needs.
    }
    const ref = refOfEntry(entry, this.typeVersions, obj);
    const appLike = app ?? minimalSpec(entry, obj);
    const keep = appLike.format === 'flux' && appLike.deletionPolicy === 'Orphan';
    if (!keep) {
      const store = new AppStateStore(this.client, appLike);
      const refs = await store.readInventory();
      const mine: ObjectRef[] = [];
      for (const r of refs) {
        const live = this.cache.get(r) ?? (await getObject(this.client, r, signal));
        if (live && ownership(live, appLike) !== 'other') mine.push({ ...refOf(live) });
      }
      const result = await pruneObjects(this.client, mine, { dryRun: false, signal });
      const failed = result.changes.filter((c) => c.action === 'failed');
      this.log(`${showId(entry)}: deleting: ${mine.length - failed.length} object(s) deleted${failed.length ? `, ${failed.length} failed` : ''}`);
      if (failed.length) {
        const message = failed.map((c) => `${c.ref.kind}/${c.ref.name}: ${c.error ? formatError(c.error) : 'failed'}`).join('; ');
        await this.recorder.record(obj, { type: 'Warning', reason: 'PruneFailed', message });
        throw new FinalizeError(`${showId(entry)}: ${message}`);
      }
      await deleteObject(this.client, { group: '', version: 'v1', kind: 'ConfigMap', namespace: store.inventory.namespace, name: store.inventory.name }, { signal });
    }
    const remaining = finalizers.filter((f) => !ours.includes(f));
    await mergePatch(this.client, ref, { metadata: { finalizers: remaining, resourceVersion: obj.metadata.resourceVersion } }, { signal });
    this.log(`${showId(entry)}: finalizer removed${keep ? ' (objects orphaned)' : ''}`);
    this.forget(entry.id);
  }

  private logResult(entry: AppEntry, what: string, status: AppStatus): void {
    const op = status.operation;
    const rev = status.revision ? commitOf(status.revision).slice(0, 7) : '-';
    this.log(`${showId(entry)}: ${what} ${op?.phase ?? status.phase} at ${rev}: ${op?.message ?? status.error ?? ''}`.trimEnd());
  }

  private log(m: string): void {
    this.options.log?.(m);
  }
}

class FinalizeError extends SlipwayError {
  readonly code = 'SLW630' as const;
}

// ------------------------------------------------------------------------------ helpers

function order(group: string): number {
  return group === 'argoproj.io' ? 0 : group === FLUX_KUSTOMIZE_GROUP ? 1 : 2;
}

function keyOfObject(obj: KubeObject): ResourceKey {
  return { group: splitApiVersion(obj.apiVersion).group, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

function appIdOf(key: ResourceKey): string {
  return `${key.group}/${key.kind}/${key.namespace}/${key.name}`;
}

function showId(entry: AppEntry): string {
  return `${entry.key.kind}/${entry.key.namespace}/${entry.key.name}`;
}

function refOfEntry(entry: AppEntry, versions: Map<string, string>, obj?: KubeObject): ObjectRef & { apiVersion: string } {
  const apiVersion = obj?.apiVersion ?? versions.get(`${entry.key.group}/${entry.key.kind}`) ?? `${entry.key.group}/v1`;
  const { version } = splitApiVersion(apiVersion);
  return { ...entry.key, version, apiVersion };
}

/** What of an app object means "look at it again": everything but status, resourceVersion and Argo's refresh annotation. */
export function fingerprintOf(obj: KubeObject): string {
  const { status: _s, metadata, ...rest } = obj;
  const annotations = { ...(metadata.annotations ?? {}) };
  delete annotations[ARGO_REFRESH_ANNOTATION];
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return stableJson({
    ...rest,
    labels: metadata.labels ?? {},
    annotations,
    deletionTimestamp: metadata.deletionTimestamp ?? null,
    generation: obj.apiVersion.startsWith('argoproj.io/') ? null : (metadata.generation ?? null),
  });
}

function isFluxReconcileRequest(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  const token = a[FLUX_REQUESTED_AT_ANNOTATION] ?? a[SLIPWAY_REQUESTED_AT_ANNOTATION];
  if (!token) return false;
  return (obj.status as { lastHandledReconcileAt?: string } | undefined)?.lastHandledReconcileAt !== token;
}

/**
 * Whether the latest write to an object (its newest managedFields entry, status writes left
 * out) was made by `manager`: then the event is the echo of our own apply, not drift.
 */
export function writtenBy(obj: KubeObject, manager: string): boolean {
  const entries = ((obj.metadata.managedFields ?? []) as { manager?: string; time?: string; subresource?: string }[]).filter((m) => m.subresource !== 'status');
  if (entries.length === 0) return false;
  const ours = (m: { manager?: string }) => m.manager === manager || !!m.manager?.startsWith(`${manager}-`);
  // Some writes leave no time (an update through the scale subresource): another manager's
  // entry without one cannot be placed before ours, so it counts as newer.
  if (entries.some((m) => !m.time && !ours(m))) return false;
  let latest = entries[0]!;
  for (const m of entries) if ((m.time ?? '') > (latest.time ?? '')) latest = m;
  // Ties (same second): ours only if every entry of that second is ours.
  const tied = entries.filter((m) => m.time === latest.time);
  return tied.every(ours);
}

function minimalSpec(entry: AppEntry, obj: KubeObject): AppSpec {
  const format = entry.key.group === 'argoproj.io' ? 'argocd' : entry.key.group === FLUX_KUSTOMIZE_GROUP ? 'flux' : 'slipway';
  return {
    ref: { apiVersion: obj.apiVersion, kind: obj.kind, namespace: entry.key.namespace, name: entry.key.name },
    format,
    deletionPolicy: 'Delete',
  } as AppSpec;
}

