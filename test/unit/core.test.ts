import { describe, expect, test } from 'vitest';
import {
  INSTALL_ORDER,
  InputError,
  ManifestError,
  UNINSTALL_ORDER,
  compareKinds,
  formatError,
  formatKey,
  formatKubectlRef,
  isPruneProtected,
  sortByInstallOrder,
  sortByUninstallOrder,
  splitApiVersion,
  type KubeObject,
  type SourceLocation,
} from '../../src/core/index.js';

/** An item with a kind and a tag that shows where it was in the input. */
interface Item {
  kind: string;
  tag: string;
}
const items = (spec: string): Item[] =>
  spec.split(' ').map((s) => {
    const [kind = '', tag = ''] = s.split('#');
    return { kind, tag };
  });
const show = (list: Item[]) => list.map((i) => (i.tag ? `${i.kind}#${i.tag}` : i.kind)).join(' ');
const kindOf = (i: Item) => i.kind;

describe('compareKinds', () => {
  test.each([
    ['Namespace', 'Deployment'],
    ['CustomResourceDefinition', 'Deployment'],
    ['PriorityClass', 'Namespace'],
    ['Namespace', 'CustomResourceDefinition'],
    ['ServiceAccount', 'Secret'],
    ['ConfigMap', 'Deployment'],
    ['Service', 'Deployment'],
    ['ClusterRole', 'RoleBinding'],
    ['Deployment', 'Ingress'],
    ['APIService', 'Certificate'],
    ['Certificate', 'Issuer'],
    // helm v3 has no webhook configurations in its table: they are unknown kinds, by name
    ['Certificate', 'ValidatingWebhookConfiguration'],
    ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'],
  ])('%s installs before %s', (first, second) => {
    expect(compareKinds(first, second)).toBeLessThan(0);
    expect(compareKinds(second, first)).toBeGreaterThan(0);
  });

  test.each(['Deployment', 'Widget'])('%s compares equal to itself', (kind) => {
    expect(compareKinds(kind, kind)).toBe(0);
  });

  test('a kind is matched by exact spelling, so a lower-case kind is unknown', () => {
    expect(compareKinds('deployment', 'APIService')).toBeGreaterThan(0);
  });
});

describe('sortByInstallOrder', () => {
  test('puts Namespace and CRD before the workloads that need them', () => {
    expect(show(sortByInstallOrder(items('Deployment Service CustomResourceDefinition ConfigMap Namespace'), kindOf))).toBe(
      'Namespace ConfigMap CustomResourceDefinition Service Deployment',
    );
  });

  test('puts unknown kinds last, sorted by name, after every known kind', () => {
    expect(show(sortByInstallOrder(items('Widget Certificate ValidatingWebhookConfiguration Namespace Alpha'), kindOf))).toBe(
      'Namespace Alpha Certificate ValidatingWebhookConfiguration Widget',
    );
  });

  test('keeps input order within a known kind and within an unknown kind', () => {
    const input = items('Widget#1 Deployment#1 Alpha#1 Deployment#2 Widget#2 Namespace#1 Deployment#3 Alpha#2 Namespace#2');
    expect(show(sortByInstallOrder(input, kindOf))).toBe(
      'Namespace#1 Namespace#2 Deployment#1 Deployment#2 Deployment#3 Alpha#1 Alpha#2 Widget#1 Widget#2',
    );
  });

  test('orders every kind of the install table exactly as the table lists it', () => {
    const shuffled = [...INSTALL_ORDER].reverse().map((kind) => ({ kind, tag: '' }));
    expect(sortByInstallOrder(shuffled, kindOf).map(kindOf)).toEqual(INSTALL_ORDER);
  });

  test('returns a new array and leaves the input alone', () => {
    const input = items('Deployment Namespace');
    const out = sortByInstallOrder(input, kindOf);
    expect(out).not.toBe(input);
    expect(show(input)).toBe('Deployment Namespace');
  });
});

describe('sortByUninstallOrder', () => {
  test('removes APIServices first and unknown kinds (webhook configurations in helm v3) last, by name', () => {
    const out = sortByUninstallOrder(items('Namespace Deployment MutatingWebhookConfiguration Service APIService ValidatingWebhookConfiguration'), kindOf);
    expect(show(out)).toBe('APIService Service Deployment Namespace MutatingWebhookConfiguration ValidatingWebhookConfiguration');
  });

  test('removes a Service right after Ingress and IngressClass, before the workloads', () => {
    const out = sortByUninstallOrder(items('Deployment Service CronJob IngressClass Ingress APIService'), kindOf);
    expect(show(out)).toBe('APIService Ingress IngressClass Service CronJob Deployment');
  });

  test('removes Namespace and PriorityClass last among known kinds, and unknown kinds after them', () => {
    const out = sortByUninstallOrder(items('PriorityClass Widget Namespace ConfigMap Alpha CustomResourceDefinition'), kindOf);
    expect(show(out)).toBe('CustomResourceDefinition ConfigMap Namespace PriorityClass Alpha Widget');
  });

  test('keeps input order within a kind', () => {
    expect(show(sortByUninstallOrder(items('Secret#1 Service#1 Secret#2 Service#2'), kindOf))).toBe('Service#1 Service#2 Secret#1 Secret#2');
  });

  test('is not the reverse of the install order', () => {
    expect(UNINSTALL_ORDER).not.toEqual([...INSTALL_ORDER].reverse());
    expect([...UNINSTALL_ORDER].sort()).toEqual([...INSTALL_ORDER].sort());
  });
});

describe('formatKey and formatKubectlRef', () => {
  test.each([
    [{ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' }, 'Deployment/shop/web', 'deployment.apps/web'],
    [{ group: '', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }, 'ConfigMap/shop/settings', 'configmap/settings'],
    [{ group: 'rbac.authorization.k8s.io', kind: 'ClusterRole', namespace: '', name: 'admin' }, 'ClusterRole/admin', 'clusterrole.rbac.authorization.k8s.io/admin'],
    [{ group: '', kind: 'Namespace', namespace: '', name: 'demo' }, 'Namespace/demo', 'namespace/demo'],
  ])('%j is %s, and %s for kubectl', (key, flux, kubectl) => {
    expect(formatKey(key)).toBe(flux);
    expect(formatKubectlRef(key)).toBe(kubectl);
  });
});

describe('splitApiVersion', () => {
  test.each([
    ['v1', '', 'v1'],
    ['apps/v1', 'apps', 'v1'],
    ['networking.k8s.io/v1', 'networking.k8s.io', 'v1'],
    ['example.com/v1alpha1', 'example.com', 'v1alpha1'],
  ])('%s has group %j and version %j', (apiVersion, group, version) => {
    expect(splitApiVersion(apiVersion)).toEqual({ group, version });
  });
});

describe('formatError', () => {
  test.each<[string, SourceLocation | undefined, string]>([
    ['a file, line and column', { file: 'a.yaml', line: 3, column: 7 }, 'a.yaml:3:7: boom'],
    ['a file and line', { file: 'a.yaml', line: 3 }, 'a.yaml:3: boom'],
    ['a file only', { file: 'a.yaml' }, 'a.yaml: boom'],
    ['a column without a line, which is dropped', { file: 'a.yaml', column: 7 }, 'a.yaml: boom'],
    ['no location', undefined, 'boom'],
  ])('an error with %s prints as file:line:column: message', (_name, at, want) => {
    expect(formatError(new InputError('boom', at))).toBe(want);
  });

  test('keeps the error class name and code', () => {
    const err = new ManifestError('bad', { file: 'x.yaml', line: 1 });
    expect(err.name).toBe('ManifestError');
    expect(err.code).toBe('SLW102');
    expect(err.exitCode).toBe(1);
  });
});

describe('isPruneProtected', () => {
  const withAnnotations = (annotations?: Record<string, string>): KubeObject => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'x', ...(annotations ? { annotations } : {}) },
  });

  test.each<[string, Record<string, string> | undefined, boolean]>([
    ["Helm's resource-policy keep", { 'helm.sh/resource-policy': 'keep' }, true],
    ["Argo CD's sync-options Prune=false", { 'argocd.argoproj.io/sync-options': 'Prune=false' }, true],
    ['Prune=false inside a comma list', { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=false' }, true],
    ['Prune=false inside a comma list with spaces', { 'argocd.argoproj.io/sync-options': 'Replace=true, Prune=false ,Validate=false' }, true],
    ["cli-utils' deletion detach", { 'client.lifecycle.config.k8s.io/deletion': 'detach' }, true],
    ["Slipway's own prune disabled", { 'slipway.dev/prune': 'disabled' }, true],
    ['no annotations at all', undefined, false],
    ['unrelated annotations', { 'app.kubernetes.io/name': 'web' }, false],
    ['a resource-policy other than keep', { 'helm.sh/resource-policy': 'delete' }, false],
    ['sync-options without Prune=false', { 'argocd.argoproj.io/sync-options': 'ServerSideApply=true,Prune=true' }, false],
    ['Prune=false only as part of a longer option', { 'argocd.argoproj.io/sync-options': 'Prune=falsey' }, false],
    ['a deletion policy other than detach', { 'client.lifecycle.config.k8s.io/deletion': 'orphan' }, false],
    ['slipway.dev/prune set to enabled', { 'slipway.dev/prune': 'enabled' }, false],
  ])('%s -> %s', (_name, annotations, want) => {
    expect(isPruneProtected(withAnnotations(annotations))).toBe(want);
  });
});
