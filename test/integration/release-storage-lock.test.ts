import { describe, expect, test } from 'vitest';
import { ReleaseLockLostError, ReleaseLockedError, ReleaseStore, leaseName } from '../../src/release/index.js';
import { useNamespace } from './helpers.js';
import { helm, releaseFromChart, smallChart } from './release-storage-helpers.js';

interface Lease {
  metadata: { resourceVersion: string };
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; acquireTime?: string; renewTime?: string; leaseTransitions?: number };
}

describe('the release lock (a Lease with a TTL)', () => {
  const suite = useNamespace();
  const store = () => new ReleaseStore(suite.client(), suite.ns());
  const lease = (name: string) => suite.client().request<Lease>('GET', `/apis/coordination.k8s.io/v1/namespaces/${suite.ns()}/leases/${leaseName(name)}`);

  test('a second holder is refused with helm’s message while the first holds it; free again after release', async () => {
    const a = await store().lock('web', 'holder-a', 60_000);
    const l = await lease('web');
    expect(l.spec).toMatchObject({ holderIdentity: 'holder-a', leaseDurationSeconds: 60 });
    expect(l.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);

    const refused = await store().lock('web', 'holder-b', 60_000).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ReleaseLockedError);
    expect((refused as ReleaseLockedError).message).toBe('another operation (install/upgrade/rollback) is in progress');
    expect((refused as ReleaseLockedError).holder).toBe('holder-a');

    await a.renew();
    expect((await lease('web')).spec.holderIdentity).toBe('holder-a');
    await a.release();
    const b = await store().lock('web', 'holder-b', 60_000);
    expect((await lease('web')).spec.holderIdentity).toBe('holder-b');
    await b.release();
    await b.release(); // twice is fine
  });

  test('of two clients racing for a free lock exactly one wins', async () => {
    const results = await Promise.allSettled([store().lock('race', 'one', 30_000), store().lock('race', 'two', 30_000), store().lock('race', 'three', 30_000)]);
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(ReleaseLockedError);
    await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<ReleaseStore['lock']>>>).value.release();
  });

  test('an expired lease is taken over and the pending revision its holder left is marked failed', async () => {
    const s = store();
    const dir = suite.tree(smallChart());
    const ns = suite.ns();
    await s.create(await releaseFromChart(dir, { name: 'stuck', namespace: ns }));
    // A client took the lock, stored revision 2 as pending-upgrade, and died.
    const dead = await s.lock('stuck', 'dead-client', 1500);
    const pending = await releaseFromChart(dir, { name: 'stuck', namespace: ns, version: 2, status: 'pending-upgrade', description: 'Preparing upgrade' });
    await s.create(pending);
    expect((await helm(['upgrade', 'stuck', dir, '-n', ns])).stderr).toContain('another operation (install/upgrade/rollback) is in progress');

    // Before the TTL is up the lock is still held …
    await expect(s.lock('stuck', 'next-client', 30_000)).rejects.toThrow(ReleaseLockedError);
    // … and after it, taken over (the clock moved on instead of waiting).
    const next = await s.lock('stuck', 'next-client', 30_000, { now: () => Date.now() + 5_000 });
    expect(next.recovered?.version).toBe(2);
    const stale = await s.get('stuck', 2);
    expect(stale?.info.status).toBe('failed');
    expect(stale?.info.description).toMatch(/^pending-upgrade abandoned: the lock of "dead-client" expired at \S+ without the operation finishing; marked failed by "next-client"$/);
    expect((await lease('stuck')).spec).toMatchObject({ holderIdentity: 'next-client', leaseTransitions: 1 });

    // helm sees the failed revision (label and record) and can go on.
    const hist = await helm(['history', 'stuck', '-n', ns, '-o', 'json']);
    expect(JSON.parse(hist.stdout)).toMatchObject([{ revision: 1, status: 'deployed' }, { revision: 2, status: 'failed' }]);
    expect((await helm(['list', '-n', ns, '--failed', '-q'])).stdout).toBe('stuck\n');

    // The dead client's handle has lost the lock; releasing it leaves the new holder alone.
    await expect(dead.renew()).rejects.toThrow(ReleaseLockLostError);
    await dead.release();
    expect((await lease('stuck')).spec.holderIdentity).toBe('next-client');
    await next.release();

    const up = await helm(['upgrade', 'stuck', dir, '-n', ns]);
    expect(up.code, up.stderr).toBe(0);
  });

  test('taking over an expired lease without a pending revision changes no release', async () => {
    const s = store();
    await s.create(await releaseFromChart(suite.tree(smallChart()), { name: 'calm', namespace: suite.ns() }));
    await s.lock('calm', 'gone', 1000);
    const next = await s.lock('calm', 'here', 30_000, { now: () => Date.now() + 3_000 });
    expect(next.recovered).toBeUndefined();
    expect((await s.last('calm'))?.info.status).toBe('deployed');
    await next.release();
  });
});
