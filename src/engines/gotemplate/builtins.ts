/**
 * text/template's predefined functions (funcs.go): and, or, not, call, len, index, slice,
 * print, printf, println, html, js, urlquery, eq, ne, lt, le, gt, ge. A template's own
 * FuncMap can override any of them; `and`, `or` and `call` are evaluated by the executor
 * itself (they short-circuit or need the callee's name) when they are the builtins.
 */
import { sprint, sprintf, sprintln } from './fmt.js';
import { compareGoStrings, decodeUtf8, isAscii, isPrint, utf8Bytes, utf8Length } from '../goruntime/index.js';
import { assignable, canBeNil, derefTypeName, nilFor, paramTypeName, valueTypeName, zeroOfElem } from './internal/types.js';
import {
  GoFunc,
  GoFuncError,
  GoStruct,
  GoTime,
  defineFunc,
  elemType,
  isGoMap,
  isTrue,
  methodsOf,
  namedTypeOf,
  withElemType,
  withMethods,
  type FuncMap,
  type ParamType,
} from './values.js';

function fail(message: string): never {
  throw new GoFuncError(message);
}

/** The value inside an interface: a nil interface (null) becomes no value (exec.go indirectInterface). */
function indirectInterface(v: unknown): unknown {
  return v === null ? undefined : v;
}

// --- indexing ------------------------------------------------------------------------------

/** funcs.go indexArg: an int index in [0, cap]. `raw` values were not unwrapped from an interface. */
function indexArg(index: unknown, cap: number): number {
  if (typeof index !== 'bigint') {
    if (index === undefined) fail('cannot index slice/array with nil');
    fail(`cannot index slice/array with type ${valueTypeName(index)}`);
  }
  if (index < 0n || index > BigInt(cap)) fail(`index out of range: ${index}`);
  return Number(index);
}

function byteAt(s: string, i: number): bigint {
  return BigInt(isAscii(s) ? s.charCodeAt(i) : utf8Bytes(s)[i]!);
}

/** index x 1 2 3: x[1][2][3] over maps, slices and strings; a missing key gives the zero value. */
function index(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) fail('index of untyped nil');
  for (let ix of indexes) {
    ix = indirectInterface(ix);
    if (item === null || item === undefined) fail('index of nil pointer');
    if (typeof item === 'string') {
      const len = utf8Length(item);
      const x = indexArg(ix, len);
      if (x === len) fail('reflect: string index out of range');
      item = byteAt(item, x);
    } else if (Array.isArray(item) || item instanceof Uint8Array) {
      const x = indexArg(ix, item.length);
      if (x === item.length) fail('reflect: slice index out of range');
      item = item instanceof Uint8Array ? BigInt(item[x]!) : item[x];
    } else if (isGoMap(item)) {
      if (ix === undefined) fail('value is nil; should be of type string');
      if (typeof ix !== 'string') fail(`value has type ${valueTypeName(ix)}; should be string`);
      item = Object.hasOwn(item, ix) ? item[ix] : zeroOfElem(elemType(item));
    } else {
      fail(`can't index item of type ${derefTypeName(item)}`);
    }
  }
  return item;
}

/** slice x 1 2: x[1:2] of a string or slice ("slice x 1 2 3" is x[1:2:3]). */
function slice(item: unknown, ...indexes: unknown[]): unknown {
  item = indirectInterface(item);
  if (item === undefined) fail('slice of untyped nil');
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof item === 'string') {
    if (indexes.length === 3) fail('cannot 3-index slice a string');
    len = utf8Length(item);
  } else if (Array.isArray(item) || item instanceof Uint8Array) {
    len = item.length;
  } else {
    fail(`can't slice item of type ${derefTypeName(item)}`);
  }
  const idx = [0, len, 0];
  indexes.forEach((ix, i) => {
    idx[i] = indexArg(ix, len);
  });
  const [i, j, k] = idx as [number, number, number];
  if (i > j) fail(`invalid slice index: ${i} > ${j}`);
  if (indexes.length === 3 && j > k) fail(`invalid slice index: ${j} > ${k}`);
  if (typeof item === 'string') return isAscii(item) ? item.slice(i, j) : decodeUtf8(utf8Bytes(item).subarray(i, j));
  if (item instanceof Uint8Array) return item.slice(i, j);
  const arr = item as unknown[];
  const out = arr.slice(i, j);
  const elem = elemType(arr);
  if (elem !== 'interface {}') withElemType(out, elem);
  const methods = methodsOf(arr);
  if (methods) withMethods(out, methods, namedTypeOf(arr));
  return out;
}

/** len x: bytes of a string, elements of a slice or map. */
function length(item: unknown): bigint {
  if (item === null) fail('len of nil pointer');
  if (item === undefined) fail('reflect: call of reflect.Value.Type on zero Value');
  if (typeof item === 'string') return BigInt(utf8Length(item));
  if (Array.isArray(item) || item instanceof Uint8Array) return BigInt(item.length);
  if (isGoMap(item)) return BigInt(Object.keys(item).length);
  fail(`len of type ${derefTypeName(item)}`);
}

// --- call -----------------------------------------------------------------------------------

/** funcs.go prepareArg: checks an argument of `call` against the callee's parameter. */
function prepareArg(value: unknown, t: ParamType): unknown {
  if (value === undefined) {
    if (!canBeNil(t)) fail(`value is nil; should be of type ${paramTypeName(t)}`);
    return nilFor(t);
  }
  if (assignable(value, t)) return value;
  fail(`value has type ${valueTypeName(value)}; should be ${paramTypeName(t)}`);
}

/**
 * call fn args...: calls a function value (funcs.go call); `name` is how the template spelled
 * the function, for messages.
 */
export function callFunction(name: string, fn: unknown, args: unknown[]): unknown {
  fn = indirectInterface(fn);
  if (fn === undefined) fail('call of nil');
  if (!(fn instanceof GoFunc)) fail(`non-function ${name} of type ${valueTypeName(fn)}`);
  const fixed = fn.params.length;
  if (fn.variadic !== undefined) {
    if (args.length < fixed) fail(`wrong number of args for ${name}: got ${args.length} want at least ${fixed}`);
  } else if (args.length !== fixed) {
    fail(`wrong number of args for ${name}: got ${args.length} want ${fixed}`);
  }
  const argv = args.map((arg, i) => {
    const t = i < fixed ? fn.params[i]! : fn.variadic!;
    try {
      return prepareArg(indirectInterface(arg), t);
    } catch (e) {
      fail(`arg ${i}: ${(e as Error).message}`);
    }
  });
  return (fn.fn as (...a: unknown[]) => unknown)(...argv);
}

// --- comparison ------------------------------------------------------------------------------

const INVALID_KIND = 0;
const BOOL_KIND = 1;
const INT_KIND = 3;
const FLOAT_KIND = 4;
const STRING_KIND = 5;

function basicKind(v: unknown): number {
  switch (typeof v) {
    case 'boolean':
      return BOOL_KIND;
    case 'bigint':
      return INT_KIND;
    case 'number':
      return FLOAT_KIND;
    case 'string':
      return STRING_KIND;
  }
  return INVALID_KIND;
}

// reflect.Kind of the values that are not basic, for canCompare.
function refKind(v: unknown): string {
  if (v === undefined) return 'invalid';
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof GoStruct) return v.isPointer ? 'ptr' : 'struct';
  if (v instanceof GoTime) return 'struct';
  if (v instanceof GoFunc) return 'func';
  return 'map';
}

function comparable(v: unknown): boolean {
  if (basicKind(v) !== INVALID_KIND || v === null || v === undefined) return true;
  const k = refKind(v);
  return k !== 'slice' && k !== 'map' && k !== 'func';
}

// Go's == on two interface values of non-basic kinds (comparable, non-nil).
function interfaceEqual(a: unknown, b: unknown): boolean {
  if (typeof a !== typeof b) return false;
  if (basicKind(a) !== INVALID_KIND || a === null || a === undefined) return a === b;
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.typeName !== b.typeName) return false;
    if (a.isPointer) return a === b;
    for (const k of Object.keys(a.fields)) {
      const x = a.fields[k];
      const y = b.fields[k];
      if (!comparable(x)) fail(`runtime error: comparing uncomparable type ${valueTypeName(x)}`);
      if (!interfaceEqual(x, y)) return false;
    }
    return true;
  }
  if (a instanceof GoTime && b instanceof GoTime) {
    return a.unixNanos === b.unixNanos && a.offsetSeconds === b.offsetSeconds && a.location === b.location;
  }
  if (!comparable(a)) fail(`runtime error: comparing uncomparable type ${valueTypeName(a)}`);
  return a === b;
}

/** eq a b c...: a == b || a == c ... with Go's rules for mixed types. */
function eq(arg1: unknown, ...arg2: unknown[]): boolean {
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) fail('missing argument for comparison');
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      if (arg1 !== undefined && arg !== undefined) {
        fail(`incompatible types for comparison: ${valueTypeName(arg1)} and ${valueTypeName(arg)}`);
      }
    } else if (k1 !== INVALID_KIND) {
      truth = arg1 === arg;
    } else {
      const r1 = refKind(arg1);
      const r2 = refKind(arg);
      if (r1 !== r2 && r1 !== 'invalid' && r2 !== 'invalid') {
        fail(`non-comparable types ${sprintf('%s', arg1)}: ${valueTypeName(arg1)}, ${valueTypeName(arg)}: ${sprintf('%v', arg)}`);
      }
      if (arg1 === undefined || arg === undefined) truth = arg1 === arg;
      else {
        if (!comparable(arg)) fail(`non-comparable type ${sprintf('%s', arg)}: ${valueTypeName(arg)}`);
        truth = interfaceEqual(arg1, arg);
      }
    }
    if (truth) return true;
  }
  return false;
}

/** lt a b: a < b for basic types of the same kind. */
function lt(arg1: unknown, arg2: unknown): boolean {
  arg1 = indirectInterface(arg1);
  const k1 = basicKind(arg1);
  if (k1 === INVALID_KIND) fail('invalid type for comparison');
  arg2 = indirectInterface(arg2);
  const k2 = basicKind(arg2);
  if (k2 === INVALID_KIND) fail('invalid type for comparison');
  if (k1 !== k2) fail(`incompatible types for comparison: ${valueTypeName(arg1)} and ${valueTypeName(arg2)}`);
  switch (k1) {
    case BOOL_KIND:
      return fail('invalid type for comparison');
    case STRING_KIND:
      return compareGoStrings(arg1 as string, arg2 as string) < 0;
    default:
      return (arg1 as number | bigint) < (arg2 as number | bigint);
  }
}

function le(arg1: unknown, arg2: unknown): boolean {
  return lt(arg1, arg2) || eq(arg1, arg2);
}

// --- escaping ----------------------------------------------------------------------------------

/** funcs.go evalArgs: the arguments as fmt.Sprint prints them, a nil as "<no value>". */
function evalArgs(args: unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(
    ...args.map((a) => {
      if (a === null || a === undefined) return '<no value>';
      // printableValue follows pointers: a *T without String() prints as T's fields.
      if (a instanceof GoStruct && a.isPointer && a.stringer === undefined) {
        return new GoStruct(a.typeName.slice(1), a.fields, a.methods, a.json);
      }
      return a;
    }),
  );
}

/** template.HTMLEscapeString. */
export function htmlEscapeString(s: string): string {
  if (!/['"&<>\0]/.test(s)) return s;
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\0':
        out += '\uFFFD';
        break;
      case '"':
        out += '&#34;';
        break;
      case "'":
        out += '&#39;';
        break;
      case '&':
        out += '&amp;';
        break;
      case '<':
        out += '&lt;';
        break;
      case '>':
        out += '&gt;';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

const HEX_UPPER = '0123456789ABCDEF';

/** template.JSEscapeString. */
export function jsEscapeString(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) {
      switch (ch) {
        case '\\':
          out += '\\\\';
          continue;
        case "'":
          out += "\\'";
          continue;
        case '"':
          out += '\\"';
          continue;
        case '<':
          out += '\\u003C';
          continue;
        case '>':
          out += '\\u003E';
          continue;
        case '&':
          out += '\\u0026';
          continue;
        case '=':
          out += '\\u003D';
          continue;
      }
      out += cp < 0x20 ? `\\u00${HEX_UPPER[cp >> 4]}${HEX_UPPER[cp & 0xf]}` : ch;
    } else if (isPrint(cp)) {
      out += ch;
    } else {
      out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return out;
}

/** url.QueryEscape. */
export function urlQueryEscape(s: string): string {
  let out = '';
  for (const b of utf8Bytes(s)) {
    if (
      (b >= 0x30 && b <= 0x39) ||
      (b >= 0x41 && b <= 0x5a) ||
      (b >= 0x61 && b <= 0x7a) ||
      b === 0x2d ||
      b === 0x2e ||
      b === 0x5f ||
      b === 0x7e
    ) {
      out += String.fromCharCode(b);
    } else if (b === 0x20) {
      out += '+';
    } else {
      out += `%${HEX_UPPER[b >> 4]}${HEX_UPPER[b & 0xf]}`;
    }
  }
  return out;
}

function unreachable(): never {
  throw new Error('gotemplate: and/or/call are evaluated by the executor');
}

/** The predefined functions, by name. */
export const BUILTINS: ReadonlyMap<string, GoFunc> = new Map<string, GoFunc>(
  (
    [
      defineFunc('and', ['value'], unreachable, 'value'),
      defineFunc('call', ['value'], unreachable, 'value'),
      defineFunc('html', [], (...a: unknown[]) => htmlEscapeString(evalArgs(a)), 'any'),
      defineFunc('index', ['value'], index, 'value'),
      defineFunc('slice', ['value'], slice, 'value'),
      defineFunc('js', [], (...a: unknown[]) => jsEscapeString(evalArgs(a)), 'any'),
      defineFunc('len', ['value'], length),
      defineFunc('not', ['value'], (a: unknown) => !isTrue(indirectInterface(a))),
      defineFunc('or', ['value'], unreachable, 'value'),
      defineFunc('print', [], sprint, 'any'),
      defineFunc('printf', ['string'], sprintf, 'any'),
      defineFunc('println', [], sprintln, 'any'),
      defineFunc('urlquery', [], (...a: unknown[]) => urlQueryEscape(evalArgs(a)), 'any'),
      defineFunc('eq', ['value'], eq, 'value'),
      defineFunc('ge', ['value', 'value'], (a: unknown, b: unknown) => !lt(a, b)),
      defineFunc('gt', ['value', 'value'], (a: unknown, b: unknown) => !le(a, b)),
      defineFunc('le', ['value', 'value'], le),
      defineFunc('lt', ['value', 'value'], lt),
      defineFunc('ne', ['value', 'value'], (a: unknown, b: unknown) => !eq(a, b)),
    ] as GoFunc[]
  ).map((f) => [f.name, f]),
);

/** A copy of the predefined functions, e.g. to start a FuncMap from. */
export function builtinFuncs(): FuncMap {
  return new Map(BUILTINS);
}
