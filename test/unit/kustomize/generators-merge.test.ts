/**
 * behavior merge/replace (mergeGenerated), as resmap/reswrangler.go appendReplaceOrMerge
 * and resource.go CopyMergeMetaDataFieldsFrom / MergeDataMapFrom do it.
 */
import { describe, expect, test } from 'vitest';
import { GeneratorError, generateConfigMap, generateSecret, mergeGenerated } from '../../../src/engines/kustomize/generators/index.js';

const none = { read: (): Uint8Array => { throw new Error('no files here'); } };
const order = (o: unknown) => JSON.stringify(o);

describe('mergeGenerated', () => {
  const base = generateConfigMap(
    { name: 'cm', literals: ['a=1', 'b=1'], options: { labels: { l1: 'base', both: 'base' }, annotations: { a1: 'base', both: 'base' } } },
    none,
  ).object;
  const overlay = generateConfigMap(
    { name: 'cm', behavior: 'merge', literals: ['b=2', 'c=3'], options: { labels: { l2: 'ov', both: 'ov' }, annotations: { both: 'ov' } } },
    none,
  ).object;

  test('merge: data of both, the generated values winning; labels and annotations of both', () => {
    expect(mergeGenerated(base, overlay, 'merge')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', labels: { both: 'ov', l1: 'base', l2: 'ov' }, annotations: { a1: 'base', both: 'ov' } },
      data: { a: '1', b: '2', c: '3' },
    });
  });

  test('replace: the generated data only, metadata still merged', () => {
    expect(mergeGenerated(base, overlay, 'replace')).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', labels: { both: 'ov', l1: 'base', l2: 'ov' }, annotations: { a1: 'base', both: 'ov' } },
      data: { b: '2', c: '3' },
    });
  });

  test('neither input changes', () => {
    const before = [order(base), order(overlay)];
    mergeGenerated(base, overlay, 'merge');
    mergeGenerated(base, overlay, 'replace');
    expect([order(base), order(overlay)]).toEqual(before);
  });

  test('the existing name and namespace win; no namespace there removes ours', () => {
    const existing = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre-cm', namespace: 'foo' } };
    const gen = generateConfigMap({ name: 'cm', literals: ['a=1'], options: { labels: { l: 'x' } } }, none).object;
    // SetNamespace appends a field the generated object lacks, after labels.
    expect(order(mergeGenerated(existing, gen, 'merge'))).toBe(
      order({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre-cm', labels: { l: 'x' }, namespace: 'foo' }, data: { a: '1' } }),
    );
    const namespaced = generateConfigMap({ name: 'cm', namespace: 'mine' }, none).object;
    expect(mergeGenerated({ metadata: { name: 'cm' } }, namespaced, 'replace').metadata).toEqual({ name: 'cm' });
  });

  test('merge moves data and binaryData to the end, each dropped when empty', () => {
    const gen = generateConfigMap({ name: 'cm', literals: ['a=1'], options: { immutable: true } }, none).object;
    const merged = mergeGenerated({ metadata: { name: 'cm' }, binaryData: { bin: 'AAE=' } }, gen, 'merge');
    expect(Object.keys(merged)).toEqual(['apiVersion', 'kind', 'metadata', 'immutable', 'data', 'binaryData']);
    const empty = mergeGenerated({ metadata: { name: 's' } }, generateSecret({ name: 's' }, none).object, 'merge');
    expect(empty).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque' });
  });

  test('merge takes each existing value as its scalar text', () => {
    const existing = { metadata: { name: 'cm' }, data: { n: 5, t: true, z: null, m: { nested: 1 } } };
    expect(mergeGenerated(existing, generateConfigMap({ name: 'cm' }, none).object, 'merge').data).toEqual({ m: '', n: '5', t: 'true', z: '' });
  });

  test('a Secret gets the generated type, not the existing one', () => {
    const tls = generateSecret({ name: 's', type: 'kubernetes.io/tls', literals: ['tls.crt=x', 'tls.key=y'] }, none).object;
    const merged = mergeGenerated(tls, generateSecret({ name: 's', literals: ['z=1'] }, none).object, 'merge');
    expect(merged.type).toBe('Opaque');
    expect(merged.data).toEqual({ 'tls.crt': 'eA==', 'tls.key': 'eQ==', z: 'MQ==' });
  });

  test('immutable and stringData of the existing object are dropped', () => {
    const existing = { metadata: { name: 's' }, immutable: true, stringData: { u: 'v' }, data: { a: 'MQ==' } };
    const merged = mergeGenerated(existing, generateSecret({ name: 's' }, none).object, 'merge');
    expect(merged).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'MQ==' } });
  });

  test("kustomize's build annotations come from the existing object only", () => {
    const existing = { metadata: { name: 'cm', annotations: { 'config.kubernetes.io/index': '0', keep: 'x' } } };
    const gen = generateConfigMap({ name: 'cm', options: { annotations: { 'config.kubernetes.io/path': 'p', 'config.kubernetes.io/index': '9' } } }, none).object;
    expect((mergeGenerated(existing, gen, 'replace').metadata as Record<string, unknown>).annotations).toEqual({ 'config.kubernetes.io/index': '0', keep: 'x' });
  });

  test('merge keeps the existing origin annotation; replace takes the generated one', () => {
    const origin = 'config.kubernetes.io/origin';
    const existing = { metadata: { name: 'cm', annotations: { [origin]: 'path: base/cm.yaml\n' } } };
    const gen = generateConfigMap({ name: 'cm', options: { annotations: { [origin]: 'configuredIn: kustomization.yaml\n' } } }, none).object;
    const annotations = (o: Record<string, unknown>) => (o.metadata as Record<string, Record<string, string>>).annotations![origin];
    expect(annotations(mergeGenerated(existing, gen, 'merge'))).toBe('path: base/cm.yaml\n');
    expect(annotations(mergeGenerated(existing, gen, 'replace'))).toBe('configuredIn: kustomization.yaml\n');
  });

  test('a quoted key of the existing object that kyaml re-creates unquoted fails', () => {
    const existing = { metadata: { name: 'cm' }, data: { '1': 'x' } };
    const gen = generateConfigMap({ name: 'cm', literals: ['a=v'] }, none).object;
    expect(() => mergeGenerated(existing, gen, 'merge')).toThrow(GeneratorError);
    expect(() => mergeGenerated(existing, gen, 'replace')).not.toThrow();
    expect(() => mergeGenerated({ metadata: { name: 'cm', labels: { '1': 'x' } } }, gen, 'replace')).toThrow(/label key "1"/);
  });
});
