/**
 * gitops — the public surface of GitOps in Slipway. Surfaces (cli, server) import this file
 * only; the parts import each other directly. Layering: gitops imports core, the engines and
 * kube; never release, cli or server.
 *
 * - models/ + crds/: Argo CD Application, Flux GitRepository/Kustomization and slipway.dev
 *   Application read as written into one AppSpec (parseApp); AppStatus written back in each
 *   tool's own status shape (statusPatch); the CRDs for clusters without Argo CD or Flux.
 * - sources/: GitSourceCache (git CLI, a cache of exports keyed by URL and commit) and
 *   renderSource (directory, kustomize or helm, detected as Argo CD detects them).
 * - reconciler/: AppReconciler — one idempotent step per call (refresh, sync, rollback, diff)
 *   on the shared WatchCache; it syncs when asked and leaves "when" to the controller.
 * - controller/: GitopsController — watches app objects, schedules refreshes (interval, jitter,
 *   webhooks, on-demand annotations), decides automated syncs and self-heal, elects a leader.
 * - install.ts: the objects `slipway install` applies (CRDs, RBAC, the controller Deployment).
 */
export * from './models/index.js';
export * from './sources/index.js';
export { AppReconciler, ReconcileError, type ObjectDiff, type ReconcileContext, type SyncOptions } from './reconciler/reconciler.js';
export { stateName } from './reconciler/state.js';
export { ownership } from './reconciler/owners.js';
export {
  DEFAULT_INSTALL_NAMESPACE,
  INSTALL_FIELD_MANAGER,
  MANAGED_BY,
  MANAGED_BY_LABEL,
  WEBHOOK_PORT,
  WEBHOOK_SECRET_NAME,
  clusterRoleName,
  crdInstallAction,
  defaultImage,
  installCrds,
  installObjects,
  type InstallOptions,
} from './install.js';
export * from './controller/index.js';
