/**
 * kustomizeHash with the expectations of kustomize's api/hasher/hasher_test.go and of
 * krusty tests (names such as bob-79t79mt227).
 */
import { describe, expect, test } from 'vitest';
import { GeneratorError, generateConfigMap, generateSecret, kustomizeHash, mergeGenerated } from '../../../src/engines/kustomize/generators/index.js';
import { resolvePlainTag } from '../../../src/engines/kustomize/generators/internal/plain-keys.js';

const none = { read: (): Uint8Array => { throw new Error('no files here'); } };
const cm = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'ConfigMap', ...extra });
const secret = (extra: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Secret', type: 'my-type', ...extra });

describe('kustomizeHash (hasher_test.go)', () => {
  test.each([
    ['empty data', cm({}), '6ct58987ht'],
    ['one key', cm({ data: { one: '' } }), '9g67k2htb6'],
    ['three keys, any order', cm({ data: { two: 2, one: '', three: 3 } }), '7757f9kkct'],
    ['one key with binary data', cm({ binaryData: { one: '' } }), '6mtk2m274t'],
    ['three keys with binary data', cm({ binaryData: { two: 2, one: '', three: 3 } }), '9th7kc28dg'],
    ['one key of each', cm({ data: { one: '' }, binaryData: { two: '' } }), '698h7c7t9m'],
  ])('ConfigMap: %s', (_, obj, hash) => {
    expect(kustomizeHash(obj)).toBe(hash);
  });

  test.each([
    ['empty data', secret({}), '5gmgkf8578'],
    ['one key', secret({ data: { one: '' } }), '74bd68bm66'],
    ['three keys', secret({ data: { two: 2, one: '', three: 3 } }), '4gf75c7476'],
    ['stringData', secret({ data: { one: '' }, stringData: { two: 2 } }), 'c4h4264gdb'],
  ])('Secret: %s', (_, obj, hash) => {
    expect(kustomizeHash(obj)).toBe(hash);
  });

  test('the name, labels, annotations, namespace and immutable do not count', () => {
    const base = kustomizeHash(cm({ metadata: { name: 'a' }, data: { k: 'v' } }));
    expect(kustomizeHash(cm({ metadata: { name: 'b', namespace: 'ns', labels: { l: '1' }, annotations: { a: '2' } }, data: { k: 'v' }, immutable: true }))).toBe(base);
  });

  test('a top-level field literally named "metadata/name" counts (hasher.go looks that path up as one field)', () => {
    expect(kustomizeHash(cm({ 'metadata/name': 'x' }))).not.toBe(kustomizeHash(cm({})));
  });

  test('a Secret counts its type', () => {
    expect(kustomizeHash(secret({ type: 'a' }))).not.toBe(kustomizeHash(secret({ type: 'b' })));
  });

  test('only ConfigMaps and Secrets', () => {
    expect(() => kustomizeHash({ apiVersion: 'test/v1', kind: 'TestResource', metadata: { name: 'my-resource' } })).toThrow(GeneratorError);
  });

  test('the suffix avoids 0, 1, 3, a and e', () => {
    for (let i = 0; i < 200; i++) {
      const h = kustomizeHash(cm({ data: { i: String(i) } }));
      expect(h).toMatch(/^[2456789bcdfghkmt]{10}$/);
    }
  });
});

describe('hashes of generated objects (krusty tests)', () => {
  test.each([
    [{ name: 'bob', literals: ['fruit=Indian Gooseberry', 'year=2020', 'crisis=true'] }, '79t79mt227'],
    [{ name: 'test', literals: ["TEST=this is a 'test'"] }, 'k9cc55dfm5'],
    [{ name: 'test', literals: ["TEST='"] }, 'm8t7bmb6g2'],
    [{ name: 'testing', literals: ['initial.txt=greetings\neveryone\n', 'final.txt=different\nbehavior\n'] }, 'tt4769fb52'],
    [{ name: 'the-map', literals: ['altGreeting=Good Morning from default namespace!', 'enableRisky="false"'] }, 'tg7t5hk8bk'],
    [{ name: 'the-non-default-namespace-map', namespace: 'non-default', literals: ['altGreeting=Good Morning from non-default namespace!', 'enableRisky="false"'] }, '64b2md8tth'],
  ])('ConfigMap %j', (args, hash) => {
    expect(kustomizeHash(generateConfigMap(args, none).object)).toBe(hash);
  });

  test.each([
    [{ name: 'the-secret', literals: ['password.txt=anotherSecret'] }, '6557m7fcg8'],
    [{ name: 'the-non-default-namespace-secret', namespace: 'non-default', literals: ['password.txt=verySecret'] }, '8tc9gdd76t'],
  ])('Secret %j', (args, hash) => {
    expect(kustomizeHash(generateSecret(args, none).object)).toBe(hash);
  });

  test('after a merge the hash is of the merged data (TestGeneratorIntVsStringWithMerge)', () => {
    const base = generateConfigMap({ name: 'bob', literals: ['fruit=Indian Gooseberry', 'year=2020', 'crisis=true'] }, none).object;
    const overlay = generateConfigMap({ name: 'bob', behavior: 'merge', literals: ['month=12'] }, none).object;
    expect(kustomizeHash(mergeGenerated(base, overlay, 'merge'))).toBe('bk46gm59c6');
  });
});

describe('go-yaml v3 resolution of plain keys', () => {
  test.each([
    ['1', '!!int'],
    ['-1', '!!int'],
    ['+1', '!!int'],
    ['0x1F', '!!int'],
    ['0o17', '!!int'],
    ['0777', '!!int'],
    ['0b11', '!!int'],
    ['-0b11', '!!int'],
    ['1_000', '!!int'],
    ['08', '!!float'],
    ['1.5', '!!float'],
    ['.5', '!!float'],
    ['+.5', '!!float'],
    ['1e3', '!!float'],
    ['1_0.5', '!!float'],
    ['99999999999999999999', '!!float'],
    ['.inf', '!!float'],
    ['-.Inf', '!!float'],
    ['.NaN', '!!float'],
    ['true', '!!bool'],
    ['FALSE', '!!bool'],
    ['~', '!!null'],
    ['Null', '!!null'],
    ['<<', '!!merge'],
    ['2001-12-14', '!!timestamp'],
    ['2001-1-2', '!!timestamp'],
    ['2000-02-29', '!!timestamp'],
    ['2001-12-14 21:59:43.10', '!!timestamp'],
    ['2001-12-14T21:59:43Z', '!!timestamp'],
    ['2001-12-14t1:2:3+01:00', '!!timestamp'],
    ['yes', '!!str'],
    ['off', '!!str'],
    ['nULL', '!!str'],
    ['_1', '!!str'],
    ['1.5.6', '!!str'],
    ['0x', '!!str'],
    ['1e', '!!str'],
    ['0xFFFFFFFFFFFFFFFFFF', '!!str'],
    ['2001-02-30', '!!str'],
    ['2001-12-14T21:59:43.5', '!!str'],
    ['1 ', '!!str'],
    ['-', '!!str'],
    ['.', '!!str'],
  ])('%j is %s', (key, tag) => {
    expect(resolvePlainTag(key)).toBe(tag);
  });
});
