import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { Json6902Error, applyJson6902, decodeJson6902 } from '../../../src/engines/kustomize/smp/index.js';

// RFC 6902 as `kubectl kustomize` applies it (evanphx/json-patch v4). Results and messages were
// checked against kubectl kustomize v5.8.1 (test/parity/kustomize-smp.test.ts does it on each run).

type Obj = Record<string, unknown>;
const y = (text: string) => parse(text) as Obj;
const doc = () => y('metadata: {name: a, labels: {x: "1"}}\nlist: [a, b, c]\nobj: {k: v, "a/b": 1, "m~n": 2}\nn: null');
const apply = (ops: string) => applyJson6902(doc(), decodeJson6902(ops));

describe('operations', () => {
  test.each([
    ['add a field', '- {op: add, path: /new, value: 1}', { new: 1 }],
    ['add replaces an existing field', '- {op: add, path: /obj/k, value: w}', { obj: { k: 'w', 'a/b': 1, 'm~n': 2 } }],
    ['add inserts at an index', '- {op: add, path: /list/1, value: x}', { list: ['a', 'x', 'b', 'c'] }],
    ['add appends at -', '- {op: add, path: /list/-, value: d}', { list: ['a', 'b', 'c', 'd'] }],
    ['add appends at the length', '- {op: add, path: /list/3, value: d}', { list: ['a', 'b', 'c', 'd'] }],
    ['add at -1 appends', '- {op: add, path: /list/-1, value: d}', { list: ['a', 'b', 'c', 'd'] }],
    ['add at -4 inserts first', '- {op: add, path: /list/-4, value: d}', { list: ['d', 'a', 'b', 'c'] }],
    ['add without a value adds null', '- {op: add, path: /new}', { new: null }],
    ['remove a field', '- {op: remove, path: /metadata/labels}', { metadata: { name: 'a' } }],
    ['remove at -1', '- {op: remove, path: /list/-1}', { list: ['a', 'b'] }],
    ['replace a field', '- {op: replace, path: /metadata/name, value: b}', { metadata: { name: 'b', labels: { x: '1' } } }],
    ['replace a missing key adds it', '- {op: replace, path: /obj/new, value: 1}', { obj: { k: 'v', 'a/b': 1, 'm~n': 2, new: 1 } }],
    ['replace at -1', '- {op: replace, path: /list/-1, value: z}', { list: ['a', 'b', 'z'] }],
    ['move', '- {op: move, from: /obj/k, path: /moved}', { obj: { 'a/b': 1, 'm~n': 2 }, moved: 'v' }],
    ['copy', '- {op: copy, from: /list/0, path: /list/-}', { list: ['a', 'b', 'c', 'a'] }],
    ['copy of a missing key adds null', '- {op: copy, from: /obj/none, path: /c}', { c: null }],
    ['test then replace', '- {op: test, path: /list/0, value: a}\n- {op: replace, path: /list/0, value: A}', { list: ['A', 'b', 'c'] }],
    ['test a missing key against null', '- {op: test, path: /none, value: null}\n- {op: add, path: /ok, value: 1}', { ok: 1 }],
    ['test a null against a missing value', '- {op: test, path: /n}\n- {op: add, path: /ok, value: 1}', { ok: 1 }],
    ['test an object', '- {op: test, path: /metadata/labels, value: {x: "1"}}\n- {op: add, path: /ok, value: 1}', { ok: 1 }],
    ['~1 is a slash', '- {op: replace, path: /obj/a~1b, value: 9}', { obj: { k: 'v', 'a/b': 9, 'm~n': 2 } }],
    ['~0 is a tilde', '- {op: remove, path: /obj/m~0n}', { obj: { k: 'v', 'a/b': 1 } }],
    ['a path without a leading slash starts at its second segment', '- {op: add, path: x/top, value: 1}', { top: 1 }],
    ['the path "/" is the key ""', '- {op: add, path: /, value: 1}', { '': 1 }],
    ['YAML 1.1 booleans in a YAML patch', '- {op: add, path: /b, value: yes}', { b: true }],
  ])('%s', (_, ops, changed) => {
    expect(apply(ops)).toEqual({ ...doc(), ...changed });
  });

  test('replace of the whole document', () => {
    expect(apply('- {op: replace, path: "", value: {kind: X}}')).toEqual({ kind: 'X' });
  });

  test('the result has its keys sorted, as kustomize reads it back', () => {
    expect(Object.keys(applyJson6902({ b: 1, a: { d: 1, c: 2 } }, []))).toEqual(['a', 'b']);
    expect(Object.keys(applyJson6902({ b: 1, a: { d: 1, c: 2 } }, []).a as Obj)).toEqual(['c', 'd']);
  });

  test('the target and the operations are not changed', () => {
    const target = doc();
    const ops = decodeJson6902('- {op: add, path: /list/0, value: {deep: [1]}}\n- {op: add, path: /list/0/deep/-, value: 2}');
    const before = [structuredClone(target), structuredClone(ops)];
    applyJson6902(target, ops);
    expect([target, ops]).toEqual(before);
  });
});

describe('errors carry kustomize’s messages', () => {
  test.each([
    ['add past the end', '- {op: add, path: /list/4, value: x}', "error in add for path: '/list/4': Unable to access invalid index: 4: invalid index referenced"],
    ['add before the start', '- {op: add, path: /list/-5, value: x}', "error in add for path: '/list/-5': Unable to access invalid index: -5: invalid index referenced"],
    ['add at a bad index', '- {op: add, path: /list/x, value: x}', `error in add for path: '/list/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax`],
    ['add under a missing parent', '- {op: add, path: /none/x, value: 1}', 'add operation does not apply: doc is missing path: "/none/x": missing value'],
    ['add through a null', '- {op: add, path: /n/x, value: 1}', 'add operation does not apply: doc is missing path: "/n/x": missing value'],
    ['remove a missing key', '- {op: remove, path: /obj/none}', "error in remove for path: '/obj/none': Unable to remove nonexistent key: none: missing value"],
    ['remove out of range', '- {op: remove, path: /list/3}', "error in remove for path: '/list/3': Unable to access invalid index: 3: invalid index referenced"],
    ['replace out of range', '- {op: replace, path: /list/3, value: x}', 'replace operation does not apply: doc is missing key: /list/3: missing value'],
    ['replace under a missing parent', '- {op: replace, path: /none/x, value: x}', 'replace operation does not apply: doc is missing path: /none/x: missing value'],
    ['replace the document with a scalar', '- {op: replace, path: "", value: 1}', 'replace operation value must be object or array: %!w(<nil>)'],
    ['replace the document with a list', '- {op: replace, path: "", value: [1]}', 'json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['move from a missing key', '- {op: move, from: /obj/none, path: /x}', "error in move for path: 'none': Unable to remove nonexistent key: none: missing value"],
    ['move from a missing parent', '- {op: move, from: /none/x, path: /x}', 'move operation does not apply: doc is missing from path: /none/x: missing value'],
    ['move without from', '- {op: move, path: /x}', 'move operation failed to decode from: operation, missing from field: missing value'],
    ['copy to a missing parent', '- {op: copy, from: /list/0, path: /none/x}', 'copy operation does not apply: doc is missing destination path: /none/x: missing value'],
    ['test fails', '- {op: test, path: /list/0, value: b}', 'testing value /list/0 failed: test failed'],
    ['test a number against a string', '- {op: test, path: /metadata/labels/x, value: 1}', 'testing value /metadata/labels/x failed: test failed'],
    ['test at -', '- {op: test, path: /list/-, value: a}', `error in test for path: '/list/-': strconv.Atoi: parsing "-": invalid syntax`],
    ['an unknown op', '- {op: frob, path: /x}', 'Unexpected kind: frob'],
    ['an op that is not a string', '- {op: 1, path: /x}', 'Unexpected kind: unknown'],
    ['add without a path', '- {op: add, value: 1}', 'add operation failed to decode path: missing value'],
    ['replace without a path', '- {op: replace, value: 1}', 'replace operation failed to decode path: operation missing path field: missing value'],
    ['test without a path', '- {op: test, value: 1}', 'test operation failed to decode path: operation missing path field: missing value'],
  ])('%s', (_, ops, message) => {
    expect(() => apply(ops)).toThrow(new Json6902Error(message));
  });

  test('an operation after a failed one is not applied, and nothing changes', () => {
    const target = doc();
    expect(() => applyJson6902(target, decodeJson6902('- {op: add, path: /a, value: 1}\n- {op: remove, path: /zz}'))).toThrow(Json6902Error);
    expect(target).toEqual(doc());
  });
});

describe('decodeJson6902', () => {
  test('reads JSON when the text starts with "["', () => {
    expect(decodeJson6902('[{"op": "add", "path": "/a", "value": yes}]'.replace('yes', '"yes"'))).toEqual([{ op: 'add', path: '/a', value: 'yes' }]);
  });

  test('reads YAML as sigs.k8s.io/yaml does', () => {
    expect(decodeJson6902('- op: add\n  path: /a\n  value: on\n')).toEqual([{ op: 'add', path: '/a', value: true }]);
  });

  test('an object is not a patch', () => {
    expect(() => decodeJson6902('op: add')).toThrow(new Json6902Error('json: cannot unmarshal object into Go value of type jsonpatch.Patch'));
  });

  test('an empty text is an error', () => {
    expect(() => decodeJson6902('')).toThrow(new Json6902Error('empty json patch operations'));
  });
});
