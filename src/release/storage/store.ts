/**
 * The Secrets driver with helm's Storage on top (pkg/storage/driver/secrets.go,
 * pkg/storage/storage.go): one Secret per revision, named `sh.helm.release.v1.<name>.v<rev>`,
 * type `helm.sh/release.v1`, labels name/owner=helm/status/version plus createdAt (create) or
 * modifiedAt (update) and the release's custom labels, data key `release` holding the encoded
 * record. What helm reads, this writes, and the other way round.
 */
import { ApiError, BatchError, SlipwayError, type KubeObject, type ResourceKey } from '../../core/index.js';
import { listObjects, type KubeClient } from '../../kube/index.js';
import { decodeRelease, encodeRelease } from './codec.js';
import { InvalidReleaseNameError, ReleaseDecodeError, ReleaseExistsError, ReleaseNotFoundError } from './errors.js';
import { acquireLease, type LockOptions, type ReleaseLock } from './lease.js';
import { compareByName, latestRevisions, selectReleases, type ListFilter, type ReleaseRecord } from './list.js';
import { revisionsToPrune } from './prune.js';
import { RELEASE_DATA_KEY, checkReleaseSize } from './size.js';
import type { Release, ReleaseStatus } from './types.js';

/** helm's storage type prefix of Secret names (storage.HelmStorageType). */
export const HELM_STORAGE_TYPE = 'sh.helm.release.v1';
/** The Secret type helm gives release records. */
export const RELEASE_SECRET_TYPE = 'helm.sh/release.v1';
/** Labels helm sets itself and strips from a release's custom labels (driver/util.go). */
export const SYSTEM_LABELS: readonly string[] = ['name', 'owner', 'status', 'version', 'createdAt', 'modifiedAt'];

const VALID_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** chartutil.ValidateReleaseName's message for a name helm refuses, or undefined when it is fine. */
export function releaseNameProblem(name: string): string | undefined {
  if (name === '') return 'no name provided';
  if (name.length > 53 || !VALID_NAME.test(name)) {
    return `invalid release name, must match regex ${VALID_NAME.source} and the length must not be longer than 53`;
  }
  return undefined;
}

/** The Secret name of one revision: `sh.helm.release.v1.<name>.v<version>` (storage.makeKey). */
export function releaseSecretName(name: string, version: number): string {
  return `${HELM_STORAGE_TYPE}.${name}.v${version}`;
}

/** The custom labels of a release Secret: every label but helm's system labels. */
export function customLabels(labels: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels ?? {})) if (!SYSTEM_LABELS.includes(k)) out[k] = v;
  return out;
}

/** Options of {@link ReleaseStore.create}. */
export interface CreateOptions {
  /**
   * helm's --history-max as Storage.Create applies it: before writing, delete the oldest
   * revisions so that with the new one at most this many remain (the last deployed one is
   * always kept). 0 or less: no limit. @default 0
   */
  maxHistory?: number;
}

interface SecretObject extends KubeObject {
  type?: string;
  data?: Record<string, string>;
}

const unixNow = () => String(Math.floor(Date.now() / 1000));

/**
 * The release history of one namespace, stored in Secrets exactly as helm v3 stores it.
 * Methods mirror helm's storage.Storage; reads of a missing release give undefined (or an
 * empty history) rather than an error, and the CLI turns that into helm's "release: not found".
 */
export class ReleaseStore {
  constructor(
    private readonly client: KubeClient,
    /** The namespace the releases live in (their Secrets too). */
    readonly namespace: string,
  ) {}

  private secretPath(name?: string): string {
    const base = `/api/v1/namespaces/${encodeURIComponent(this.namespace)}/secrets`;
    return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
  }

  private key(name: string): ResourceKey {
    return { group: '', kind: 'Secret', namespace: this.namespace, name };
  }

  /** One revision; undefined when it is not stored. */
  async get(name: string, version: number): Promise<Release | undefined> {
    const secret = releaseSecretName(name, version);
    let obj: SecretObject;
    try {
      obj = await this.client.request<SecretObject>('GET', this.secretPath(secret), { key: this.key(secret) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return undefined;
      throw e;
    }
    return recordOf(obj, true).release;
  }

  /**
   * Every stored revision of the release, oldest first; empty when there is none. Records
   * that do not decode are skipped, as helm's Query skips them.
   */
  async history(name: string): Promise<Release[]> {
    return (await this.query({ name, owner: 'helm' })).map((r) => r.release).sort((a, b) => a.version - b.version);
  }

  /**
   * helm's Configuration.releaseContent (status, get): the given revision, or the last one
   * when `version` is 0 or less. Throws helm's errors: InvalidReleaseNameError
   * "releaseContent: Release name is invalid: NAME", ReleaseNotFoundError "release: not found".
   */
  async releaseContent(name: string, version = 0): Promise<Release> {
    if (releaseNameProblem(name)) throw new InvalidReleaseNameError(`releaseContent: Release name is invalid: ${name}`);
    const rel = version > 0 ? await this.get(name, version) : await this.last(name);
    if (!rel) throw new ReleaseNotFoundError(name, version > 0 ? version : undefined);
    return rel;
  }

  /**
   * helm's History action: every revision, oldest first. Throws InvalidReleaseNameError
   * "release name is invalid: NAME" or ReleaseNotFoundError "release: not found", as helm does.
   */
  async requireHistory(name: string): Promise<Release[]> {
    if (releaseNameProblem(name)) throw new InvalidReleaseNameError(`release name is invalid: ${name}`);
    const h = await this.history(name);
    if (h.length === 0) throw new ReleaseNotFoundError(name);
    return h;
  }

  /** The highest revision (helm's Storage.Last), whatever its status. */
  async last(name: string): Promise<Release | undefined> {
    return (await this.history(name)).at(-1);
  }

  /** The newest revision labelled deployed (helm's Storage.Deployed). */
  async deployed(name: string): Promise<Release | undefined> {
    const all = await this.query({ name, owner: 'helm', status: 'deployed' });
    return all.map((r) => r.release).sort((a, b) => a.version - b.version).at(-1);
  }

  /**
   * The latest revision of each release (of this namespace, or of all with `allNamespaces`),
   * sorted by name, keeping only the given statuses when there are any — helm list's rules
   * (when the statuses are exactly ['superseded'], superseded revisions are listed themselves).
   */
  async list(filter: { allNamespaces?: boolean; statuses?: ReleaseStatus[] } = {}): Promise<Release[]> {
    const records = await this.records(filter.allNamespaces ?? false);
    const statuses = filter.statuses && filter.statuses.length > 0 ? new Set(filter.statuses) : undefined;
    const onlySuperseded = statuses?.size === 1 && statuses.has('superseded');
    return (onlySuperseded ? records : latestRevisions(records))
      .filter((r) => !statuses || statuses.has(r.release.info.status))
      .map((r) => r.release)
      .sort(compareByName);
  }

  /** helm list with all of its flags (see ListFilter), over this namespace or all of them. */
  async select(filter: ListFilter & { allNamespaces?: boolean } = {}): Promise<Release[]> {
    return selectReleases(await this.records(filter.allNamespaces ?? false), filter);
  }

  /**
   * Every revision of every release with the Secret's labels (helm's Driver.List): of this
   * namespace, or of all namespaces. Records that do not decode are skipped, as helm does.
   */
  async records(allNamespaces = false): Promise<ReleaseRecord[]> {
    const { items } = await listObjects(this.client, 'v1', 'Secret', {
      ...(allNamespaces ? {} : { namespace: this.namespace }),
      labelSelector: 'owner=helm',
    });
    return decodeAll(items as SecretObject[]);
  }

  private async query(labels: Record<string, string>): Promise<ReleaseRecord[]> {
    const selector = Object.entries(labels)
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    if (labels.name !== undefined) {
      const problem = releaseNameProblem(labels.name);
      if (problem) throw new InvalidReleaseNameError(`release name "${labels.name}": ${problem}`);
    }
    const { items } = await listObjects(this.client, 'v1', 'Secret', { namespace: this.namespace, labelSelector: selector });
    return decodeAll(items as SecretObject[]);
  }

  /**
   * Stores a new revision (helm's Storage.Create): fails with ReleaseExistsError when the
   * revision is already stored and with ReleaseTooLargeError when it would not fit in a Secret.
   */
  async create(r: Release, options: CreateOptions = {}): Promise<void> {
    checkName(r.name);
    const encoded = encodeRelease(r);
    checkReleaseSize(r, encoded);
    if ((options.maxHistory ?? 0) > 0) await this.pruneTo(r.name, (options.maxHistory ?? 0) - 1);
    const body = this.secretFor(r, encoded, { createdAt: unixNow() });
    try {
      await this.client.request('POST', this.secretPath(), { body, key: this.key(body.metadata.name!) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) throw new ReleaseExistsError(r.name, r.version);
      throw e;
    }
  }

  /**
   * Rewrites a stored revision (helm's Storage.Update), its status label included. Fails with
   * ReleaseNotFoundError when the revision is not stored.
   */
  async update(r: Release): Promise<void> {
    checkName(r.name);
    const encoded = encodeRelease(r);
    checkReleaseSize(r, encoded);
    const body = this.secretFor(r, encoded, { modifiedAt: unixNow() });
    try {
      await this.client.request('PUT', this.secretPath(body.metadata.name!), { body, key: this.key(body.metadata.name!) });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) throw new ReleaseNotFoundError(r.name, r.version);
      throw e;
    }
  }

  /** Deletes one revision (helm's Storage.Delete); ReleaseNotFoundError when it is not stored. */
  async delete(name: string, version: number): Promise<void> {
    const secret = releaseSecretName(name, version);
    try {
      await this.client.request('DELETE', this.secretPath(secret), {
        key: this.key(secret),
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' },
      });
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) throw new ReleaseNotFoundError(name, version);
      throw e;
    }
  }

  /**
   * Keeps at most `max` revisions (helm's --history-max; 0 or less: no limit): deletes the
   * oldest ones, never the last deployed one. Returns the deleted revisions.
   */
  async prune(name: string, max: number): Promise<number[]> {
    if (max <= 0) return [];
    return this.pruneTo(name, max);
  }

  /** storage.removeLeastRecent(name, max); tries every deletion and reports the failures together. */
  private async pruneTo(name: string, max: number): Promise<number[]> {
    const doomed = revisionsToPrune(await this.history(name), max);
    // Delete as many as possible, as helm does; a later run deletes the rest.
    const errors: SlipwayError[] = [];
    for (const v of doomed) {
      try {
        await this.delete(name, v);
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        if (!(e instanceof ReleaseNotFoundError)) errors.push(e);
      }
    }
    if (errors.length === 1) throw errors[0]!;
    if (errors.length > 1) throw new BatchError(errors);
    return doomed;
  }

  /**
   * Takes the release's lock: a coordination.k8s.io/v1 Lease `slipway-release-<name>` held for
   * `ttlMs` unless renewed. A lease whose holder stopped renewing is taken over, and the
   * pending-* revision that holder left behind is marked failed. Throws ReleaseLockedError
   * (helm's "another operation (install/upgrade/rollback) is in progress") while another
   * holder's lease is live.
   */
  async lock(name: string, holder: string, ttlMs: number, options: LockOptions = {}): Promise<ReleaseLock> {
    checkName(name);
    return acquireLease(this.client, this, name, holder, ttlMs, options);
  }

  private secretFor(r: Release, encoded: string, stamp: Record<string, string>): SecretObject {
    // helm: the stamp, then the custom labels, then the system labels win.
    const labels: Record<string, string> = {
      ...stamp,
      ...(r.labels ?? {}),
      name: r.name,
      owner: 'helm',
      status: r.info.status,
      version: String(r.version),
    };
    return {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: releaseSecretName(r.name, r.version), namespace: this.namespace, labels },
      type: RELEASE_SECRET_TYPE,
      data: { [RELEASE_DATA_KEY]: Buffer.from(encoded, 'utf8').toString('base64') },
    };
  }
}

function checkName(name: string): void {
  const problem = releaseNameProblem(name);
  if (problem) throw new InvalidReleaseNameError(`release name "${name}": ${problem}`);
}

/** A Secret's release record; `strict` throws on a record that does not decode. */
function recordOf(obj: SecretObject, strict: boolean): ReleaseRecord {
  const raw = obj.data?.[RELEASE_DATA_KEY];
  const name = obj.metadata.name ?? '';
  try {
    if (raw === undefined) throw new ReleaseDecodeError(`Secret ${obj.metadata.namespace}/${name} has no "${RELEASE_DATA_KEY}" data`);
    const release = decodeRelease(Buffer.from(raw, 'base64').toString('utf8'));
    const labels = obj.metadata.labels ?? {};
    const custom = customLabels(labels);
    if (Object.keys(custom).length > 0) release.labels = custom;
    return { release, secretLabels: { ...labels } };
  } catch (e) {
    if (strict && e instanceof ReleaseDecodeError) {
      throw new ReleaseDecodeError(`get: failed to decode data "${name}": ${e.message}`, undefined, { cause: e });
    }
    throw e;
  }
}

function decodeAll(items: SecretObject[]): ReleaseRecord[] {
  const out: ReleaseRecord[] = [];
  for (const item of items) {
    try {
      out.push(recordOf(item, false));
    } catch (e) {
      if (!(e instanceof ReleaseDecodeError)) throw e;
      // helm logs "list: failed to decode release" and goes on.
    }
  }
  return out;
}
