import { describe, expect, it } from 'vitest';
import { validatePattern } from '../../../src/engines/policy/pattern.js';

type Status = 'pass' | 'fail' | 'skip';
type C = [name: string, image: string, imagePullPolicy: string];
const pod = (...containers: C[]) => ({
  spec: { containers: containers.map(([name, image, imagePullPolicy]) => ({ name, image, imagePullPolicy })) },
});

describe('conditional anchor on list elements: if the image is latest or untagged, imagePullPolicy must not be Always', () => {
  const pattern = { spec: { containers: [{ name: '*', '(image)': '*:latest | !*:*', imagePullPolicy: '!Always' }] } };
  it.each<[C[], Status]>([
    [[['nginx', 'nginx:1.2.3', 'Always']], 'skip'],
    [[['nginx', 'nginx:latest', 'Always']], 'fail'],
    [[['nginx', 'nginx', 'Always']], 'fail'],
    [[['nginx', 'nginx', 'Never']], 'pass'],
    [[['nginx', 'nginx:latest', 'Never']], 'pass'],
    [[['nginx', 'nginx:1.2.3', 'Never']], 'skip'],
    [[['nginx', 'nginx', 'Always'], ['busybox', 'busybox:1.28', 'Always']], 'fail'],
    [[['nginx', 'nginx:latest', 'Always'], ['busybox', 'busybox:1.28', 'Always']], 'fail'],
    [[['nginx', 'nginx:1.2.3', 'Always'], ['busybox', 'busybox:1.28', 'Always']], 'skip'],
    [[['nginx', 'nginx', 'Never'], ['busybox', 'busybox:1.28', 'Always']], 'pass'],
    [[['nginx', 'nginx:latest', 'Never'], ['busybox', 'busybox:1.28', 'Always']], 'pass'],
    [[['nginx', 'nginx:1.2.3', 'Never'], ['busybox', 'busybox:1.28', 'Always']], 'skip'],
    [[['busybox', 'busybox:1.28', 'Always'], ['nginx', 'nginx', 'Always']], 'fail'],
    [[['busybox', 'busybox:1.28', 'Always'], ['nginx', 'nginx:latest', 'Always']], 'fail'],
    [[['busybox', 'busybox:1.28', 'Always'], ['nginx', 'nginx:1.2.3', 'Always']], 'skip'],
    [[['busybox', 'busybox:1.28', 'Always'], ['nginx', 'nginx', 'Never']], 'pass'],
    [[['busybox', 'busybox:1.28', 'Always'], ['nginx', 'nginx:latest', 'Never']], 'pass'],
    [[['busybox', 'busybox:1.28', 'Always'], ['nginx', 'nginx:1.2.3', 'Never']], 'skip'],
    [[['busybox', 'busybox', 'Always'], ['nginx', 'nginx', 'Always']], 'fail'],
    [[['busybox', 'busybox:latest', 'Always'], ['nginx', 'nginx:latest', 'Always']], 'fail'],
    [[['busybox', 'busybox:1.2.3', 'Always'], ['nginx', 'nginx:latest', 'IfNotPresent']], 'pass'],
  ])('%j -> %s', (containers, status) => {
    expect(validatePattern(pod(...containers), pattern).status).toBe(status);
  });
  it('the or may be written the other way round', () => {
    const p = { spec: { containers: [{ name: '*', '(image)': '!*:* | *:latest', imagePullPolicy: '!Always' }] } };
    expect(validatePattern(pod(['nginx', 'nginx:latest', 'Always']), p).status).toBe('fail');
  });
  it('a failure names the element and field, a skip gives the reason', () => {
    const fail = validatePattern(pod(['a', 'a:1', 'Always'], ['b', 'b:latest', 'Always']), pattern);
    expect(fail).toMatchObject({ status: 'fail', path: '/spec/containers/1/imagePullPolicy/' });
    const skip = validatePattern(pod(['a', 'a:1', 'Always']), pattern);
    expect(skip.path).toBeUndefined();
    expect(skip.reason).toMatch(/^conditional anchor mismatch: .*\/spec\/containers\/0\/image\//);
  });
  it('a conditional anchor key missing from the element skips it', () => {
    expect(validatePattern({ spec: { containers: [{ name: 'a' }] } }, pattern)).toMatchObject({ status: 'skip' });
  });
});

describe('global anchor', () => {
  const pattern = { spec: { containers: [{ name: '*', '<(image)': '*:latest', imagePullPolicy: '!Always' }] } };
  it.each<[C[], Status]>([
    [[['nginx', 'nginx:v1', 'Always']], 'skip'],
    [[['nginx', 'nginx', 'Always']], 'skip'],
    [[['nginx', 'nginx:latest', 'Always']], 'fail'],
    [[['nginx', 'nginx:latest', 'IfNotPresent']], 'pass'],
    [[['nginx', 'nginx:latest', 'IfNotPresent'], ['nginx', 'nginx:v2', 'IfNotPresent']], 'pass'],
    [[['nginx', 'nginx:v2', 'Always'], ['nginx', 'nginx:latest', 'Always']], 'fail'],
  ])('%j -> %s', (containers, status) => {
    expect(validatePattern(pod(...containers), pattern).status).toBe(status);
  });

  it('a global anchor in a nested list element applies to its container', () => {
    const p = { spec: { containers: [{ name: '*', '<(image)': 'nginx', env: [{ '<(name)': 'foo', '<(value)': 'bar' }], imagePullPolicy: '!Always' }] } };
    const res = (envName: string, policy: string) => ({
      spec: { containers: [{ name: 'nginx', image: 'nginx', env: [{ name: envName, value: 'bar' }], imagePullPolicy: policy }] },
    });
    expect(validatePattern(res('foo1', 'Always'), p).status).toBe('skip');
    expect(validatePattern(res('foo', 'Always'), p)).toMatchObject({ status: 'fail', path: '/spec/containers/0/imagePullPolicy/' });
    const noImage = { spec: { containers: [{ name: '*', env: [{ '<(name)': 'foo', '<(value)': 'bar' }], imagePullPolicy: '!Always' }] } };
    expect(validatePattern(res('foo1', 'Always'), noImage).status).toBe('skip');
    expect(validatePattern(res('foo', 'IfNotpresent'), noImage).status).toBe('pass');
    expect(validatePattern(res('foo', 'Always'), noImage).status).toBe('fail');
  });

  it('images from corp.reg.com need the corp pull secret (the documented example)', () => {
    const p = { spec: { containers: [{ name: '*', '<(image)': 'corp.reg.com/*' }], imagePullSecrets: [{ name: 'my-registry-secret' }] } };
    const res = (image: string, secret: string) => ({ spec: { containers: [{ name: 'web', image }], imagePullSecrets: [{ name: secret }] } });
    expect(validatePattern(res('corp.reg.com/nginx', 'other-secret'), p)).toMatchObject({ status: 'fail', path: '/spec/imagePullSecrets/0/name/' });
    expect(validatePattern(res('corp.reg.com/nginx', 'my-registry-secret'), p).status).toBe('pass');
    expect(validatePattern(res('docker.io/nginx', 'other-secret'), p).status).toBe('skip');
  });

  it('a global anchor under metadata decides for the whole resource', () => {
    const p = { metadata: { '<(name)': 'nginx' }, spec: { imagePullSecrets: [{ name: 'regcred' }] } };
    const res = (name: string) => ({ metadata: { name }, spec: { containers: [{ name: 'nginx', image: 'nginx:latest' }], imagePullSecrets: [{ name: 'cred' }] } });
    expect(validatePattern(res('somename'), p).status).toBe('skip');
    expect(validatePattern(res('nginx'), p)).toMatchObject({ status: 'fail', path: '/spec/imagePullSecrets/0/name/' });
  });

  it('a global anchor whose key is absent does nothing', () => {
    expect(validatePattern({ spec: { containers: [{ name: 'a', imagePullPolicy: 'Always' }] } }, pattern)).toMatchObject({
      status: 'fail',
      path: '/spec/containers/0/imagePullPolicy/',
    });
  });

  it('a global anchor in labels gates another part of the resource', () => {
    const p = { metadata: { labels: { '<(foo)': 'bar' } }, spec: { containers: [{ name: 'nginx', image: '!*:latest' }] } };
    const res = (image: string, foo: string) => ({ metadata: { name: 'nginx', labels: { foo } }, spec: { containers: [{ name: 'nginx', image }] } });
    expect(validatePattern(res('nginx', 'bar'), p).status).toBe('pass');
    expect(validatePattern(res('nginx:latest', 'bar'), p).status).toBe('fail');
    expect(validatePattern(res('nginx:latest', 'baz'), p).status).toBe('skip');
  });
});

describe('conditional anchors on maps: if-then over siblings', () => {
  const dockerSock = { metadata: { labels: { 'allow-docker': 'true' } }, '(spec)': { '(volumes)': [{ '(hostPath)': { path: '/var/run/docker.sock' } }] } };
  const res = (labels: Record<string, string>, volumes?: unknown[]) => ({
    metadata: { labels, name: 'nginx' },
    spec: { containers: [{ image: 'nginx', name: 'nginx' }], ...(volumes ? { volumes } : {}) },
  });
  const sock = [{ hostPath: { path: '/var/run/docker.sock' } }];
  it.each<[Record<string, string>, unknown[] | undefined, Status]>([
    [{ run: 'nginx' }, undefined, 'skip'],
    [{ run: 'nginx' }, sock, 'fail'],
    [{ run: 'nginx' }, [{ hostPath: { path: '/randome/value' } }], 'skip'],
    [{ run: 'nginx', 'allow-docker': 'true' }, sock, 'pass'],
    [{ run: 'nginx', 'allow-docker': 'false' }, sock, 'fail'],
    [{ run: 'nginx', 'allow-docker': 'true' }, undefined, 'skip'],
    [{ run: 'nginx' }, [{ emptyDir: {} }], 'skip'],
    [{ run: 'nginx' }, [{ emptyDir: {} }, { hostPath: { path: '/var/run/docker.sock' } }], 'fail'],
  ])('labels %j volumes %j -> %s', (labels, volumes, status) => {
    expect(validatePattern(res(labels, volumes), dockerSock).status).toBe(status);
  });
  it('the failure is reported at the label', () => {
    expect(validatePattern(res({ run: 'nginx' }, sock), dockerSock)).toMatchObject({ path: '/metadata/labels/allow-docker/' });
  });
  it('a condition on a scalar field: a LoadBalancer Service needs the TLS annotation', () => {
    const p = { metadata: { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': '?*' } }, '(spec)': { '(type)': 'LoadBalancer' } };
    const svc = (type: string, annotations?: Record<string, string>) => ({ metadata: { name: 's', ...(annotations ? { annotations } : {}) }, spec: { type } });
    expect(validatePattern(svc('ClusterIP'), p).status).toBe('skip');
    expect(validatePattern(svc('LoadBalancer'), p)).toMatchObject({ status: 'fail', path: '/metadata/annotations/' });
    expect(validatePattern(svc('LoadBalancer', { other: 'x' }), p)).toMatchObject({
      status: 'fail',
      path: '/metadata/annotations/service.beta.kubernetes.io/aws-load-balancer-ssl-cert/',
    });
    expect(validatePattern(svc('LoadBalancer', { 'service.beta.kubernetes.io/aws-load-balancer-ssl-cert': 'arn:x' }), p).status).toBe('pass');
  });
  it('a condition on a list of scalars: every DNS name must be in corp.com', () => {
    const p = { spec: { '(dnsNames)': ['*.corp.com'], issuerRef: { name: 'our-corp-issuer', kind: 'ClusterIssuer' } } };
    const cert = (dnsNames: string[], issuer: string) => ({ spec: { dnsNames, issuerRef: { name: issuer, kind: 'ClusterIssuer' } } });
    expect(validatePattern(cert(['a.corp.com', 'b.corp.com'], 'other'), p)).toMatchObject({ status: 'fail', path: '/spec/issuerRef/name/' });
    expect(validatePattern(cert(['a.corp.com'], 'our-corp-issuer'), p).status).toBe('pass');
    expect(validatePattern(cert(['a.corp.com', 'b.example.com'], 'other'), p).status).toBe('skip');
  });
  it('a failing condition deep inside a plain map skips the whole rule', () => {
    const p = { metadata: { labels: { '(tier)': 'frontend' } }, spec: { replicas: '>=2' } };
    expect(validatePattern({ metadata: { labels: { tier: 'backend' } }, spec: { replicas: 1 } }, p).status).toBe('skip');
    expect(validatePattern({ metadata: { labels: { tier: 'frontend' } }, spec: { replicas: 1 } }, p)).toMatchObject({ status: 'fail', path: '/spec/replicas/' });
    expect(validatePattern({ metadata: { labels: { tier: 'frontend' } }, spec: { replicas: 3 } }, p).status).toBe('pass');
  });
});

describe('conditional and equality anchors together (Kyverno’s sibling rules)', () => {
  const runAsUser = {
    spec: {
      '=(initContainers)': [{ '(name)': '!istio-init', '=(securityContext)': { '=(runAsUser)': '>0' } }],
      '=(containers)': [{ '=(securityContext)': { '=(runAsUser)': '>0' } }],
    },
  };
  it.each<[unknown, Status]>([
    [{ initContainers: [{ name: 'nginx', securityContext: { runAsUser: 1000 } }], containers: [{ name: 'nginx', image: 'nginx' }] }, 'pass'],
    [{ initContainers: [{ name: 'nginx', securityContext: { runAsUser: 0 } }], containers: [{ name: 'nginx', image: 'nginx' }] }, 'fail'],
    [{ initContainers: [{ name: 'istio-init', securityContext: { runAsUser: 0 } }], containers: [{ securityContext: { runAsUser: 1000 } }] }, 'pass'],
    [{ initContainers: [{ name: 'istio-init', securityContext: { runAsUser: 1000 } }], containers: [{ securityContext: { runAsUser: 0 } }] }, 'fail'],
    [{ containers: [{ securityContext: { runAsUser: 1000 } }] }, 'pass'],
    [{ containers: [{ securityContext: { runAsUser: 0 } }] }, 'fail'],
    [{ initContainers: [{ name: 'istio-init', securityContext: { runAsUser: 0 } }], containers: [{ name: 'nginx', image: 'nginx' }] }, 'pass'],
  ])('%j -> %s', (spec, status) => {
    expect(validatePattern({ spec }, runAsUser).status).toBe(status);
  });
  it('when the skipped list is the only anchor of its map, the rule is skipped', () => {
    const p = { spec: { '=(initContainers)': [{ '(name)': '!istio-init', '=(securityContext)': { '=(runAsUser)': '>0' } }] } };
    expect(validatePattern({ spec: { initContainers: [{ name: 'istio-init', securityContext: { runAsUser: 0 } }] } }, p).status).toBe('skip');
  });
  it('a failed condition makes a later sibling anchor failure irrelevant', () => {
    const p = { spec: { '=(volumes)': [{ '(name)': '!cache-volume', '=(emptyDir)': { sizeLimit: '?*' } }] } };
    expect(validatePattern({ spec: { volumes: [{ name: 'cache-volume', emptyDir: {} }] } }, p).status).toBe('skip');
    expect(validatePattern({ spec: { volumes: [{ name: 'other', emptyDir: {} }] } }, p)).toMatchObject({ status: 'fail', path: '/spec/volumes/0/emptyDir/sizeLimit/' });
  });
  const istioVolumes = { spec: { '=(volumes)': [{ '(name)': '!credential-socket&!istio-data&!istio-envoy&!workload-certs&!workload-socket', '=(emptyDir)': { sizeLimit: '?*' } }] } };
  it.each<[unknown[], Status]>([
    [[{ name: 'credential-socket', emptyDir: { sizeLimit: '1Gi' } }], 'skip'],
    [[{ name: 'cache-volume', emptyDir: { sizeLimit: '1Gi' } }], 'pass'],
    [[{ name: 'cache-volume' }], 'pass'],
    [[{ name: 'cache-volume', emptyDir: {} }], 'fail'],
    [[{ name: 'istio-data', emptyDir: {} }, { name: 'cache-volume', emptyDir: { sizeLimit: '1Gi' } }], 'pass'],
    [[{ name: 'istio-data', emptyDir: {} }, { name: 'cache-volume', emptyDir: {} }], 'fail'],
  ])('volumes %j -> %s', (volumes, status) => {
    expect(validatePattern({ spec: { volumes } }, istioVolumes).status).toBe(status);
  });
});

describe('equality anchor', () => {
  const p = { '=(spec)': { '=(volumes)': [{ '=(hostPath)': { path: '!/var/run/docker.sock' } }] } };
  it.each<[unknown, Status, string | undefined]>([
    [{ spec: { volumes: [{ hostPath: { path: '/var/run/docker.sock' } }] } }, 'fail', '/spec/volumes/0/hostPath/path/'],
    [{ spec: { volumes: [{ hostPath: { path: '/data' } }] } }, 'pass', undefined],
    [{ spec: { volumes: [{ emptyDir: {} }] } }, 'pass', undefined],
    [{ spec: {} }, 'pass', undefined],
    [{}, 'pass', undefined],
    [{ spec: { volumes: [{ emptyDir: {} }, { hostPath: { path: '/var/run/docker.sock' } }] } }, 'fail', '/spec/volumes/1/hostPath/path/'],
  ])('%j -> %s', (resource, status, path) => {
    const r = validatePattern(resource, p);
    expect(r.status).toBe(status);
    expect(r.path).toBe(path);
  });
  it('a scalar under an equality anchor must match when present', () => {
    const q = { spec: { '=(hostNetwork)': false } };
    expect(validatePattern({ spec: { hostNetwork: true } }, q)).toMatchObject({ status: 'fail', path: '/spec/hostNetwork/' });
    expect(validatePattern({ spec: { hostNetwork: false } }, q).status).toBe('pass');
    expect(validatePattern({ spec: {} }, q).status).toBe('pass');
  });
});

describe('existence anchor: at least one element', () => {
  const p = { spec: { '^(containers)': [{ image: 'nginx:latest' }] } };
  it.each<[unknown, Status]>([
    [{ spec: { containers: [{ image: 'busybox' }, { image: 'nginx:latest' }] } }, 'pass'],
    [{ spec: { containers: [{ image: 'busybox' }, { image: 'nginx:1' }] } }, 'fail'],
    [{ spec: { containers: [] } }, 'fail'],
    [{ spec: {} }, 'pass'], // Kyverno checks nothing when the list is absent
    [{ spec: { containers: { image: 'nginx:latest' } } }, 'fail'], // only lists
  ])('%j -> %s', (resource, status) => {
    expect(validatePattern(resource, p).status).toBe(status);
  });
  it('reports the list path', () => {
    expect(validatePattern({ spec: { containers: [{ image: 'busybox' }] } }, p).path).toBe('/spec/containers/');
  });
  it('with several pattern maps each needs its own match', () => {
    const q = { spec: { '^(containers)': [{ name: 'app' }, { name: 'sidecar' }] } };
    expect(validatePattern({ spec: { containers: [{ name: 'sidecar' }, { name: 'app' }] } }, q).status).toBe('pass');
    expect(validatePattern({ spec: { containers: [{ name: 'app' }] } }, q).status).toBe('fail');
  });
  it('nested conditions inside the existence pattern (list of objects with anchors)', () => {
    const q = { '^(list)': [{ '(name)': 'nirmata-*', object: [{ '(key1)': 'value*', key2: 'value*' }] }] };
    const r = {
      list: [
        { name: 'nirmata-1', object: [{ key1: 'value1', key2: 'value2' }] },
        { name: 'nirmata-1', object: [{ key1: 'not_value', key2: 'not_value' }] },
      ],
    };
    expect(validatePattern(r, q).status).toBe('pass');
  });
  it('a pattern that is not a list of maps is an error at the anchor', () => {
    expect(validatePattern({ spec: { containers: [{ image: 'x' }] } }, { spec: { '^(containers)': 'x' } })).toMatchObject({ status: 'fail', path: '/spec/containers/' });
  });
});

describe('negation anchor', () => {
  const hostPath = { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } };
  it.each<[unknown, Status, string | undefined]>([
    [{ spec: { volumes: [{ name: 'a', emptyDir: {} }] } }, 'pass', undefined],
    [{ spec: { volumes: [{ name: 'a', emptyDir: {} }, { name: 'b', hostPath: { path: '/etc' } }] } }, 'fail', '/spec/volumes/1/hostPath/'],
    [{ spec: {} }, 'pass', undefined],
    [{ spec: { volumes: [{ name: 'b', hostPath: null }] } }, 'fail', '/spec/volumes/0/hostPath/'], // present, even if null
  ])('%j -> %s', (resource, status, path) => {
    const r = validatePattern(resource, hostPath);
    expect(r.status).toBe(status);
    expect(r.path).toBe(path);
    if (status === 'fail') expect(r.reason).toContain('negation anchor matched in resource');
  });
  it('the value under X() is not evaluated', () => {
    expect(validatePattern({ spec: { nodeName: 'n1' } }, { spec: { 'X(nodeName)': 'n1' } }).status).toBe('fail');
    expect(validatePattern({ spec: {} }, { spec: { 'X(nodeName)': 'anything' } }).status).toBe('pass');
    expect(validatePattern({ spec: { externalIPs: [] } }, { spec: { 'X(externalIPs)': 'null' } }).status).toBe('fail');
  });
  it('keys with dots and slashes (linkerd annotations)', () => {
    const p = { metadata: { '=(annotations)': { 'X(config.linkerd.io/skip-inbound-ports)': 'null', 'X(config.linkerd.io/skip-outbound-ports)': 'null' } } };
    expect(validatePattern({ metadata: { annotations: { 'config.linkerd.io/skip-outbound-ports': '443' } } }, p)).toMatchObject({
      status: 'fail',
      path: '/metadata/annotations/config.linkerd.io/skip-outbound-ports/',
    });
    expect(validatePattern({ metadata: { annotations: { other: 'x' } } }, p).status).toBe('pass');
    expect(validatePattern({ metadata: {} }, p).status).toBe('pass');
  });
  it('with a wildcard key it forbids any matching annotation (Flux v1)', () => {
    const p = { metadata: { '=(annotations)': { 'X(fluxcd.io/*)': '*?' } } };
    expect(validatePattern({ metadata: { annotations: { 'fluxcd.io/automated': 'true' } } }, p)).toMatchObject({
      status: 'fail',
      path: '/metadata/annotations/fluxcd.io/automated/',
    });
    expect(validatePattern({ metadata: { annotations: { 'kustomize.toolkit.fluxcd.io/name': 'x' } } }, p).status).toBe('pass');
  });
  it('a negation failure wins even when anchor keys are missing elsewhere', () => {
    const p = { spec: { 'X(hostIPC)': 'null', 'X(hostPID)': 'null' } };
    expect(validatePattern({ spec: { hostPID: true } }, p)).toMatchObject({ status: 'fail', path: '/spec/hostPID/' });
  });
});

describe('failures without a path (Kyverno reports a rule error)', () => {
  it('a mismatch while a negation anchor key is absent from the resource', () => {
    const p = { spec: { source: { path: '?*', 'X(chart)': null } } };
    const r = validatePattern({ spec: { source: { repoURL: 'x' } } }, p);
    expect(r.status).toBe('fail');
    expect(r.path).toBeUndefined();
    expect(r.reason).toContain('/spec/source/path/');
  });
  it('the same mismatch with the anchor key present keeps its path', () => {
    const p = { spec: { containers: [{ '(name)': '*', image: 'corp/*' }] } };
    expect(validatePattern({ spec: { containers: [{ name: 'a', image: 'x' }] } }, p)).toMatchObject({ status: 'fail', path: '/spec/containers/0/image/' });
  });
});

describe('add-if-not-present anchor in a validate pattern', () => {
  it('is looked up literally, as Kyverno’s validate does, so it never finds a value', () => {
    expect(validatePattern({ spec: { imagePullPolicy: 'Always' } }, { spec: { '+(imagePullPolicy)': 'Always' } })).toMatchObject({
      status: 'fail',
      path: '/spec/+(imagePullPolicy)/',
    });
    expect(validatePattern({ spec: {} }, { spec: { '+(imagePullPolicy)': null } }).status).toBe('pass');
  });
});
