import { type KubeObject } from '../core/index.js';
import { stableJson } from './apply.js';
import type { KubeClient } from './client.js';
import { serverSideApply } from './objects.js';

/** Options of {@link compareWithLive}. */
export interface CompareOptions {
  /** Field manager of the dry-run apply; use the one real applies use. @default 'slipway' */
  fieldManager?: string;
  /** Take over fields other managers own, as a real apply with force would. @default true */
  force?: boolean;
  /** Applied to both sides after the bookkeeping is dropped (e.g. ignored fields). */
  normalize?: (obj: KubeObject) => KubeObject;
  signal?: AbortSignal;
}

/** What {@link compareWithLive} found. */
export interface LiveComparison {
  /** The object the server says an apply would produce, normalised. */
  predicted: KubeObject;
  /** The live object, normalised the same way. */
  live: KubeObject;
  /** True when applying would change nothing that is compared. */
  same: boolean;
}

/**
 * Compares what applying `desired` would produce with the live object, as `kubectl diff` and
 * Argo CD's server-side diff do: a server-side apply dry run gives the predicted object, so
 * server defaults, admission mutations and fields other managers own appear on both sides and
 * are not differences. Both sides then lose what is bookkeeping rather than content
 * (see {@link comparableObject}) and go through `normalize`. When the object alone proves an
 * apply would change nothing ({@link unchangedByApply}), no dry run is sent.
 */
export async function compareWithLive(client: KubeClient, desired: KubeObject, live: KubeObject, options: CompareOptions = {}): Promise<LiveComparison> {
  const normalize = options.normalize ?? ((o: KubeObject) => o);
  if (unchangedByApply(desired, live, options.fieldManager ?? 'slipway')) {
    const current = normalize(comparableObject(live));
    return { predicted: current, live: current, same: true };
  }
  const predictedRaw = await serverSideApply(client, desired, {
    fieldManager: options.fieldManager ?? 'slipway',
    force: options.force ?? true,
    dryRun: true,
    signal: options.signal,
  });
  const predicted = normalize(comparableObject(predictedRaw));
  const current = normalize(comparableObject(live));
  return { predicted, live: current, same: stableJson(predicted) === stableJson(current) };
}

/**
 * An object without what the server keeps for itself: managedFields, resourceVersion,
 * generation (a dry run bumps it for any change it predicts, which the content shows anyway)
 * and status (written by controllers, not by appliers; a watch-fed copy may lag the server's).
 */
export function comparableObject(obj: KubeObject): KubeObject {
  const { managedFields: _m, resourceVersion: _rv, generation: _g, ...metadata } = obj.metadata;
  const { status: _s, ...rest } = obj;
  return { ...rest, metadata } as KubeObject;
}

type FieldsV1 = { [key: string]: FieldsV1 };

/**
 * Whether a server-side apply of `desired` by `fieldManager` provably changes nothing in the
 * live object, judged from the object alone (no request): the manager's last apply (its
 * managedFields entry, for the same apiVersion) owns exactly the fields `desired` sets, and
 * every one of them already has the desired value live. Then the apply would set each field to
 * the value it has and remove nothing — the dry run is not needed. False means "ask the
 * server": a value the server would normalise ("0.5" vs "500m"), `stringData`, a list in
 * another order, a field another manager took over, anything unsure.
 */
export function unchangedByApply(desired: KubeObject, live: KubeObject, fieldManager: string): boolean {
  if (desired.apiVersion !== live.apiVersion || desired.kind !== live.kind) return false;
  const entries = (live.metadata.managedFields ?? []) as { manager?: string; operation?: string; apiVersion?: string; fieldsV1?: FieldsV1 }[];
  const mine = entries.filter((e) => e.manager === fieldManager && e.operation === 'Apply');
  if (mine.length !== 1 || mine[0]!.apiVersion !== desired.apiVersion || !mine[0]!.fieldsV1) return false;
  const owned = mine[0]!.fieldsV1;
  const { apiVersion: _a, kind: _k, ...body } = desired;
  const { apiVersion: _la, kind: _lk, ...liveBody } = live;
  // Name and namespace say which object; they are in no field set.
  const { name: _n, namespace: _ns, ...metadata } = desired.metadata;
  const fields = { ...body, metadata };
  return subsetOf(body, liveBody) && coveredBy(fields, liveBody, owned) && ownedAreDesired(owned, fields, liveBody);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Every value of `desired` is in `live`: scalars equal, maps by key, lists of the same length element by element. */
function subsetOf(desired: unknown, live: unknown): boolean {
  if (Array.isArray(desired)) {
    return Array.isArray(live) && live.length === desired.length && desired.every((d, i) => subsetOf(d, live[i]));
  }
  if (isObject(desired)) {
    return isObject(live) && Object.entries(desired).every(([k, v]) => k in live && subsetOf(v, live[k]));
  }
  return desired === live;
}

/**
 * The entry of a fieldsV1 list node that stands for the live list element `e` at `index` (live,
 * not desired: key fields the server defaulted, such as a port's protocol, are in the key).
 */
function listEntry(node: FieldsV1, e: unknown, index: number): FieldsV1 | true | undefined {
  for (const [key, child] of Object.entries(node)) {
    if (key.startsWith('k:')) {
      const keys = JSON.parse(key.slice(2)) as Record<string, unknown>;
      if (isObject(e) && Object.entries(keys).every(([k, v]) => stableJson(e[k]) === stableJson(v))) return child;
    } else if (key.startsWith('v:')) {
      if (stableJson(JSON.parse(key.slice(2))) === stableJson(e)) return true;
    } else if (key === `i:${index}`) {
      return child;
    }
  }
  return undefined;
}

/**
 * Every field `desired` sets is owned (has a node in the manager's fieldsV1). `live` is the
 * live value at the same place; subsetOf has checked lists line up element by element.
 */
function coveredBy(desired: unknown, live: unknown, node: FieldsV1): boolean {
  // No children: a scalar, or an atomic list or map (a selector, tolerations), owned whole.
  if (Object.keys(node).every((k) => k === '.')) return true;
  if (Array.isArray(desired)) {
    const items = live as unknown[];
    return desired.every((e, i) => {
      const child = listEntry(node, items[i], i);
      return child === true || (child !== undefined && coveredBy(e, items[i], child));
    });
  }
  if (isObject(desired)) {
    const fields = live as Record<string, unknown>;
    return Object.entries(desired).every(([k, v]) => {
      const child = node[`f:${k}`];
      return child !== undefined && coveredBy(v, fields[k], child);
    });
  }
  return true;
}

/** Every field the manager owns is set by `desired` (else the apply would remove it). */
function ownedAreDesired(node: FieldsV1, desired: unknown, live: unknown): boolean {
  for (const [key, child] of Object.entries(node)) {
    if (key === '.') continue;
    if (key.startsWith('f:')) {
      const name = key.slice(2);
      if (!isObject(desired) || !(name in desired) || !isObject(live) || !ownedAreDesired(child, desired[name], live[name])) return false;
    } else if (key.startsWith('k:') || key.startsWith('v:') || key.startsWith('i:')) {
      if (!Array.isArray(desired) || !Array.isArray(live)) return false;
      // The live element the entry stands for, and the desired one at its place.
      const at = live.findIndex((e, i) => listEntry({ [key]: child }, e, i) !== undefined);
      if (at < 0 || at >= desired.length) return false;
      if (!key.startsWith('v:') && !ownedAreDesired(child, desired[at], live[at])) return false;
    } else {
      return false;
    }
  }
  return true;
}
