/**
 * Runs one batch/v1 Job to the end and turns it into a StepResult: the kubernetes executor's
 * `run` steps, and the job, env-init and image-build steps, all go through {@link runJob}.
 *
 * The Job and its Pods are followed with watches (re-opened from the last resourceVersion when
 * the server ends one, re-listed on 410 Gone). The exit code is the first non-zero
 * `state.terminated.exitCode` of the Pods' init and main containers, else 0. A Pod stuck on its
 * image (ImagePullBackOff, InvalidImageName...) or on its configuration
 * (CreateContainerConfigError: a missing Secret or ConfigMap) ends the Job at once, since with
 * `backoffLimit: 0` the Job controller would wait for ever. Cancel (io.signal) and the timeout
 * delete the Job with propagationPolicy Foreground, so that the Job is gone only once its Pods
 * are.
 *
 * Logs: the apiserver proxies `pods/log` to the node's kubelet. They are read while a container
 * runs (every {@link LOG_POLL_MS}, from the last timestamp seen) and once more when it ends. A node
 * that serves no logs (kwok's simulated nodes without `--server-address`) gets one `system` line
 * saying so, and the step goes on.
 */
import { ApiError, isNotFound, type KubeObject } from '../../core/index.js';
import { formatDuration, type KubeClient } from '../../kube/index.js';
import type { StepIO, StepResult } from '../executor.js';

export const RUN_LABEL = 'slipway.dev/run';
export const STEP_LABEL = 'slipway.dev/step';
export const PIPELINE_LABEL = 'slipway.dev/pipeline';
/** The full step path (`stage/step`), which a label value cannot always hold. */
export const STEP_ANNOTATION = 'slipway.dev/step';

/** How long a finished Job stays when nobody deletes it (a crash of the runner, `keep`). */
export const DEFAULT_TTL_SECONDS = 3600;
/** How often a running container's log is read again. */
export const LOG_POLL_MS = 1000;

export interface RunJobOptions {
  /** Delete the Job and fail the step after this long (exit code 124, as timeout(1) gives). Cancel is 130. */
  timeoutMs?: number;
  /** Leave the finished Job (and its Pods) in place; ttlSecondsAfterFinished still removes it. */
  keep?: boolean;
  /** Value of the slipway.dev/run label (the run's id or number). */
  run?: string | number;
  /** The step's path (`stage/step`): slipway.dev/step label (sanitised) and annotation (as is). */
  step?: string;
}

/** Container waiting reasons after which the Pod will not start by itself. */
const STUCK_REASONS = new Set([
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
]);

/** A label value: at most 63 characters of [A-Za-z0-9-_.], starting and ending alphanumeric. */
export function labelValue(text: string): string {
  const v = text
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[^A-Za-z0-9]+$/, '');
  return v;
}

/**
 * The Job as it is sent: namespace defaulted, backoffLimit 0 unless given, a TTL, and the
 * slipway.dev labels on the Job and on its Pod template. Does not change `job`.
 */
export function prepareJob(job: KubeObject, defaultNamespace: string, opts: RunJobOptions = {}): KubeObject {
  const copy = structuredClone(job);
  const labels: Record<string, string> = {};
  if (opts.run !== undefined) labels[RUN_LABEL] = labelValue(String(opts.run));
  if (opts.step !== undefined) labels[STEP_LABEL] = labelValue(opts.step);
  const meta = copy.metadata;
  meta.namespace = meta.namespace || defaultNamespace;
  if (!meta.name && !meta.generateName) meta.generateName = 'slipway-';
  meta.labels = { ...meta.labels, ...labels };
  if (opts.step !== undefined) meta.annotations = { ...meta.annotations, [STEP_ANNOTATION]: opts.step };
  const spec = (copy.spec ?? {}) as JobSpec;
  copy.spec = spec;
  spec.backoffLimit ??= 0;
  spec.ttlSecondsAfterFinished ??= DEFAULT_TTL_SECONDS;
  spec.template ??= {};
  spec.template.metadata = { ...spec.template.metadata };
  spec.template.metadata.labels = { ...spec.template.metadata.labels, ...labels };
  if (opts.step !== undefined) {
    spec.template.metadata.annotations = { ...spec.template.metadata.annotations, [STEP_ANNOTATION]: opts.step };
  }
  spec.template.spec ??= { containers: [] };
  spec.template.spec.restartPolicy ??= 'Never';
  return copy;
}

interface JobSpec {
  backoffLimit?: number;
  ttlSecondsAfterFinished?: number;
  activeDeadlineSeconds?: number;
  template?: {
    metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    spec?: { containers: unknown[]; restartPolicy?: string; [k: string]: unknown };
  };
  [k: string]: unknown;
}

interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

interface ContainerStatus {
  name: string;
  state?: {
    waiting?: { reason?: string; message?: string };
    running?: { startedAt?: string };
    terminated?: { exitCode?: number; reason?: string; message?: string };
  };
}

interface PodStatus {
  phase?: string;
  reason?: string;
  message?: string;
  initContainerStatuses?: ContainerStatus[];
  containerStatuses?: ContainerStatus[];
}

type Outcome =
  | { kind: 'complete' }
  | { kind: 'failed'; reason?: string; message?: string }
  | { kind: 'cancelled'; reason: string }
  | { kind: 'timeout' }
  | { kind: 'stuck'; pod: string; container: string; reason: string; message?: string }
  | { kind: 'job-deleted' }
  | { kind: 'error'; error: unknown };

const jobsPath = (ns: string) => `/apis/batch/v1/namespaces/${encodeURIComponent(ns)}/jobs`;
const podsPath = (ns: string) => `/api/v1/namespaces/${encodeURIComponent(ns)}/pods`;

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  if (reason instanceof Error && reason.name !== 'AbortError') return reason.message;
  return typeof reason === 'string' && reason ? reason : 'cancelled';
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The terminal condition of a Job, if it has one. */
export function jobFinished(job: KubeObject): { kind: 'complete' } | { kind: 'failed'; reason?: string; message?: string } | undefined {
  const conditions = ((job.status as { conditions?: Condition[] } | undefined)?.conditions ?? []).filter((c) => c.status === 'True');
  if (conditions.some((c) => c.type === 'Complete')) return { kind: 'complete' };
  const failed = conditions.find((c) => c.type === 'Failed');
  if (failed) return { kind: 'failed', reason: failed.reason, message: failed.message };
  return undefined;
}

/**
 * The non-zero terminated exit code of the newest Pod that has one (Pods in creation order; in
 * a Pod, init containers first), else 0: with retries, the last attempt's failure counts.
 */
export function exitCodeOf(pods: KubeObject[]): { exitCode: number; container?: string; pod?: string } {
  for (const pod of [...pods].reverse()) {
    const status = (pod.status ?? {}) as PodStatus;
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
      const code = c.state?.terminated?.exitCode;
      if (code !== undefined && code !== 0) return { exitCode: code, container: c.name, pod: pod.metadata.name };
    }
  }
  return { exitCode: 0 };
}

/** A container of the Pod that is stuck waiting (image, configuration). */
export function stuckContainer(pod: KubeObject): { container: string; reason: string; message?: string } | undefined {
  const status = (pod.status ?? {}) as PodStatus;
  for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
    const w = c.state?.waiting;
    if (w?.reason && STUCK_REASONS.has(w.reason)) return { container: c.name, reason: w.reason, message: w.message };
  }
  return undefined;
}

/**
 * Creates the Job, follows it to Complete or Failed, and returns the step's result. Never throws
 * for what happens to the Job (create refused, watch lost, Pod deleted): those come back as
 * `error` with exit code 1.
 */
export async function runJob(client: KubeClient, job: KubeObject, io: StepIO, opts: RunJobOptions = {}): Promise<StepResult> {
  if (io.signal.aborted) return { exitCode: 130, error: abortReason(io.signal) };
  const body = prepareJob(job, client.namespace, opts);
  const ns = body.metadata.namespace!;
  const key = { group: 'batch', kind: 'Job', namespace: ns, name: body.metadata.name ?? body.metadata.generateName ?? '' };
  let created: KubeObject;
  try {
    created = await client.request<KubeObject>('POST', jobsPath(ns), { body, key, signal: io.signal });
  } catch (e) {
    if (io.signal.aborted) return { exitCode: 130, error: abortReason(io.signal) };
    return { exitCode: 1, error: `cannot create Job: ${messageOf(e)}` };
  }
  const name = created.metadata.name!;
  const uid = created.metadata.uid!;
  const ref = { group: 'batch', version: 'v1', kind: 'Job', namespace: ns, name };
  const what = `Job ${ns}/${name}`;

  const stop = new AbortController();
  const pods = new Map<string, KubeObject>();
  const deletedPods: string[] = [];
  const logs = new PodLogs(client, ns, io, stop.signal);

  const outcome = await new Promise<Outcome>((resolve) => {
    let done = false;
    const finish = (o: Outcome) => {
      if (done) return;
      done = true;
      resolve(o);
    };
    const onAbort = () => finish({ kind: 'cancelled', reason: abortReason(io.signal) });
    io.signal.addEventListener('abort', onAbort, { once: true });
    stop.signal.addEventListener('abort', () => io.signal.removeEventListener('abort', onAbort), { once: true });
    let timer: NodeJS.Timeout | undefined;
    if (opts.timeoutMs !== undefined) {
      timer = setTimeout(() => finish({ kind: 'timeout' }), opts.timeoutMs);
      stop.signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }

    follow(
      client,
      jobsPath(ns),
      { fieldSelector: `metadata.name=${name}` },
      created.metadata.resourceVersion,
      (type, obj) => {
        if (obj.metadata.uid !== uid) return;
        if (type === 'DELETED') return finish({ kind: 'job-deleted' });
        const end = jobFinished(obj);
        if (end) finish(end);
      },
      stop.signal,
    ).catch((error: unknown) => finish({ kind: 'error', error }));

    follow(
      client,
      podsPath(ns),
      { labelSelector: `batch.kubernetes.io/controller-uid=${uid}` },
      created.metadata.resourceVersion,
      (type, pod) => {
        const podName = pod.metadata.name!;
        if (type === 'DELETED') {
          const phase = (pod.status as PodStatus | undefined)?.phase;
          if (phase !== 'Succeeded' && phase !== 'Failed') deletedPods.push(podName);
          pods.set(podName, pod);
          return;
        }
        pods.set(podName, pod);
        logs.update(pod);
        const stuck = stuckContainer(pod);
        if (stuck) finish({ kind: 'stuck', pod: podName, ...stuck });
      },
      stop.signal,
    ).catch((error: unknown) => finish({ kind: 'error', error }));
  });

  const deleteJob = async (): Promise<string | undefined> => {
    try {
      await client.request('DELETE', `${jobsPath(ns)}/${encodeURIComponent(name)}`, {
        key: ref,
        body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Foreground' },
      });
      return undefined;
    } catch (e) {
      return isNotFound(e) ? undefined : messageOf(e);
    }
  };

  try {
    switch (outcome.kind) {
      case 'cancelled':
      case 'timeout':
      case 'stuck':
      case 'error': {
        stop.abort(); // no more log reads of Pods that are about to go
        const leftover = await deleteJob();
        const suffix = leftover ? `; deleting ${what} failed: ${leftover}` : '';
        if (outcome.kind === 'cancelled') return { exitCode: 130, error: outcome.reason + suffix };
        if (outcome.kind === 'timeout') return { exitCode: 124, error: `timed out after ${formatDuration(opts.timeoutMs!)}; ${what} deleted${suffix}` };
        if (outcome.kind === 'stuck') {
          const detail = outcome.message ? `: ${outcome.message}` : '';
          return {
            exitCode: 1,
            error: `container ${outcome.container} of Pod ${outcome.pod} cannot start: ${outcome.reason}${detail}${suffix}`,
          };
        }
        return { exitCode: 1, error: `lost track of ${what}: ${messageOf(outcome.error)}${suffix}` };
      }
      case 'job-deleted':
        return { exitCode: 1, error: `${what} was deleted before it finished` };
      default: {
        // complete or failed
        const final = await finalPods(client, ns, uid, pods);
        await logs.flush(final);
        const code = exitCodeOf(final);
        // Complete is success even when an earlier attempt (backoffLimit > 0) failed.
        if (outcome.kind === 'complete') return { exitCode: 0 };
        if (code.exitCode !== 0) return { exitCode: code.exitCode };
        const why = [outcome.reason, outcome.message].filter(Boolean).join(': ');
        if (outcome.reason === 'DeadlineExceeded') {
          // the Job controller deletes the running Pods itself
          const secs = (body.spec as JobSpec).activeDeadlineSeconds;
          return { exitCode: 1, error: `${what} exceeded its deadline${secs !== undefined ? ` of ${secs}s` : ''} (${why})` };
        }
        if (deletedPods.length) return { exitCode: 1, error: `Pod ${deletedPods[0]} of ${what} was deleted before it finished` };
        return { exitCode: 1, error: `${what} failed${why ? `: ${why}` : ''}` };
      }
    }
  } finally {
    stop.abort();
    if (!opts.keep && (outcome.kind === 'complete' || outcome.kind === 'failed')) {
      const failed = await deleteJob();
      if (failed) io.write('system', `could not delete ${what}: ${failed}\n`);
    }
  }
}

/** The Job's Pods as the server has them now (the watch may be a moment behind); deleted ones from the watch. */
async function finalPods(client: KubeClient, ns: string, uid: string, seen: Map<string, KubeObject>): Promise<KubeObject[]> {
  const byName = new Map(seen);
  try {
    const list = await client.request<{ items?: KubeObject[] }>('GET', podsPath(ns), {
      query: { labelSelector: `batch.kubernetes.io/controller-uid=${uid}` },
    });
    for (const p of list.items ?? []) byName.set(p.metadata.name!, p);
  } catch {
    // keep what the watch saw
  }
  return [...byName.values()].sort((a, b) =>
    String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')),
  );
}

/**
 * Lists (when no resourceVersion is known) and then watches a collection, calling `onEvent` for
 * every object, until `signal` aborts. The watch is re-opened from the last resourceVersion seen
 * when the server ends it; a 410 Gone (too old) starts over with a list.
 */
export async function follow(
  client: KubeClient,
  path: string,
  query: Record<string, string>,
  resourceVersion: string | undefined,
  onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: KubeObject) => void,
  signal: AbortSignal,
): Promise<void> {
  let rv = resourceVersion;
  let failures = 0;
  while (!signal.aborted) {
    try {
      if (!rv) {
        const list = await client.request<{ items?: KubeObject[]; metadata?: { resourceVersion?: string } }>('GET', path, {
          query,
          signal,
        });
        for (const item of list.items ?? []) onEvent('ADDED', item);
        rv = list.metadata?.resourceVersion;
      }
      let gone = false;
      await client.watch(
        path,
        { ...query, resourceVersion: rv, allowWatchBookmarks: true },
        (e) => {
          if (e.type === 'ERROR') {
            const status = e.object as unknown as { code?: number; message?: string };
            if (status.code === 410) gone = true;
            else throw new ApiError(status.message ?? 'watch error', status.code ?? 500, 'WatchError');
            return;
          }
          if (e.object?.metadata?.resourceVersion) rv = e.object.metadata.resourceVersion;
          if (e.type !== 'BOOKMARK') onEvent(e.type, e.object);
        },
        signal,
      );
      if (gone) rv = undefined;
      failures = 0;
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof ApiError && e.status === 410) {
        rv = undefined;
        continue;
      }
      if (++failures > 5) throw e;
      await sleep(Math.min(200 * 2 ** failures, 5000), signal);
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/**
 * Where one container's log has been read up to: the newest timestamp written and how many
 * lines carried exactly that timestamp (the server's sinceTime has second precision, so every
 * read repeats the last second's lines).
 */
export class LogCursor {
  private last = '';
  private atLast = 0;

  /** `sinceTime` for the next read (whole seconds, RFC 3339), undefined for the first. */
  since(): string | undefined {
    return this.last ? `${this.last.slice(0, 19)}Z` : undefined;
  }

  /** Takes the text of a `timestamps=true` read and returns the lines not yet written, without timestamps. */
  take(text: string): string {
    let out = '';
    let seenAtLast = 0;
    for (const line of text.split('\n')) {
      if (!line) continue;
      const sp = line.indexOf(' ');
      const ts = sortableTime(sp > 0 ? line.slice(0, sp) : line);
      const rest = sp > 0 ? line.slice(sp + 1) : '';
      if (ts === undefined) {
        out += `${line}\n`;
        continue;
      }
      if (ts < this.last) continue;
      if (ts === this.last) {
        seenAtLast++;
        if (seenAtLast <= this.atLast) continue;
        this.atLast = seenAtLast;
      } else {
        this.last = ts;
        this.atLast = 1;
        seenAtLast = 1;
      }
      out += `${rest}\n`;
    }
    return out;
  }
}

/** An RFC 3339 time with its fraction padded to 9 digits, so that string order is time order. */
function sortableTime(ts: string): string | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(ts);
  if (!m) return undefined;
  return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
}

/** Reads the logs of a Job's Pods into the step's stdout while they run and when they end. */
class PodLogs {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly cursors = new Map<string, LogCursor>();
  private readonly ended = new Set<string>();
  private unavailable = false;

  constructor(
    private readonly client: KubeClient,
    private readonly ns: string,
    private readonly io: StepIO,
    private readonly stop: AbortSignal,
  ) {}

  /** Starts following the containers of `pod` that have started. */
  update(pod: KubeObject): void {
    const status = (pod.status ?? {}) as PodStatus;
    for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
      const id = `${pod.metadata.name}/${c.name}`;
      if (c.state?.terminated) this.ended.add(id);
      if ((c.state?.running || c.state?.terminated) && !this.tails.has(id)) {
        this.tails.set(id, this.tail(pod, c.name, id));
      }
    }
  }

  /** Waits for every tail to write what is left, after one last read. */
  async flush(pods: KubeObject[]): Promise<void> {
    for (const pod of pods) {
      const status = (pod.status ?? {}) as PodStatus;
      for (const c of [...(status.initContainerStatuses ?? []), ...(status.containerStatuses ?? [])]) {
        this.ended.add(`${pod.metadata.name}/${c.name}`);
      }
      this.update(pod);
    }
    await Promise.all(this.tails.values());
  }

  private async tail(pod: KubeObject, container: string, id: string): Promise<void> {
    const cursor = new LogCursor();
    this.cursors.set(id, cursor);
    for (;;) {
      if (this.unavailable) return;
      const last = this.ended.has(id);
      try {
        const text = await this.client.requestText(
          'GET',
          `${podsPath(this.ns)}/${encodeURIComponent(pod.metadata.name!)}/log`,
          { query: { container, timestamps: true, sinceTime: cursor.since() } },
        );
        const fresh = cursor.take(text);
        if (fresh) this.io.write('stdout', fresh);
      } catch (e) {
        if (this.stop.aborted) return;
        if (!this.unavailable) {
          this.unavailable = true;
          const node = (pod.spec as { nodeName?: string } | undefined)?.nodeName ?? 'its node';
          this.io.write('system', `logs of Pod ${pod.metadata.name} are unavailable from node ${node}: ${messageOf(e)}\n`);
        }
        return;
      }
      if (last) return;
      await sleep(LOG_POLL_MS, this.stop);
      if (this.stop.aborted && !this.ended.has(id)) return;
    }
  }
}
