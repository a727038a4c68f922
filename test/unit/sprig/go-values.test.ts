import { describe, expect, test } from 'vitest';
import { GoFuncError, GoStruct, GoTime, goTypeName, stringSlice } from '../../../src/engines/gotemplate/values.js';
import { marshalGoJson, unmarshalGoJson } from '../../../src/engines/gotemplate/sprig/index.js';
import { bytes, call, strs, typed } from './harness.js';

// Behaviour that a pipeline table cannot show: which functions change their arguments, which
// share structure with them, and how structs, times and []byte encode.

describe('functions that change their arguments, as in Go', () => {
  test('set and unset change the map they are given and return it', () => {
    const m: Record<string, unknown> = { a: 1n };
    expect(call('set', m, 'b', 2n)).toBe(m);
    expect(m).toEqual({ a: 1n, b: 2n });
    expect(call('unset', m, 'a')).toBe(m);
    expect(m).toEqual({ b: 2n });
  });

  test('set on a nil map panics', () => {
    expect(() => call('set', null, 'a', 1n)).toThrow('assignment to entry in nil map');
  });

  test('merge fills the destination in place and shares nested source maps (mergo)', () => {
    const inner = { x: 1n };
    const dst: Record<string, unknown> = { a: 1n, b: { y: 2n } };
    const out = call('merge', dst, { a: 9n, b: { y: 3n, z: 4n }, c: inner });
    expect(out).toBe(dst);
    expect(dst).toEqual({ a: 1n, b: { y: 2n, z: 4n }, c: { x: 1n } });
    expect(dst.c).toBe(inner);
  });

  test('sortAlpha sorts a []string in place, by bytes', () => {
    const list = stringSlice(['b', 'é', 'a', 'Z']);
    const out = call('sortAlpha', list);
    expect(out).toBe(list);
    expect(list).toEqual(['Z', 'a', 'b', 'é']);
  });

  test('toStrings returns a []string itself', () => {
    const list = strs('a');
    expect(call('toStrings', list)).toBe(list);
  });

  test('append copies the list', () => {
    const list = [1n, 2n];
    const out = call('append', list, 3n);
    expect(out).toEqual([1n, 2n, 3n]);
    expect(list).toEqual([1n, 2n]);
  });

  test('deepCopy shares nothing and keeps element types', () => {
    const src = { list: strs('a'), nested: { m: [1n, { k: 'v' }] }, raw: bytes(1, 2) };
    const copy = call('deepCopy', src) as typeof src;
    expect(copy).toEqual(src);
    expect(copy.list).not.toBe(src.list);
    expect(goTypeName(copy.list)).toBe('[]string');
    expect(copy.nested.m[1]).not.toBe(src.nested.m[1]);
    expect(copy.raw).not.toBe(src.raw);
  });
});

describe('slices of other element types', () => {
  test('first and slice keep the element type of []byte and []string', () => {
    expect(call('first', bytes(7, 8))).toBe(7n);
    const sliced = call('slice', bytes(1, 2, 3), 1n);
    expect(sliced).toEqual(bytes(2, 3));
    expect(goTypeName(call('slice', strs('a', 'b', 'c'), 1n, 2n))).toBe('[]string');
  });

  test('chunk returns [][]interface {}', () => {
    const out = call('chunk', 2n, [1n, 2n, 3n]);
    expect(out).toEqual(typed('[]interface {}', [[1n, 2n], [3n]]));
    expect(goTypeName(out)).toBe('[][]interface {}');
  });

  test('toString of []byte is its text', () => {
    expect(call('toString', bytes(0x68, 0xc3, 0xa9))).toBe('hé');
  });
});

const meta = new GoStruct(
  '*chart.Metadata',
  { Name: 'web', Version: '1.0.0', Deprecated: false, Keywords: null, Internal: 'x' },
  {},
  {
    names: {
      Name: { name: 'name' },
      Version: { name: 'version' },
      Deprecated: { name: 'deprecated', omitEmpty: true },
      Keywords: { name: 'keywords', omitEmpty: true },
      Internal: { name: 'internal', omit: true },
    },
  },
);

describe('structs, times and bytes', () => {
  test('struct fields encode under their json names, in declaration order, with omitempty', () => {
    expect(marshalGoJson(meta)).toBe('{"name":"web","version":"1.0.0"}');
  });

  test('a struct with MarshalJSON encodes what it returns', () => {
    const v = new GoStruct('*semver.Version', {}, {}, { marshal: () => '1.2.3' });
    expect(call('toJson', { v })).toBe('{"v":"1.2.3"}');
  });

  test('time.Time encodes as RFC 3339 with nanoseconds', () => {
    const t = new GoTime(1704164645123456000n, 0, 'UTC', 'UTC');
    expect(marshalGoJson(t)).toBe('"2024-01-02T03:04:05.123456Z"');
    const ist = new GoTime(1704164645000000000n, 19800, 'IST', 'Asia/Kolkata');
    expect(marshalGoJson(ist)).toBe('"2024-01-02T08:34:05+05:30"');
    const early = new GoTime(-1000000001n, -3600, '-01', 'Etc/GMT+1');
    expect(marshalGoJson(early)).toBe('"1969-12-31T22:59:58.999999999-01:00"');
  });

  test('a year outside [0, 9999] is a marshal error', () => {
    const far = new GoTime(300000000000000000000n, 0, 'UTC', 'UTC');
    expect(() => call('mustToJson', far)).toThrow('Time.MarshalJSON: year outside of range [0,9999]');
    expect(call('toJson', far)).toBe('');
  });

  test('[]byte encodes as base64', () => {
    expect(call('toJson', { b: bytes(104, 105) })).toBe('{"b":"aGk="}');
  });

  test('NaN: toJson swallows the error, mustToJson returns it, toRawJson panics', () => {
    expect(call('toJson', NaN)).toBe('');
    expect(() => call('mustToJson', NaN)).toThrow(GoFuncError);
    expect(() => call('mustToJson', Infinity)).toThrow('json: unsupported value: +Inf');
    let panic: unknown;
    try {
      call('toRawJson', [-Infinity]);
    } catch (e) {
      panic = e;
    }
    expect(panic).toBeInstanceOf(Error);
    expect(panic).not.toBeInstanceOf(GoFuncError);
    expect((panic as Error).message).toBe('json: unsupported value: -Inf');
  });

  test('typeOf, kindOf and typeIsLike see structs and pointers', () => {
    expect(call('typeOf', meta)).toBe('*chart.Metadata');
    expect(call('kindOf', meta)).toBe('ptr');
    expect(call('typeIsLike', 'chart.Metadata', meta)).toBe(true);
    expect(call('kindOf', new GoTime(0n, 0, 'UTC', 'UTC'))).toBe('struct');
    expect(call('empty', meta)).toBe(false);
  });

  test('deepEqual compares struct fields', () => {
    const other = new GoStruct('*chart.Metadata', { ...meta.fields });
    expect(call('deepEqual', meta, other)).toBe(true);
    expect(call('deepEqual', meta, new GoStruct('*chart.Metadata', { ...meta.fields, Name: 'api' }))).toBe(false);
  });

  test('a Stringer prints through String()', () => {
    const v = new GoStruct('*semver.Version', {}, {}, undefined, () => '1.2.3');
    expect(call('toString', v)).toBe('1.2.3');
    expect(call('join', ',', [v, 'x'])).toBe('1.2.3,x');
  });
});

describe('map keys that are JavaScript specials', () => {
  test('"__proto__" is an ordinary key for dict, set, hasKey and JSON', () => {
    const d = call('dict', '__proto__', 1n, 'constructor', 2n) as Record<string, unknown>;
    expect(Object.keys(d).sort()).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(d)).toBe(Object.prototype);
    expect(call('hasKey', d, '__proto__')).toBe(true);
    expect(call('hasKey', {}, 'toString')).toBe(false);
    expect(call('get', {}, 'constructor')).toBe('');
    expect(marshalGoJson(d)).toBe('{"__proto__":1,"constructor":2}');
    const parsed = unmarshalGoJson('{"__proto__":{"polluted":true}}').value as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('JSON text details', () => {
  test.each([
    ['sorted keys, ints and floats', { b: 1n, a: [1.5, 'x'] }, '{"a":[1.5,"x"],"b":1}'],
    ['HTML characters and U+2029 escaped', '\u2029<tag>&', '"\\u2029\\u003ctag\\u003e\\u0026"'],
    ['other non-ASCII kept', '\u{1F600}', '"\u{1F600}"'],
    ['small float in e-notation', 1e-7, '1e-7'],
    ['large float in e-notation', -1.5e300, '-1.5e+300'],
    ['integral float without a point', 100, '100'],
  ])('json.Marshal: %s', (_what, v, want) => {
    expect(marshalGoJson(v)).toBe(want);
  });

  test('toPrettyJson indents nested values with two spaces', () => {
    expect(call('toPrettyJson', { a: [1n, { b: [] }], c: {} })).toBe('{\n  "a": [\n    1,\n    {\n      "b": []\n    }\n  ],\n  "c": {}\n}');
  });

  test('fromJson keeps the partial value when a number overflows, mustFromJson fails', () => {
    expect(call('fromJson', '{"a":1e999,"b":2}')).toEqual({ a: null, b: 2 });
    expect(() => call('mustFromJson', '{"a":1e999}')).toThrow('json: cannot unmarshal number 1e999 into Go value of type float64');
  });
});

describe('where the value model or determinism departs from Go', () => {
  test('keys and values follow sorted key order (Go iterates maps in random order)', () => {
    expect(call('keys', { b: 1n, a: 2n }, { d: 3n, c: 4n })).toEqual(['a', 'b', 'c', 'd']);
    expect(call('values', { b: 1n, a: 2n })).toEqual([2n, 1n]);
  });

  test('Go int and int64 are both bigint, named int64 (Go says "int" for template constants)', () => {
    expect(call('typeOf', 1n)).toBe('int64');
    expect(call('kindOf', 1n)).toBe('int64');
    expect(() => call('mustFirst', 1n)).toThrow('Cannot find first on type int64');
  });
});
