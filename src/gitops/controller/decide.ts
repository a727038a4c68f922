import { commitOf, type AppSpec, type AppStatus } from '../models/index.js';

/** What led to a refresh, as far as the sync decision cares. */
export interface SyncTrigger {
  /** Drift seen on an owned object. */
  heal?: boolean;
  /** A Flux reconcile request (requestedAt, webhook, GitRepository change). */
  force?: boolean;
  /** An Argo retry of the failed revision is due (syncPolicy.retry backoff elapsed). */
  retryDue?: boolean;
}

/**
 * Whether an automated sync follows a refresh, and why (a word for the log), or undefined.
 *
 * Argo CD (controller/appcontroller.go autoSync): only OutOfSync apps; a revision whose
 * automated sync failed is not tried again except by syncPolicy.retry; a revision already
 * synced is synced again only to heal drift, with selfHeal; a new revision always.
 * Flux (kustomize-controller): a non-suspended Kustomization applies what is out of sync at
 * every reconcile, and a revision that differs from lastAppliedRevision; a reconcile request
 * re-applies. An app whose source failed (phase Unknown) is never synced.
 */
export function autoSyncReason(app: Pick<AppSpec, 'format' | 'syncPolicy' | 'refreshRequest'>, status: AppStatus, trigger: SyncTrigger = {}): string | undefined {
  if (!app.syncPolicy.automated || status.phase === 'Unknown') return undefined;
  const revision = status.revision ? commitOf(status.revision) : undefined;
  if (app.format === 'flux') {
    if (status.phase === 'OutOfSync') return trigger.heal ? 'drift' : 'out of sync';
    if (revision && commitOf(status.lastAppliedRevision ?? '') !== revision) return 'new revision';
    if (trigger.force && app.refreshRequest) return 'reconcile requested';
    return undefined;
  }
  if (status.phase !== 'OutOfSync') return undefined;
  const op = status.operation;
  const attempted = op && revision && commitOf(op.revision ?? '') === revision && op.initiatedBy?.automated;
  if (attempted && (op.phase === 'Failed' || op.phase === 'Error')) return trigger.retryDue ? 'retry' : undefined;
  if (attempted && op.phase === 'Succeeded') return app.syncPolicy.selfHeal ? 'self-heal' : undefined;
  const lastDeployed = status.history.at(-1)?.revision;
  const deployed = lastDeployed !== undefined && commitOf(lastDeployed) === revision;
  if (deployed) return app.syncPolicy.selfHeal ? 'self-heal' : undefined;
  return 'new revision';
}
