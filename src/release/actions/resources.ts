import {
  ApiError,
  SlipwayError,
  UnknownKindError,
  formatError,
  isNotFound,
  keyString,
  sortByUninstallOrder,
  type KubeObject,
  type Manifest,
  type ResourceKey,
} from '../../core/index.js';
import { splitManifests } from '../../engines/chart/index.js';
import { parseManifests } from '../../engines/yaml/index.js';
import {
  apiVersionOf,
  applyManifests,
  defaultApplyOptions,
  deleteObject,
  getObject,
  resourcePath,
  waitForHealthy,
  type KubeClient,
  type ObjectRef,
} from '../../kube/index.js';
import { ReleaseActionError } from './errors.js';
import { isTransient, mapPool, retryTransient, sleep } from './internal/async.js';

/** The field manager of Slipway's server-side applies. */
export const FIELD_MANAGER = 'slipway';
/** The field manager helm v3 writes with (cmd/helm/helm.go sets kube.ManagedFieldsManager). */
export const HELM_FIELD_MANAGER = 'helm';

const MANAGED_BY = 'app.kubernetes.io/managed-by';
const RELEASE_NAME = 'meta.helm.sh/release-name';
const RELEASE_NAMESPACE = 'meta.helm.sh/release-namespace';
const RESOURCE_POLICY = 'helm.sh/resource-policy';

/** One object of a release, with its address on the cluster. */
export interface ReleaseResource {
  manifest: Manifest;
  ref: ObjectRef;
}

/**
 * The objects of a release manifest (helm's KubeClient.Build): each `# Source:` document
 * parsed, `kind: List` flattened; errors name the template.
 */
export function parseReleaseManifest(text: string, origin = 'release'): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of splitManifests(text)) {
    const source = /^# Source: (.*)$/m.exec(doc)?.[1] ?? origin;
    for (const m of parseManifests(doc, source)) out.push({ ...m, origin: { ...m.origin, source: `${origin}:${source}` } });
  }
  return out;
}

/**
 * Addresses of manifests: namespaced kinds without a namespace go to the release namespace,
 * cluster-scoped ones have none. A kind the server does not serve throws UnknownKindError,
 * or is left out with `skipUnknown` (an old revision's objects whose CRD is gone).
 */
export async function resolveResources(
  client: KubeClient,
  manifests: readonly Manifest[],
  namespace: string,
  options: { skipUnknown?: boolean } = {},
): Promise<ReleaseResource[]> {
  const out: ReleaseResource[] = [];
  for (const manifest of manifests) {
    const obj = manifest.object;
    const res = await client.discovery.find(obj.apiVersion, obj.kind);
    if (!res) {
      if (options.skipUnknown) continue;
      throw new UnknownKindError(obj.apiVersion, obj.kind, manifest.origin.at);
    }
    const ns = res.namespaced ? obj.metadata.namespace || namespace : '';
    out.push({ manifest, ref: { group: res.group, version: res.version, kind: obj.kind, namespace: ns, name: obj.metadata.name ?? '' } });
  }
  return out;
}

/** helm's setMetadataVisitor: the managed-by label and the release annotations, on a copy. */
export function withReleaseMetadata(obj: KubeObject, release: string, namespace: string): KubeObject {
  return {
    ...obj,
    metadata: {
      ...obj.metadata,
      labels: { ...obj.metadata.labels, [MANAGED_BY]: 'Helm' },
      annotations: { ...obj.metadata.annotations, [RELEASE_NAME]: release, [RELEASE_NAMESPACE]: namespace },
    },
  };
}

/** helm's resourceString: `Deployment "web" in namespace "shop"`. */
export function resourceString(ref: ResourceKey): string {
  return `${ref.kind} "${ref.name}" in namespace "${ref.namespace}"`;
}

/** helm's checkOwnership: undefined when the live object belongs to this release, else helm's message. */
export function ownershipProblem(live: KubeObject, release: string, namespace: string): string | undefined {
  const errs: string[] = [];
  const need = (map: Record<string, string> | undefined, key: string, want: string, what: string) => {
    const actual = map?.[key];
    if (actual === undefined) errs.push(`${what} validation error: missing key "${key}": must be set to "${want}"`);
    else if (actual !== want) errs.push(`${what} validation error: key "${key}" must equal "${want}": current value is "${actual}"`);
  };
  need(live.metadata.labels, MANAGED_BY, 'Helm', 'label');
  need(live.metadata.annotations, RELEASE_NAME, release, 'annotation');
  need(live.metadata.annotations, RELEASE_NAMESPACE, namespace, 'annotation');
  return errs.length ? ['invalid ownership metadata', ...errs].join('; ') : undefined;
}

interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/**
 * The managedFields an object should have for Slipway to take over what helm wrote, or
 * undefined when helm owns nothing here. Helm v3 writes with POST and client-side
 * three-way merge patches (manager "helm", operation Update), so after `helm install`
 * every field is helm's. A server-side apply would then share fields with helm and could
 * never remove one the chart drops; helm's own upgrade would. So, as kubectl does when it
 * moves an object from client-side to server-side apply (client-go util/csaupgrade), the
 * fields of helm's Update entries are moved into Slipway's Apply entry: the next apply owns
 * them and removes those the chart no longer sets. Entries of other managers stay.
 */
export function adoptHelmFields(live: KubeObject, now: Date = new Date()): ManagedFieldsEntry[] | undefined {
  const entries = (live.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const main = (e: ManagedFieldsEntry) => !e.subresource && e.apiVersion === live.apiVersion && e.fieldsType === 'FieldsV1';
  const helm = entries.filter((e) => e.manager === HELM_FIELD_MANAGER && e.operation === 'Update' && main(e));
  if (helm.length === 0) return undefined;
  const ours = entries.find((e) => e.manager === FIELD_MANAGER && e.operation === 'Apply' && main(e));
  let fields: Record<string, unknown> = {};
  for (const e of [...(ours ? [ours] : []), ...helm]) fields = unionFields(fields, e.fieldsV1 ?? {});
  const merged: ManagedFieldsEntry = {
    manager: FIELD_MANAGER,
    operation: 'Apply',
    apiVersion: live.apiVersion,
    time: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  return [...entries.filter((e) => e !== ours && !helm.includes(e)), merged];
}

/** The union of two FieldsV1 sets (nested maps whose leaves are {}). */
export function unionFields(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const mine = out[k];
    out[k] = mine && typeof mine === 'object' && v && typeof v === 'object'
      ? unionFields(mine as Record<string, unknown>, v as Record<string, unknown>)
      : (v ?? mine);
  }
  return out;
}

/** Writes {@link adoptHelmFields}' managedFields, guarded by the resourceVersion it read. */
async function takeOverFields(client: KubeClient, ref: ObjectRef, live: KubeObject, signal?: AbortSignal): Promise<void> {
  const fields = adoptHelmFields(live);
  if (!fields) return;
  const res = await client.discovery.resolve(apiVersionOf(ref), ref.kind);
  await client.request('PATCH', resourcePath(res, ref.namespace, ref.name), {
    key: ref,
    signal,
    contentType: 'application/json-patch+json',
    body: [
      { op: 'test', path: '/metadata/resourceVersion', value: live.metadata.resourceVersion },
      { op: 'replace', path: '/metadata/managedFields', value: fields },
    ],
  });
}

/** Options of {@link updateResources}. */
export interface UpdateOptions {
  release: string;
  namespace: string;
  signal?: AbortSignal;
  log?: (message: string) => void;
}

/** What {@link updateResources} did. */
export interface UpdateResult {
  created: ObjectRef[];
  updated: ObjectRef[];
  deleted: ObjectRef[];
  /** Dropped from the chart but kept: `helm.sh/resource-policy: keep`. */
  kept: ObjectRef[];
}

/**
 * helm's KubeClient.Update(current, target) done with server-side apply: the target objects
 * (release labels and annotations added) applied in install order under the field manager
 * "slipway" with force (a release owns its objects, as helm's patches do), then the objects
 * of `current` missing from `target` deleted, unless the live one says
 * `helm.sh/resource-policy: keep` (ownership of objects new to the release is checked
 * before, by the caller: deploy.ts checkConflicts). Apply failures are
 * collected and thrown together (helm joins them with " && "); then nothing is deleted.
 */
export async function updateResources(
  client: KubeClient,
  current: readonly ReleaseResource[],
  target: readonly ReleaseResource[],
  options: UpdateOptions,
): Promise<UpdateResult> {
  const live = await mapPool(target, 8, (r) => getObject(client, r.ref, options.signal));
  await mapPool(target, 8, async (r, i) => {
    const obj = live[i];
    if (obj) await takeOverFields(client, r.ref, obj, options.signal);
  });
  const manifests = target.map((r) => ({ ...r.manifest, object: withReleaseMetadata(r.manifest.object, options.release, options.namespace) }));
  const set = await applyManifests(client, manifests, {
    ...defaultApplyOptions(),
    fieldManager: FIELD_MANAGER,
    force: true,
    namespace: options.namespace,
    signal: options.signal,
  });
  const failed = set.changes.filter((c) => c.action === 'failed');
  const result: UpdateResult = {
    created: set.changes.filter((c) => c.action === 'created').map((c) => c.ref),
    updated: set.changes.filter((c) => c.action === 'configured' || c.action === 'unchanged').map((c) => c.ref),
    deleted: [],
    kept: [],
  };
  if (failed.length > 0) {
    throw Object.assign(
      new ReleaseActionError(failed.map((c) => (c.error ? formatError(c.error) : `${resourceString(c.ref)}: apply failed`)).join(' && ')),
      { result },
    );
  }

  const wanted = new Set(target.map((r) => keyString(r.ref)));
  for (const r of sortByUninstallOrder(current.filter((c) => !wanted.has(keyString(c.ref))), (c) => c.ref.kind)) {
    try {
      const obj = await getObject(client, r.ref, options.signal);
      if (!obj) continue;
      if (obj.metadata.annotations?.[RESOURCE_POLICY] === 'keep') {
        options.log?.(`Skipping delete of "${r.ref.name}" due to annotation [${RESOURCE_POLICY}=keep]`);
        result.kept.push(r.ref);
        continue;
      }
      await deleteObject(client, r.ref, { signal: options.signal });
      result.deleted.push(r.ref);
    } catch (e) {
      // helm logs a failed delete of a dropped object and goes on
      if (!(e instanceof SlipwayError)) throw e;
      options.log?.(`Failed to delete ${resourceString(r.ref)}: ${e.message}`);
    }
  }
  return result;
}

/** Options of {@link waitReady}. */
export interface ReadyOptions {
  timeoutMs: number;
  /** --wait-for-jobs: Jobs must complete too. @default false */
  waitForJobs?: boolean;
  signal?: AbortSignal;
}

/**
 * helm's --wait: every object healthy (src/engines/health), Jobs only with --wait-for-jobs.
 * A restarting apiserver is waited out within the timeout, as helm retries such errors.
 */
export async function waitReady(client: KubeClient, refs: readonly ObjectRef[], options: ReadyOptions): Promise<void> {
  const watched = refs.filter((r) => options.waitForJobs || !(r.group === 'batch' && r.kind === 'Job'));
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      await waitForHealthy(client, watched, { timeoutMs: Math.max(0, deadline - Date.now()), signal: options.signal });
      return;
    } catch (e) {
      if (!isTransient(e) || Date.now() >= deadline || options.signal?.aborted) throw e;
      await sleep(1000, options.signal);
    }
  }
}

/** Deletes objects (background propagation unless told otherwise); returns those deleted or gone, and the errors. */
export async function deleteResources(
  client: KubeClient,
  refs: readonly ObjectRef[],
  options: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; signal?: AbortSignal } = {},
): Promise<{ deleted: ObjectRef[]; errors: SlipwayError[] }> {
  const deleted: ObjectRef[] = [];
  const errors: SlipwayError[] = [];
  // helm deletes kind after kind in uninstall order, the objects of one kind at once
  const ordered = sortByUninstallOrder(refs, (r) => r.kind);
  let i = 0;
  while (i < ordered.length) {
    let j = i;
    while (j < ordered.length && ordered[j]!.kind === ordered[i]!.kind) j++;
    await mapPool(ordered.slice(i, j), 8, async (ref) => {
      try {
        await retryTransient(() => deleteObject(client, ref, options), 30_000, options.signal);
        deleted.push(ref);
      } catch (e) {
        if (!(e instanceof SlipwayError)) throw e;
        errors.push(e);
      }
    });
    i = j;
  }
  return { deleted, errors };
}

/** helm's WaitForDelete: polls until every object is gone; throws after the timeout. */
export async function waitDeleted(client: KubeClient, refs: readonly ObjectRef[], timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let pending = [...refs];
  for (;;) {
    const still = await mapPool(pending, 8, async (ref) => {
      try {
        return (await getObject(client, ref, signal)) !== undefined;
      } catch (e) {
        if (isNotFound(e)) return false;
        if (isTransient(e)) return true;
        throw e;
      }
    });
    pending = pending.filter((_, i) => still[i]);
    if (pending.length === 0) return;
    if (Date.now() >= deadline || signal?.aborted) {
      throw new ReleaseActionError(
        `timed out waiting for the condition: ${pending.map((r) => resourceString(r)).join(', ')} not deleted yet`,
      );
    }
    await sleep(250, signal);
  }
}

/** POST (create) of one object, as helm creates hooks and CRDs; AlreadyExists comes back as an ApiError (409). */
export async function createObject(client: KubeClient, obj: KubeObject, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject> {
  const res = await client.discovery.resolve(obj.apiVersion, obj.kind);
  const body = { ...obj, metadata: { ...obj.metadata, ...(ref.namespace ? { namespace: ref.namespace } : {}) } };
  return client.request<KubeObject>('POST', resourcePath(res, ref.namespace, undefined), {
    key: ref,
    signal,
    body,
    query: { fieldManager: FIELD_MANAGER },
  });
}

/** True when the error is the apiserver's AlreadyExists. */
export function isAlreadyExists(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409 && e.reason === 'AlreadyExists';
}
