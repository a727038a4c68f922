import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { deleteObject, getObject, type KubeClient } from '../../src/kube/index.js';
import { ReleaseStore } from '../../src/release/index.js';
import type { EnvStep, JobStep } from '../../src/pipeline/model.js';
import {
  EXPIRES_AT_ANNOTATION,
  TestEnvError,
  createTestEnv,
  sweepExpiredTestEnvs,
  teardownTestEnv,
  type TestEnv,
} from '../../src/pipeline/steps/env.js';
import { kubeClient, tempTree } from './helpers.js';
import { recorder } from '../support/step-io.js';

// Ephemeral test environments on the real apiserver; kwok runs the Pods (a Deployment
// becomes ready, Job Pods complete with exit 0). Namespace deletion is done by the real
// namespace controller of kube-controller-manager.

const CHART = {
  'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 0.1.0\n',
  'chart/values.yaml': 'replicas: 1\nmessage: default\n',
  'chart/templates/configmap.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-config
data:
  message: {{ .Values.message | quote }}
`,
  'chart/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: { app: {{ .Release.Name }}-web }
  template:
    metadata:
      labels: { app: {{ .Release.Name }}-web }
    spec:
      containers:
        - name: web
          image: nginx
`,
  'chart/values-test.yaml': 'message: from-values-file\n',
  'broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
  'broken/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  v: {{ required "dbHost is required" .Values.dbHost }}\n',
  'testdata/seed.sql': 'insert into t values (1);\n',
};

let client: KubeClient;
let ws: string;
const made: string[] = [];

beforeAll(async () => {
  client = await kubeClient();
  ws = tempTree(CHART);
});
afterAll(async () => {
  for (const ns of made) await deleteObject(client, nsRef(ns)).catch(() => undefined);
  client.close();
  rmSync(ws, { recursive: true, force: true });
});

const nsRef = (name: string) => ({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name });


const at = { file: 'slipway.yaml', line: 10, column: 9 };

function envStep(over: Partial<EnvStep> = {}): EnvStep {
  return { type: 'env', name: 'test-env', env: {}, retries: 0, at, ttlMs: 3_600_000, keep: 'never', labels: {}, initJobs: [], ...over };
}

function initJob(over: Partial<JobStep> = {}): JobStep {
  return { type: 'job', name: 'load-data', env: {}, retries: 0, at, image: 'busybox', command: ['sh', '-c', 'cat /data/seed.sql'], files: { 'seed.sql': 'testdata/seed.sql' }, ...over };
}

let seq = 0;
function run() {
  const number = 1000 + Math.floor(Math.random() * 8000) + seq++;
  return { pipeline: 'envtest', number, runId: number * 10, workspace: ws };
}

/** Records every Job of a namespace the way the server sent it (a watch from before it exists). */
function watchJobs(ns: string): { jobs: Map<string, KubeObject>; stop: () => void } {
  const jobs = new Map<string, KubeObject>();
  const ctl = new AbortController();
  void client
    .watch(`/apis/batch/v1/namespaces/${ns}/jobs`, {}, (e) => {
      if (e.type === 'ADDED' || e.type === 'MODIFIED') jobs.set(e.object.metadata.name!, e.object);
    }, ctl.signal)
    .catch(() => undefined);
  return { jobs, stop: () => ctl.abort() };
}

describe('createTestEnv and teardownTestEnv', () => {
  test('namespace with labels and expires-at, release deployed and ready, init Job completed; teardown deletes it', async () => {
    const r = run();
    const ns = `test-envtest-${r.number}`;
    made.push(ns);
    const watcher = watchJobs(ns);
    const { io, text } = recorder();
    const before = Date.now();
    let env: TestEnv;
    try {
      env = await createTestEnv(
        client,
        envStep({
          labels: { team: 'payments' },
          release: { name: 'shop', chart: 'chart', valuesFiles: ['chart/values-test.yaml'], set: { replicas: '2' }, wait: true },
          initJobs: [initJob()],
        }),
        r,
        io,
        { node: 'it/0' },
      );
    } finally {
      watcher.stop();
    }
    expect(env.namespace).toBe(ns);
    const live = (await getObject(client, nsRef(ns)))!;
    expect(live.metadata.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'slipway',
      'slipway.dev/pipeline': 'envtest',
      'slipway.dev/run': String(r.runId),
      team: 'payments',
    });
    const expires = Date.parse(live.metadata.annotations![EXPIRES_AT_ANNOTATION]!);
    expect(live.metadata.annotations![EXPIRES_AT_ANNOTATION]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(expires).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 3_600_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 3_600_000);

    const rel = await new ReleaseStore(client, ns).deployed('shop');
    expect(rel?.version).toBe(1);
    expect(env.release).toEqual({ name: 'shop', revision: 1 });
    const deploy = (await getObject(client, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'shop-web' }))!;
    expect((deploy.spec as { replicas: number }).replicas).toBe(2);
    expect((deploy.status as { readyReplicas?: number }).readyReplicas).toBe(2);
    const cm = (await getObject(client, { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name: 'shop-config' }))!;
    expect(cm.data).toEqual({ message: 'from-values-file' });

    // the init Job ran in the namespace with its files mounted from a ConfigMap at /data, and completed
    const jobs = [...watcher.jobs.values()];
    expect(jobs).toHaveLength(1);
    const job = jobs[0]! as KubeObject & { spec: any; status: any }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(job.metadata.name).toMatch(/^init-load-data-[0-9a-f]{6}$/);
    expect(job.status.succeeded).toBe(1);
    expect(job.spec.template.spec.containers[0].volumeMounts).toEqual([{ name: 'files', mountPath: '/data', readOnly: true }]);
    expect(job.spec.template.spec.volumes[0].configMap.name).toBe(`${job.metadata.name}-files`);
    expect(text()).toContain('init job load-data (busybox)');

    const down = recorder();
    expect(await teardownTestEnv(client, env, 'succeeded', 'on-failure', down.io)).toEqual({ kept: false, deleted: true });
    expect(await getObject(client, nsRef(ns))).toBeUndefined();
    expect(down.text()).toContain(`test environment ${ns} deleted`);
  });

  test('keep on-failure: a failed stage keeps the namespace and says where and until when; a successful one deletes it', async () => {
    const r = run();
    made.push(`test-envtest-${r.number}`);
    const env = await createTestEnv(client, envStep({ keep: 'on-failure', ttlMs: 600_000 }), r, recorder().io);
    const kept = recorder();
    expect(await teardownTestEnv(client, env, 'failed', env.keep, kept.io)).toEqual({ kept: true, deleted: false });
    const live = await getObject(client, nsRef(env.namespace));
    expect(live?.metadata.deletionTimestamp).toBeUndefined();
    expect(kept.text()).toContain(`test environment kept (keep: on-failure): namespace ${env.namespace} until ${env.expiresAt}`);
    expect(await teardownTestEnv(client, env, 'succeeded', env.keep, recorder().io)).toEqual({ kept: false, deleted: true });
  });

  test('keep always keeps it even after success', async () => {
    const r = run();
    made.push(`test-envtest-${r.number}`);
    const env = await createTestEnv(client, envStep({ keep: 'always', namespace: `kept-envtest-${r.number}` }), r, recorder().io);
    made.push(env.namespace);
    expect(env.namespace).toBe(`kept-envtest-${r.number}`);
    expect((await teardownTestEnv(client, env, 'succeeded', 'always', recorder().io)).kept).toBe(true);
    expect(await getObject(client, nsRef(env.namespace))).toBeDefined();
  });

  test('a failing release: the namespace is torn down and the error names the step and the release', async () => {
    const r = run();
    const ns = `test-envtest-${r.number}`;
    made.push(ns);
    const { io, text } = recorder();
    const err = await createTestEnv(client, envStep({ release: { name: 'db', chart: 'broken', valuesFiles: [], set: {}, wait: false } }), r, io).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TestEnvError);
    expect((err as Error).message).toMatch(/^env step "test-env": release "db" \(chart broken\) failed: .*dbHost is required/);
    expect((err as TestEnvError).at).toEqual(at);
    expect(await getObject(client, nsRef(ns))).toBeUndefined();
    expect(text()).toContain(`test environment ${ns} deleted`);
  });

  test('a failing release with keep on-failure keeps the namespace for inspection', async () => {
    const r = run();
    const ns = `test-envtest-${r.number}`;
    made.push(ns);
    const { io, text } = recorder();
    await expect(createTestEnv(client, envStep({ keep: 'on-failure', release: { name: 'db', chart: 'broken', valuesFiles: [], set: {}, wait: false } }), r, io)).rejects.toThrow(
      /env step "test-env": release "db"/,
    );
    expect(await getObject(client, nsRef(ns))).toBeDefined();
    expect(text()).toContain(`namespace ${ns} until`);
  });

  test('a failing init Job after a good release: torn down, the error names the init job and its files entry', async () => {
    const r = run();
    const ns = `test-envtest-${r.number}`;
    made.push(ns);
    const { io, text } = recorder();
    const err = await createTestEnv(
      client,
      envStep({
        release: { name: 'shop', chart: 'chart', valuesFiles: [], set: {}, wait: false },
        initJobs: [initJob({ name: 'load', files: { 'seed.sql': 'testdata/missing.sql' } })],
      }),
      r,
      io,
    ).catch((e: unknown) => e);
    expect((err as Error).message).toBe('env step "test-env": init job "load" failed: slipway.yaml:10:9: load: files.seed.sql: cannot read "testdata/missing.sql": ENOENT');
    expect(text()).toContain('release shop revision 1 deployed');
    expect(await getObject(client, nsRef(ns))).toBeUndefined();
  });

  test('a missing values file fails the release part and names the file', async () => {
    const r = run();
    made.push(`test-envtest-${r.number}`);
    await expect(
      createTestEnv(client, envStep({ release: { name: 'shop', chart: 'chart', valuesFiles: ['chart/nope.yaml'], set: {}, wait: false } }), r, recorder().io),
    ).rejects.toThrow(/release "shop" \(chart chart\) failed: chart\/nope\.yaml: values file "chart\/nope\.yaml" not found/);
  });

  test('a namespace that Slipway did not make is refused', async () => {
    const r = run();
    const name = `foreign-envtest-${r.number}`;
    made.push(name);
    await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
    await expect(createTestEnv(client, envStep({ namespace: name }), r, recorder().io)).rejects.toThrow(
      `env step "test-env": namespace ${name} failed: namespace ${name} exists and is not a Slipway test environment`,
    );
    // and it is left alone
    expect((await getObject(client, nsRef(name)))?.metadata.deletionTimestamp).toBeUndefined();
  });

  test('an invalid env.namespace is an error naming the step and field', async () => {
    await expect(createTestEnv(client, envStep({ namespace: 'Not_Valid' }), run(), recorder().io)).rejects.toThrow(
      'env step "test-env": env.namespace "Not_Valid" is not a valid namespace name',
    );
  });
});

describe('sweepExpiredTestEnvs', () => {
  test('deletes an expired test environment and leaves an unexpired one', async () => {
    const old = run();
    const fresh = run();
    made.push(`test-envtest-${old.number}`, `test-envtest-${fresh.number}`);
    const twoHoursAgo = new Date(Date.now() - 7_200_000);
    const expired = await createTestEnv(client, envStep({ ttlMs: 3_600_000 }), old, recorder().io, { now: () => twoHoursAgo });
    const live = await createTestEnv(client, envStep({ ttlMs: 3_600_000 }), fresh, recorder().io);
    expect(Date.parse(expired.expiresAt)).toBeLessThan(Date.now());

    const deleted = await sweepExpiredTestEnvs(client, new Date());
    expect(deleted).toContain(expired.namespace);
    expect(deleted).not.toContain(live.namespace);
    const gone = await getObject(client, nsRef(expired.namespace));
    expect(gone === undefined || gone.metadata.deletionTimestamp !== undefined).toBe(true);
    expect((await getObject(client, nsRef(live.namespace)))?.metadata.deletionTimestamp).toBeUndefined();
    // a sweep at a time before the expiry deletes nothing of ours
    expect(await sweepExpiredTestEnvs(client, twoHoursAgo)).not.toContain(live.namespace);
  });
});
