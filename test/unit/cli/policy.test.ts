import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CliContext } from '../../../src/cli/context.js';
import { run } from '../../../src/cli/main.js';

// `slipway policy apply` and `slipway policy test` driven through run() as bin.ts does, on
// small policies and resources written into temp directories.

const root = mkdtempSync(join(tmpdir(), 'slipway-policy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => {
  process.exitCode = undefined;
});

let n = 0;
/** Writes files (path -> text) under a fresh directory and returns it. */
function tree(files: Record<string, string>): string {
  const dir = join(root, `t${++n}`);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

async function slipway(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    errorExitCode: 1,
    client: () => Promise.reject(new Error('policy needs no cluster')),
    stdin: () => stdin,
  };
  const code = await run(['node', 'slipway', ...args], ctx);
  return { code, out, err };
}

const lines = (...l: string[]) => l.join('\n') + '\n';

const requireLabels = (action: 'Enforce' | 'Audit', extra: string[] = []) =>
  lines(
    'apiVersion: kyverno.io/v1',
    'kind: ClusterPolicy',
    'metadata:',
    '  name: require-labels',
    ...extra,
    'spec:',
    `  validationFailureAction: ${action}`,
    '  rules:',
    '  - name: check-for-labels',
    '    match:',
    '      any:',
    '      - resources:',
    '          kinds: [Pod]',
    '    validate:',
    "      message: \"label 'app' is required\"",
    '      pattern:',
    '        metadata:',
    '          labels:',
    '            app: "?*"',
  );

const pod = (name: string, labels = '', namespace = '') =>
  lines('apiVersion: v1', 'kind: Pod', 'metadata:', `  name: ${name}`, ...(namespace ? [`  namespace: ${namespace}`] : []), ...(labels ? [`  labels: {${labels}}`] : []), 'spec:', '  containers: [{name: c, image: nginx}]');

const deployment = (name: string, labels = '') =>
  lines(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${name}`,
    '  namespace: shop',
    'spec:',
    '  selector: {matchLabels: {a: b}}',
    '  template:',
    `    metadata: {labels: {a: b${labels ? `, ${labels}` : ''}}}`,
    '    spec:',
    '      containers: [{name: c, image: nginx}]',
  );

/** The table's rows (header first), cells split on runs of 3+ spaces. */
const table = (out: string, header = 'POLICY'): string[][] => {
  const all = out.split('\n');
  const start = all.findIndex((l) => l.startsWith(header));
  const rows: string[][] = [];
  for (let i = start; i >= 0 && i < all.length && all[i]!.trim() !== ''; i++) rows.push(all[i]!.split(/ {3,}/));
  return rows;
};

describe('policy apply', () => {
  test('an Enforce failure: a table per rule and resource, Kyverno failure lines and summary, exit 1', async () => {
    const dir = tree({ 'pol.yaml': requireLabels('Enforce'), 'res.yaml': [pod('good', 'app: web'), pod('bad'), deployment('dep')].join('---\n') });
    const r = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '--resource', join(dir, 'res.yaml')]);
    expect(r.err).toBe('');
    expect(r.code).toBe(1);
    expect(r.out.startsWith('Applying 3 policy rule(s) to 3 resource(s)...\n\n')).toBe(true); // the rule and its two autogen rules
    expect(table(r.out)).toEqual([
      ['POLICY', 'RULE', 'RESOURCE', 'RESULT', 'MESSAGE'],
      ['require-labels', 'check-for-labels', 'Pod/default/good', 'pass', expect.stringContaining('passed') as unknown as string],
      ['require-labels', 'check-for-labels', 'Pod/default/bad', 'fail', "validation error: label 'app' is required. rule check-for-labels failed at path /metadata/labels/"],
      ['require-labels', 'autogen-check-for-labels', 'Deployment/shop/dep', 'fail', expect.stringMatching(/^validation error: label 'app' is required\. rule autogen-check-for-labels failed at path \/spec\/template\/metadata\/labels\//) as unknown as string],
    ]);
    expect(r.out).toContain(lines('policy require-labels -> resource default/Pod/bad failed:', "1 - check-for-labels validation error: label 'app' is required. rule check-for-labels failed at path /metadata/labels/"));
    expect(r.out).toContain('policy require-labels -> resource shop/Deployment/dep failed:\n1 - autogen-check-for-labels ');
    expect(r.out.endsWith('\npass: 1, fail: 2, warn: 0, error: 0, skip: 0\n')).toBe(true);
  });

  test('everything passing exits 0', async () => {
    const dir = tree({ 'pol.yaml': requireLabels('Enforce'), 'res.yaml': pod('good', 'app: web') });
    const r = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('failed:');
    expect(r.out).toContain('pass: 1, fail: 0, warn: 0, error: 0, skip: 0\n');
  });

  test('Audit failures: exit 1 as kyverno apply; --audit-warn makes them warnings (exit 0, or --warn-exit-code)', async () => {
    const dir = tree({ 'pol.yaml': requireLabels('Audit'), 'res.yaml': pod('bad') });
    const args = ['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml')];
    const plain = await slipway(args);
    expect(plain.code).toBe(1);
    expect(plain.out).toContain('pass: 0, fail: 1, warn: 0, error: 0, skip: 0');
    process.exitCode = undefined;
    const warned = await slipway([...args, '--audit-warn']);
    expect(warned.code).toBe(0);
    expect(table(warned.out)[1]![3]).toBe('warn');
    expect(warned.out).toContain('policy require-labels -> resource default/Pod/bad failed as audit warning:\n');
    expect(warned.out).toContain('pass: 0, fail: 0, warn: 1, error: 0, skip: 0');
    process.exitCode = undefined;
    expect((await slipway([...args, '--audit-warn', '--warn-exit-code', '3'])).code).toBe(3);
  });

  test('an unscored policy reports its failures as warnings', async () => {
    const dir = tree({ 'pol.yaml': requireLabels('Enforce', ['  annotations:', '    policies.kyverno.io/scored: "false"']), 'res.yaml': pod('bad') });
    const r = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('pass: 0, fail: 0, warn: 1, error: 0, skip: 0');
  });

  test('directories (recursive, multi-document) and resources from stdin', async () => {
    const dir = tree({
      'policies/a/pol.yaml': requireLabels('Enforce'),
      'policies/notes.txt': 'not yaml: [',
      'res/one.yaml': pod('p1', 'app: x', 'team'),
      'res/deeper/two.yml': [pod('p2'), pod('p3', 'app: z')].join('---\n'),
    });
    const r = await slipway(['policy', 'apply', join(dir, 'policies'), '-r', join(dir, 'res'), '-r', '-'], pod('from-stdin'));
    expect(r.err).toBe('');
    expect(table(r.out).map((row) => [row[2], row[3]])).toEqual([
      ['RESOURCE', 'RESULT'],
      ['Pod/default/p2', 'fail'],
      ['Pod/default/p3', 'pass'],
      ['Pod/team/p1', 'pass'],
      ['Pod/default/from-stdin', 'fail'],
    ]);
    expect(r.code).toBe(1);
  });

  test('-o json and -o yaml: the summary and every result', async () => {
    const dir = tree({ 'pol.yaml': requireLabels('Enforce'), 'res.yaml': [pod('good', 'app: web'), pod('bad')].join('---\n') });
    const r = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml'), '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { summary: Record<string, number>; results: { rule: string; resource: { name: string; namespace?: string }; result: string; action: string }[] };
    expect(doc.summary).toEqual({ pass: 1, fail: 1, warn: 0, error: 0, skip: 0 });
    expect(doc.results.map((x) => [x.rule, x.resource.namespace, x.resource.name, x.result, x.action])).toEqual([
      ['check-for-labels', 'default', 'good', 'pass', 'Enforce'],
      ['check-for-labels', 'default', 'bad', 'fail', 'Enforce'],
    ]);
    process.exitCode = undefined;
    const y = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml'), '-o', 'yaml']);
    expect(parseYaml(y.out)).toEqual(doc);
  });

  test('a values file sets request.operation, and user info fills request.userInfo', async () => {
    const policy = lines(
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata: {name: no-updates}',
      'spec:',
      '  validationFailureAction: Enforce',
      '  background: false',
      '  rules:',
      '  - name: block',
      '    match: {any: [{resources: {kinds: [Pod]}}]}',
      '    preconditions:',
      '      all:',
      '      - {key: "{{ request.operation }}", operator: Equals, value: UPDATE}',
      '    validate:',
      '      message: "{{ request.userInfo.username }} may not update {{ request.object.metadata.name }}"',
      '      deny: {}',
    );
    const dir = tree({
      'pol.yaml': policy,
      'res.yaml': [pod('a'), pod('b')].join('---\n'),
      'values.yaml': lines('apiVersion: cli.kyverno.io/v1alpha1', 'kind: Values', 'policies:', '- name: no-updates', '  resources:', '  - name: a', '    values: {request.operation: UPDATE}'),
      'user.yaml': lines('apiVersion: cli.kyverno.io/v1alpha1', 'kind: UserInfo', 'metadata: {name: u}', 'userInfo: {username: alice}'),
    });
    const r = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml'), '--values', join(dir, 'values.yaml'), '--userinfo', join(dir, 'user.yaml')]);
    expect(r.err).toBe('');
    const rows = table(r.out);
    expect(rows.slice(1).map((row) => [row[2], row[3]])).toEqual([
      ['Pod/default/a', 'fail'],
      ['Pod/default/b', 'skip'],
    ]);
    expect(r.out).toContain('policy no-updates -> resource default/Pod/a failed:\n1 - block alice may not update a\n');
  });

  test('usage errors exit 2', async () => {
    const dir = tree({ 'pol.yaml': requireLabels('Enforce'), 'res.yaml': pod('p') });
    const noResource = await slipway(['policy', 'apply', join(dir, 'pol.yaml')]);
    expect(noResource).toMatchObject({ code: 2, err: 'error: no resources: give --resource FILE|DIR (or - for stdin)\n' });
    const badOutput = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'res.yaml'), '-o', 'wide']);
    expect(badOutput).toMatchObject({ code: 2, err: 'error: unknown output format "wide": use table, json, yaml\n' });
    const bothStdin = await slipway(['policy', 'apply', '-', '-r', '-']);
    expect(bothStdin.code).toBe(2);
    expect(bothStdin.err).toContain('not both');
  });

  test('file errors name file and line and exit 2', async () => {
    const dir = tree({
      'pol.yaml': requireLabels('Enforce'),
      'bad.yaml': lines('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: [x'),
      'nopolicy.yaml': pod('p'),
      'broken-policy.yaml': lines('apiVersion: kyverno.io/v1', 'kind: ClusterPolicy', 'metadata: {name: broken}', 'spec:', '  validationFailureAction: Sometimes', '  rules: []'),
    });
    const missing = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'nope.yaml')]);
    expect(missing).toMatchObject({ code: 2, err: `error: ${join(dir, 'nope.yaml')}: no such file or directory\n` });
    const badYaml = await slipway(['policy', 'apply', join(dir, 'pol.yaml'), '-r', join(dir, 'bad.yaml')]);
    expect(badYaml.code).toBe(2);
    expect(badYaml.err).toMatch(new RegExp(`^error: ${join(dir, 'bad.yaml')}:\\d+:\\d+: invalid YAML`));
    const noPolicy = await slipway(['policy', 'apply', join(dir, 'nopolicy.yaml'), '-r', join(dir, 'nopolicy.yaml')]);
    expect(noPolicy).toMatchObject({ code: 2, err: `error: ${join(dir, 'nopolicy.yaml')}: no Kyverno ClusterPolicy or Policy in ${join(dir, 'nopolicy.yaml')}\n` });
    const broken = await slipway(['policy', 'apply', join(dir, 'broken-policy.yaml'), '-r', join(dir, 'nopolicy.yaml')]);
    expect(broken.code).toBe(2);
    expect(broken.err).toMatch(new RegExp(`^error: ${join(dir, 'broken-policy.yaml')}:1:1: .*broken.*validationFailureAction`));
  });
});

/** A test directory in the layout of kyverno/policies: the policy beside a .kyverno-test folder. */
function kyvernoTestDir(results: string[], extra: Record<string, string> = {}): Record<string, string> {
  return {
    'require-labels.yaml': requireLabels('Enforce'),
    '.kyverno-test/resources.yaml': [pod('good', 'app: web'), pod('bad'), deployment('dep')].join('---\n'),
    '.kyverno-test/kyverno-test.yaml': lines(
      'apiVersion: cli.kyverno.io/v1alpha1',
      'kind: Test',
      'metadata:',
      '  name: require-labels',
      'policies:',
      '- ../require-labels.yaml',
      'resources:',
      '- resources.yaml',
      'results:',
      ...results,
    ),
    ...extra,
  };
}

const ok = [
  '- {policy: require-labels, rule: check-for-labels, kind: Pod, resources: [good], result: pass}',
  '- {policy: require-labels, rule: check-for-labels, kind: Pod, resources: [bad], result: fail}',
  '- {policy: require-labels, rule: check-for-labels, kind: Deployment, resources: [shop/dep], result: fail}',
];

describe('policy test', () => {
  test('every expectation met: a row per result and resource, the summary, exit 0', async () => {
    const dir = tree({ 'a/b': '', ...Object.fromEntries(Object.entries(kyvernoTestDir(ok)).map(([k, v]) => [`require-labels/${k}`, v])) });
    const r = await slipway(['policy', 'test', dir]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Loading test require-labels ( ${join(dir, 'require-labels/.kyverno-test/kyverno-test.yaml')} ) ...\n`);
    expect(table(r.out, 'ID')).toEqual([
      ['ID', 'POLICY', 'RULE', 'RESOURCE', 'RESULT', 'REASON'],
      ['1', 'require-labels', 'check-for-labels', 'Pod/good', 'Pass', 'Ok'],
      ['2', 'require-labels', 'check-for-labels', 'Pod/bad', 'Pass', 'Ok'],
      ['3', 'require-labels', 'check-for-labels', 'Deployment/shop/dep', 'Pass', 'Ok'],
    ]);
    expect(r.out.endsWith('policy tests: 3/3 passed\n')).toBe(true);
  });

  test('a result that differs fails the run; the failed cases are listed again, with messages when detailed', async () => {
    const wrong = [...ok.slice(0, 2), '- {policy: require-labels, rule: check-for-labels, kind: Deployment, resources: [dep], result: pass}', '- {policy: require-labels, rule: check-for-labels, kind: Pod, resources: [ghost], result: pass}'];
    const dir = tree(kyvernoTestDir(wrong));
    const r = await slipway(['policy', 'test', dir, '--detailed-results']);
    expect(r.code).toBe(1);
    const failed = r.out.slice(r.out.indexOf('Failed test cases:'));
    expect(table(failed, 'ID').map((row) => row.slice(3, 6))).toEqual([
      ['RESOURCE', 'RESULT', 'REASON'],
      ['Deployment/dep', 'Fail', 'Want pass, got fail'],
      ['Pod/ghost', 'Fail', 'Not found'],
    ]);
    expect(failed).toMatch(/Want pass, got fail {3,}validation error: label 'app' is required\. rule autogen-check-for-labels failed at path/);
    expect(r.out.endsWith('policy tests: 2/4 passed\n')).toBe(true);
  });

  test('-o json: per test file, each expectation with its expected and actual results', async () => {
    const dir = tree(kyvernoTestDir([ok[0]!, '- {policy: require-labels, rule: check-for-labels, kind: Pod, resources: [bad], result: pass}']));
    const r = await slipway(['policy', 'test', dir, '-o', 'json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { passed: number; total: number; tests: { name: string; results: { resource: string; expected: string; actual: string[]; passed: boolean; reason: string; at: { line: number } }[] }[] };
    expect([doc.passed, doc.total]).toEqual([1, 2]);
    expect(doc.tests[0]!.name).toBe('require-labels');
    expect(doc.tests[0]!.results.map((x) => [x.resource, x.expected, x.actual, x.passed, x.reason, x.at.line])).toEqual([
      ['good', 'pass', ['pass'], true, 'Ok', 10],
      ['bad', 'pass', ['fail'], false, 'Want pass, got fail', 11],
    ]);
  });

  test('values and namespace labels from the test variables file', async () => {
    const nsPolicy = lines(
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata: {name: prod-only-labelled}',
      'spec:',
      '  validationFailureAction: Enforce',
      '  background: false',
      '  rules:',
      '  - name: check',
      '    match:',
      '      any:',
      '      - resources:',
      '          kinds: [Pod]',
      '          namespaceSelector: {matchLabels: {env: prod}}',
      '    validate:',
      '      message: "needs app"',
      '      pattern: {metadata: {labels: {app: "?*"}}}',
    );
    const dir = tree({
      'p.yaml': nsPolicy,
      'r.yaml': [pod('in-prod', '', 'prod'), pod('in-dev', '', 'dev')].join('---\n'),
      'values.yaml': lines('namespaceSelector:', '- name: prod', '  labels: {env: prod}'),
      'kyverno-test.yaml': lines(
        'name: ns',
        'policies: [p.yaml]',
        'resources: [r.yaml]',
        'variables: values.yaml',
        'results:',
        '- {policy: prod-only-labelled, rule: check, kind: Pod, resources: [prod/in-prod], result: fail}',
        '- {policy: prod-only-labelled, rule: check, kind: Pod, resources: [dev/in-dev], result: skip}',
      ),
    });
    const r = await slipway(['policy', 'test', dir]);
    expect(table(r.out, 'ID').slice(1).map((row) => [row[3], row[4], row[5]])).toEqual([
      ['Pod/prod/in-prod', 'Pass', 'Ok'],
      ['Pod/dev/in-dev', 'Pass', 'Excluded'],
    ]);
    expect(r.code).toBe(0);
  });

  test('a test file that cannot be run is an error with its file and line, and fails the run', async () => {
    const dir = tree({
      'good/kyverno-test.yaml': kyvernoTestDir(ok)['.kyverno-test/kyverno-test.yaml']!.replace('../require-labels.yaml', 'pol.yaml'),
      'good/pol.yaml': requireLabels('Enforce'),
      'good/resources.yaml': [pod('good', 'app: web'), pod('bad'), deployment('dep')].join('---\n'),
      'bad/kyverno-test.yaml': lines('name: broken', 'policies: [missing.yaml]', 'resources: []', 'results:', '- {policy: p, rule: r, kind: Pod, resources: [x], result: maybe}'),
    });
    const r = await slipway(['policy', 'test', dir]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`error: ${join(dir, 'bad/kyverno-test.yaml')}:5:59: Kyverno test: results[0].result must be one of pass, fail, warn, error, skip, found "maybe"\n`);
    expect(r.out).toContain('1 test file(s) could not be run\n');
    expect(r.out.endsWith('policy tests: 3/3 passed\n')).toBe(true);
  });

  test('no test file: exit 2', async () => {
    const dir = tree({ 'x.yaml': pod('p') });
    const r = await slipway(['policy', 'test', dir]);
    expect(r).toMatchObject({ code: 2, err: `error: ${dir}: no kyverno-test.yaml under ${dir}\n` });
  });

  test('rows about mutate rules are not applicable and not counted', async () => {
    const mutate = lines(
      'apiVersion: kyverno.io/v1',
      'kind: ClusterPolicy',
      'metadata: {name: add-label}',
      'spec:',
      '  rules:',
      '  - name: add',
      '    match: {any: [{resources: {kinds: [Pod]}}]}',
      '    mutate:',
      '      patchStrategicMerge: {metadata: {labels: {app: x}}}',
    );
    const dir = tree({
      'p.yaml': mutate,
      'r.yaml': pod('p'),
      'kyverno-test.yaml': lines('name: m', 'policies: [p.yaml]', 'resources: [r.yaml]', 'results:', '- {policy: add-label, rule: add, kind: Pod, resources: [p], result: pass}'),
    });
    const r = await slipway(['policy', 'test', dir]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('n/a');
    expect(r.out).toContain('1 not applicable (not counted)\n');
    expect(r.out.endsWith('policy tests: 0/0 passed\n')).toBe(true);
  });
});
