// Ephemeral test environments end to end: `slipway run` with an env step (namespace, the
// example chart with its test values, an init Job loading test data from a ConfigMap), a
// test Job against it, teardown on success, keep-on-failure until the TTL, `slipway env gc`.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeClient } from '../../src/kube/index.js';
import { eventually, kubeClient, slipway } from './helpers.js';

let client: KubeClient;
let ws: string;

beforeAll(async () => {
  client = await kubeClient();
  ws = mkdtempSync(join(tmpdir(), 'slipway-env-run-'));
  cpSync(resolve('examples/myapp/chart'), join(ws, 'chart'), { recursive: true });
  mkdirSync(join(ws, 'testdata'));
  writeFileSync(join(ws, 'testdata/seed.sql'), "insert into greetings values ('hello');\n");
});

afterAll(() => {
  client.close();
  rmSync(ws, { recursive: true, force: true });
});

function pipeline(name: string, extraStep: string): string {
  const file = join(ws, `${name}.yaml`);
  writeFileSync(
    file,
    `apiVersion: slipway.dev/v1alpha1
kind: Pipeline
metadata: {name: ${name}}
spec:
  stages:
    - name: integration
      steps:
        - env:
            ttl: 3s
            keep: on-failure
            labels: {team: qa}
            release: {name: myapp, chart: chart, values: [chart/values-test.yaml], wait: true}
            initJobs:
              - {name: load-data, image: busybox:1.36, command: [sh, -c, "cat /data/seed.sql"], files: {seed.sql: testdata/seed.sql}}
        - job:
            image: curlimages/curl:8.10.1
            command: [curl, -fsS, "http://myapp:8080/healthz"]
        - run: test "$ENV_NAMESPACE" = "test-${name}-$BUILD_NUMBER"
${extraStep}`,
  );
  return file;
}

async function namespace(name: string): Promise<{ metadata: { labels?: Record<string, string>; annotations?: Record<string, string> } } | undefined> {
  try {
    return await client.request('GET', `/api/v1/namespaces/${name}`);
  } catch {
    return undefined;
  }
}

describe('env steps through slipway run', () => {
  test('the environment gets the release and the init Job, the test Job runs in it, and it is torn down after success', async () => {
    const name = `envok-${Math.random().toString(36).slice(2, 7)}`;
    const ns = `test-${name}-1`;
    const r = await slipway(['run', pipeline(name, ''), '--store', join(ws, '.slipway')]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`[integration/0] `);
    expect(r.stdout).toMatch(/release myapp revision 1 deployed in test-envok-/);
    expect(r.stdout).toContain('[integration/1] ✓');
    expect(r.stdout).toContain('[integration/2] ✓');
    await eventually(async () => (await namespace(ns)) === undefined, 90_000, `namespace ${ns} to be deleted`);
  });

  test('a failing stage keeps the environment until its TTL; env list shows it and env gc deletes it once expired', async () => {
    const name = `envfail-${Math.random().toString(36).slice(2, 7)}`;
    const ns = `test-${name}-1`;
    const r = await slipway(['run', pipeline(name, '        - run: exit 1\n'), '--store', join(ws, '.slipway')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`test environment kept (keep: on-failure): namespace ${ns}`);
    const kept = await namespace(ns);
    expect(kept?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'slipway', team: 'qa' });
    expect(kept?.metadata.annotations?.['slipway.dev/expires-at']).toMatch(/^\d{4}-\d\d-\d\dT/);

    const list = await slipway(['env', 'list', '-o', 'json']);
    expect(list.code).toBe(0);
    const envs = JSON.parse(list.stdout) as { name: string; pipeline: string }[];
    expect(envs).toContainEqual(expect.objectContaining({ name: ns, pipeline: name }));

    await new Promise((r) => setTimeout(r, 3_500));
    const gc = await slipway(['env', 'gc']);
    expect(gc.code).toBe(0);
    expect(gc.stdout).toContain(`namespace/${ns} deleted (expired)`);
    await eventually(async () => (await namespace(ns)) === undefined, 90_000, `namespace ${ns} to be deleted`);
  });
});
