import { describe, expect, test } from 'vitest';
import { ApiError, ApiUnreachableError } from '../../../src/core/index.js';
import { LeaderElector } from '../../../src/gitops/controller/index.js';
import type { KubeClient } from '../../../src/kube/index.js';

interface Lease {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; leaseTransitions?: number };
}

/** An apiserver holding one Lease, with resourceVersion conflicts as the real one has them. */
class FakeLeases {
  lease?: Lease;
  down = false;
  private rv = 0;
  readonly client = {
    request: async (method: string, _path: string, options: { body?: unknown } = {}) => {
      if (this.down) throw new ApiUnreachableError('cannot reach the Kubernetes API server: connection refused');
      if (method === 'GET') {
        if (!this.lease) throw new ApiError('not found', 404, 'NotFound');
        return structuredClone(this.lease);
      }
      const body = structuredClone(options.body) as Lease;
      if (method === 'POST') {
        if (this.lease) throw new ApiError('exists', 409, 'AlreadyExists');
      } else if (method === 'PUT') {
        if (body.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) throw new ApiError('conflict', 409, 'Conflict');
      }
      body.metadata.resourceVersion = String(++this.rv);
      this.lease = body;
      return structuredClone(body);
    },
  } as unknown as KubeClient;

  /** Someone else holds the lease, renewed just now. */
  heldBy(identity: string): void {
    this.lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: 'ctl', namespace: 'ns', resourceVersion: String(++this.rv) },
      spec: { holderIdentity: identity, leaseDurationSeconds: 1, renewTime: new Date().toISOString() },
    };
  }
}

const until = async (fn: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!fn()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

function elector(fake: FakeLeases, identity: string, events: string[]) {
  return new LeaderElector(
    fake.client,
    { namespace: 'ns', name: 'ctl', identity, leaseDurationMs: 1000, renewDeadlineMs: 300, retryPeriodMs: 30 },
    { onStartedLeading: () => events.push(`${identity} started`), onStoppedLeading: () => events.push(`${identity} stopped`) },
  );
}

describe('LeaderElector', () => {
  test('creates the Lease when there is none and leads; releases it on stop', async () => {
    const fake = new FakeLeases();
    const events: string[] = [];
    const e = elector(fake, 'me', events);
    e.start();
    await until(() => e.isLeader);
    expect(fake.lease?.spec?.holderIdentity).toBe('me');
    await e.stop();
    expect(events).toEqual(['me started', 'me stopped']);
    expect(fake.lease?.spec?.holderIdentity).toBe('');
  });

  test("waits out another holder's lease duration (on its own clock) before taking over", async () => {
    const fake = new FakeLeases();
    fake.heldBy('other');
    const events: string[] = [];
    const e = elector(fake, 'me', events);
    const t = Date.now();
    e.start();
    await new Promise((r) => setTimeout(r, 500));
    expect(e.isLeader).toBe(false);
    await until(() => e.isLeader);
    expect(Date.now() - t).toBeGreaterThanOrEqual(950);
    expect(fake.lease?.spec).toMatchObject({ holderIdentity: 'me', leaseTransitions: 1 });
    await e.stop();
  });

  test('never takes a lease its holder keeps renewing', async () => {
    const fake = new FakeLeases();
    fake.heldBy('other');
    const renew = setInterval(() => fake.heldBy('other'), 100);
    const e = elector(fake, 'me', []);
    e.start();
    await new Promise((r) => setTimeout(r, 1500));
    expect(e.isLeader).toBe(false);
    clearInterval(renew);
    await e.stop();
  });

  test('two candidates: exactly one leads', async () => {
    const fake = new FakeLeases();
    const a = elector(fake, 'a', []);
    const b = elector(fake, 'b', []);
    a.start();
    b.start();
    await until(() => a.isLeader || b.isLeader);
    await new Promise((r) => setTimeout(r, 300));
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    await Promise.all([a.stop(), b.stop()]);
  });

  test('stops leading when it cannot renew within the renew deadline, and leads again after', async () => {
    const fake = new FakeLeases();
    const events: string[] = [];
    const e = elector(fake, 'me', events);
    e.start();
    await until(() => e.isLeader);
    fake.down = true;
    const t = Date.now();
    await until(() => !e.isLeader);
    expect(Date.now() - t).toBeGreaterThanOrEqual(250);
    fake.down = false;
    await until(() => e.isLeader);
    expect(events).toEqual(['me started', 'me stopped', 'me started']);
    await e.stop();
  });
});
