import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import type { CommandSpec } from '../../src/pipeline/executor.js';
import { KubernetesExecutor } from '../../src/pipeline/kube/executor.js';
import { PipelineRunner } from '../../src/pipeline/run/runner.js';
import { parsePipelineYaml } from '../../src/pipeline/spec/index.js';
import { openRunStore, type RunStore } from '../../src/pipeline/store/index.js';
import { eventually, kubeClient } from './helpers.js';

// A whole run with the kubernetes executor, as `slipway run --executor kubernetes` makes it:
// the runner, the SQLite store and the executor on the local control plane. kwok ends the
// Pod of the step `make test` with exit code 3 (podAnnotations, scripts/kwok/).

let client: KubeClient;
let ws: string;
let store: RunStore;

beforeAll(async () => {
  client = await kubeClient();
});
afterAll(() => client.close());
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'slipway-kube-run-'));
  store = openRunStore(join(ws, '.slipway'));
});
afterEach(() => {
  store.close();
  rmSync(ws, { recursive: true, force: true });
});

describe('a run on the kubernetes executor', () => {
  test('steps run as Pods in the run namespace; a failing step fails the run with its exit code; the namespace goes', async () => {
    const name = `kr${Math.random().toString(36).slice(2, 7)}`;
    const text = `apiVersion: slipway.dev/v1alpha1
kind: Pipeline
metadata:
  name: ${name}
spec:
  executor: kubernetes
  secrets:
    - {name: TOKEN, fromEnv: KUBE_RUN_TOKEN}
  kubernetes:
    image: alpine:3.20
    nodeSelector: {kubernetes.io/os: linux}
  stages:
    - name: build
      steps:
        - run: make build
    - name: test
      steps:
        - run: make test
          name: fails
        - run: make never
`;
    writeFileSync(join(ws, 'slipway.yaml'), text);
    const pipeline = parsePipelineYaml(text, 'slipway.yaml');
    const seen: KubeObject[] = [];
    const nsName = `slipway-run-${name}-1`;
    const stopWatching = new AbortController();
    const watching = (async () => {
      while (!stopWatching.signal.aborted) {
        const pods = await client
          .request<{ items: KubeObject[] }>('GET', `/api/v1/namespaces/${nsName}/pods`)
          .then((l) => l.items)
          .catch((): KubeObject[] => []);
        for (const p of pods) if (!seen.some((s) => s.metadata.name === p.metadata.name)) seen.push(p);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const executor = new KubernetesExecutor({
      client,
      podAnnotations: (cmd: CommandSpec): Record<string, string> =>
        cmd.script === 'make test' ? { 'slipway.dev/kwok-exit-code': '3', 'slipway.dev/kwok-duration': '500ms' } : { 'slipway.dev/kwok-duration': '500ms' },
    });
    const t0 = Date.now();
    const record = await new PipelineRunner({
      pipeline,
      workspace: ws,
      store,
      cacheDir: join(ws, '.slipway', 'caches'),
      executor,
      processEnv: { KUBE_RUN_TOKEN: 'tok-9f8e7d' },
    }).execute();
    console.log(`run on kubernetes: 2 step Pods, ${Date.now() - t0} ms in all`);
    stopWatching.abort();
    await watching;

    expect(record.status).toBe('failed');
    const nodes = Object.fromEntries(store.listNodes(record.id).map((n) => [n.path, n]));
    expect(nodes['build/0']).toMatchObject({ status: 'succeeded', exitCode: 0 });
    expect(nodes['test/0']).toMatchObject({ status: 'failed', exitCode: 3 });
    expect(nodes['test/1']?.status).toBe('skipped');
    expect(seen.map((p) => p.metadata.labels?.['slipway.dev/step'])).toEqual(['build-0', 'test-0']);
    for (const p of seen) expect(JSON.stringify(p)).not.toContain('tok-9f8e7d');
    // finish() deleted the namespace (no keepOnFailure)
    await eventually(
      async () => {
        const ns = await client.request<KubeObject>('GET', `/api/v1/namespaces/${nsName}`).catch(() => undefined);
        return !ns || Boolean(ns.metadata.deletionTimestamp);
      },
      30_000,
      'the run namespace deleted',
    );
  });
});
