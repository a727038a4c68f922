/**
 * gitops/controller — the controller process's loop: app objects (Argo CD Application, Flux
 * Kustomization + GitRepository, Slipway Application) read through the one shared watch cache,
 * a de-duplicating work queue with bounded concurrency, refresh per app at its interval with
 * jitter, automated sync (Argo CD's rules, Flux's), self-heal from watch events on owned
 * objects, on-demand triggers (method, webhook pushes, Argo's refresh annotation, Flux's
 * requestedAt), deletion with the resources finalizer, and Lease leader election.
 *
 * Imports core, kube and the rest of gitops; never a surface (the HTTP server and the CLI
 * drive it through GitopsController's methods). Behaviour follows argo-cd
 * controller/appcontroller.go (autoSync, refresh annotation, finalizer) and util/webhook,
 * fluxcd/kustomize-controller (interval, retryInterval, requestedAt, suspend) and client-go's
 * workqueue and leaderelection.
 */
export {
  ARGO_REFRESH_ANNOTATION,
  ARGO_RESOURCES_FINALIZERS,
  FLUX_FINALIZER,
  FLUX_REQUESTED_AT_ANNOTATION,
  GitopsController,
  SLIPWAY_REQUESTED_AT_ANNOTATION,
  fingerprintOf,
  writtenBy,
  type AppRef,
  type ControllerMetrics,
  type GitopsControllerOptions,
  type TriggeredApp,
} from './controller.js';
export { autoSyncReason, type SyncTrigger } from './decide.js';
export { CredentialResolver, CredentialsError, type CredentialResolverOptions } from './credentials.js';
export { LeaderElector, type LeaderElectionOptions } from './lease.js';
export { matchesPush, repoIdentity, revisionMatches, sameRepository, type PushEvent } from './match.js';
export { WorkQueue, backoffDelay, jittered, realTimers, type Timers, type WorkQueueOptions } from './queue.js';
