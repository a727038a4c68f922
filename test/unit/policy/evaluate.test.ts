import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/core/index.js';
import { applyPolicies, applyPolicy, parsePolicy } from '../../../src/engines/policy/index.js';
import type { Policy } from '../../../src/engines/policy/index.js';

const CORPUS = '/work/shared/corpus/kyverno';

function loadYaml(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as KubeObject)
    .filter((o) => o && typeof o === 'object');
}

function policy(rules: unknown[], spec: Record<string, unknown> = {}, meta: Record<string, unknown> = {}): Policy {
  return parsePolicy({ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p', ...meta }, spec: { rules, ...spec } } as KubeObject);
}

function pod(name: string, labels: Record<string, string> = {}, spec: Record<string, unknown> = { containers: [{ name: 'c', image: 'nginx:1.25' }] }): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec };
}

function deployment(name: string, labels: Record<string, string>, image = 'nginx:1.25'): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image }] } } },
  };
}

const podMatch = { any: [{ resources: { kinds: ['Pod'] } }] };
const requireLabel = policy([
  { name: 'check-for-labels', match: podMatch, validate: { message: 'The label `app.kubernetes.io/name` is required.', pattern: { metadata: { labels: { 'app.kubernetes.io/name': '?*' } } } } },
]);

describe('applyPolicy: patterns', () => {
  it('passes and fails with Kyverno messages', () => {
    const good = applyPolicy(requireLabel, pod('good', { 'app.kubernetes.io/name': 'web' }));
    expect(good).toEqual([
      {
        policy: 'p',
        rule: 'check-for-labels',
        resource: { apiVersion: 'v1', kind: 'Pod', name: 'good', namespace: 'default' },
        status: 'pass',
        message: "validation rule 'check-for-labels' passed.",
        action: 'Audit',
      },
    ]);
    const bad = applyPolicy(requireLabel, pod('bad'));
    expect(bad).toHaveLength(1);
    expect(bad[0]!.status).toBe('fail');
    expect(bad[0]!.message).toBe('validation error: The label `app.kubernetes.io/name` is required. rule check-for-labels failed at path /metadata/labels/app.kubernetes.io/name/');
  });

  it('adds a period to the message when missing, and has a default without one', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { message: 'need {{ request.object.metadata.name }} labelled', pattern: { metadata: { labels: { a: '?*' } } } } }]);
    expect(applyPolicy(p, pod('x'))[0]!.message).toBe('validation error: need x labelled. rule r failed at path /metadata/labels/a/');
    const q = policy([{ name: 'r', match: podMatch, validate: { pattern: { metadata: { labels: { a: '?*' } } } } }]);
    expect(applyPolicy(q, pod('x'))[0]!.message).toBe('validation error: rule r failed at path /metadata/labels/a/');
  });

  it('gives no result for resources the rule does not match', () => {
    expect(applyPolicy(requireLabel, { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })).toEqual([]);
    expect(applyPolicy(requireLabel, {} as KubeObject)).toEqual([]);
  });

  it('applies autogen rules to controllers (pattern under spec.template)', () => {
    const ok = applyPolicy(requireLabel, deployment('d', { 'app.kubernetes.io/name': 'web' }));
    expect(ok.map((r) => [r.rule, r.status, r.autogen])).toEqual([['autogen-check-for-labels', 'pass', true]]);
    const bad = applyPolicy(requireLabel, deployment('d', { app: 'web' }));
    expect(bad[0]!.message).toBe('validation error: The label `app.kubernetes.io/name` is required. rule autogen-check-for-labels failed at path /spec/template/metadata/labels/app.kubernetes.io/name/');
    const cron: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'c', namespace: 'default' },
      spec: { schedule: '* * * * *', jobTemplate: { spec: { template: { metadata: { labels: {} }, spec: { containers: [] } } } } },
    };
    const cr = applyPolicy(requireLabel, cron);
    expect(cr.map((r) => [r.rule, r.status])).toEqual([['autogen-cronjob-check-for-labels', 'fail']]);
    expect(cr[0]!.message).toContain('failed at path /spec/jobTemplate/spec/template/metadata/labels/');
  });

  it('anyPattern: passes on the first match, else lists each failure', () => {
    const p = policy([
      {
        name: 'probes',
        match: podMatch,
        validate: {
          message: 'Either a liveness or a readiness probe is needed for {{ request.object.metadata.name }}',
          anyPattern: [{ spec: { containers: [{ livenessProbe: { periodSeconds: '>0' } }] } }, { spec: { containers: [{ readinessProbe: { periodSeconds: '>0' } }] } }],
        },
      },
    ]);
    const fail = applyPolicy(p, pod('x'));
    expect(fail[0]!.status).toBe('fail');
    expect(fail[0]!.message).toBe(
      'validation error: Either a liveness or a readiness probe is needed for x. rule probes[0] failed at path /spec/containers/0/livenessProbe/ rule probes[1] failed at path /spec/containers/0/readinessProbe/',
    );
    const pass = applyPolicy(p, pod('y', {}, { containers: [{ name: 'c', readinessProbe: { periodSeconds: 5 } }] }));
    expect(pass[0]).toMatchObject({ status: 'pass', message: "validation rule 'probes' anyPattern[1] passed." });
  });

  it('a conditional anchor that does not hold skips the rule', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { pattern: { metadata: { '(name)': 'special-*' }, spec: { hostNetwork: false } } } }]);
    expect(applyPolicy(p, pod('plain'))[0]!.status).toBe('skip');
    expect(applyPolicy(p, pod('special-1', {}, { hostNetwork: true }))[0]!.status).toBe('fail');
  });

  it('substitutes variables in patterns; an unresolvable one is an error', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { pattern: { metadata: { labels: { owner: '{{ request.userInfo.username }}' } } } } }]);
    const withUser = applyPolicy(p, pod('x', { owner: 'alice' }), { operation: 'CREATE', userInfo: { username: 'alice' } });
    expect(withUser[0]!.status).toBe('pass');
    const without = applyPolicy(p, pod('x', { owner: 'alice' }));
    expect(without[0]!.status).toBe('error');
    expect(without[0]!.message).toBe('variable substitution failed: variable request.userInfo.username not resolved at path /validate/pattern/metadata/labels/owner');
  });

  it('does not validate patterns on DELETE', () => {
    expect(applyPolicy(requireLabel, pod('bad'), { operation: 'DELETE' })).toEqual([]);
  });
});

describe('applyPolicy: preconditions, deny, context', () => {
  const deny = policy(
    [
      {
        name: 'block-updates-deletes',
        match: { any: [{ resources: { kinds: ['Service'], selector: { matchLabels: { protected: 'true' } } } }] },
        exclude: { any: [{ clusterRoles: ['cluster-admin'] }] },
        validate: {
          message: 'Service {{ request.object.metadata.name }} is protected.',
          deny: { conditions: { any: [{ key: "{{request.operation || 'BACKGROUND'}}", operator: 'AnyIn', value: ['DELETE', 'UPDATE'] }] } },
        },
      },
    ],
    { validationFailureAction: 'Enforce', background: false },
  );
  const svc: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'db', namespace: 'default', labels: { protected: 'true' } } };

  it('deny conditions fail with the substituted message, else pass', () => {
    expect(applyPolicy(deny, svc, { operation: 'CREATE' })[0]).toMatchObject({ status: 'pass', message: "validation rule 'block-updates-deletes' passed.", action: 'Enforce' });
    expect(applyPolicy(deny, svc, { operation: 'UPDATE' })[0]).toMatchObject({ status: 'fail', message: 'Service db is protected.', action: 'Enforce' });
    expect(applyPolicy(deny, svc, { operation: 'DELETE' })[0]!.status).toBe('fail');
    // a cluster-admin is excluded: no result
    expect(applyPolicy(deny, svc, { operation: 'DELETE', userInfo: { username: 'root' }, clusterRoles: ['cluster-admin'] })).toEqual([]);
  });

  it('condition messages join the rule message (deny) and the skip reason (preconditions)', () => {
    const p = policy([
      {
        name: 'r',
        match: podMatch,
        preconditions: { all: [{ key: '{{ request.object.metadata.name }}', operator: 'NotEquals', value: 'skip-me', message: 'named skip-me' }] },
        validate: {
          message: 'no {{ request.object.metadata.name }}',
          deny: { conditions: { any: [{ key: '{{ request.object.metadata.labels.team || "" }}', operator: 'Equals', value: '', message: 'team label missing' }] } },
        },
      },
    ]);
    expect(applyPolicy(p, pod('skip-me'))[0]).toMatchObject({ status: 'skip', message: 'preconditions not met; named skip-me' });
    expect(applyPolicy(p, pod('x'))[0]).toMatchObject({ status: 'fail', message: 'no x; team label missing' });
    const q = policy([{ name: 'r', match: podMatch, validate: { deny: { conditions: { all: [{ key: 'a', operator: 'Equals', value: 'a', message: 'always' }] } } } }]);
    expect(applyPolicy(q, pod('x'))[0]!.message).toBe('always');
  });

  it('Enforce rules skip on UPDATE when the old object already failed (allowExistingViolations)', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { message: 'm', pattern: { metadata: { labels: { team: '?*' } } } } }], { validationFailureAction: 'Enforce' });
    const bad = pod('x');
    expect(applyPolicy(p, bad, { operation: 'UPDATE', oldObject: pod('x') })[0]).toMatchObject({
      status: 'skip',
      message: 'skipping the rule evaluation as pre-existing violations are allowed',
    });
    // a new violation still fails
    expect(applyPolicy(p, bad, { operation: 'UPDATE', oldObject: pod('x', { team: 'a' }) })[0]!.status).toBe('fail');
    // opted out, or Audit: the failure stands
    const strict = policy([{ name: 'r', match: podMatch, validate: { allowExistingViolations: false, pattern: { metadata: { labels: { team: '?*' } } } } }], { validationFailureAction: 'Enforce' });
    expect(applyPolicy(strict, bad, { operation: 'UPDATE', oldObject: pod('x') })[0]!.status).toBe('fail');
    const audit = policy([{ name: 'r', match: podMatch, validate: { pattern: { metadata: { labels: { team: '?*' } } } } }]);
    expect(applyPolicy(audit, bad, { operation: 'UPDATE', oldObject: pod('x') })[0]!.status).toBe('fail');
  });

  it('a deny without message has Kyverno default', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { deny: {} } }]);
    expect(applyPolicy(p, pod('x'))[0]).toMatchObject({ status: 'fail', message: 'validation error: rule r failed' });
  });

  it('preconditions that do not hold skip the rule', () => {
    const p = policy([
      {
        name: 'r',
        match: podMatch,
        preconditions: { all: [{ key: '{{ request.object.metadata.labels.tier || "" }}', operator: 'Equals', value: 'front' }] },
        validate: { message: 'm', pattern: { spec: { hostNetwork: false } } },
      },
    ]);
    expect(applyPolicy(p, pod('x'))[0]).toMatchObject({ status: 'skip', message: 'preconditions not met' });
    expect(applyPolicy(p, pod('x', { tier: 'front' }, { hostNetwork: false }))[0]!.status).toBe('pass');
  });

  it('context variables (value, jmesPath, default) feed conditions', () => {
    const p = policy([
      {
        name: 'r',
        match: podMatch,
        context: [
          { name: 'limit', variable: { value: 2 } },
          { name: 'count', variable: { jmesPath: 'request.object.spec.containers | length(@)' } },
          { name: 'team', variable: { jmesPath: 'request.object.metadata.labels.team', default: 'none' } },
        ],
        validate: {
          message: '{{ count }} containers for team {{ team }}, at most {{ limit }}',
          deny: { conditions: { all: [{ key: '{{ count }}', operator: 'GreaterThan', value: '{{ limit }}' }] } },
        },
      },
    ]);
    const three = pod('x', {}, { containers: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] });
    expect(applyPolicy(p, three)[0]).toMatchObject({ status: 'fail', message: '3 containers for team none, at most 2' });
    expect(applyPolicy(p, pod('y'))[0]!.status).toBe('pass');
  });

  it('context entries belong to their rule', () => {
    const p = policy([
      { name: 'a', match: podMatch, context: [{ name: 'team.name', variable: { value: 'red' } }], validate: { deny: { conditions: { any: [{ key: '{{ team.name }}', operator: 'Equals', value: 'red' }] } } } },
      { name: 'b', match: podMatch, validate: { deny: { conditions: { any: [{ key: '{{ team.name }}', operator: 'Equals', value: 'red' }] } } } },
    ]);
    expect(applyPolicy(p, pod('x')).map((r) => `${r.rule}:${r.status}`)).toEqual(['a:fail', 'b:pass']);
  });

  it('context entries that need a cluster are an error unless the caller passes them', () => {
    const p = policy([
      {
        name: 'r',
        match: podMatch,
        context: [{ name: 'cm', configMap: { name: 'allowed', namespace: 'default' } }],
        validate: { deny: { conditions: { any: [{ key: '{{ request.object.metadata.name }}', operator: 'AnyNotIn', value: '{{ cm.data.names }}' }] } } },
      },
    ]);
    const r = applyPolicy(p, pod('x'));
    expect(r[0]!.status).toBe('error');
    expect(r[0]!.message).toBe('failed to load context: context entry cm (configMap) needs a cluster; pass its value as a variable');
    const given = applyPolicy(p, pod('x'), { operation: 'CREATE', variables: { 'cm.data.names': '["x","y"]' } });
    expect(given[0]!.status).toBe('pass');
  });

  it('per-rule variables stand in for context entries of that rule (and its autogen rules)', () => {
    const p = policy([
      { name: 'a', match: podMatch, context: [{ name: 'cm', configMap: { name: 'x', namespace: 'y' } }], validate: { deny: { conditions: { any: [{ key: '{{ cm.data.block }}', operator: 'Equals', value: 'yes' }] } } } },
      { name: 'b', match: podMatch, validate: { deny: { conditions: { any: [{ key: '{{ cm.data.block || "no" }}', operator: 'Equals', value: 'yes' }] } } } },
    ]);
    const values: Record<string, Record<string, unknown>> = { a: { 'cm.data.block': 'yes' }, 'autogen-a': { 'cm.data.block': 'no' } };
    const r = applyPolicy(p, pod('x'), undefined, { ruleVariables: (rule) => values[rule] });
    expect(r.map((x) => `${x.rule}:${x.status}`)).toEqual(['a:fail', 'b:pass']);
    const d = applyPolicy(p, deployment('d', {}), { operation: 'CREATE' }, { ruleVariables: (rule) => values[rule] });
    expect(d.map((x) => `${x.rule}:${x.status}`)).toEqual(['autogen-a:pass', 'autogen-b:pass']);
  });

  it('a background scan skips rules about the request user', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { deny: { conditions: { any: [{ key: '{{ request.userInfo.username }}', operator: 'Equals', value: 'mallory' }] } } } }]);
    expect(applyPolicy(p, pod('x'), { operation: 'CREATE', background: true })[0]!.status).toBe('skip');
    expect(applyPolicy(p, pod('x'), { operation: 'CREATE', userInfo: { username: 'mallory' } })[0]!.status).toBe('fail');
  });

  it('the rule failureAction overrides the policy one', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { failureAction: 'Enforce', deny: {} } }], { validationFailureAction: 'Audit' });
    expect(applyPolicy(p, pod('x'))[0]!.action).toBe('Enforce');
  });

  it('validationFailureActionOverrides set the action per namespace', () => {
    const p = policy([{ name: 'r', match: podMatch, validate: { deny: {} } }], {
      validationFailureAction: 'Enforce',
      validationFailureActionOverrides: [
        { action: 'audit', namespaces: ['dev-*'] },
        { action: 'Audit', namespaceSelector: { matchLabels: { env: 'sandbox' } } },
      ],
    });
    const inNs = (ns: string): KubeObject => ({ ...pod('x'), metadata: { name: 'x', namespace: ns } });
    expect(applyPolicy(p, inNs('dev-1'))[0]!.action).toBe('Audit');
    expect(applyPolicy(p, inNs('prod'))[0]!.action).toBe('Enforce');
    expect(applyPolicy(p, inNs('prod'), { operation: 'CREATE', namespaceLabels: { env: 'sandbox' } })[0]!.action).toBe('Audit');
    const rule = policy([{ name: 'r', match: podMatch, validate: { failureAction: 'Audit', failureActionOverrides: [{ action: 'Enforce', namespaces: ['prod'] }], deny: {} } }]);
    expect(applyPolicy(rule, inNs('prod'))[0]!.action).toBe('Enforce');
    expect(applyPolicy(rule, inNs('dev'))[0]!.action).toBe('Audit');
  });

  it('applyRules: One stops after the first rule that applied', () => {
    const rules = [
      { name: 'skipped', match: podMatch, preconditions: { all: [{ key: 'a', operator: 'Equals', value: 'b' }] }, validate: { deny: {} } },
      { name: 'first', match: podMatch, validate: { deny: {} } },
      { name: 'second', match: podMatch, validate: { deny: {} } },
    ];
    expect(applyPolicy(policy(rules, { applyRules: 'One' }), pod('x')).map((r) => r.rule)).toEqual(['skipped', 'first']);
    expect(applyPolicy(policy(rules), pod('x')).map((r) => r.rule)).toEqual(['skipped', 'first', 'second']);
  });

  it('other rule types give skip results', () => {
    const p = policy([{ name: 'm', match: podMatch, mutate: { patchStrategicMerge: { metadata: { labels: { a: 'b' } } } } }]);
    expect(applyPolicy(p, pod('x'))).toMatchObject([{ rule: 'm', status: 'skip' }]);
  });

  it('foreach validates each element', () => {
    const p = policy([
      {
        name: 'no-latest',
        match: podMatch,
        validate: {
          message: 'no latest',
          foreach: [{ list: 'request.object.spec.containers', deny: { conditions: { any: [{ key: '{{ element.image }}', operator: 'Equals', value: '*:latest' }] } } }],
        },
      },
    ]);
    expect(applyPolicy(p, pod('a'))[0]!.status).toBe('pass');
    const bad = applyPolicy(p, pod('b', {}, { containers: [{ name: 'x', image: 'a:1' }, { name: 'y', image: 'b:latest' }] }));
    expect(bad[0]).toMatchObject({ status: 'fail', message: 'validation failure: no latest' });
  });

  it('foreach patterns apply to object elements', () => {
    const p = policy([
      {
        name: 'ports',
        match: podMatch,
        validate: { message: 'no host ports', foreach: [{ list: 'request.object.spec.containers', pattern: { name: '?*', '=(ports)': [{ 'X(hostPort)': 'null' }] } }] },
      },
    ]);
    const withPorts = (ports: unknown[]) => pod('p', {}, { containers: [{ name: 'c', ports }] });
    const bad = applyPolicy(p, withPorts([{ containerPort: 80, hostPort: 80 }]));
    expect(bad[0]).toMatchObject({ status: 'fail', message: 'validation failure: validation error: no host ports. rule ports failed at path /ports/0/hostPort/' });
    expect(applyPolicy(p, withPorts([{ containerPort: 80 }]))[0]!.status).toBe('pass');
  });

  it('nested foreach sees each level as element0, element1 (and element as the innermost)', () => {
    const p = policy([
      {
        name: 'same-port',
        match: podMatch,
        validate: {
          message: 'm',
          foreach: [
            {
              list: 'request.object.spec.containers',
              foreach: [{ list: 'element.ports', deny: { conditions: { all: [{ key: '{{ element1.containerPort }}', operator: 'Equals', value: '{{ element0.ports[0].containerPort }}' }, { key: '{{ element.containerPort }}', operator: 'Equals', value: 80 }] } } }],
            },
          ],
        },
      },
    ]);
    const r = applyPolicy(p, pod('p', {}, { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }));
    expect(r[0]).toMatchObject({ status: 'fail', message: 'validation failure: validation failure: m' });
    expect(applyPolicy(p, pod('p', {}, { containers: [{ name: 'c', ports: [{ containerPort: 81 }] }] }))[0]!.status).toBe('pass');
  });

  it('a namespaced Policy reports its namespace and applies in it only', () => {
    const p = parsePolicy({ apiVersion: 'kyverno.io/v1', kind: 'Policy', metadata: { name: 'np', namespace: 'default' }, spec: { rules: [{ name: 'r', match: podMatch, validate: { deny: {} } }] } } as KubeObject);
    expect(applyPolicy(p, pod('x'))[0]).toMatchObject({ policy: 'np', policyNamespace: 'default' });
    expect(applyPolicy(p, { ...pod('x'), metadata: { name: 'x', namespace: 'other' } })).toEqual([]);
  });

  it('applyPolicies runs every policy on every resource', () => {
    const results = applyPolicies([requireLabel, deny], [pod('a'), svc, deployment('d', {})], { operation: 'UPDATE' });
    expect(results.map((r) => `${r.policy}/${r.rule}/${r.resource.name}:${r.status}`)).toEqual([
      'p/check-for-labels/a:fail',
      'p/block-updates-deletes/db:fail',
      'p/autogen-check-for-labels/d:fail',
    ]);
  });
});

describe('corpus policies on their test resources', () => {
  function run(dir: string, file: string): Record<string, string> {
    const p = parsePolicy(loadYaml(`${CORPUS}/${dir}/${file}`)[0]!);
    const out: Record<string, string> = {};
    for (const r of loadYaml(`${CORPUS}/${dir}/.kyverno-test/resource.yaml`)) {
      for (const res of applyPolicy(p, r)) out[`${r.kind}/${r.metadata.name}/${res.rule}`] = res.status;
    }
    return out;
  }

  /** The expected results of the corpus test file, for tests without values files. */
  function expected(dir: string): Record<string, string> {
    const test = loadYaml(`${CORPUS}/${dir}/.kyverno-test/kyverno-test.yaml`)[0] as unknown as { results: { kind: string; rule: string; resources: string[]; result: string }[] };
    const out: Record<string, string> = {};
    for (const r of test.results) for (const name of r.resources) out[`${r.kind}/${name}/${r.rule}`] = r.result;
    return out;
  }

  it.each([
    ['best-practices/require-labels', 'require-labels.yaml'],
    ['best-practices/disallow-cri-sock-mount', 'disallow-cri-sock-mount.yaml'],
    ['best-practices/restrict-image-registries', 'restrict-image-registries.yaml'],
    ['best-practices/require-pod-requests-limits', 'require-pod-requests-limits.yaml'],
    ['best-practices/restrict-service-external-ips', 'restrict-service-external-ips.yaml'],
  ])('%s', (dir, file) => {
    const got = run(dir, file);
    const want = expected(dir);
    expect(Object.keys(want).length).toBeGreaterThan(0);
    for (const [k, v] of Object.entries(want)) {
      const [kind, name, rule] = k.split('/');
      const statuses = Object.entries(got)
        .filter(([g]) => g.startsWith(`${kind}/${name}/`) && (g.endsWith(`/${rule}`) || g.endsWith(`/autogen-${rule}`) || g.endsWith(`/autogen-cronjob-${rule}`)))
        .map(([, s]) => s);
      expect(statuses.length, k).toBeGreaterThan(0);
      for (const s of statuses) expect(s, k).toBe(v);
    }
  });

  it('allowed-label-changes: only the breakglass label may change on UPDATE', () => {
    const p = parsePolicy(loadYaml(`${CORPUS}/other/allowed-label-changes/allowed-label-changes.yaml`)[0]!);
    const before = pod('web', { app: 'web', breakglass: 'no' });
    const onlyBreakglass = pod('web', { app: 'web', breakglass: 'yes' });
    const appChanged = pod('web', { app: 'api', breakglass: 'no' });
    expect(applyPolicy(p, onlyBreakglass, { operation: 'UPDATE', oldObject: before })[0]!.status).toBe('pass');
    expect(applyPolicy(p, appChanged, { operation: 'UPDATE', oldObject: before })[0]).toMatchObject({
      status: 'fail',
      message: 'The only label that may be removed or changed is `breakglass`.',
      action: 'Enforce',
    });
    // on CREATE the precondition does not hold
    expect(applyPolicy(p, appChanged)[0]!.status).toBe('skip');
  });

  it('restrict-node-port (a Service rule, no autogen)', () => {
    const out = run('best-practices/restrict-node-port', 'restrict-node-port.yaml');
    expect(Object.keys(out).length).toBeGreaterThan(0);
    expect(Object.keys(out).every((k) => k.startsWith('Service/') && !k.includes('autogen'))).toBe(true);
  });
});

describe('applyPolicy: a pattern mismatch with no path is a rule error', () => {
  it('reports error with "execution error" (Kyverno), not a failure at path /', () => {
    const policy = parsePolicy({
      apiVersion: 'kyverno.io/v1',
      kind: 'ClusterPolicy',
      metadata: { name: 'argo-source' },
      spec: {
        validationFailureAction: 'Enforce',
        rules: [
          {
            name: 'source-path',
            match: { any: [{ resources: { kinds: ['ConfigMap'] } }] },
            validate: { message: 'A path is required', pattern: { spec: { source: { path: '?*', 'X(chart)': null } } } },
          },
        ],
      },
    });
    const [r] = applyPolicy(policy, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'd' }, spec: { source: { repoURL: 'x' } } } as KubeObject);
    expect(r!.status).toBe('error');
    expect(r!.message).toMatch(/^validation error: A path is required\. rule source-path execution error: .*\/spec\/source\/path\//);
  });
});
