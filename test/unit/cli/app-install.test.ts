import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import {
  DEFAULT_INSTALL_NAMESPACE,
  clusterRoleName,
  crdInstallAction,
  defaultImage,
  gitopsCrds,
  installCrds,
  installObjects,
} from '../../../src/gitops/index.js';

const find = (objects: KubeObject[], kind: string) => objects.find((o) => o.kind === kind)!;

describe('slipway install: the objects', () => {
  const objects = installObjects({ version: '1.2.3' });

  test('namespace, service account, RBAC, Deployment and Service, in apply order', () => {
    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      'Namespace/slipway-system',
      'ServiceAccount/slipway-controller',
      'ClusterRole/slipway-controller',
      'ClusterRoleBinding/slipway-controller',
      'Deployment/slipway-controller',
      'Service/slipway-controller',
    ]);
    for (const o of objects) {
      expect(o.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('slipway');
      if (!['Namespace', 'ClusterRole', 'ClusterRoleBinding'].includes(o.kind)) expect(o.metadata.namespace).toBe(DEFAULT_INSTALL_NAMESPACE);
      else expect(o.metadata.namespace).toBeUndefined();
    }
  });

  test('the controller may do everything, as Argo CD\'s application-controller', () => {
    const rules = find(objects, 'ClusterRole').rules as { apiGroups?: string[]; resources?: string[]; verbs: string[] }[];
    expect(rules).toContainEqual({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    expect(rules.some((r) => r.resources?.includes('leases'))).toBe(true);
    expect(rules.some((r) => r.resources?.includes('events'))).toBe(true);
    const binding = find(objects, 'ClusterRoleBinding') as KubeObject & { roleRef: { name: string }; subjects: unknown[] };
    expect(binding.roleRef.name).toBe('slipway-controller');
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: 'slipway-controller', namespace: 'slipway-system' }]);
  });

  test('the Deployment runs slipway controller --leader-elect with the version\'s image; the Service selects it on 8080', () => {
    const dep = find(objects, 'Deployment') as KubeObject & { spec: { selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: { serviceAccountName: string; containers: { image: string; args: string[]; ports: { containerPort: number }[] }[] } } } };
    const c = dep.spec.template.spec.containers[0]!;
    expect(c.image).toBe('ghcr.io/slipway/slipway:1.2.3');
    // Listening on every interface: the controller's default (loopback) is unreachable for probes and the Service.
    expect(c.args).toEqual(['controller', '--leader-elect', '--listen', '0.0.0.0:8080', '--lease-namespace', '$(POD_NAMESPACE)']);
    expect(c.ports[0]!.containerPort).toBe(8080);
    expect(dep.spec.template.spec.serviceAccountName).toBe('slipway-controller');
    expect(dep.spec.template.metadata.labels).toMatchObject(dep.spec.selector.matchLabels);
    const svc = find(objects, 'Service') as KubeObject & { spec: { selector: Record<string, string>; ports: { port: number }[] } };
    expect(svc.spec.selector).toEqual(dep.spec.selector.matchLabels);
    expect(svc.spec.ports[0]!.port).toBe(8080);
  });

  test('--image and another namespace (cluster-scoped names follow it)', () => {
    const other = installObjects({ version: '1.2.3', namespace: 'ops', image: 'registry.local/slipway:dev' });
    const dep = find(other, 'Deployment') as KubeObject & { spec: { template: { spec: { containers: { image: string }[] } } } };
    expect(dep.spec.template.spec.containers[0]!.image).toBe('registry.local/slipway:dev');
    expect(find(other, 'Namespace').metadata.name).toBe('ops');
    expect(find(other, 'ClusterRole').metadata.name).toBe('slipway-controller-ops');
    expect(clusterRoleName('ops')).toBe('slipway-controller-ops');
    expect(defaultImage('unknown')).toBe('ghcr.io/slipway/slipway:latest');
  });
});

describe('slipway install: CRDs', () => {
  test('every gitops CRD, labelled as Slipway\'s', () => {
    const crds = installCrds();
    expect(crds.map((c) => c.metadata.name)).toEqual(gitopsCrds().map((c) => c.metadata.name));
    expect(crds.map((c) => c.metadata.name)).toContain('applications.argoproj.io');
    for (const c of crds) expect(c.metadata.labels?.['app.kubernetes.io/managed-by']).toBe('slipway');
  });

  test('created when missing, updated when Slipway installed it, left alone when Argo CD or Flux did', () => {
    const crd = (labels?: Record<string, string>): KubeObject => ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'applications.argoproj.io', ...(labels ? { labels } : {}) } });
    expect(crdInstallAction(undefined)).toBe('create');
    expect(crdInstallAction(crd({ 'app.kubernetes.io/managed-by': 'slipway' }))).toBe('update');
    expect(crdInstallAction(crd({ 'app.kubernetes.io/part-of': 'argocd', 'app.kubernetes.io/name': 'applications.argoproj.io' }))).toBe('skip');
    expect(crdInstallAction(crd())).toBe('skip');
  });
});
