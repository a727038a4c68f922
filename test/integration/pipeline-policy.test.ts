// Deploy steps with `policies:` against the real apiserver: the objects they are about to apply
// are checked first, and an Enforce failure applies nothing (apply, kustomize and release modes).
import { describe, expect, test } from 'vitest';
import { getObject } from '../../src/kube/index.js';
import type { ManifestDeployStep, ReleaseDeployStep } from '../../src/pipeline/model.js';
import { runDeployStep } from '../../src/pipeline/steps/deploy.js';
import { ReleaseStore } from '../../src/release/index.js';
import { useNamespace } from './helpers.js';
import { recorder } from '../support/step-io.js';

const suite = useNamespace();
const at = { file: 'slipway.yaml', line: 12, column: 9 };


/** require-labels (upstream best-practices) in Enforce mode, optionally only for some namespaces. */
const requireLabels = (namespaces?: string[]) => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: require-labels
spec:
  validationFailureAction: Enforce
  rules:
  - name: check-for-labels
    match:
      any:
      - resources:
          kinds: [Pod]${namespaces ? `\n          namespaces: ${JSON.stringify(namespaces)}` : ''}
    validate:
      message: "The label \`app.kubernetes.io/name\` is required."
      pattern:
        metadata:
          labels:
            app.kubernetes.io/name: "?*"
`;
const deployment = (name: string, labels: Record<string, string> = {}) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 1
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: ${JSON.stringify({ app: name, ...labels })}
    spec:
      containers:
      - name: main
        image: nginx
`;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

function manifestStep(mode: 'apply' | 'kustomize', path: string, over: Partial<ManifestDeployStep> = {}): ManifestDeployStep {
  return { type: 'deploy', mode, name: `deploy ${path}`, env: {}, retries: 0, at, path, namespace: suite.ns(), wait: false, prune: false, policies: ['policies'], ...over };
}
const get = (kind: string, name: string) => getObject(suite.client(), { group: kind === 'Deployment' ? 'apps' : '', version: 'v1', kind, namespace: suite.ns(), name });

describe('deploy with policies', () => {
  test('apply: an Enforce failure applies nothing and names the resource, policy and rule; compliant objects are applied', async () => {
    const ws = suite.tree({
      'policies/require-labels.yaml': requireLabels(),
      'bad/cm.yaml': configMap('pa-settings'),
      'bad/web.yaml': deployment('pa-web'),
      'good/cm.yaml': configMap('pa-settings'),
      'good/web.yaml': deployment('pa-web', { 'app.kubernetes.io/name': 'web' }),
    });
    const bad = recorder();
    const r = await runDeployStep(suite.client(), manifestStep('apply', 'bad'), ws, bad.io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain('refused: an Enforce rule fails, nothing applied:');
    expect(r.error).toContain(`Deployment/${suite.ns()}/pa-web: require-labels/autogen-check-for-labels: validation error: The label \`app.kubernetes.io/name\` is required.`);
    expect(bad.text()).toMatch(new RegExp(`^require-labels +autogen-check-for-labels +Deployment/${suite.ns()}/pa-web \\(bad/web\\.yaml:1\\) +Enforce +validation error:`, 'm'));
    expect(bad.text()).toContain('pass: 0, fail: 1, warn: 0, error: 0, skip: 0');
    expect(await get('ConfigMap', 'pa-settings')).toBeUndefined();
    expect(await get('Deployment', 'pa-web')).toBeUndefined();

    const good = recorder();
    expect(await runDeployStep(suite.client(), manifestStep('apply', 'good'), ws, good.io)).toEqual({ exitCode: 0 });
    expect(good.text()).toContain('pass: 1, fail: 0, warn: 0, error: 0, skip: 0');
    expect(await get('ConfigMap', 'pa-settings')).toBeDefined();
    expect(await get('Deployment', 'pa-web')).toBeDefined();
  });

  test('kustomize: objects get the target namespace before the check, so a policy on that namespace applies', async () => {
    const ws = suite.tree({
      'policies/p.yaml': requireLabels([suite.ns()]),
      'k/kustomization.yaml': 'resources: [web.yaml]\nnamespace: elsewhere\n',
      'k/web.yaml': deployment('pk-web'),
    });
    const out = recorder();
    const r = await runDeployStep(suite.client(), manifestStep('kustomize', 'k'), ws, out.io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain(`Deployment/${suite.ns()}/pk-web: require-labels/autogen-check-for-labels`);
    expect(await get('Deployment', 'pk-web')).toBeUndefined();
  });

  test('release: the chart is rendered and checked first; a violation installs no release', async () => {
    const ws = suite.tree({
      'policies/p.yaml': requireLabels(),
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      'chart/values.yaml': 'labelled: false\n',
      'chart/templates/web.yaml': `${deployment('{{ .Release.Name }}').replace('labels: {"app":"{{ .Release.Name }}"}', 'labels:\n        app: {{ .Release.Name }}\n        {{- if .Values.labelled }}\n        app.kubernetes.io/name: web\n        {{- end }}')}`,
    });
    const step: ReleaseDeployStep = {
      type: 'deploy',
      mode: 'release',
      name: 'deploy pr',
      env: {},
      retries: 0,
      at,
      release: 'pr',
      chart: 'chart',
      namespace: suite.ns(),
      valuesFiles: [],
      set: {},
      wait: false,
      createNamespace: false,
      policies: ['policies'],
    };
    const bad = recorder();
    const r = await runDeployStep(suite.client(), step, ws, bad.io);
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain(`Deployment/${suite.ns()}/pr: require-labels/autogen-check-for-labels`);
    expect(bad.text()).toMatch(/\(web\/templates\/web\.yaml:1\)/);
    expect(await new ReleaseStore(suite.client(), suite.ns()).history('pr')).toEqual([]);
    expect(await get('Deployment', 'pr')).toBeUndefined();

    const good = recorder();
    expect(await runDeployStep(suite.client(), { ...step, set: { labelled: 'true' } }, ws, good.io)).toEqual({ exitCode: 0 });
    expect((await new ReleaseStore(suite.client(), suite.ns()).history('pr')).map((x) => x.version)).toEqual([1]);
    expect((await get('Deployment', 'pr'))?.metadata.name).toBe('pr');
  });
});
