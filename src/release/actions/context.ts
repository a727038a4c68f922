import { setMaxListeners } from 'node:events';
import { isNotFound } from '../../core/index.js';
import type { KubeClient } from '../../kube/index.js';
import { ReleaseActionError } from './errors.js';
import { ReleaseLockLostError, ReleaseStore, defaultLockHolder } from '../storage/index.js';
import { retryTransient } from './internal/async.js';

/** What every action needs: the cluster, the clock, and where to say things. */
export interface ActionContext {
  client: KubeClient;
  /** The release store of one namespace. @default new ReleaseStore(client, namespace) */
  store?: (namespace: string) => ReleaseStore;
  /** @default () => new Date() */
  now?: () => Date;
  /** helm's debug log (cfg.Log): what the action is doing. */
  log?: (message: string) => void;
  /** Warnings the user should see (helm's `WARNING: …`). */
  warn?: (message: string) => void;
  /** Container logs of hooks whose `helm.sh/hook-output-log-policy` asks for them. */
  onHookLog?: (namespace: string, pod: string, container: string, text: string) => void;
  /** Who holds the release lease. @default storage's defaultLockHolder(): host, pid, random */
  holder?: string;
  /** How long a lease lasts without renewal; a killed process blocks the release this long. @default 30000 */
  lockTtlMs?: number;
}

/** The default lease TTL: renewed every third of it while an action runs. */
export const DEFAULT_LOCK_TTL_MS = 30_000;

/** {@link ActionContext} with its defaults filled in. */
export interface ResolvedContext extends Required<Omit<ActionContext, 'onHookLog'>> {
  onHookLog?: ActionContext['onHookLog'];
}

export function resolveContext(ctx: ActionContext): ResolvedContext {
  const quiet = () => undefined;
  return {
    client: ctx.client,
    store: ctx.store ?? ((ns) => new ReleaseStore(ctx.client, ns)),
    now: ctx.now ?? (() => new Date()),
    log: ctx.log ?? quiet,
    warn: ctx.warn ?? quiet,
    onHookLog: ctx.onHookLog,
    holder: ctx.holder ?? defaultLockHolder(),
    lockTtlMs: ctx.lockTtlMs ?? DEFAULT_LOCK_TTL_MS,
  };
}

/**
 * Runs `fn` holding the release's lease (ReleaseStore.lock), renewed every third of the TTL.
 * When a renewal finds the lease taken (this process stalled past the TTL and another took
 * over), the signal given to `fn` aborts, so waits stop and nothing more is changed. The
 * lease is released at the end, success or not; a process killed meanwhile leaves it to
 * expire, and the next action takes it over and marks the revision it left pending as failed.
 */
export async function withReleaseLock<T>(ctx: ResolvedContext, store: ReleaseStore, name: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  let lease: Awaited<ReturnType<ReleaseStore['lock']>>;
  try {
    lease = await store.lock(name, ctx.holder, ctx.lockTtlMs);
  } catch (e) {
    // helm fails when it first writes the release into a namespace that is not there
    if (isNotFound(e)) throw new ReleaseActionError(`create: failed to create: namespaces "${store.namespace}" not found`, undefined, { cause: e });
    throw e;
  }
  if (lease.recovered) {
    ctx.warn(
      `revision ${lease.recovered.version} of release "${name}" was left pending by an operation whose lock expired ` +
        '(the process died or lost the cluster); it is now marked failed',
    );
  }
  const abort = new AbortController();
  // every request and poll of the action listens on this one signal (kube's waits add one per poll)
  setMaxListeners(0, abort.signal);
  let renewing = false;
  const timer = setInterval(() => {
    if (renewing) return;
    renewing = true;
    lease
      .renew()
      .catch((e: unknown) => {
        if (e instanceof ReleaseLockLostError) {
          ctx.warn(`lost the lock of release "${name}" to another operation; stopping`);
          abort.abort(e);
        } else ctx.log(`could not renew the lock of release "${name}": ${(e as Error).message}`);
      })
      .finally(() => (renewing = false));
  }, Math.max(1000, Math.floor(ctx.lockTtlMs / 3)));
  try {
    return await fn(abort.signal);
  } finally {
    clearInterval(timer);
    await retryTransient(() => lease.release(), 10_000).catch((e: Error) => ctx.log(`could not release the lock of "${name}": ${e.message}`));
  }
}
