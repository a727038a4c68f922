/**
 * The parts of Go's strconv that text/template relies on: Unquote/UnquoteChar (string and
 * character literals) and ParseInt/ParseUint/ParseFloat with base 0 (number literals),
 * including their underscore and base-prefix rules. Quote is fmt/quote.ts's goQuote.
 */
import { decodeUtf8 } from './text.js';

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

const MAX_UINT64 = (1n << 64n) - 1n;
const INT64_CUTOFF = 1n << 63n;

/** The outcome of an integer parse: a value, or strconv's error kind. */
export type IntResult = { ok: true; value: bigint } | { ok: false; range: boolean };

function lower(c: number): number {
  return c | 0x20;
}

/** strconv.underscoreOK. */
function underscoreOK(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s.length >= 1 && (s[0] === '-' || s[0] === '+')) s = s.slice(1);
  let isHex = false;
  if (s.length >= 2 && s[0] === '0') {
    const b = lower(s.charCodeAt(1));
    if (b === 0x62 || b === 0x6f || b === 0x78) {
      i = 2;
      saw = '0';
      isHex = b === 0x78;
    }
  }
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const l = lower(c);
    if ((c >= 0x30 && c <= 0x39) || (isHex && l >= 0x61 && l <= 0x66)) {
      saw = '0';
      continue;
    }
    if (c === 0x5f) {
      if (saw !== '0') return false;
      saw = '_';
      continue;
    }
    if (saw === '_') return false;
    saw = '!';
  }
  return saw !== '_';
}

/** strconv.ParseUint(s, 0, 64). */
export function parseUint(s: string): IntResult {
  if (s === '') return { ok: false, range: false };
  const s0 = s;
  let base = 10;
  if (s[0] === '0') {
    const b = s.length >= 3 ? lower(s.charCodeAt(1)) : 0;
    if (b === 0x62) {
      base = 2;
      s = s.slice(2);
    } else if (b === 0x6f) {
      base = 8;
      s = s.slice(2);
    } else if (b === 0x78) {
      base = 16;
      s = s.slice(2);
    } else {
      base = 8;
      s = s.slice(1);
    }
  }
  const bigBase = BigInt(base);
  let n = 0n;
  let underscores = false;
  let overflow = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let d: number;
    if (c === 0x5f) {
      underscores = true;
      continue;
    } else if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (lower(c) >= 0x61 && lower(c) <= 0x7a) d = lower(c) - 0x61 + 10;
    else return { ok: false, range: false };
    if (d >= base) return { ok: false, range: false };
    if (!overflow) {
      n = n * bigBase + BigInt(d);
      if (n > MAX_UINT64) overflow = true;
    }
  }
  if (overflow) return { ok: false, range: true };
  if (underscores && !underscoreOK(s0)) return { ok: false, range: false };
  return { ok: true, value: n };
}

/** strconv.ParseInt(s, 0, 64). */
export function parseInt64(s: string): IntResult {
  if (s === '') return { ok: false, range: false };
  let neg = false;
  if (s[0] === '+') s = s.slice(1);
  else if (s[0] === '-') {
    s = s.slice(1);
    neg = true;
  }
  const u = parseUint(s);
  if (u.ok === false) return u;
  if (!neg && u.value >= INT64_CUTOFF) return { ok: false, range: true };
  if (neg && u.value > INT64_CUTOFF) return { ok: false, range: true };
  return { ok: true, value: neg ? -u.value : u.value };
}

/**
 * strconv.ParseFloat(s, 64); undefined on a syntax error or overflow (Go's ErrRange), the
 * two cases text/template treats alike. Handles decimal and hexadecimal (p exponent) forms,
 * underscores, inf/infinity/nan.
 */
export function parseFloat64(s: string): number | undefined {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if (special[2]!.toLowerCase() === 'nan') return special[1] === '' ? NaN : undefined;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  let i = 0;
  let neg = false;
  if (s[i] === '+') i++;
  else if (s[i] === '-') {
    i++;
    neg = true;
  }
  let isHex = false;
  if (i + 2 < s.length && s[i] === '0' && lower(s.charCodeAt(i + 1)) === 0x78) {
    isHex = true;
    i += 2;
  }
  let underscores = false;
  let sawDot = false;
  let sawDigits = false;
  let mant = 0n;
  let digitsAfterDot = 0;
  let clean = neg ? '-' : '';
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x5f) {
      underscores = true;
      continue;
    }
    if (c === 0x2e) {
      if (sawDot) break;
      sawDot = true;
      clean += '.';
      continue;
    }
    let d = -1;
    if (c >= 0x30 && c <= 0x39) d = c - 0x30;
    else if (isHex && lower(c) >= 0x61 && lower(c) <= 0x66) d = lower(c) - 0x61 + 10;
    if (d < 0) break;
    sawDigits = true;
    if (isHex) {
      mant = mant * 16n + BigInt(d);
      if (sawDot) digitsAfterDot++;
    } else clean += s[i];
  }
  if (!sawDigits) return undefined;
  let exp = 0;
  const expChar = isHex ? 0x70 : 0x65;
  if (i < s.length && lower(s.charCodeAt(i)) === expChar) {
    i++;
    if (i >= s.length) return undefined;
    let esign = 1;
    if (s[i] === '+') i++;
    else if (s[i] === '-') {
      i++;
      esign = -1;
    }
    if (i >= s.length || s.charCodeAt(i) < 0x30 || s.charCodeAt(i) > 0x39) return undefined;
    let e = 0;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c === 0x5f) {
        underscores = true;
        continue;
      }
      if (c < 0x30 || c > 0x39) break;
      if (e < 10000) e = e * 10 + (c - 0x30);
    }
    exp = e * esign;
  } else if (isHex) {
    return undefined; // a hexadecimal mantissa requires a 'p' exponent
  }
  if (i !== s.length) return undefined;
  if (underscores && !underscoreOK(s)) return undefined;
  let f: number;
  if (isHex) {
    f = scaleByPowerOfTwo(mant, exp - 4 * digitsAfterDot);
    if (neg) f = -f;
  } else {
    f = Number(`${clean}e${exp}`);
  }
  return Number.isFinite(f) ? f : undefined;
}

/** mant * 2**exp2, rounded to the nearest float64. */
function scaleByPowerOfTwo(mant: bigint, exp2: number): number {
  if (mant === 0n) return 0;
  // Keep 64 significant bits so that Number() does the one rounding step.
  const bits = mant.toString(2).length;
  if (bits > 64) {
    const drop = bits - 64;
    const sticky = (mant & ((1n << BigInt(drop)) - 1n)) !== 0n ? 1n : 0n;
    mant = (mant >> BigInt(drop)) | sticky;
    exp2 += drop;
  }
  let f = Number(mant);
  // Scale in steps that stay within the exponent range of a double.
  while (exp2 > 0) {
    const step = Math.min(exp2, 1000);
    f *= 2 ** step;
    exp2 -= step;
  }
  while (exp2 < 0) {
    const step = Math.max(exp2, -1000);
    f *= 2 ** step;
    exp2 -= step;
  }
  return f;
}
