import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { WatchCache, serverSideApply, type CacheEvent } from '../../src/kube/index.js';
import { eventually, slipway, tempTree, useNamespace } from '../integration/helpers.js';

// Runs alone, after the other suites (vitest.config.ts: project "faults", sequence.groupOrder 1),
// because it stops the shared apiserver.

const { client, ns } = useNamespace();

const cluster = (...args: string[]) => execFileSync(resolve('scripts/cluster'), args, { stdio: 'pipe', env: process.env });

// It restarts the local control plane, so it cannot run against $SLIPWAY_TEST_KUBECONFIG.
test.skipIf(!!process.env.SLIPWAY_TEST_KUBECONFIG)('the watch cache keeps serving and catches up after the apiserver restarts; the CLI fails with one line while it is down', async () => {
  const cm = (value: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'survivor', namespace: ns() }, data: { value } });
  await serverSideApply(client(), cm('before'), { fieldManager: 'test' });
  const errors: unknown[] = [];
  const cache = new WatchCache(client(), { maxBackoffMs: 1000, onError: (_k, e) => errors.push(e) });
  const heard: CacheEvent[] = [];
  try {
    await cache.watchKind('v1', 'ConfigMap');
    cache.subscribeKeys([{ group: '', kind: 'ConfigMap', namespace: ns(), name: 'survivor' }], (e) => heard.push(e));

    cluster('stop-apiserver');
    const dir = tempTree({ 'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n' });
    const down = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(down.code).toBe(1);
    expect(down.stderr).toMatch(/^error: cannot reach the Kubernetes API server at https:\/\/127\.0\.0\.1:\d+: connection refused\n$/);
    // Still serving its last state while the server is away.
    expect(cache.get({ group: '', kind: 'ConfigMap', namespace: ns(), name: 'survivor' })?.data).toEqual({ value: 'before' });

    cluster('start-apiserver');
    await eventually(async () => {
      try {
        await serverSideApply(client(), cm('after'), { fieldManager: 'test' });
        return true;
      } catch {
        return false;
      }
    }, 60_000, 'the apiserver to accept writes again');
    await eventually(async () => heard.some((e) => (e.object.data as { value?: string }).value === 'after'), 30_000, 'the cache to see the change');
    expect(cache.get({ group: '', kind: 'ConfigMap', namespace: ns(), name: 'survivor' })?.data).toEqual({ value: 'after' });
    expect(errors.length).toBeGreaterThan(0); // it did notice the outage
  } finally {
    cache.stop();
    cluster('start-apiserver');
  }
});
