/**
 * validatePattern on the patterns of common Kyverno policies (the best-practices and
 * pod-security libraries) and realistic Pods, with the result and path Kyverno gives.
 */
import { describe, expect, it } from 'vitest';
import { validatePattern } from '../../../src/engines/policy/pattern.js';

type Container = Record<string, unknown>;
const pod = (containers: Container[], extra: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'shop', ...metadata },
  spec: { containers, ...extra },
});
const nginx = (more: Container = {}): Container => ({ name: 'nginx', image: 'nginx:1.27', ...more });

describe('require-labels', () => {
  const pattern = { metadata: { labels: { 'app.kubernetes.io/name': '?*' } } };
  it('passes with the label', () => {
    expect(validatePattern(pod([nginx()], {}, { labels: { 'app.kubernetes.io/name': 'web' } }), pattern)).toEqual({ status: 'pass' });
  });
  it('fails at the label when it is missing among other labels', () => {
    expect(validatePattern(pod([nginx()], {}, { labels: { app: 'web' } }), pattern)).toMatchObject({
      status: 'fail',
      path: '/metadata/labels/app.kubernetes.io/name/',
    });
  });
  it('fails at labels when the Pod has none', () => {
    expect(validatePattern(pod([nginx()]), pattern)).toMatchObject({ status: 'fail', path: '/metadata/labels/' });
  });
  it('fails on an empty value', () => {
    expect(validatePattern(pod([nginx()], {}, { labels: { 'app.kubernetes.io/name': '' } }), pattern).status).toBe('fail');
  });
  it('on a Deployment the autogen pattern looks in the Pod template', () => {
    const autogen = { spec: { template: pattern } };
    const deploy = (labels?: Record<string, string>) => ({
      kind: 'Deployment',
      metadata: { name: 'web' },
      spec: { template: { metadata: labels ? { labels } : {}, spec: { containers: [nginx()] } } },
    });
    expect(validatePattern(deploy({ 'app.kubernetes.io/name': 'web' }), autogen).status).toBe('pass');
    expect(validatePattern(deploy(), autogen)).toMatchObject({ status: 'fail', path: '/spec/template/metadata/labels/' });
  });
});

describe('disallow-privileged-containers', () => {
  const privileged = { '=(securityContext)': { '=(privileged)': 'false' } };
  const pattern = { spec: { '=(ephemeralContainers)': [privileged], '=(initContainers)': [privileged], containers: [privileged] } };
  it.each<[string, ReturnType<typeof pod>, string, string | undefined]>([
    ['no securityContext', pod([nginx()]), 'pass', undefined],
    ['privileged: false', pod([nginx({ securityContext: { privileged: false } })]), 'pass', undefined],
    ['other securityContext fields', pod([nginx({ securityContext: { runAsUser: 1000 } })]), 'pass', undefined],
    ['privileged: true', pod([nginx({ securityContext: { privileged: true } })]), 'fail', '/spec/containers/0/securityContext/privileged/'],
    ['second container privileged', pod([nginx(), nginx({ name: 'b', securityContext: { privileged: true } })]), 'fail', '/spec/containers/1/securityContext/privileged/'],
    ['privileged init container', pod([nginx()], { initContainers: [nginx({ securityContext: { privileged: true } })] }), 'fail', '/spec/initContainers/0/securityContext/privileged/'],
    ['privileged ephemeral container', pod([nginx()], { ephemeralContainers: [nginx({ securityContext: { privileged: true } })] }), 'fail', '/spec/ephemeralContainers/0/securityContext/privileged/'],
  ])('%s', (_, resource, status, path) => {
    const r = validatePattern(resource, pattern);
    expect(r.status).toBe(status);
    expect(r.path).toBe(path);
  });
});

describe('require-pod-requests-limits', () => {
  const resources = { resources: { requests: { memory: '?*', cpu: '?*' }, limits: { memory: '?*' } } };
  const pattern = { spec: { containers: [resources], '=(initContainers)': [resources], '=(ephemeralContainers)': [resources] } };
  const full = { requests: { memory: '64Mi', cpu: '250m' }, limits: { memory: '128Mi' } };
  it('passes when every container has them', () => {
    expect(validatePattern(pod([nginx({ resources: full }), nginx({ name: 'b', resources: full })]), pattern).status).toBe('pass');
  });
  it('numbers count as values', () => {
    expect(validatePattern(pod([nginx({ resources: { requests: { memory: 67108864, cpu: 1 }, limits: { memory: 134217728 } } })]), pattern).status).toBe('pass');
  });
  it.each<[string, Container, string]>([
    ['no resources', nginx(), '/spec/containers/0/resources/'],
    ['no cpu request', nginx({ resources: { requests: { memory: '64Mi' }, limits: { memory: '128Mi' } } }), '/spec/containers/0/resources/requests/cpu/'],
    ['no memory limit', nginx({ resources: { requests: { memory: '64Mi', cpu: '1' }, limits: { cpu: '1' } } }), '/spec/containers/0/resources/limits/memory/'],
    ['no limits', nginx({ resources: { requests: { memory: '64Mi', cpu: '1' } } }), '/spec/containers/0/resources/limits/'],
  ])('fails with %s', (_, container, path) => {
    expect(validatePattern(pod([container]), pattern)).toMatchObject({ status: 'fail', path });
  });
  it('checks init containers too', () => {
    expect(validatePattern(pod([nginx({ resources: full })], { initContainers: [nginx()] }), pattern)).toMatchObject({
      status: 'fail',
      path: '/spec/initContainers/0/resources/',
    });
  });
  it('bounded limits with quantity operators', () => {
    const bounded = { spec: { containers: [{ resources: { limits: { memory: '<=1Gi', cpu: '<=2' }, requests: { cpu: '>=100m' } } }] } };
    const c = (memory: string, cpu: string | number, req: string) => pod([nginx({ resources: { limits: { memory, cpu }, requests: { cpu: req } } })]);
    expect(validatePattern(c('512Mi', '1500m', '100m'), bounded).status).toBe('pass');
    expect(validatePattern(c('1Gi', 2, '0.1'), bounded).status).toBe('pass');
    expect(validatePattern(c('2Gi', '1', '100m'), bounded)).toMatchObject({ status: 'fail', path: '/spec/containers/0/resources/limits/memory/' });
    expect(validatePattern(c('1Gi', '2500m', '100m'), bounded)).toMatchObject({ status: 'fail', path: '/spec/containers/0/resources/limits/cpu/' });
    expect(validatePattern(c('1Gi', '1', '50m'), bounded)).toMatchObject({ status: 'fail', path: '/spec/containers/0/resources/requests/cpu/' });
  });
});

describe('restrict-image-registries', () => {
  const image = { image: 'eu.foo.io/* | bar.io/*' };
  const pattern = { spec: { '=(ephemeralContainers)': [image], '=(initContainers)': [image], containers: [image] } };
  it.each<[string[], string[], string, string | undefined]>([
    [['eu.foo.io/app:1'], [], 'pass', undefined],
    [['bar.io/app:1', 'eu.foo.io/side:2'], [], 'pass', undefined],
    [['docker.io/app:1'], [], 'fail', '/spec/containers/0/image/'],
    [['bar.io/app:1', 'evil.io/bar.io/x'], [], 'fail', '/spec/containers/1/image/'],
    [['bar.io/app:1'], ['busybox'], 'fail', '/spec/initContainers/0/image/'],
    [['eu.foo.io.evil.com/app'], [], 'fail', '/spec/containers/0/image/'],
  ])('containers %j init %j -> %s', (images, inits, status, path) => {
    const resource = pod(
      images.map((i, n) => ({ name: `c${n}`, image: i })),
      inits.length ? { initContainers: inits.map((i, n) => ({ name: `i${n}`, image: i })) } : {},
    );
    const r = validatePattern(resource, pattern);
    expect(r.status).toBe(status);
    expect(r.path).toBe(path);
  });
});

describe('disallow-latest-tag', () => {
  const requireTag = { spec: { containers: [{ image: '*:*' }] } };
  const noLatest = { spec: { containers: [{ image: '!*:latest' }] } };
  it.each<[string, string, string]>([
    ['nginx:1.27', 'pass', 'pass'],
    ['nginx', 'fail', 'pass'],
    ['nginx:latest', 'pass', 'fail'],
    ['registry:5000/nginx', 'pass', 'pass'], // Kyverno's wildcard sees the port colon as a tag
  ])('%s: require a tag %s, forbid latest %s', (image, tag, latest) => {
    expect(validatePattern(pod([{ name: 'c', image }]), requireTag).status).toBe(tag);
    expect(validatePattern(pod([{ name: 'c', image }]), noLatest).status).toBe(latest);
  });
});

describe('imagepullpolicy-always', () => {
  const pattern = { spec: { containers: [{ '(image)': '*:latest | !*:*', imagePullPolicy: 'Always' }] } };
  it.each<[string, string | undefined, string]>([
    ['nginx:latest', 'Always', 'pass'],
    ['nginx:latest', 'IfNotPresent', 'fail'],
    ['nginx', undefined, 'fail'],
    ['nginx:1.27', 'IfNotPresent', 'skip'],
  ])('%s with %s -> %s', (image, policy, status) => {
    const c: Container = { name: 'c', image };
    if (policy) c['imagePullPolicy'] = policy;
    expect(validatePattern(pod([c]), pattern).status).toBe(status);
  });
});

describe('pod-security baseline', () => {
  const hostPath = { spec: { '=(volumes)': [{ 'X(hostPath)': 'null' }] } };
  it('disallow-host-path', () => {
    expect(validatePattern(pod([nginx()], { volumes: [{ name: 'd', emptyDir: {} }] }), hostPath).status).toBe('pass');
    expect(validatePattern(pod([nginx()]), hostPath).status).toBe('pass');
    expect(validatePattern(pod([nginx()], { volumes: [{ name: 'd', hostPath: { path: '/var/run/docker.sock' } }] }), hostPath)).toMatchObject({
      status: 'fail',
      path: '/spec/volumes/0/hostPath/',
    });
  });

  const namespaces = { spec: { '=(hostPID)': 'false', '=(hostIPC)': 'false', '=(hostNetwork)': 'false' } };
  it('disallow-host-namespaces', () => {
    expect(validatePattern(pod([nginx()]), namespaces).status).toBe('pass');
    expect(validatePattern(pod([nginx()], { hostNetwork: false }), namespaces).status).toBe('pass');
    expect(validatePattern(pod([nginx()], { hostNetwork: true }), namespaces)).toMatchObject({ status: 'fail', path: '/spec/hostNetwork/' });
    expect(validatePattern(pod([nginx()], { hostPID: true, hostIPC: true }), namespaces)).toMatchObject({ status: 'fail', path: '/spec/hostIPC/' });
  });

  const hostPorts = { spec: { containers: [{ '=(ports)': [{ '=(hostPort)': 0 }] }] } };
  it('disallow-host-ports', () => {
    expect(validatePattern(pod([nginx({ ports: [{ containerPort: 80 }] })]), hostPorts).status).toBe('pass');
    expect(validatePattern(pod([nginx({ ports: [{ containerPort: 80, hostPort: 0 }] })]), hostPorts).status).toBe('pass');
    expect(validatePattern(pod([nginx({ ports: [{ containerPort: 80, hostPort: 8080 }] })]), hostPorts)).toMatchObject({
      status: 'fail',
      path: '/spec/containers/0/ports/0/hostPort/',
    });
  });

  const seccompType = { '=(type)': 'RuntimeDefault | Localhost' };
  const seccomp = {
    spec: {
      '=(securityContext)': { '=(seccompProfile)': seccompType },
      containers: [{ '=(securityContext)': { '=(seccompProfile)': seccompType } }],
    },
  };
  it('restrict-seccomp', () => {
    expect(validatePattern(pod([nginx()]), seccomp).status).toBe('pass');
    expect(validatePattern(pod([nginx()], { securityContext: { seccompProfile: { type: 'RuntimeDefault' } } }), seccomp).status).toBe('pass');
    expect(validatePattern(pod([nginx()], { securityContext: { seccompProfile: { type: 'Unconfined' } } }), seccomp)).toMatchObject({
      status: 'fail',
      path: '/spec/securityContext/seccompProfile/type/',
    });
    expect(validatePattern(pod([nginx({ securityContext: { seccompProfile: { type: 'Unconfined' } } })]), seccomp)).toMatchObject({
      status: 'fail',
      path: '/spec/containers/0/securityContext/seccompProfile/type/',
    });
  });

  const capabilities = { spec: { containers: [{ '=(securityContext)': { '=(capabilities)': { '=(add)': ['AUDIT_WRITE | CHOWN | KILL | NET_BIND_SERVICE'] } } }] } };
  it('disallow-capabilities (each added capability from the allowed list)', () => {
    expect(validatePattern(pod([nginx({ securityContext: { capabilities: { add: ['CHOWN', 'KILL'] } } })]), capabilities).status).toBe('pass');
    expect(validatePattern(pod([nginx({ securityContext: { capabilities: { add: ['CHOWN', 'NET_ADMIN'] } } })]), capabilities)).toMatchObject({
      status: 'fail',
      path: '/spec/containers/0/securityContext/capabilities/add/',
    });
  });
});

describe('pod-security restricted', () => {
  const nonRootPod = {
    spec: {
      securityContext: { runAsNonRoot: 'true' },
      '=(initContainers)': [{ '=(securityContext)': { '=(runAsNonRoot)': 'true' } }],
      containers: [{ '=(securityContext)': { '=(runAsNonRoot)': 'true' } }],
    },
  };
  const nonRootContainers = {
    spec: { '=(initContainers)': [{ securityContext: { runAsNonRoot: 'true' } }], containers: [{ securityContext: { runAsNonRoot: 'true' } }] },
  };
  const anyPattern = (resource: unknown) => [validatePattern(resource, nonRootPod).status, validatePattern(resource, nonRootContainers).status];
  it('require-run-as-nonroot: either at Pod level or on every container', () => {
    expect(anyPattern(pod([nginx()], { securityContext: { runAsNonRoot: true } }))).toEqual(['pass', 'fail']);
    expect(anyPattern(pod([nginx({ securityContext: { runAsNonRoot: true } })]))).toEqual(['fail', 'pass']);
    expect(anyPattern(pod([nginx()]))).toEqual(['fail', 'fail']);
    expect(anyPattern(pod([nginx({ securityContext: { runAsNonRoot: false } })], { securityContext: { runAsNonRoot: true } }))).toEqual(['fail', 'fail']);
  });

  const runAsUser = { spec: { '=(securityContext)': { '=(runAsUser)': '>0' }, containers: [{ '=(securityContext)': { '=(runAsUser)': '>0' } }] } };
  it('require-run-as-non-root-user', () => {
    expect(validatePattern(pod([nginx({ securityContext: { runAsUser: 1000 } })]), runAsUser).status).toBe('pass');
    expect(validatePattern(pod([nginx({ securityContext: { runAsUser: 0 } })]), runAsUser)).toMatchObject({
      status: 'fail',
      path: '/spec/containers/0/securityContext/runAsUser/',
    });
    expect(validatePattern(pod([nginx()], { securityContext: { runAsUser: 0 } }), runAsUser)).toMatchObject({ status: 'fail', path: '/spec/securityContext/runAsUser/' });
  });

  const dropAll = { spec: { containers: [{ securityContext: { capabilities: { drop: ['ALL'] } } }] } };
  it('a scalar list pattern: drop must be exactly ALL entries', () => {
    expect(validatePattern(pod([nginx({ securityContext: { capabilities: { drop: ['ALL'] } } })]), dropAll).status).toBe('pass');
    expect(validatePattern(pod([nginx({ securityContext: { capabilities: { drop: ['NET_RAW'] } } })]), dropAll)).toMatchObject({
      status: 'fail',
      path: '/spec/containers/0/securityContext/capabilities/drop/',
    });
  });
});

describe('other resources', () => {
  it('restrict-node-port', () => {
    const p = { spec: { '=(type)': '!NodePort' } };
    expect(validatePattern({ kind: 'Service', spec: { type: 'ClusterIP' } }, p).status).toBe('pass');
    expect(validatePattern({ kind: 'Service', spec: {} }, p).status).toBe('pass');
    expect(validatePattern({ kind: 'Service', spec: { type: 'NodePort' } }, p)).toMatchObject({ status: 'fail', path: '/spec/type/' });
  });
  it('a replica range', () => {
    const p = { spec: { replicas: '2-10' } };
    expect(validatePattern({ spec: { replicas: 3 } }, p).status).toBe('pass');
    expect(validatePattern({ spec: { replicas: 1 } }, p).status).toBe('fail');
    expect(validatePattern({ spec: { replicas: 11 } }, p).status).toBe('fail');
  });
  it('a duration bound on a CRD field', () => {
    const p = { spec: { interval: '>=1m & <=1h' } };
    expect(validatePattern({ spec: { interval: '5m' } }, p).status).toBe('pass');
    expect(validatePattern({ spec: { interval: '30s' } }, p).status).toBe('fail');
    expect(validatePattern({ spec: { interval: '2h' } }, p).status).toBe('fail');
  });
  it('automountServiceAccountToken must be false', () => {
    const p = { automountServiceAccountToken: 'false' };
    expect(validatePattern({ kind: 'ServiceAccount', automountServiceAccountToken: false }, p).status).toBe('pass');
    expect(validatePattern({ kind: 'ServiceAccount', automountServiceAccountToken: true }, p).status).toBe('fail');
    expect(validatePattern({ kind: 'ServiceAccount' }, p)).toMatchObject({ status: 'fail', path: '/automountServiceAccountToken/' });
  });
});
