/**
 * Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection package
 * does it (tools/leaderelection/leaderelection.go, resourcelock/leaselock.go):
 *
 * - a candidate reads the Lease; it takes it when there is none, when it is released
 *   (empty holder), or when the holder has not renewed it for `leaseDurationMs` — measured on
 *   the candidate's own clock from when it last saw the record change, so clock skew between
 *   replicas does not matter;
 * - every write is an update with the resourceVersion read (optimistic concurrency), so two
 *   candidates can never both win;
 * - the leader renews every `retryPeriodMs`; when it has not managed to renew for
 *   `renewDeadlineMs` it stops leading (and must stop working) before anyone else may take
 *   over (renewDeadline < leaseDuration);
 * - on a clean stop the leader releases the Lease (holder "", duration 1s) so a successor
 *   takes over at once (ReleaseOnCancel).
 */
import { ApiError, SlipwayError, isNotFound } from '../../core/index.js';
import type { KubeClient } from '../../kube/index.js';

/** Options of {@link LeaderElector}. */
export interface LeaderElectionOptions {
  namespace: string;
  name: string;
  /** This candidate, e.g. the pod name plus a random suffix. */
  identity: string;
  /** How long a Lease is good for without renewal. @default 15000 */
  leaseDurationMs?: number;
  /** A leader that cannot renew for this long gives up. @default 10000 */
  renewDeadlineMs?: number;
  /** Time between tries (acquire and renew). @default 2000 */
  retryPeriodMs?: number;
  /** Local clock. @default Date.now */
  now?: () => number;
  log?: (message: string) => void;
}

interface LeaseObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string;
    leaseDurationSeconds?: number;
    acquireTime?: string;
    renewTime?: string;
    leaseTransitions?: number;
  };
}

/** Campaigns for a Lease and calls back when leadership starts and stops. */
export class LeaderElector {
  private leading = false;
  private observed?: { record: string; at: number };
  private lastRenew = 0;
  private readonly abort = new AbortController();
  private loop?: Promise<void>;
  private readonly leaseDurationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryPeriodMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: KubeClient,
    private readonly options: LeaderElectionOptions,
    private readonly callbacks: { onStartedLeading: () => void; onStoppedLeading: () => void; onNewLeader?: (identity: string) => void },
  ) {
    this.leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = Math.min(options.renewDeadlineMs ?? 10_000, this.leaseDurationMs);
    this.retryPeriodMs = options.retryPeriodMs ?? Math.max(200, Math.min(2000, Math.floor(this.renewDeadlineMs / 4)));
    this.now = options.now ?? Date.now;
  }

  /** Whether this candidate holds the Lease now. */
  get isLeader(): boolean {
    return this.leading;
  }

  /** Starts campaigning (returns at once). */
  start(): void {
    this.loop ??= this.run();
  }

  /** Stops campaigning; a leader stops leading and releases the Lease. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
    if (this.leading) {
      this.setLeading(false);
      await this.release().catch((e) => this.log(`lease not released: ${String(e)}`));
    }
  }

  private async run(): Promise<void> {
    let lastLeader = '';
    while (!this.abort.signal.aborted) {
      let ok = false;
      try {
        const holder = await this.tryAcquireOrRenew();
        ok = holder === this.options.identity;
        if (holder !== lastLeader) {
          lastLeader = holder;
          if (holder) this.callbacks.onNewLeader?.(holder);
        }
      } catch (e) {
        if (this.abort.signal.aborted) break;
        if (!(e instanceof SlipwayError)) throw e;
        this.log(`lease ${this.options.namespace}/${this.options.name}: ${e.message}`);
      }
      if (ok) {
        this.lastRenew = this.now();
        if (!this.leading) this.setLeading(true);
      } else if (this.leading && this.now() - this.lastRenew >= this.renewDeadlineMs) {
        this.log(`lease ${this.options.namespace}/${this.options.name}: not renewed for ${this.renewDeadlineMs}ms, stopping leading`);
        this.setLeading(false);
      } else if (this.leading && lastLeader && lastLeader !== this.options.identity) {
        // Someone else holds it (our record was replaced): we are no longer the leader.
        this.setLeading(false);
      }
      await sleep(this.retryPeriodMs, this.abort.signal);
    }
  }

  private setLeading(v: boolean): void {
    if (this.leading === v) return;
    this.leading = v;
    this.log(`lease ${this.options.namespace}/${this.options.name}: ${v ? 'became leader' : 'lost leadership'} (${this.options.identity})`);
    if (v) this.callbacks.onStartedLeading();
    else this.callbacks.onStoppedLeading();
  }

  /** One round; returns the holder after it. */
  private async tryAcquireOrRenew(): Promise<string> {
    const signal = this.abort.signal;
    const now = this.now();
    const nowIso = new Date(now).toISOString().replace(/Z$/, '000Z'); // MicroTime
    const mine = (prev?: LeaseObject['spec']): LeaseObject['spec'] => ({
      holderIdentity: this.options.identity,
      leaseDurationSeconds: Math.max(1, Math.ceil(this.leaseDurationMs / 1000)),
      acquireTime: prev?.holderIdentity === this.options.identity && prev.acquireTime ? prev.acquireTime : nowIso,
      renewTime: nowIso,
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (prev?.holderIdentity && prev.holderIdentity !== this.options.identity ? 1 : 0),
    });
    let current: LeaseObject | undefined;
    try {
      current = await this.client.request<LeaseObject>('GET', this.path(), { signal });
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
    if (!current) {
      try {
        await this.client.request('POST', this.path(true), {
          signal,
          body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.options.name, namespace: this.options.namespace }, spec: mine() },
        });
        return this.options.identity;
      } catch (e) {
        if (e instanceof ApiError && e.status === 409) return ''; // someone else created it first
        throw e;
      }
    }
    const spec = current.spec ?? {};
    const record = JSON.stringify(spec);
    if (this.observed?.record !== record) this.observed = { record, at: now };
    const holder = spec.holderIdentity ?? '';
    const duration = (spec.leaseDurationSeconds ?? 0) * 1000;
    if (holder && holder !== this.options.identity && now < this.observed.at + duration) return holder;
    try {
      const updated = await this.client.request<LeaseObject>('PUT', this.path(), {
        signal,
        body: { ...current, spec: mine(spec) },
      });
      this.observed = { record: JSON.stringify(updated.spec ?? {}), at: now };
      return this.options.identity;
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) return holder === this.options.identity ? '' : holder;
      throw e;
    }
  }

  private async release(): Promise<void> {
    const current = await this.client.request<LeaseObject>('GET', this.path());
    if (current.spec?.holderIdentity !== this.options.identity) return;
    await this.client.request('PUT', this.path(), {
      body: { ...current, spec: { ...current.spec, holderIdentity: '', leaseDurationSeconds: 1 } },
    });
  }

  private path(collection = false): string {
    const base = `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.options.namespace)}/leases`;
    return collection ? base : `${base}/${encodeURIComponent(this.options.name)}`;
  }

  private log(m: string): void {
    this.options.log?.(m);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(t), resolve()), { once: true });
  });
}
