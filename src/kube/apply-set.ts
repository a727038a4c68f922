import { applyManifests, type ApplyOptions, type ChangeSet } from './apply.js';
import type { KubeClient } from './client.js';
import { minusRefs, pruneObjects, unionRefs, type Inventory } from './inventory.js';
import type { ObjectRef } from './objects.js';
import type { Manifest } from '../core/index.js';

/** What {@link applySet} did. */
export interface ApplySetResult {
  applied: ChangeSet;
  pruned: ChangeSet;
}

/**
 * Applies manifests as one owned set: the objects are recorded in the inventory before
 * anything changes, then applied, then the objects the inventory held but the set no
 * longer has are pruned, and the inventory is rewritten to the set plus any stale object
 * whose delete failed (so the next run tries again; fluxcd kustomize-controller does the same).
 * A dry run reads the inventory but writes nothing.
 */
export async function applySet(
  client: KubeClient,
  manifests: readonly Manifest[],
  inventory: Inventory,
  options: ApplyOptions & { prune: boolean },
): Promise<ApplySetResult> {
  const previous = await inventory.read();
  let current: ObjectRef[] = [];
  const applied = await applyManifests(client, manifests, {
    ...options,
    beforeApply: async (refs) => {
      current = refs;
      if (!options.dryRun) await inventory.write(unionRefs(previous, refs));
      await options.beforeApply?.(refs);
    },
  });
  if (!options.prune) {
    if (!options.dryRun) await inventory.write(unionRefs(previous, current));
    return { applied, pruned: { changes: [] } };
  }
  const pruned = await pruneObjects(client, minusRefs(previous, current), { dryRun: options.dryRun, signal: options.signal });
  if (!options.dryRun) {
    const retry = pruned.changes.filter((c) => c.action === 'failed').map((c) => c.ref);
    await inventory.write(unionRefs(current, retry));
  }
  return { applied, pruned };
}
