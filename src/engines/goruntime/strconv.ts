/**
 * Go's strconv for the template engine: Unquote/UnquoteChar (text/template's string and
 * character literals) and ParseInt/ParseUint/ParseFloat with their base prefixes, underscore
 * rules and error results, for text/template's number literals and for sprig (spf13/cast,
 * atoi, toDecimal). Quote and CanBackquote are fmt/quote.ts's.
 */
import { decodeUtf8 } from './utf8.js';

/** strconv.ErrSyntax's text. */
export const ERR_SYNTAX = 'invalid syntax';

/** Thrown for malformed literals; the message is strconv's error text. */
export class StrconvError extends Error {}

function unhex(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/** One decoded character: a rune, or a single raw byte for \x and octal escapes. */
export interface UnquotedChar {
  value: number;
  /** True when value is a raw byte (\xNN, \NNN) rather than a rune. */
  isByte: boolean;
  /** Index in the input after the character. */
  next: number;
}

/** strconv.UnquoteChar on s[i:]; throws StrconvError("invalid syntax"). */
export function unquoteChar(s: string, i: number, q: number): UnquotedChar {
  if (i >= s.length) throw new StrconvError(ERR_SYNTAX);
  const c = s.charCodeAt(i);
  if (c === q && (q === 0x27 || q === 0x22)) throw new StrconvError(ERR_SYNTAX);
  if (c !== 0x5c) {
    const cp = s.codePointAt(i)!;
    return { value: cp, isByte: false, next: i + (cp > 0xffff ? 2 : 1) };
  }
  if (i + 1 >= s.length) throw new StrconvError(ERR_SYNTAX);
  const e = s[i + 1]!;
  let j = i + 2;
  let value: number;
  switch (e) {
    case 'a':
      value = 7;
      break;
    case 'b':
      value = 8;
      break;
    case 'f':
      value = 12;
      break;
    case 'n':
      value = 10;
      break;
    case 'r':
      value = 13;
      break;
    case 't':
      value = 9;
      break;
    case 'v':
      value = 11;
      break;
    case 'x':
    case 'u':
    case 'U': {
      const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      if (s.length - j < n) throw new StrconvError(ERR_SYNTAX);
      let v = 0;
      for (let k = 0; k < n; k++) {
        const x = unhex(s.charCodeAt(j + k));
        if (x < 0) throw new StrconvError(ERR_SYNTAX);
        v = v * 16 + x;
      }
      j += n;
      if (e === 'x') return { value: v, isByte: true, next: j };
      if (v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) throw new StrconvError(ERR_SYNTAX);
      return { value: v, isByte: false, next: j };
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      let v = e.charCodeAt(0) - 0x30;
      if (s.length - j < 2) throw new StrconvError(ERR_SYNTAX);
      for (let k = 0; k < 2; k++) {
        const x = s.charCodeAt(j + k) - 0x30;
        if (x < 0 || x > 7) throw new StrconvError(ERR_SYNTAX);
        v = v * 8 + x;
      }
      j += 2;
      if (v > 255) throw new StrconvError(ERR_SYNTAX);
      return { value: v, isByte: true, next: j };
    }
    case '\\':
      value = 0x5c;
      break;
    case "'":
    case '"':
      if (e.charCodeAt(0) !== q) throw new StrconvError(ERR_SYNTAX);
      value = e.charCodeAt(0);
      break;
    default:
      throw new StrconvError(ERR_SYNTAX);
  }
  return { value, isByte: false, next: j };
}

/** strconv.Unquote for "..." and `...` literals (the lexer has already delimited them). */
export function unquote(s: string): string {
  const n = s.length;
  if (n < 2) throw new StrconvError(ERR_SYNTAX);
  const q = s.charCodeAt(0);
  if (q === 0x60) {
    if (s.charCodeAt(n - 1) !== 0x60 || s.indexOf('`', 1) !== n - 1) throw new StrconvError(ERR_SYNTAX);
    const body = s.slice(1, n - 1);
    return body.includes('\r') ? body.replaceAll('\r', '') : body;
  }
  if (q !== 0x22 && q !== 0x27) throw new StrconvError(ERR_SYNTAX);
  if (s.charCodeAt(n - 1) !== q) throw new StrconvError(ERR_SYNTAX);
  const body = s.slice(1, n - 1);
  if (q === 0x22 && !body.includes('\\') && !body.includes('\n') && !body.includes('"')) return body;
  const bytes: number[] = [];
  let hasBytes = false;
  let out = '';
  let i = 1;
  const end = n - 1;
  while (i < end) {
    if (s.charCodeAt(i) === 0x0a) throw new StrconvError(ERR_SYNTAX);
    const ch = unquoteChar(s, i, q);
    if (ch.next > end) throw new StrconvError(ERR_SYNTAX);
    i = ch.next;
    if (ch.isByte && ch.value >= 0x80) {
      hasBytes = true;
      bytes.push(ch.value);
    } else if (hasBytes) {
      for (const b of new TextEncoder().encode(String.fromCodePoint(ch.value))) bytes.push(b);
    } else {
      out += String.fromCodePoint(ch.value);
    }
    if (q === 0x27) break;
  }
  if (i !== end) throw new StrconvError(ERR_SYNTAX);
  // Raw bytes from \x or octal escapes join the runes around them as UTF-8.
  return hasBytes ? out + decodeUtf8(Uint8Array.from(bytes)) : out;
}

const MAX_INT64 = (1n << 63n) - 1n;

/** Underscores only between digits or after a base prefix (strconv underscoreOK). */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let hex = false;
  if (s.length >= 2 && s[0] === '0' && 'box'.includes(s[1]!.toLowerCase())) {
    i = 2;
    saw = '0';
    hex = s[1]!.toLowerCase() === 'x';
  }
  for (; i < s.length; i++) {
    const c = s[i]!;
    if ((c >= '0' && c <= '9') || (hex && c.toLowerCase() >= 'a' && c.toLowerCase() <= 'f')) {
      saw = '0';
      continue;
    }
    if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** Result of a strconv parse: the value Go returns and whether err was nil. */
export interface ParseResult<T> {
  value: T;
  /** 'syntax' or 'range' when Go returns an error. */
  err?: 'syntax' | 'range';
}

/** strconv.ParseUint for bitSize 64: on a range error the value is the maximum, as Go returns. */
export function parseUint(s: string, base: number): ParseResult<bigint> {
  if (s === '') return { value: 0n, err: 'syntax' };
  const base0 = base === 0;
  const s0 = s;
  if (base === 0) {
    base = 10;
    if (s[0] === '0') {
      const p = s.length >= 3 ? s[1]!.toLowerCase() : '';
      if (p === 'b') [base, s] = [2, s.slice(2)];
      else if (p === 'o') [base, s] = [8, s.slice(2)];
      else if (p === 'x') [base, s] = [16, s.slice(2)];
      else [base, s] = [8, s.slice(1)];
    }
  }
  const max = (1n << 64n) - 1n;
  let n = 0n;
  let underscores = false;
  const b = BigInt(base);
  for (const c of s) {
    if (c === '_' && base0) {
      underscores = true;
      continue;
    }
    const d = digitValue(c);
    if (d < 0 || d >= base) return { value: 0n, err: 'syntax' };
    n = n * b + BigInt(d);
    if (n > max) return { value: max, err: 'range' };
  }
  if (underscores && !underscoreOK(s0)) return { value: 0n, err: 'syntax' };
  return { value: n };
}

function digitValue(c: string): number {
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const l = code | 0x20;
  if (l >= 0x61 && l <= 0x7a) return l - 0x61 + 10;
  return -1;
}

/** strconv.ParseInt(s, base, 64): on a range error the value is clamped, as Go does. */
export function parseInt64(s: string, base: number): ParseResult<bigint> {
  if (s === '') return { value: 0n, err: 'syntax' };
  let neg = false;
  let t = s;
  if (t[0] === '+') t = t.slice(1);
  else if (t[0] === '-') {
    neg = true;
    t = t.slice(1);
  }
  const u = parseUint(t, base);
  if (u.err === 'syntax') return { value: 0n, err: 'syntax' };
  const cutoff = 1n << 63n;
  if (u.err === 'range') return { value: neg ? -cutoff : MAX_INT64, err: 'range' };
  if (!neg && u.value >= cutoff) return { value: MAX_INT64, err: 'range' };
  if (neg && u.value > cutoff) return { value: -cutoff, err: 'range' };
  return { value: neg ? -u.value : u.value };
}

/** strconv.ParseFloat(s, 64). */
export function parseFloat64(s: string): ParseResult<number> {
  const special = parseSpecial(s);
  if (special !== undefined) return { value: special };
  let i = 0;
  let neg = false;
  if (s[i] === '+') i++;
  else if (s[i] === '-') {
    neg = true;
    i++;
  }
  const hex = i + 2 < s.length && s[i] === '0' && s[i + 1]!.toLowerCase() === 'x';
  const body = hex ? readHexFloat(s, i + 2) : readDecimalFloat(s, i);
  if (body === undefined || body.end !== s.length) return { value: 0, err: 'syntax' };
  if (body.underscores && !underscoreOK(s)) return { value: 0, err: 'syntax' };
  let value = body.value;
  if (neg) value = -value;
  if (!Number.isFinite(value)) return { value, err: 'range' };
  return { value };
}

function parseSpecial(s: string): number | undefined {
  let t = s.toLowerCase();
  let sign = 1;
  if (t[0] === '+' || t[0] === '-') {
    if (t[0] === '-') sign = -1;
    t = t.slice(1);
    if (t === 'inf' || t === 'infinity') return sign * Infinity;
    return undefined;
  }
  if (t === 'inf' || t === 'infinity') return Infinity;
  if (t === 'nan') return NaN;
  return undefined;
}

interface FloatBody {
  value: number;
  end: number;
  underscores: boolean;
}

function readDecimalFloat(s: string, i: number): FloatBody | undefined {
  let digits = '';
  let sawdigits = false;
  let sawdot = false;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '_') {
      underscores = true;
      continue;
    }
    if (c === '.') {
      if (sawdot) break;
      sawdot = true;
      digits += c;
      continue;
    }
    if (c >= '0' && c <= '9') {
      sawdigits = true;
      digits += c;
      continue;
    }
    break;
  }
  if (!sawdigits) return undefined;
  let exp = '';
  if (i < s.length && s[i]!.toLowerCase() === 'e') {
    i++;
    if (i >= s.length) return undefined;
    if (s[i] === '+' || s[i] === '-') exp += s[i++];
    if (i >= s.length || s[i]! < '0' || s[i]! > '9') return undefined;
    for (; i < s.length && ((s[i]! >= '0' && s[i]! <= '9') || s[i] === '_'); i++) {
      if (s[i] === '_') underscores = true;
      else exp += s[i];
    }
  }
  const value = Number(digits + (exp ? 'e' + exp : ''));
  return { value, end: i, underscores };
}

function readHexFloat(s: string, i: number): FloatBody | undefined {
  let mant = 0n;
  let dp = 0;
  let nd = 0;
  let sawdot = false;
  let sawdigits = false;
  let underscores = false;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '_') {
      underscores = true;
      continue;
    }
    if (c === '.') {
      if (sawdot) break;
      sawdot = true;
      dp = nd;
      continue;
    }
    const d = digitValue(c);
    if (d >= 0 && d < 16) {
      sawdigits = true;
      mant = mant * 16n + BigInt(d);
      nd++;
      continue;
    }
    break;
  }
  if (!sawdigits) return undefined;
  if (!sawdot) dp = nd;
  if (i >= s.length || s[i]!.toLowerCase() !== 'p') return undefined;
  i++;
  if (i >= s.length) return undefined;
  let esign = 1;
  if (s[i] === '+') i++;
  else if (s[i] === '-') {
    esign = -1;
    i++;
  }
  if (i >= s.length || s[i]! < '0' || s[i]! > '9') return undefined;
  let e = 0;
  for (; i < s.length && ((s[i]! >= '0' && s[i]! <= '9') || s[i] === '_'); i++) {
    if (s[i] === '_') underscores = true;
    else if (e < 10000) e = e * 10 + (s.charCodeAt(i) - 0x30);
  }
  const exp2 = esign * e + 4 * (dp - nd);
  return { value: scaleByPowerOfTwo(mant, exp2), end: i, underscores };
}

/** mant * 2^exp2 as a float64 (rounded when mant has more than 53 bits or the result is subnormal). */
function scaleByPowerOfTwo(mant: bigint, exp2: number): number {
  if (mant === 0n) return 0;
  if (exp2 >= 0) return exp2 > 2000 ? Infinity : Number(mant << BigInt(exp2));
  let result = Number(mant);
  let e = exp2;
  while (e < -1000) {
    result /= 2 ** 1000;
    e += 1000;
  }
  return result * 2 ** e;
}
