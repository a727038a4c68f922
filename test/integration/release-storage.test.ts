import { describe, expect, test } from 'vitest';
import { ReleaseStore, decodeRelease, encodeReleaseJson, releaseSecretName } from '../../src/release/index.js';
import { useNamespace } from './helpers.js';
import { applyRelease, both, helm, releaseFromChart, smallChart, storedJson } from './release-storage-helpers.js';

// The read-only commands against the real helm 3.22 on one cluster: a release helm wrote,
// and a release slipway wrote, must print the same through `helm` and `slipway`.

/** The commands compared, for a release name. */
const readCommands = (name: string): string[][] => [
  ['list'],
  ['list', '--all', '-o', 'json'],
  ['list', '--all', '-o', 'yaml'],
  ['list', '--superseded', '-q'],
  ['history', name],
  ['history', name, '-o', 'json'],
  ['history', name, '-o', 'yaml', '--max', '2'],
  ['status', name],
  ['status', name, '--show-desc', '--revision', '1'],
  ['status', name, '-o', 'json'],
  ['status', name, '-o', 'yaml'],
  ['get', 'manifest', name],
  ['get', 'values', name],
  ['get', 'values', name, '--revision', '1', '-o', 'json'],
  ['get', 'values', name, '--all'],
  ['get', 'notes', name],
  ['get', 'hooks', name],
  ['get', 'all', name],
  ['get', 'metadata', name, '-o', 'yaml'],
];

async function expectSameOutput(args: string[]): Promise<void> {
  const r = await both(args);
  expect(r.helm.code, `helm ${args.join(' ')}: ${r.helm.stderr}`).toBe(0);
  expect({ args, stdout: r.slipway.stdout, code: r.slipway.code, stderr: r.slipway.stderr }).toEqual({ args, stdout: r.helm.stdout, code: 0, stderr: '' });
}

describe('a release helm installed, upgraded and rolled back', () => {
  const suite = useNamespace();

  test('slipway list, history, status and get print exactly what helm prints', async () => {
    const ns = suite.ns();
    const dir = suite.tree(smallChart());
    const steps = [
      ['install', 'web', dir, '-n', ns, '--set', 'name=<first>', '--labels', 'team=shop'],
      ['upgrade', 'web', dir, '-n', ns, '--reuse-values', '--set', 'count=3'],
      ['rollback', 'web', '1', '-n', ns],
    ];
    for (const step of steps) {
      const r = await helm(step);
      expect(r.code, r.stderr).toBe(0);
      await Promise.all(readCommands('web').map((args) => expectSameOutput([...args, '-n', ns])));
    }
  }, 300_000);

  test('every record helm wrote decodes and encodes back to helm’s JSON', async () => {
    const store = new ReleaseStore(suite.client(), suite.ns());
    for (const r of await store.history('web')) {
      expect(encodeReleaseJson(r)).toBe(await storedJson(suite.client(), suite.ns(), 'web', r.version));
    }
    expect((await store.last('web'))?.labels).toEqual({ team: 'shop' });
  });

  test('a missing release fails as in helm, with slipway’s "error:" prefix', async () => {
    for (const args of [['status', 'nope'], ['history', 'nope'], ['get', 'values', 'web', '--revision', '9'], ['status', 'Not_Valid']]) {
      const r = await both([...args, '-n', suite.ns()]);
      expect(r.helm.code).toBe(1);
      expect(r.slipway.code).toBe(1);
      expect(r.slipway.stderr).toBe(r.helm.stderr.replace(/^Error: /, 'error: '));
    }
  });
});

describe('a release slipway wrote with ReleaseStore.create', () => {
  const suite = useNamespace();

  test('helm reads it, upgrades it and rolls it back, and both tools print the same history', async () => {
    const ns = suite.ns();
    const client = suite.client();
    const store = new ReleaseStore(client, ns);
    const dir = suite.tree(smallChart('made-here'));
    const rel = await releaseFromChart(dir, { name: 'ours', namespace: ns, values: { greeting: 'from slipway', count: 7n }, labels: { team: 'core' } });
    await applyRelease(client, rel);
    await store.create(rel);

    // The Secret is what helm would have written: name, type, labels.
    const secret = await client.request<{ type: string; metadata: { labels: Record<string, string> }; data: { release: string } }>(
      'GET',
      `/api/v1/namespaces/${ns}/secrets/${releaseSecretName('ours', 1)}`,
    );
    expect(secret.type).toBe('helm.sh/release.v1');
    expect(secret.metadata.labels).toMatchObject({ name: 'ours', owner: 'helm', status: 'deployed', version: '1', team: 'core' });
    expect(secret.metadata.labels.createdAt).toMatch(/^\d+$/);
    expect(encodeReleaseJson(decodeRelease(Buffer.from(secret.data.release, 'base64').toString()))).toBe(encodeReleaseJson(rel));

    // helm reads it.
    const list = await helm(['list', '-n', ns, '-o', 'json']);
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'ours', namespace: ns, revision: '1', status: 'deployed', chart: 'made-here-0.3.1', app_version: '1.4' }]);
    expect((await helm(['get', 'manifest', 'ours', '-n', ns])).stdout).toBe(`${rel.manifest}\n`);
    expect((await helm(['list', '-n', ns, '-l', 'team=core', '-q'])).stdout).toBe('ours\n');
    await Promise.all(readCommands('ours').map((args) => expectSameOutput([...args, '-n', ns])));

    // helm changes it.
    const up = await helm(['upgrade', 'ours', dir, '-n', ns, '--reuse-values', '--set', 'name=up']);
    expect(up.code, up.stderr).toBe(0);
    expect((await helm(['get', 'values', 'ours', '-n', ns, '-o', 'json'])).stdout).toBe('{"count":7,"greeting":"from slipway","name":"up"}\n');
    const back = await helm(['rollback', 'ours', '1', '-n', ns]);
    expect(back.code, back.stderr).toBe(0);
    const history = await store.history('ours');
    expect(history.map((r) => [r.version, r.info.status, r.info.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Rollback to 1'],
    ]);
    expect(history[2]!.manifest).toBe(rel.manifest);
    await Promise.all(readCommands('ours').map((args) => expectSameOutput([...args, '-n', ns])));
    for (const r of history) expect(encodeReleaseJson(r)).toBe(await storedJson(client, ns, 'ours', r.version));
  }, 300_000);

  test('update rewrites the record and its status label, as helm does', async () => {
    const ns = suite.ns();
    const store = new ReleaseStore(suite.client(), ns);
    const rel = await releaseFromChart(suite.tree(smallChart()), { name: 'upd', namespace: ns, status: 'pending-install' });
    await store.create(rel);
    expect((await helm(['list', '-n', ns, '--pending', '-q'])).stdout).toBe('upd\n');
    rel.info.status = 'deployed';
    rel.info.description = 'Install complete';
    await store.update(rel);
    expect((await helm(['list', '-n', ns, '--deployed', '-q'])).stdout).toContain('upd\n');
    expect((await helm(['status', 'upd', '-n', ns, '--show-desc'])).stdout).toContain('STATUS: deployed\nREVISION: 1\nDESCRIPTION: Install complete\n');
    await expect(store.create(rel)).rejects.toThrow('release: already exists');

    const next = { ...rel, version: 2, info: { ...rel.info, status: 'failed' as const, description: 'Upgrade "upd" failed: boom' } };
    await store.create(next);
    expect((await store.deployed('upd'))?.version).toBe(1);
    expect((await store.last('upd'))?.version).toBe(2);
    expect((await store.list()).filter((r) => r.name === 'upd').map((r) => r.version)).toEqual([2]);
    expect((await store.list({ statuses: ['deployed'] })).some((r) => r.name === 'upd')).toBe(false);
    expect((await store.list({ statuses: ['deployed', 'failed'] })).filter((r) => r.name === 'upd').map((r) => r.version)).toEqual([2]);
    await store.delete('upd', 2);
    await expect(store.delete('upd', 2)).rejects.toThrow('release: not found');
    expect((await store.history('upd')).map((r) => r.version)).toEqual([1]);
  });
});
