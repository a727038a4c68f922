import { describe, expect, test } from 'vitest';
import { TemplateParseError, TemplateSet } from '../../../src/engines/gotemplate/index.js';
import { ItemType } from '../../../src/engines/gotemplate/lex.js';
import { NodeType, Source, formatNode, type ActionNode } from '../../../src/engines/gotemplate/nodes.js';
import { isEmptyTree, newNumber, parseTemplates, type ParseOptions } from '../../../src/engines/gotemplate/parse.js';
import { StrconvError } from '../../../src/engines/goruntime/index.js';
import { parseCases, parseErrorCases } from './parse-cases.js';

const builtinNames = new Set(['and', 'call', 'html', 'index', 'slice', 'js', 'len', 'not', 'or', 'print', 'printf', 'println', 'urlquery', 'eq', 'ge', 'gt', 'le', 'lt', 'ne']);
const options: ParseOptions = { hasFunction: (n) => builtinNames.has(n) };

function parse(name: string, text: string, opts: Partial<ParseOptions> = {}) {
  return parseTemplates(name, text, { ...options, ...opts });
}

/** The TemplateParseError `fn` throws. */
function parseErrorOf(fn: () => unknown): TemplateParseError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TemplateParseError);
    return e as TemplateParseError;
  }
  throw new Error('expected a TemplateParseError, but nothing was thrown');
}

describe('parse trees print as Go prints them', () => {
  test.each(parseCases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    if (c.error !== undefined) {
      expect(parseErrorOf(() => parse(c.name, c.input)).message).toBe(c.error);
      return;
    }
    const tree = parse(c.name, c.input).get(c.name);
    expect(formatNode(tree!.root, true)).toBe(c.result);
  });
});

describe('parse errors match Go word for word', () => {
  test.each(parseErrorCases.map((c) => [c.name, c] as const))('%s', (_n, c) => {
    const e = parseErrorOf(() => parse(c.name, c.input));
    expect(e.message).toBe(c.error);
    expect(e.code).toBe('SLW200');
    const line = Number.parseInt(c.error!.slice(`template: ${c.name}:`.length), 10);
    expect(e.at).toEqual({ file: c.name, line });
  });
});

describe('nesting of parenthesized pipelines', () => {
  // parse_test.go runs these with maxStackDepth = 3.
  test.each([
    ['{{ ((( 1 ))) }}', '{{(((1)))}}'],
    ['{{ (((( 1 )))) }}', 'template: test:1: max expression depth exceeded'],
    ['{{ (((( 1 )))) | printf }}', 'template: test:1: max expression depth exceeded'],
    ['{{ if (((( true )))) }}YES{{ end }}', 'template: test:1: max expression depth exceeded'],
  ])('%s', (input, want) => {
    const run = () => formatNode(parse('test', input, { maxParenDepth: 3 }).get('test')!.root, true);
    if (want.startsWith('template:')) expect(parseErrorOf(run).message).toBe(want);
    else expect(run()).toBe(want);
  });

  test('the default allows Go’s 10000 levels or reports the limit, never a crash', () => {
    const deep = `{{ ${'('.repeat(3000)}1${')'.repeat(3000)} }}`;
    try {
      parse('deep', deep);
    } catch (e) {
      expect((e as Error).message).toBe('template: deep:1: max expression depth exceeded');
    }
  });
});

describe('number literals (parse_test.go numberTests)', () => {
  type Want = [isInt: boolean, isUint: boolean, isFloat: boolean, isComplex: boolean, int64: bigint, uint64: bigint, float64: number, complex: [number, number]];
  const ok = (w: Want) => w;
  const cases: [string, Want | undefined][] = [
    ['0', ok([true, true, true, false, 0n, 0n, 0, [0, 0]])],
    ['-0', ok([true, true, true, false, 0n, 0n, 0, [0, 0]])],
    ['73', ok([true, true, true, false, 73n, 73n, 73, [0, 0]])],
    ['7_3', ok([true, true, true, false, 73n, 73n, 73, [0, 0]])],
    ['0b10_010_01', ok([true, true, true, false, 73n, 73n, 73, [0, 0]])],
    ['0B10_010_01', ok([true, true, true, false, 73n, 73n, 73, [0, 0]])],
    ['073', ok([true, true, true, false, 59n, 59n, 59, [0, 0]])],
    ['0o73', ok([true, true, true, false, 59n, 59n, 59, [0, 0]])],
    ['0O73', ok([true, true, true, false, 59n, 59n, 59, [0, 0]])],
    ['0x73', ok([true, true, true, false, 115n, 115n, 115, [0, 0]])],
    ['0X73', ok([true, true, true, false, 115n, 115n, 115, [0, 0]])],
    ['0x7_3', ok([true, true, true, false, 115n, 115n, 115, [0, 0]])],
    ['-73', ok([true, false, true, false, -73n, 0n, -73, [0, 0]])],
    ['+73', ok([true, false, true, false, 73n, 0n, 73, [0, 0]])],
    ['100', ok([true, true, true, false, 100n, 100n, 100, [0, 0]])],
    ['1e9', ok([true, true, true, false, 1000000000n, 1000000000n, 1e9, [0, 0]])],
    ['-1e9', ok([true, false, true, false, -1000000000n, 0n, -1e9, [0, 0]])],
    ['-1.2', ok([false, false, true, false, 0n, 0n, -1.2, [0, 0]])],
    ['1e19', ok([false, true, true, false, 0n, 10000000000000000000n, 1e19, [0, 0]])],
    ['1e1_9', ok([false, true, true, false, 0n, 10000000000000000000n, 1e19, [0, 0]])],
    ['1E19', ok([false, true, true, false, 0n, 10000000000000000000n, 1e19, [0, 0]])],
    ['-1e19', ok([false, false, true, false, 0n, 0n, -1e19, [0, 0]])],
    ['0x_1p4', ok([true, true, true, false, 16n, 16n, 16, [0, 0]])],
    ['0X_1P4', ok([true, true, true, false, 16n, 16n, 16, [0, 0]])],
    ['0x_1p-4', ok([false, false, true, false, 0n, 0n, 1 / 16, [0, 0]])],
    ['4i', ok([false, false, false, true, 0n, 0n, 0, [0, 4]])],
    ['-1.2+4.2i', ok([false, false, false, true, 0n, 0n, 0, [-1.2, 4.2]])],
    ['073i', ok([false, false, false, true, 0n, 0n, 0, [0, 73]])],
    ['0i', ok([true, true, true, true, 0n, 0n, 0, [0, 0]])],
    ['-1.2+0i', ok([false, false, true, true, 0n, 0n, -1.2, [-1.2, 0]])],
    ['-12+0i', ok([true, false, true, true, -12n, 0n, -12, [-12, 0]])],
    ['13+0i', ok([true, true, true, true, 13n, 13n, 13, [13, 0]])],
    ['0123', ok([true, true, true, false, 83n, 83n, 83, [0, 0]])],
    ['-0x0', ok([true, true, true, false, 0n, 0n, 0, [0, 0]])],
    ['0xdeadbeef', ok([true, true, true, false, 0xdeadbeefn, 0xdeadbeefn, 0xdeadbeef, [0, 0]])],
    ["'a'", ok([true, true, true, false, 97n, 97n, 97, [0, 0]])],
    ["'\\n'", ok([true, true, true, false, 10n, 10n, 10, [0, 0]])],
    ["'\\\\'", ok([true, true, true, false, 92n, 92n, 92, [0, 0]])],
    ["'\\''", ok([true, true, true, false, 39n, 39n, 39, [0, 0]])],
    ["'\\xFF'", ok([true, true, true, false, 255n, 255n, 255, [0, 0]])],
    ["'パ'", ok([true, true, true, false, 0x30d1n, 0x30d1n, 0x30d1, [0, 0]])],
    ["'\\u30d1'", ok([true, true, true, false, 0x30d1n, 0x30d1n, 0x30d1, [0, 0]])],
    ["'\\U000030d1'", ok([true, true, true, false, 0x30d1n, 0x30d1n, 0x30d1, [0, 0]])],
    ['+-2', undefined],
    ['0x123.', undefined],
    ['1e.', undefined],
    ['0xi.', undefined],
    ['1+2.', undefined],
    ["'x", undefined],
    ["'xx'", undefined],
    ["'433937734937734969526500969526500'", undefined],
    ['0xef', ok([true, true, true, false, 0xefn, 0xefn, 0xef, [0, 0]])],
  ];

  test.each(cases)('%s', (text, want) => {
    // As the Go test decides: a quote is a character, "N+Mi" a complex (what fmt.Sscan reads), else a number.
    const typ = text.startsWith("'") ? ItemType.CharConstant : /^[+-]?[^+-]+[+-][^+-]*i$/.test(text) ? ItemType.Complex : ItemType.Number;
    const src = new Source('n', text);
    if (want === undefined) {
      expect(() => newNumber(0, src, text, typ)).toThrow(StrconvError);
      return;
    }
    const n = newNumber(0, src, text, typ);
    const [isInt, isUint, isFloat, isComplex, i64, u64, f64, c] = want;
    expect({ isInt: n.isInt, isUint: n.isUint, isFloat: n.isFloat, isComplex: n.isComplex }).toEqual({ isInt, isUint, isFloat, isComplex });
    if (isInt) expect(n.int64).toBe(i64);
    if (isUint) expect(n.uint64).toBe(u64);
    if (isFloat) expect(n.float64).toBe(f64);
    if (isComplex) expect(n.complex).toEqual(c);
  });

  test.each([
    ['99999999999999999999', 'integer overflow: "99999999999999999999"'],
    ['089', 'integer overflow: "089"'],
    ['1e400', 'illegal number syntax: "1e400"'],
    ["'ab'", "malformed character constant: 'ab'"],
    ["''", 'invalid syntax'],
  ])('%s is rejected with "%s"', (text, message) => {
    const typ = text.startsWith("'") ? ItemType.CharConstant : ItemType.Number;
    expect(() => newNumber(0, new Source('n', text), text, typ)).toThrow(message);
  });
});

describe('trees', () => {
  // parse_test.go TestParseWithComments
  test.each([
    ['comment', '{{/*\n\n\n*/}}', '{{/*\n\n\n*/}}'],
    ['comment trim left', 'x \r\n\t{{- /* hi */}}', '"x"{{/* hi */}}'],
    ['comment trim right', '{{/* hi */ -}}\n\n\ty', '{{/* hi */}}"y"'],
    ['comment trim left and right', 'x \r\n\t{{- /* */ -}}\n\n\ty', '"x"{{/* */}}"y"'],
  ])('comments are kept when asked: %s', (name, input, want) => {
    expect(formatNode(parse(name, input, { parseComments: true }).get(name)!.root, true)).toBe(want);
  });

  test('break is a function when one is defined, else a keyword (TestKeywordsAndFuncs)', () => {
    const inp = '{{range .X}}{{break 20}}{{end}}';
    expect(() => parse('', inp, { hasFunction: (n) => n === 'break' })).not.toThrow();
    expect(parseErrorOf(() => parse('', inp)).message).toBe('template: :1: unexpected "20" in {{break}}');
  });

  test('function checks can be skipped (TestSkipFuncCheck)', () => {
    expect(formatNode(parse('skip', '{{fn 1 2}}', { skipFuncCheck: true }).get('skip')!.root, true)).toBe('{{fn 1 2}}');
  });

  test.each([
    ['empty', '', true],
    ['nonempty', 'hello', false],
    ['spaces only', ' \t\n \t\n', true],
    ['comment only', '{{/* comment */}}', true],
    ['definition', '{{define "x"}}something{{end}}', true],
    ['definitions and space', '{{define `x`}}something{{end}}\n\n{{define `y`}}something{{end}}\n\n', true],
    ['definitions and text', '{{define `x`}}something{{end}}\nx\n{{define `y`}}something{{end}}\ny\n', false],
    ['definition and action', '{{define `x`}}something{{end}}{{if 3}}foo{{end}}', false],
    ['unicode spaces', '\u00a0\u2003\u0085', true],
  ])('isEmptyTree: %s', (_n, input, empty) => {
    expect(isEmptyTree(parse('root', input).get('root')!.root)).toBe(empty);
  });

  test('a block defines a template and leaves a call (TestBlock)', () => {
    const trees = parse('outer', 'a{{block "inner" .}}bar{{.}}baz{{end}}b');
    expect(trees.get('outer')!.root.toString()).toBe('a{{template "inner" .}}b');
    expect(trees.get('inner')!.root.toString()).toBe('bar{{.}}baz');
  });

  test('actions know their lines and columns (TestLineNum)', () => {
    const nodes = parse('bench', '{{printf 1234}}\n'.repeat(3)).get('bench')!.root.nodes;
    for (let i = 0; i < nodes.length; i += 2) {
      const action = nodes[i] as ActionNode;
      expect(action.type).toBe(NodeType.Action);
      expect(action.line).toBe(1 + i / 2);
      expect(action.pipe.line).toBe(1 + i / 2);
      expect(action.column).toBe(2);
    }
  });

  test('multiple templates (multi_test.go TestMultiParse)', () => {
    const trees = parse('root', '{{define "foo"}} FOO {{end}}{{define "bar"}} BAR {{end}}');
    expect([...trees.keys()].sort()).toEqual(['bar', 'foo', 'root']);
    expect(trees.get('foo')!.root.toString()).toBe(' FOO ');
    expect(trees.get('bar')!.root.toString()).toBe(' BAR ');
    expect(parseErrorOf(() => parse('root', '{{define "foo}} FOO ')).message).toBe('template: root:1: unterminated quoted string');
  });

  test('custom delimiters (TestDelims)', () => {
    for (const [l, r] of [['{{', '}}'], ['<<', '>>'], ['|', '|'], ['(日)', '(本)']] as const) {
      const set = new TemplateSet({ delims: [l, r] });
      set.parse('delims', `${l}.Str${r}${l}/*comment*/${r}${l}"${l}"${r}`);
      expect(set.execute('delims', { Str: 'Hello, world' })).toBe(`Hello, world${l}`);
    }
  });

  test('an unterminated raw string reports the line it starts on (TestUnterminatedStringError)', () => {
    expect(parseErrorOf(() => parse('X', 'hello\n\n{{`unterminated\n\n\n\n}}\n some more\n\n')).message).toBe(
      'template: X:3: unterminated raw quoted string',
    );
  });
});
