import { expect, test } from 'vitest';
import { WatchCache, serverSideApply, deleteObject, type CacheEvent } from '../../src/kube/index.js';
import { eventually, useNamespace } from './helpers.js';

const { client, ns } = useNamespace();

const cm = (name: string, value: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: ns() },
  data: { value },
});

test('many apps share one list and one watch; each hears only about its own objects', async () => {
  const apps = 25;
  for (let i = 0; i < apps; i++) await serverSideApply(client(), cm(`app-${i}`, '0'), { fieldManager: 'test' });

  const cache = new WatchCache(client());
  const heard: CacheEvent[][] = Array.from({ length: apps }, () => []);
  try {
    for (let i = 0; i < apps; i++) {
      await cache.watchKind('v1', 'ConfigMap'); // every app asks; only the first one lists
      cache.subscribeKeys([{ group: '', kind: 'ConfigMap', namespace: ns(), name: `app-${i}` }], (e) => heard[i]!.push(e));
    }
    expect(cache.stats.lists).toBe(1);
    expect(cache.get({ group: '', kind: 'ConfigMap', namespace: ns(), name: 'app-7' })?.data).toEqual({ value: '0' });

    await serverSideApply(client(), cm('app-7', '1'), { fieldManager: 'test' });
    await eventually(async () => heard[7]!.length > 0, 10_000, 'the change to reach app 7');
    expect(heard[7]![0]).toMatchObject({ type: 'MODIFIED', object: { data: { value: '1' } } });
    expect(cache.get({ group: '', kind: 'ConfigMap', namespace: ns(), name: 'app-7' })?.data).toEqual({ value: '1' });

    await deleteObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'app-3' });
    await eventually(async () => heard[3]!.some((e) => e.type === 'DELETED'), 10_000, 'the delete to reach app 3');
    expect(cache.get({ group: '', kind: 'ConfigMap', namespace: ns(), name: 'app-3' })).toBeUndefined();

    const others = heard.filter((_, i) => i !== 7 && i !== 3).flat();
    expect(others).toEqual([]);
    expect(cache.stats.lists).toBe(1);
    expect(cache.stats.watches).toBe(1);
  } finally {
    cache.stop();
  }
});

test('kind subscribers hear about every object of that kind, including new ones', async () => {
  const cache = new WatchCache(client());
  const names: string[] = [];
  try {
    await cache.watchKind('v1', 'Secret');
    cache.subscribeKind('', 'Secret', (e) => {
      if (e.object.metadata.namespace === ns()) names.push(`${e.type} ${e.object.metadata.name}`);
    });
    await serverSideApply(client(), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1', namespace: ns() }, stringData: { a: 'b' } }, { fieldManager: 'test' });
    await eventually(async () => names.includes('ADDED s1'), 10_000, 'the new Secret');
  } finally {
    cache.stop();
  }
});
