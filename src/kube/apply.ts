import {
  BatchError,
  ManifestError,
  SlipwayError,
  UnknownKindError,
  compareKinds,
  formatKey,
  keyString,
  splitApiVersion,
  type KubeObject,
  type Manifest,
  type ResourceKey,
} from '../core/index.js';
import type { KubeClient } from './client.js';
import { pool, sleep } from './internal/async.js';
import { getObject, refOf, serverSideApply, type ObjectRef } from './objects.js';

/** What happened to one object. */
export type Action = 'created' | 'configured' | 'unchanged' | 'deleted' | 'skipped' | 'failed';

/** One entry of a {@link ChangeSet}. */
export interface Change {
  ref: ObjectRef;
  action: Action;
  /** The object as the server returned it (or would, on a dry run). */
  object?: KubeObject;
  /** The live object before the change, when there was one. */
  before?: KubeObject;
  error?: SlipwayError;
  /** Why an object was skipped, e.g. "prune protected". */
  note?: string;
}

/** The result of an apply or prune, in the order the objects were handled. */
export interface ChangeSet {
  changes: Change[];
}

/** Options of {@link applyManifests}. */
export interface ApplyOptions {
  /** Server-side apply field manager. @default 'slipway' */
  fieldManager: string;
  /** Take over fields owned by other managers. @default false */
  force: boolean;
  /** Ask the server what would change, change nothing. @default false */
  dryRun: boolean;
  /** Namespace for namespaced objects that name none. @default the kubeconfig context's */
  namespace?: string;
  /** Fail when an object names a namespace other than `namespace` (kubectl -n semantics). @default false */
  enforceNamespace: boolean;
  /** Concurrent requests within one kind. @default 8 */
  concurrency: number;
  /** How long to wait for applied CRDs to be Established before applying their objects. @default 60000 */
  crdTimeoutMs: number;
  /**
   * Called once every object is resolved and checked and the Namespaces and CRDs are applied,
   * before any other change: an inventory (which may live in one of those namespaces) records
   * the objects here, so a crash midway still leaves each one tracked.
   */
  beforeApply?: (refs: ObjectRef[]) => Promise<void>;
  signal?: AbortSignal;
}

export function defaultApplyOptions(): ApplyOptions {
  return { fieldManager: 'slipway', force: false, dryRun: false, enforceNamespace: false, concurrency: 8, crdTimeoutMs: 60_000 };
}

interface Planned {
  manifest: Manifest;
  object: KubeObject;
  ref: ObjectRef;
  /** Its type is defined by a CRD in the same batch, not yet served. */
  pendingDefinition: boolean;
  /** Dry run only: its namespace is created by the same batch. */
  pendingNamespace?: boolean;
}

const CRD_KIND = 'CustomResourceDefinition';
const CRD_GROUP = 'apiextensions.k8s.io';

/**
 * Server-side applies a set of manifests, in stages so that a batch may carry its own
 * types: CRDs and Namespaces first (then waiting until the CRDs are Established), then
 * everything else in install order. Every object is checked before anything is changed:
 * an unknown kind, a duplicate, or a namespace conflict fails the whole call untouched.
 * An apply that changes nothing is not written by the apiserver (its resourceVersion stays),
 * and is reported `unchanged`; a dry run compares the server's preview with the live object.
 * Failures of single objects do not stop the others; they come back as `failed` changes.
 */
export async function applyManifests(client: KubeClient, manifests: readonly Manifest[], options: ApplyOptions): Promise<ChangeSet> {
  const plan = await planApply(client, manifests, options);
  const first = plan.filter((p) => isStageOne(p.ref));
  const rest = plan.filter((p) => !isStageOne(p.ref));
  const changes: Change[] = [];
  changes.push(...(await applyStage(client, first, options)));
  // After the Namespaces exist: an inventory may live in one of them.
  await options.beforeApply?.(plan.map((p) => p.ref));
  const crds = changes.filter((c) => c.ref.kind === CRD_KIND && c.ref.group === CRD_GROUP && c.action !== 'failed');
  if (crds.length > 0 && !options.dryRun) {
    await waitForCrds(client, crds.map((c) => c.ref), options);
    client.discovery.invalidate();
  }
  if (options.dryRun) {
    // A dry run creates nothing, so objects in a Namespace this batch would create cannot be
    // checked by the server yet; like objects of a pending CRD, they are reported as created.
    const newNamespaces = new Set(changes.filter((c) => c.ref.kind === 'Namespace' && c.action === 'created').map((c) => c.ref.name));
    for (const p of rest) if (newNamespaces.has(p.ref.namespace)) p.pendingNamespace = true;
  }
  changes.push(...(await applyStage(client, rest, options)));
  return { changes };
}

function isStageOne(ref: ObjectRef): boolean {
  return (ref.kind === CRD_KIND && ref.group === CRD_GROUP) || (ref.kind === 'Namespace' && ref.group === '');
}

/** Resolves every manifest's type and namespace; throws BatchError listing every problem found. */
async function planApply(client: KubeClient, manifests: readonly Manifest[], options: ApplyOptions): Promise<Planned[]> {
  const defined = definedByCrds(manifests);
  const namespace = options.namespace ?? client.namespace;
  const problems: SlipwayError[] = [];
  const seen = new Map<string, Manifest>();
  const planned: Planned[] = [];
  for (const manifest of manifests) {
    const obj = manifest.object;
    const at = manifest.origin.at;
    const res = await client.discovery.find(obj.apiVersion, obj.kind);
    const { group, version } = splitApiVersion(obj.apiVersion);
    const pending = res ? undefined : defined.get(`${group}/${version}/${obj.kind}`);
    if (!res && pending === undefined) {
      problems.push(new UnknownKindError(obj.apiVersion, obj.kind, at));
      continue;
    }
    const namespaced = res ? res.namespaced : pending!;
    let ns = '';
    if (namespaced) {
      ns = obj.metadata.namespace || namespace;
      if (options.enforceNamespace && obj.metadata.namespace && obj.metadata.namespace !== namespace) {
        problems.push(
          new ManifestError(
            `the namespace from the object "${obj.metadata.namespace}" does not match the namespace "${namespace}" given with -n`,
            at,
          ),
        );
        continue;
      }
    }
    const object: KubeObject = { ...obj, metadata: { ...obj.metadata } };
    if (ns) object.metadata.namespace = ns;
    else delete object.metadata.namespace;
    const ref = refOf(object);
    const id = keyString(ref);
    const twin = seen.get(id);
    if (twin) {
      const where = twin.origin.at ? ` (first at ${twin.origin.at.file}:${twin.origin.at.line ?? ''})` : '';
      problems.push(new ManifestError(`${formatKey(ref)} appears more than once${where}`, at));
      continue;
    }
    seen.set(id, manifest);
    planned.push({ manifest, object, ref, pendingDefinition: !res });
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) throw new BatchError(problems);
  // Stable: objects of one kind keep their input order.
  return planned.sort((a, b) => compareKinds(a.ref.kind, b.ref.kind));
}

/** "group/version/Kind" -> namespaced, for every version the batch's CRDs serve. */
function definedByCrds(manifests: readonly Manifest[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const { object } of manifests) {
    if (object.kind !== CRD_KIND || splitApiVersion(object.apiVersion).group !== CRD_GROUP) continue;
    const spec = (object.spec ?? {}) as {
      group?: string;
      scope?: string;
      names?: { kind?: string };
      versions?: { name?: string; served?: boolean }[];
      version?: string;
    };
    const kind = spec.names?.kind;
    if (!spec.group || !kind) continue;
    const versions = (spec.versions ?? []).filter((v) => v.served !== false).map((v) => v.name);
    if (spec.version) versions.push(spec.version);
    for (const v of versions) if (v) out.set(`${spec.group}/${v}/${kind}`, spec.scope !== 'Cluster');
  }
  return out;
}

async function applyStage(client: KubeClient, items: Planned[], options: ApplyOptions): Promise<Change[]> {
  const out: Change[] = new Array(items.length);
  // Objects of one kind go out concurrently; kinds go one after another, in install order.
  let i = 0;
  while (i < items.length) {
    let j = i;
    while (j < items.length && items[j]!.ref.kind === items[i]!.ref.kind) j++;
    const group = items.slice(i, j);
    const base = i;
    await pool(group, options.concurrency, async (p, k) => {
      out[base + k] = await applyOne(client, p, options);
    });
    i = j;
  }
  return out;
}

async function applyOne(client: KubeClient, p: Planned, options: ApplyOptions): Promise<Change> {
  const ssa = { fieldManager: options.fieldManager, force: options.force, signal: options.signal };
  try {
    if (options.dryRun && (p.pendingDefinition || p.pendingNamespace)) {
      // Its CRD or namespace is only being created in this dry run; the server cannot check it yet.
      const note = p.pendingDefinition ? 'pending definition' : 'pending namespace';
      return { ref: p.ref, action: 'created', object: p.object, note };
    }
    const before = await getObject(client, p.ref, options.signal);
    if (!before) {
      const object = await serverSideApply(client, p.object, { ...ssa, dryRun: options.dryRun });
      return { ref: p.ref, action: 'created', object };
    }
    if (options.dryRun) {
      const preview = await serverSideApply(client, p.object, { ...ssa, dryRun: true });
      const same = sameLiveState(preview, before);
      return { ref: p.ref, action: same ? 'unchanged' : 'configured', object: same ? before : preview, before };
    }
    // The apiserver does not write an apply that changes nothing (no new resourceVersion), so
    // one real apply both makes the change and tells whether there was one; no dry run first.
    const object = await serverSideApply(client, p.object, ssa);
    const same = object.metadata.resourceVersion === before.metadata.resourceVersion;
    return { ref: p.ref, action: same ? 'unchanged' : 'configured', object, before };
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    return { ref: p.ref, action: 'failed', error: withLocation(e, p) };
  }
}

function withLocation(e: SlipwayError, p: Planned): SlipwayError {
  if (e.at || !p.manifest.origin.at) return e;
  return Object.assign(e, { at: p.manifest.origin.at });
}

/**
 * True when applying would change nothing that matters: equal objects, ignoring the
 * resourceVersion, the timestamps inside managedFields (which a dry run refreshes) and the
 * server's "before-first-apply" bookkeeping entry.
 */
export function sameLiveState(a: KubeObject, b: KubeObject): boolean {
  return stableJson(comparable(a)) === stableJson(comparable(b));
}

function comparable(obj: KubeObject): unknown {
  const { resourceVersion: _rv, managedFields, ...metadata } = obj.metadata;
  const fields = (managedFields ?? [])
    // The server adds this entry on the first apply to an object that has no managedFields
    // (one created by admission defaults alone); it records no change of content.
    .filter((f) => (f as { manager?: string }).manager !== 'before-first-apply')
    .map((f) => {
      const { time: _t, ...rest } = f as Record<string, unknown>;
      return rest;
    });
  return { ...obj, metadata: { ...metadata, managedFields: fields } };
}

/** JSON with object keys sorted, so that key order never counts as a difference. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}

async function waitForCrds(client: KubeClient, refs: ObjectRef[], options: ApplyOptions): Promise<void> {
  const deadline = Date.now() + options.crdTimeoutMs;
  for (const ref of refs) {
    for (;;) {
      const crd = await getObject(client, ref, options.signal);
      const conditions = ((crd?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
      if (conditions.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) return; // the objects of this CRD will fail with a clear error of their own
      await sleep(100, options.signal);
    }
  }
}

/** The keys of a change set's objects that were applied or left as they were. */
export function appliedKeys(set: ChangeSet): ResourceKey[] {
  return set.changes.filter((c) => c.action !== 'failed' && c.action !== 'skipped').map((c) => c.ref);
}
