import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { LogStream, StepIO } from '../../src/pipeline/executor.js';
import { runJob } from '../../src/pipeline/kube/jobs.js';
import { eventually, useNamespace } from './helpers.js';

// runJob against the local control plane, where kwok plays the kubelet: Job Pods become
// Running, then Succeeded with exit code 0 — or, through Slipway's own kwok stages
// (scripts/kwok/), Failed with the exit code of the slipway.dev/kwok-exit-code annotation,
// after the slipway.dev/kwok-duration annotation's delay.

const { client, ns } = useNamespace();

function recorder(signal = new AbortController().signal): StepIO & { lines: { stream: LogStream; text: string }[] } {
  const lines: { stream: LogStream; text: string }[] = [];
  return { lines, signal, write: (stream, text) => lines.push({ stream, text }) };
}

function job(name: string, annotations: Record<string, string> = {}): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: ns() },
    spec: {
      template: {
        metadata: { annotations },
        spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'alpine:3.20', command: ['true'] }] },
      },
    },
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await client().request('GET', path);
    return true;
  } catch {
    return false;
  }
}

describe('runJob', () => {
  test('a Job whose Pod succeeds gives exit code 0, labels the Job and its Pods, and deletes the Job', async () => {
    const io = recorder();
    const t0 = Date.now();
    const r = await runJob(client(), job('ok'), io, { run: 7, step: 'build/compile' });
    const ms = Date.now() - t0;
    console.log(`runJob ok: ${ms} ms`, io.lines);
    expect(r).toEqual({ exitCode: 0 });
    await eventually(async () => !(await exists(`/apis/batch/v1/namespaces/${ns()}/jobs/ok`)), 30_000, 'Job deleted');
  });
});
