// The GitOps sync check on its own (no cluster calls): each object as its admission request —
// CREATE when not live, UPDATE with the live object — Enforce failures and errors block,
// Audit failures are listed, namespace labels are read only when a policy has a
// namespaceSelector, and messages name resource, policy and rule.
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { parsePolicies, type Policy } from '../../src/engines/policy/index.js';
import type { ComparedResource } from '../../src/gitops/reconciler/compare.js';
import { auditMessage, checkSyncPolicies, describeResults, violationMessage } from '../../src/gitops/reconciler/policies.js';

const policy = (name: string, action: 'Enforce' | 'Audit', rule: Record<string, unknown>): Policy =>
  parsePolicies([{ apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name }, spec: { validationFailureAction: action, rules: [rule] } }])[0]!;

const cm = (name: string, data: Record<string, string>, namespace = 'shop'): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data });
const resource = (desired: KubeObject, live?: KubeObject): ComparedResource => ({
  ref: { group: '', version: 'v1', kind: desired.kind, namespace: desired.metadata.namespace ?? '', name: desired.metadata.name ?? '' },
  desired: { manifest: { key: { group: '', kind: desired.kind, namespace: '', name: '' }, object: desired, origin: { source: 'test' } }, object: desired, ref: { group: '', version: 'v1', kind: desired.kind, namespace: desired.metadata.namespace ?? '', name: desired.metadata.name ?? '' }, hook: false, pendingDefinition: false },
  live,
  hook: false,
  status: 'OutOfSync',
  requiresPruning: false,
  counted: true,
});

/** Denies changing data.mode of an existing ConfigMap (UPDATE only, comparing with oldObject). */
const immutableMode = policy('immutable-mode', 'Enforce', {
  name: 'keep-mode',
  match: { any: [{ resources: { kinds: ['ConfigMap'], operations: ['UPDATE'] } }] },
  validate: {
    message: 'data.mode cannot change',
    deny: { conditions: { any: [{ key: '{{ request.object.data.mode }}', operator: 'NotEquals', value: '{{ request.oldObject.data.mode }}' }] } },
  },
});
const needsOwner = (action: 'Enforce' | 'Audit') =>
  policy(`needs-owner-${action.toLowerCase()}`, action, {
    name: 'owner',
    match: { any: [{ resources: { kinds: ['ConfigMap'], namespaceSelector: { matchLabels: { tier: 'prod' } } } }] },
    validate: { message: 'an owner is required', pattern: { data: { owner: '?*' } } },
  });

describe('checkSyncPolicies', () => {
  test('an object not live is a CREATE; a live one an UPDATE with the live object as oldObject', async () => {
    const none = async () => undefined;
    const created = await checkSyncPolicies([immutableMode], [resource(cm('a', { mode: 'x' }))], none);
    expect(created).toEqual({ blocking: [], audit: [], policies: 1 });

    const same = await checkSyncPolicies([immutableMode], [resource(cm('a', { mode: 'x' }), cm('a', { mode: 'x' }))], none);
    expect(same.blocking).toEqual([]);

    const changed = await checkSyncPolicies([immutableMode], [resource(cm('a', { mode: 'y' }), cm('a', { mode: 'x' }))], none);
    expect(changed.blocking.map((r) => [r.policy, r.rule, r.status, r.resource.name])).toEqual([['immutable-mode', 'keep-mode', 'fail', 'a']]);
    expect(violationMessage(changed)).toBe(`policy violation: 1 Enforce rule failed, nothing applied: ConfigMap/shop/a: immutable-mode/keep-mode: ${changed.blocking[0]!.message}`);
  });

  test('namespace labels are asked for once per namespace, and only when a policy selects namespaces', async () => {
    const asked: string[] = [];
    const labels = async (ns: string): Promise<Record<string, string>> => {
      asked.push(ns);
      return ns === 'prod' ? { tier: 'prod' } : {};
    };
    const objs = [resource(cm('a', {}, 'prod')), resource(cm('b', {}, 'prod')), resource(cm('c', {}, 'dev')), resource(cm('d', { owner: 'me' }, 'prod'))];
    const check = await checkSyncPolicies([needsOwner('Enforce'), needsOwner('Audit')], objs, labels);
    expect(asked).toEqual(['prod', 'dev']);
    expect(check.blocking.map((r) => r.resource.name)).toEqual(['a', 'b']);
    expect(check.audit.map((r) => r.resource.name)).toEqual(['a', 'b']);
    expect(auditMessage(check)).toMatch(/^2 Audit rules failed \(applied anyway\): ConfigMap\/prod\/a: needs-owner-audit\/owner: validation error: an owner is required\./);

    asked.length = 0;
    await checkSyncPolicies([immutableMode], objs, labels);
    expect(asked).toEqual([]);
  });

  test('no policies: nothing checked; long lists are cut', async () => {
    expect(await checkSyncPolicies([], [resource(cm('a', {}))], async () => undefined)).toEqual({ blocking: [], audit: [], policies: 0 });
    const many = await checkSyncPolicies([needsOwner('Enforce')], Array.from({ length: 12 }, (_, i) => resource(cm(`c${i}`, {}, 'prod'))), async () => ({ tier: 'prod' }));
    expect(many.blocking).toHaveLength(12);
    expect(describeResults(many.blocking)).toMatch(/; and 2 more$/);
    expect(describeResults(many.blocking).split('; ')).toHaveLength(11);
  });
});
