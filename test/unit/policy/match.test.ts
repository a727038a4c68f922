import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import type { AdmissionContext } from '../../../src/engines/policy/types.js';
import {
  containsKind,
  kindMatches,
  labelSelectorMatches,
  matchBlock,
  parseKindSelector,
  ruleMatches,
  usesUserInfo,
} from '../../../src/engines/policy/match.js';

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web', tier: 'front' }, annotations: { 'team.io/owner': 'payments' } },
};
const deploy: KubeObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } };
const flow: KubeObject = { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kind: 'FlowSchema', metadata: { name: 'f' } };
const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { env: 'prod' } } };

describe('kind selectors', () => {
  it.each([
    ['Pod', { group: '*', version: '*', kind: 'Pod', subresource: '' }],
    ['v1/Pod', { group: '*', version: 'v1', kind: 'Pod', subresource: '' }],
    ['apps/v1/Deployment', { group: 'apps', version: 'v1', kind: 'Deployment', subresource: '' }],
    ['flowcontrol.apiserver.k8s.io/*/FlowSchema', { group: 'flowcontrol.apiserver.k8s.io', version: '*', kind: 'FlowSchema', subresource: '' }],
    ['Pod/exec', { group: '*', version: '*', kind: 'Pod', subresource: 'exec' }],
    ['v1/Pod/exec', { group: '*', version: 'v1', kind: 'Pod', subresource: 'exec' }],
    ['apps/v1/Deployment/scale', { group: 'apps', version: 'v1', kind: 'Deployment', subresource: 'scale' }],
  ])('%s', (text, want) => {
    expect(parseKindSelector(text)).toEqual(want);
  });

  it.each([
    ['Pod', pod, true],
    ['v1/Pod', pod, true],
    ['v2/Pod', pod, false],
    ['Deployment', pod, false],
    ['apps/v1/Deployment', deploy, true],
    ['apps/*/Deployment', deploy, true],
    ['batch/*/Deployment', deploy, false],
    ['*', deploy, true],
    ['Deploy*', deploy, true],
    ['flowcontrol.apiserver.k8s.io/*/FlowSchema', flow, true],
    ['Pod/exec', pod, false],
  ])('%s on %s', (sel, obj, want) => {
    expect(kindMatches(sel, obj)).toBe(want);
  });

  it('containsKind reads group/version prefixes', () => {
    expect(containsKind(['v1/Pod'], 'Pod')).toBe(true);
    expect(containsKind(['Deployment'], 'Pod')).toBe(false);
  });
});

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front' };
  it.each([
    [{ matchLabels: { app: 'web' } }, true],
    [{ matchLabels: { app: 'db' } }, false],
    [{ matchLabels: { app: 'w*' } }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] }, false],
    [{ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'Bogus' }] }, false],
    [{}, true],
  ])('%j', (sel, want) => {
    expect(labelSelectorMatches(sel, labels)).toBe(want);
  });
});

describe('match blocks', () => {
  it('any: one filter suffices; all: every filter', () => {
    const a = { resources: { kinds: ['Pod'] } };
    const b = { resources: { kinds: ['Service'] } };
    expect(matchBlock({ any: [b, a] }, pod)).toBe(true);
    expect(matchBlock({ all: [b, a] }, pod)).toBe(false);
    expect(matchBlock({ all: [a, { resources: { namespaces: ['shop'] } }] }, pod)).toBe(true);
  });

  it('the legacy form and empty blocks', () => {
    expect(matchBlock({ resources: { kinds: ['Pod'] } }, pod)).toBe(true);
    expect(matchBlock({}, pod)).toBe(false);
    expect(matchBlock({ any: [{}] }, pod)).toBe(false);
    expect(matchBlock(undefined, pod)).toBe(false);
  });

  it.each([
    [{ kinds: ['Pod'], names: ['web-*'] }, true],
    [{ kinds: ['Pod'], names: ['api'] }, false],
    [{ kinds: ['Pod'], name: 'web-?' }, true],
    [{ kinds: ['Pod'], namespaces: ['sh*'] }, true],
    [{ kinds: ['Pod'], namespaces: ['kube-system'] }, false],
    [{ kinds: ['Pod'], selector: { matchLabels: { app: 'web' } } }, true],
    [{ kinds: ['Pod'], selector: { matchLabels: { app: 'db' } } }, false],
    [{ kinds: ['Pod'], annotations: { 'team.io/*': 'pay*' } }, true],
    [{ kinds: ['Pod'], annotations: { 'team.io/owner': 'ops' } }, false],
    [{ kinds: ['Pod'], operations: ['CREATE'] }, true],
    [{ kinds: ['Pod'], operations: ['DELETE'] }, false],
  ])('resources %j', (res, want) => {
    expect(matchBlock({ any: [{ resources: res }] }, pod)).toBe(want);
  });

  it('a resource with only generateName is matched by it', () => {
    const gen = { apiVersion: 'v1', kind: 'Pod', metadata: { generateName: 'job-', namespace: 'shop' } } as unknown as KubeObject;
    expect(matchBlock({ any: [{ resources: { kinds: ['Pod'], names: ['job-*'] } }] }, gen)).toBe(true);
    expect(matchBlock({ any: [{ resources: { kinds: ['Pod'], names: ['web-*'] } }] }, gen)).toBe(false);
  });

  it('operations follow the request', () => {
    const upd: AdmissionContext = { operation: 'UPDATE' };
    expect(matchBlock({ any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] }, pod, upd)).toBe(true);
    expect(matchBlock({ any: [{ resources: { kinds: ['Pod'], operations: ['UPDATE'] } }] }, pod, { operation: 'CREATE', variables: { 'request.operation': 'UPDATE' } })).toBe(true);
  });

  it('namespaceSelector uses the namespace labels (a Namespace its own)', () => {
    const sel = { any: [{ resources: { kinds: ['Pod', 'Namespace'], namespaceSelector: { matchLabels: { env: 'prod' } } } }] };
    expect(matchBlock(sel, pod, { operation: 'CREATE', namespaceLabels: { env: 'prod' } })).toBe(true);
    expect(matchBlock(sel, pod, { operation: 'CREATE', namespaceLabels: { env: 'dev' } })).toBe(false);
    expect(matchBlock(sel, pod)).toBe(false);
    expect(matchBlock(sel, ns)).toBe(true);
  });

  it('a Namespace is in its own namespace for namespaces filters', () => {
    expect(matchBlock({ any: [{ resources: { kinds: ['Namespace'], namespaces: ['shop'] } }] }, ns)).toBe(true);
  });

  it('subjects, roles and clusterRoles need the request user', () => {
    const ctx: AdmissionContext = {
      operation: 'CREATE',
      userInfo: { username: 'system:serviceaccount:ci:deployer', groups: ['devs'] },
      roles: ['shop:editor'],
      clusterRoles: ['cluster-admin'],
    };
    const block = (extra: object) => ({ any: [{ resources: { kinds: ['Pod'] }, ...extra }] });
    expect(matchBlock(block({ clusterRoles: ['cluster-admin'] }), pod, ctx)).toBe(true);
    expect(matchBlock(block({ clusterRoles: ['cluster-admin'] }), pod)).toBe(false);
    expect(matchBlock(block({ roles: ['shop:editor'] }), pod, ctx)).toBe(true);
    expect(matchBlock(block({ subjects: [{ kind: 'ServiceAccount', name: 'deployer', namespace: 'ci' }] }), pod, ctx)).toBe(true);
    expect(matchBlock(block({ subjects: [{ kind: 'Group', name: 'dev*' }] }), pod, ctx)).toBe(true);
    expect(matchBlock(block({ subjects: [{ kind: 'User', name: 'alice' }] }), pod, ctx)).toBe(false);
    // a filter of only clusterRoles (as in exclude blocks)
    expect(matchBlock({ any: [{ clusterRoles: ['cluster-admin'] }] }, pod, ctx)).toBe(true);
    expect(usesUserInfo({ any: [{ clusterRoles: ['x'] }] })).toBe(true);
    expect(usesUserInfo({ any: [{ resources: { kinds: ['Pod'] } }] })).toBe(false);
  });
});

describe('rules', () => {
  const rule = { match: { any: [{ resources: { kinds: ['Pod'] } }] }, exclude: { any: [{ resources: { namespaces: ['kube-*'] } }] } };
  it('exclude wins over match', () => {
    expect(ruleMatches(rule, pod)).toBe(true);
    expect(ruleMatches(rule, { ...pod, metadata: { ...pod.metadata, namespace: 'kube-system' } })).toBe(false);
  });
  it('a namespaced Policy applies only in its namespace', () => {
    expect(ruleMatches(rule, pod, undefined, { kind: 'Policy', namespace: 'shop' })).toBe(true);
    expect(ruleMatches(rule, pod, undefined, { kind: 'Policy', namespace: 'other' })).toBe(false);
    expect(ruleMatches(rule, pod, undefined, { kind: 'ClusterPolicy' })).toBe(true);
  });
});
