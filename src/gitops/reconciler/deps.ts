// The reconciler's view of its neighbours in gitops/: models (app specs, status shapes) and
// sources (git fetch, render). Everything the reconciler takes from them goes through here.
export type {
  AppCondition,
  AppSource,
  AppSpec,
  AppStatus,
  HistoryEntry,
  IgnoreDifference,
  OperationStatus,
  RenderKind,
  RenderSpec,
  GitSourceSpec,
  ResourceResult,
  ResourceStatus,
  RetryPolicy,
} from '../models/index.js';
import type { FileSystem, Manifest } from '../../core/index.js';
import { renderSource, type FetchedSource } from '../sources/index.js';
import type { AppSpec, AppStatus, GitSourceSpec, RenderKind, RenderSpec } from '../models/index.js';

export type { FetchedSource };

/** What the reconciler needs of sources' GitSourceCache. */
export interface SourceFetcher {
  fetch(spec: GitSourceSpec, signal?: AbortSignal): Promise<FetchedSource>;
}

/** sources' renderSource; the reconciler passes no FileSystem, so sources' default (checkout-aware) one is used. */
export type RenderFunction = (dir: string, spec: RenderSpec, fs?: FileSystem) => { manifests: Manifest[]; kind: RenderKind };

/** models' statusPatch. */
export type StatusPatchFunction = (app: AppSpec, status: AppStatus) => Record<string, unknown>;

export { statusPatch, commitOf } from '../models/index.js';

export const defaultRender: RenderFunction = renderSource;
