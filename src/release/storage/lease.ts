/**
 * The release lock: a coordination.k8s.io/v1 Lease per release, held with a TTL. helm has no
 * lock and leaves a release in pending-upgrade for good when its client dies partway
 * (helm/helm #4558, #30601); here the next client takes over an expired lease and marks the
 * pending revision the dead holder left as failed, so the release can move on.
 *
 * Writes use the Lease's resourceVersion, so two clients racing for the same lease cannot both
 * win: the loser gets a Conflict and reads the lease again.
 */
import { ApiError, type KubeObject } from '../../core/index.js';
import type { KubeClient } from '../../kube/index.js';
import { ReleaseLockLostError, ReleaseLockedError } from './errors.js';
import type { Release } from './types.js';
import { isPendingStatus } from './types.js';

/** The Lease name of a release's lock. */
export function leaseName(release: string): string {
  return `slipway-release-${release}`;
}

/** Annotation with the TTL in milliseconds (leaseDurationSeconds only holds whole seconds). */
export const LEASE_TTL_ANNOTATION = 'slipway.dev/lease-ttl-ms';

/** Options of a lock. */
export interface LockOptions {
  /** The clock (tests move it). @default Date.now */
  now?: () => number;
}

/** A held release lock. */
export interface ReleaseLock {
  /** The release the lock is for. */
  readonly releaseName: string;
  readonly holder: string;
  /** When the lease runs out unless renewed (ms since the epoch, by this client's clock). */
  readonly expiresAt: number;
  /** The stale revision this lock's takeover marked failed, if there was one. */
  readonly recovered?: Release;
  /** Extends the lease by its TTL from now; ReleaseLockLostError when it is no longer ours. */
  renew(): Promise<void>;
  /** Gives the lease up. Quietly does nothing when it has already been taken over. */
  release(): Promise<void>;
}

/** The part of ReleaseStore a takeover needs. */
interface StoreForLock {
  readonly namespace: string;
  last(name: string): Promise<Release | undefined>;
  update(r: Release): Promise<void>;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface LeaseObject extends KubeObject {
  spec?: LeaseSpec;
}

/** metav1.MicroTime text (RFC 3339 with exactly 6 fractional digits, UTC). */
function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

function ttlOf(lease: LeaseObject): number {
  const annotated = Number(lease.metadata.annotations?.[LEASE_TTL_ANNOTATION]);
  if (Number.isFinite(annotated) && annotated > 0) return annotated;
  return (lease.spec?.leaseDurationSeconds ?? 0) * 1000;
}

/** When the lease runs out (ms since the epoch); -Infinity when it has no renew time. */
export function leaseExpiry(lease: LeaseObject): number {
  const renewed = Date.parse(lease.spec?.renewTime ?? lease.spec?.acquireTime ?? '');
  return Number.isNaN(renewed) ? -Infinity : renewed + ttlOf(lease);
}

/** A holder identity unique to this process: host, pid and a random suffix. */
export function defaultLockHolder(): string {
  const host = process.env.HOSTNAME || 'slipway';
  return `${host}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

const isStatus = (e: unknown, status: number) => e instanceof ApiError && e.status === status;

/** How many times a lost race (Conflict/AlreadyExists) is retried before giving up as locked. */
const RACE_RETRIES = 5;

export async function acquireLease(
  client: KubeClient,
  store: StoreForLock,
  release: string,
  holder: string,
  ttlMs: number,
  options: LockOptions,
): Promise<ReleaseLock> {
  if (!(ttlMs > 0)) throw new RangeError(`lock TTL must be positive, got ${ttlMs}`);
  const now = options.now ?? Date.now;
  const ns = store.namespace;
  const name = leaseName(release);
  const path = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(ns)}/leases`;
  const key = { group: 'coordination.k8s.io', kind: 'Lease', namespace: ns, name };

  const body = (at: number, previous?: LeaseObject): LeaseObject => {
    const prevSpec = previous?.spec ?? {};
    const sameHolder = prevSpec.holderIdentity === holder;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        ...(previous?.metadata ?? {}),
        name,
        namespace: ns,
        labels: { ...(previous?.metadata.labels ?? {}), 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/release': release },
        annotations: { ...(previous?.metadata.annotations ?? {}), [LEASE_TTL_ANNOTATION]: String(ttlMs) },
      },
      spec: {
        holderIdentity: holder,
        leaseDurationSeconds: Math.max(1, Math.ceil(ttlMs / 1000)),
        acquireTime: sameHolder && prevSpec.acquireTime ? prevSpec.acquireTime : microTime(at),
        renewTime: microTime(at),
        leaseTransitions: (prevSpec.leaseTransitions ?? 0) + (previous && !sameHolder && prevSpec.holderIdentity ? 1 : 0),
      },
    };
  };

  for (let attempt = 0; attempt < RACE_RETRIES; attempt++) {
    let current: LeaseObject | undefined;
    try {
      current = await client.request<LeaseObject>('GET', `${path}/${encodeURIComponent(name)}`, { key });
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
    }
    const at = now();
    if (!current) {
      try {
        const created = await client.request<LeaseObject>('POST', path, { body: body(at), key });
        return handle(created, at);
      } catch (e) {
        if (isStatus(e, 409)) continue; // someone created it first: look again
        throw e;
      }
    }
    const owner = current.spec?.holderIdentity ?? '';
    const expiry = leaseExpiry(current);
    const expired = owner !== '' && expiry <= at;
    if (owner !== '' && owner !== holder && !expired) {
      throw new ReleaseLockedError(release, owner, new Date(expiry).toISOString());
    }
    let taken: LeaseObject;
    try {
      taken = await client.request<LeaseObject>('PUT', `${path}/${encodeURIComponent(name)}`, { body: body(at, current), key });
    } catch (e) {
      if (isStatus(e, 409) || isStatus(e, 404)) continue; // changed under us: look again
      throw e;
    }
    const recovered = expired ? await failStale(store, release, owner, expiry, holder) : undefined;
    return handle(taken, at, recovered);
  }
  throw new ReleaseLockedError(release);

  function handle(lease: LeaseObject, at: number, recovered?: Release): ReleaseLock {
    let held = lease;
    let expiresAt = at + ttlMs;
    return {
      releaseName: release,
      holder,
      get expiresAt() {
        return expiresAt;
      },
      ...(recovered ? { recovered } : {}),
      async renew() {
        const t = now();
        try {
          held = await client.request<LeaseObject>('PUT', `${path}/${encodeURIComponent(name)}`, { body: body(t, held), key });
          expiresAt = t + ttlMs;
        } catch (e) {
          if (isStatus(e, 409) || isStatus(e, 404)) {
            throw new ReleaseLockLostError(`the lock on release "${release}" is no longer held by "${holder}": its lease expired and was taken over`);
          }
          throw e;
        }
      },
      async release() {
        try {
          await client.request('DELETE', `${path}/${encodeURIComponent(name)}`, {
            key,
            body: { kind: 'DeleteOptions', apiVersion: 'v1', preconditions: { resourceVersion: held.metadata.resourceVersion } },
          });
        } catch (e) {
          // Gone, or rewritten by whoever took it over: nothing of ours to give up.
          if (isStatus(e, 404) || isStatus(e, 409)) return;
          throw e;
        }
      },
    };
  }
}

/** Marks the pending revision a dead holder left behind as failed, and returns it. */
async function failStale(store: StoreForLock, release: string, oldHolder: string, expiry: number, holder: string): Promise<Release | undefined> {
  const last = await store.last(release);
  if (!last || !isPendingStatus(last.info.status)) return undefined;
  const was = last.info.status;
  last.info.status = 'failed';
  last.info.description =
    `${was} abandoned: the lock of "${oldHolder}" expired at ${new Date(expiry).toISOString()} ` +
    `without the operation finishing; marked failed by "${holder}"`;
  await store.update(last);
  return last;
}
