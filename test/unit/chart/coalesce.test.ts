import { describe, expect, test } from 'vitest';
import { coalesceTables, coalesceValues, mergeChartValues, mergeTables } from '../../../src/engines/chart/coalesce.js';
import { ValuesError } from '../../../src/engines/chart/internal/errors.js';
import type { Chart, GoMap } from '../../../src/engines/chart/types.js';
import { unmarshalValues } from '../../../src/engines/chart/values.js';

// pkg/chartutil/coalesce.go, with the cases of coalesce_test.go.

function chart(name: string, values: GoMap, ...dependencies: Chart[]): Chart {
  return { metadata: { apiVersion: 'v2', name, version: '0.1.0' }, values, templates: [], files: [], raw: [], dependencies, source: name };
}

/** What `{{ .a.b.c }}` prints: the value, or "<no value>" when a key is missing. */
function tpl(values: GoMap, path: string): string {
  let v: unknown = values;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, k)) return '<no value>';
    v = (v as GoMap)[k];
  }
  return String(v);
}

// ref: http://www.yaml.org/spec/1.2/spec.html#id2803362
const testCoalesceValuesYaml = `
top: yup
bottom: null
right: Null
left: NULL
front: ~
back: ""
nested:
  boat: null

global:
  name: Ishmael
  subject: Queequeg
  nested:
    boat: true

pequod:
  boat: null
  global:
    name: Stinky
    harpooner: Tashtego
    nested:
      boat: false
      sail: true
      foo2: null
  ahab:
    scope: whale
    boat: null
    nested:
      foo: true
      boat: null
    object: null
`;

function moby(full: boolean): Chart {
  return chart(
    'moby',
    {
      back: 'exists',
      bottom: 'exists',
      front: 'exists',
      left: 'exists',
      name: 'moby',
      nested: { boat: true },
      override: 'bad',
      right: 'exists',
      scope: 'moby',
      top: 'nope',
      global: { nested2: { l0: 'moby' } },
      ...(full ? { pequod: { boat: 'maybe', ahab: { boat: 'maybe', nested: { boat: 'maybe' } } } } : {}),
    },
    chart(
      'pequod',
      {
        name: 'pequod',
        scope: 'pequod',
        global: { nested2: { l1: 'pequod' } },
        ...(full ? { boat: false, ahab: { boat: false, nested: { boat: false } } } : {}),
      },
      chart('ahab', {
        global: { nested: full ? { foo: 'bar', foo2: 'bar2' } : { foo: 'bar' }, nested2: { l2: 'ahab' } },
        scope: 'ahab',
        name: 'ahab',
        boat: true,
        nested: full ? { foo: false, boat: true } : { foo: false, bar: true },
        ...(full ? { object: { foo: 'bar' } } : {}),
      }),
    ),
    chart('spouter', { scope: 'spouter', global: { nested2: { l1: 'spouter' } } }),
  );
}

const COMMON_EXPECTATIONS: [string, string][] = [
  ['top', 'yup'],
  ['back', ''],
  ['name', 'moby'],
  ['global.name', 'Ishmael'],
  ['global.subject', 'Queequeg'],
  ['global.harpooner', '<no value>'],
  ['pequod.name', 'pequod'],
  ['pequod.ahab.name', 'ahab'],
  ['pequod.ahab.scope', 'whale'],
  ['pequod.ahab.nested.foo', 'true'],
  ['pequod.ahab.global.name', 'Ishmael'],
  ['pequod.ahab.global.nested.foo', 'bar'],
  ['pequod.ahab.global.subject', 'Queequeg'],
  ['pequod.ahab.global.harpooner', 'Tashtego'],
  ['pequod.global.name', 'Ishmael'],
  ['pequod.global.nested.foo', '<no value>'],
  ['pequod.global.subject', 'Queequeg'],
  ['spouter.global.name', 'Ishmael'],
  ['spouter.global.harpooner', '<no value>'],
  ['global.nested.boat', 'true'],
  ['pequod.global.nested.boat', 'true'],
  ['spouter.global.nested.boat', 'true'],
  ['pequod.global.nested.sail', 'true'],
  ['spouter.global.nested.sail', '<no value>'],
  ['global.nested2.l0', 'moby'],
  ['global.nested2.l1', '<no value>'],
  ['global.nested2.l2', '<no value>'],
  ['pequod.global.nested2.l0', 'moby'],
  ['pequod.global.nested2.l1', 'pequod'],
  ['pequod.global.nested2.l2', '<no value>'],
  ['pequod.ahab.global.nested2.l0', 'moby'],
  ['pequod.ahab.global.nested2.l1', 'pequod'],
  ['pequod.ahab.global.nested2.l2', 'ahab'],
  ['spouter.global.nested2.l0', 'moby'],
  ['spouter.global.nested2.l1', 'spouter'],
  ['spouter.global.nested2.l2', '<no value>'],
];

describe('CoalesceValues (coalesce_test.go TestCoalesceValues)', () => {
  const vals = unmarshalValues(testCoalesceValuesYaml);
  const before = structuredClone(vals);
  const v = coalesceValues(moby(true), vals);

  test.each([...COMMON_EXPECTATIONS, ['pequod.ahab.global.nested.foo2', '<no value>']])('{{ .%s }} is %j', (path, want) => {
    expect(tpl(v, path)).toBe(want);
  });

  test('null user values remove keys, down the subchart tree', () => {
    for (const key of ['bottom', 'right', 'left', 'front']) expect(Object.hasOwn(v, key)).toBe(false);
    expect(Object.hasOwn(v.nested as GoMap, 'boat')).toBe(false);
    const pequod = v.pequod as GoMap;
    expect(Object.hasOwn(pequod, 'boat')).toBe(false);
    const ahab = pequod.ahab as GoMap;
    expect(Object.hasOwn(ahab, 'boat')).toBe(false);
    expect(Object.hasOwn(ahab.nested as GoMap, 'boat')).toBe(false);
    expect(Object.hasOwn(ahab, 'object')).toBe(false);
  });

  test('the user values given are not changed', () => {
    expect(vals).toEqual(before);
  });
});

describe('MergeValues (coalesce_test.go TestMergeValues)', () => {
  const vals = unmarshalValues(testCoalesceValuesYaml);
  const before = structuredClone(vals);
  const v = mergeChartValues(moby(false), vals);

  test.each(COMMON_EXPECTATIONS)('{{ .%s }} is %j', (path, want) => {
    expect(tpl(v, path)).toBe(want);
  });

  test('nulls are kept', () => {
    for (const key of ['bottom', 'right', 'left', 'front']) {
      expect(Object.hasOwn(v, key)).toBe(true);
      expect(v[key]).toBeNull();
    }
    expect(Object.hasOwn(v.nested as GoMap, 'boat')).toBe(true);
    const ahab = (v.pequod as GoMap).ahab as GoMap;
    expect(Object.hasOwn(ahab, 'boat')).toBe(true);
    expect(Object.hasOwn(ahab.nested as GoMap, 'bar')).toBe(true);
    expect(vals).toEqual(before);
  });
});

describe('CoalesceTables and MergeTables (coalesce_test.go)', () => {
  const dst = (): GoMap => ({
    name: 'Ishmael',
    address: { street: '123 Spouter Inn Ct.', city: 'Nantucket', country: null },
    details: { friends: ['Tashtego'] },
    boat: 'pequod',
    hole: null,
  });
  const src = (): GoMap => ({
    occupation: 'whaler',
    address: { state: 'MA', street: '234 Spouter Inn Ct.', country: 'US' },
    details: 'empty',
    boat: { mast: true },
    hole: 'black',
  });

  test('coalescing: dst wins, nulls in dst remove src keys', () => {
    const d = dst();
    coalesceTables(d, src());
    expect(d).toEqual({
      name: 'Ishmael',
      occupation: 'whaler',
      address: { street: '123 Spouter Inn Ct.', city: 'Nantucket', state: 'MA' },
      details: { friends: ['Tashtego'] },
      boat: 'pequod',
    });
  });

  test('merging: the same, but nulls are kept', () => {
    const d = dst();
    mergeTables(d, src());
    expect(d).toEqual({
      name: 'Ishmael',
      occupation: 'whaler',
      address: { street: '123 Spouter Inn Ct.', city: 'Nantucket', state: 'MA', country: null },
      details: { friends: ['Tashtego'] },
      boat: 'pequod',
      hole: null,
    });
  });

  test('a nil source leaves the destination as it is (--reuse-values)', () => {
    const d = { ...dst(), hole: 'black', nilval: null };
    expect(coalesceTables(d, null)).toBe(d);
    expect(mergeTables(d, null)).toEqual({ ...dst(), hole: 'black', nilval: null });
    expect(coalesceTables(null, { a: 1 })).toEqual({ a: 1 });
  });
});

describe('warnings (coalesce_test.go TestCoalesceValuesWarnings)', () => {
  test('type conflicts are reported with helm text, not printed', () => {
    const c = chart(
      'level1',
      { name: 'moby' },
      chart('level2', { name: 'pequod' }, chart('level3', { name: 'ahab', boat: true, spear: { tip: true, sail: { cotton: true } } })),
    );
    const warnings: string[] = [];
    coalesceValues(c, { level2: { level3: { boat: { mast: true }, spear: { tip: { sharp: true }, sail: true } } } }, { warnings });
    expect(warnings).toEqual([
      'warning: skipped value for level1.level2.level3.boat: Not a table.',
      'warning: cannot overwrite table with non table for level1.level2.level3.spear.sail (map[cotton:true])',
      'warning: destination for level1.level2.level3.spear.tip is a table. Ignoring non-table value (true)',
    ]);
  });

  test('numbers print as %v prints float64', () => {
    const warnings: string[] = [];
    coalesceValues(chart('c', { n: { a: 1000000, b: 0.5, c: 7n } }), { n: { a: { x: 1 }, b: { y: 2 }, c: { z: 3 } } }, { warnings });
    expect(warnings).toEqual([
      'warning: destination for c.n.a is a table. Ignoring non-table value (1e+06)',
      'warning: destination for c.n.b is a table. Ignoring non-table value (0.5)',
      'warning: destination for c.n.c is a table. Ignoring non-table value (7)',
    ]);
  });

  test('globals that are not tables', () => {
    const warnings: string[] = [];
    const v = coalesceValues(chart('c', { global: 'x' }, chart('sub', {})), {}, { warnings });
    expect(warnings).toEqual(['warning: skipping globals because source global is not a table.']);
    expect(v).toEqual({ global: 'x', sub: {} });
  });
});

describe('more of coalesce.go', () => {
  test('a user null on a key missing from the chart defaults is kept (issue #31643)', () => {
    const v = coalesceValues(chart('test', { data: {} }), { data: { foo: 'bar', baz: null } });
    expect(v).toEqual({ data: { foo: 'bar', baz: null } });
  });

  test('a non-map under a subchart name is a type mismatch error', () => {
    const c = chart('c', {}, chart('sub', {}));
    expect(() => coalesceValues(c, { sub: 3 })).toThrow(ValuesError);
    expect(() => coalesceValues(c, { sub: 3 })).toThrow('type mismatch on sub: %!t(float64=3)');
    expect(() => coalesceValues(c, { sub: 'x' })).toThrow('type mismatch on sub: %!t(string=x)');
  });

  test('every subchart gets a global map, even an empty one', () => {
    expect(coalesceValues(chart('c', {}, chart('sub', { x: 1 })), {})).toEqual({ sub: { global: {}, x: 1 } });
  });

  test("a subchart's nested global defaults show in the parent too (helm shares the nested maps)", () => {
    // Oracle: helm template of this chart tree printed exactly these values.
    const c = chart('c', { global: { x: { y: { a: 1 } }, s: 'top' }, sub: { k: 'v', global: { own: 1 } } }, chart('sub', { global: { x: { y: { b: 2 }, z: 3 }, s: 'sub', t: 4 }, k: 'default', q: 1 }));
    expect(coalesceValues(c, {})).toEqual({
      global: { s: 'top', x: { y: { a: 1, b: 2 } } },
      sub: { global: { own: 1, s: 'top', t: 4, x: { y: { a: 1, b: 2 }, z: 3 } }, k: 'v', q: 1 },
    });
  });

  test('the chart values are not changed', () => {
    const c = chart('c', { a: { b: 1 } }, chart('sub', { x: { y: 1 } }));
    coalesceValues(c, { a: { c: 2 }, sub: { x: { z: 2 } } });
    expect(c.values).toEqual({ a: { b: 1 } });
    expect(c.dependencies[0]!.values).toEqual({ x: { y: 1 } });
  });
});
