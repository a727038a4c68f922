import { SlipwayError, TimeoutError, formatKey, keyString } from '../core/index.js';
import { assessHealth, type Health } from '../engines/health/index.js';
import { sleep } from './internal/async.js';
import type { KubeClient } from './client.js';
import { getObject, type ObjectRef } from './objects.js';

/** Options of {@link waitForHealthy}. */
export interface WaitOptions {
  timeoutMs: number;
  /** Time between polls. @default 500 */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Called after each poll with every object's current health. */
  onProgress?: (states: WaitState[]) => void;
}

/** One object's latest health during a wait. */
export interface WaitState {
  ref: ObjectRef;
  health: Health;
}

/** Thrown when a waited-for object becomes Degraded; lists each one. */
export class DegradedError extends SlipwayError {
  readonly code = 'SLW306' as const;
  constructor(readonly states: WaitState[]) {
    super(`${states.length === 1 ? 'an object is' : `${states.length} objects are`} Degraded:\n${describe(states)}`);
  }
}

/**
 * Polls until every object is Healthy, in kstatus's manner (fluxcd/pkg ssa/manager_wait.go):
 * stop once each object is Healthy or Degraded. Resolves when all are Healthy; throws
 * DegradedError when any ended Degraded, and TimeoutError listing every object that was not
 * ready, with its last reason, when the time runs out. A missing object counts as not ready.
 */
export async function waitForHealthy(client: KubeClient, refs: readonly ObjectRef[], options: WaitOptions): Promise<WaitState[]> {
  const deadline = Date.now() + options.timeoutMs;
  const interval = options.intervalMs ?? 500;
  const latest = new Map<string, WaitState>();
  let pending = [...refs];
  for (;;) {
    const polled = await Promise.all(
      pending.map(async (ref): Promise<WaitState> => {
        const live = await getObject(client, ref, options.signal);
        return { ref, health: live ? assessHealth(live) : { status: 'Missing', message: 'object does not exist' } };
      }),
    );
    for (const s of polled) latest.set(keyString(s.ref), s);
    const states = refs.map((r) => latest.get(keyString(r))!);
    options.onProgress?.(states);
    pending = polled.filter((s) => s.health.status !== 'Healthy' && s.health.status !== 'Degraded').map((s) => s.ref);
    if (pending.length === 0) {
      const degraded = states.filter((s) => s.health.status === 'Degraded');
      if (degraded.length > 0) throw new DegradedError(degraded);
      return states;
    }
    if (options.signal?.aborted) throw new TimeoutError('wait cancelled');
    if (Date.now() >= deadline) {
      const notReady = states.filter((s) => s.health.status !== 'Healthy');
      throw new TimeoutError(
        `timed out after ${formatDuration(options.timeoutMs)} waiting for ${notReady.length} of ${refs.length} objects:\n${describe(notReady)}`,
      );
    }
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), options.signal);
  }
}

function describe(states: WaitState[]): string {
  return states.map((s) => `  ${formatKey(s.ref)}: ${s.health.status}${s.health.message ? ` (${s.health.message})` : ''}`).join('\n');
}

/** A duration in milliseconds as Go's time.Duration prints it: "1m30s", "1.5s", "250ms", "0s". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${trimZeros(rest.toFixed(3))}ms`;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = trimZeros((rest / 1000).toFixed(3));
  return `${sign}${h ? `${h}h` : ''}${h || m ? `${m}m` : ''}${s}s`;
}

function trimZeros(n: string): string {
  return n.includes('.') ? n.replace(/\.?0+$/, '') : n;
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parses Go duration syntax, as helm's and kubectl's --timeout take it ("300s", "5m", "1h30m",
 * ".5s", "250ms", "-1m"), into milliseconds; a bare number is taken as seconds. undefined when
 * the text is not a duration.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t) * 1000;
  const m = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/.exec(t);
  if (!m) return undefined;
  let total = 0;
  for (const part of m[2]!.matchAll(/(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h)/g)) total += Number(part[1]) * UNIT_MS[part[2]!]!;
  return m[1] === '-' ? -total : total;
}
