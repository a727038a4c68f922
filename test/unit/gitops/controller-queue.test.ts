import { describe, expect, test } from 'vitest';
import { WorkQueue, backoffDelay, jittered, type Timers } from '../../../src/gitops/controller/index.js';

/** A clock that moves only when told to. */
class FakeTimers implements Timers {
  private t = 0;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.pending.set(id, { at: this.t + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.pending.delete(h as number);
  }
  /** Moves the clock, firing due timers in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.pending.entries()].filter(([, p]) => p.at <= end).sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!next) break;
      this.pending.delete(next[0]);
      this.t = next[1].at;
      next[1].fn();
    }
    this.t = end;
  }
}

/** A worker whose runs finish when the test says. */
function gatedWorker() {
  const runs: { key: string; payload: string[] }[] = [];
  const gates: (() => void)[] = [];
  let active = 0;
  let maxActive = 0;
  const worker = async (key: string, payload: string[]) => {
    runs.push({ key, payload });
    active++;
    maxActive = Math.max(maxActive, active);
    await new Promise<void>((r) => gates.push(r));
    active--;
  };
  return {
    worker,
    runs,
    get maxActive() {
      return maxActive;
    },
    releaseAll: async () => {
      while (gates.length) gates.shift()!();
      await new Promise((r) => setImmediate(r));
    },
  };
}

const merge = (a: string[], b: string[]) => [...a, ...b];
const flush = () => new Promise((r) => setImmediate(r));

describe('WorkQueue', () => {
  test('a key added many times while waiting runs once, with every payload merged', async () => {
    const w = gatedWorker();
    const q = new WorkQueue<string[]>(w.worker, { concurrency: 1, merge });
    q.add('blocker', ['x']);
    q.add('a', ['one']);
    q.add('a', ['two']);
    q.add('a', ['three']);
    expect(q.depth).toBe(1);
    await w.releaseAll();
    await w.releaseAll();
    await q.idle();
    expect(w.runs).toEqual([
      { key: 'blocker', payload: ['x'] },
      { key: 'a', payload: ['one', 'two', 'three'] },
    ]);
  });

  test('a key is never run twice at once; added while running, it runs once more afterwards', async () => {
    const w = gatedWorker();
    const q = new WorkQueue<string[]>(w.worker, { concurrency: 4, merge });
    q.add('a', ['first']);
    await flush();
    q.add('a', ['during-1']);
    q.add('a', ['during-2']);
    expect(q.active).toBe(1);
    expect(q.isRunning('a')).toBe(true);
    await w.releaseAll();
    expect(w.runs.map((r) => r.payload)).toEqual([['first'], ['during-1', 'during-2']]);
    await w.releaseAll();
    await q.idle();
    expect(w.runs).toHaveLength(2);
    expect(w.maxActive).toBe(1);
  });

  test('no more than `concurrency` keys run at once', async () => {
    const w = gatedWorker();
    const q = new WorkQueue<string[]>(w.worker, { concurrency: 3, merge });
    for (let i = 0; i < 10; i++) q.add(`k${i}`, [String(i)]);
    await flush();
    expect(q.active).toBe(3);
    expect(q.depth).toBe(7);
    while (w.runs.length < 10 || q.active > 0) await w.releaseAll();
    await q.idle();
    expect(w.maxActive).toBe(3);
    expect(new Set(w.runs.map((r) => r.key)).size).toBe(10);
  });

  test('a worker that throws is reported and the queue goes on', async () => {
    const errors: string[] = [];
    const done: string[] = [];
    const q = new WorkQueue<number>(
      async (key) => {
        if (key === 'bad') throw new Error('boom');
        done.push(key);
      },
      { onError: (key, e) => errors.push(`${key}: ${(e as Error).message}`) },
    );
    q.add('bad', 1);
    q.add('good', 1);
    await q.idle();
    expect(errors).toEqual(['bad: boom']);
    expect(done).toEqual(['good']);
  });

  test('addAfter keeps the earliest due time of a key and merges payloads (fake clock)', async () => {
    const timers = new FakeTimers();
    const runs: { key: string; payload: string[]; at: number }[] = [];
    const q = new WorkQueue<string[]>(async (key, payload) => void runs.push({ key, payload, at: timers.now() }), { merge, timers });
    q.addAfter('a', 180_000, ['interval']);
    q.addAfter('a', 200, ['drift']);
    q.addAfter('a', 500, ['drift-2']);
    expect(q.dueAt('a')).toBe(200);
    expect(q.scheduled).toBe(1);
    timers.advance(199);
    await q.idle();
    expect(runs).toEqual([]);
    timers.advance(1);
    await q.idle();
    expect(runs).toEqual([{ key: 'a', payload: ['interval', 'drift', 'drift-2'], at: 200 }]);
    timers.advance(600_000);
    await q.idle();
    expect(runs).toHaveLength(1);
  });

  test('remove drops a waiting, scheduled or re-run key; stop drops everything', async () => {
    const timers = new FakeTimers();
    const runs: string[] = [];
    const q = new WorkQueue<number>(async (key) => void runs.push(key), { timers });
    q.addAfter('a', 1000, 1);
    q.addAfter('b', 1000, 1);
    q.remove('a');
    timers.advance(1000);
    await q.idle();
    expect(runs).toEqual(['b']);
    q.addAfter('c', 1000, 1);
    q.stop();
    q.add('d', 1);
    timers.advance(5000);
    await q.idle();
    expect(runs).toEqual(['b']);
    q.start();
    q.add('e', 1);
    await q.idle();
    expect(runs).toEqual(['b', 'e']);
  });
});

describe('jitter and backoff', () => {
  test.each([
    [0, 162_000],
    [0.5, 180_000],
    [0.999999, 198_000],
  ])('jittered(3m, 10%%) with random %s is %s ms', (r, want) => {
    expect(jittered(180_000, 0.1, () => r)).toBe(want);
  });

  test('jittered stays within ±fraction and spreads apps out', () => {
    const values = Array.from({ length: 1000 }, () => jittered(60_000, 0.1));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(54_000);
    expect(Math.max(...values)).toBeLessThanOrEqual(66_000);
    expect(new Set(values).size).toBeGreaterThan(100);
    expect(jittered(60_000, 0, () => 0.9)).toBe(60_000);
  });

  test.each([
    [0, 0],
    [1, 1000],
    [2, 2000],
    [5, 16_000],
    [20, 300_000],
    [1000, 300_000],
  ])('backoff after %s failures is %s ms', (n, want) => {
    expect(backoffDelay(n, 1000, 300_000)).toBe(want);
  });
});
