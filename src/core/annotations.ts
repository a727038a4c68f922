import type { KubeObject } from './types.js';

/** Labels and annotations Slipway writes or reads; kept here so no layer repeats the strings. */
export const LABEL_INVENTORY = 'slipway.dev/inventory';
export const LABEL_MANAGED_BY = 'app.kubernetes.io/managed-by';

/**
 * True when the object asks not to be pruned, in any of the spellings users already use:
 * Helm's `helm.sh/resource-policy: keep`, Argo CD's `argocd.argoproj.io/sync-options: Prune=false`,
 * cli-utils' `client.lifecycle.config.k8s.io/deletion: detach`, and Slipway's own `slipway.dev/prune: disabled`.
 */
export function isPruneProtected(obj: KubeObject): boolean {
  const a = obj.metadata.annotations ?? {};
  return (
    a['helm.sh/resource-policy'] === 'keep' ||
    (a['argocd.argoproj.io/sync-options'] ?? '').split(',').some((o) => o.trim() === 'Prune=false') ||
    a['client.lifecycle.config.k8s.io/deletion'] === 'detach' ||
    a['slipway.dev/prune'] === 'disabled'
  );
}
