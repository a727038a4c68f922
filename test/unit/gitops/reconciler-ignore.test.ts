import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { JqSubsetError, applyIgnoreDifferences, jqPaths, matchingRules, parsePointer, withLiveIgnoredFields } from '../../../src/gitops/reconciler/ignore-differences.js';

const deployment = (): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', annotations: { 'a/b': 'x', keep: 'y' } },
  spec: {
    replicas: 3,
    template: {
      spec: {
        containers: [
          { name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'envoy:1' },
        ],
      },
    },
  },
});

describe('ignoreDifferences', () => {
  test('rules match by group and kind (or *), and by name and namespace when given', () => {
    const key = { group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' };
    const rules = [
      { group: 'apps', kind: 'Deployment' },
      { group: '*', kind: '*', name: 'web' },
      { kind: 'Deployment' },
      { group: 'apps', kind: 'Deployment', namespace: 'other' },
    ];
    expect(matchingRules(rules, key)).toEqual([rules[0], rules[1]]);
  });

  test('jsonPointers remove fields, with ~1 for a slash; missing paths are skipped', () => {
    expect(parsePointer('/metadata/annotations/a~1b')).toEqual(['metadata', 'annotations', 'a/b']);
    const out = applyIgnoreDifferences(deployment(), [{ kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/a~1b', '/spec/nope/x', '/spec/template/spec/containers/1'] }]);
    expect(out.spec).not.toHaveProperty('replicas');
    expect(out.metadata.annotations).toEqual({ keep: 'y' });
    expect((out.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toHaveLength(1);
    expect(deployment().spec).toHaveProperty('replicas'); // the input is not changed
  });

  test.each([
    ['.spec.replicas', [['spec', 'replicas']]],
    ['.metadata.annotations["a/b"]', [['metadata', 'annotations', 'a/b']]],
    ['.spec.template.spec.containers[1].image', [['spec', 'template', 'spec', 'containers', 1, 'image']]],
    ['.spec.template.spec.containers[-1].name', [['spec', 'template', 'spec', 'containers', 1, 'name']]],
    ['.spec.template.spec.containers[].image', [['spec', 'template', 'spec', 'containers', 0, 'image'], ['spec', 'template', 'spec', 'containers', 1, 'image']]],
    ['.spec.template.spec.containers[] | select(.name == "sidecar").image', [['spec', 'template', 'spec', 'containers', 1, 'image']]],
    ['.spec.template.spec.containers[] | select(.name != "sidecar") | .env', [['spec', 'template', 'spec', 'containers', 0, 'env']]],
    ['.spec.template.spec.containers[] | select(.name == "app" and .image == "nginx:1")', [['spec', 'template', 'spec', 'containers', 0]]],
    ['.spec.template.spec.containers[] | select(.missing == null).name', [['spec', 'template', 'spec', 'containers', 0, 'name'], ['spec', 'template', 'spec', 'containers', 1, 'name']]],
    ['.spec.nothing.here', []],
  ])('jq %s selects %j', (expr, paths) => {
    expect(jqPaths(deployment(), expr)).toEqual(paths);
  });

  test.each(['spec.replicas', '.a | length', '.a[] | select(.x > 1)', '.a[1:2]'])('jq %s is outside the subset and says so', (expr) => {
    expect(() => jqPaths(deployment(), expr)).toThrow(JqSubsetError);
  });

  test('jqPathExpressions remove every selected path, array items from the end', () => {
    const out = applyIgnoreDifferences(deployment(), [{ kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[]'] }]);
    expect((out.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toEqual([]);
  });

  test('managedFieldsManagers drop the leaves those managers own, on both sides', () => {
    const live = deployment();
    live.metadata.managedFields = [
      { manager: 'hpa', operation: 'Update', fieldsV1: { 'f:spec': { 'f:replicas': {} } } },
      {
        manager: 'injector',
        operation: 'Update',
        fieldsV1: { 'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"sidecar"}': { '.': {}, 'f:image': {}, 'f:name': {} } } } } } },
      },
      { manager: 'slipway', operation: 'Apply', fieldsV1: { 'f:metadata': { 'f:annotations': { 'f:keep': {} } } } },
    ];
    const desired = deployment();
    const rules = [{ kind: 'Deployment', managedFieldsManagers: ['hpa', 'injector'] }];
    for (const o of [applyIgnoreDifferences(live, rules, live), applyIgnoreDifferences(desired, rules, live)]) {
      expect(o.spec).not.toHaveProperty('replicas');
      expect((o.spec as { template: { spec: { containers: unknown[] } } }).template.spec.containers).toEqual([
        { name: 'app', image: 'nginx:1', env: [{ name: 'A', value: '1' }] },
        {},
      ]);
      expect(o.metadata.annotations).toEqual({ 'a/b': 'x', keep: 'y' });
    }
  });
});

describe('withLiveIgnoredFields (RespectIgnoreDifferences)', () => {
  test('ignored fields take the live value, or go when live has none', () => {
    const desired = deployment();
    const live = deployment();
    (live.spec as { replicas: number }).replicas = 7;
    delete live.metadata.annotations!.keep;
    const out = withLiveIgnoredFields(desired, live, [{ group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas', '/metadata/annotations/keep'] }]);
    expect((out.spec as { replicas: number }).replicas).toBe(7);
    expect(out.metadata.annotations).toEqual({ 'a/b': 'x' });
    expect((desired.spec as { replicas: number }).replicas).toBe(3);
  });

  test('jq paths are read on the live object', () => {
    const desired = deployment();
    const live = deployment();
    const containers = (live.spec as { template: { spec: { containers: { name: string; image: string }[] } } }).template.spec.containers;
    containers[1]!.image = 'envoy:9';
    const out = withLiveIgnoredFields(desired, live, [{ group: 'apps', kind: 'Deployment', jqPathExpressions: ['.spec.template.spec.containers[] | select(.name == "sidecar") | .image'] }]);
    const images = (out.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers.map((c) => c.image);
    expect(images).toEqual(['nginx:1', 'envoy:9']);
  });

  test('no rules: the object itself', () => {
    const d = deployment();
    expect(withLiveIgnoredFields(d, deployment(), [])).toBe(d);
  });
});
