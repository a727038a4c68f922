import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { StrategicMergeError, patchSchemaFor, strategicMerge } from '../../../src/engines/kustomize/smp/index.js';

// Strategic merge as `kubectl kustomize` does it (kyaml merge2). Every expectation here was
// checked against kubectl kustomize v5.8.1; test/parity/kustomize-smp.test.ts does that on
// every run for a larger set.

type Obj = Record<string, unknown>;
const y = (text: string) => parse(text) as Obj;

const deployment = (spec: string) =>
  y(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
${spec.replace(/^(?=.)/gm, '      ')}`);

/** Merges a Deployment pod spec patch and returns the resulting pod spec. */
function podSpec(target: string, patch: string): unknown {
  const t = deployment(target);
  const out = strategicMerge(t, deployment(patch), patchSchemaFor('apps/v1', 'Deployment'));
  return (out as { spec: { template: { spec: unknown } } } | undefined)?.spec.template.spec;
}

const merge = (target: string, patch: string) => strategicMerge(y(target), y(patch), undefined);

describe('maps', () => {
  test.each([
    ['a patch field is added', 'a: 1', 'b: 2', 'a: 1\nb: 2'],
    ['a scalar is replaced', 'a: 1', 'a: x', 'a: x'],
    ['maps merge recursively', 'm: {a: 1, b: {c: 1}}', 'm: {b: {d: 2}}', 'm: {a: 1, b: {c: 1, d: 2}}'],
    ['null deletes a field', 'a: 1\nb: 2', 'a: null', 'b: 2'],
    ['null deletes a map', 'm: {a: 1}\nb: 2', 'm: ~', 'b: 2'],
    ['null for a missing field adds nothing', 'a: 1', 'z: null', 'a: 1'],
    ['an empty map changes nothing', 'm: {a: 1}', 'm: {}', 'm: {a: 1}'],
    ['an empty map is added where there was none', 'a: 1', 'm: {}', 'a: 1\nm: {}'],
    ['$patch: replace replaces a map', 'm: {a: 1, b: 2}', 'm: {$patch: replace, c: 3}', 'm: {c: 3}'],
    ['$patch: delete removes a map', 'm: {a: 1}\nb: 2', 'm: {$patch: delete}', 'b: 2'],
    ['$patch: merge merges', 'm: {a: 1}', 'm: {$patch: merge, b: 2}', 'm: {a: 1, b: 2}'],
    ['$patch: replace where there was no map adds it', 'a: 1', 'm: {$patch: replace, c: 3}', 'a: 1\nm: {c: 3}'],
    ['$patch: delete where there was no map adds nothing', 'a: 1', 'm: {$patch: delete}', 'a: 1'],
    ['an explicit null in the target stays', 'a: null\nb: 1', 'b: 2', 'a: null\nb: 2'],
    ['null over null deletes', 'a: null\nb: 1', 'a: null', 'b: 1'],
    ['a map replaces a null', 'a: null', 'a: {x: 1}', 'a: {x: 1}'],
  ])('%s', (_, target, patch, want) => {
    expect(merge(target, patch)).toEqual(y(want));
  });

  test('new fields come after the existing ones, in sorted order', () => {
    expect(Object.keys(merge('z: 1\na: 1', 'c: 1\nb: 1\na: 2')!)).toEqual(['z', 'a', 'b', 'c']);
  });

  test('an unknown directive is an error', () => {
    expect(() => merge('m: {a: 1}', 'm: {$patch: squash}')).toThrow(new StrategicMergeError("unknown patch strategy 'squash'"));
  });

  test('an unknown directive where the target has no map is kept as data', () => {
    expect(merge('a: 1', 'm: {$patch: squash, b: 1}')).toEqual(y('a: 1\nm: {$patch: squash, b: 1}'));
  });

  test.each([
    ['map for a scalar', 'a: 1', 'a: {b: 1}', 'wrong node kind: expected ScalarNode but got MappingNode'],
    ['list for a map', 'a: {b: 1}', 'a: [1]', 'wrong node kind: expected MappingNode but got SequenceNode'],
    ['scalar for a list', 'a: [1]', 'a: x', 'wrong node kind: expected SequenceNode but got ScalarNode'],
  ])('a %s is an error', (_, target, patch, message) => {
    expect(() => merge(target, patch)).toThrow(message);
  });
});

describe('the whole object', () => {
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: "1"}';

  test('$patch: delete at the top deletes the object', () => {
    expect(merge(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n$patch: delete')).toBeUndefined();
  });

  test('$patch: replace at the top leaves the target alone', () => {
    expect(merge(cm, 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n$patch: replace\ndata: {b: "2"}')).toEqual(y(cm));
  });

  test('an object emptied by the patch is gone', () => {
    expect(merge('a: 1', 'a: null')).toBeUndefined();
  });

  test('the inputs are not changed', () => {
    const target = y(cm);
    const patch = y('data: {a: null, $patch: merge}\nmetadata: {labels: {x: "1"}}');
    const before = [structuredClone(target), structuredClone(patch)];
    strategicMerge(target, patch, undefined);
    expect([target, patch]).toEqual(before);
  });
});

describe('lists without a merge strategy are replaced', () => {
  test.each([
    ['a custom resource list', 'apiVersion: x.io/v1\nkind: W\nitems: [{name: a, v: 1}, {name: b}]', 'items: [{name: a, v: 2}]', 'apiVersion: x.io/v1\nkind: W\nitems: [{name: a, v: 2}]'],
    ['an empty list', 'l: [1, 2]', 'l: []', 'l: []'],
    ['directives in it are data', 'l: [1]', 'l: [{$patch: replace}, 2]', 'l: [{$patch: replace}, 2]'],
    ['a kind newer than kustomize’s schema', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  metrics: [{type: Pods}]', 'spec:\n  metrics: [{type: Resource}]', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec:\n  metrics: [{type: Resource}]'],
  ])('%s', (_, target, patch, want) => {
    expect(merge(target, patch)).toEqual(y(want));
  });

  test('tolerations of a Deployment', () => {
    expect(podSpec('tolerations: [{key: a, operator: Exists}]', 'tolerations: [{key: b, operator: Exists}]')).toEqual(y('tolerations: [{key: b, operator: Exists}]'));
  });
});

describe('containers merge by name', () => {
  const two = 'containers:\n- {name: a, image: a}\n- {name: b, image: b}';

  test.each([
    ['a new container comes first', 'containers: [{name: c, image: c}]', 'containers: [{name: c, image: c}, {name: a, image: a}, {name: b, image: b}]'],
    ['a patched container moves first', 'containers: [{name: b, image: b2}]', 'containers: [{name: b, image: b2}, {name: a, image: a}]'],
    ['the patch order wins', 'containers: [{name: b}, {name: a}]', 'containers: [{name: b, image: b}, {name: a, image: a}]'],
    ['$patch: delete removes one', 'containers: [{name: a, $patch: delete}]', 'containers: [{name: b, image: b}]'],
    ['$patch: replace on an element keeps the old element', 'containers: [{name: a, $patch: replace, image: x}]', 'containers: [{name: a, image: a}, {name: b, image: b}]'],
    ['a list-level $patch: replace', 'containers: [{$patch: replace}, {name: c, image: c}]', 'containers: [{name: c, image: c}]'],
    ['an empty list changes nothing', 'containers: []', two],
    ['a null element leaves only the patch’s containers', 'containers: [null, {name: c}]', 'containers: [{name: c}]'],
  ])('%s', (_, patch, want) => {
    expect(podSpec(two, patch)).toEqual(y(want));
  });

  test('a list-level $patch: delete removes the list', () => {
    expect(podSpec(`${two}\nhostNetwork: true`, 'containers: [{$patch: delete}]')).toEqual(y('hostNetwork: true'));
  });

  test('an unnamed container in the patch empties the list, as kyaml does', () => {
    expect(podSpec(two, 'containers: [{image: anonymous}]')).toEqual(y('containers: []'));
  });

  test('an unnamed container in the target wipes the others even when the patch does not touch the list', () => {
    expect(podSpec(`${two}\n- {image: x}`, 'hostNetwork: true')).toEqual(y('containers: [{image: x}]\nhostNetwork: true'));
  });

  test('containers with the same name collapse into the last', () => {
    expect(podSpec('containers: [{name: a, image: 1}, {name: a, image: 2}]', 'hostNetwork: true')).toEqual(y('containers: [{name: a, image: 2}]\nhostNetwork: true'));
  });

  test('merge keys match by their text', () => {
    expect(podSpec('containers: [{name: a, ports: [{containerPort: 80, name: x}]}]', 'containers: [{name: a, ports: [{containerPort: "80", name: y}]}]')).toEqual(
      y('containers: [{name: a, ports: [{containerPort: "80", name: y}]}]'),
    );
  });
});

describe('other merge keys', () => {
  const app = (body: string) => `containers:\n- name: app\n${body.replace(/^(?=.)/gm, '  ')}`;

  test.each([
    ['env by name', app('env: [{name: A, value: "1"}, {name: B, value: "2"}]'), app('env: [{name: B, value: null, valueFrom: {fieldRef: {fieldPath: x}}}]'), app('env: [{name: B, valueFrom: {fieldRef: {fieldPath: x}}}, {name: A, value: "1"}]')],
    ['volumeMounts by mountPath', app('volumeMounts: [{name: a, mountPath: /a}]'), app('volumeMounts: [{name: b, mountPath: /a}]'), app('volumeMounts: [{name: b, mountPath: /a}]')],
    ['ports: no protocol matches any protocol', app('ports: [{containerPort: 80, protocol: TCP}]'), app('ports: [{containerPort: 80, name: web}]'), app('ports: [{containerPort: 80, protocol: TCP}]')],
    ['ports: another protocol is another port', app('ports: [{containerPort: 53, protocol: TCP}]'), app('ports: [{containerPort: 53, protocol: UDP}]'), app('ports: [{containerPort: 53, protocol: UDP}, {containerPort: 53, protocol: TCP}]')],
    ['volumes by name; sources add up ($retainKeys is not applied)', 'volumes: [{name: v, emptyDir: {}}]', 'volumes: [{name: v, secret: {secretName: s}}]', 'volumes: [{name: v, emptyDir: {}, secret: {secretName: s}}]'],
    ['imagePullSecrets by name', 'imagePullSecrets: [{name: a}]', 'imagePullSecrets: [{name: b}, {name: a}]', 'imagePullSecrets: [{name: b}, {name: a}]'],
    ['hostAliases by ip', 'hostAliases: [{ip: 1.1.1.1, hostnames: [a]}]', 'hostAliases: [{ip: 1.1.1.1, hostnames: [b]}]', 'hostAliases: [{ip: 1.1.1.1, hostnames: [b]}]'],
    ['topologySpreadConstraints by topologyKey and whenUnsatisfiable', 'topologySpreadConstraints: [{topologyKey: z, whenUnsatisfiable: DoNotSchedule, maxSkew: 1}]', 'topologySpreadConstraints: [{topologyKey: z, whenUnsatisfiable: ScheduleAnyway, maxSkew: 2}]', 'topologySpreadConstraints: [{topologyKey: z, whenUnsatisfiable: ScheduleAnyway, maxSkew: 2}, {topologyKey: z, whenUnsatisfiable: DoNotSchedule, maxSkew: 1}]'],
  ])('%s', (_, target, patch, want) => {
    expect(podSpec(target, patch)).toEqual(y(want));
  });

  const service = (ports: string) => `apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: ${ports}`;
  test.each([
    ['the same port merges', '[{port: 80, targetPort: 8080}]', '[{port: 80, targetPort: 9090}]', '[{port: 80, targetPort: 9090}]'],
    ['a new port comes first', '[{port: 80}]', '[{port: 443}]', '[{port: 443}, {port: 80}]'],
    ['a port without protocol does not change one with TCP', '[{port: 443, protocol: TCP, targetPort: 1}]', '[{port: 443, targetPort: 2}]', '[{port: 443, protocol: TCP, targetPort: 1}]'],
    ['deleting a port', '[{port: 80}, {port: 81}]', '[{port: 80, $patch: delete}]', '[{port: 81}]'],
  ])('Service ports: %s', (_, target, patch, want) => {
    expect(merge(service(target), service(patch))).toEqual(y(service(want)));
  });

  test('finalizers merge as a set, the patch’s first', () => {
    const pod = (f: string) => `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  finalizers: ${f}`;
    expect(merge(pod('[a, b, b]'), pod('[c, a]'))).toEqual(y(pod('[c, a, b]')));
    expect(merge(pod('[a, b]'), pod('[{$patch: replace}, z]'))).toEqual(y(pod('[z]')));
  });

  test('a custom resource embedding a Pod gets the Pod’s merge keys', () => {
    const w = (c: string) => `apiVersion: x.io/v1\nkind: W\nspec:\n  pod:\n    apiVersion: v1\n    kind: Pod\n    spec:\n      containers: ${c}`;
    expect(merge(w('[{name: a, image: a}]'), w('[{name: b, image: b}]'))).toEqual(y(w('[{name: b, image: b}, {name: a, image: a}]')));
  });
});

describe('directives kyaml does not know stay as fields', () => {
  test.each([
    ['$setElementOrder', 'containers: [{name: a}]', '$setElementOrder/containers: [{name: a}]', 'containers: [{name: a}]\n$setElementOrder/containers: [{name: a}]'],
    ['$retainKeys', 'containers: [{name: a}]', '$retainKeys: [containers]', 'containers: [{name: a}]\n$retainKeys: [containers]'],
    ['$deleteFromPrimitiveList', 'containers: [{name: a, args: [x, y]}]', 'containers: [{name: a, $deleteFromPrimitiveList/args: [x]}]', 'containers: [{name: a, args: [x, y], $deleteFromPrimitiveList/args: [x]}]'],
  ])('%s', (_, target, patch, want) => {
    expect(podSpec(target, patch)).toEqual(y(want));
  });
});

describe('patchSchemaFor', () => {
  test('knows built-in kinds of kustomize’s schema (Kubernetes 1.21)', () => {
    expect(patchSchemaFor('apps/v1', 'Deployment')).toBeDefined();
    expect(patchSchemaFor('v1', 'Service')).toBeDefined();
    expect(patchSchemaFor('batch/v1beta1', 'CronJob')).toBeDefined();
  });

  test('does not know custom resources or newer kinds', () => {
    expect(patchSchemaFor('example.com/v1', 'Widget')).toBeUndefined();
    expect(patchSchemaFor('autoscaling/v2', 'HorizontalPodAutoscaler')).toBeUndefined();
  });

  test('gives the merge keys of a field', () => {
    const pod = patchSchemaFor('v1', 'Pod')!.field('spec')!;
    expect(pod.field('containers')!.keys).toEqual(['name']);
    expect(pod.field('containers')!.elements()!.field('ports')!.keys).toEqual(['containerPort', 'protocol']);
    expect(pod.field('volumes')!.strategy).toBe('merge,retainKeys');
    expect(pod.field('tolerations')).toBeUndefined();
  });
});
