import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import {
  buildVariableData,
  hasVariables,
  imageInfo,
  queryJmespath,
  setDotted,
  substituteAll,
  substituteString,
  VariableError,
} from '../../../src/engines/policy/variables.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', labels: { app: 'web', tier: 'front' } },
  spec: {
    containers: [
      { name: 'a', image: 'nginx:1.25', ports: [{ containerPort: 80 }] },
      { name: 'b', image: 'busybox', livenessProbe: { exec: { command: ['sh', '-c', 'ps aux'] } } },
    ],
  },
};

describe('variable data', () => {
  it('holds the request as an admission request would, CREATE by default', () => {
    const d = buildVariableData(pod);
    expect(queryJmespath('request.object.metadata.name', d)).toBe('web');
    expect(queryJmespath('request.operation', d)).toBe('CREATE');
    expect(queryJmespath('request.namespace', d)).toBe('shop');
    expect(queryJmespath('request.oldObject', d)).toBeNull();
  });

  it('has no operation in a background scan', () => {
    expect(queryJmespath("request.operation || 'BACKGROUND'", buildVariableData(pod, { operation: 'CREATE', background: true }))).toBe('BACKGROUND');
  });

  it('derives serviceAccountName/Namespace from a service account user', () => {
    const d = buildVariableData(pod, { operation: 'CREATE', userInfo: { username: 'system:serviceaccount:ci:builder', groups: ['system:serviceaccounts'] } });
    expect(queryJmespath('serviceAccountName', d)).toBe('builder');
    expect(queryJmespath('serviceAccountNamespace', d)).toBe('ci');
    expect(queryJmespath('request.userInfo.groups[0]', d)).toBe('system:serviceaccounts');
  });

  it('nests dotted CLI values and lets them override the request', () => {
    const d = buildVariableData(pod, { operation: 'CREATE', variables: { 'request.operation': 'UPDATE', 'a.b.c': 1 } });
    expect(queryJmespath('request.operation', d)).toBe('UPDATE');
    expect(queryJmespath('a.b.c', d)).toBe(1);
    // UPDATE without an old object: the object stands in for it
    expect(queryJmespath('request.oldObject.metadata.name', d)).toBe('web');
  });

  it('names the old object on DELETE by request.object too', () => {
    const d = buildVariableData(pod, { operation: 'DELETE' });
    expect(queryJmespath('request.oldObject.metadata.name', d)).toBe('web');
    expect(queryJmespath('request.object.metadata.name', d)).toBe('web');
  });

  it('values over request.object do not change the caller\'s resource', () => {
    const res: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'a' } };
    const d = buildVariableData(res, { operation: 'CREATE', variables: { 'request.object.metadata.name': 'b' } });
    expect(queryJmespath('request.object.metadata.name', d)).toBe('b');
    expect(res.metadata.name).toBe('a');
  });

  it('setDotted replaces scalars on the way', () => {
    const root: Record<string, unknown> = { a: 1 };
    setDotted(root, 'a.b', 2);
    expect(root).toEqual({ a: { b: 2 } });
  });
});

describe('substitution', () => {
  const d = buildVariableData(pod);

  it('keeps the type of a string that is exactly one variable', () => {
    expect(substituteString('{{ request.object.spec.containers[].name }}', d)).toEqual(['a', 'b']);
    expect(substituteString('{{request.object.spec.containers | length(@)}}', d)).toBe(2);
  });

  it('writes values into surrounding text (non-strings as JSON)', () => {
    expect(substituteString('pod {{ request.object.metadata.name }} in {{request.object.metadata.namespace}}', d)).toBe('pod web in shop');
    expect(substituteString('labels: {{ request.object.metadata.labels }}', d)).toBe('labels: {"app":"web","tier":"front"}');
  });

  it('resolves nested variables innermost first', () => {
    expect(substituteString("{{ to_upper('{{ request.object.metadata.name }}') }}", d)).toBe('WEB');
    expect(substituteString("{{ regex_match('^[0-9]+%$', '{{ request.object.spec.maxUnavailable || ''}}') }}", d)).toBe(false);
  });

  it('allows single braces inside (multiselect hashes)', () => {
    expect(substituteString('{{ request.object.metadata.labels || `{}` | merge(@, {tier:null}) }}', d)).toEqual({ app: 'web', tier: null });
  });

  it('leaves escaped variables alone', () => {
    expect(substituteString('\\{{ request.object.metadata.name }}', d)).toBe('{{ request.object.metadata.name }}');
    expect(hasVariables('\\{{ x }}')).toBe(false);
    expect(hasVariables('a {{ x }}')).toBe(true);
  });

  it('is an error for unresolvable variables, except in conditions (empty string)', () => {
    expect(() => substituteString('{{ request.object.spec.nope }}', d)).toThrow(VariableError);
    expect(() => substituteString('{{ request.object.spec.nope }}', d)).toThrow('variable request.object.spec.nope not resolved at path /');
    expect(substituteString('{{ request.object.spec.nope }}', d, 'conditions')).toBe('');
    expect(substituteString('x-{{ request.object.spec.nope }}', d, 'conditions')).toBe('x-');
  });

  it('is an error for a bad expression', () => {
    expect(() => substituteString('{{ request.object.( }}', d)).toThrow(/invalid JMESPath expression/);
    expect(() => substituteString('{{ no_such_fn(@) }}', d)).toThrow(/no_such_fn/);
  });

  it('walks documents, keys included, and reports the path', () => {
    expect(substituteAll({ spec: { '{{ request.object.metadata.name }}': ['{{ request.object.kind }}', 3] } }, d)).toEqual({ spec: { web: ['Pod', 3] } });
    expect(() => substituteAll({ spec: { x: ['{{ nope }}'] } }, d, 'strict', '/validate/pattern')).toThrow('at path /validate/pattern/spec/x/0');
  });
});

describe("Kyverno's JMESPath functions", () => {
  const d = buildVariableData(pod);
  it.each([
    ["to_upper('abc')", 'ABC'],
    ["to_lower('AbC')", 'abc'],
    ["truncate('abcdef', `3`)", 'abc'],
    ["truncate('ab', `3`)", 'ab'],
    ["split('a,b,c', ',')", ['a', 'b', 'c']],
    ["regex_match('^nginx', request.object.spec.containers[0].image)", true],
    ["regex_match('\\\\bps\\\\b', 'ps aux')", true],
    ["regex_match('^[0-9]+$', `123`)", true],
    ["contains('abc', 'b')", true],
    ["contains(['a','b'], 'c')", false],
    ["request.object.spec.containers[].livenessProbe.exec.command[].regex_match('\\\\bps\\\\b', @)", [false, false, true]],
    ["replace('a-b-c', '-', '_', `1`)", 'a_b-c'],
    ["replace('a-b-c', '-', '_', `-1`)", 'a_b_c'],
    ["replace_all('a-b-c', '-', '')", 'abc'],
    ["regex_replace_all('([a-z])-([0-9])', 'a-1 b-2', '$2$1')", '1a 2b'],
    ["regex_replace_all_literal('[0-9]', 'a1b2', 'x')", 'axbx'],
    ["label_match(`{\"app\":\"web\"}`, request.object.metadata.labels)", true],
    ["label_match(`{\"app\":\"db\"}`, request.object.metadata.labels)", false],
    ["parse_json('{\"a\":[1,2]}').a[1]", 2],
    ["parse_yaml('a: b').a", 'b'],
    ["base64_decode('aGVsbG8=')", 'hello'],
    ["base64_encode('hello')", 'aGVsbG8='],
    ["equal_fold('Web', 'wEB')", true],
    ["pattern_match('nginx:*', 'nginx:1.25')", true],
    ["to_boolean('True')", true],
    ['add(`1`, `2`)', 3],
    ["subtract('1h', '30m')", '30m0s'],
    ["add('1m', '30s')", '1m30s'],
    ['divide(`9`, `3`)', 3],
    ['modulo(`7`, `3`)', 1],
    ["object_from_lists(['a','b'], [`1`,`2`])", { a: 1, b: 2 }],
    ["lookup(`{\"a\":1}`, 'a')", 1],
    ["path_canonicalize('/a/./b/../c')", '/a/c'],
    ["trim('--x--', '-')", 'x'],
    ['request.object.metadata.keys(@)', ['name', 'namespace', 'labels']],
    ['request.object.spec.containers[].ports[].containerPort', [80]],
  ])('%s', (expr, want) => {
    expect(queryJmespath(expr, d)).toEqual(want);
  });

  it('reports a bad regular expression as an error', () => {
    expect(() => queryJmespath("regex_match('(', 'x')", d)).toThrow(VariableError);
  });
});

describe('{{@}}', () => {
  it('is the resource value at the same place in a pattern', () => {
    const d = buildVariableData({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } } });
    expect(substituteAll({ metadata: { labels: { app: '{{@}}' } } }, d, 'strict', '/validate/pattern')).toEqual({ metadata: { labels: { app: 'web' } } });
    expect(substituteAll({ spec: { containers: [{ name: 'x-{{ @ }}' }] } }, buildVariableData({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c' }] } }), 'strict', '/validate/pattern')).toEqual({
      spec: { containers: [{ name: 'x-c' }] },
    });
  });
});

describe('images', () => {
  it.each([
    ['nginx', { registry: 'docker.io', path: 'nginx', name: 'nginx', tag: 'latest' }],
    ['nginx:1.25', { registry: 'docker.io', path: 'nginx', name: 'nginx', tag: '1.25' }],
    ['bitnami/redis:7', { registry: 'docker.io', path: 'bitnami/redis', name: 'redis', tag: '7' }],
    ['ghcr.io/org/app/api:v2', { registry: 'ghcr.io', path: 'org/app/api', name: 'api', tag: 'v2' }],
    ['localhost:5000/app', { registry: 'localhost:5000', path: 'app', name: 'app', tag: 'latest' }],
    [`busybox@sha256:${'a'.repeat(64)}`, { registry: 'docker.io', path: 'busybox', name: 'busybox', digest: `sha256:${'a'.repeat(64)}` }],
  ])('%s', (image, want) => {
    expect(imageInfo(image)).toEqual(want);
  });

  it('are in the variables of Pods and Pod controllers by container name', () => {
    const p: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }], initContainers: [{ name: 'init', image: 'ghcr.io/x/y' }] } };
    const d = buildVariableData(p);
    expect(queryJmespath('images.containers.web.tag', d)).toBe('1.25');
    expect(queryJmespath('images.initContainers.init.registry', d)).toBe('ghcr.io');
    const dep: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx' }] } } } };
    expect(queryJmespath('images.containers.*.tag', buildVariableData(dep))).toEqual(['latest']);
    const cj: KubeObject = { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'c' }, spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'job', image: 'alpine:3' }] } } } } } };
    expect(queryJmespath('images.containers.job.name', buildVariableData(cj))).toBe('alpine');
    expect(queryJmespath('images', buildVariableData({ apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } }))).toBeNull();
  });
});

describe('more functions', () => {
  const d = {};
  it.each([
    ["items(`{\"b\":2,\"a\":1}`, 'key', 'value')", [{ key: 'a', value: 1 }, { key: 'b', value: 2 }]],
    ["items(`[\"x\"]`, 'i', 'v')", [{ i: 0, v: 'x' }]],
    ["time_before('2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z')", true],
    ["time_after('2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z')", false],
    ["time_between('2024-03-01T00:00:00Z', '2024-01-01T00:00:00Z', '2024-06-01T00:00:00Z')", true],
    ["time_add('2024-01-01T00:00:00Z', '1h30m')", '2024-01-01T01:30:00Z'],
    ["time_diff('2024-01-01T00:00:00Z', '2024-01-01T02:00:00Z')", '2h0m0s'],
    ["time_utc('2024-01-01T02:00:00+02:00')", '2024-01-01T00:00:00Z'],
    ["time_truncate('2024-01-01T02:47:13Z', '1h')", '2024-01-01T02:00:00Z'],
    ["semver_compare('1.5.0', '>=1.0.0 <2.0.0')", true],
    ["semver_compare('2.1.0', '<2.0.0 || >=2.1.0')", true],
    ["semver_compare('1.2.3', '1.2.4')", false],
    ["image_normalize('nginx')", 'docker.io/library/nginx:latest'],
    ["image_normalize('ghcr.io/org/app:v1')", 'ghcr.io/org/app:v1'],
  ])('%s', (expr, want) => {
    expect(queryJmespath(expr, d)).toEqual(want);
  });

  it('refuses times that are not RFC 3339', () => {
    expect(() => queryJmespath("time_before('yesterday', '2024-01-01T00:00:00Z')", d)).toThrow(/RFC 3339/);
  });
});
