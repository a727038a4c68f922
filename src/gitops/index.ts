/**
 * gitops — the public surface of GitOps in Slipway: app models (Argo CD Application, Flux
 * GitRepository/Kustomization, slipway.dev Application read into one AppSpec), sources (git
 * fetch and rendering), the reconciler (refresh, diff, sync, rollback) and the objects that
 * install Slipway's controller into a cluster. Surfaces (cli, server) import this file only;
 * the parts import each other directly (see CONTRACTS.md).
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
