import { createHash } from 'node:crypto';
import {
  ApiError,
  BatchError,
  ManifestError,
  SlipwayError,
  UnknownKindError,
  formatError,
  formatKey,
  isNotFound,
  keyString,
  splitApiVersion,
  type KubeObject,
  type Manifest,
  type ResourceKey,
} from '../../core/index.js';
import { assessHealth, worstHealth, type Health } from '../../engines/health/index.js';
import { compareWithLive, stableJson, type KubeClient, type ObjectRef, type WatchCache } from '../../kube/index.js';
import type { AppSpec } from './deps.js';
import { ANNOTATION_COMPARE_OPTIONS, annotationOptions, isHook } from './hooks.js';
import { applyIgnoreDifferences, matchingRules } from './ignore-differences.js';
import { ownership, withOwnerMarks } from './owners.js';

/** A rendered object with its type and namespace resolved against the cluster. */
export interface ResolvedObject {
  manifest: Manifest;
  /** The object to apply: namespace filled in, owner marks added. */
  object: KubeObject;
  ref: ObjectRef;
  hook: boolean;
  /** Its type comes from a CRD in the same set and is not served yet. */
  pendingDefinition: boolean;
}

/**
 * Fills in namespaces and checks types, as the applier does (kube applyManifests' planning):
 * a namespaced object without one goes to the destination namespace (none: an error, as in
 * Flux without targetNamespace); a cluster-scoped one loses any it names; a kind the server
 * does not serve is an error unless a CRD in the same set defines it; duplicates are errors.
 * Every problem is collected; the objects without problems are returned.
 */
export async function resolveObjects(client: KubeClient, app: AppSpec, manifests: readonly Manifest[]): Promise<{ objects: ResolvedObject[]; errors: SlipwayError[] }> {
  const defined = definedByCrds(manifests);
  const errors: SlipwayError[] = [];
  const seen = new Set<string>();
  const objects: ResolvedObject[] = [];
  for (const manifest of manifests) {
    const obj = manifest.object;
    const { group, version } = splitApiVersion(obj.apiVersion);
    const res = await client.discovery.find(obj.apiVersion, obj.kind);
    const pending = res ? undefined : defined.get(`${group}/${version}/${obj.kind}`);
    if (!res && pending === undefined) {
      errors.push(new UnknownKindError(obj.apiVersion, obj.kind, manifest.origin.at));
      continue;
    }
    const namespaced = res ? res.namespaced : pending!;
    const metadata = { ...obj.metadata };
    if (namespaced) {
      const ns = metadata.namespace || app.destination.namespace;
      if (!ns) {
        errors.push(new ManifestError(`${obj.kind}/${metadata.name ?? metadata.generateName ?? ''} is namespaced and names no namespace, and the app has no destination namespace`, manifest.origin.at));
        continue;
      }
      metadata.namespace = ns;
    } else {
      delete metadata.namespace;
    }
    const key: ResourceKey = { group, kind: obj.kind, namespace: metadata.namespace ?? '', name: metadata.name ?? metadata.generateName ?? '' };
    const hook = isHook(obj);
    const id = keyString(key);
    // Hooks with generateName are named per sync; two of them may share a prefix.
    if (!(hook && !metadata.name)) {
      if (seen.has(id)) {
        errors.push(new ManifestError(`${formatKey(key)} appears more than once`, manifest.origin.at));
        continue;
      }
      seen.add(id);
    }
    const object = withOwnerMarks({ ...obj, metadata }, key, app);
    objects.push({ manifest, object, ref: { ...key, version }, hook, pendingDefinition: !res });
  }
  return { objects, errors };
}

function definedByCrds(manifests: readonly Manifest[]): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const { object } of manifests) {
    if (object.kind !== 'CustomResourceDefinition' || splitApiVersion(object.apiVersion).group !== 'apiextensions.k8s.io') continue;
    const spec = (object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string }; versions?: { name?: string; served?: boolean }[] };
    const kind = spec.names?.kind;
    if (!spec.group || !kind) continue;
    for (const v of spec.versions ?? []) if (v.name && v.served !== false) out.set(`${spec.group}/${v.name}/${kind}`, spec.scope !== 'Cluster');
  }
  return out;
}

/** One object of an app after comparison with the cluster. */
export interface ComparedResource {
  ref: ObjectRef;
  /** From Git (resolved); absent for an object only the inventory still holds. */
  desired?: ResolvedObject;
  live?: KubeObject;
  hook: boolean;
  status: 'Synced' | 'OutOfSync';
  /** Live health; Missing when absent. Not set for hooks. */
  health?: Health;
  /** In the inventory, not in Git, still live. */
  requiresPruning: boolean;
  /** Counts toward the app's sync status (not for hooks, nor `IgnoreExtraneous` objects). */
  counted: boolean;
  /** Both sides as compared (normalised, ignored fields removed), for diffs. */
  predicted?: KubeObject;
  compared?: KubeObject;
  /** Why the comparison could not be made, when it could not. */
  message?: string;
}

interface MemoEntry {
  fingerprint: string;
  same: boolean;
  predicted: KubeObject;
  compared: KubeObject;
}

/**
 * Remembers dry-run comparisons by a fingerprint of (desired, live content, rules), so that
 * a refresh of an unchanged app asks the apiserver nothing: status updates by controllers
 * (status, resourceVersion, managedFields times) do not change the fingerprint.
 */
export class ComparisonMemo {
  private readonly entries = new Map<string, MemoEntry>();

  get(id: string, fingerprint: string): MemoEntry | undefined {
    const e = this.entries.get(id);
    return e?.fingerprint === fingerprint ? e : undefined;
  }

  set(id: string, entry: MemoEntry): void {
    this.entries.set(id, entry);
  }

  /** Drops every entry of one app (ids start with the app id). */
  forget(prefix: string): void {
    for (const id of this.entries.keys()) if (id.startsWith(prefix)) this.entries.delete(id);
  }
}

/** Options of {@link compareApp}. */
export interface CompareContext {
  client: KubeClient;
  cache: WatchCache;
  memo: ComparisonMemo;
  fieldManager: string;
  /** Prefix of memo ids: the app id. */
  appId: string;
  signal?: AbortSignal;
}

/**
 * Compares an app's resolved objects and inventory with the live objects of the shared watch
 * cache. Only the kinds the app uses are watched (the cache shares one watch per kind among
 * all apps); the cluster is never listed per app. An existing object is compared through a
 * server-side apply dry run (see kube compareWithLive) after the app's ignoreDifferences are
 * applied to both sides; a missing one is OutOfSync and Missing.
 */
export async function compareApp(ctx: CompareContext, app: AppSpec, objects: readonly ResolvedObject[], inventory: readonly ObjectRef[]): Promise<ComparedResource[]> {
  const wanted = new Map<string, ObjectRef>();
  for (const o of objects) if (!o.pendingDefinition) wanted.set(kindOf(o.ref), o.ref);
  for (const r of inventory) if (!wanted.has(kindOf(r))) wanted.set(kindOf(r), r);
  const unserved = new Set<string>();
  await Promise.all(
    [...wanted.entries()].map(async ([id, r]) => {
      try {
        await ctx.cache.watchKind(r.group ? `${r.group}/${r.version}` : r.version, r.kind);
      } catch (e) {
        if (!(e instanceof UnknownKindError)) throw e;
        unserved.add(id); // an inventory entry of a type that is gone
      }
    }),
  );
  const out: ComparedResource[] = new Array<ComparedResource>(objects.length);
  await pool(objects, 8, async (o, i) => {
    out[i] = await compareOne(ctx, app, o);
  });
  const desiredIds = new Set(objects.map((o) => keyString(o.ref)));
  for (const r of inventory) {
    if (desiredIds.has(keyString(r)) || unserved.has(kindOf(r))) continue;
    const live = ctx.cache.get(r);
    // Gone, or taken over by another app (its owner mark names that app): no longer this app's.
    if (!live || ownership(live, app) === 'other') continue;
    const ignore = annotationOptions(live, ANNOTATION_COMPARE_OPTIONS).IgnoreExtraneous === 'true';
    out.push({ ref: r, live, hook: false, status: 'OutOfSync', health: assessHealth(live), requiresPruning: true, counted: !ignore });
  }
  return out;
}

function kindOf(r: ResourceKey): string {
  return `${r.group}/${r.kind}`;
}

async function compareOne(ctx: CompareContext, app: AppSpec, o: ResolvedObject): Promise<ComparedResource> {
  const live = o.pendingDefinition || !o.ref.name ? undefined : ctx.cache.get(o.ref);
  if (o.hook) return { ref: o.ref, desired: o, live, hook: true, status: 'Synced', requiresPruning: false, counted: false };
  const base = { ref: o.ref, desired: o, hook: false, requiresPruning: false, counted: true };
  if (!live) return { ...base, status: 'OutOfSync', health: { status: 'Missing', message: 'Resource does not exist' } };
  const health = assessHealth(live);
  const rules = matchingRules(app.ignoreDifferences, o.ref);
  const id = `${ctx.appId}|${keyString(o.ref)}`;
  const fingerprint = fingerprintOf(o.object, live, rules);
  const known = ctx.memo.get(id, fingerprint);
  if (known) return { ...base, live, health, status: known.same ? 'Synced' : 'OutOfSync', predicted: known.predicted, compared: known.compared };
  try {
    const c = await compareWithLive(ctx.client, o.object, live, {
      fieldManager: ctx.fieldManager,
      force: true,
      normalize: (obj) => applyIgnoreDifferences(obj, rules, live),
      signal: ctx.signal,
    });
    ctx.memo.set(id, { fingerprint, same: c.same, predicted: c.predicted, compared: c.live });
    return { ...base, live, health, status: c.same ? 'Synced' : 'OutOfSync', predicted: c.predicted, compared: c.live };
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    // Deleted meanwhile: the watch will tell; until then it is simply out of sync.
    if (isNotFound(e)) return { ...base, live, health, status: 'OutOfSync' };
    const message = e instanceof ApiError ? e.message : formatError(e);
    return { ...base, live, health, status: 'OutOfSync', message: `dry run failed: ${message}` };
  }
}

function fingerprintOf(desired: KubeObject, live: KubeObject, rules: unknown): string {
  const { status: _s, ...rest } = live;
  const { resourceVersion: _rv, managedFields, ...metadata } = live.metadata;
  const fields = (managedFields ?? []).map((f) => {
    const { time: _t, ...entry } = f as Record<string, unknown>;
    return entry;
  });
  const text = `${stableJson(desired)}\n${stableJson({ ...rest, metadata: { ...metadata, managedFields: fields } })}\n${stableJson(rules)}`;
  return createHash('sha256').update(text).digest('hex');
}

/** The app's sync status and health from its compared resources (Argo CD: worst health; hooks and extraneous objects left out). */
export function summarize(resources: readonly ComparedResource[]): { phase: 'Synced' | 'OutOfSync'; health: Health } {
  const counted = resources.filter((r) => r.counted);
  const phase = counted.some((r) => r.status === 'OutOfSync') ? 'OutOfSync' : 'Synced';
  const own = resources.filter((r) => !r.hook && !r.requiresPruning && r.health);
  const status = worstHealth(own.map((r) => r.health!.status));
  const culprit = own.find((r) => r.health!.status === status && status !== 'Healthy');
  return { phase, health: { status, message: culprit ? `${formatKey(culprit.ref)}: ${culprit.health!.message}` : '' } };
}

/** Reports resolution problems as one error (or the only one). */
export function combineErrors(errors: readonly SlipwayError[]): SlipwayError | undefined {
  if (errors.length === 0) return undefined;
  return errors.length === 1 ? errors[0]! : new BatchError([...errors]);
}

/** Runs `fn` over `items` with at most `limit` at once. */
export async function pool<T>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
