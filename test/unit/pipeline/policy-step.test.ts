import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { reportSummary } from '../../../src/cli/commands/runs.js';
import { LocalExecutor } from '../../../src/pipeline/local/executor.js';
import { PipelineRunner } from '../../../src/pipeline/run/runner.js';
import { parsePipelineYaml } from '../../../src/pipeline/spec/index.js';
import { checkPolicies, loadPolicies, policyStepObjects } from '../../../src/pipeline/steps/policy.js';
import { openRunStore, type RunStore } from '../../../src/pipeline/store/index.js';

// The policy step through the runner (real local executor, real SQLite store) with the real
// policy, chart and kustomize engines, on a workspace written per test.

let ws: string;
let store: RunStore;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'slipway-policy-step-'));
  store = openRunStore(join(ws, '.slipway'));
});

afterEach(() => {
  store.close();
  rmSync(ws, { recursive: true, force: true });
});

function files(tree: Record<string, string>): void {
  for (const [path, text] of Object.entries(tree)) {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), text);
  }
}

/** The upstream require-labels policy (best-practices), with the action asked for. */
const requireLabels = (action: 'Enforce' | 'Audit', name = 'require-labels') => `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: ${name}
spec:
  validationFailureAction: ${action}
  background: true
  rules:
  - name: check-for-labels
    match:
      any:
      - resources:
          kinds:
          - Pod
    validate:
      message: "The label \`app.kubernetes.io/name\` is required."
      pattern:
        metadata:
          labels:
            app.kubernetes.io/name: "?*"
`;

/** An Audit policy on Services: no NodePort. */
const noNodePort = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: restrict-nodeport
spec:
  validationFailureAction: Audit
  background: true
  rules:
  - name: validate-nodeport
    match:
      any:
      - resources:
          kinds:
          - Service
    validate:
      message: "Services of type NodePort are not allowed."
      pattern:
        spec:
          =(type): "!NodePort"
`;

const pod = (name: string, labels: Record<string, string>) =>
  `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}\n  labels: ${JSON.stringify(labels)}\nspec:\n  containers:\n  - name: main\n    image: nginx\n`;
const deployment = (name: string, labels: Record<string, string>) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
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
const service = (name: string, type: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  ports:\n  - port: 80\n`;

async function run(steps: string) {
  const text = `apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata:\n  name: demo\nspec:\n  stages:\n    - name: check\n      steps:\n${steps.replace(/^/gm, '        ')}\n`;
  writeFileSync(join(ws, 'slipway.yaml'), text);
  const record = await new PipelineRunner({
    pipeline: parsePipelineYaml(text, 'slipway.yaml'),
    workspace: ws,
    store,
    cacheDir: join(ws, '.slipway', 'caches'),
    executor: new LocalExecutor(),
  }).execute();
  const log = store
    .readLogs(record.id, { node: 'check/0' })
    .map((c) => c.text)
    .join('');
  const node = store.listNodes(record.id).find((n) => n.path === 'check/0')!;
  return { record, node, log, reports: store.listReports(record.id) };
}

describe('policy step', () => {
  test('an Enforce failure fails the step with a table of Kyverno messages, the summary and a stored report', async () => {
    files({
      'policies/require-labels.yaml': requireLabels('Enforce'),
      'k8s/pod.yaml': pod('bad', { app: 'x' }),
      'k8s/good.yaml': pod('good', { 'app.kubernetes.io/name': 'good' }),
      'k8s/deploy.yaml': deployment('web', { 'app.kubernetes.io/name': 'web' }),
    });
    const { record, node, log, reports } = await run('- policy: {policies: policies, resources: [k8s]}');
    expect(record.status).toBe('failed');
    expect(node.exitCode).toBe(1);
    expect(node.error).toContain('1 Enforce rule result failed');
    expect(log).toContain('checked 3 resources against 1 policy\n');
    expect(log).toMatch(/^POLICY +RULE +RESOURCE +ACTION +MESSAGE$/m);
    const row = log.split('\n').find((l) => l.startsWith('require-labels'))!;
    expect(row).toMatch(/^require-labels +check-for-labels +Pod\/bad \(k8s\/pod\.yaml:1\) +Enforce +validation error: The label `app.kubernetes.io\/name` is required\. rule check-for-labels failed at path \/metadata\/labels\/app.kubernetes.io\/name\/$/);
    // good Pod passes; the Deployment passes the autogen rule
    expect(log).toContain('pass: 2, fail: 1, warn: 0, error: 0, skip: 0\n');
    expect(reports).toHaveLength(1);
    const report = reports[0]!;
    expect(report).toMatchObject({ kind: 'gate', format: 'kyverno', file: 'policies' });
    const data = report.data as { passed: boolean; summary: Record<string, number>; results: { status: string; rule: string }[]; checks: unknown[] };
    expect(data.passed).toBe(false);
    expect(data.summary).toEqual({ pass: 2, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(data.results.map((r) => `${r.rule}:${r.status}`).sort()).toEqual(['autogen-check-for-labels:pass', 'check-for-labels:fail', 'check-for-labels:pass']);
    expect(data.checks).toEqual([{ name: 'enforce failures', actual: 1, actualText: '1', limit: 0, op: '<=', passed: false }]);
    // slipway runs show reads it as any gate report
    expect(reportSummary(report)).toBe('failed: enforce failures 1 (<= 0)');
  });

  test('Audit failures are listed but pass with failOn enforce, and fail with failOn any', async () => {
    files({
      'policies/a.yaml': requireLabels('Audit'),
      'policies/b.yaml': noNodePort,
      'k8s/all.yaml': `${pod('bad', {})}---\n${service('np', 'NodePort')}---\n${service('cip', 'ClusterIP')}`,
    });
    const lenient = await run('- policy: {policies: [policies/a.yaml, policies/b.yaml], resources: k8s/all.yaml}');
    expect(lenient.record.status).toBe('succeeded');
    expect(lenient.log).toMatch(/^restrict-nodeport +validate-nodeport +Service\/np \(k8s\/all\.yaml:\d+\) +Audit +validation error: Services of type NodePort are not allowed\./m);
    expect(lenient.log).toMatch(/^require-labels +check-for-labels +Pod\/bad .* Audit /m);
    expect(lenient.log).toContain('pass: 1, fail: 2, warn: 0, error: 0, skip: 0\n');
    expect((lenient.reports[0]!.data as { passed: boolean }).passed).toBe(true);
    expect(reportSummary(lenient.reports[0]!)).toBe('passed (1 check)');

    const strict = await run('- policy: {policies: [policies/a.yaml, policies/b.yaml], resources: k8s/all.yaml, failOn: any}');
    expect(strict.record.status).toBe('failed');
    expect(strict.node.error).toContain('2 policy rule results failed');
  });

  test('a chart is rendered as helm template renders it, with values and set; the table names the template', async () => {
    files({
      'policies/p.yaml': requireLabels('Enforce'),
      'chart/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 1.0.0\n',
      'chart/values.yaml': 'name: web\nlabelled: true\n',
      'chart/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-{{ .Values.name }}
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels:
        app: web
        {{- if .Values.labelled }}
        app.kubernetes.io/name: {{ .Values.name }}
        {{- end }}
    spec:
      containers:
      - name: main
        image: nginx
`,
      'values-off.yaml': 'labelled: false\n',
    });
    const good = await run('- policy: {policies: policies, chart: chart, release: shop, namespace: prod}');
    expect(good.record.status).toBe('succeeded');
    expect(good.log).toContain('pass: 1, fail: 0, warn: 0, error: 0, skip: 0\n');

    const bad = await run('- policy: {policies: policies, chart: chart, release: shop, values: [values-off.yaml], set: {name: api}}');
    expect(bad.record.status).toBe('failed');
    expect(bad.log).toMatch(/^require-labels +autogen-check-for-labels +Deployment\/shop-api \(web\/templates\/deployment\.yaml:1\) +Enforce +validation error: The label `app.kubernetes.io\/name` is required\. rule autogen-check-for-labels failed at path \/spec\/template\/metadata\/labels\/app.kubernetes.io\/name\/$/m);
  });

  test('a kustomization is built first: its labels count', async () => {
    files({
      'policies/p.yaml': requireLabels('Enforce'),
      'k8s/base/kustomization.yaml': 'resources: [pod.yaml]\n',
      'k8s/base/pod.yaml': pod('p', {}),
      'k8s/prod/kustomization.yaml': 'resources: [../base]\nnamePrefix: prod-\nlabels:\n  - pairs: {app.kubernetes.io/name: shop}\n',
    });
    const base = await run('- policy: {policies: policies/p.yaml, kustomize: k8s/base}');
    expect(base.record.status).toBe('failed');
    expect(base.log).toMatch(/^require-labels +check-for-labels +Pod\/p /m);
    const prod = await run('- policy: {policies: policies/p.yaml, kustomize: k8s/prod}');
    expect(prod.record.status).toBe('succeeded');
    expect(prod.log).toContain('checked 1 resource against 1 policy\npass: 1, fail: 0, warn: 0, error: 0, skip: 0\n');
  });

  test('a missing path or a file without policies fails the step and says which', async () => {
    files({ 'k8s/pod.yaml': pod('p', {}), 'notpolicies/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n' });
    const missing = await run('- policy: {policies: nope, resources: k8s}');
    expect(missing.record.status).toBe('failed');
    expect(missing.node.error).toMatch(/policy path "nope" not found/);
    const none = await run('- policy: {policies: notpolicies, resources: k8s}');
    expect(none.node.error).toContain('no Kyverno ClusterPolicy or Policy in notpolicies');
  });

  test('${...} in paths is interpolated', async () => {
    files({ 'policies/p.yaml': requireLabels('Enforce'), 'k8s/ok.yaml': pod('ok', { 'app.kubernetes.io/name': 'ok' }) });
    const r = await run('- policy: {policies: "${POLICY_DIR}", resources: k8s}\n  env: {POLICY_DIR: policies}');
    expect(r.record.status).toBe('succeeded');
  });
});

describe('the check used by the step and by deploy', () => {
  test('loadPolicies ignores objects that are not policies and keeps the file of each policy', () => {
    files({ 'p/all.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\n${requireLabels('Enforce')}` });
    const policies = loadPolicies(['p'], ws);
    expect(policies.map((p) => [p.name, p.failureAction])).toEqual([['require-labels', 'Enforce']]);
    expect(policies[0]!.at?.file).toBe(join(ws, 'p/all.yaml'));
  });

  test('checkPolicies counts by status and blocks only on Enforce failures unless failOn any', async () => {
    files({ 'k8s/pods.yaml': `${pod('a', {})}---\n${pod('b', { 'app.kubernetes.io/name': 'b' })}` });
    const objects = (await policyStepObjects({ resources: ['k8s'] }, ws, () => undefined)).map((m) => m.object);
    files({ 'p/e.yaml': requireLabels('Enforce'), 'p/a.yaml': requireLabels('Audit', 'audit-labels') });
    const enforce = checkPolicies(loadPolicies(['p/e.yaml'], ws), objects);
    expect(enforce.counts).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(enforce.blocking.map((r) => r.resource.name)).toEqual(['a']);
    const audit = checkPolicies(loadPolicies(['p/a.yaml'], ws), objects);
    expect(audit.passed).toBe(true);
    expect(checkPolicies(loadPolicies(['p/a.yaml'], ws), objects, 'any').passed).toBe(false);
  });
});
