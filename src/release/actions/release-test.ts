import { SlipwayError } from '../../core/index.js';
import { parseManifests } from '../../engines/yaml/index.js';
import type { HelmHook, Release } from '../storage/index.js';
import { resolveContext, withReleaseLock, type ActionContext } from './context.js';
import { ReleaseActionError } from './errors.js';
import { execHooks, podLogs, sortHooks, type ContainerLog } from './hooks.js';
import { retryTransient } from './internal/async.js';
import { checkReleaseName } from './internal/shared.js';
import type { TestOptions } from './options.js';

/** What `test` did: the release with each test hook's last run, and the error of a failed test. */
export interface TestResult {
  release: Release;
  error?: SlipwayError;
}

/**
 * `helm test` (pkg/action/release_testing.go): runs the newest revision's `test` hooks
 * (filtered by name) as hooks run, and stores their last runs in the release. A failed test
 * is returned with the release, not thrown, so the caller can still print the status.
 */
export async function testRelease(context: ActionContext, options: Partial<TestOptions> & Pick<TestOptions, 'name' | 'namespace'>): Promise<TestResult> {
  const ctx = resolveContext(context);
  checkReleaseName(options.name, () => `releaseTest: Release name is invalid: ${options.name}`);
  const store = ctx.store(options.namespace);
  if (!(await store.last(options.name))) throw new ReleaseActionError('release: not found');
  return withReleaseLock(ctx, store, options.name, async (signal) => {
    const rel = await store.last(options.name);
    if (!rel) throw new ReleaseActionError('release: not found');
    const include = options.include ?? [];
    const exclude = options.exclude ?? [];
    const all = rel.hooks;
    const skipped: HelmHook[] = [];
    let executing = all;
    if (exclude.length > 0) executing = executing.filter((h) => (exclude.includes(h.name ?? '') ? (skipped.push(h), false) : true));
    if (include.length > 0) executing = executing.filter((h) => (include.includes(h.name ?? '') ? true : (skipped.push(h), false)));
    rel.hooks = executing;
    let error: SlipwayError | undefined;
    try {
      await execHooks(rel, 'test', {
        client: ctx.client,
        namespace: rel.namespace,
        timeoutMs: options.timeoutMs ?? 300_000,
        record: () => retryTransient(() => store.update({ ...rel, hooks: [...skipped, ...executing] })).catch(() => undefined),
        now: ctx.now,
        onLog: ctx.onHookLog,
        log: ctx.log,
        signal,
      });
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      error = e;
    }
    rel.hooks = [...skipped, ...executing];
    await retryTransient(() => store.update(rel));
    return error ? { release: rel, error } : { release: rel };
  });
}

/**
 * `helm test --logs`: the logs of each test hook by weight. helm reads the log of a Pod
 * named like the hook; Slipway also follows a test Job to its pods (label job-name).
 */
export async function testLogs(context: ActionContext, rel: Release, options: Partial<Pick<TestOptions, 'include' | 'exclude'>> = {}): Promise<{ hook: string; logs: ContainerLog[] }[]> {
  const ctx = resolveContext(context);
  const out: { hook: string; logs: ContainerLog[] }[] = [];
  for (const h of sortHooks(rel.hooks)) {
    if (!h.events?.includes('test')) continue;
    if (options.exclude?.includes(h.name ?? '')) continue;
    if (options.include?.length && !options.include.includes(h.name ?? '')) continue;
    const ns = parseManifests(h.manifest ?? '', h.path ?? '')[0]?.object.metadata.namespace || rel.namespace;
    out.push({ hook: h.name ?? '', logs: await podLogs(ctx.client, ns, h.kind ?? '', h.name ?? '') });
  }
  return out;
}
