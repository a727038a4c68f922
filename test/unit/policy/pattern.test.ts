import { describe, expect, it } from 'vitest';
import { parseAnchor, validatePattern } from '../../../src/engines/policy/pattern.js';

const statusOf = (resource: unknown, pattern: unknown) => validatePattern(resource, pattern).status;

describe('anchors are parsed as Kyverno reads them', () => {
  it.each([
    ['(name)', { modifier: '', key: 'name' }],
    ['=(name)', { modifier: '=', key: 'name' }],
    ['^(containers)', { modifier: '^', key: 'containers' }],
    ['X(hostPath)', { modifier: 'X', key: 'hostPath' }],
    ['<(image)', { modifier: '<', key: 'image' }],
    ['+(imagePullPolicy)', { modifier: '+', key: 'imagePullPolicy' }],
    ['(app.kubernetes.io/name)', { modifier: '', key: 'app.kubernetes.io/name' }],
    ['name', undefined],
    ['()', undefined],
    ['Y(name)', undefined],
    ['(name', undefined],
    ['x(name)', undefined],
  ])('%j', (key, want) => {
    expect(parseAnchor(key)).toEqual(want);
  });
});

describe('maps, lists and the reported path', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
    spec: {
      replicas: 3,
      template: {
        metadata: { labels: { app: 'nginx' } },
        spec: {
          securityContext: { runAsNonRoot: true },
          containers: [
            {
              name: 'nginx',
              image: 'https://nirmata/nginx:latest',
              livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 15, periodSeconds: 11 },
              resources: { limits: { memory: '2Gi', cpu: 8 }, requests: { memory: '512Mi', cpu: '8' } },
              ports: [{ containerPort: 80 }],
            },
          ],
        },
      },
    },
  };
  const containersPattern = (c: unknown) => ({ spec: { template: { spec: { containers: [c] } } } });

  it('passes a nested pattern with an or of quantities', () => {
    expect(validatePattern(deployment, containersPattern({ name: '?*', resources: { requests: { cpu: '<4|8' } } }))).toEqual({ status: 'pass' });
  });
  it('`*` accepts an int, a map or a list that is present', () => {
    expect(statusOf(deployment, containersPattern({ name: '*', livenessProbe: { periodSeconds: '*' } }))).toBe('pass');
    expect(statusOf(deployment, containersPattern({ name: '*', livenessProbe: '*' }))).toBe('pass');
    expect(statusOf(deployment, { spec: { template: { spec: { containers: '*' } } } })).toBe('pass');
  });
  it('`*` on a missing or null field fails at the parent path', () => {
    const r = validatePattern(
      { spec: { template: { spec: { containers: [{ name: 'a', livenessProbe: null }] } } } },
      containersPattern({ name: '*', livenessProbe: '*' }),
    );
    expect(r.status).toBe('fail');
    expect(r.path).toBe('/spec/template/spec/containers/0/');
  });
  it('a null pattern accepts a null or missing field', () => {
    expect(statusOf({ spec: { template: { spec: { containers: [{ name: 'a', livenessProbe: null }] } } } }, containersPattern({ name: '*', livenessProbe: null }))).toBe('pass');
    expect(statusOf({ spec: { template: { spec: { containers: [{ name: 'a' }] } } } }, containersPattern({ name: '*', livenessProbe: null }))).toBe('pass');
    expect(statusOf(deployment, containersPattern({ name: '*', livenessProbe: null }))).toBe('fail');
  });
  it('reports the path of the first mismatching value, with a trailing slash', () => {
    const r = validatePattern(deployment, containersPattern({ image: 'registry.corp/*' }));
    expect(r).toMatchObject({ status: 'fail', path: '/spec/template/spec/containers/0/image/' });
    expect(r.reason).toContain("does not match 'registry.corp/*'");
  });
  it('a missing map is a structure mismatch at its own path', () => {
    expect(validatePattern({ metadata: { name: 'x' } }, { metadata: { labels: { app: '?*' } } })).toMatchObject({
      status: 'fail',
      path: '/metadata/labels/',
    });
  });
  it('a list pattern against a non-list fails at its path', () => {
    expect(validatePattern({ spec: { containers: 'x' } }, { spec: { containers: [{ name: '*' }] } })).toMatchObject({
      status: 'fail',
      path: '/spec/containers/',
    });
  });
  it('every element of a list must match the map pattern', () => {
    const pod = { spec: { containers: [{ name: 'a', image: 'x:1' }, { name: 'b', image: 'x:latest' }] } };
    expect(validatePattern(pod, { spec: { containers: [{ image: '!*:latest' }] } })).toMatchObject({ status: 'fail', path: '/spec/containers/1/image/' });
    expect(statusOf(pod, { spec: { containers: [{ image: 'x:*' }] } })).toBe('pass');
  });
  it('an empty resource list passes, an empty pattern list fails', () => {
    expect(statusOf({ spec: { containers: [] } }, { spec: { containers: [{ image: 'x' }] } })).toBe('pass');
    expect(statusOf({ spec: { containers: [{ image: 'x' }] } }, { spec: { containers: [] } })).toBe('fail');
  });
  it('only the first map of a pattern list is used', () => {
    const pod = { spec: { containers: [{ name: 'a' }] } };
    expect(statusOf(pod, { spec: { containers: [{ name: 'a' }, { name: 'b' }] } })).toBe('pass');
  });
  it('a scalar pattern in a list applies to each resource element', () => {
    expect(statusOf({ spec: { args: ['--a', '--b'] } }, { spec: { args: ['--*'] } })).toBe('pass');
    expect(validatePattern({ spec: { args: ['--a', 'b'] } }, { spec: { args: ['--*'] } })).toMatchObject({ status: 'fail', path: '/spec/args/' });
  });
  it('a scalar pattern against a resource list applies to each element', () => {
    expect(statusOf({ capabilities: { drop: ['ALL', 'ALL'] } }, { capabilities: { drop: 'ALL' } })).toBe('pass');
    expect(statusOf({ capabilities: { drop: ['NET_RAW', 'ALL'] } }, { capabilities: { drop: 'ALL' } })).toBe('fail');
  });
  it('lists of lists are compared element by element and need enough elements', () => {
    expect(statusOf({ m: [['a'], ['b']] }, { m: [['a'], ['b']] })).toBe('pass');
    const short = validatePattern({ m: [['a']] }, { m: [['a'], ['b']] });
    expect(short.status).toBe('fail');
    expect(short.path).toBeUndefined(); // Kyverno gives no path here: a rule error
    expect(validatePattern({ m: [['a'], ['c']] }, { m: [['a'], ['b']] })).toMatchObject({ status: 'fail', path: '/m/1/' });
  });
  it('a map pattern against a scalar fails, a scalar pattern against a map fails', () => {
    expect(statusOf({ a: 'x' }, { a: { b: 'x' } })).toBe('fail');
    expect(statusOf({ a: { b: 'x' } }, { a: 'x' })).toBe('fail');
  });
  it('the pattern root may be a list', () => {
    expect(statusOf([{ name: 'nirmata-1', object: [{ key1: 'value1', key2: 'value2' }] }], [{ '(name)': 'nirmata-*', object: [{ '(key1)': 'value*', key2: 'value*' }] }])).toBe('pass');
    expect(
      validatePattern([{ name: 'nirmata-1', object: [{ key1: 'value5', key2: '1value1' }] }], [{ '(name)': 'nirmata-*', object: [{ '(key1)': 'value*', key2: 'value*' }] }]),
    ).toMatchObject({ status: 'fail', path: '/0/object/0/key2/' });
  });
  it('numbers and strings meet through Kyverno coercion', () => {
    expect(statusOf({ spec: { replicas: 3 } }, { spec: { replicas: 3 } })).toBe('pass');
    expect(statusOf({ spec: { replicas: '3' } }, { spec: { replicas: 3 } })).toBe('pass');
    expect(statusOf({ spec: { replicas: 3 } }, { spec: { replicas: '3' } })).toBe('pass');
    expect(statusOf({ spec: { replicas: 3 } }, { spec: { replicas: '>1' } })).toBe('pass');
    expect(statusOf({ spec: { replicas: 1 } }, { spec: { replicas: '>1' } })).toBe('fail');
    expect(statusOf({ spec: { hostNetwork: false } }, { spec: { hostNetwork: false } })).toBe('pass');
    expect(statusOf({ spec: { hostNetwork: 'false' } }, { spec: { hostNetwork: false } })).toBe('fail');
    expect(statusOf({ spec: { hostNetwork: false } }, { spec: { hostNetwork: 'false' } })).toBe('pass');
  });
});

describe('wildcard keys under metadata', () => {
  it.each([
    [{ metadata: { annotations: { 'test/*': 'value1' } } }, { metadata: { annotations: { 'test/bar': 'value1' } } }, 'pass', undefined],
    [{ metadata: { annotations: { 'test/b??': 'v*' } } }, { metadata: { annotations: { 'test/bar': 'value1' } } }, 'pass', undefined],
    [{}, { metadata: { annotations: { 'test/bar': 'value1' } } }, 'pass', undefined],
    [{ metadata: { annotations: { 'test/b??': 'v*' } } }, { metadata: { labels: { 'test/bar': 'value1' } } }, 'fail', '/metadata/annotations/'],
    [{ metadata: { labels: { '*/test': 'foo' } } }, { metadata: { labels: { 'foo/test': 'foo' } } }, 'pass', undefined],
    [{ metadata: { labels: { 'foo/a*': 'bar' } } }, { metadata: { labels: { 'foo/aa?': 'bar', 'foo/789': 'bar' } } }, 'pass', undefined],
    [{ metadata: { labels: { 'foo/ABC*': 'bar' } } }, { metadata: { labels: { 'foo/AB?': 'bar', 'foo/ABC': 'bar2' } } }, 'fail', '/metadata/labels/foo/ABC/'],
    [{ '=(metadata)': { '=(labels)': { 'foo/P*': 'bar', 'foo/Q*': 'bar2' } } }, { metadata: { labels: { 'foo/PQR': 'bar', 'foo/QR': 'bar2' } } }, 'pass', undefined],
    [{ metadata: { labels: { 'foo/1*': 'bar' } } }, { metadata: { labels: { 'foo/123': 'bar222' } } }, 'fail', '/metadata/labels/foo/123/'],
    [{ metadata: { labels: { 'foo/X*': 'bar', 'foo/A*': 'bar2' } } }, { metadata: { labels: { 'foo/XYZ': 'bar' } } }, 'fail', '/metadata/labels/foo/A*/'],
    [{ '=(metadata)': { '=(labels)': { 'foo/1*': 'bar', 'foo/4*': 'bar2' } } }, { metadata: { labels: { 'foo/123': 'bar' } } }, 'fail', '/metadata/labels/foo/4*/'],
    [{ metadata: { labels: { '(team/*)': 'a*', tier: 'gold' } } }, { metadata: { labels: { 'team/x': 'b', tier: 'silver' } } }, 'skip', undefined],
  ])('%j on %j', (pattern, resource, status, path) => {
    const r = validatePattern(resource, pattern);
    expect(r.status).toBe(status);
    expect(r.path).toBe(path);
  });
  it('does not change the pattern it was given', () => {
    const pattern = { metadata: { labels: { 'foo/*': 'bar' } } };
    validatePattern({ metadata: { labels: { 'foo/x': 'bar' } } }, pattern);
    expect(pattern).toEqual({ metadata: { labels: { 'foo/*': 'bar' } } });
  });
});

describe('evaluation order decides between skip and fail', () => {
  // Keys holding anchors go first, each pushed to the front in key order, so `b` before `a`.
  const pattern = { a: { '(x)': 1 }, b: { '(y)': 2, v: 'k' }, c: 'z' };
  it('the last key (in key order) holding anchors is checked first', () => {
    expect(validatePattern({ a: { x: 5 }, b: { y: 2, v: 'other' }, c: 'z' }, pattern)).toMatchObject({ status: 'fail', path: '/b/v/' });
  });
  it('a plain key is checked after the keys holding anchors', () => {
    expect(validatePattern({ a: { x: 5 }, b: { y: 2, v: 'k' }, c: 'other' }, pattern).status).toBe('skip');
    expect(validatePattern({ a: { x: 1 }, b: { y: 2, v: 'k' }, c: 'other' }, pattern)).toMatchObject({ status: 'fail', path: '/c/' });
  });
  it('anchors of one map run in key order: ( before = before X before ^', () => {
    const p = { '^(list)': [{ n: 1 }], 'X(forbidden)': null, '=(opt)': 'yes', '(cond)': 'on' };
    expect(validatePattern({ cond: 'off', opt: 'no', forbidden: 1, list: [] }, p).status).toBe('skip');
    expect(validatePattern({ cond: 'on', opt: 'no', forbidden: 1, list: [] }, p)).toMatchObject({ status: 'fail', path: '/opt/' });
    expect(validatePattern({ cond: 'on', opt: 'yes', forbidden: 1, list: [] }, p)).toMatchObject({ status: 'fail', path: '/forbidden/' });
    // X(forbidden) is absent from the resource, so Kyverno drops the path (a rule error).
    const noPath = validatePattern({ cond: 'on', opt: 'yes', list: [] }, p);
    expect(noPath.status).toBe('fail');
    expect(noPath.path).toBeUndefined();
    expect(noPath.reason).toBe('existence anchor validation failed at path /list/');
    expect(validatePattern({ cond: 'on', opt: 'yes', list: [{ n: 1 }] }, p).status).toBe('pass');
  });
});

describe('odd inputs', () => {
  it('a map pattern against a non-map root fails at /', () => {
    expect(validatePattern('text', { a: 1 })).toMatchObject({ status: 'fail', path: '/' });
    expect(validatePattern(null, { a: 1 })).toMatchObject({ status: 'fail', path: '/' });
  });
  it('an empty pattern map accepts any map', () => {
    expect(validatePattern({ anything: [1, 2] }, {}).status).toBe('pass');
  });
  it('a scalar root pattern', () => {
    expect(validatePattern('abc', 'a*').status).toBe('pass');
    expect(validatePattern('abc', 'b*')).toMatchObject({ status: 'fail', path: '/' });
  });
  it('keys that look like object prototype members are plain keys', () => {
    expect(validatePattern({}, { constructor: '?*' }).status).toBe('fail');
    expect(validatePattern({ constructor: 'x' }, { constructor: '?*' }).status).toBe('pass');
  });
});
