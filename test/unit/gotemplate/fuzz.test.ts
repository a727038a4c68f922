import { describe, expect, test } from 'vitest';
import {
  TemplateExecError,
  TemplateParseError,
  TemplateSet,
  withElemType,
  type MissingKeyMode,
} from '../../../src/engines/gotemplate/index.js';
import { testFuncs } from './fixtures.js';

// Seeded random inputs: the parser and the executor must end every case quickly, with output
// or with one of the two template errors, never with anything else.

/** mulberry32: a small seeded PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T,>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const FRAGMENTS = [
  '{{', '}}', '{{- ', ' -}}', '{{/*', '*/}}', ' ', ' ', ' ', '\n', '\t', 'text', 'é', '😀', '€', '.', '.a', '.b', '.a.b', '.Values',
  '$', '$x', '$y', '$x.a', ':=', '=', ',', '|', '(', ')', 'if', 'else', 'end', 'range', 'with', 'define', 'template', 'block',
  'break', 'continue', 'nil', 'true', 'false', '0', '1', '2', '-1', '1.5', '0x1f', '1e2', '1i', "'a'", "'", '"s"', '"', '`raw`', '`',
  '"a\\n"', '"\\q"', 'print', 'printf', 'println', 'len', 'index', 'slice', 'eq', 'ne', 'lt', 'and', 'or', 'not', 'call', 'html',
  'js', 'urlquery', 'upper', 'echo', 'list', 'fail', 'repeat', 'half', 'keys', 'join', 'nilValue', 'undefinedFn', '"x"', '#', '}', '{',
  '-', '+', '%d', '..', '$.a', '(.a).b', 'else if', 'else with',
];

function tokenSoup(r: () => number): string {
  const n = 1 + Math.floor(r() * 400);
  let s = '';
  for (let i = 0; i < n && s.length < 4000; i++) s += pick(r, FRAGMENTS);
  return s;
}

let blockCount = 0;

// A random template that mostly parses: nested control structures over random operands.
function randomTemplate(r: () => number, depth = 0, vars: string[] = []): string {
  let nesting = 0;
  const operand = (): string => {
    const choices = [
      () => pick(r, ['.', '.a', '.b', '.a.b', '.list', '.map', '.n', '.s', '.missing', '.null', '$', '$.a', '$.list']),
      () => pick(r, ['0', '1', '2', '3', '-1', '1.5', "'x'", '"str"', '`raw`', 'true', 'false', 'nil']),
      () => (vars.length > 0 ? pick(r, vars) + pick(r, ['', '.a', '.x']) : '.'),
      () => {
        if (nesting > 2) return '.';
        nesting++;
        const p = `(${pipeline()})`;
        nesting--;
        return p;
      },
    ];
    return pick(r, choices)();
  };
  const FNS = ['print', 'len', 'index', 'slice', 'eq', 'ne', 'lt', 'le', 'and', 'or', 'not', 'html', 'js', 'urlquery', 'printf', 'upper', 'echo', 'list', 'repeat', 'half', 'keys', 'join'];
  // Only the first command of a pipeline may be a plain operand.
  const command = (first: boolean): string => {
    if (first && r() < 0.4) return operand();
    const fn = pick(r, FNS);
    return [fn, ...Array.from({ length: Math.floor(r() * 4) }, operand)].join(' ');
  };
  const pipeline = (): string => {
    const n = 1 + Math.floor(r() * 3);
    return Array.from({ length: n }, (_, i) => command(i === 0)).join(' | ');
  };
  const parts: string[] = [];
  const n = 1 + Math.floor(r() * 5);
  for (let i = 0; i < n; i++) {
    const k = depth > 3 ? Math.floor(r() * 3) : Math.floor(r() * 10);
    const t = pick(r, ['{{', '{{- ']);
    const e = pick(r, ['}}', ' -}}']);
    switch (k) {
      case 0:
        parts.push(pick(r, ['text ', '\n', '  ', 'é', '']));
        break;
      case 1:
      case 2:
        parts.push(`${t}${pipeline()}${e}`);
        break;
      case 3: {
        const v = `$v${depth}${i}`;
        parts.push(`${t}${v} := ${pipeline()}${e}`, randomTemplate(r, depth + 1, [...vars, v]));
        break;
      }
      case 4:
        parts.push(`{{if ${pipeline()}}}${randomTemplate(r, depth + 1, vars)}{{else if ${pipeline()}}}x{{else}}${randomTemplate(r, depth + 1, vars)}{{end}}`);
        break;
      case 5: {
        const [i2, v2] = [`$i${depth}`, `$e${depth}`];
        const head = pick(r, ['', `${v2} := `, `${i2}, ${v2} := `]);
        const inner = [...vars, ...(head ? [v2] : []), ...(head.includes(',') ? [i2] : [])];
        const body = randomTemplate(r, depth + 1, inner) + pick(r, ['', '{{break}}', '{{continue}}', `{{if ${operand()}}}{{break}}{{end}}`]);
        parts.push(`{{range ${head}${pipeline()}}}${body}{{else}}empty{{end}}`);
        break;
      }
      case 6:
        parts.push(`{{with ${pipeline()}}}${randomTemplate(r, depth + 1, vars)}{{else with ${pipeline()}}}w{{end}}`);
        break;
      case 7:
        parts.push(`{{template "${pick(r, ['d1', 'd2', 'nope'])}" ${pick(r, ['', '.', pipeline()])}}}`);
        break;
      case 8:
        parts.push(`{{block "b${blockCount++}" ${operand()}}}${randomTemplate(r, depth + 1)}{{end}}`);
        break;
      default:
        parts.push(`{{/* comment */}}`);
    }
  }
  return parts.join('');
}

function randomData(r: () => number, depth = 0): unknown {
  const leaf = (): unknown => pick(r, [null, undefined, 'str', '', 0, 1.5, 3, -2n, 0n, 2n, true, false]);
  if (depth > 3) return leaf();
  switch (Math.floor(r() * 5)) {
    case 0:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomData(r, depth + 1));
    case 1:
      return withElemType(['a', 'b'], 'string');
    case 2: {
      const m: Record<string, unknown> = {};
      for (const k of ['a', 'b', 'x', 'list', 'null']) if (r() < 0.6) m[k] = randomData(r, depth + 1);
      return m;
    }
    default:
      return leaf();
  }
}

function data(r: () => number): unknown {
  return { a: randomData(r), b: randomData(r), list: [1, 'two', null, [3n]], map: { k: 'v', n: null }, n: 3n, s: 'hello', null: null, Values: randomData(r) };
}

/** Parses `defs` and `main`, executes main; returns what happened, failing on anything but template errors or a blown budget. */
function runWithin(budgetMs: number, defs: string, main: string, d: unknown, missingKey: MissingKeyMode = 'default'): string {
  const start = performance.now();
  let outcome: string;
  try {
    const set = new TemplateSet({ funcs: testFuncs(), missingKey });
    set.parse('defs', defs);
    set.parse('main', main);
    outcome = `ok:${set.execute('main', d).length}`;
  } catch (e) {
    if (!(e instanceof TemplateParseError || e instanceof TemplateExecError)) {
      throw new Error(`unexpected ${String(e)} for ${JSON.stringify(main)}`, { cause: e });
    }
    expect(e.message.startsWith('template: ')).toBe(true);
    outcome = e instanceof TemplateParseError ? 'parse' : 'exec';
  }
  const elapsed = performance.now() - start;
  if (elapsed > budgetMs) throw new Error(`took ${elapsed.toFixed(0)}ms (budget ${budgetMs}ms) for ${JSON.stringify(main)}`);
  return outcome;
}

const MODES = ['default', 'zero', 'error'] as const;
const DEFS = '{{define "d1"}}[{{.}}]{{end}}{{define "d2"}}{{template "d1" .a}}{{end}}';

describe('fuzzing', () => {
  test('random token soup only ever yields output or template errors (1500 cases, seeded)', () => {
    const r = rng(20240601);
    const seen = new Set<string>();
    for (let i = 0; i < 1500; i++) seen.add(runWithin(2000, DEFS, tokenSoup(r), data(r), pick(r, MODES)).split(':')[0]!);
    expect(seen.has('parse')).toBe(true);
  });

  test('random well-formed templates only ever yield output or template errors (1000 cases, seeded)', () => {
    const r = rng(7);
    const counts = { ok: 0, parse: 0, exec: 0 };
    for (let i = 0; i < 1000; i++) {
      const outcome = runWithin(2000, DEFS, randomTemplate(r), data(r), pick(r, MODES)).split(':')[0] as keyof typeof counts;
      counts[outcome]++;
    }
    // The generator is meant to reach the executor, so most cases must parse.
    expect(counts.ok + counts.exec).toBeGreaterThan(800);
    expect(counts.ok).toBeGreaterThan(50);
  });

  test('runaway recursion ends with a template error', () => {
    expect(runWithin(5000, '{{define "a"}}{{template "a" .}}{{template "a" .}}{{end}}', '{{template "a" .}}', {})).toBe('exec');
    expect(runWithin(5000, '', `{{ ${'('.repeat(5000)}1${')'.repeat(5000)} }}`, {})).toMatch(/^(ok|parse)/);
  });
});

describe('speed', () => {
  test('a 1,000-line template with 10,000 actions renders in milliseconds', () => {
    const line = '{{ .Values.name }}-{{ .Values.replicas }} {{ if .Values.enabled }}{{ $x := .Values.image.tag }}{{ $x }}{{ end }} {{ printf "%s" .Values.name | upper }} {{ index .Values.list 1 }} {{ range .Values.ports }}{{ . }}{{ end }} {{ len .Values.list }}\n';
    const text = line.repeat(1000);
    const values = { Values: { name: 'web', replicas: 3, enabled: true, image: { tag: 'v1' }, list: ['a', 'b', 'c'], ports: [80n] } };
    const set = new TemplateSet({ funcs: testFuncs() });
    const t0 = performance.now();
    set.parse('big', text);
    const t1 = performance.now();
    let out = '';
    for (let i = 0; i < 5; i++) out = set.execute('big', values);
    const t2 = performance.now();
    expect(out.split('\n')[0]).toBe('web-3 v1 WEB b 80 3');
    // Loose bounds so that a busy CI machine passes; typical figures are far lower.
    expect(t1 - t0).toBeLessThan(500);
    expect((t2 - t1) / 5).toBeLessThan(200);
  });
});
