/**
 * The `job` step: a container test Job in the cluster. Its log is the step's log and its
 * exit code the step's result (through runJob); `files` are put in a ConfigMap mounted at
 * /data; a JUnit report comes back through the log.
 *
 * JUnit without `kubectl cp`: the container prints its report to standard output between
 * two marker lines, and the step writes what is between them to the `junit` path in the
 * workspace:
 *
 *     --- slipway:junit begin ---
 *     <?xml version="1.0"?><testsuites>…</testsuites>
 *     --- slipway:junit end ---
 *
 * e.g. `sh -c 'run-tests --junit /tmp/r.xml; rc=$?; echo "--- slipway:junit begin ---";
 * cat /tmp/r.xml; echo "--- slipway:junit end ---"; exit $rc'`. When the markers occur more
 * than once (a retried Pod), the last complete block wins.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { InputError, isNotFound, type KubeObject } from '../../core/index.js';
import { deleteObject, type KubeClient } from '../../kube/index.js';
import type { RunInfo, StepIO, StepResult } from '../executor.js';
import type { JobStep } from '../model.js';
import { runJob, type RunJobOptions } from '../kube/jobs.js';

/** The line a container prints before its JUnit XML. */
export const JUNIT_BEGIN = '--- slipway:junit begin ---';
/** The line a container prints after its JUnit XML. */
export const JUNIT_END = '--- slipway:junit end ---';
/** Where `files` are mounted in the container. */
export const FILES_MOUNT = '/data';
/** A ConfigMap holds at most 1 MiB. */
const CONFIGMAP_LIMIT = 1024 * 1024;

/** The run a job step belongs to. */
export type JobRun = Pick<RunInfo, 'runId' | 'pipeline' | 'number' | 'workspace'>;

/** Options of {@link runJobStep}. */
export interface JobStepOptions {
  /** Fail the step and delete the Job after this long (the step's timeout). */
  timeoutMs?: number;
  /** Leave the Job, its Pods and its files ConfigMap in place. @default false */
  keep?: boolean;
  /** The step's path (`stage/step`), for the Job's labels. */
  node?: string;
  /** Job name. @default `<step name>-<run number>-<random>` */
  name?: string;
  /** Annotations on the Job's Pod, e.g. `sidecar.istio.io/inject: "false"` (a sidecar would keep the Job from completing). */
  podAnnotations?: Record<string, string>;
}

/**
 * The JUnit XML between the last complete pair of marker lines in `log`, or undefined.
 * Marker lines are matched whole (surrounding blanks and a `\r` ignored).
 */
export function extractJunit(log: string): string | undefined {
  const lines = log.split('\n');
  let found: string | undefined;
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === JUNIT_BEGIN) start = i;
    else if (line === JUNIT_END && start >= 0) {
      found = lines.slice(start + 1, i).join('\n').replace(/\r$/gm, '') + '\n';
      start = -1;
    }
  }
  return found;
}

/** A DNS-label Job name: `<base>-<suffix>`, at most 63 characters. */
export function jobName(base: string, suffix: string): string {
  const room = 63 - suffix.length - 1;
  const b =
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, room)
      .replace(/-+$/, '') || 'job';
  return `${b}-${suffix}`;
}

/**
 * A ConfigMap of workspace files, one key per entry of `files` (the key is the file name
 * under /data). Text goes in `data`, anything that is not UTF-8 in `binaryData`. A missing
 * file, one outside the workspace, a bad key or more than 1 MiB in all are InputErrors
 * naming the step's `files` entry.
 */
export function filesConfigMap(step: Pick<JobStep, 'name' | 'files' | 'at'>, workspace: string, name: string, namespace: string): KubeObject {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  let size = 0;
  for (const [key, rel] of Object.entries(step.files ?? {})) {
    const where = `${step.name}: files.${key}`;
    if (!/^[-._a-zA-Z0-9]+$/.test(key) || key === '.' || key === '..') {
      throw new InputError(`${where}: "${key}" is not a valid file name under ${FILES_MOUNT} (letters, digits, '-', '_', '.')`, step.at);
    }
    const path = resolve(workspace, rel);
    const back = relative(workspace, path);
    if (back.startsWith('..') || isAbsolute(back)) throw new InputError(`${where}: "${rel}" is outside the workspace`, step.at);
    let bytes: Buffer;
    try {
      if (!statSync(path).isFile()) throw new InputError(`${where}: "${rel}" is not a file`, step.at);
      bytes = readFileSync(path);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${where}: cannot read "${rel}": ${(e as NodeJS.ErrnoException).code ?? String(e)}`, step.at);
    }
    size += bytes.length;
    const text = bytes.toString('utf8');
    if (Buffer.from(text, 'utf8').equals(bytes)) data[key] = text;
    else binaryData[key] = bytes.toString('base64');
  }
  if (size > CONFIGMAP_LIMIT) {
    throw new InputError(`${step.name}: files: ${size} bytes in all, more than a ConfigMap holds (1 MiB); put test data in the image or fetch it in the Job`, step.at);
  }
  const cm: KubeObject = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace, labels: { 'app.kubernetes.io/managed-by': 'slipway' } },
  };
  if (Object.keys(data).length > 0) cm.data = data;
  if (Object.keys(binaryData).length > 0) cm.binaryData = binaryData;
  return cm;
}

/**
 * The Job of a job step: one container `test` with the step's image, command, args, env
 * (the step's own `env`, sorted by name; the caller merges in what else the container should
 * see) and resources; backoffLimit from the step (default 0), restartPolicy
 * Never; the files ConfigMap (when `filesConfigMap` is given) mounted read-only at /data.
 */
export function testJob(step: JobStep, namespace: string, name: string, filesConfigMapName?: string, podAnnotations?: Record<string, string>): KubeObject {
  const container: Record<string, unknown> = { name: 'test', image: step.image };
  if (step.command && step.command.length > 0) container.command = step.command;
  if (step.args && step.args.length > 0) container.args = step.args;
  const env = Object.entries(step.env)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([n, value]) => ({ name: n, value }));
  if (env.length > 0) container.env = env;
  if (step.resources) container.resources = step.resources;
  const podSpec: Record<string, unknown> = { restartPolicy: 'Never', containers: [container] };
  if (filesConfigMapName) {
    container.volumeMounts = [{ name: 'files', mountPath: FILES_MOUNT, readOnly: true }];
    podSpec.volumes = [{ name: 'files', configMap: { name: filesConfigMapName } }];
  }
  const labels = { 'app.kubernetes.io/managed-by': 'slipway', 'app.kubernetes.io/component': 'test-job' };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace, labels },
    spec: {
      backoffLimit: step.backoffLimit ?? 0,
      template: { metadata: podAnnotations && Object.keys(podAnnotations).length > 0 ? { labels, annotations: podAnnotations } : { labels }, spec: podSpec },
    },
  };
}

/**
 * Runs a job step (already interpolated) in `namespace`: creates the files ConfigMap, runs
 * the Job with runJob (log streamed to `io`, cancel on io.signal), writes the JUnit report
 * when the step asks for one, and removes the ConfigMap unless `keep`. A report that was
 * asked for but not printed fails a Job that otherwise succeeded.
 */
export async function runJobStep(client: KubeClient, step: JobStep, namespace: string, run: JobRun, io: StepIO, opts: JobStepOptions = {}): Promise<StepResult> {
  const name = opts.name ?? jobName(`${step.name}-${run.number}`, randomBytes(3).toString('hex'));
  let cm: KubeObject | undefined;
  try {
    if (step.files && Object.keys(step.files).length > 0) cm = filesConfigMap(step, run.workspace, `${name}-files`, namespace);
  } catch (e) {
    if (e instanceof InputError) return { exitCode: 1, error: e.message };
    throw e;
  }
  if (cm) {
    try {
      await client.request('POST', `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`, { body: cm, signal: io.signal });
    } catch (e) {
      return { exitCode: 1, error: `${step.name}: cannot create ConfigMap ${namespace}/${cm.metadata.name}: ${(e as Error).message}` };
    }
  }
  let log = '';
  const tee: StepIO = {
    signal: io.signal,
    write(stream, text) {
      if (stream === 'stdout' && step.junit) log += text;
      io.write(stream, text);
    },
  };
  const jobOpts: RunJobOptions = { run: run.runId };
  if (opts.timeoutMs !== undefined) jobOpts.timeoutMs = opts.timeoutMs;
  if (opts.keep !== undefined) jobOpts.keep = opts.keep;
  if (opts.node !== undefined) jobOpts.step = opts.node;
  let result: StepResult;
  try {
    result = await runJob(client, testJob(step, namespace, name, cm?.metadata.name, opts.podAnnotations), tee, jobOpts);
  } finally {
    if (cm && !opts.keep) await removeConfigMap(client, namespace, cm.metadata.name!, io);
  }
  if (!step.junit) return result;
  const report = extractJunit(log);
  if (report === undefined) {
    const message = `${step.name}: no JUnit report in the log of Job ${namespace}/${name}: the container must print it between the lines "${JUNIT_BEGIN}" and "${JUNIT_END}"`;
    io.write('system', message + '\n');
    return result.exitCode === 0 ? { exitCode: 1, error: message } : result;
  }
  const target = resolve(run.workspace, step.junit);
  const back = relative(run.workspace, target);
  if (back.startsWith('..') || isAbsolute(back)) return { exitCode: 1, error: `${step.name}: junit "${step.junit}" is outside the workspace` };
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, report);
  io.write('system', `JUnit report written to ${step.junit} (${Buffer.byteLength(report)} bytes)\n`);
  return result;
}

async function removeConfigMap(client: KubeClient, namespace: string, name: string, io: StepIO): Promise<void> {
  try {
    await deleteObject(client, { group: '', version: 'v1', kind: 'ConfigMap', namespace, name });
  } catch (e) {
    if (!isNotFound(e)) io.write('system', `could not delete ConfigMap ${namespace}/${name}: ${(e as Error).message}\n`);
  }
}
