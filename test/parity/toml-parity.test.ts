/**
 * Parity of marshalToml with Helm 3.22's toToml (BurntSushi/toml v1.6.0), on handwritten
 * and seeded-random values, all rendered by ONE `helm template` run.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { marshalToml } from '../../src/engines/yaml/index.js';
import { Gen, genValue, runHelmOracle, seededRandom, type CaseValue, type OracleResult } from './go-yaml-oracle.js';

/** Values given to toToml from values.yaml (so every number is a float64). */
const HANDWRITTEN: Record<string, CaseValue> = {
  flat: { name: 'app', replicas: 3, ratio: 0.5, enabled: true, big: 1e21, small: 1e-7, tiny: 0.0001, million: 1000000 },
  nested: { server: { port: 8080, host: '0.0.0.0', tls: { enabled: false, ciphers: ['a', 'b'] } }, log: { level: 'info' } },
  deepTables: { a: { b: { c: { d: { e: 1 } } } }, z: 1 },
  arrayOfTables: { plugins: [{ name: 'x', opts: { a: 1 } }, { name: 'y', list: [{ q: 1 }] }], top: 'v' },
  mixedArrays: { a: [1, 'two', true, [3, [4]], { five: 5 }], b: [[{ c: 1 }], [2]], e: [] },
  emptyTables: { a: {}, b: { c: {} }, d: [{}] },
  keys: { 'with space': 1, 'dot.ted': 2, '': 3, é: 4, 'quote"d': 5, 'back\\slash': 6, 'a-b_C9': 7, '1': 8, 'tab\t': 9 },
  strings: { s1: 'plain', s2: 'quote " and \\ backslash', s3: 'line\nbreak\ttab\rcr', s4: '\u0001\u001f\u007f\u0080', s5: 'unicode 日本 🙂 \u2028', s6: '' },
  nullValues: { a: null, b: 1, c: { d: null, e: 2 }, f: [{ g: null, h: 3 }] },
  inlineNulls: { list: [{ a: 1, b: null }, { c: { d: null } }], x: [[{ m: 1, n: null }]] },
  nullInArray: { a: [1, null] },
  nullInNestedArray: { a: [[1, null]] },
  topListOfMaps: [{ a: 1 }],
  topList: [1, 2, 'x'],
  topString: 'str',
  topNumber: 42,
  topBool: false,
  floats: { a: 1.5, b: -0.0, c: 1e100, d: 5e-324, e: 123456789, f: 100000, g: 1e6 },
  order: { b: 1, a: 2, B: 3, A: 4, sub: { z: 1 }, arr: [{ y: 1 }], Z: 5, _: 6, '-': 7 },
};

/** Values built in the template (ints stay ints), with what toToml is given in our model. */
const EXPRS: Record<string, [string, unknown]> = {
  ints: ['dict "a" 1 "b" 2.5 "c" (list 1 2 3) "d" (dict "e" -7)', { a: 1n, b: 2.5, c: [1n, 2n, 3n], d: { e: -7n } }],
  intTop: ['list 1 2', [1n, 2n]],
};

const tomlValues: Record<string, CaseValue> = {};
let oracle: OracleResult;

beforeAll(() => {
  let n = 0;
  const name = () => `t${String(n++).padStart(4, '0')}`;
  for (const v of Object.values(HANDWRITTEN)) tomlValues[name()] = v;
  const g = new Gen(seededRandom(424242));
  while (n < 300) {
    const v = genValue(g, 4);
    tomlValues[name()] = v !== null && typeof v === 'object' && !Array.isArray(v) ? v : { value: v };
  }
  oracle = runHelmOracle({ toml: tomlValues, tomlExprs: Object.fromEntries(Object.entries(EXPRS).map(([k, [expr]]) => [k, expr])) });
}, 120_000);

function mine(v: unknown): string {
  try {
    return marshalToml(v);
  } catch (e) {
    return (e as Error).message;
  }
}

describe('Helm parity of the TOML encoder', () => {
  test('marshalToml(value) is byte-identical to helm toToml', () => {
    const mismatches: string[] = [];
    const names = Object.keys(tomlValues);
    for (const k of names) {
      const input = JSON.parse(oracle.tomlJson[k]!) as unknown;
      const ours = mine(input);
      if (ours !== oracle.toml[k]) {
        mismatches.push(`${k}\n  json:  ${oracle.tomlJson[k]}\n  helm:  ${JSON.stringify(oracle.toml[k])}\n  ours:  ${JSON.stringify(ours)}`);
      }
    }
    for (const [k, [, input]] of Object.entries(EXPRS)) {
      const ours = mine(input);
      if (ours !== oracle.toml[k]) mismatches.push(`${k}\n  helm:  ${JSON.stringify(oracle.toml[k])}\n  ours:  ${JSON.stringify(ours)}`);
    }
    const total = names.length + Object.keys(EXPRS).length;
    console.log(`toml parity: ${total - mismatches.length}/${total} identical`);
    expect(mismatches).toEqual([]);
  });
});
