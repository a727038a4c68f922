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
 * (see {@link comparableObject}) and go through `normalize`.
 */
export async function compareWithLive(client: KubeClient, desired: KubeObject, live: KubeObject, options: CompareOptions = {}): Promise<LiveComparison> {
  const predictedRaw = await serverSideApply(client, desired, {
    fieldManager: options.fieldManager ?? 'slipway',
    force: options.force ?? true,
    dryRun: true,
    signal: options.signal,
  });
  const normalize = options.normalize ?? ((o: KubeObject) => o);
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
