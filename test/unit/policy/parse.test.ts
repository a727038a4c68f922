import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { ManifestError } from '../../../src/core/errors.js';
import { parsePolicies, parsePolicy } from '../../../src/engines/policy/parse.js';

function policy(spec: unknown, extra: Partial<KubeObject> = {}): KubeObject {
  return { apiVersion: 'kyverno.io/v1', kind: 'ClusterPolicy', metadata: { name: 'p' }, spec, ...extra } as KubeObject;
}
const rule = { name: 'r', match: { any: [{ resources: { kinds: ['Pod'] } }] }, validate: { message: 'm', pattern: { metadata: { name: '?*' } } } };

describe('parsePolicy', () => {
  it('reads a v1 ClusterPolicy with defaults (Audit, background true)', () => {
    const p = parsePolicy(policy({ rules: [rule] }));
    expect(p).toMatchObject({ kind: 'ClusterPolicy', name: 'p', failureAction: 'Audit', background: true });
    expect(p.namespace).toBeUndefined();
    expect(p.rules).toHaveLength(1);
    expect(p.rules[0]).toMatchObject({ name: 'r', type: 'validate', validate: { message: 'm' } });
    expect(p.rules[0]!.validate!.failureAction).toBeUndefined();
  });

  it('reads validationFailureAction in any case and background false', () => {
    expect(parsePolicy(policy({ validationFailureAction: 'enforce', background: false, rules: [rule] }))).toMatchObject({ failureAction: 'Enforce', background: false });
    expect(parsePolicy(policy({ validationFailureAction: 'Audit', rules: [rule] })).failureAction).toBe('Audit');
  });

  it('reads the per-rule failureAction (v2beta1 and newer v1)', () => {
    const p = parsePolicy(policy({ rules: [{ ...rule, validate: { ...rule.validate, failureAction: 'Enforce' } }] }, { apiVersion: 'kyverno.io/v2beta1' }));
    expect(p.failureAction).toBe('Audit');
    expect(p.rules[0]!.validate!.failureAction).toBe('Enforce');
  });

  it('gives a namespaced Policy its namespace (default when absent)', () => {
    expect(parsePolicy(policy({ rules: [rule] }, { kind: 'Policy', metadata: { name: 'p', namespace: 'shop' } })).namespace).toBe('shop');
    expect(parsePolicy(policy({ rules: [rule] }, { kind: 'Policy' })).namespace).toBe('default');
  });

  it('keeps other rule types, typed', () => {
    const p = parsePolicy(
      policy({
        rules: [
          { name: 'm', match: rule.match, mutate: { patchStrategicMerge: {} } },
          { name: 'g', match: rule.match, generate: { kind: 'ConfigMap' } },
          { name: 'v', match: rule.match, verifyImages: [{ imageReferences: ['*'] }] },
        ],
      }),
    );
    expect(p.rules.map((r) => r.type)).toEqual(['mutate', 'generate', 'verifyImages']);
  });

  it('keeps the blocks as written and the source location', () => {
    const r = { ...rule, exclude: { any: [{ resources: { namespaces: ['kube-system'] } }] }, preconditions: { all: [{ key: 'a', operator: 'Equals', value: 'a' }] }, context: [{ name: 'x', variable: { value: 1 } }] };
    const p = parsePolicy(policy({ rules: [r] }), { file: 'p.yaml', line: 3 });
    expect(p.rules[0]).toMatchObject({ exclude: r.exclude, preconditions: r.preconditions, context: r.context });
    expect(p.at).toEqual({ file: 'p.yaml', line: 3 });
    expect(p.object.metadata.name).toBe('p');
  });

  it.each([
    [policy({ rules: [rule] }, { kind: 'Deployment' }), 'Deployment "p": kind: must be ClusterPolicy or Policy, got "Deployment"'],
    [policy({ rules: [rule] }, { apiVersion: 'kyverno.io/v9' }), 'ClusterPolicy "p": apiVersion: must be kyverno.io/v1 or kyverno.io/v2beta1, got "kyverno.io/v9"'],
    [policy({ rules: [rule] }, { metadata: {} as KubeObject['metadata'] }), 'ClusterPolicy "": metadata.name: required'],
    [policy(undefined), 'ClusterPolicy "p": spec: required'],
    [policy({ rules: [] }), 'ClusterPolicy "p": spec.rules: at least one rule is required'],
    [policy({ rules: [{ match: rule.match, validate: {} }] }), 'ClusterPolicy "p": spec.rules[0].name: required'],
    [policy({ rules: [rule, rule] }), 'ClusterPolicy "p": spec.rules[1].name: duplicate rule name "r"'],
    [policy({ rules: [{ name: 'r', validate: {} }] }), 'ClusterPolicy "p": spec.rules[0].match: required'],
    [policy({ rules: [{ ...rule, match: { any: 'Pod' } }] }), 'ClusterPolicy "p": spec.rules[0].match.any: must be a list'],
    [policy({ rules: [{ ...rule, match: { any: [{ resources: { kinds: 'Pod' } }] } }] }), 'ClusterPolicy "p": spec.rules[0].match.any[0].resources.kinds: must be a list of strings'],
    [policy({ rules: [{ ...rule, preconditions: { all: [{ key: 1, operator: 'Is' }] } }] }), 'ClusterPolicy "p": spec.rules[0].preconditions.all[0].operator: unknown operator "Is"'],
    [policy({ rules: [{ ...rule, validate: { deny: { conditions: { any: [{ key: 1, operator: 'X' }] } } } }] }), 'ClusterPolicy "p": spec.rules[0].validate.deny.conditions.any[0].operator: unknown operator "X"'],
    [policy({ validationFailureAction: 'Block', rules: [rule] }), 'ClusterPolicy "p": spec.validationFailureAction: must be Enforce or Audit, got "Block"'],
    [policy({ rules: [{ ...rule, validate: { anyPattern: {} } }] }), 'ClusterPolicy "p": spec.rules[0].validate.anyPattern: must be a list'],
    [policy({ rules: [{ name: 'r', match: rule.match }] }), 'ClusterPolicy "p": spec.rules[0]: needs one of validate, mutate, generate, verifyImages'],
    [policy({ rules: [{ ...rule, context: [{ variable: {} }] }] }), 'ClusterPolicy "p": spec.rules[0].context[0].name: required'],
  ])('refuses %#', (obj, message) => {
    expect(() => parsePolicy(obj)).toThrow(ManifestError);
    expect(() => parsePolicy(obj)).toThrow(message);
  });

  it('parsePolicies reads only Kyverno policies', () => {
    const objs = [policy({ rules: [rule] }), { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } } as KubeObject, policy({ rules: [rule] }, { kind: 'Policy', metadata: { name: 'q', namespace: 'a' } })];
    expect(parsePolicies(objs).map((p) => `${p.kind}/${p.name}`)).toEqual(['ClusterPolicy/p', 'Policy/q']);
  });
});
