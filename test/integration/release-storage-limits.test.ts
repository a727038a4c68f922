import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ReleaseStore, ReleaseTooLargeError, revisionsToPrune, type Release } from '../../src/release/index.js';
import { useNamespace } from './helpers.js';
import { helm, releaseFromChart, smallChart } from './release-storage-helpers.js';

describe('the 1 MiB Secret limit', () => {
  const suite = useNamespace();

  test('a release too big for a Secret fails before writing, naming the limit and the biggest parts', async () => {
    const ns = suite.ns();
    const files = { ...smallChart(), 'files/blob.bin': randomBytes(1100 * 1024).toString('latin1') };
    const rel = await releaseFromChart(suite.tree(files), { name: 'huge', namespace: ns });
    const store = new ReleaseStore(suite.client(), ns);
    const err = await store.create(rel).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReleaseTooLargeError);
    expect((err as Error).message).toMatch(/^release "huge" revision 1 is too large to store: its Secret would hold \d\.\d\d MiB \(\d+ bytes\), over the 1\.00 MiB \(1048576 bytes\) limit/);
    expect((err as Error).message).toContain('chart files ');
    expect((err as Error).message).toContain('files/blob.bin ');
    expect(await store.get('huge', 1)).toBeUndefined();
  });
});

describe('history pruning, as helm’s --history-max', () => {
  const suite = useNamespace();
  const state = (h: Release[]) => h.map((r) => `${r.version}:${r.info.status}`);

  test('helm upgrade --history-max deletes the revisions our rule predicts', async () => {
    const ns = suite.ns();
    const dir = suite.tree({ ...smallChart(), 'templates/bad.yaml': '{{ if .Values.bad }}apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Not_Valid\n{{ end }}\n' });
    const store = new ReleaseStore(suite.client(), ns);
    expect((await helm(['install', 'pr', dir, '-n', ns])).code).toBe(0);
    expect((await helm(['upgrade', 'pr', dir, '-n', ns])).code).toBe(0);
    expect((await helm(['upgrade', 'pr', dir, '-n', ns, '--set', 'bad=true'])).code).toBe(1);
    expect((await helm(['upgrade', 'pr', dir, '-n', ns, '--set', 'bad=true'])).code).toBe(1);
    const before = await store.history('pr');
    expect(state(before)).toEqual(['1:superseded', '2:deployed', '3:failed', '4:failed']);
    // Storage.Create makes room for the new revision: removeLeastRecent(name, max-1).
    const predicted = revisionsToPrune(before, 2 - 1);
    const up = await helm(['upgrade', 'pr', dir, '-n', ns, '--history-max', '2']);
    expect(up.code, up.stderr).toBe(0);
    const after = (await store.history('pr')).map((r) => r.version);
    expect(predicted).toEqual([1, 3, 4]);
    expect(after).toEqual([2, 5]);
  });

  test('ReleaseStore.create with maxHistory and ReleaseStore.prune follow the same rule', async () => {
    const ns = suite.ns();
    const dir = suite.tree(smallChart());
    const store = new ReleaseStore(suite.client(), ns);
    const statuses = ['superseded', 'deployed', 'failed', 'failed'] as const;
    for (const [i, status] of statuses.entries()) {
      await store.create(await releaseFromChart(dir, { name: 'ours', namespace: ns, version: i + 1, status }));
    }
    const next = await releaseFromChart(dir, { name: 'ours', namespace: ns, version: 5, status: 'pending-upgrade' });
    await store.create(next, { maxHistory: 2 });
    expect(state(await store.history('ours'))).toEqual(['2:deployed', '5:pending-upgrade']);

    for (const v of [6, 7, 8]) await store.create(await releaseFromChart(dir, { name: 'ours', namespace: ns, version: v, status: 'failed' }));
    expect(await store.prune('ours', 3)).toEqual([5, 6]);
    expect(state(await store.history('ours'))).toEqual(['2:deployed', '7:failed', '8:failed']);
    expect(await store.prune('ours', 0)).toEqual([]);
    expect((await helm(['history', 'ours', '-n', ns, '-o', 'json'])).stdout).toMatch(/^\[\{"revision":2,.*\{"revision":7,.*\{"revision":8,/);
  });
});
