import { describe, expect, test } from 'vitest';
import { revisionsToPrune } from '../../../src/release/index.js';

/** A history from a status string: "s d f" is revision 1 superseded, 2 deployed, 3 failed. */
function history(statuses: string): { version: number; info: { status: string } }[] {
  const names: Record<string, string> = { s: 'superseded', d: 'deployed', f: 'failed', p: 'pending-upgrade', u: 'uninstalled' };
  return statuses.split(' ').map((s, i) => ({ version: i + 1, info: { status: names[s]! } }));
}

// helm pkg/storage/storage.go removeLeastRecent: oldest first until `max` remain, never the
// last deployed revision.
describe('which revisions helm’s history limit deletes', () => {
  test.each([
    ['s s s d', 2, [1, 2]],
    ['s s s d', 4, []],
    ['s s s d', 10, []],
    ['s d f f', 2, [1, 3]],
    ['d f f f', 2, [2, 3]],
    ['d f f f', 1, [2, 3, 4]],
    ['s d f f', 0, [1, 3, 4]],
    ['f f f f', 2, [1, 2]],
    ['s s d p', 3, [1]],
    ['s s d s d', 2, [1, 2, 3]],
    ['s s s d', -1, []],
  ])('%s keeping %i deletes %j', (statuses, max, want) => {
    expect(revisionsToPrune(history(statuses), max)).toEqual(want);
  });

  test('the order of the input does not matter', () => {
    expect(revisionsToPrune(history('s s d f').reverse(), 2)).toEqual([1, 2]);
  });
});
