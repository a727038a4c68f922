/**
 * kube — the only code that talks to a kube-apiserver: one client (kubeconfig and auth from
 * @kubernetes/client-node, requests over node:https), cached discovery, server-side apply in
 * stages with unchanged-detection, inventories and pruning by inventory, waiting on health,
 * and a shared watch cache for controllers.
 * Knows the engines (health) and core; never charts, git, pipelines, HTTP servers or terminals.
 * Behaviour follows fluxcd/pkg ssa (ApplyAllStaged, WaitForSet) and cli-utils inventories.
 */
export { KubeClient, type KubeClientOptions, type RequestOptions, type WatchEvent } from './client.js';
export { Discovery, resourcePath, type ApiResource } from './discovery.js';
export {
  apiVersionOf,
  deleteObject,
  getObject,
  listObjects,
  refOf,
  serverSideApply,
  type DeleteOptions,
  type ListOptions,
  type ObjectRef,
  type SsaOptions,
} from './objects.js';
export {
  appliedKeys,
  applyManifests,
  defaultApplyOptions,
  sameLiveState,
  stableJson,
  type Action,
  type ApplyOptions,
  type Change,
  type ChangeSet,
} from './apply.js';
export { Inventory, minusRefs, pruneObjects, unionRefs, type PruneOptions } from './inventory.js';
export { applySet, type ApplySetResult } from './apply-set.js';
export { DegradedError, formatDuration, parseDuration, waitForHealthy, type WaitOptions, type WaitState } from './wait.js';
export { WatchCache, type CacheEvent, type CacheHandler, type CacheStats, type WatchCacheOptions } from './cache.js';
export { comparableObject, compareWithLive, unchangedByApply, type CompareOptions, type LiveComparison } from './compare.js';
export { mergePatch, patchStatus, type MergePatchOptions } from './patch.js';
export { EventRecorder, type EventInput, type EventRecorderOptions } from './events.js';
