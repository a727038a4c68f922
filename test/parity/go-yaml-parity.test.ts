/**
 * Parity of jsonToYaml and yamlToJson with Helm 3.22's toYaml and fromYaml, on hundreds of
 * handwritten and seeded-random cases, all rendered by ONE `helm template` run.
 */
import { beforeAll, describe, expect, test } from 'vitest';
import { compareGoStrings, formatJsonFloat } from '../../src/engines/goruntime/index.js';
import { goJsonString, jsonToYaml, yamlToJson } from '../../src/engines/yaml/index.js';
import { unmarshal } from '../../src/engines/yaml/go-yaml/decode.js';
import { toJsonable } from '../../src/engines/yaml/go-yaml/json.js';
import { GoYamlMap, type GoYamlValue } from '../../src/engines/yaml/go-yaml/values.js';
import {
  Gen,
  RawNumber,
  genValue,
  genYamlSnippet,
  isConsistentKeyOrder,
  runHelmOracle,
  seededRandom,
  type CaseValue,
  type OracleResult,
} from './go-yaml-oracle.js';

const long = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
const url = 'https://example.com/some/very/long/path/that/goes/on/and/on/index.yaml?query=value&other=thing#fragment-part';

/** toYaml cases written by hand: each names the behaviour it pins. */
const HANDWRITTEN_VALUES: Record<string, CaseValue> = {
  emptyMap: {},
  emptyList: [],
  nullTop: null,
  stringTop: 'hello',
  multilineTop: 'a\nb\n',
  numberTop: 42,
  boolTop: true,
  nestedEmpty: { a: {}, b: [], c: [{}], d: [[]], e: null },
  keyOrderNatural: { a10: 1, a9: 2, a1: 3, b: 4, B: 5, a: 6, _: 7, '-': 8, '10': 9, '9': 10, '1': 11, '01': 12, '001': 13 },
  keyOrderVersions: { 'v1.10': 1, 'v1.9': 2, v1: 3, v10: 4, v2: 5, 'item-10': 6, 'item-2': 7, 'item-1': 8 },
  keyOrderCase: { Name: 1, name: 2, NAME: 3, nAme: 4, zebra: 5, Zebra: 6, 'é': 7, e: 8, E: 9, '日本': 10, '🙂': 11 },
  keyOrderZeros: { z0: 1, z00: 2, z000: 3, 'a01': 4, 'a001': 5, 'a1': 6, 'a0': 7, 'a00': 8 },
  keysLookalike: { true: 1, yes: 2, no: 3, on: 4, off: 5, y: 6, n: 7, null: 8, '~': 9, '1.5': 10, '1e3': 11, '0x10': 12, '2001-01-01': 13, '1:20': 14, '<<': 15, '': 16 },
  keysSpecial: { ' lead': 1, 'trail ': 2, 'a: b': 3, 'a #b': 4, '#c': 5, '-x': 6, '?x': 7, ':x': 8, '[a]': 9, '{b}': 10, '&c': 11, '*d': 12, '!e': 13, '|f': 14, '>g': 15, "'h": 16, '"i': 17, '%j': 18, '@k': 19, '`l': 20 },
  keyLong129: { ['k'.repeat(129)]: 'complex key', ['k'.repeat(128)]: 'simple key', ['é'.repeat(64)]: 'two-byte chars, 128 bytes', ['é'.repeat(65)]: '130 bytes' },
  keyMultiline: { 'a\nb': 1, 'trailing\n': 2, '\nleading': 3 },
  keyControl: { 'k\u0000': 1, 'tab\there': 2, 'bell\u0007': 3 },
  boolLookalikes: ['true', 'false', 'True', 'TRUE', 'yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'yEs', 'tRue'],
  nullLookalikes: ['null', 'Null', 'NULL', '~', '', ' ', 'nULL', 'none'],
  numberLookalikes: ['0', '1', '-1', '+1', '01', '0777', '08', '0x1F', '0o17', '0b101', '-0b11', '0b-1', '1_000', '1,000', '1.5', '.5', '-.5', '1.', '1e3', '1E3', '1e+3', '.e3', '1e', '1e400', '12345678901234567890', '18446744073709551616', '.inf', '-.inf', '.NaN', 'inf', 'NaN', '-0', '+0', '0.0'],
  base60Lookalikes: ['1:20', '-1:20:30', '1:20.5', '190:20:30.15', '1:60', '1:2:3:4', '+1:00', '1:', ':1', 'a:1'],
  dateLookalikes: ['2001-12-14', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10', '2001-1-1', '2001-02-30', '2000-02-29', '1900-02-29', '2001-12-14T21:59:43Z', '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43+01:00', '2001-12-14T24:00:00Z', '2001-13-01', '20011214', '2001-12-14T21:59:43,5Z', '2001-12-14   1:2:3', '2001-12-14T1:2:3+1:00', '10000-01-01', '0000-01-01'],
  firstChars: ['-', '- a', '-a', '--', '---', '--- a', '...', '?', '? a', '?a', ':', ': a', ':a', ',a', '[a', ']a', '{a', '}a', '#a', '&a', '*a', '!a', '|a', '>a', "'a", '"a', '%a', '@a', '`a', '=a', '<<', '~a', '.a'],
  insideChars: ['a: b', 'a:b', 'a :b', 'a #b', 'a#b', 'a,b', 'a[b]', 'a{b}', "it's", 'say "hi"', 'back\\slash', 'a?b', 'a - b', 'a: ', 'a:'],
  spaces: [' lead', 'trail ', '  both  ', 'in  side', '\ttab lead', 'tab\ttrail\t', ' ', '  ', 'a  \u00a0 b'],
  multiline: ['a\nb', 'a\nb\n', 'a\nb\n\n', 'a\n\nb', '\na', '\n', '\n\n', '  lead\nb', 'a\n  indented\nb', 'trail \nb', 'a\n b', 'tab\tin\nline', 'crlf\r\nline', 'a\rb', 'x\n\n\n', 'one line\n'],
  longPlain: [long, long + ' ' + long, url, `${url} ${url}`, 'x'.repeat(200), `${'word '.repeat(30)}end`],
  longQuoted: [`${long}: yes`, `true ${long}`, `${long} #comment`, `"${long}"`, `- ${long}`, `${long}  ${long}`, `${'a'.repeat(78)}  ${'b'.repeat(30)}`],
  longMultiline: [`${long}\n${long}\n`, `  ${long}\n${long}`, `${long}\n\n${long}\n\n`],
  unicode: ['日本語のテキスト', '中文', '🙂', '👨‍👩‍👧‍👦', 'e\u0301', 'Ω≈ç√∫', 'ℌ𝔢𝔩𝔩𝔬', '\u00a0', '\u2028', '\u2029', 'a\u2028b', '\u0085', '\u200b', '\ufeffbom', 'x\ufeff', '\ufffd', '\uE000', 'İ', `${'日本語'.repeat(30)}`, `${'🙂 '.repeat(50)}`],
  control: ['\u0000', 'a\u0001b', '\u0007', '\b', '\t', '\u000b', '\f', '\r', '\u001b', '\u001f', '\u007f', '\u0080', '\u009f', 'tab\t', 'mixed\u0001\nline'],
  numbers: [0, 1, -1, 1.5, -2.25, 100, 1e6, 1e20, 1e21, 1e-7, 1.5e300, 0.1, 123456789, new RawNumber('9007199254740993'), new RawNumber('12345678901234567890'), new RawNumber('-0.0'), new RawNumber('1.0e-7'), new RawNumber('18446744073709551615'), new RawNumber('-9223372036854775808'), new RawNumber('5e-324'), new RawNumber('1.7976931348623157e308'), new RawNumber('0x1F'), new RawNumber('0777'), new RawNumber('1_000')],
  listOfMaps: [{ name: 'a', value: 1 }, { name: 'b', value: [1, 2, { deep: { deeper: ['x'] } }] }, {}],
  listInList: [[1, [2, [3, [4, []]]]], [{ a: [{ b: [] }] }]],
  deep: { a: { b: { c: { d: { e: { f: { g: { h: { i: { j: long } } } } } } } } } },
  deepMultiline: { a: { b: [{ c: 'line1\nline2\n', d: [' lead\nx'] }] } },
  configFile: { server: { port: 8080, host: '0.0.0.0', tls: { enabled: true, cert: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' } }, log: { level: 'info', format: 'json' } },
};

/** fromYaml cases written by hand. */
const HANDWRITTEN_YAML: string[] = [
  'a: 1\n', 'a: b\nc: d\n', '', '\n', '# only a comment\n', '---\n', '--- \n...\n', '~\n', 'null\n', 'a\n', '- a\n- b\n', '[1, 2]\n', '"str"\n', '42\n',
  'a: yes\nb: no\nc: on\nd: off\ne: y\nf: n\ng: Yes\nh: NO\ni: True\nj: FALSE\n',
  'a: 0777\nb: 08\nc: 0x1F\nd: 0o17\ne: 0b101\nf: -0b11\ng: 1_000\nh: +12\ni: 0b-1\nj: 0X1f\n',
  'a: 1.5\nb: .5\nc: -.5\nd: 1.\ne: 1e3\nf: 1E-3\ng: .inf\nh: -.Inf\ni: 1e400\nj: 1e-400\n',
  'a: .nan\n', 'a: [1, .NaN]\n', 'a: .inf\n',
  'a: 12345678901234567890\nb: 18446744073709551616\nc: -9223372036854775808\nd: -9223372036854775809\ne: 9223372036854775807\n',
  'a: 1:20\nb: 190:20:30.15\nc: 2001-12-14\nd: 2001-12-14t21:59:43.10-05:00\ne: 2001-12-14 21:59:43.10\nf: 2001-02-30\n',
  'a: !!timestamp 2001-12-14\n', 'a: !!timestamp foo\n', 'a: !!str 123\nb: !!int "12"\nc: !!float 1\nd: !!bool yes\ne: !!null ~\n',
  'a: !!int abc\n', 'a: !!float abc\n', 'a: !!bool 1\n', 'a: !!null x\n', 'a: !custom value\nb: !<tag:yaml.org,2002:str> 12\nc: ! 12\n',
  'a: !!binary aGVsbG8=\n', 'a: !!binary |\n  aGVs\n  bG8=\n', 'a: !!binary "not base64!"\n', 'a: !!binary /w==\n',
  'true: x\n1: x\n1.5: x\n3.14159265358979: x\n1e20: x\n-1: x\n0x10: x\nfalse: y\n', '.inf: a\n-.inf: b\n',
  '~: x\n', 'null: x\n', '18446744073709551615: x\n', '? [a, b]\n: x\n', '? {a: 1}\n: x\n', '[a]: x\n', '{a: b}: x\n',
  'base: &base\n  a: 1\n  b: 2\nderived:\n  <<: *base\n  b: 3\n', 'x:\n  a: 0\n  <<: {a: 1, b: 1}\n', 'x:\n  <<: [{a: 1}, {a: 2, b: 2}]\n',
  'a: &a {x: 1}\nb: &b {y: 2}\nc:\n  <<: [*a, *b]\n  z: 3\n', 'a:\n  <<: 1\n', 'a:\n  <<: [1]\n', 'a: &s str\nb:\n  <<: *s\n', 'a:\n  "<<": {x: 1}\n', 'a:\n  !!merge <<: {x: 1}\n',
  'a: &x 1\nb: *x\nc: *x\n', 'a: *nope\n', 'a: &a [*a]\n', 'a: &a\n  b: *a\n', 'a: &x 1\na2: &x 2\nb: *x\n', '&a a: b\n*a : c\n',
  'a: 1\na: 2\n', 'a: 1\n"a": 2\n',
  'a:\n  b: 1\n c: 2\n', 'a: b\n  c: d\n', 'a:\n- 1\n- 2\n', 'a:\n  - 1\n  -2\n', '- a\nb: c\n', 'a: [1, 2\n', 'a: {b: 1\n', 'a: "unclosed\n', "a: 'unclosed\n",
  'a: "bad \\q escape"\n', 'a: "\\x4"\n', 'a: "\\uD800"\n', 'a: "\\U0001F600 \\u00e9 \\x41 \\N \\_ \\L \\P \\0 \\a \\e"\n', 'a: "line\\\n  continued"\n',
  "a: 'it''s'\n", 'a: "multi\n  line\n\n  text"\n', "a: 'multi\n  line'\n", 'a: plain\n  continued\n  lines\n', 'a: plain\n\n  with blank\n',
  'a: |\n  lit\n  text\n', 'a: |-\n  lit\n', 'a: |+\n  lit\n\n\n', 'a: >\n  folded\n  text\n\n  para\n', 'a: >-\n  x\n   more\n  y\n', 'a: |2\n    two\n', 'a: |0\n  x\n', 'a: |\n\tx\n', 'a: |\n  x\n\ty\n',
  'a:\tb\n', 'a: b\t\n', '\ta: b\n', 'a:\n\t- b\n', '- a\t\n', 'key: value # comment\n# trailing\n', 'a: b #c\nd: e#f\n',
  '%YAML 1.1\n---\na: 1\n', '%YAML 1.2\n---\na: 1\n', '%YAML 1.1\n%YAML 1.1\n---\na: 1\n', '%TAG !e! tag:example.com,2000:\n---\na: !e!foo bar\n', '%FOO bar\n---\na: 1\n', 'a: !e!foo bar\n',
  'a: 1\n---\nb: 2\n', '---\n---\na: 1\n', 'a: 1\n...\n---\nb: [\n', '---\n- 1\n', 'a: 1\n--- b\n', '--- |\n  text\n',
  '- 1\n- [2, 3]\n- {a: 4}\n- - 5\n  - 6\n', '[a, b, c]\n', '{a: 1, b: [2, 3]}\n', '[a: 1, b: 2]\n', '{a, b: c}\n', '[a, b,]\n', '{a: 1,}\n', '[, a]\n', '{: a}\n', '[a\n, b]\n',
  'a: - b\n', 'a: ? b\n', '? a\n? b\n: c\n', '? |\n  block key\n: v\n', '- ? a\n  : b\n', 'a: [b, c]: d\n', '-\n-\n- x\n', 'a:\nb:\n', 'a: \n',
  'a: `x`\n', 'a: @x\n', 'a: %x\n', 'a: b: c\n', "a: 'b' c\n", 'a: "b" c\n', '"a" b: c\n', 'a: &\n', 'a: *\n', 'a: !\n', '[a]]\n', '}\n', ']\n',
  'a: 1\r\nb: 2\r\n', 'a: |\r\n  x\r\n  y\r\n', 'a: "x\u0085y"\n', 'a: x\u2028y\n', 'a: \u00e9\u00e8\n', 'k: 日本語\n日本: v\n', 'a: 🙂\n', 'a: "\u0001"\n', 'a: \u0001\n', 'a: b\u007f\n', 'a: "\\u0000"\n',
  `${'k'.repeat(1100)}: v\n`, `{${'k'.repeat(1100)}: v}\n`, `a: ${'x'.repeat(5000)}\n`, `a: "${'y '.repeat(3000)}"\n`,
  `${'[' .repeat(50)}${']'.repeat(50)}\n`,
  'a: <b>&amp;</b>\nc: "\\u2028"\nd: "\\u2029"\ne: "<\\t>"\n',
  'x: 0.1\ny: 0.000001\nz: 0.0000001\nw: 100000000000000000000000\nv: 1e21\nu: 123456789012345678\nt: -0.0\n',
];

function goJson(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'number') return formatJsonFloat(v);
  if (typeof v === 'string') return goJsonString(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort(compareGoStrings)
    .map((k) => `${goJsonString(k)}:${goJson(o[k])}`)
    .join(',')}}`;
}

function jsonKind(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'number';
  if (typeof v === 'boolean') return 'bool';
  return Array.isArray(v) ? 'array' : 'object';
}

/** Helm's `fromYaml | toJson` (or fromYamlArray): sigs.k8s.io/yaml Unmarshal into a map (slice), float64 numbers. */
function helmFromYaml(text: string, want: 'map' | 'array'): string {
  const goType = want === 'map' ? 'map[string]interface {}' : '[]interface {}';
  const wrap = (message: string) => goJson(want === 'map' ? { Error: message } : [message]);
  let v: unknown;
  try {
    v = JSON.parse(yamlToJson(text));
  } catch (e) {
    return wrap((e as Error).message);
  }
  if (v === null) return want === 'map' ? '{}' : '[]';
  if (want === 'map' ? typeof v !== 'object' || Array.isArray(v) : !Array.isArray(v)) {
    return wrap(`error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type ${goType}`);
  }
  return goJson(v);
}

/**
 * Whether Go's answer for this YAML is fixed. sigs.k8s.io/yaml walks maps in Go's random
 * order, so two keys that both fail (null keys, uint64 keys) or that turn into the same
 * string ("1" and 1) make helm's answer change from run to run.
 */
function isDeterministic(text: string): boolean {
  let v: GoYamlValue;
  try {
    v = unmarshal(text);
  } catch {
    return true;
  }
  const fails = (x: GoYamlValue): boolean => {
    try {
      toJsonable(x);
      return false;
    } catch {
      return true;
    }
  };
  const ambiguous = (x: GoYamlValue): boolean => {
    if (Array.isArray(x)) return x.some(ambiguous);
    if (!(x instanceof GoYamlMap)) return false;
    const seen = new Set<string>();
    let failing = 0;
    for (const { key, value } of x.entries()) {
      const probe = new GoYamlMap();
      probe.set(key, null);
      const ks = fails(probe) ? undefined : [...(toJsonable(probe) as Map<string, unknown>).keys()][0]!;
      if (ks === undefined) failing++;
      else if (seen.has(ks)) return true;
      else seen.add(ks);
      if (fails(value)) failing++;
      if (ambiguous(value)) return true;
    }
    return failing >= 2;
  };
  return !ambiguous(v);
}

function keysConsistent(v: CaseValue): boolean {
  if (Array.isArray(v)) return v.every(keysConsistent);
  if (v === null || typeof v !== 'object' || v instanceof RawNumber) return true;
  return isConsistentKeyOrder(Object.keys(v)) && Object.values(v).every(keysConsistent);
}

const values: Record<string, CaseValue> = {};
const yamlCases: Record<string, string> = {};
let oracle: OracleResult;

beforeAll(() => {
  let n = 0;
  const name = () => `c${String(n++).padStart(4, '0')}`;
  for (const v of Object.values(HANDWRITTEN_VALUES)) {
    values[name()] = v;
    // Each list of strings also goes in one string per case, so a failure points at it.
    if (Array.isArray(v)) for (const item of v) if (typeof item === 'string') values[name()] = item;
  }
  for (const v of Object.values(HANDWRITTEN_VALUES)) {
    if (Array.isArray(v)) values[name()] = Object.fromEntries(v.map((item, i) => [`k${i}`, item]));
  }
  const g = new Gen(seededRandom(20240611));
  for (let i = 0; i < 450; i++) values[name()] = genValue(g, 4);

  let m = 0;
  for (const text of HANDWRITTEN_YAML) yamlCases[`y${String(m++).padStart(4, '0')}`] = text;
  const gy = new Gen(seededRandom(7));
  let generated = 0;
  while (generated < 300) {
    const text = genYamlSnippet(gy);
    if (!isDeterministic(text)) continue;
    yamlCases[`y${String(m++).padStart(4, '0')}`] = text;
    generated++;
  }
  oracle = runHelmOracle({ values, yaml: yamlCases, exprs: { intsFromTemplate: 'dict "i" 1 "f" 1.5 "l" (list 1 2 3) "s" "1"' } });
}, 120_000);

describe('Helm parity of the go-yaml port', () => {
  test('handwritten value cases have one Go key order each (else helm itself is random)', () => {
    const bad = Object.entries(HANDWRITTEN_VALUES).filter(([, v]) => !keysConsistent(v));
    expect(bad.map(([k]) => k)).toEqual([]);
  });

  test('handwritten YAML cases have one Go answer each', () => {
    expect(HANDWRITTEN_YAML.filter((t) => !isDeterministic(t))).toEqual([]);
  });

  test('jsonToYaml(helm toJson) is byte-identical to helm toYaml', () => {
    const names = Object.keys(oracle.yaml);
    const mismatches: string[] = [];
    for (const k of names) {
      const json = oracle.json[k]!;
      let mine: string;
      try {
        mine = jsonToYaml(json).replace(/\n$/, '');
      } catch {
        // Helm's toYaml swallows the error (e.g. a raw U+0080 that go-yaml's reader refuses).
        mine = '';
      }
      if (mine !== oracle.yaml[k]) {
        mismatches.push(`${k}\n  json:  ${JSON.stringify(json)}\n  helm:  ${JSON.stringify(oracle.yaml[k])}\n  ours:  ${JSON.stringify(mine)}`);
      }
    }
    const errors = names.filter((k) => oracle.yaml[k] === '').length;
    console.log(`go-yaml parity (toYaml): ${names.length - mismatches.length}/${names.length} identical (${errors} are errors helm prints as "")`);
    expect(names.length).toBeGreaterThanOrEqual(400);
    expect(mismatches).toEqual([]);
  });

  test('yamlToJson matches helm fromYaml and fromYamlArray (values and error texts)', () => {
    const names = Object.keys(yamlCases);
    const mismatches: string[] = [];
    for (const k of names) {
      const text = yamlCases[k]!;
      for (const [want, got] of [
        ['map', oracle.fromYaml[k]],
        ['array', oracle.fromYamlArray[k]],
      ] as const) {
        const mine = helmFromYaml(text, want);
        if (mine !== got) {
          mismatches.push(`${k} (${want})\n  yaml:  ${JSON.stringify(text)}\n  helm:  ${JSON.stringify(got)}\n  ours:  ${JSON.stringify(mine)}`);
        }
      }
    }
    console.log(`go-yaml parity (fromYaml): ${names.length * 2 - mismatches.length}/${names.length * 2} identical`);
    expect(names.length).toBeGreaterThanOrEqual(400);
    expect(mismatches).toEqual([]);
  });
});
