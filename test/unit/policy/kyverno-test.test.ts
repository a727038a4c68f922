import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import {
  KyvernoTestError,
  admissionContextFor,
  compareResults,
  expectations,
  parseKyvernoTest,
  parseKyvernoUserInfo,
  parseKyvernoValues,
  reportStatus,
  resourceValues,
  ruleValues,
  summarize,
  withDefaultNamespace,
  type AppliedPolicy,
  type TestRun,
} from '../../../src/engines/policy/kyverno-test.js';
import type { ResourceRef, RuleResult, RuleStatus } from '../../../src/engines/policy/types.js';

const lines = (...l: string[]) => l.join('\n') + '\n';

describe('parseKyvernoTest', () => {
  test('the cli.kyverno.io/v1alpha1 Test format', () => {
    const t = parseKyvernoTest(
      lines(
        'apiVersion: cli.kyverno.io/v1alpha1',
        'kind: Test',
        'metadata:',
        '  name: require-labels',
        'policies:',
        '- ../require-labels.yaml',
        'resources:',
        '- resource.yaml',
        'variables: values.yaml',
        'userinfo: user.yaml',
        'results:',
        '- policy: require-labels',
        '  rule: check-for-labels',
        '  kind: Pod',
        '  resources: [badpod01, default/badpod02]',
        '  result: fail',
      ),
      'dir/kyverno-test.yaml',
    );
    expect(t.name).toBe('require-labels');
    expect(t.policies).toEqual(['../require-labels.yaml']);
    expect(t.resources).toEqual(['resource.yaml']);
    expect(t.variables).toBe('values.yaml');
    expect(t.userinfo).toBe('user.yaml');
    expect(t.results).toHaveLength(1);
    expect(t.results[0]).toMatchObject({ policy: 'require-labels', rule: 'check-for-labels', kind: 'Pod', resources: ['badpod01', 'default/badpod02'], result: 'fail' });
    expect(t.results[0]!.at).toEqual({ file: 'dir/kyverno-test.yaml', line: 12, column: 3 });
    expect(t.unsupported).toEqual([]);
  });

  test('the older kind-less format: name, resource, status, namespace', () => {
    const t = parseKyvernoTest(
      lines('name: old', 'policies: [p.yaml]', 'resources: [r.yaml]', 'results:', '- policy: p', '  rule: r', '  resource: web', '  namespace: prod', '  kind: Deployment', '  status: skip'),
      'kyverno-test.yaml',
    );
    expect(t.name).toBe('old');
    expect(t.results[0]).toMatchObject({ resources: ['web'], namespace: 'prod', result: 'skip', kind: 'Deployment' });
  });

  test('ValidatingAdmissionPolicy rows need no rule and are marked; checks and exceptions are listed as not run', () => {
    const t = parseKyvernoTest(
      lines(
        'apiVersion: cli.kyverno.io/v1alpha1',
        'kind: Test',
        'metadata: {name: vap}',
        'policies: [p.yaml]',
        'resources: [r.yaml]',
        'exceptions: [e.yaml]',
        'results:',
        '- policy: check-replicas',
        '  isValidatingAdmissionPolicy: true',
        '  kind: Deployment',
        '  resources: [web]',
        '  result: pass',
      ),
      'x.yaml',
    );
    expect(t.results[0]!.admissionPolicy).toBe('isValidatingAdmissionPolicy');
    expect(t.results[0]!.rule).toBe('');
    expect(t.unsupported).toEqual([{ field: 'exceptions', at: { file: 'x.yaml', line: 6, column: 13 } }]);
  });

  test('inline values are read like a values file', () => {
    const t = parseKyvernoTest(
      lines('name: v', 'policies: [p.yaml]', 'resources: [r.yaml]', 'values:', '  globalValues:', '    request.operation: UPDATE', 'results: []'),
      'x.yaml',
    );
    expect(t.values?.globalValues).toEqual({ 'request.operation': 'UPDATE' });
  });

  test.each([
    [lines('name: t', 'results:', '- policy: p', '  rule: r', '  kind: Pod', '  resources: [a]', '  result: passed'), 'x.yaml:7:11: Kyverno test: results[0].result must be one of pass, fail, warn, error, skip, found "passed"'],
    [lines('name: t', 'results:', '- policy: p', '  kind: Pod', '  resources: [a]', '  result: pass'), 'x.yaml:3:3: Kyverno test: missing required field "results[0].rule"'],
    [lines('name: t', 'results:', '- policy: p', '  rule: r', '  kind: Pod', '  result: pass'), 'x.yaml:3:3: Kyverno test: results[0].resources: name at least one resource'],
    [lines('name: t', 'policies: p.yaml'), 'x.yaml:2:11: Kyverno test: policies must be a list, found string "p.yaml"'],
    [lines('apiVersion: cli.kyverno.io/v1alpha1', 'kind: Values'), 'x.yaml:2:7: Kyverno test: kind must be Test, found string "Values"'],
    ['', 'x.yaml:1: Kyverno test: the file is empty'],
  ])('a bad test file names file, line and field (%#)', (text, message) => {
    let err: unknown;
    try {
      parseKyvernoTest(text, 'x.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KyvernoTestError);
    const e = err as KyvernoTestError;
    expect(`${[e.at?.file, e.at?.line, e.at?.column].filter((x) => x !== undefined).join(':')}: ${e.message}`).toBe(message);
  });
});

describe('values and user info', () => {
  const values = parseKyvernoValues(
    lines(
      'apiVersion: cli.kyverno.io/v1alpha1',
      'kind: Values',
      'globalValues:',
      '  request.operation: UPDATE',
      '  env: prod',
      'policies:',
      '- name: check-sa',
      '  rules:',
      '  - name: check-sa',
      '    values:',
      '      allowed: [a, b]',
      '  resources:',
      '  - name: badpod01',
      '    values:',
      '      serviceAccountName: safe',
      '      env: test',
      'namespaceSelector:',
      '- name: prod',
      '  labels: {tier: gold}',
      'namespaces:',
      '- apiVersion: v1',
      '  kind: Namespace',
      '  metadata:',
      '    name: dev',
      '    labels: {tier: bronze}',
    ),
    'values.yaml',
  );

  test('global values, then the policy values of that resource', () => {
    expect(resourceValues(values, 'check-sa', 'badpod01')).toEqual({ 'request.operation': 'UPDATE', env: 'test', serviceAccountName: 'safe' });
    expect(resourceValues(values, 'check-sa', 'goodpod01')).toEqual({ 'request.operation': 'UPDATE', env: 'prod' });
    expect(resourceValues(values, 'other', 'badpod01')).toEqual({ 'request.operation': 'UPDATE', env: 'prod' });
    expect(resourceValues(undefined, 'p', 'r')).toEqual({});
  });

  test('rule values apply to the rule and its autogen variants', () => {
    expect(ruleValues(values, 'check-sa', 'check-sa')).toEqual({ allowed: ['a', 'b'] });
    expect(ruleValues(values, 'check-sa', 'autogen-cronjob-check-sa')).toEqual({ allowed: ['a', 'b'] });
    expect(ruleValues(values, 'check-sa', 'other')).toBeUndefined();
  });

  test('namespace labels from namespaceSelector and namespaces', () => {
    expect(values.namespaceLabels).toEqual({ prod: { tier: 'gold' }, dev: { tier: 'bronze' } });
  });

  test('the kind-less values format', () => {
    const v = parseKyvernoValues(lines('policies:', '- name: p', '  resources:', '  - name: r', '    values: {x: 1}'), 'v.yaml');
    expect(resourceValues(v, 'p', 'r')).toEqual({ x: 1 });
  });

  test('a bad values file names its line', () => {
    expect(() => parseKyvernoValues(lines('policies:', '- rules: []'), 'v.yaml')).toThrow(/policies\[0\]: missing required field|missing required field "policies\[0\].name"/);
  });

  test('user info, both formats', () => {
    const u = parseKyvernoUserInfo(
      lines('apiVersion: cli.kyverno.io/v1alpha1', 'kind: UserInfo', 'metadata: {name: u}', 'clusterRoles: [cluster-admin]', 'userInfo:', '  username: system:serviceaccount:ns:sa', '  groups: [system:masters]'),
      'u.yaml',
    );
    expect(u).toEqual({ userInfo: { username: 'system:serviceaccount:ns:sa', groups: ['system:masters'] }, roles: [], clusterRoles: ['cluster-admin'] });
    expect(parseKyvernoUserInfo(lines('roles: [ns:dev]'), 'u.yaml')).toEqual({ roles: ['ns:dev'], clusterRoles: [] });
  });

  test('the admission context of a resource: operation, old object, user, namespace labels, variables', () => {
    const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'prod' } };
    const ctx = admissionContextFor(pod, resourceValues(values, 'check-sa', 'p'), {
      userInfo: { userInfo: { username: 'alice' }, roles: [], clusterRoles: ['admin'] },
      namespaceLabels: values.namespaceLabels,
    });
    expect(ctx).toEqual({
      operation: 'UPDATE',
      oldObject: pod,
      userInfo: { username: 'alice' },
      clusterRoles: ['admin'],
      namespaceLabels: { tier: 'gold' },
      variables: { 'request.operation': 'UPDATE', env: 'prod' },
    });
    expect(admissionContextFor(pod, {})).toEqual({ operation: 'CREATE' });
  });

  test('namespaced resources without a namespace are in default; cluster-scoped ones stay without', () => {
    expect(withDefaultNamespace({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }).metadata.namespace).toBe('default');
    expect(withDefaultNamespace({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } }).metadata.namespace).toBeUndefined();
    expect(withDefaultNamespace({ apiVersion: 'cert-manager.io/v1', kind: 'ClusterIssuer', metadata: { name: 'i' } }).metadata.namespace).toBeUndefined();
    expect(withDefaultNamespace({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'x' } }).metadata.namespace).toBe('x');
  });
});

describe('compareResults', () => {
  const ref = (kind: string, name: string, namespace?: string): ResourceRef => ({ apiVersion: kind === 'Deployment' || kind === 'CronJob' ? 'apps/v1' : 'v1', kind, name, ...(namespace && { namespace }) });
  const result = (policy: string, rule: string, resource: ResourceRef, status: RuleStatus, extra: Partial<RuleResult> = {}): RuleResult => ({
    policy,
    rule,
    resource,
    status,
    message: status === 'fail' ? `validation error: bad. rule ${rule} failed at path /metadata/labels/` : '',
    action: 'Audit',
    ...extra,
  });
  const pol = (name: string, extra: Partial<AppliedPolicy> = {}): AppliedPolicy => ({ name, scored: true, validates: true, ...extra });
  const test1 = parseKyvernoTest(
    lines(
      'name: t',
      'results:',
      '- {policy: require-labels, rule: check, kind: Pod, resources: [bad, good], result: fail}',
      '- {policy: require-labels, rule: check, kind: Deployment, resources: [web], result: fail}',
      '- {policy: require-labels, rule: check, kind: Pod, resources: [default/good], result: pass}',
      '- {policy: require-labels, rule: check, kind: Pod, resources: [system-pod], result: skip}',
      '- {policy: require-labels, rule: check, kind: Pod, resources: [missing], result: pass}',
      '- {policy: nope, rule: check, kind: Pod, resources: [bad], result: pass}',
    ),
    't.yaml',
  );
  const bad = ref('Pod', 'bad', 'default');
  const good = ref('Pod', 'good', 'default');
  const web = ref('Deployment', 'web', 'default');
  const sys = ref('Pod', 'system-pod', 'kube-system');
  const run: TestRun = {
    policies: [pol('require-labels')],
    resources: [bad, good, web, sys],
    results: [
      result('require-labels', 'check', bad, 'fail'),
      result('require-labels', 'check', good, 'pass'),
      result('require-labels', 'autogen-check', web, 'fail', { autogen: true }),
    ],
  };

  test('one outcome per result entry and resource, judged as kyverno test does', () => {
    expect(expectations(test1)).toHaveLength(7);
    const outcomes = compareResults(test1, run);
    expect(outcomes.map((o) => [o.expectation.resource, o.passed, o.reason])).toEqual([
      ['bad', true, 'Ok'],
      ['good', false, 'Want fail, got pass'],
      ['web', true, 'Ok'], // autogen-check answers for rule check on a Deployment
      ['default/good', true, 'Ok'],
      ['system-pod', true, 'Excluded'], // evaluated, no rule result: Kyverno counts it as a pass
      ['missing', false, 'Not found'],
      ['bad', false, 'Not found'], // no such policy
    ]);
    expect(outcomes[0]!.message).toBe('validation error: bad. rule check failed at path /metadata/labels/');
    expect(outcomes[2]!.rules).toEqual(['autogen-check']);
    expect(summarize(outcomes)).toEqual({ passed: 4, total: 7, notApplicable: 0 });
  });

  test('a resource named namespace/name must be in that namespace', () => {
    const t = parseKyvernoTest(lines('name: t', 'results:', '- {policy: require-labels, rule: check, kind: Pod, resources: [prod/good], result: pass}'), 't.yaml');
    expect(compareResults(t, run)[0]!.reason).toBe('Not found');
  });

  test('the deprecated namespace field filters resources', () => {
    const t = parseKyvernoTest(lines('name: t', 'results:', '- {policy: require-labels, rule: check, kind: Pod, resource: bad, namespace: prod, status: fail}'), 't.yaml');
    expect(compareResults(t, run)[0]!.reason).toBe('Not found');
  });

  test('every matching rule result must agree (a rule and its autogen variants on one resource)', () => {
    const t = parseKyvernoTest(lines('name: t', 'results:', '- {policy: p, rule: r, kind: CronJob, resources: [cj], result: pass}'), 't.yaml');
    const cj = ref('CronJob', 'cj', 'default');
    const outcomes = compareResults(t, {
      policies: [pol('p')],
      resources: [cj],
      results: [result('p', 'autogen-r', cj, 'pass'), result('p', 'autogen-cronjob-r', cj, 'fail')],
    });
    expect(outcomes[0]).toMatchObject({ passed: false, reason: 'Want pass, got fail', actual: ['pass', 'fail'] });
  });

  test('namespaced policies are named namespace/name, or by name alone', () => {
    const t = parseKyvernoTest(
      lines('name: t', 'results:', '- {policy: team/p, rule: r, kind: Pod, resources: [bad], result: fail}', '- {policy: p, rule: r, kind: Pod, resources: [bad], result: fail}', '- {policy: other/p, rule: r, kind: Pod, resources: [bad], result: fail}'),
      't.yaml',
    );
    const outcomes = compareResults(t, { policies: [pol('p', { namespace: 'team' })], resources: [bad], results: [result('p', 'r', bad, 'fail', { policyNamespace: 'team' })] });
    expect(outcomes.map((o) => o.reason)).toEqual(['Ok', 'Ok', 'Not found']);
  });

  test('an unscored policy reports failures as warn; --audit-warn turns Audit failures into warn', () => {
    const r = result('p', 'r', bad, 'fail');
    expect(reportStatus(r, pol('p'))).toBe('fail');
    expect(reportStatus(r, pol('p', { scored: false }))).toBe('warn');
    expect(reportStatus(r, pol('p'), true)).toBe('warn');
    expect(reportStatus({ ...r, action: 'Enforce' }, pol('p'), true)).toBe('fail');
    const t = parseKyvernoTest(lines('name: t', 'results:', '- {policy: p, rule: r, kind: Pod, resources: [bad], result: warn}'), 't.yaml');
    expect(compareResults(t, { policies: [pol('p', { scored: false })], resources: [bad], results: [r] })[0]!.passed).toBe(true);
  });

  test('a policy without validate rules is not found (Kyverno makes no validate response for it)', () => {
    const t = parseKyvernoTest(lines('name: t', 'results:', '- {policy: p, rule: r, kind: Pod, resources: [bad], result: skip}'), 't.yaml');
    expect(compareResults(t, { policies: [pol('p', { validates: false })], resources: [bad], results: [] })[0]!.reason).toBe('Not found');
  });

  test('admission-policy and mutate/generate rows are not applicable and not counted', () => {
    const t = parseKyvernoTest(
      lines(
        'name: t',
        'results:',
        '- {policy: vap, isValidatingAdmissionPolicy: true, kind: Pod, resources: [bad], result: pass}',
        '- {policy: p, rule: m, kind: Pod, resources: [bad], patchedResource: patched.yaml, result: pass}',
        '- {policy: p, rule: r, kind: Pod, resources: [bad], result: fail}',
      ),
      't.yaml',
    );
    const outcomes = compareResults(t, { policies: [pol('p')], resources: [bad], results: [result('p', 'r', bad, 'fail')] });
    expect(outcomes.map((o) => o.reason)).toEqual(['Not applicable', 'Not applicable', 'Ok']);
    expect(outcomes[0]!.notApplicable).toMatch(/ValidatingAdmissionPolicy/);
    expect(outcomes[1]!.notApplicable).toMatch(/patchedResource/);
    expect(summarize(outcomes)).toEqual({ passed: 1, total: 1, notApplicable: 2 });
  });
});
