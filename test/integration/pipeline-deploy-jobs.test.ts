import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { ImageBuild } from '../../src/pipeline/executor.js';
import type { JobStep } from '../../src/pipeline/model.js';
import { buildImageInCluster, buildkitJob, kanikoJob, type BuildJobContext } from '../../src/pipeline/steps/images.js';
import { JUNIT_BEGIN, runJobStep } from '../../src/pipeline/steps/job.js';
import { useNamespace } from './helpers.js';
import { recorder } from '../support/step-io.js';

// Image-build and test Jobs on the real apiserver. kwok does not run containers: it marks
// the Pods of a Job as completed with exit 0 (and serves no logs), so these tests prove that
// the Job objects are valid to the real apiserver — including strict schema validation
// (fieldValidation=Strict rejects any field the API does not know) — and that runJob sees
// them through to completion; they do not prove that kaniko or BuildKit build anything.

const suite = useNamespace();


function build(over: Partial<ImageBuild> = {}): ImageBuild {
  return {
    type: 'image',
    name: 'image',
    push: true,
    node: 'build/1',
    env: {},
    context: 'app',
    dockerfile: 'Dockerfile',
    destinations: ['localhost:5000/app:1', 'localhost:5000/app:latest'],
    buildArgs: { VERSION: '1' },
    builder: 'auto',
    pushSecret: 'regcred',
    insecure: true,
    target: 'runtime',
    ...over,
  };
}

/** POSTs the Job as a server-side dry run with strict field validation; returns the server's warnings (none expected). */
async function strictDryRun(job: KubeObject): Promise<KubeObject> {
  return suite.client().request<KubeObject>('POST', `/apis/batch/v1/namespaces/${suite.ns()}/jobs`, {
    body: job,
    query: { dryRun: 'All', fieldValidation: 'Strict' },
  });
}

const ctx = (name: string, workspace: BuildJobContext['workspace']): BuildJobContext => ({ namespace: suite.ns(), name, workspace });

describe('image build Jobs', () => {
  test.each([
    ['kaniko, workspace PVC', () => kanikoJob(build(), ctx('kaniko-pvc', { type: 'pvc', claimName: 'ws' }))],
    ['kaniko, git', () => kanikoJob(build(), ctx('kaniko-git', { type: 'git', url: 'http://git.local/app.git', revision: 'main' }))],
    ['buildkit, workspace PVC', () => buildkitJob(build(), ctx('buildkit-pvc', { type: 'pvc', claimName: 'ws' }))],
    ['buildkit, git', () => buildkitJob(build(), ctx('buildkit-git', { type: 'git', url: 'https://github.com/a/b.git' }))],
  ])('%s: valid under fieldValidation=Strict', async (_name, make) => {
    const job = make();
    const created = await strictDryRun(job);
    // the server kept every field we sent (nothing pruned as unknown)
    const sent = (job.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers[0];
    const got = (created.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers[0];
    expect(got).toMatchObject(sent as object);
  });

  test('a misspelt field is refused under Strict (the check above can fail)', async () => {
    const job = kanikoJob(build(), ctx('kaniko-typo', { type: 'pvc', claimName: 'ws' }));
    (job.spec as Record<string, unknown>).backofLimit = 0;
    await expect(strictDryRun(job)).rejects.toThrow(/unknown field "spec.backofLimit"/);
  });

  test.each([
    ['kaniko', 'auto'],
    ['buildkit', 'buildkit'],
  ] as const)('%s Job created and run to completion (kwok completes its Pod)', async (_name, builder) => {
    await suite.client().request('POST', `/api/v1/namespaces/${suite.ns()}/secrets`, {
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: `regcred-${builder}` },
        type: 'kubernetes.io/dockerconfigjson',
        data: { '.dockerconfigjson': Buffer.from('{"auths":{}}').toString('base64') },
      },
    });
    const { io, text } = recorder();
    const r = await buildImageInCluster(
      suite.client(),
      build({ builder, pushSecret: `regcred-${builder}` }),
      ctx(`img-${builder}`, { type: 'git', url: 'https://github.com/a/b.git', revision: 'main' }),
      io,
      { timeoutMs: 60_000 },
    );
    expect(r).toEqual({ exitCode: 0 });
    expect(text()).toContain(`building localhost:5000/app:1, localhost:5000/app:latest with ${builder === 'buildkit' ? 'BuildKit' : 'kaniko'} (Job ${suite.ns()}/img-${builder})`);
  });

  test('local builders are refused in the cluster', async () => {
    const r = await buildImageInCluster(suite.client(), build({ builder: 'podman' }), ctx('x', { type: 'pvc', claimName: 'ws' }), recorder().io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain('runs only with the local executor');
  });
});

describe('job step', () => {
  const at = { file: 'slipway.yaml', line: 30, column: 9 };
  const step = (over: Partial<JobStep> = {}): JobStep => ({
    type: 'job',
    name: 'smoke',
    env: { TARGET: 'http://web' },
    retries: 0,
    at,
    image: 'curlimages/curl:8.10.1',
    command: ['sh', '-c', 'curl -fsS $TARGET/healthz'],
    ...over,
  });

  test('runs a test Job with files at /data to completion; its ConfigMap is removed afterwards', async () => {
    const ws = suite.tree({ 'testdata/seed.sql': 'select 1;\n' });
    const { io } = recorder();
    const r = await runJobStep(suite.client(), step({ files: { 'seed.sql': 'testdata/seed.sql' } }), suite.ns(), { runId: 7, pipeline: 'p', number: 3, workspace: ws }, io, {
      name: 'smoke-job',
      timeoutMs: 60_000,
    });
    expect(r).toEqual({ exitCode: 0 });
    const cms = await suite.client().request<{ items: KubeObject[] }>('GET', `/api/v1/namespaces/${suite.ns()}/configmaps`);
    expect(cms.items.map((c) => c.metadata.name)).not.toContain('smoke-job-files');
  });

  test('junit asked for but the node serves no logs (kwok): the step fails and says how to print the report', async () => {
    const ws = suite.tree({});
    const { io } = recorder();
    const r = await runJobStep(suite.client(), step({ junit: 'reports/it.xml' }), suite.ns(), { runId: 7, pipeline: 'p', number: 3, workspace: ws }, io, { timeoutMs: 60_000 });
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain(`smoke: no JUnit report in the log of Job ${suite.ns()}/smoke-3-`);
    expect(r.error).toContain(JUNIT_BEGIN);
    expect(existsSync(join(ws, 'reports/it.xml'))).toBe(false);
  });

  test('a failing test container: the step gets its exit code; a JUnit report it did not print adds nothing (kwok exit code annotation)', async () => {
    const ws = suite.tree({});
    const r = await runJobStep(suite.client(), step({ junit: 'r.xml' }), suite.ns(), { runId: 7, pipeline: 'p', number: 4, workspace: ws }, recorder().io, {
      timeoutMs: 60_000,
      podAnnotations: { 'slipway.dev/kwok-exit-code': '3' },
    });
    expect(r.exitCode).toBe(3);
    expect(existsSync(join(ws, 'r.xml'))).toBe(false);
  });

  test('a files entry that does not exist fails before any Job is made, naming the entry', async () => {
    const r = await runJobStep(suite.client(), step({ files: { 'seed.sql': 'nope.sql' } }), suite.ns(), { runId: 7, pipeline: 'p', number: 3, workspace: suite.tree({}) }, recorder().io);
    expect(r).toEqual({ exitCode: 1, error: 'smoke: files.seed.sql: cannot read "nope.sql": ENOENT' });
  });
});
