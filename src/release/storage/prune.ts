/**
 * helm's history limit (pkg/storage/storage.go removeLeastRecent): which revisions go when a
 * release keeps at most `max` of them. Oldest first, and never the last deployed revision, so
 * that a rollback target survives however short the history is.
 */

/** The part of a release the pruning rule looks at. */
export interface RevisionInfo {
  version: number;
  info: { status: string };
}

/**
 * The revisions (ascending) to delete so that at most `max` remain: the oldest ones, skipping
 * the last deployed revision. `max` < 0 keeps everything; 0 deletes all but the deployed one
 * (helm's Storage.Create calls this with MaxHistory-1 to make room for the new revision).
 */
export function revisionsToPrune(history: readonly RevisionInfo[], max: number): number[] {
  if (max < 0 || history.length <= max) return [];
  const sorted = [...history].sort((a, b) => a.version - b.version);
  // storage.Deployed: if several are marked deployed (a corrupted history), the newest counts.
  const deployed = sorted.filter((r) => r.info.status === 'deployed').at(-1)?.version;
  const toDelete: number[] = [];
  for (const rel of sorted) {
    if (sorted.length - toDelete.length === max) break;
    if (rel.version !== deployed) toDelete.push(rel.version);
  }
  return toDelete;
}
