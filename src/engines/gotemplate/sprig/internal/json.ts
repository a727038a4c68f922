/**
 * encoding/json for template values: Marshal / MarshalIndent / an Encoder without HTML
 * escaping, and Unmarshal into interface{}, with Go's output bytes and error texts.
 */
import { GoFunc, GoStruct, GoTime, isGoMap, sortedKeys, type GoMap } from '../../values.js';
import { base64Encode } from './base-encoding.js';
import { setEntry } from './reflect.js';
import { goQuote } from '../../../goruntime/index.js';
import { utf8Bytes as utf8Encode } from '../../../goruntime/index.js';
import { formatTime, timeFields } from './sdcn-time.js';

/** A marshalling or unmarshalling error; the message is Go's err.Error(). */
export class JsonError extends Error {}

/** Options of one marshal call. */
export interface MarshalOptions {
  /** Escape <, > and & as \u003c… (json.Marshal does; an Encoder with SetEscapeHTML(false) does not). */
  escapeHTML: boolean;
  /** MarshalIndent's indent; undefined for compact output. */
  indent?: string;
}

/** json.Marshal (or MarshalIndent with prefix ""). */
export function marshal(v: unknown, opts: MarshalOptions): string {
  const out: string[] = [];
  encode(v, opts, out, 0);
  return out.join('');
}

function newline(opts: MarshalOptions, depth: number): string {
  return opts.indent === undefined ? '' : '\n' + opts.indent.repeat(depth);
}

function encode(v: unknown, opts: MarshalOptions, out: string[], depth: number): void {
  if (v === undefined || v === null) {
    out.push('null');
    return;
  }
  switch (typeof v) {
    case 'string':
      out.push(encodeString(v, opts.escapeHTML));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(v.toString());
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new JsonError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      out.push(formatJsonFloat(v));
      return;
  }
  if (v instanceof Uint8Array) {
    out.push('"' + base64Encode(v) + '"');
    return;
  }
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      out.push(newline(opts, depth + 1));
      encode(item, opts, out, depth + 1);
    });
    out.push(newline(opts, depth), ']');
    return;
  }
  if (v instanceof GoTime) {
    out.push('"' + formatRFC3339Nano(v) + '"');
    return;
  }
  if (v instanceof GoStruct) {
    encodeStruct(v, opts, out, depth);
    return;
  }
  if (v instanceof GoFunc || typeof v === 'function') throw new JsonError('json: unsupported type: func()');
  if (isGoMap(v)) {
    encodeObject(
      sortedKeys(v).map((k) => [k, v[k]]),
      opts,
      out,
      depth,
    );
    return;
  }
  throw new JsonError(`json: unsupported type: ${typeof v}`);
}

function encodeObject(entries: [string, unknown][], opts: MarshalOptions, out: string[], depth: number): void {
  if (entries.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  entries.forEach(([k, val], i) => {
    if (i > 0) out.push(',');
    out.push(newline(opts, depth + 1), encodeString(k, opts.escapeHTML), opts.indent === undefined ? ':' : ': ');
    encode(val, opts, out, depth + 1);
  });
  out.push(newline(opts, depth), '}');
}

function encodeStruct(s: GoStruct, opts: MarshalOptions, out: string[], depth: number): void {
  if (s.json?.marshal) {
    encode(s.json.marshal(), opts, out, depth);
    return;
  }
  const entries: [string, unknown][] = [];
  for (const [field, value] of Object.entries(s.fields)) {
    const spec = s.json?.names?.[field];
    if (spec?.omit) continue;
    if (spec?.omitEmpty && isEmptyJson(value)) continue;
    entries.push([spec?.name ?? field, value]);
  }
  encodeObject(entries, opts, out, depth);
}

/** encoding/json isEmptyValue (omitempty). */
function isEmptyJson(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string') return v === '';
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  if (typeof v === 'bigint') return v === 0n;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (isGoMap(v)) return Object.keys(v).length === 0;
  return false;
}

const HEX = '0123456789abcdef';

/** encoding/json appendString. */
export function encodeString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) {
      if (c === 0x22 || c === 0x5c) out += '\\' + ch;
      else if (c >= 0x20 && !(escapeHTML && (c === 0x3c || c === 0x3e || c === 0x26))) out += ch;
      else if (c === 0x08) out += '\\b';
      else if (c === 0x0c) out += '\\f';
      else if (c === 0x0a) out += '\\n';
      else if (c === 0x0d) out += '\\r';
      else if (c === 0x09) out += '\\t';
      else out += '\\u00' + HEX[c >> 4]! + HEX[c & 15]!;
      continue;
    }
    if (c >= 0xd800 && c <= 0xdfff) out += '\\ufffd';
    else if (c === 0x2028 || c === 0x2029) out += '\\u202' + HEX[c & 15]!;
    else out += ch;
  }
  return out + '"';
}

/** time.Time.MarshalJSON: RFC 3339 with nanoseconds, trailing zeros dropped. */
export function formatRFC3339Nano(t: GoTime): string {
  const { year } = timeFields(t);
  if (year < 0 || year > 9999) throw new JsonError('Time.MarshalJSON: year outside of range [0,9999]');
  return formatTime(t, '2006-01-02T15:04:05.999999999Z07:00');
}

// ---- Unmarshal ----

const MAX_DEPTH = 10000;

/** The result of json.Unmarshal into an interface{}: the value and the error Go returns. */
export interface UnmarshalResult {
  value: unknown;
  error?: JsonError;
}

function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const q = goQuote(String.fromCodePoint(c));
  return "'" + q.slice(1, -1) + "'";
}

/** Checks the bytes with encoding/json's scanner and returns its SyntaxError text, if any. */
function checkValid(data: Uint8Array): string | undefined {
  type State = 'value' | 'valueOrEmpty' | 'keyOrEmpty' | 'key' | 'end' | 'endTop' | 'str' | 'esc' | 'u1' | 'u2' | 'u3' | 'u4'
    | 'neg' | 'n1' | 'n0' | 'dot' | 'dot0' | 'e' | 'esign' | 'e0' | 'lit';
  const stack: ('key' | 'value' | 'array')[] = [];
  let state: State = 'value';
  let lit = '';
  let litName = '';
  const err = (c: number, ctx: string) => `invalid character ${quoteChar(c)} ${ctx}`;
  const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
  const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
  const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

  const endValue = (c: number): string | undefined => {
    if (stack.length === 0) {
      state = 'endTop';
      return isSpace(c) ? undefined : err(c, 'after top-level value');
    }
    if (isSpace(c)) {
      state = 'end';
      return undefined;
    }
    const ps = stack[stack.length - 1]!;
    if (ps === 'key') {
      if (c === 0x3a) {
        stack[stack.length - 1] = 'value';
        state = 'value';
        return undefined;
      }
      return err(c, 'after object key');
    }
    if (ps === 'value') {
      if (c === 0x2c) {
        stack[stack.length - 1] = 'key';
        state = 'key';
        return undefined;
      }
      if (c === 0x7d) return pop();
      return err(c, 'after object key:value pair');
    }
    if (c === 0x2c) {
      state = 'value';
      return undefined;
    }
    if (c === 0x5d) return pop();
    return err(c, 'after array element');
  };
  const pop = (): undefined => {
    stack.pop();
    state = stack.length === 0 ? 'endTop' : 'end';
    return undefined;
  };
  const beginValue = (c: number): string | undefined => {
    if (isSpace(c)) return undefined;
    switch (c) {
      case 0x7b:
        state = 'keyOrEmpty';
        stack.push('key');
        return stack.length > MAX_DEPTH ? err(c, 'exceeded max depth') : undefined;
      case 0x5b:
        state = 'valueOrEmpty';
        stack.push('array');
        return stack.length > MAX_DEPTH ? err(c, 'exceeded max depth') : undefined;
      case 0x22:
        state = 'str';
        return undefined;
      case 0x2d:
        state = 'neg';
        return undefined;
      case 0x30:
        state = 'n0';
        return undefined;
      case 0x74:
        [state, lit, litName] = ['lit', 'rue', 'true'];
        return undefined;
      case 0x66:
        [state, lit, litName] = ['lit', 'alse', 'false'];
        return undefined;
      case 0x6e:
        [state, lit, litName] = ['lit', 'ull', 'null'];
        return undefined;
    }
    if (c >= 0x31 && c <= 0x39) {
      state = 'n1';
      return undefined;
    }
    return err(c, 'looking for beginning of value');
  };

  const beginKey = (c: number): string | undefined => {
    if (isSpace(c)) return undefined;
    if (c === 0x22) {
      state = 'str';
      return undefined;
    }
    return err(c, 'looking for beginning of object key string');
  };
  const afterInteger = (c: number): string | undefined => {
    if (c === 0x2e) state = 'dot';
    else if (c === 0x65 || c === 0x45) state = 'e';
    else return endValue(c);
    return undefined;
  };
  const exponentDigit = (c: number): string | undefined => {
    if (isDigit(c)) {
      state = 'e0';
      return undefined;
    }
    return err(c, 'in exponent of numeric literal');
  };

  const step = (c: number): string | undefined => {
    switch (state) {
      case 'valueOrEmpty':
        if (isSpace(c)) return undefined;
        if (c === 0x5d) return endValue(c);
        return beginValue(c);
      case 'value':
        return beginValue(c);
      case 'keyOrEmpty':
        if (isSpace(c)) return undefined;
        if (c === 0x7d) {
          stack[stack.length - 1] = 'value';
          return endValue(c);
        }
        return beginKey(c);
      case 'key':
        return beginKey(c);
      case 'end':
        return endValue(c);
      case 'endTop':
        return isSpace(c) ? undefined : err(c, 'after top-level value');
      case 'str':
        if (c === 0x22) state = 'end';
        else if (c === 0x5c) state = 'esc';
        else if (c < 0x20) return err(c, 'in string literal');
        return undefined;
      case 'esc':
        if ('bfnrt\\/"'.includes(String.fromCharCode(c))) {
          state = 'str';
          return undefined;
        }
        if (c === 0x75) {
          state = 'u1';
          return undefined;
        }
        return err(c, 'in string escape code');
      case 'u1':
      case 'u2':
      case 'u3':
      case 'u4':
        if (!isHex(c)) return err(c, 'in \\u hexadecimal character escape');
        state = state === 'u1' ? 'u2' : state === 'u2' ? 'u3' : state === 'u3' ? 'u4' : 'str';
        return undefined;
      case 'neg':
        if (c === 0x30) state = 'n0';
        else if (c >= 0x31 && c <= 0x39) state = 'n1';
        else return err(c, 'in numeric literal');
        return undefined;
      case 'n1':
        if (isDigit(c)) return undefined;
        return afterInteger(c);
      case 'n0':
        return afterInteger(c);
      case 'dot':
        if (isDigit(c)) {
          state = 'dot0';
          return undefined;
        }
        return err(c, 'after decimal point in numeric literal');
      case 'dot0':
        if (isDigit(c)) return undefined;
        if (c === 0x65 || c === 0x45) {
          state = 'e';
          return undefined;
        }
        return endValue(c);
      case 'e':
        if (c === 0x2b || c === 0x2d) {
          state = 'esign';
          return undefined;
        }
        return exponentDigit(c);
      case 'esign':
        return exponentDigit(c);
      case 'e0':
        if (isDigit(c)) return undefined;
        return endValue(c);
      case 'lit': {
        const want = lit.charCodeAt(0);
        if (c !== want) return err(c, `in literal ${litName} (expecting ${quoteChar(want)})`);
        lit = lit.slice(1);
        if (lit === '') state = 'end';
        return undefined;
      }
    }
  };

  for (const c of data) {
    const e = step(c);
    if (e !== undefined) return e;
  }
  // eof: feed a space; only a finished top-level value may end the input
  const atEnd = (): boolean => state === 'endTop';
  if (atEnd()) return undefined;
  const e = step(0x20);
  if (e !== undefined) return e;
  if (atEnd()) return undefined;
  return 'unexpected end of JSON input';
}

/** json.Unmarshal(data, &v) with v an interface{}. */
export function unmarshal(text: string): UnmarshalResult {
  const data = utf8Encode(text);
  const syntax = checkValid(data);
  if (syntax !== undefined) return { value: null, error: new JsonError(syntax) };
  const parser = new ValueParser(text);
  const value = parser.parseValue();
  return parser.error ? { value, error: parser.error } : { value };
}

/** Reads JSON that the scanner accepted. */
class ValueParser {
  private i = 0;
  error?: JsonError;

  constructor(private readonly s: string) {}

  private skip(): void {
    while (this.i < this.s.length && ' \t\r\n'.includes(this.s[this.i]!)) this.i++;
  }

  parseValue(): unknown {
    this.skip();
    const c = this.s[this.i]!;
    if (c === '{') {
      this.i++;
      const m: GoMap = {};
      this.skip();
      if (this.s[this.i] === '}') {
        this.i++;
        return m;
      }
      for (;;) {
        this.skip();
        const k = this.parseString();
        this.skip();
        this.i++; // ':'
        setEntry(m, k, this.parseValue());
        this.skip();
        if (this.s[this.i++] === '}') return m;
      }
    }
    if (c === '[') {
      this.i++;
      const a: unknown[] = [];
      this.skip();
      if (this.s[this.i] === ']') {
        this.i++;
        return a;
      }
      for (;;) {
        a.push(this.parseValue());
        this.skip();
        if (this.s[this.i++] === ']') return a;
      }
    }
    if (c === '"') return this.parseString();
    if (this.s.startsWith('true', this.i)) {
      this.i += 4;
      return true;
    }
    if (this.s.startsWith('false', this.i)) {
      this.i += 5;
      return false;
    }
    if (this.s.startsWith('null', this.i)) {
      this.i += 4;
      return null;
    }
    const m = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
    m.lastIndex = this.i;
    const lit = m.exec(this.s)![0];
    this.i += lit.length;
    const f = Number(lit);
    if (!Number.isFinite(f)) {
      this.error ??= new JsonError(`json: cannot unmarshal number ${lit} into Go value of type float64`);
      return null;
    }
    return f;
  }

  private parseString(): string {
    this.i++; // opening quote
    let out = '';
    for (;;) {
      const c = this.s[this.i++]!;
      if (c === '"') return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = this.s[this.i++]!;
      switch (e) {
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          let r = parseInt(this.s.slice(this.i, this.i + 4), 16);
          this.i += 4;
          if (r >= 0xd800 && r < 0xdc00) {
            const next = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.s.slice(this.i, this.i + 6));
            if (next) {
              r = 0x10000 + ((r - 0xd800) << 10) + (parseInt(next[1]!, 16) - 0xdc00);
              this.i += 6;
            } else {
              r = 0xfffd;
            }
          } else if (r >= 0xdc00 && r <= 0xdfff) {
            r = 0xfffd;
          }
          out += String.fromCodePoint(r);
          break;
        }
        default:
          out += e;
      }
    }
  }
}

/** How encoding/json formats a float64 (like JavaScript's Number#toString, but "-0" for -0). */
function formatJsonFloat(f: number): string {
  if (Object.is(f, -0)) return '-0';
  return String(f);
}
