import { ApiError, UnknownKindError, splitApiVersion, type SourceLocation } from '../core/index.js';
import type { KubeClient } from './client.js';

/** A served resource type, as discovery reports it. */
export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  /** The plural path segment, e.g. "deployments". */
  resource: string;
  namespaced: boolean;
  verbs: string[];
}

interface GroupVersionEntry {
  byKind: Map<string, ApiResource>;
  /** undefined: the group/version is not served. */
  served: boolean;
  fetchedAt: number;
}

interface RawResourceList {
  resources?: { name: string; kind: string; namespaced: boolean; verbs?: string[] }[];
}

/** A missing kind refetches its group/version at most this often, so a loop of misses cannot storm the server. */
const MISS_REFRESH_MS = 1000;

/**
 * GVK -> resource mapping, cached per group/version and fetched lazily. When a kind is not
 * found in a cached group/version (a CRD just created), that one group/version is fetched
 * again, so new types are seen without a full rediscovery.
 */
export class Discovery {
  private readonly cache = new Map<string, GroupVersionEntry>();
  private readonly inflight = new Map<string, Promise<GroupVersionEntry>>();

  constructor(private readonly client: KubeClient) {}

  /** The resource for `apiVersion`/`kind`, or undefined when the server does not serve it. */
  async find(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    let entry = this.cache.get(apiVersion) ?? (await this.fetch(apiVersion));
    let res = entry.byKind.get(kind);
    if (!res && Date.now() - entry.fetchedAt > MISS_REFRESH_MS) {
      entry = await this.fetch(apiVersion);
      res = entry.byKind.get(kind);
    }
    return res;
  }

  /** Like {@link find}, but throws UnknownKindError (naming `at`, when given) for an unserved kind. */
  async resolve(apiVersion: string, kind: string, at?: SourceLocation): Promise<ApiResource> {
    const res = await this.find(apiVersion, kind);
    if (!res) throw new UnknownKindError(apiVersion, kind, at);
    return res;
  }

  /** Forget one group/version (or everything), e.g. after CRDs were applied. */
  invalidate(apiVersion?: string): void {
    if (apiVersion) this.cache.delete(apiVersion);
    else this.cache.clear();
  }

  private fetch(apiVersion: string): Promise<GroupVersionEntry> {
    let p = this.inflight.get(apiVersion);
    if (!p) {
      p = this.load(apiVersion).finally(() => this.inflight.delete(apiVersion));
      this.inflight.set(apiVersion, p);
    }
    return p;
  }

  private async load(apiVersion: string): Promise<GroupVersionEntry> {
    const { group, version } = splitApiVersion(apiVersion);
    const path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    const entry: GroupVersionEntry = { byKind: new Map(), served: false, fetchedAt: Date.now() };
    try {
      const list = await this.client.request<RawResourceList>('GET', path);
      entry.served = true;
      for (const r of list.resources ?? []) {
        if (r.name.includes('/')) continue; // subresources: pods/log, deployments/scale
        entry.byKind.set(r.kind, { group, version, kind: r.kind, resource: r.name, namespaced: r.namespaced, verbs: r.verbs ?? [] });
      }
    } catch (e) {
      // 404: the group/version is not served (yet); 503: an aggregated API that is down.
      if (!(e instanceof ApiError && (e.status === 404 || e.status === 503))) throw e;
    }
    this.cache.set(apiVersion, entry);
    return entry;
  }
}

/** The REST path of a collection or of one object. */
export function resourcePath(res: ApiResource, namespace: string | undefined, name?: string): string {
  const base = res.group ? `/apis/${res.group}/${res.version}` : `/api/${res.version}`;
  const ns = res.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${res.resource}${name ? `/${encodeURIComponent(name)}` : ''}`;
}
