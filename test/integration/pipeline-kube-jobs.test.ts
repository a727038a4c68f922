import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { LogStream, StepIO } from '../../src/pipeline/executor.js';
import { runJob } from '../../src/pipeline/kube/jobs.js';
import { eventually, useNamespace } from './helpers.js';

// runJob against the local control plane, where kwok plays the kubelet: Job Pods become
// Running, then Succeeded with exit code 0 — or, through Slipway's own kwok stages
// (scripts/kwok/), Failed with the exit code of the slipway.dev/kwok-exit-code annotation,
// after the delay of slipway.dev/kwok-duration, or stuck Pending with the waiting reason of
// slipway.dev/kwok-waiting-reason.

const { client, ns } = useNamespace();

type Recorder = StepIO & { lines: { stream: LogStream; text: string }[] };

function recorder(signal = new AbortController().signal): Recorder {
  const lines: { stream: LogStream; text: string }[] = [];
  return { lines, signal, write: (stream, text) => lines.push({ stream, text }) };
}

function job(name: string, annotations: Record<string, string> = {}, spec: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns() },
    spec: {
      ...spec,
      template: {
        metadata: { annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'alpine:3.20', command: ['true'] }] },
      },
    },
  };
}

const jobPath = (name: string) => `/apis/batch/v1/namespaces/${ns()}/jobs/${name}`;

async function exists(path: string): Promise<boolean> {
  try {
    await client().request('GET', path);
    return true;
  } catch {
    return false;
  }
}

async function podsOf(name: string): Promise<KubeObject[]> {
  const list = await client().request<{ items: KubeObject[] }>('GET', `/api/v1/namespaces/${ns()}/pods`, {
    query: { labelSelector: `batch.kubernetes.io/job-name=${name}` },
  });
  return list.items;
}

const phase = (p: KubeObject) => (p.status as { phase?: string }).phase;

async function gone(name: string): Promise<void> {
  await eventually(async () => !(await exists(jobPath(name))) && (await podsOf(name)).length === 0, 30_000, `Job ${name} and its Pods gone`);
}

describe('runJob', () => {
  test('a Pod that succeeds gives exit code 0; Job and Pod carry the run/step labels; the Job is deleted after', async () => {
    const io = recorder();
    let pod: KubeObject | undefined;
    const watcher = eventually(async () => (pod = (await podsOf('ok'))[0]), 30_000, 'the Pod of Job ok');
    const t0 = Date.now();
    const r = await runJob(client(), job('ok'), io, { run: 7, step: 'build/run: make build' });
    const ms = Date.now() - t0;
    await watcher;
    console.log(`runJob: Job create -> result (Complete) in ${ms} ms on kwok`);
    expect(r).toEqual({ exitCode: 0 });
    expect(pod!.metadata.labels).toMatchObject({ 'slipway.dev/run': '7', 'slipway.dev/step': 'build-run-make-build' });
    expect(pod!.metadata.annotations).toMatchObject({ 'slipway.dev/step': 'build/run: make build' });
    // kwok's nodes serve no kubelet API: one system line says so, nothing else is written.
    expect(io.lines).toHaveLength(1);
    expect(io.lines[0]!.stream).toBe('system');
    expect(io.lines[0]!.text).toMatch(/^logs of Pod ok-\w+ are unavailable from node kwok-node-\d/);
    await gone('ok');
  });

  test('keep leaves the finished Job in place, with backoffLimit 0 and a TTL', async () => {
    const r = await runJob(client(), job('kept'), recorder(), { keep: true });
    expect(r.exitCode).toBe(0);
    const live = await client().request<KubeObject>('GET', jobPath('kept'));
    expect(live.spec).toMatchObject({ backoffLimit: 0, ttlSecondsAfterFinished: 3600 });
  });

  test('a Pod that exits 3 gives exit code 3', async () => {
    const r = await runJob(client(), job('fail', { 'slipway.dev/kwok-exit-code': '3' }), recorder());
    expect(r).toEqual({ exitCode: 3 });
    await gone('fail');
  });

  test('the timeout deletes the Job and its Pods and names the time', async () => {
    const t0 = Date.now();
    const r = await runJob(client(), job('slow', { 'slipway.dev/kwok-duration': '60s' }), recorder(), { timeoutMs: 1500 });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(r.exitCode).toBe(124);
    expect(r.error).toMatch(/^timed out after 1\.5s; Job t-\w+\/slow deleted$/);
    await gone('slow');
  });

  test('an abort of io.signal while the Pod runs deletes the Job and its Pods and gives 130 cancelled', async () => {
    const ac = new AbortController();
    const result = runJob(client(), job('cancel', { 'slipway.dev/kwok-duration': '60s' }), recorder(ac.signal));
    await eventually(async () => (await podsOf('cancel')).find((p) => phase(p) === 'Running'), 30_000, 'Running Pod');
    const t0 = Date.now();
    ac.abort();
    const r = await result;
    expect(r).toEqual({ exitCode: 130, error: 'cancelled' });
    await gone('cancel');
    console.log(`runJob: abort -> Job and Pods gone in ${Date.now() - t0} ms`);
  });

  test('a Pod stuck on ImagePullBackOff ends the step at once with the reason and the Job is deleted', async () => {
    const r = await runJob(client(), job('pull', { 'slipway.dev/kwok-waiting-reason': 'ImagePullBackOff' }), recorder(), { timeoutMs: 30_000 });
    expect(r.exitCode).toBe(1);
    expect(r.error).toMatch(/^container main of Pod pull-\w+ cannot start: ImagePullBackOff: Back-off pulling image "alpine:3\.20"/);
    await gone('pull');
  });

  test('a Pod deleted by someone else fails the step and says so', async () => {
    const result = runJob(client(), job('victim', { 'slipway.dev/kwok-duration': '60s' }), recorder(), { timeoutMs: 60_000 });
    const pod = await eventually(async () => (await podsOf('victim')).find((p) => phase(p) === 'Running'), 30_000, 'Running Pod');
    await client().request('DELETE', `/api/v1/namespaces/${ns()}/pods/${pod.metadata.name}`);
    const r = await result;
    expect(r.exitCode).toBe(1);
    expect(r.error).toBe(`Pod ${pod.metadata.name} of Job ${ns()}/victim was deleted before it finished`);
  });

  test("the Job's own activeDeadlineSeconds is reported as a deadline", async () => {
    const r = await runJob(client(), job('deadline', { 'slipway.dev/kwok-duration': '60s' }, { activeDeadlineSeconds: 1 }), recorder(), {
      timeoutMs: 60_000,
    });
    expect(r.exitCode).toBe(1);
    expect(r.error).toMatch(/^Job t-\w+\/deadline exceeded its deadline of 1s \(DeadlineExceeded: /);
  });

  test('a Job the server refuses gives the reason, not an exception', async () => {
    const bad = job('Bad_Name');
    const r = await runJob(client(), bad, recorder());
    expect(r.exitCode).toBe(1);
    expect(r.error).toMatch(/^cannot create Job: .*Bad_Name.*\(Invalid\)$/);
  });
});
