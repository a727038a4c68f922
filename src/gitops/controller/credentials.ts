import { SlipwayError } from '../../core/index.js';
import { getObject, listObjects, type KubeClient } from '../../kube/index.js';
import type { AppSource } from '../models/index.js';
import type { FetchedSource, GitSourceSpec, SourceFetcher } from '../reconciler/deps.js';
import { ARGOCD_SECRET_TYPE_LABEL, credentialsFromSecret, findArgoRepoSecret } from '../sources/index.js';

/** Options of {@link CredentialResolver}. */
export interface CredentialResolverOptions {
  /** Where Argo CD repository Secrets live. @default 'argocd' */
  argoNamespace: string;
  /** Argo CD repository Secrets are listed again after this long. @default 30000 */
  ttlMs?: number;
  /**
   * A fetch of the same URL and revision within this long is shared rather than repeated (a
   * full pass over many apps of one repository asks the server once, not once per app).
   * {@link invalidate} (webhooks, on-demand and hard refreshes) forgets it. @default 3000
   */
  shareMs?: number;
}

/**
 * A SourceFetcher that adds credentials before fetching, as the two tools find them: a
 * source's `secretRef` (Flux GitRepository, Slipway) names a Secret in the app's namespace;
 * otherwise Argo CD repository / repo-creds Secrets in the Argo CD namespace are matched by URL
 * (argo-cd util/db/repository.go). Secrets are read when needed, never watched: a controller
 * should not hold every Secret of the cluster in memory.
 */
export class CredentialResolver implements SourceFetcher {
  private argoSecrets?: { at: number; items: Awaited<ReturnType<typeof listObjects>>['items'] };

  constructor(
    private readonly client: KubeClient,
    private readonly inner: SourceFetcher,
    private readonly options: CredentialResolverOptions,
  ) {}

  private readonly fetched = new Map<string, FetchedSource>();

  /** What the last successful fetch of this source (URL and ref) gave. */
  lastFetched(spec: GitSourceSpec): FetchedSource | undefined {
    return this.fetched.get(fetchKey(spec));
  }

  private readonly recent = new Map<string, { at: number; url: string; promise: Promise<FetchedSource> }>();

  async fetch(spec: GitSourceSpec, signal?: AbortSignal): Promise<FetchedSource> {
    const key = fetchKey(spec);
    const now = Date.now();
    const shared = this.recent.get(key);
    if (shared && now - shared.at < (this.options.shareMs ?? 3000)) return shared.promise;
    const promise = this.fetchWithCredentials(spec, signal);
    this.recent.set(key, { at: now, url: spec.url, promise });
    if (this.recent.size > 1000) this.recent.delete(this.recent.keys().next().value!);
    try {
      const out = await promise;
      this.fetched.set(key, out);
      return out;
    } catch (e) {
      if (this.recent.get(key)?.promise === promise) this.recent.delete(key);
      throw e;
    }
  }

  /** Forgets shared fetches of repositories `matches` accepts (all when unset), so the next fetch asks the server. */
  invalidate(matches?: (url: string) => boolean): void {
    for (const [key, r] of this.recent) if (!matches || matches(r.url)) this.recent.delete(key);
  }

  private async fetchWithCredentials(spec: GitSourceSpec, signal?: AbortSignal): Promise<FetchedSource> {
    if (spec.credentials || /^(\/|\.|file:\/\/)/.test(spec.url)) return this.inner.fetch(spec, signal);
    const secretRef = (spec as Partial<AppSource>).secretRef;
    if (secretRef) {
      const secret = await getObject(this.client, { group: '', version: 'v1', kind: 'Secret', namespace: secretRef.namespace, name: secretRef.name }, signal);
      if (!secret) throw new CredentialsError(`secret '${secretRef.namespace}/${secretRef.name}' not found`);
      return this.inner.fetch({ ...spec, credentials: credentialsFromSecret(secret) }, signal);
    }
    const secret = findArgoRepoSecret(await this.argoRepoSecrets(), spec.url);
    return this.inner.fetch(secret ? { ...spec, credentials: credentialsFromSecret(secret) } : spec, signal);
  }

  private async argoRepoSecrets(): Promise<Awaited<ReturnType<typeof listObjects>>['items']> {
    const now = Date.now();
    if (this.argoSecrets && now - this.argoSecrets.at < (this.options.ttlMs ?? 30_000)) return this.argoSecrets.items;
    let items: Awaited<ReturnType<typeof listObjects>>['items'] = [];
    try {
      items = (await listObjects(this.client, 'v1', 'Secret', { namespace: this.options.argoNamespace, labelSelector: ARGOCD_SECRET_TYPE_LABEL })).items;
    } catch (e) {
      // No access to that namespace (or no such namespace): fetch without credentials.
      if (!(e instanceof SlipwayError)) throw e;
    }
    this.argoSecrets = { at: now, items };
    return items;
  }
}

function fetchKey(spec: GitSourceSpec): string {
  return `${spec.url}|${JSON.stringify(spec.ref ?? {})}|${spec.revision ?? ''}`;
}

/** A source's credentials Secret is missing. */
export class CredentialsError extends SlipwayError {
  readonly code = 'SLW631' as const;
}
