import { rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getObject } from '../../src/kube/index.js';
import { ReleaseStore } from '../../src/release/index.js';
import type { ManifestDeployStep, ReleaseDeployStep } from '../../src/pipeline/model.js';
import { runDeployStep } from '../../src/pipeline/steps/deploy.js';
import { useNamespace } from './helpers.js';
import { recorder } from '../support/step-io.js';
import { deployment } from './gitops-helpers.js';

// The deploy step's three modes against the real apiserver (kwok makes Deployments ready).

const suite = useNamespace();
const at = { file: 'slipway.yaml', line: 20, column: 9 };

const configMap = (name: string, value = 'v') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  key: ${value}\n`;

function manifestStep(mode: 'apply' | 'kustomize', path: string, over: Partial<ManifestDeployStep> = {}): ManifestDeployStep {
  return { type: 'deploy', mode, name: `deploy ${path}`, env: {}, retries: 0, at, path, namespace: suite.ns(), wait: true, prune: false, deployTimeoutMs: 60_000, ...over };
}

const get = (kind: string, name: string, group = kind === 'Deployment' ? 'apps' : '') =>
  getObject(suite.client(), { group, version: 'v1', kind, namespace: suite.ns(), name });

describe('deploy: kustomize', () => {
  test('renders the overlay, overrides the namespace, applies, waits; a second run is unchanged; prune removes what was dropped', async () => {
    const ws = suite.tree({
      'k8s/base/kustomization.yaml': 'namespace: elsewhere\nresources: [deploy.yaml, cm.yaml]\n',
      'k8s/base/deploy.yaml': deployment({ name: 'kz-web', replicas: 2 }),
      'k8s/base/cm.yaml': configMap('kz-config'),
      'k8s/overlays/staging/kustomization.yaml': 'resources: [../../base]\nnamePrefix: staging-\nlabels:\n  - pairs: {env: staging}\n    includeSelectors: false\n',
    });
    const first = recorder();
    expect(await runDeployStep(suite.client(), manifestStep('kustomize', 'k8s/overlays/staging'), ws, first.io)).toEqual({ exitCode: 0 });
    const web = (await get('Deployment', 'staging-kz-web'))!;
    expect(web.metadata.labels).toEqual({ env: 'staging' });
    expect((web.status as { readyReplicas?: number }).readyReplicas).toBe(2);
    expect((await get('ConfigMap', 'staging-kz-config'))?.data).toEqual({ key: 'v' });
    expect(first.text()).toContain(`Deployment/${suite.ns()}/staging-kz-web created`);
    expect(first.text()).toContain('kustomize k8s/overlays/staging: 2 created\n');
    expect(first.text()).toContain('2 objects healthy');

    const second = recorder();
    expect((await runDeployStep(suite.client(), manifestStep('kustomize', 'k8s/overlays/staging'), ws, second.io)).exitCode).toBe(0);
    expect(second.text()).toContain('kustomize k8s/overlays/staging: 2 unchanged\n');

    writeFileSync(join(ws, 'k8s/base/kustomization.yaml'), 'resources: [deploy.yaml]\n');
    const third = recorder();
    expect((await runDeployStep(suite.client(), manifestStep('kustomize', 'k8s/overlays/staging', { prune: true }), ws, third.io)).exitCode).toBe(0);
    expect(third.text()).toContain(`ConfigMap/${suite.ns()}/staging-kz-config pruned`);
    expect(third.text()).toContain('; pruned: 1 deleted');
    const cm = await get('ConfigMap', 'staging-kz-config');
    expect(cm === undefined || cm.metadata.deletionTimestamp !== undefined).toBe(true);
  });

  test('a kustomization error names the file', async () => {
    const ws = suite.tree({ 'k/kustomization.yaml': 'resources: [missing.yaml]\n' });
    const { io } = recorder();
    const r = await runDeployStep(suite.client(), manifestStep('kustomize', 'k'), ws, io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toMatch(/^deploy k: .*missing\.yaml/);
  });
});

describe('deploy: apply', () => {
  test('a directory, recursively, into the namespace, waiting for health', async () => {
    const ws = suite.tree({ 'manifests/a.yaml': deployment({ name: 'ap-web', replicas: 1 }), 'manifests/sub/b.yaml': configMap('ap-config', 'x') });
    const { io, text } = recorder();
    expect(await runDeployStep(suite.client(), manifestStep('apply', 'manifests'), ws, io)).toEqual({ exitCode: 0 });
    expect((await get('ConfigMap', 'ap-config'))?.data).toEqual({ key: 'x' });
    expect(((await get('Deployment', 'ap-web'))!.status as { readyReplicas?: number }).readyReplicas).toBe(1);
    expect(text()).toContain('apply manifests: 2 created\n');
  });

  test('a single file; an object the server refuses fails the step and the error names its file', async () => {
    const ws = suite.tree({
      'bad.yaml': `${configMap('ok-config')}---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: no-selector\nspec:\n  template:\n    spec:\n      containers: [{name: c, image: nginx}]\n`,
    });
    const r = await runDeployStep(suite.client(), manifestStep('apply', 'bad.yaml', { wait: false }), ws, recorder().io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain('an object failed to apply:');
    expect(r.error).toMatch(new RegExp(`bad\\.yaml: Deployment/${suite.ns()}/no-selector: .*selector`));
    expect(await get('ConfigMap', 'ok-config')).toBeDefined();
  });

  test('an object in another namespace is refused, naming the file and line', async () => {
    const ws = suite.tree({ 'other.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: somewhere-else\n` });
    const r = await runDeployStep(suite.client(), manifestStep('apply', 'other.yaml'), ws, recorder().io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toMatch(/^deploy other\.yaml: .*other\.yaml:1.*does not match the namespace/);
  });

  test('a missing path names it', async () => {
    const r = await runDeployStep(suite.client(), manifestStep('apply', 'nope/'), suite.tree({}), recorder().io);
    expect(r).toEqual({ exitCode: 1, error: 'deploy nope/: nope/: apply path "nope/" not found' });
  });
});

describe('deploy: release', () => {
  const chart = {
    'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.2.3\n',
    'chart/values.yaml': 'replicas: 1\nmessage: hi\nimage: {tag: latest}\n',
    'chart/values-staging.yaml': 'message: staging\n',
    'chart/templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cfg
data:
  message: {{ .Values.message | quote }}
  tag: {{ .Values.image.tag | quote }}
  kind: {{ kindOf .Values.replicas | quote }}
`,
    'chart/templates/deploy.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers: [{name: web, image: "nginx:{{ .Values.image.tag }}"}]
`,
  };

  function releaseStep(over: Partial<ReleaseDeployStep> = {}): ReleaseDeployStep {
    return {
      type: 'deploy',
      mode: 'release',
      name: 'deploy web',
      env: {},
      retries: 0,
      at,
      release: 'web',
      chart: 'chart',
      namespace: suite.ns(),
      valuesFiles: ['chart/values-staging.yaml'],
      set: { 'image.tag': '42', replicas: '2' },
      wait: true,
      deployTimeoutMs: 60_000,
      createNamespace: false,
      ...over,
    };
  }

  test('install then upgrade: values files and set (typed as helm --set, commas kept), wait, revision logged', async () => {
    const ws = suite.tree(chart);
    const first = recorder();
    expect(await runDeployStep(suite.client(), releaseStep({ set: { 'image.tag': '42', replicas: '2', message: 'a,b=c' } }), ws, first.io)).toEqual({ exitCode: 0 });
    expect((await get('ConfigMap', 'web-cfg'))?.data).toEqual({ message: 'a,b=c', tag: '42', kind: 'int64' });
    const dep = (await get('Deployment', 'web'))!;
    expect((dep.status as { readyReplicas?: number }).readyReplicas).toBe(2);
    expect(first.text()).toContain(`installing release web (chart web-1.2.3) in namespace ${suite.ns()}`);
    expect(first.text()).toContain(`release web revision 1 deployed in namespace ${suite.ns()} (ready)`);

    const second = recorder();
    expect((await runDeployStep(suite.client(), releaseStep(), ws, second.io)).exitCode).toBe(0);
    expect(second.text()).toContain('release web revision 2 deployed');
    expect((await get('ConfigMap', 'web-cfg'))?.data).toEqual({ message: 'staging', tag: '42', kind: 'int64' });
    expect((await new ReleaseStore(suite.client(), suite.ns()).history('web')).map((r) => [r.version, r.info.status])).toEqual([
      [1, 'superseded'],
      [2, 'deployed'],
    ]);
  });

  test('createNamespace makes the namespace', async () => {
    const ws = suite.tree(chart);
    const ns = `${suite.ns()}-new`;
    try {
      expect((await runDeployStep(suite.client(), releaseStep({ namespace: ns, createNamespace: true, wait: false }), ws, recorder().io)).exitCode).toBe(0);
      expect(await getObject(suite.client(), { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns })).toBeDefined();
    } finally {
      await suite.client().request('DELETE', `/api/v1/namespaces/${ns}`).catch(() => undefined);
    }
  });

  test('a missing chart or values file is named', async () => {
    const ws = suite.tree(chart);
    const noChart = await runDeployStep(suite.client(), releaseStep({ chart: 'charts/none' }), ws, recorder().io);
    expect(noChart.exitCode).toBe(1);
    expect(noChart.error).toMatch(/^deploy web: charts\/none: chart "charts\/none" not found/);
    const noValues = await runDeployStep(suite.client(), releaseStep({ valuesFiles: ['prod.yaml'] }), ws, recorder().io);
    expect(noValues.error).toMatch(/^deploy web: prod\.yaml: values file "prod\.yaml" not found/);
  });

  test('a template error names the template file', async () => {
    const ws = suite.tree({ ...chart, 'chart/templates/bad.yaml': 'x: {{ .Values.nope.deeper }}\n' });
    unlinkSync(join(ws, 'chart/templates/deploy.yaml'));
    const r = await runDeployStep(suite.client(), releaseStep({ release: 'broken' }), ws, recorder().io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain('templates/bad.yaml');
    rmSync(join(ws, 'chart'), { recursive: true });
  });
});
