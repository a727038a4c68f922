// `slipway run --executor kubernetes` end to end on the local control plane: every step a Job
// in the run's namespace. kwok plays the kubelet, so containers do not really run: a Pod
// ends Succeeded, or with the exit code of its slipway.dev/kwok-exit-code annotation, after
// slipway.dev/kwok-duration (scripts/kwok/). What is tested is the executor's side: Jobs,
// exit codes, retries, timeouts, cancel, the namespace's life.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeClient } from '../../src/kube/index.js';
import { eventually, kubeClient, kubeconfig, slipway } from './helpers.js';

let client: KubeClient;
let ws: string;

beforeAll(async () => {
  client = await kubeClient();
  ws = mkdtempSync(join(tmpdir(), 'slipway-kube-run-'));
});

afterAll(() => {
  client.close();
  rmSync(ws, { recursive: true, force: true });
});

const suffix = () => Math.random().toString(36).slice(2, 7);

function pipelineFile(name: string, stages: string): string {
  const file = join(ws, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: ${name}}\nspec:\n  executor: kubernetes\n  kubernetes: {image: busybox:1.36}\n  stages:\n${stages}`,
  );
  return file;
}

interface Show {
  run: { status: string; number: number };
  nodes: { path: string; status: string; exitCode?: number; attempts: number; error?: string }[];
}

async function show(name: string): Promise<Show> {
  const r = await slipway(['runs', 'show', `${name}#1`, '--store', join(ws, '.slipway'), '-o', 'json']);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Show;
}

async function namespaceGone(name: string): Promise<boolean> {
  try {
    await client.request('GET', `/api/v1/namespaces/${name}`);
    return false;
  } catch {
    return true;
  }
}

describe('slipway run --executor kubernetes', () => {
  test('steps run as Jobs in the run namespace, which is removed afterwards; exit 0', async () => {
    const name = `kube-ok-${suffix()}`;
    const file = pipelineFile(
      name,
      `    - name: build
      steps: [{run: make build}, {run: make test}]
    - name: package
      kubernetes: {annotations: {sidecar.istio.io/inject: "false"}}
      steps: [{run: echo packaged}]
`,
    );
    const r = await slipway(['run', file, '--store', join(ws, '.slipway')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`run ${name} #1 (${file}, executor kubernetes)`);
    const s = await show(name);
    expect(s.run.status).toBe('succeeded');
    expect(s.nodes.filter((n) => n.path.includes('/')).map((n) => [n.path, n.status, n.exitCode])).toEqual([
      ['build/0', 'succeeded', 0],
      ['build/1', 'succeeded', 0],
      ['package/0', 'succeeded', 0],
    ]);
    await eventually(() => namespaceGone(`slipway-run-${name}-1`), 60_000, 'the run namespace to go');
  });

  test('a step whose container exits 3 fails the run with that exit code after its retries; post failure runs', async () => {
    const name = `kube-fail-${suffix()}`;
    const file = pipelineFile(
      name,
      `    - name: test
      kubernetes: {annotations: {slipway.dev/kwok-exit-code: "3"}}
      steps:
        - run: make test
          retries: 1
      post:
        failure: [{echo: "tests failed in \${BUILD_NUMBER}"}]
    - name: deploy
      steps: [{run: make deploy}]
`,
    );
    const r = await slipway(['run', file, '--store', join(ws, '.slipway')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('[test/post.failure/0] tests failed in 1');
    const s = await show(name);
    expect(s.run.status).toBe('failed');
    const step = s.nodes.find((n) => n.path === 'test/0')!;
    expect([step.status, step.exitCode, step.attempts]).toEqual(['failed', 3, 2]);
    expect(step.error).toContain('exit code 3');
    expect(s.nodes.find((n) => n.path === 'deploy')!.status).toBe('skipped');
  });

  test('a step timeout deletes its Job and fails the step naming the timeout', async () => {
    const name = `kube-slow-${suffix()}`;
    const file = pipelineFile(
      name,
      `    - name: slow
      kubernetes: {annotations: {slipway.dev/kwok-duration: "120s"}}
      steps:
        - run: sleep 120
          timeout: 3s
`,
    );
    const t = Date.now();
    const r = await slipway(['run', file, '--store', join(ws, '.slipway')]);
    expect(r.code).toBe(1);
    expect(Date.now() - t).toBeLessThan(60_000);
    const step = (await show(name)).nodes.find((n) => n.path === 'slow/0')!;
    expect(step.error).toContain('timed out after 3s');
  });

  test('Ctrl-C deletes the running Job and the run namespace; exit 130, run cancelled', async () => {
    const name = `kube-cancel-${suffix()}`;
    const file = pipelineFile(
      name,
      `    - name: long
      kubernetes: {annotations: {slipway.dev/kwok-duration: "300s"}}
      steps: [{run: sleep 300}]
`,
    );
    const child = spawn(process.execPath, [resolve('bin/slipway.js'), 'run', file, '--store', join(ws, '.slipway')], {
      env: { ...process.env, KUBECONFIG: kubeconfig() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    const ns = `slipway-run-${name}-1`;
    const pods = async () =>
      (await client.request<{ items: unknown[] }>('GET', `/api/v1/namespaces/${ns}/pods`).catch(() => ({ items: [] }))).items.length;
    await eventually(async () => (await pods()) > 0, 60_000, 'the step Pod');
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(out).toContain(`run ${name} #1 cancelled`);
    expect((await show(name)).run.status).toBe('cancelled');
    await eventually(() => namespaceGone(ns), 60_000, 'the run namespace to go');
  });
});
