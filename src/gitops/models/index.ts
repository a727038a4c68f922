/**
 * models — app objects in Slipway's terms. `parseApp` reads an Argo CD Application, a Flux
 * Kustomization (with its GitRepository) or a Slipway Application as written into one AppSpec;
 * `statusPatch` (and `gitRepositoryStatusPatch`) write the reconciler's AppStatus back in each
 * tool's own status shape; `gitopsCrds` gives the CRDs for clusters without Argo CD or Flux.
 *
 * Pure: no cluster, no git, no clock unless a time is not passed in. Imports core, engines/health
 * and kube types only. Follows argoproj/argo-cd pkg/apis/application/v1alpha1/types.go,
 * fluxcd/kustomize-controller api/v1 and fluxcd/source-controller api/v1 for field names,
 * defaults and condition reasons.
 *
 * Durations are milliseconds everywhere. What is not supported fails with an AppSpecError
 * (remote clusters, Helm/OCI repositories, plugins, jsonnet, SOPS, impersonation, signature
 * verification, submodules, Flux sources other than GitRepository) or, where ignoring it cannot
 * change what gets deployed, is listed in AppSpec.warnings.
 */
import type { KubeObject } from '../../core/index.js';
import { allCrds } from '../crds/index.js';

export * from './types.js';
export { AppSpecError, SourceNotFoundError, formatAppRef, type AppObjectRef } from './errors.js';
export { APP_TYPES, appFormat, parseApp } from './parse.js';
export { IN_CLUSTER_NAME, IN_CLUSTER_SERVER, parseArgoApplication } from './argocd.js';
export { FLUX_KUSTOMIZE_GROUP, FLUX_SOURCE_GROUP, FLUX_VERSIONS, parseFluxKustomization, parseGitRepository } from './flux.js';
export { DEFAULT_INTERVAL_MS, SLIPWAY_APP_API_VERSION, SLIPWAY_GROUP, parseSlipwayApplication } from './slipway.js';
export {
  commitOf,
  fluxInventoryId,
  fluxRevision,
  gitRepositoryStatusPatch,
  statusPatch,
  type SourceFetchStatus,
  type StatusPatch,
  type StatusPatchOptions,
} from './status.js';
export { formatGoDuration, parseArgoDuration, parseGoDuration } from './internal/duration.js';

/**
 * The CRDs of every app kind Slipway reads: argoproj.io Application and AppProject, Flux
 * GitRepository and Kustomization (v1 stored, v1beta2 served), slipway.dev Application — each
 * with an openAPIV3Schema and the status subresource. Install the ones the cluster lacks; a
 * cluster with Argo CD or Flux keeps theirs (then Argo CD Applications have no status
 * subresource: write their status with the object).
 */
export function gitopsCrds(): KubeObject[] {
  return allCrds();
}
