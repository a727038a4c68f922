import { ApiError, keyString, splitApiVersion, type KubeObject, type ResourceKey } from '../core/index.js';
import type { KubeClient, WatchEvent } from './client.js';
import { resourcePath, type ApiResource } from './discovery.js';
import { sleep } from './internal/async.js';
import { listObjects } from './objects.js';

/** A change seen by the cache. */
export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
}

export type CacheHandler = (event: CacheEvent) => void;

/** Counters, for tests and benchmarks: a controller's cost should follow these, not the number of apps. */
export interface CacheStats {
  /** Full LIST calls made (initial lists and relists after a 410 Gone). */
  lists: number;
  /** Watch streams opened. */
  watches: number;
  /** Objects held. */
  objects: number;
}

/** Options of {@link WatchCache}. */
export interface WatchCacheOptions {
  /** Longest pause between reconnect attempts. @default 30000 */
  maxBackoffMs?: number;
  /** Called when a watch fails and is retried (the cache keeps serving its last state). */
  onError?: (kind: string, error: unknown) => void;
}

class Informer {
  readonly objects = new Map<string, KubeObject>();
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private resourceVersion = '';

  constructor(
    private readonly cache: WatchCache,
    private readonly client: KubeClient,
    readonly res: ApiResource,
    private readonly signal: AbortSignal,
  ) {
    this.synced = new Promise((resolve) => (this.markSynced = resolve));
  }

  get apiVersion(): string {
    return this.res.group ? `${this.res.group}/${this.res.version}` : this.res.version;
  }

  async run(options: WatchCacheOptions): Promise<void> {
    let backoff = 250;
    while (!this.signal.aborted) {
      try {
        if (!this.resourceVersion) await this.relist();
        this.cache.counters.watches++;
        await this.client.watch(
          resourcePath(this.res, undefined),
          { resourceVersion: this.resourceVersion, allowWatchBookmarks: true, timeoutSeconds: 300 },
          (e) => this.onEvent(e),
          this.signal,
        );
        backoff = 250;
      } catch (e) {
        if (this.signal.aborted) return;
        if (e instanceof ApiError && e.status === 410) {
          this.resourceVersion = ''; // too old: list again, then watch from there
          continue;
        }
        options.onError?.(this.res.kind, e);
        await sleep(backoff, this.signal);
        backoff = Math.min(backoff * 2, options.maxBackoffMs ?? 30_000);
      }
    }
  }

  private async relist(): Promise<void> {
    const { items, resourceVersion } = await listObjects(this.client, this.apiVersion, this.res.kind);
    this.cache.counters.lists++;
    const fresh = new Map(items.map((o) => [keyString(keyOfLive(o, this.res)), o]));
    for (const [id, old] of this.objects) {
      if (!fresh.has(id)) {
        this.objects.delete(id);
        this.cache.emit(id, this.res, { type: 'DELETED', object: old });
      }
    }
    for (const [id, obj] of fresh) {
      const old = this.objects.get(id);
      this.objects.set(id, obj);
      if (!old) this.cache.emit(id, this.res, { type: 'ADDED', object: obj });
      else if (old.metadata.resourceVersion !== obj.metadata.resourceVersion) this.cache.emit(id, this.res, { type: 'MODIFIED', object: obj });
    }
    this.resourceVersion = resourceVersion;
    this.markSynced();
  }

  private onEvent(e: WatchEvent): void {
    if (e.type === 'ERROR') {
      const status = e.object as unknown as { code?: number; message?: string; reason?: string };
      throw new ApiError(status.message ?? 'watch error', status.code ?? 500, status.reason ?? 'WatchError');
    }
    const rv = e.object.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (e.type === 'BOOKMARK') return;
    const obj: KubeObject = { ...e.object, apiVersion: this.apiVersion, kind: this.res.kind };
    const id = keyString(keyOfLive(obj, this.res));
    if (e.type === 'DELETED') this.objects.delete(id);
    else this.objects.set(id, obj);
    this.cache.emit(id, this.res, { type: e.type, object: obj });
  }
}

function keyOfLive(obj: KubeObject, res: ApiResource): ResourceKey {
  return { group: res.group, kind: res.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

/**
 * A shared, watch-fed cache of live objects: one LIST and one WATCH per type, however many
 * apps look at it, and only for the types someone asked for (argo-cd #17236). Readers get
 * objects by key; subscribers are called only for the keys (or kinds) they subscribed to, so
 * the work of one app follows its own objects, not the cluster's (argo-cd #28539).
 * Survives apiserver restarts: a broken watch reconnects with backoff, and a 410 Gone
 * relists and reports the differences as events.
 */
export class WatchCache {
  /** @internal counters the informers bump */
  readonly counters = { lists: 0, watches: 0 };
  private readonly informers = new Map<string, Informer>();
  private readonly byKey = new Map<string, Set<CacheHandler>>();
  private readonly byKind = new Map<string, Set<CacheHandler>>();
  private readonly abort = new AbortController();

  constructor(
    private readonly client: KubeClient,
    private readonly options: WatchCacheOptions = {},
  ) {}

  /** Starts watching a type (once; later calls share it) and resolves after its first full list. */
  async watchKind(apiVersion: string, kind: string): Promise<void> {
    const id = kindId(splitApiVersion(apiVersion).group, kind);
    let inf = this.informers.get(id);
    if (!inf) {
      const res = await this.client.discovery.resolve(apiVersion, kind);
      inf = this.informers.get(id);
      if (!inf) {
        inf = new Informer(this, this.client, res, this.abort.signal);
        this.informers.set(id, inf);
        void inf.run(this.options);
      }
    }
    await inf.synced;
  }

  /** The cached object, or undefined (not present, or its type is not watched). */
  get(key: ResourceKey): KubeObject | undefined {
    return this.informers.get(kindId(key.group, key.kind))?.objects.get(keyString(key));
  }

  /** Every cached object of one type. */
  list(group: string, kind: string): KubeObject[] {
    return [...(this.informers.get(kindId(group, kind))?.objects.values() ?? [])];
  }

  /** Calls `handler` for changes to exactly these objects. Returns the unsubscribe function. */
  subscribeKeys(keys: readonly ResourceKey[], handler: CacheHandler): () => void {
    const ids = keys.map(keyString);
    for (const id of ids) addTo(this.byKey, id, handler);
    return () => ids.forEach((id) => removeFrom(this.byKey, id, handler));
  }

  /** Calls `handler` for every change to objects of one type. */
  subscribeKind(group: string, kind: string, handler: CacheHandler): () => void {
    const id = kindId(group, kind);
    addTo(this.byKind, id, handler);
    return () => removeFrom(this.byKind, id, handler);
  }

  /** How much work the cache has done so far. */
  get stats(): CacheStats {
    let objects = 0;
    for (const inf of this.informers.values()) objects += inf.objects.size;
    return { ...this.counters, objects };
  }

  /** @internal called by informers */
  emit(id: string, res: ApiResource, event: CacheEvent): void {
    for (const h of this.byKey.get(id) ?? []) h(event);
    for (const h of this.byKind.get(kindId(res.group, res.kind)) ?? []) h(event);
  }

  /** Stops every watch. */
  stop(): void {
    this.abort.abort();
  }
}

function kindId(group: string, kind: string): string {
  return `${group}/${kind}`;
}

function addTo(map: Map<string, Set<CacheHandler>>, id: string, h: CacheHandler): void {
  let set = map.get(id);
  if (!set) map.set(id, (set = new Set()));
  set.add(h);
}

function removeFrom(map: Map<string, Set<CacheHandler>>, id: string, h: CacheHandler): void {
  const set = map.get(id);
  set?.delete(h);
  if (set?.size === 0) map.delete(id);
}
