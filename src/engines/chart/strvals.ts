import { goQuote } from '../goruntime/index.js';
import { goTypeName } from '../gotemplate/index.js';
import type { GoMap } from './types.js';
import { setKey } from './internal/goyaml.js';

/**
 * helm's pkg/strvals: the `--set name=value` language (parser.go) and `--set-literal`
 * (literal_parser.go), behaviour and error texts included.
 *
 * - `a.b=c` nests maps; `a[0]=x`, `a[0][1]=x`, `a[0].b=x` build lists (indices up to 65536,
 *   nesting up to 30 names); `a={x,y}` is a list; `\` escapes the next character (`\,` `\.` `\=`);
 *   several assignments are separated by `,`.
 * - `--set` types its values: `true`/`false` (any case) are booleans, `null` is nil, integers
 *   without a leading zero are int64 (a bigint here; `0` too), everything else a string.
 *   `--set-string` keeps strings; `--set-json` reads each value as JSON (numbers are float64);
 *   `--set-file` replaces each value with the contents of the file it names; `--set-literal`
 *   takes everything after the first `=` verbatim.
 *
 * Parsing merges into the given map, as ParseInto does; when an existing value has the wrong
 * type for the path (a string where a map is needed), helm's recovered panic text is
 * reproduced: `unable to parse key: interface conversion: interface {} is string, not map[string]interface {}`.
 */

/** Largest list index strvals accepts (helm MaxIndex). */
export const MAX_INDEX = 65536;
/** Deepest `a.b.c` nesting strvals accepts (helm MaxNestedNameLevel). */
export const MAX_NESTED_NAME_LEVEL = 30;

/** A strvals syntax or type error, with helm's message. */
export class StrvalsError extends Error {}

/** Turns the text of a value into the value (e.g. reads the file it names, for --set-file). Throws to fail. */
export type RunesValueReader = (text: string) => unknown;

const EOF = Symbol('EOF');
const NOT_LIST = Symbol('not a list');
type Err = typeof EOF | typeof NOT_LIST | Error | null;

/** A Go runtime panic inside the parser (a failed type assertion), recovered by key() as helm does. */
class Panic extends Error {}

/** The dynamic type a failed type assertion names (runtime.TypeAssertionError): "nil" for a nil interface, not %T's "<nil>". */
function assertedType(v: unknown): string {
  return v === null || v === undefined ? 'nil' : goTypeName(v);
}

function assertMap(v: unknown): GoMap {
  if (typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array)) return v as GoMap;
  throw new Panic(`interface conversion: interface {} is ${assertedType(v)}, not map[string]interface {}`);
}

function assertList(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Panic(`interface conversion: interface {} is ${assertedType(v)}, not []interface {}`);
}

const IS_SPACE = /^\p{White_Space}$/u;

/** A bytes.Buffer read rune by rune. */
class RuneBuffer {
  private readonly runes: string[];
  private pos = 0;
  private lastRead = false;

  constructor(s: string) {
    this.runes = Array.from(s);
  }

  readRune(): string | undefined {
    if (this.pos >= this.runes.length) {
      this.lastRead = false;
      return undefined;
    }
    this.lastRead = true;
    return this.runes[this.pos++];
  }

  unreadRune(): void {
    if (this.lastRead) this.pos--;
    this.lastRead = false;
  }

  rest(): string {
    return this.runes.slice(this.pos).join('');
  }

  /** Discards the first `n` UTF-16 units of rest(). */
  discardChars(n: number): void {
    let taken = 0;
    while (taken < n && this.pos < this.runes.length) taken += this.runes[this.pos++]!.length;
    this.lastRead = false;
  }
}

/** runesUntil: text up to one of `stop` (consumed), with `\` escaping the next rune. */
function runesUntil(sc: RuneBuffer, stop: string, escapes = true): { v: string; last: string | undefined; eof: boolean } {
  let v = '';
  for (;;) {
    const r = sc.readRune();
    if (r === undefined) return { v, last: undefined, eof: true };
    if (stop.includes(r)) return { v, last: r, eof: false };
    if (escapes && r === '\\') {
      const next = sc.readRune();
      if (next === undefined) return { v, last: undefined, eof: true };
      v += next;
    } else {
      v += r;
    }
  }
}

/** strconv.Atoi with its error texts. */
function atoi(s: string): [number, Error | null] {
  const m = /^[+-]?[0-9]+$/.exec(s);
  if (!m) return [0, new StrvalsError(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`)];
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) return [0, new StrvalsError(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`)];
  return [Number(n), null];
}

/** %q of a []rune: each rune quoted, as ['a' 'b']. */
function quoteRunes(s: string): string {
  const quoteRune = (ch: string) => {
    if (ch === "'") return "'\\''";
    if (ch === '"') return `'"'`;
    return `'${goQuote(ch).slice(1, -1)}'`;
  };
  return `[${[...s].map(quoteRune).join(' ')}]`;
}

function set(data: GoMap, key: string, val: unknown): void {
  if (key.length === 0) return;
  setKey(data, key, val);
}

function setIndex(list: unknown[], index: number, val: unknown): [unknown[], Err] {
  if (index < 0) return [list, new StrvalsError(`negative ${index} index not allowed`)];
  if (index > MAX_INDEX) return [list, new StrvalsError(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`)];
  if (list.length <= index) {
    const grown: unknown[] = new Array(index + 1).fill(null);
    list.forEach((v, i) => (grown[i] = v));
    list = grown;
  }
  list[index] = val;
  return [list, null];
}

/** typedVal: the value of `--set` text (st: keep strings, as --set-string does). */
export function typedVal(val: string, st: boolean): unknown {
  if (st) return val;
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return 0n;
  if (val.length !== 0 && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const n = BigInt(val);
    if (n <= 2n ** 63n - 1n && n >= -(2n ** 63n)) return n;
  }
  return val;
}

/**
 * Reads one JSON value from the start of `s` the way encoding/json's Decoder does: leading
 * whitespace skipped, the value ends where its grammar ends. Returns the value and how many
 * characters it used (InputOffset).
 */
function decodeJsonPrefix(s: string): [unknown, number] {
  let i = 0;
  const ws = () => {
    while (i < s.length && ' \t\r\n'.includes(s[i]!)) i++;
  };
  const bad = (what: string): never => {
    if (i >= s.length) throw new StrvalsError('unexpected EOF');
    throw new StrvalsError(`invalid character ${goQuoteRune(s[i]!)} ${what}`);
  };
  const value = (): void => {
    ws();
    const c = s[i];
    if (c === '{') {
      i++;
      ws();
      if (s[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (s[i] !== '"') bad('looking for beginning of object key string');
        string();
        ws();
        if (s[i] !== ':') bad('after object key');
        i++;
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === '}') {
          i++;
          return;
        }
        bad('after object key:value pair');
      }
    } else if (c === '[') {
      i++;
      ws();
      if (s[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (s[i] === ',') {
          i++;
          continue;
        }
        if (s[i] === ']') {
          i++;
          return;
        }
        bad('after array element');
      }
    } else if (c === '"') {
      string();
    } else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(s.slice(i));
      if (!m || m[0] === '-') {
        i++;
        bad('in numeric literal');
      }
      i += m![0].length;
    } else {
      for (const lit of ['true', 'false', 'null']) {
        if (s.startsWith(lit, i)) {
          i += lit.length;
          return;
        }
      }
      bad('looking for beginning of value');
    }
  };
  const string = () => {
    i++;
    while (i < s.length) {
      const ch = s[i]!;
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i += 2;
        continue;
      }
      if (ch < ' ') bad('in string literal');
      i++;
    }
    bad('in string literal');
  };
  value();
  const text = s.slice(0, i);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new StrvalsError((e as Error).message);
  }
  checkFinite(parsed, text);
  return [parsed, i];
}

function checkFinite(v: unknown, text: string): void {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    throw new StrvalsError(`json: cannot unmarshal number ${text.trim()} into Go value of type float64`);
  }
  if (Array.isArray(v)) v.forEach((x) => checkFinite(x, String(x)));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => checkFinite(x, String(x)));
}

function goQuoteRune(c: string): string {
  return c === "'" ? "'\\''" : `'${c}'`;
}

class Parser {
  constructor(
    private readonly sc: RuneBuffer,
    private readonly data: GoMap,
    private readonly reader: RunesValueReader,
    private readonly isJson: boolean,
  ) {}

  parse(): void {
    for (;;) {
      const err = this.key(this.data, 0);
      if (err === null) continue;
      if (err === EOF) return;
      throw err === NOT_LIST ? new StrvalsError('not a list') : err;
    }
  }

  private read(rs: string): [unknown, Err] {
    try {
      return [this.reader(rs), null];
    } catch (e) {
      return [undefined, e instanceof Error ? e : new StrvalsError(String(e))];
    }
  }

  key(data: GoMap, nestedNameLevel: number): Err {
    try {
      return this.keyInner(data, nestedNameLevel);
    } catch (e) {
      if (e instanceof Panic) return new StrvalsError(`unable to parse key: ${e.message}`);
      throw e;
    }
  }

  private keyInner(data: GoMap, nestedNameLevel: number): Err {
    const { v: k, last, eof } = runesUntil(this.sc, '=[,.');
    if (eof) return k.length === 0 ? EOF : new StrvalsError(`key ${goQuote(k)} has no value`);
    switch (last) {
      case '[': {
        const [i, ierr] = this.keyIndex();
        if (ierr) return wrap(ierr, 'error parsing index');
        let list: unknown[] = [];
        if (Object.hasOwn(data, k)) list = assertList(data[k]);
        const [out, err] = this.listItem(list, i, nestedNameLevel);
        set(data, k, out);
        return err;
      }
      case '=': {
        if (this.isJson) return this.jsonValue((v) => set(data, k, v));
        const [vl, e] = this.valList();
        if (e === null) {
          set(data, k, vl);
          return null;
        }
        if (e === EOF) {
          set(data, k, '');
          return EOF;
        }
        if (e === NOT_LIST) {
          const [rs, e2] = this.val();
          if (e2 !== null && e2 !== EOF) return e2;
          const [v, e3] = this.read(rs);
          set(data, k, v);
          return e3;
        }
        return e;
      }
      case ',':
        set(data, k, '');
        return new StrvalsError(`key ${goQuote(k)} has no value (cannot end with ,)`);
      case '.': {
        nestedNameLevel++;
        if (nestedNameLevel > MAX_NESTED_NAME_LEVEL) {
          return new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        }
        let inner: GoMap = {};
        if (Object.hasOwn(data, k)) inner = assertMap(data[k]);
        const e = this.key(inner, nestedNameLevel);
        if (e === null && Object.keys(inner).length === 0) return new StrvalsError(`key map ${goQuote(k)} has no value`);
        if (Object.keys(inner).length !== 0) set(data, k, inner);
        return e;
      }
    }
    return null;
  }

  /** The JSON branch of `=`: an empty value is null; otherwise one JSON value, then optional blanks and a comma. */
  private jsonValue(store: (v: unknown) => void): Err {
    const [empty, e] = this.emptyVal();
    if (e) return e;
    if (empty) {
      store(null);
      return null;
    }
    let value: unknown;
    let used: number;
    try {
      [value, used] = decodeJsonPrefix(this.sc.rest());
    } catch (err) {
      return err as Error;
    }
    store(value);
    this.sc.discardChars(used);
    return this.emptyVal()[1];
  }

  private keyIndex(): [number, Err] {
    const { v, eof } = runesUntil(this.sc, ']');
    if (eof) return [0, EOF];
    return atoi(v);
  }

  private listItem(list: unknown[], i: number, nestedNameLevel: number): [unknown[], Err] {
    if (i < 0) return [list, new StrvalsError(`negative ${i} index not allowed`)];
    const { v: k, last, eof } = runesUntil(this.sc, '[.=');
    if (k.length > 0) return [list, new StrvalsError(`unexpected data at end of array index: ${quoteRunes(k)}`)];
    if (eof) return [list, EOF];
    switch (last) {
      case '=': {
        if (this.isJson) {
          let out = list;
          let err: Err = null;
          const e = this.jsonValue((v) => {
            [out, err] = setIndex(list, i, v);
          });
          return [out, err ?? e];
        }
        const [vl, e] = this.valList();
        if (e === null) return setIndex(list, i, vl);
        if (e === EOF) return setIndex(list, i, '');
        if (e === NOT_LIST) {
          const [rs, e2] = this.val();
          if (e2 !== null && e2 !== EOF) return [list, e2];
          const [v, e3] = this.read(rs);
          if (e3) return [list, e3];
          return setIndex(list, i, v);
        }
        return [list, e];
      }
      case '[': {
        const [nextI, ierr] = this.keyIndex();
        if (ierr) return [list, wrap(ierr, 'error parsing index')];
        let crt: unknown[] = [];
        if (list.length > i && list[i] !== null && list[i] !== undefined) crt = assertList(list[i]);
        const [list2, err] = this.listItem(crt, nextI, nestedNameLevel);
        if (err) return [list, err];
        return setIndex(list, i, list2);
      }
      case '.': {
        let inner: GoMap = {};
        if (list.length > i) {
          const existing = list[i];
          if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) {
            inner = existing as GoMap;
          } else {
            // Indices out of order: start an empty map there.
            list[i] = inner;
          }
        }
        const e = this.key(inner, nestedNameLevel);
        if (e) return [list, e];
        return setIndex(list, i, inner);
      }
    }
    return [[], new StrvalsError(`parse error: unexpected token ${last?.codePointAt(0) ?? 0}`)];
  }

  private emptyVal(): [boolean, Err] {
    for (;;) {
      const r = this.sc.readRune();
      if (r === undefined) return [true, null];
      if (r === ',') return [true, null];
      if (!IS_SPACE.test(r)) {
        this.sc.unreadRune();
        return [false, null];
      }
    }
  }

  private val(): [string, Err] {
    const { v, eof } = runesUntil(this.sc, ',');
    return [v, eof ? EOF : null];
  }

  private valList(): [unknown[], Err] {
    const r = this.sc.readRune();
    if (r === undefined) return [[], EOF];
    if (r !== '{') {
      this.sc.unreadRune();
      return [[], NOT_LIST];
    }
    const list: unknown[] = [];
    for (;;) {
      const { v: rs, last, eof } = runesUntil(this.sc, ',}');
      if (eof) return [list, new StrvalsError("list must terminate with '}'")];
      if (last === '}') {
        const next = this.sc.readRune();
        if (next !== undefined && next !== ',') this.sc.unreadRune();
        const [v, e] = this.read(rs);
        list.push(v);
        return [list, e];
      }
      const [v, e] = this.read(rs);
      if (e) return [list, e];
      list.push(v);
    }
  }
}

function wrap(err: Err, prefix: string): Error {
  const msg = err === EOF ? 'EOF' : err === NOT_LIST ? 'not a list' : (err as Error).message;
  return new StrvalsError(`${prefix}: ${msg}`);
}

/** strvals.ParseInto: parses a --set line into `dest` (typed values). Throws StrvalsError. */
export function parseSetInto(s: string, dest: GoMap): void {
  new Parser(new RuneBuffer(s), dest, (rs) => typedVal(rs, false), false).parse();
}

/** strvals.ParseIntoString: parses a --set-string line into `dest` (string values). */
export function parseSetStringInto(s: string, dest: GoMap): void {
  new Parser(new RuneBuffer(s), dest, (rs) => typedVal(rs, true), false).parse();
}

/** strvals.ParseJSON: parses a --set-json line into `dest` (JSON values; an empty value is null). */
export function parseSetJsonInto(s: string, dest: GoMap): void {
  new Parser(new RuneBuffer(s), dest, () => undefined, true).parse();
}

/** strvals.ParseIntoFile: parses a --set-file line into `dest`, each value read through `reader`. */
export function parseSetFileInto(s: string, dest: GoMap, reader: RunesValueReader): void {
  new Parser(new RuneBuffer(s), dest, reader, false).parse();
}

/** strvals.Parse: a --set line on its own. */
export function parseSet(s: string): GoMap {
  const out: GoMap = {};
  parseSetInto(s, out);
  return out;
}

/** strvals.ParseString: a --set-string line on its own. */
export function parseSetString(s: string): GoMap {
  const out: GoMap = {};
  parseSetStringInto(s, out);
  return out;
}

/** strvals.ParseFile: a --set-file line on its own. */
export function parseSetFile(s: string, reader: RunesValueReader): GoMap {
  const out: GoMap = {};
  parseSetFileInto(s, out, reader);
  return out;
}

/** literal_parser.go: `--set-literal` keeps everything after the first `=` as one string. */
class LiteralParser {
  constructor(
    private readonly sc: RuneBuffer,
    private readonly data: GoMap,
  ) {}

  parse(): void {
    for (;;) {
      const err = this.key(this.data, 0);
      if (err === null) continue;
      if (err === EOF) return;
      throw err;
    }
  }

  private key(data: GoMap, nestedNameLevel: number): Err {
    try {
      return this.keyInner(data, nestedNameLevel);
    } catch (e) {
      if (e instanceof Panic) return new StrvalsError(`unable to parse key: ${e.message}`);
      throw e;
    }
  }

  private keyInner(data: GoMap, nestedNameLevel: number): Err {
    const { v: key, last, eof } = runesUntil(this.sc, '=[.', false);
    if (eof) return key.length === 0 ? EOF : new StrvalsError(`key ${goQuote(key)} has no value`);
    switch (last) {
      case '=':
        set(data, key, runesUntil(this.sc, '', false).v);
        return null;
      case '.': {
        nestedNameLevel++;
        if (nestedNameLevel > MAX_NESTED_NAME_LEVEL) {
          return new StrvalsError(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
        }
        let inner: GoMap = {};
        if (Object.hasOwn(data, key)) inner = assertMap(data[key]);
        const err = this.key(inner, nestedNameLevel);
        if (err === null && Object.keys(inner).length === 0) return new StrvalsError(`key map ${goQuote(key)} has no value`);
        if (Object.keys(inner).length !== 0) set(data, key, inner);
        return err;
      }
      case '[': {
        const [i, ierr] = this.keyIndex();
        if (ierr) return wrap(ierr, 'error parsing index');
        let list: unknown[] = [];
        if (Object.hasOwn(data, key)) list = assertList(data[key]);
        const [out, err] = this.listItem(list, i, nestedNameLevel);
        set(data, key, out);
        return err;
      }
    }
    return null;
  }

  private keyIndex(): [number, Err] {
    const { v, eof } = runesUntil(this.sc, ']', false);
    if (eof) return [0, EOF];
    return atoi(v);
  }

  private listItem(list: unknown[], i: number, nestedNameLevel: number): [unknown[], Err] {
    if (i < 0) return [list, new StrvalsError(`negative ${i} index not allowed`)];
    const { v: key, last, eof } = runesUntil(this.sc, '[.=', false);
    if (key.length > 0) return [list, new StrvalsError(`unexpected data at end of array index: ${quoteRunes(key)}`)];
    if (eof) return [list, EOF];
    switch (last) {
      case '=':
        return setIndex(list, i, runesUntil(this.sc, '', false).v);
      case '.': {
        let inner: GoMap = {};
        if (list.length > i) {
          const existing = list[i];
          if (typeof existing === 'object' && existing !== null && !Array.isArray(existing)) inner = existing as GoMap;
          else list[i] = inner;
        }
        const err = this.key(inner, nestedNameLevel);
        if (err) return [list, err];
        return setIndex(list, i, inner);
      }
      case '[': {
        const [nextI, ierr] = this.keyIndex();
        if (ierr) return [list, wrap(ierr, 'error parsing index')];
        let crt: unknown[] = [];
        if (list.length > i && list[i] !== null && list[i] !== undefined) crt = assertList(list[i]);
        const [list2, err] = this.listItem(crt, nextI, nestedNameLevel);
        if (err) return [list, err];
        return setIndex(list, i, list2);
      }
    }
    return [[], new StrvalsError(`parse error: unexpected token ${last?.codePointAt(0) ?? 0}`)];
  }
}

/** strvals.ParseLiteralInto: parses a --set-literal line into `dest`. */
export function parseSetLiteralInto(s: string, dest: GoMap): void {
  new LiteralParser(new RuneBuffer(s), dest).parse();
}

/** strvals.ParseLiteral: a --set-literal line on its own. */
export function parseSetLiteral(s: string): GoMap {
  const out: GoMap = {};
  parseSetLiteralInto(s, out);
  return out;
}
