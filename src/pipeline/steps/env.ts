/**
 * The `env` step: an ephemeral test environment for the steps after it in its stage.
 *
 * {@link createTestEnv} makes a namespace (default `test-<pipeline>-<number>`) labelled as
 * Slipway's (`app.kubernetes.io/managed-by: slipway`, `slipway.dev/pipeline`,
 * `slipway.dev/run`, plus the step's labels) and annotated `slipway.dev/expires-at` (now +
 * ttl, RFC 3339); installs the step's release into it (helm upgrade --install through
 * src/release, see deploy.ts); then runs its init Jobs (job.ts: files in a ConfigMap at
 * /data). {@link teardownTestEnv} deletes the namespace at the end of the stage and waits
 * for it to go, unless it is kept (`keep: always`, or `on-failure` when the stage failed):
 * a kept environment stays until its expiry, when {@link sweepExpiredTestEnvs} (`slipway
 * env gc`) deletes it. When setting up fails partway the namespace is torn down the same
 * way (kept under the same rules) and the error names the step and the part that failed.
 */
import { randomBytes } from 'node:crypto';
import { SlipwayError, formatError, isNotFound, type KubeObject } from '../../core/index.js';
import { deleteObject, getObject, listObjects, serverSideApply, type KubeClient, type ObjectRef } from '../../kube/index.js';
import { DEFAULT_TIMEOUT_MS, ReleaseStore, defaultUninstallOptions, uninstall } from '../../release/index.js';
import type { StepIO } from '../executor.js';
import type { EnvStep } from '../model.js';
import { PIPELINE_LABEL, RUN_LABEL, labelValue } from '../kube/jobs.js';
import { upgradeInstall } from './deploy.js';
import { jobName, runJobStep, type JobRun } from './job.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'slipway';
/** When a test environment may be deleted by `slipway env gc` (RFC 3339, UTC). */
export const EXPIRES_AT_ANNOTATION = 'slipway.dev/expires-at';

/** A test environment made by {@link createTestEnv}. */
export interface TestEnv {
  /** The env step's name, for messages. */
  step: string;
  namespace: string;
  /** RFC 3339 time after which the namespace may be swept. */
  expiresAt: string;
  keep: EnvStep['keep'];
  /** The release installed into it, when the step has one. */
  release?: { name: string; revision: number };
}

/** Options of {@link createTestEnv}. */
export interface TestEnvOptions {
  /** @default () => new Date() */
  now?: () => Date;
  /** The env step's path (`stage/step`), for the init Jobs' labels. */
  node?: string;
  /** How long teardown after a failed setup waits for the namespace to go. @default 120000 */
  deleteTimeoutMs?: number;
}

/** Setting up a test environment failed; the message names the step and the part. */
export class TestEnvError extends SlipwayError {
  readonly code = 'SLW761' as const;
}

/** RFC 3339 in UTC without fractional seconds: `2026-11-26T23:00:00Z`. */
export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The namespace of a test environment: the step's, or `test-<pipeline>-<number>` made a
 * DNS label (lowercase letters, digits and '-', at most 63, no '-' at either end; a long
 * pipeline name is cut so the number stays).
 */
export function testEnvNamespace(pipeline: string, number: number, given?: string): string {
  if (given) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(given)) {
      throw new TestEnvError(`env.namespace "${given}" is not a valid namespace name (lowercase letters, digits and '-', at most 63 characters)`);
    }
    return given;
  }
  const tail = `-${number}`;
  const head = `test-${pipeline}`
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .slice(0, 63 - tail.length)
    .replace(/-+$/, '');
  return `${head}${tail}`;
}

/** The Namespace object of a test environment (pure). */
export function testEnvNamespaceObject(name: string, step: Pick<EnvStep, 'labels' | 'ttlMs'>, run: Pick<JobRun, 'pipeline' | 'runId'>, now: Date): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      labels: {
        ...step.labels,
        [MANAGED_BY_LABEL]: MANAGED_BY,
        [PIPELINE_LABEL]: labelValue(run.pipeline),
        [RUN_LABEL]: String(run.runId),
      },
      annotations: { [EXPIRES_AT_ANNOTATION]: rfc3339(new Date(now.getTime() + step.ttlMs)) },
    },
  };
}

const nsRef = (name: string): ObjectRef => ({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name });

/**
 * Creates the test environment of an env step (already interpolated): namespace, release,
 * init Jobs. On a failure after the namespace exists, tears it down (unless `keep` keeps
 * it) and throws a TestEnvError naming the step and what failed.
 */
export async function createTestEnv(client: KubeClient, step: EnvStep, run: JobRun, io: StepIO, opts: TestEnvOptions = {}): Promise<TestEnv> {
  const now = (opts.now ?? (() => new Date()))();
  let name: string;
  try {
    name = testEnvNamespace(run.pipeline, run.number, step.namespace);
  } catch (e) {
    if (e instanceof TestEnvError) throw new TestEnvError(`env step "${step.name}": ${e.message}`, step.at);
    throw e;
  }
  const ns = testEnvNamespaceObject(name, step, run, now);
  const env: TestEnv = { step: step.name, namespace: name, expiresAt: ns.metadata.annotations![EXPIRES_AT_ANNOTATION]!, keep: step.keep };
  try {
    await ensureNamespace(client, ns, io);
  } catch (e) {
    throw wrap(step, `namespace ${name}`, e);
  }
  io.write('system', `test environment: namespace ${name} (expires ${env.expiresAt})\n`);

  let part = '';
  try {
    if (step.release) {
      part = `release "${step.release.name}" (chart ${step.release.chart})`;
      const rel = await upgradeInstall(
        client,
        {
          name: step.release.name,
          namespace: name,
          chart: step.release.chart,
          valuesFiles: step.release.valuesFiles,
          set: step.release.set,
          wait: step.release.wait,
          timeoutMs: step.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          createNamespace: false,
        },
        run.workspace,
        io,
      );
      env.release = { name: rel.name, revision: rel.version };
      io.write('system', `release ${rel.name} revision ${rel.version} ${rel.info.status} in ${name}\n`);
    }
    for (const job of step.initJobs) {
      part = `init job "${job.name}"`;
      io.write('system', `init job ${job.name} (${job.image})\n`);
      const jobOpts: Parameters<typeof runJobStep>[5] = { name: jobName(`init-${job.name}`, randomBytes(3).toString('hex')) };
      if (opts.node !== undefined) jobOpts.node = `${opts.node}/init/${job.name}`;
      if (job.timeoutMs !== undefined) jobOpts.timeoutMs = job.timeoutMs;
      const result = await runJobStep(client, job, name, run, io, jobOpts);
      if (result.exitCode !== 0) throw new TestEnvError(result.error ?? `exited with code ${result.exitCode}`, job.at);
    }
  } catch (e) {
    const err = wrap(step, part, e);
    io.write('system', `${err.message}\n`);
    await teardownTestEnv(client, env, 'failed', step.keep, io, { timeoutMs: opts.deleteTimeoutMs });
    throw err;
  }
  return env;
}

function wrap(step: EnvStep, part: string, e: unknown): TestEnvError {
  const why = e instanceof SlipwayError ? formatError(e) : e instanceof Error ? e.message : String(e);
  return new TestEnvError(`env step "${step.name}": ${part} failed: ${why}`, step.at, { cause: e });
}

/** Creates the namespace; takes over one Slipway made before (a re-run), refuses anyone else's. */
async function ensureNamespace(client: KubeClient, ns: KubeObject, io: StepIO): Promise<void> {
  const name = ns.metadata.name!;
  let live = await getObject(client, nsRef(name));
  if (live?.metadata.deletionTimestamp) {
    io.write('system', `namespace ${name} is being deleted; waiting for it to go\n`);
    await waitGone(client, name, 120_000, io.signal);
    live = undefined;
  }
  if (live && live.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY) {
    throw new TestEnvError(`namespace ${name} exists and is not a Slipway test environment (no ${MANAGED_BY_LABEL}=${MANAGED_BY} label); set env.namespace to another name`);
  }
  await serverSideApply(client, ns, { fieldManager: 'slipway', force: true, signal: io.signal });
}

/** Polls until the namespace is gone; false when it is still there after `timeoutMs`. */
async function waitGone(client: KubeClient, name: string, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!(await getObject(client, nsRef(name), signal))) return true;
    if (Date.now() > deadline || signal?.aborted) return false;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** What {@link teardownTestEnv} did. */
export interface TeardownResult {
  kept: boolean;
  /** The namespace is gone (false when kept, or still terminating at the timeout). */
  deleted: boolean;
}

/**
 * Ends a test environment: kept when `keep` is `always`, or `on-failure` and the stage
 * failed (the log says where and until when); otherwise the release is uninstalled (so its
 * cluster-scoped objects go too) and the namespace deleted, and this waits until it is gone.
 */
export async function teardownTestEnv(
  client: KubeClient,
  env: TestEnv,
  outcome: 'succeeded' | 'failed',
  keep: EnvStep['keep'],
  io: StepIO,
  opts: { timeoutMs?: number } = {},
): Promise<TeardownResult> {
  if (keep === 'always' || (keep === 'on-failure' && outcome === 'failed')) {
    io.write(
      'system',
      `test environment kept (keep: ${keep}): namespace ${env.namespace} until ${env.expiresAt}; \`slipway env gc\` deletes it after that, or delete it with \`kubectl delete namespace ${env.namespace}\`\n`,
    );
    return { kept: true, deleted: false };
  }
  if (env.release) {
    try {
      const store = new ReleaseStore(client, env.namespace);
      if ((await store.history(env.release.name)).length > 0) {
        await uninstall({ client }, { ...defaultUninstallOptions(), name: env.release.name, namespace: env.namespace, ignoreNotFound: true });
      }
    } catch (e) {
      io.write('system', `uninstalling release ${env.release.name} failed (${e instanceof Error ? e.message : String(e)}); deleting the namespace anyway\n`);
    }
  }
  try {
    await deleteObject(client, nsRef(env.namespace));
  } catch (e) {
    if (!isNotFound(e)) throw e;
  }
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const gone = await waitGone(client, env.namespace, timeoutMs);
  io.write('system', gone ? `test environment ${env.namespace} deleted\n` : `namespace ${env.namespace} is still terminating after ${Math.round(timeoutMs / 1000)}s\n`);
  return { kept: false, deleted: gone };
}

/**
 * Deletes every Slipway test environment whose `slipway.dev/expires-at` has passed (the
 * namespaces labelled managed-by slipway that carry the annotation; ones already being
 * deleted are left alone). Returns the names it deleted. Used by `slipway env gc`.
 */
export async function sweepExpiredTestEnvs(client: KubeClient, now: Date = new Date(), io?: StepIO): Promise<string[]> {
  const { items } = await listObjects(client, 'v1', 'Namespace', { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` });
  const deleted: string[] = [];
  for (const ns of items) {
    const at = ns.metadata.annotations?.[EXPIRES_AT_ANNOTATION];
    if (!at || ns.metadata.deletionTimestamp) continue;
    const t = Date.parse(at);
    if (Number.isNaN(t) || t > now.getTime()) continue;
    const name = ns.metadata.name!;
    if (await deleteObject(client, nsRef(name))) {
      deleted.push(name);
      io?.write('system', `deleted expired test environment ${name} (expired ${at})\n`);
    }
  }
  return deleted;
}
