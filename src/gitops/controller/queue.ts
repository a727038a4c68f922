/**
 * The controller's work queue, as client-go's workqueue behaves (k8s.io/client-go/util/workqueue):
 * a key is queued at most once, a key is never processed by two workers at once, and a key
 * added while it is being processed is processed once more afterwards (however often it was
 * added). Requests carry a payload that is merged while the key waits, so a "hard refresh"
 * or "sync" ask is never lost to de-duplication.
 *
 * Delayed adds (`addAfter`) keep the earliest due time per key, as the delaying queue does.
 * Time comes from {@link Timers}, so tests run it on a fake clock.
 */

/** The timer functions the queue uses; {@link realTimers} in production, a fake clock in tests. */
export interface Timers {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Node's timers (unref'd, so that a pending schedule never keeps a process alive). */
export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Options of {@link WorkQueue}. */
export interface WorkQueueOptions<P> {
  /** Keys processed at once. @default 4 */
  concurrency?: number;
  /** Combines the payload of a waiting key with a new one. @default the newer one wins */
  merge?: (a: P, b: P) => P;
  timers?: Timers;
  /** Called when the worker throws (the queue itself never fails). */
  onError?: (key: string, error: unknown) => void;
}

interface Delayed<P> {
  due: number;
  handle: unknown;
  payload: P;
}

/** A de-duplicating work queue with bounded concurrency. */
export class WorkQueue<P> {
  private readonly ready: string[] = [];
  /** Payloads of keys that are in `ready` or that must run again after the current run. */
  private readonly pending = new Map<string, P>();
  private readonly running = new Set<string>();
  private readonly delayed = new Map<string, Delayed<P>>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly merge: (a: P, b: P) => P;
  private readonly timers: Timers;
  private stopped = false;

  constructor(
    private readonly worker: (key: string, payload: P) => Promise<void>,
    private readonly options: WorkQueueOptions<P> = {},
  ) {
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.merge = options.merge ?? ((_a, b) => b);
    this.timers = options.timers ?? realTimers;
  }

  /** Queues `key` now. A key already waiting gets its payload merged; a running key runs once more after. */
  add(key: string, payload: P): void {
    if (this.stopped) return;
    const prev = this.pending.get(key);
    this.pending.set(key, prev === undefined ? payload : this.merge(prev, payload));
    if (prev === undefined && !this.running.has(key)) this.ready.push(key);
    this.pump();
  }

  /** Queues `key` after `delayMs`; an earlier schedule of the same key is kept, a later one replaced. */
  addAfter(key: string, delayMs: number, payload: P): void {
    if (this.stopped) return;
    if (delayMs <= 0) return this.add(key, payload);
    const due = this.timers.now() + delayMs;
    const prev = this.delayed.get(key);
    if (prev) {
      const merged = this.merge(prev.payload, payload);
      if (prev.due <= due) {
        prev.payload = merged;
        return;
      }
      this.timers.clearTimeout(prev.handle);
      payload = merged;
    }
    const entry: Delayed<P> = { due, payload, handle: undefined };
    entry.handle = this.timers.setTimeout(() => {
      if (this.delayed.get(key) !== entry) return;
      this.delayed.delete(key);
      this.add(key, entry.payload);
    }, delayMs);
    this.delayed.set(key, entry);
  }

  /** When `key` is next due by schedule (ms since the epoch), if it is scheduled. */
  dueAt(key: string): number | undefined {
    return this.delayed.get(key)?.due;
  }

  /** Drops every trace of `key` (waiting, scheduled, or the re-run after its current run). */
  remove(key: string): void {
    this.pending.delete(key);
    const i = this.ready.indexOf(key);
    if (i >= 0) this.ready.splice(i, 1);
    const d = this.delayed.get(key);
    if (d) this.timers.clearTimeout(d.handle);
    this.delayed.delete(key);
  }

  /** Keys waiting to run now (not scheduled for later, not running). */
  get depth(): number {
    return this.ready.length;
  }

  /** Keys being processed. */
  get active(): number {
    return this.running.size;
  }

  /** Keys scheduled for later. */
  get scheduled(): number {
    return this.delayed.size;
  }

  isRunning(key: string): boolean {
    return this.running.has(key);
  }

  /** Resolves when nothing is waiting or running (scheduled keys do not count). */
  idle(): Promise<void> {
    if (this.ready.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops taking work and drops everything waiting or scheduled; running work finishes (see {@link idle}). */
  stop(): void {
    this.stopped = true;
    for (const d of this.delayed.values()) this.timers.clearTimeout(d.handle);
    this.delayed.clear();
    this.ready.length = 0;
    this.pending.clear();
    this.notifyIdle();
  }

  /** Takes work again after {@link stop}. */
  start(): void {
    this.stopped = false;
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.concurrency && this.ready.length > 0) {
      const key = this.ready.shift()!;
      const payload = this.pending.get(key)!;
      this.pending.delete(key);
      this.running.add(key);
      void this.run(key, payload);
    }
  }

  private async run(key: string, payload: P): Promise<void> {
    try {
      await this.worker(key, payload);
    } catch (e) {
      this.options.onError?.(key, e);
    } finally {
      this.running.delete(key);
      // Added while it ran: run once more, with everything asked for meanwhile.
      if (this.pending.has(key) && !this.stopped) this.ready.push(key);
      this.pump();
      this.notifyIdle();
    }
  }

  private notifyIdle(): void {
    if (this.ready.length > 0 || this.running.size > 0) return;
    for (const w of this.idleWaiters.splice(0)) w();
  }
}

/**
 * `intervalMs` spread by ±`fraction` (Flux's jitter.JitteredIntervalDuration; Argo CD spreads
 * its app refreshes the same way), so that apps created together do not refresh together.
 */
export function jittered(intervalMs: number, fraction: number, random: () => number = Math.random): number {
  const f = Math.min(Math.max(fraction, 0), 1);
  return Math.max(0, Math.round(intervalMs * (1 - f + 2 * f * random())));
}

/** Exponential backoff: `baseMs`·2^(failures−1), at most `maxMs` (client-go's ItemExponentialFailureRateLimiter). */
export function backoffDelay(failures: number, baseMs: number, maxMs: number): number {
  if (failures <= 0) return 0;
  return Math.min(baseMs * 2 ** Math.min(failures - 1, 30), maxMs);
}
