import { ApiError, ApiUnreachableError } from '../../../core/index.js';

/** Runs `fn` over items with at most `limit` in flight; results in input order. */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.min(Math.max(1, limit), items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  });
  await Promise.all(workers);
  return out;
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => (clearTimeout(t), resolve());
    const t = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * True for failures that a moment's patience may cure: the apiserver unreachable (restarting),
 * 429, and 5xx other than 501 (helm pkg/kube/wait.go isRetryableHTTPStatusCode).
 */
export function isTransient(e: unknown): boolean {
  if (e instanceof ApiUnreachableError) return true;
  return e instanceof ApiError && (e.status === 429 || (e.status >= 500 && e.status !== 501));
}

/**
 * Calls `fn` until it succeeds, retrying transient failures (see {@link isTransient}) with
 * backoff for up to `forMs`; other failures and the last transient one are thrown.
 */
export async function retryTransient<T>(fn: () => Promise<T>, forMs = 60_000, signal?: AbortSignal): Promise<T> {
  const deadline = Date.now() + forMs;
  let delay = 250;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransient(e) || Date.now() + delay > deadline || signal?.aborted) throw e;
      await sleep(delay, signal);
      delay = Math.min(delay * 2, 4000);
    }
  }
}
