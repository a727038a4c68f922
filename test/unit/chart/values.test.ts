import { describe, expect, test } from 'vitest';
import { memoryFileSystem } from '../../../src/core/index.js';
import { ValuesError } from '../../../src/engines/chart/internal/errors.js';
import { isTable, mergeMaps, mergeValueOptions, unmarshalValues, valuesPathValue, valuesTable } from '../../../src/engines/chart/values.js';

// pkg/cli/values/options.go MergeValues and chartutil.Values, with expectations from helm's
// tests and from the real helm v3.22.0 (`helm template` printing `toJson .Values`).

describe('mergeMaps (options_test.go TestMergeValues)', () => {
  const nestedMap = { foo: 'bar', baz: { cool: 'stuff' } };
  const anotherNestedMap = { foo: 'bar', baz: { cool: 'things', awesome: 'stuff' } };
  const flatMap = { foo: 'bar', baz: 'stuff' };
  const anotherFlatMap = { testing: 'fun' };

  test('a nested map overwrites a flat value', () => expect(mergeMaps(flatMap, nestedMap)).toEqual(nestedMap));
  test('a flat value overwrites a map', () => expect(mergeMaps(nestedMap, flatMap)).toEqual(flatMap));
  test('nested maps merge, the second winning', () => expect(mergeMaps(nestedMap, anotherNestedMap)).toEqual(anotherNestedMap));
  test('different keys are kept', () => expect(mergeMaps(anotherFlatMap, anotherNestedMap)).toEqual({ testing: 'fun', foo: 'bar', baz: { cool: 'things', awesome: 'stuff' } }));
  test('neither input is changed', () => {
    const a = { x: { y: 1 } };
    mergeMaps(a, { x: { z: 2 } });
    expect(a).toEqual({ x: { y: 1 } });
  });
});

describe('mergeValueOptions (values.Options.MergeValues), against helm v3.22.0', () => {
  const fs = memoryFileSystem({
    'f1.yaml': 'a: {c: 2}\nlist: [3]\n',
    'f2.yaml': 'a: {b: 5, d: null}\n',
    'data.txt': 'file-content\n',
    'list.yaml': '- a\n',
    'dir/x.yaml': 'x: 1\n',
    'bad.yaml': 'a: [1\n',
    'keys.yaml': 'x: {y: 2}\n',
    'x1.yaml': 'x: 1\n',
  });

  test('-f files, then --set-json, --set, --set-string, --set-file and --set-literal, in that order', () => {
    const got = mergeValueOptions(
      {
        valueFiles: ['f1.yaml', 'f2.yaml'],
        values: ['list[2]=x,n=1,s=0012'],
        stringValues: ['n2=1'],
        jsonValues: ['j={"k":[1,2.5]}'],
        fileValues: ['f=data.txt'],
        literalValues: ['lit=a,b=c'],
      },
      fs,
    );
    // helm: {"a":{"b":5,"c":2,"d":null},"f":"file-content\n","j":{"k":[1,2.5]},"list":[3,null,"x"],"lit":"a,b=c","n":1,"n2":"1","s":"0012"}
    expect(got).toEqual({ a: { b: 5, c: 2, d: null }, f: 'file-content\n', j: { k: [1, 2.5] }, list: [3, null, 'x'], lit: 'a,b=c', n: 1n, n2: '1', s: '0012' });
  });

  test('--set goes after --set-json, whatever the command line order', () => {
    expect(mergeValueOptions({ values: ['a=1'], jsonValues: ['a=2'] }, fs)).toEqual({ a: 1n });
    expect(mergeValueOptions({ values: ['a=1'], stringValues: ['a=2'] }, fs)).toEqual({ a: '2' });
    expect(mergeValueOptions({ literalValues: ['a=lit'], fileValues: ['a=data.txt'] }, fs)).toEqual({ a: 'lit' });
  });

  test('--set merges into maps from -f files (YAML 1.1 keys included)', () => {
    // helm: {"x":{"true":2,"z":3}}
    expect(mergeValueOptions({ valueFiles: ['x1.yaml', 'keys.yaml'], values: ['x.z=3'] }, fs)).toEqual({ x: { true: 2, z: 3n } });
  });

  test.each([
    [{ valueFiles: ['nonexist.yaml'] }, 'open nonexist.yaml: no such file or directory'],
    [{ valueFiles: ['list.yaml'] }, 'failed to parse list.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    [{ valueFiles: ['dir'] }, 'read dir: is a directory'],
    [{ fileValues: ['a=nonexist'] }, 'failed parsing --set-file data: open nonexist: no such file or directory'],
    [{ jsonValues: ['a={'] }, 'failed parsing --set-json data a={'],
    [{ values: ['x.b=1'], valueFiles: ['x1.yaml'] }, 'failed parsing --set data: unable to parse key: interface conversion: interface {} is float64, not map[string]interface {}'],
  ])('%j fails: %s', (opts, message) => {
    expect(() => mergeValueOptions(opts, fs)).toThrow(ValuesError);
    expect(() => mergeValueOptions(opts, fs)).toThrow(message);
  });

  test('a parse error in a -f file names the file and line', () => {
    try {
      mergeValueOptions({ valueFiles: ['bad.yaml'] }, fs);
      expect.unreachable();
    } catch (e) {
      expect((e as ValuesError).message).toMatch(/^failed to parse bad\.yaml: error converting YAML to JSON: yaml: line \d+: /);
      expect((e as ValuesError).at?.file).toBe('bad.yaml');
    }
  });

  test('remote and stdin values files are refused: engines do no I/O beyond the FileSystem', () => {
    expect(() => mergeValueOptions({ valueFiles: ['https://example.com/v.yaml'] }, fs)).toThrow(ValuesError);
    expect(() => mergeValueOptions({ valueFiles: ['-'] }, fs)).toThrow(ValuesError);
  });

  test('no options give empty values', () => {
    expect(mergeValueOptions({}, fs)).toEqual({});
  });
});

describe('reading values (values_test.go TestReadValues)', () => {
  test('a document', () => {
    const data = unmarshalValues(`# Test YAML parse
poet: "Coleridge"
title: "Rime of the Ancient Mariner"
stanza:
  - "at"
  - "length"
  - "did"
  - cross
  - an
  - Albatross

mariner:
  with: "crossbow"
  shot: "ALBATROSS"

water:
  water:
    where: "everywhere"
    nor: "any drop to drink"
`);
    expect(data.poet).toBe('Coleridge');
    expect(data.stanza).toHaveLength(6);
    expect(valuesPathValue(data, 'mariner.shot')).toEqual({ found: true, value: 'ALBATROSS' });
    expect(valuesPathValue(data, 'water.water.where')).toEqual({ found: true, value: 'everywhere' });
  });

  test.each(['poet: "Coleridge"', '# Just a comment', ''])('%j gives a map', (doc) => {
    expect(isTable(unmarshalValues(doc))).toBe(true);
  });

  test('every number is a float64 (a JS number), as sigs.k8s.io/yaml returns it', () => {
    expect(unmarshalValues('a: 1\nb: 1.0\nc: 9007199254740993\nd: -0\n')).toEqual({ a: 1, b: 1, c: 9007199254740992, d: 0 });
  });
});

describe('Values.Table and Values.PathValue (values_test.go)', () => {
  const d = unmarshalValues(`
title: "Moby Dick"
chapter:
  one:
    title: "Loomings"
  two:
    title: "The Carpet-Bag"
  three:
    title: "The Spouter Inn"
`);

  test('tables', () => {
    expect(valuesTable(d, 'title')).toBeUndefined();
    expect(valuesTable(d, 'chapter')).toBeDefined();
    expect(valuesTable(d, 'chapter.one')?.title).toBe('Loomings');
    expect(valuesTable(d, 'chapter.three')).toBeDefined();
    expect(valuesTable(d, 'chapter.OneHundredThirtySix')).toBeUndefined();
  });

  test('path values', () => {
    expect(valuesPathValue(d, 'chapter.one.title')).toEqual({ found: true, value: 'Loomings' });
    expect(valuesPathValue(d, 'chapter.one.doesnotexist').found).toBe(false);
    expect(valuesPathValue(d, 'chapter.doesnotexist.one').found).toBe(false);
    expect(valuesPathValue(d, '').found).toBe(false);
    expect(valuesPathValue(d, 'title')).toEqual({ found: true, value: 'Moby Dick' });
    // A table is not a value.
    expect(valuesPathValue(d, 'chapter.one').found).toBe(false);
    // A null is.
    expect(valuesPathValue({ a: { b: null } }, 'a.b')).toEqual({ found: true, value: null });
  });
});
