/**
 * Calls sprig functions the way a template would, without the template executor: `call`
 * invokes GoFunc.fn with already-converted arguments, and `evalExpr` reads one Go template
 * pipeline (`splitList "," "a,b" | join "-"`), converting constants to the declared
 * parameter types as text/template does, so that test tables read like template code.
 */
import { expect } from 'vitest';
import { sprint } from '../../../src/engines/gotemplate/fmt.js';
import { GoFuncError, goTypeName, stringMap, stringSlice, withElemType } from '../../../src/engines/gotemplate/values.js';
import type { GoFunc, ParamType } from '../../../src/engines/gotemplate/values.js';
import { sprigFunctions } from '../../../src/engines/gotemplate/sprig/index.js';

/** A deterministic random source: a fixed cycle of numbers in [0, 1). */
export function fixedRandom(values: number[] = [0.1, 0.5, 0.9, 0.3, 0.7]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

export const funcs = sprigFunctions({ random: fixedRandom(), clock: () => new Date(Date.UTC(2024, 0, 2, 3, 4, 5)) });

/** Looks a function up; fails loudly for unknown names. */
export function fn(name: string): GoFunc {
  const f = funcs.get(name);
  if (f === undefined) throw new Error(`no function ${name}`);
  return f;
}

/** Calls a function with arguments already in the value model. */
export function call(name: string, ...args: unknown[]): unknown {
  return (fn(name).fn as (...a: unknown[]) => unknown)(...args);
}

// ---- a tiny reader for template pipelines ----

type Token = { kind: 'str' | 'num' | 'ident' | 'punct'; text: string; value?: unknown };

const GO_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

function unquote(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x' || e[0] === 'u' || e[0] === 'U') return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    const r = GO_ESCAPES[e];
    if (r === undefined) throw new Error(`bad escape \\${e}`);
    return r;
  });
}

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:"((?:[^"\\]|\\.)*)"|`([^`]*)`|([-+]?(?:0[xXoObB][0-9a-fA-F_]+|[0-9][0-9_]*(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?|\.[0-9]+(?:[eE][-+]?[0-9]+)?))|([A-Za-z_][A-Za-z0-9_]*)|([()|]))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < src.length && (m = re.exec(src)) !== null) {
    if (m[1] !== undefined) out.push({ kind: 'str', text: m[0], value: unquote(m[1]) });
    else if (m[2] !== undefined) out.push({ kind: 'str', text: m[0], value: m[2] });
    else if (m[3] !== undefined) {
      const t = m[3].replace(/_/g, '');
      const isFloat = !/^[-+]?0[xXoObB]/.test(t) && /[.eE]/.test(t);
      out.push({ kind: 'num', text: m[3], value: isFloat ? Number(t) : BigInt(t.replace(/^\+/, '').replace(/^(-?)0[oO]/, '$10o')) });
    } else if (m[4] !== undefined) out.push({ kind: 'ident', text: m[4] });
    else out.push({ kind: 'punct', text: m[5]! });
    if (/^\s*$/.test(src.slice(re.lastIndex))) break;
  }
  if (!/^\s*$/.test(src.slice(re.lastIndex))) throw new Error(`cannot read ${JSON.stringify(src.slice(re.lastIndex))}`);
  return out;
}

/** text/template's conversion of an argument to a parameter type (constants only). */
function convert(v: unknown, t: ParamType): unknown {
  switch (t) {
    case 'int':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
      throw new Error(`expected integer; found ${String(v)}`);
    case 'float64':
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      throw new Error(`expected float; found ${String(v)}`);
    case 'string':
      if (typeof v !== 'string') throw new Error(`expected string; found ${String(v)}`);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw new Error(`expected bool; found ${String(v)}`);
      return v;
    default:
      return v === undefined ? null : v;
  }
}

class Reader {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  pipeline(): unknown {
    let value = this.command(undefined, false);
    while (this.toks[this.i]?.text === '|') {
      this.i++;
      value = this.command(value, true);
    }
    return value;
  }

  private operand(): unknown {
    const t = this.toks[this.i++];
    if (t === undefined) throw new Error('unexpected end');
    if (t.kind === 'str' || t.kind === 'num') return t.value;
    if (t.text === '(') {
      const v = this.pipeline();
      if (this.toks[this.i++]?.text !== ')') throw new Error('missing )');
      return v;
    }
    if (t.text === 'nil') return null;
    if (t.text === 'true') return true;
    if (t.text === 'false') return false;
    if (t.kind === 'ident') return invoke(t.text, []);
    throw new Error(`unexpected ${t.text}`);
  }

  private command(piped: unknown, hasPiped: boolean): unknown {
    const head = this.toks[this.i];
    if (head?.kind === 'ident' && !['nil', 'true', 'false'].includes(head.text)) {
      this.i++;
      const args: unknown[] = [];
      while (this.i < this.toks.length && this.toks[this.i]!.text !== '|' && this.toks[this.i]!.text !== ')') args.push(this.operand());
      if (hasPiped) args.push(piped);
      return invoke(head.text, args);
    }
    if (hasPiped) throw new Error('cannot pipe into a value');
    return this.operand();
  }
}

/** text/template's builtin len, which sprig's own tests use. */
function builtinLen(v: unknown): bigint {
  if (typeof v === 'string') return BigInt(new TextEncoder().encode(v).length);
  if (Array.isArray(v) || v instanceof Uint8Array) return BigInt(v.length);
  if (v !== null && typeof v === 'object') return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${typeof v}`);
}

function invoke(name: string, args: unknown[]): unknown {
  if (name === 'len' && args.length === 1) return builtinLen(args[0]);
  const f = fn(name);
  const fixed = f.params.length;
  if (f.variadic === undefined ? args.length !== fixed : args.length < fixed) {
    throw new Error(`wrong number of args for ${name}: got ${args.length} want ${fixed}`);
  }
  const argv = args.map((a, i) => convert(a, i < fixed ? f.params[i]! : f.variadic!));
  return (f.fn as (...a: unknown[]) => unknown)(...argv);
}

/** Evaluates one template pipeline such as `"a,b" | splitList "," | join "-"`. */
export function evalExpr(expr: string): unknown {
  return new Reader(tokenize(expr)).pipeline();
}

/** What {{ expr }} prints: fmt's %v, and "<no value>" for a nil interface result. */
export function render(expr: string): string {
  const v = evalExpr(expr);
  return v === null || v === undefined ? '<no value>' : sprint(v);
}

/** The error message an expression fails with (a Go error return or panic), or undefined. */
export function errorOf(expr: string): string | undefined {
  try {
    evalExpr(expr);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

// ---- expected values in the value model ----

/** A []string. */
export const strs = (...items: string[]): string[] => stringSlice(items);
/** A []int. */
export const ints = (...items: bigint[]): bigint[] => withElemType(items, 'int');
/** A map[string]string. */
export const strMap = (m: Record<string, string>): Record<string, string> => stringMap(m);
/** A slice or map with another element type, e.g. typed('[]interface {}', [[1n]]). */
export const typed = <T extends object>(elem: string, v: T): T => withElemType(v, elem);
/** A []byte. */
export const bytes = (...b: number[]): Uint8Array => Uint8Array.from(b);

/**
 * One table row: `expr` gives a value of Go type `type` equal to `want`; or, with type
 * 'error', fails with a Go error return whose message is `want`; or, with type 'panic',
 * panics with that message.
 */
export type Row = [expr: string, type: string, want: unknown];

/** Checks one {@link Row}. */
export function expectRow(expr: string, type: string, want: unknown): void {
  if (type === 'error' || type === 'panic') {
    let thrown: unknown;
    try {
      evalExpr(expr);
    } catch (e) {
      thrown = e;
    }
    expect(thrown, `${expr} should fail`).toBeInstanceOf(Error);
    expect((thrown as Error).message).toBe(want);
    expect(thrown instanceof GoFuncError ? 'error' : 'panic').toBe(type);
    return;
  }
  const got = evalExpr(expr);
  expect(goTypeName(got)).toBe(type);
  expect(got).toEqual(want);
}
