import {
  LABEL_INVENTORY,
  SlipwayError,
  isPruneProtected,
  keyString,
  sortByUninstallOrder,
  type KubeObject,
} from '../core/index.js';
import type { Change, ChangeSet } from './apply.js';
import type { KubeClient } from './client.js';
import { deleteObject, getObject, serverSideApply, type ObjectRef } from './objects.js';

/**
 * Which objects one owner (an `apply --inventory NAME`, a release, an app) has put on the
 * cluster. Stored on the cluster as a ConfigMap so any process can read it, with one data
 * key per object in cli-utils' spelling `<namespace>_<name>_<group>_<Kind>` and the
 * version as value. Stale objects are found from it, never by scanning the cluster
 * (fluxcd/kustomize-controller internal/inventory).
 */
export class Inventory {
  constructor(
    private readonly client: KubeClient,
    /** Name of the ConfigMap. */
    readonly name: string,
    /** Namespace of the ConfigMap. */
    readonly namespace: string,
    private readonly fieldManager = 'slipway',
  ) {}

  /** The stored entries; empty when the inventory does not exist yet. */
  async read(): Promise<ObjectRef[]> {
    const cm = await getObject(this.client, this.ref());
    return cm ? parseEntries((cm.data ?? {}) as Record<string, string>) : [];
  }

  /** Replaces the stored entries (server-side apply, so it is created when missing). */
  async write(entries: readonly ObjectRef[]): Promise<void> {
    const data: Record<string, string> = {};
    for (const e of entries) data[entryKey(e)] = e.version;
    const cm: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: this.name, namespace: this.namespace, labels: { [LABEL_INVENTORY]: this.name } },
      data,
    };
    await serverSideApply(this.client, cm, { fieldManager: this.fieldManager, force: true });
  }

  private ref(): ObjectRef {
    return { group: '', version: 'v1', kind: 'ConfigMap', namespace: this.namespace, name: this.name };
  }
}

function entryKey(r: ObjectRef): string {
  return `${r.namespace}_${r.name}_${r.group}_${r.kind}`;
}

function parseEntries(data: Record<string, string>): ObjectRef[] {
  const out: ObjectRef[] = [];
  for (const [key, version] of Object.entries(data)) {
    const parts = key.split('_');
    if (parts.length !== 4) continue; // not ours; leave it alone
    const [namespace, name, group, kind] = parts as [string, string, string, string];
    out.push({ namespace, name, group, kind, version });
  }
  return out;
}

/** Entries of `a` that are not in `b` (by group, kind, namespace and name; versions may differ). */
export function minusRefs(a: readonly ObjectRef[], b: readonly ObjectRef[]): ObjectRef[] {
  const drop = new Set(b.map(keyString));
  return a.filter((r) => !drop.has(keyString(r)));
}

/** Union of entry lists; later entries win for the version. */
export function unionRefs(...lists: (readonly ObjectRef[])[]): ObjectRef[] {
  const map = new Map<string, ObjectRef>();
  for (const list of lists) for (const r of list) map.set(keyString(r), r);
  return [...map.values()];
}

/** Options of {@link pruneObjects}. */
export interface PruneOptions {
  dryRun: boolean;
  signal?: AbortSignal;
}

/**
 * Deletes the given (stale) objects in uninstall order. Objects already gone count as
 * deleted; objects that ask to be kept (see core isPruneProtected) are skipped; a failed
 * delete is reported and does not stop the others.
 */
export async function pruneObjects(client: KubeClient, stale: readonly ObjectRef[], options: PruneOptions): Promise<ChangeSet> {
  const changes: Change[] = [];
  for (const ref of sortByUninstallOrder(stale, (r) => r.kind)) {
    try {
      const live = await getObject(client, ref, options.signal);
      if (!live) {
        changes.push({ ref, action: 'deleted', note: 'already gone' });
        continue;
      }
      if (isPruneProtected(live)) {
        changes.push({ ref, action: 'skipped', note: 'prune protected by annotation', before: live });
        continue;
      }
      await deleteObject(client, ref, { dryRun: options.dryRun, signal: options.signal });
      changes.push({ ref, action: 'deleted', before: live });
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      changes.push({ ref, action: 'failed', error: e });
    }
  }
  return { changes };
}
