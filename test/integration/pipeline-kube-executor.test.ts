import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { KubeClient } from '../../src/kube/index.js';
import type { CommandSpec, ImageBuild, LogStream, RunInfo, StepIO } from '../../src/pipeline/executor.js';
import { KubernetesExecutor } from '../../src/pipeline/kube/executor.js';
import type { KubernetesDefaults } from '../../src/pipeline/model.js';
import { eventually, kubeClient } from './helpers.js';

// The kubernetes executor on the local control plane (kwok plays the kubelet; the scripts/kwok/
// stages end a Pod with the exit code and after the delay of its slipway.dev/kwok-* annotations,
// which the tests set through the executor's podAnnotations option).

interface Container {
  name: string;
  image: string;
  command: string[];
  workingDir?: string;
  env?: unknown[];
  resources?: unknown;
  volumeMounts?: unknown[];
}
interface PodSpec {
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  restartPolicy?: string;
  containers: Container[];
  initContainers?: Container[];
  volumes: { name: string }[];
}

let client: KubeClient;
beforeAll(async () => {
  client = await kubeClient();
});
afterAll(() => client.close());

/** finish() of every executor a test started, so that a failing test leaves no namespace (a second finish does nothing). */
const leftovers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of leftovers.splice(0)) await f().catch(() => undefined);
});

type Recorder = StepIO & { lines: { stream: LogStream; text: string }[] };
function recorder(signal = new AbortController().signal): Recorder {
  const lines: { stream: LogStream; text: string }[] = [];
  return { lines, signal, write: (stream, text) => lines.push({ stream, text }) };
}

let runs = 0;
function runInfo(kubernetes?: KubernetesDefaults): RunInfo {
  const pipeline = `kx${Math.random().toString(36).slice(2, 7)}`;
  return { runId: ++runs, pipeline, number: 4, workspace: '/nonexistent', kubernetes };
}

function command(node: string, env: Record<string, string> = {}, more: Partial<CommandSpec> = {}): CommandSpec {
  return { node, script: 'make test', env, ...more };
}

async function get(path: string): Promise<KubeObject | undefined> {
  try {
    return await client.request<KubeObject>('GET', path);
  } catch {
    return undefined;
  }
}

async function items(path: string): Promise<KubeObject[]> {
  return (await client.request<{ items: KubeObject[] }>('GET', path)).items;
}

/** Gone, or on its way (a namespace stays Terminating while its content is removed). */
async function namespaceDeleted(name: string): Promise<boolean> {
  const ns = await get(`/api/v1/namespaces/${name}`);
  return !ns || Boolean(ns.metadata.deletionTimestamp);
}

/** The first Pod seen in the namespace while a step runs (its Job, and so the Pod, is deleted after). */
function catchPod(ns: () => string): Promise<KubeObject> {
  return eventually(
    async () => (ns() ? (await items(`/api/v1/namespaces/${ns()}/pods`).catch((): KubeObject[] => []))[0] : undefined),
    30_000,
    'a step Pod',
  );
}

describe('KubernetesExecutor', () => {
  test('start makes the labelled run namespace; a step runs as a Pod with the defaults, env from a Secret; finish deletes the namespace', async () => {
    const run = runInfo({
      image: 'golang:1.23',
      serviceAccountName: 'builder',
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } },
    });
    const ex = new KubernetesExecutor({ client, podAnnotations: { 'slipway.dev/kwok-duration': '1s' } });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    const nsName = `slipway-run-${run.pipeline}-4`;
    expect(ex.namespace).toBe(nsName);
    const ns = await get(`/api/v1/namespaces/${nsName}`);
    expect(ns?.metadata.labels).toMatchObject({ 'slipway.dev/pipeline': run.pipeline, 'slipway.dev/run': '4' });
    // The service account the defaults name must exist for the Pod to be admitted.
    await client.request('POST', `/api/v1/namespaces/${nsName}/serviceaccounts`, {
      body: { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'builder' } },
    });

    const secretValue = 's3cr3t-value-0042';
    const pod = catchPod(() => nsName);
    const job = eventually(async () => (await items(`/apis/batch/v1/namespaces/${nsName}/jobs`))[0], 30_000, 'the step Job');
    const secret = eventually(async () => (await items(`/api/v1/namespaces/${nsName}/secrets`))[0], 30_000, 'the env Secret');
    const t0 = Date.now();
    const r = await ex.runCommand(
      command('build/run: make test', { TOKEN: secretValue, AUTH: `Bearer ${secretValue}`, BUILD_NUMBER: '4' }, { dir: 'src/app' }),
      recorder(),
    );
    console.log(`executor: runCommand (Secret + Job, kwok-duration 1s) -> result in ${Date.now() - t0} ms`);
    expect(r).toEqual({ exitCode: 0 });

    const p = await pod;
    const spec = p.spec as PodSpec;
    expect(spec.serviceAccountName).toBe('builder');
    expect(spec.nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(spec.restartPolicy).toBe('Never');
    const c = spec.containers[0]!;
    expect(c.image).toBe('golang:1.23');
    expect(c.command).toEqual(['sh', '-e', '-c', 'make test']);
    expect(c.workingDir).toBe('/workspace/src/app');
    expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '512Mi' } });
    const s = await secret;
    const data = s.data as Record<string, string>;
    expect(c.env).toEqual(
      ['TOKEN', 'AUTH', 'BUILD_NUMBER'].map((k) => ({ name: k, valueFrom: { secretKeyRef: { name: s.metadata.name, key: k } } })),
    );
    expect(Buffer.from(data.AUTH!, 'base64').toString()).toBe(`Bearer ${secretValue}`);
    // No value in plain text in the Job or the Pod.
    expect(JSON.stringify(p)).not.toContain('s3cr3t');
    expect(JSON.stringify(await job)).not.toContain('s3cr3t');
    expect(p.metadata.labels).toMatchObject({ 'slipway.dev/run': '4', 'slipway.dev/step': 'build-run-make-test' });
    // The step's Secret and Job are removed when it ends.
    await eventually(async () => (await items(`/api/v1/namespaces/${nsName}/secrets`)).length === 0, 30_000, 'Secret removed');
    await eventually(async () => (await items(`/apis/batch/v1/namespaces/${nsName}/jobs`)).length === 0, 30_000, 'Job removed');

    await ex.finish(run, 'succeeded');
    expect(await namespaceDeleted(nsName)).toBe(true);
  });

  test('a step that exits 3 gives exit code 3; keepOnFailure leaves the namespace of a failed run', async () => {
    const run = runInfo();
    const ex = new KubernetesExecutor({
      client,
      keepOnFailure: true,
      podAnnotations: (cmd): Record<string, string> => (cmd.node === 'test/fail' ? { 'slipway.dev/kwok-exit-code': '3' } : {}),
    });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    expect(await ex.runCommand(command('test/ok'), recorder())).toEqual({ exitCode: 0 });
    expect(await ex.runCommand(command('test/fail'), recorder())).toEqual({ exitCode: 3 });
    await ex.finish(run, 'failed');
    const ns = await get(`/api/v1/namespaces/${ex.namespace}`);
    expect(ns?.metadata.deletionTimestamp).toBeUndefined();
    await client.request('DELETE', `/api/v1/namespaces/${ex.namespace}`);
  });

  test("the runner's timeout (io.signal aborted with its reason) deletes the Job and its Pods", async () => {
    const run = runInfo();
    const ex = new KubernetesExecutor({ client, podAnnotations: { 'slipway.dev/kwok-duration': '60s' } });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(new Error('step build/run: make test timed out after 1.5s')), 1500);
    const r = await ex.runCommand(command('build/run: make test'), recorder(ac.signal));
    clearTimeout(timer);
    expect(r).toEqual({ exitCode: 130, error: 'step build/run: make test timed out after 1.5s' });
    await eventually(
      async () =>
        (await items(`/apis/batch/v1/namespaces/${ex.namespace}/jobs`)).length === 0 &&
        (await items(`/api/v1/namespaces/${ex.namespace}/pods`)).length === 0,
      30_000,
      'Job and Pods gone',
    );
    await ex.finish(run, 'failed');
    expect(await namespaceDeleted(ex.namespace)).toBe(true);
  });

  test('cancel while the Pod runs: 130 cancelled, Job and Pods gone', async () => {
    const run = runInfo();
    const ex = new KubernetesExecutor({ client, podAnnotations: { 'slipway.dev/kwok-duration': '60s' } });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    const ac = new AbortController();
    const result = ex.runCommand(command('deploy/run: sleep'), recorder(ac.signal));
    await eventually(
      async () => (await items(`/api/v1/namespaces/${ex.namespace}/pods`)).find((p) => (p.status as { phase?: string }).phase === 'Running'),
      30_000,
      'Running Pod',
    );
    ac.abort();
    expect(await result).toEqual({ exitCode: 130, error: 'cancelled' });
    await eventually(
      async () =>
        (await items(`/apis/batch/v1/namespaces/${ex.namespace}/jobs`)).length === 0 &&
        (await items(`/api/v1/namespaces/${ex.namespace}/pods`)).length === 0,
      30_000,
      'Job and Pods gone',
    );
    await ex.finish(run, 'cancelled');
  });

  test('an image that cannot be pulled fails the step with the reason', async () => {
    const run = runInfo();
    const ex = new KubernetesExecutor({ client, podAnnotations: { 'slipway.dev/kwok-waiting-reason': 'ImagePullBackOff' } });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    const r = await ex.runCommand(command('build/run: make', {}, { image: 'registry.invalid/nope:1' }), recorder());
    expect(r.exitCode).toBe(1);
    expect(r.error).toMatch(/^container step of Pod build-run-make-1-\w+ cannot start: ImagePullBackOff: Back-off pulling image "registry\.invalid\/nope:1"/);
    await ex.finish(run, 'failed');
  });

  test('workspace git: every step Pod clones url@revision in an alpine/git init container into /workspace', async () => {
    const run = runInfo({ workspace: { type: 'git', url: 'https://git.example.com/shop.git', revision: 'v1.2.0' } });
    const ex = new KubernetesExecutor({ client, podAnnotations: { 'slipway.dev/kwok-duration': '1s' } });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    const pod = catchPod(() => ex.namespace);
    expect(await ex.runCommand(command('build/run: make'), recorder())).toEqual({ exitCode: 0 });
    const spec = (await pod).spec as PodSpec;
    expect(spec.initContainers).toHaveLength(1);
    expect(spec.initContainers![0]!.image).toBe('alpine/git:v2.45.1');
    expect(spec.initContainers![0]!.env).toEqual([
      { name: 'GIT_URL', value: 'https://git.example.com/shop.git' },
      { name: 'GIT_REVISION', value: 'v1.2.0' },
      { name: 'WORKSPACE', value: '/workspace' },
    ]);
    // (the ServiceAccount admission adds a token volume next to ours)
    expect(spec.volumes.filter((v) => v.name === 'workspace')).toEqual([{ name: 'workspace', emptyDir: {} }]);
    expect(spec.initContainers![0]!.volumeMounts).toContainEqual({ name: 'workspace', mountPath: '/workspace' });
    expect(spec.containers[0]!.volumeMounts).toContainEqual({ name: 'workspace', mountPath: '/workspace' });
    await ex.finish(run, 'succeeded');
  });

  test('workspace pvc: start makes the claim (bound here to a hand-made hostPath PV: no provisioner), steps mount it', async () => {
    const run = runInfo({ workspace: { type: 'pvc', size: '2Gi', storageClassName: 'manual' } });
    const nsName = `slipway-run-${run.pipeline}-4`;
    const pvName = `${run.pipeline}-ws`;
    await client.request('POST', '/api/v1/persistentvolumes', {
      body: {
        apiVersion: 'v1',
        kind: 'PersistentVolume',
        metadata: { name: pvName },
        spec: {
          capacity: { storage: '2Gi' },
          accessModes: ['ReadWriteOnce'],
          storageClassName: 'manual',
          persistentVolumeReclaimPolicy: 'Retain',
          hostPath: { path: `/tmp/${pvName}` },
          claimRef: { namespace: nsName, name: 'workspace' },
        },
      },
    });
    try {
      const ex = new KubernetesExecutor({ client, podAnnotations: { 'slipway.dev/kwok-duration': '1s' } });
      await ex.start(run);
      leftovers.push(() => ex.finish(run, 'cancelled'));
    leftovers.push(() => ex.finish(run, 'cancelled'));
      const pvc = await get(`/api/v1/namespaces/${nsName}/persistentvolumeclaims/workspace`);
      expect(pvc?.spec).toMatchObject({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '2Gi' } }, storageClassName: 'manual' });
      const pod = catchPod(() => nsName);
      expect(await ex.runCommand(command('build/run: make'), recorder())).toEqual({ exitCode: 0 });
      const volumes = ((await pod).spec as PodSpec).volumes;
      expect(volumes.filter((v) => v.name === 'workspace')).toEqual([{ name: 'workspace', persistentVolumeClaim: { claimName: 'workspace' } }]);
      expect((await get(`/api/v1/namespaces/${nsName}/persistentvolumeclaims/workspace`))?.status).toMatchObject({ phase: 'Bound' });
      await ex.finish(run, 'succeeded');
      expect(await namespaceDeleted(nsName)).toBe(true);
    } finally {
      await client.request('DELETE', `/api/v1/persistentvolumes/${pvName}`).catch(() => undefined);
    }
  });

  test('kubernetes.namespace that already exists is used and left in place', async () => {
    const shared = `kx-shared-${Math.random().toString(36).slice(2, 7)}`;
    await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: shared } } });
    try {
      const run = runInfo({ namespace: shared });
      const ex = new KubernetesExecutor({ client });
      await ex.start(run);
      leftovers.push(() => ex.finish(run, 'cancelled'));
    leftovers.push(() => ex.finish(run, 'cancelled'));
      expect(ex.namespace).toBe(shared);
      expect(await ex.runCommand(command('a/b'), recorder())).toEqual({ exitCode: 0 });
      await ex.finish(run, 'succeeded');
      expect((await get(`/api/v1/namespaces/${shared}`))?.metadata.deletionTimestamp).toBeUndefined();
    } finally {
      await client.request('DELETE', `/api/v1/namespaces/${shared}`);
    }
  });

  test('an image step is a kaniko Job in the run namespace; without a workspace it is refused with the field to set', async () => {
    const build: ImageBuild = {
      type: 'image',
      name: 'build',
      push: true,
      node: 'image/build',
      context: '.',
      dockerfile: 'Dockerfile',
      destinations: ['localhost:5000/shop:4'],
      buildArgs: {},
      builder: 'auto',
      env: {},
    };
    const bare = runInfo();
    const none = new KubernetesExecutor({ client });
    await none.start(bare);
    leftovers.push(() => none.finish(bare, 'cancelled'));
    const refused = await none.buildImage(build, recorder());
    expect(refused.exitCode).toBe(1);
    expect(refused.error).toContain('spec.kubernetes.workspace');
    await none.finish(bare, 'failed');

    const run = runInfo({ workspace: { type: 'git', url: 'https://git.example.com/shop.git' } });
    const ex = new KubernetesExecutor({ client });
    await ex.start(run);
    leftovers.push(() => ex.finish(run, 'cancelled'));
    const pod = catchPod(() => ex.namespace);
    const io = recorder();
    expect(await ex.buildImage(build, io)).toEqual({ exitCode: 0 });
    const c = ((await pod).spec as PodSpec).containers[0]!;
    expect(c.image).toMatch(/^gcr\.io\/kaniko-project\/executor:/);
    expect(io.lines[0]!.text).toContain('building localhost:5000/shop:4 with kaniko');
    await ex.finish(run, 'succeeded');
  });
});
