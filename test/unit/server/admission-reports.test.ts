import { describe, expect, test } from 'vitest';
import { memoryFileSystem, type KubeObject } from '../../../src/core/index.js';
import { parsePolicies, type RuleResult } from '../../../src/engines/policy/index.js';
import {
  CLEANUP_WEBHOOK_NAME,
  VALIDATE_WEBHOOK_NAME,
  defaultNamespaceSelector,
  loadPolicyFiles,
  mergeResults,
  policyCrds,
  policyKinds,
  reportName,
  reportObject,
  reportResults,
  resourceId,
  summarize,
  webhookConfiguration,
  webhookRules,
  type ReportResult,
  type ServedResource,
} from '../../../src/server/index.js';

const policyObject = (name: string, kinds: string[], annotations: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'kyverno.io/v1',
  kind: 'ClusterPolicy',
  metadata: { name, annotations: { 'policies.kyverno.io/category': 'Best Practices', 'policies.kyverno.io/severity': 'medium', ...annotations } },
  spec: {
    validationFailureAction: 'Audit',
    rules: [{ name: 'check', match: { any: [{ resources: { kinds } }] }, validate: { message: 'm', pattern: { metadata: { labels: { app: '?*' } } } } }],
  },
});

const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'shop', uid: 'u-1' } };

function ruleResult(status: RuleResult['status'], rule = 'check'): RuleResult {
  return { policy: 'require-labels', rule, status, message: `${status} message`, action: 'Audit', resource: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-1' } };
}

describe('PolicyReport contents', () => {
  const now = new Date('2026-11-26T12:00:00.250Z');
  const policies = parsePolicies([policyObject('require-labels', ['Pod'])]);

  test('one result per evaluated rule, skips left out, with the resource, category and severity', () => {
    const results = reportResults([ruleResult('fail'), ruleResult('skip', 'other'), ruleResult('pass', 'third')], pod, policies, { now });
    expect(results).toEqual([
      {
        policy: 'require-labels',
        rule: 'check',
        result: 'fail',
        message: 'fail message',
        resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'u-1' }],
        scored: true,
        source: 'slipway',
        timestamp: { seconds: 1795694400, nanos: 250_000_000 },
        category: 'Best Practices',
        severity: 'medium',
      },
      expect.objectContaining({ rule: 'third', result: 'pass' }),
    ]);
  });

  test('reports are named as Kyverno 1.7-1.9 names them', () => {
    expect([reportName('shop'), reportName('')]).toEqual(['polr-ns-shop', 'clusterpolicyreport']);
    const obj = reportObject('shop', reportResults([ruleResult('fail')], pod, policies, { now }));
    expect(obj).toMatchObject({
      apiVersion: 'wgpolicyk8s.io/v1alpha2',
      kind: 'PolicyReport',
      metadata: { name: 'polr-ns-shop', namespace: 'shop', labels: { 'app.kubernetes.io/managed-by': 'slipway' } },
      summary: { pass: 0, fail: 1, warn: 0, error: 0, skip: 0 },
    });
    expect(reportObject('', []).kind).toBe('ClusterPolicyReport');
  });

  const r = (name: string, rule: string, result: ReportResult['result'], seconds = 1): ReportResult => ({
    policy: 'p',
    rule,
    result,
    message: '',
    resources: [{ apiVersion: 'v1', kind: 'Pod', name, namespace: 'shop' }],
    scored: true,
    source: 'slipway',
    timestamp: { seconds, nanos: 0 },
  });

  test("a resource's new results replace its old ones; null removes them; others stay; output sorted", () => {
    const existing = [r('b', 'x', 'fail'), r('a', 'x', 'fail'), r('a', 'y', 'pass'), r('c', 'x', 'pass')];
    const merged = mergeResults(
      existing,
      new Map<string, ReportResult[] | null>([
        [resourceId({ apiVersion: 'v1', kind: 'Pod', name: 'a' }), [r('a', 'x', 'pass', 2)]],
        [resourceId({ apiVersion: 'v1', kind: 'Pod', name: 'c' }), null],
      ]),
    );
    expect(merged.map((m) => `${m.resources[0]!.name}/${m.rule}=${m.result}`)).toEqual(['a/x=pass', 'b/x=fail']);
    expect(summarize(merged)).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
  });

  test('a report keeps at most the newest results', () => {
    const many = Array.from({ length: 10 }, (_, i) => r(`p${i}`, 'x', 'fail', i));
    const merged = mergeResults(many, new Map(), 4);
    expect(merged.map((m) => m.resources[0]!.name)).toEqual(['p6', 'p7', 'p8', 'p9']);
  });

  test('resources are told apart by group, kind and name (not version)', () => {
    expect(resourceId({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'w' })).toBe(resourceId({ apiVersion: 'apps/v1beta2', kind: 'Deployment', name: 'w' }));
    expect(resourceId({ apiVersion: 'v1', kind: 'Pod', name: 'w' })).not.toBe(resourceId({ apiVersion: 'v1', kind: 'Service', name: 'w' }));
  });
});

describe('ValidatingWebhookConfiguration', () => {
  const served: ServedResource[] = [
    { group: '', version: 'v1', kind: 'Pod', resource: 'pods' },
    { group: '', version: 'v1', kind: 'Pod', resource: 'pods/status' },
    { group: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers' },
    { group: '', version: 'v1', kind: 'Event', resource: 'events' },
    { group: 'events.k8s.io', version: 'v1', kind: 'Event', resource: 'events' },
    { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments' },
    { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets' },
    { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets' },
    { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets' },
    { group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs' },
    { group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs' },
  ];
  const ops = ['CREATE', 'UPDATE'];

  test('a Pod policy covers Pods and, through autogen, the Pod controllers', () => {
    const kinds = policyKinds(parsePolicies([policyObject('require-labels', ['Pod'])]));
    expect(kinds).toEqual(expect.arrayContaining(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob']));
    expect(webhookRules(kinds, served, ops)).toEqual([
      { apiGroups: [''], apiVersions: ['*'], resources: ['pods', 'replicationcontrollers'], operations: ops, scope: '*' },
      { apiGroups: ['apps'], apiVersions: ['*'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], operations: ops, scope: '*' },
      { apiGroups: ['batch'], apiVersions: ['*'], resources: ['cronjobs', 'jobs'], operations: ops, scope: '*' },
    ]);
  });

  test('autogen-controllers: none keeps the rules to Pods', () => {
    const kinds = policyKinds(parsePolicies([policyObject('p', ['Pod'], { 'pod-policies.kyverno.io/autogen-controllers': 'none' })]));
    expect(webhookRules(kinds, served, ops)).toEqual([{ apiGroups: [''], apiVersions: ['*'], resources: ['pods'], operations: ops, scope: '*' }]);
  });

  test('group-qualified kinds pick their group; bare kinds every group that serves them', () => {
    expect(webhookRules(['events.k8s.io/v1/Event'], served, ops)).toEqual([{ apiGroups: ['events.k8s.io'], apiVersions: ['*'], resources: ['events'], operations: ops, scope: '*' }]);
    expect(webhookRules(['v1/Event'], served, ops).map((x) => x.apiGroups[0])).toEqual(['']);
    expect(webhookRules(['Event'], served, ops).map((x) => x.apiGroups[0])).toEqual(['', 'events.k8s.io']);
    expect(webhookRules(['Pod/status'], served, ops)[0]!.resources).toEqual(['pods/status']);
  });

  test('a wildcard or a kind the cluster does not serve widens the rule to everything', () => {
    const everything = [{ apiGroups: ['*'], apiVersions: ['*'], resources: ['*'], operations: ops, scope: '*' }];
    expect(webhookRules(policyKinds(parsePolicies([policyObject('p', ['*'])])), served, ops)).toEqual(everything);
    expect(webhookRules(['Widget'], served, ops)).toEqual(everything);
    expect(webhookRules([], served, ops)).toEqual([]);
  });

  test('the configuration: Fail validation webhook with the CA and URL, Ignore webhook for deletions', () => {
    const rules = webhookRules(['Pod'], served, ops);
    const cfg = webhookConfiguration({ target: { url: 'https://127.0.0.1:9443/validate' }, caCert: 'PEM', rules });
    const hooks = cfg.webhooks as Record<string, unknown>[];
    expect(cfg.metadata.name).toBe('slipway-policy');
    expect(hooks.map((h) => [h.name, h.failurePolicy, (h.rules as { operations: string[] }[])[0]!.operations])).toEqual([
      [VALIDATE_WEBHOOK_NAME, 'Fail', ['CREATE', 'UPDATE']],
      [CLEANUP_WEBHOOK_NAME, 'Ignore', ['DELETE']],
    ]);
    expect(hooks[0]).toMatchObject({
      admissionReviewVersions: ['v1'],
      sideEffects: 'NoneOnDryRun',
      clientConfig: { url: 'https://127.0.0.1:9443/validate', caBundle: Buffer.from('PEM').toString('base64') },
      namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['kube-system'] }] },
      timeoutSeconds: 10,
    });
    const inCluster = webhookConfiguration({ target: { service: { namespace: 'slipway-system', name: 'slipway-webhook' } }, caCert: 'PEM', rules, reportDeletions: false });
    expect((inCluster.webhooks as object[]).length).toBe(1);
    expect((inCluster.webhooks as Record<string, unknown>[])[0]).toMatchObject({
      clientConfig: { service: { namespace: 'slipway-system', name: 'slipway-webhook', path: '/validate', port: 443 } },
      namespaceSelector: defaultNamespaceSelector('slipway-system'),
    });
    expect(webhookConfiguration({ target: { url: 'https://x/validate' }, caCert: 'PEM', rules: [] }).webhooks).toEqual([]);
  });

  test('the CRDs are structural and keep the policy spec as written', () => {
    const crds = policyCrds();
    expect(crds.map((c) => c.metadata.name)).toEqual([
      'clusterpolicies.kyverno.io',
      'policies.kyverno.io',
      'policyreports.wgpolicyk8s.io',
      'clusterpolicyreports.wgpolicyk8s.io',
    ]);
    const spec = (c: KubeObject) => c.spec as { scope: string; versions: { name: string; storage: boolean; schema: { openAPIV3Schema: { properties: Record<string, Record<string, unknown>> } } }[] };
    expect(spec(crds[0]!).versions.map((v) => [v.name, v.storage])).toEqual([
      ['v1', true],
      ['v2beta1', false],
    ]);
    expect(spec(crds[0]!).versions[0]!.schema.openAPIV3Schema.properties.spec).toEqual({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
    expect(crds.map((c) => spec(c).scope)).toEqual(['Cluster', 'Namespaced', 'Namespaced', 'Cluster']);
  });
});

describe('loadPolicyFiles', () => {
  const files = {
    'policies/require-labels.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: require-labels\nspec:\n  rules: []\n',
    'policies/ns.yaml': 'apiVersion: kyverno.io/v2beta1\nkind: Policy\nmetadata:\n  name: p\n  namespace: team\nspec:\n  rules: []\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
    'policies/artifacthub-pkg.yml': 'name: require-labels\nversion: 1.0.0\n',
    'policies/.kyverno-test/kyverno-test.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: hidden\n',
    'policies/notes.txt': 'not yaml: [',
  };

  test('policies of a directory, other YAML and hidden directories passed over', () => {
    const objs = loadPolicyFiles(['policies'], memoryFileSystem(files));
    expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['Policy/p', 'ClusterPolicy/require-labels']);
  });

  test('a policy without a name, or YAML that does not parse, names its file', () => {
    expect(() => loadPolicyFiles(['x.yaml'], memoryFileSystem({ 'x.yaml': 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata: {}\n' }))).toThrow(/ClusterPolicy without metadata.name/);
    expect(() => loadPolicyFiles(['missing'], memoryFileSystem({}))).toThrow(/no such file/);
    try {
      loadPolicyFiles(['y.yaml'], memoryFileSystem({ 'y.yaml': 'a: [\n' }));
      expect.unreachable();
    } catch (e) {
      expect((e as { at?: { file: string } }).at?.file).toBe('y.yaml');
    }
  });
});
