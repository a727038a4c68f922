/**
 * sprig's string functions (functions.go "Strings", strings.go) with the Go library code they
 * call: strings.*, goutils (abbrev, wrap, initials, nospace, swapcase, untitle) and xstrings
 * (snakecase, camelcase, kebabcase). Functions that index bytes in Go (trunc, substr, abbrev,
 * wrap, initials, nospace) index UTF-8 bytes here too.
 */
import { sprintf } from '../fmt.js';
import { defineFunc, stringMap, stringSlice, type GoFunc } from '../values.js';
import { strslice, strval } from './conversion.js';
import { byteLength, fromByteString, toByteString } from './internal/bytes.js';
import { isAscii, utf8Bytes as utf8Encode } from '../../goruntime/index.js';
import {
  fromRunes,
  isDigit,
  isLetter,
  isLower,
  isNumber,
  isPunct,
  isSpace,
  isTitle,
  isUpper,
  mapRunes,
  runes,
  toLower,
  toTitle,
  toUpper,
} from '../../goruntime/index.js';

// ---- package strings ----

/** strings.Repeat, with its panics. */
export function repeatString(s: string, count: number): string {
  if (count === 0) return '';
  if (count === 1) return s;
  if (count < 0) throw new Error('strings: negative Repeat count');
  if (BigInt(byteLength(s)) * BigInt(count) > (1n << 63n) - 1n) throw new Error('strings: Repeat output length overflow');
  return s.repeat(count);
}

/** strings.Split / SplitN (n < 0: all; n == 0: none). */
export function splitN(s: string, sep: string, n: number): string[] {
  if (n === 0) return [];
  if (sep === '') {
    const rs = [...s];
    if (n < 0 || n > rs.length) n = rs.length;
    const out = rs.slice(0, Math.max(0, n - 1));
    if (n > 0) out.push(rs.slice(n - 1).join(''));
    return out;
  }
  const out: string[] = [];
  let rest = s;
  while (n < 0 || out.length < n - 1) {
    const m = rest.indexOf(sep);
    if (m < 0) break;
    out.push(rest.slice(0, m));
    rest = rest.slice(m + sep.length);
  }
  out.push(rest);
  return out;
}

/** strings.Replace(s, old, new, -1); an empty old inserts new around every rune. */
export function replaceAll(s: string, old: string, repl: string): string {
  if (old !== '') return s.split(old).join(repl);
  return repl + [...s].join(repl) + (s === '' ? '' : repl);
}

/** strings.TrimSpace. */
export function trimSpace(s: string): string {
  const rs = runes(s);
  let lo = 0;
  let hi = rs.length;
  while (lo < hi && isSpace(rs[lo]!)) lo++;
  while (hi > lo && isSpace(rs[hi - 1]!)) hi--;
  return fromRunes(rs.slice(lo, hi));
}

/** strings.Trim(s, cutset). */
export function trimCutset(s: string, cutset: string): string {
  if (s === '' || cutset === '') return s;
  const set = new Set(runes(cutset));
  const rs = runes(s);
  let lo = 0;
  let hi = rs.length;
  while (lo < hi && set.has(rs[lo]!)) lo++;
  while (hi > lo && set.has(rs[hi - 1]!)) hi--;
  return fromRunes(rs.slice(lo, hi));
}

/** strings.Title's word separators. */
function isSeparator(r: number): boolean {
  if (r <= 0x7f) {
    return !((r >= 0x30 && r <= 0x39) || (r >= 0x61 && r <= 0x7a) || (r >= 0x41 && r <= 0x5a) || r === 0x5f);
  }
  if (isLetter(r) || isDigit(r)) return false;
  return isSpace(r);
}

/** strings.Title. */
export function title(s: string): string {
  let prev = 0x20;
  return mapRunes(s, (r) => {
    const out = isSeparator(prev) ? toTitle(r) : r;
    prev = r;
    return out;
  });
}

/** strings.ToUpper (simple case mapping, rune by rune). */
export const toUpperString = (s: string): string => (isAscii(s) ? s.toUpperCase() : mapRunes(s, toUpper));
/** strings.ToLower. */
export const toLowerString = (s: string): string => (isAscii(s) ? s.toLowerCase() : mapRunes(s, toLower));

// ---- goutils ----

/** goutils.AbbreviateFull on bytes; "" where goutils returns an error. */
function abbreviateFull(str: string, offset: number, maxWidth: number): string {
  if (str === '') return '';
  if (maxWidth < 4) return '';
  const b = toByteString(str);
  if (b.length <= maxWidth) return str;
  if (offset > b.length) offset = b.length;
  if (b.length - offset < maxWidth - 3) offset = b.length - (maxWidth - 3);
  if (offset <= 4) return fromByteString(b.slice(0, maxWidth - 3) + '...');
  if (maxWidth < 7) return '';
  if (offset + maxWidth - 3 < b.length) return '...' + abbreviateFull(fromByteString(b.slice(offset)), 0, maxWidth - 3);
  return fromByteString('...' + b.slice(b.length - (maxWidth - 3)));
}

/** goutils.WrapCustom on bytes. */
function wrapCustom(str: string, wrapLength: number, newLine: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  if (newLine === '') newLine = '\n';
  if (wrapLength < 1) wrapLength = 1;
  const s = toByteString(str);
  const nl = toByteString(newLine);
  const len = s.length;
  let offset = 0;
  let out = '';
  while (len - offset > wrapLength) {
    if (s[offset] === ' ') {
      offset++;
      continue;
    }
    const end = wrapLength + offset + 1;
    const spaceToWrapAt = s.slice(offset, end).lastIndexOf(' ') + offset;
    if (spaceToWrapAt >= offset) {
      out += s.slice(offset, spaceToWrapAt) + nl;
      offset = spaceToWrapAt + 1;
    } else if (wrapLongWords) {
      out += s.slice(offset, wrapLength + offset) + nl;
      offset += wrapLength;
    } else {
      const e = wrapLength + offset;
      const index = s.slice(e).indexOf(' ');
      if (index === -1) {
        out += s.slice(offset);
        offset = len;
      } else {
        out += s.slice(offset, index + e) + nl;
        offset = index + e + 1;
      }
    }
  }
  return fromByteString(out + s.slice(offset));
}

/** goutils.DeleteWhiteSpace: drops ASCII/Latin-1 space bytes; other bytes come back as Latin-1 runes. */
function deleteWhiteSpace(str: string): string {
  if (str === '') return str;
  const bytes = utf8Encode(str);
  let out = '';
  let count = 0;
  for (const b of bytes) {
    if (!isSpace(b)) {
      out += String.fromCharCode(b);
      count++;
    }
  }
  return count === bytes.length ? str : out;
}

/** goutils.Initials: the first byte of each space-separated word, as a rune. */
function initials(str: string): string {
  if (str === '') return str;
  let out = '';
  let lastWasGap = true;
  for (const b of utf8Encode(str)) {
    if (isSpace(b)) lastWasGap = true;
    else if (lastWasGap) {
      out += String.fromCharCode(b);
      lastWasGap = false;
    }
  }
  return out;
}

/** goutils.Uncapitalize. */
function uncapitalize(str: string): string {
  let next = true;
  return mapRunes(str, (r) => {
    if (isSpace(r)) {
      next = true;
      return r;
    }
    if (next) {
      next = false;
      return toLower(r);
    }
    return r;
  });
}

/** goutils.SwapCase. */
function swapCase(str: string): string {
  let whitespace = true;
  return mapRunes(str, (r) => {
    if (isUpper(r) || isTitle(r)) {
      whitespace = false;
      return toLower(r);
    }
    if (isLower(r)) {
      if (whitespace) {
        whitespace = false;
        return toTitle(r);
      }
      return toUpper(r);
    }
    whitespace = isSpace(r);
    return r;
  });
}

// ---- xstrings v1.5.0 ----

function isConnector(r: number): boolean {
  return r === 0x2d || r === 0x5f || isSpace(r);
}

function isAlphabet(r: number): boolean {
  if (!isLetter(r)) return false;
  if (r < 0x3400) return true;
  if (r >= 0x4e00 && r <= 0x9fcc) return false;
  if (r >= 0x3400 && r <= 0x4d85) return false;
  if (r >= 0x20000 && r <= 0x2b81d) return false;
  return true;
}

/** xstrings toCamelCase (isBig: ToPascalCase, which sprig's camelcase is). */
function toCamelCase(str: string, isBig: boolean): string {
  if (str === '') return '';
  const rs = runes(str);
  let k = 0;
  let out = '';
  let isFirstRuneUpper = false;
  let r0 = 0;
  let size = 0;
  while (k < rs.length) {
    r0 = rs[k++]!;
    size = 1;
    if (!isConnector(r0)) {
      isFirstRuneUpper = isUpper(r0);
      r0 = isBig ? toUpper(r0) : toLower(r0);
      break;
    }
    out += String.fromCodePoint(r0);
  }
  if (k >= rs.length) {
    // xstrings writes the last rune again here, even when it was a connector ("_" -> "__").
    if (size !== 0) out += String.fromCodePoint(r0);
    return out;
  }
  let r1: number;
  while (k < rs.length) {
    r1 = r0;
    r0 = rs[k++]!;
    if (isConnector(r0) && isConnector(r1)) {
      out += String.fromCodePoint(r1);
      continue;
    }
    if (isConnector(r1)) {
      isFirstRuneUpper = isUpper(r0);
      r0 = toUpper(r0);
    } else {
      if (isFirstRuneUpper) {
        if (isUpper(r0)) r0 = toLower(r0);
        else isFirstRuneUpper = false;
      }
      out += String.fromCodePoint(r1);
    }
  }
  if (isFirstRuneUpper && !isBig) r0 = toLower(r0);
  return out + String.fromCodePoint(r0);
}

const enum Word {
  Invalid,
  Number,
  UpperCase,
  Alphabet,
  Connector,
  Punct,
  Other,
}

/** xstrings nextWord over runes from index i: [type, end]. */
function nextWord(rs: readonly number[], i: number): [Word, number] {
  if (i >= rs.length) return [Word.Invalid, i];
  let j = i + 1;
  const r = rs[i]!;
  if (isConnector(r)) {
    while (j < rs.length && isConnector(rs[j]!)) j++;
    return [Word.Connector, j];
  }
  if (isPunct(r)) {
    while (j < rs.length && isPunct(rs[j]!)) j++;
    return [Word.Punct, j];
  }
  if (isUpper(r)) {
    if (j >= rs.length) return [Word.UpperCase, j];
    const r2 = rs[j]!;
    if (isUpper(r2)) {
      j++;
      while (j < rs.length && isUpper(rs[j]!)) j++;
      // "HTTPStatus": the S starts the next word.
      if (j < rs.length && isAlphabet(rs[j]!)) j--;
    } else if (isAlphabet(r2)) {
      j++;
      while (j < rs.length && isAlphabet(rs[j]!) && !isUpper(rs[j]!)) j++;
    }
    return [Word.UpperCase, j];
  }
  if (isAlphabet(r)) {
    while (j < rs.length && isAlphabet(rs[j]!) && !isUpper(rs[j]!)) j++;
    return [Word.Alphabet, j];
  }
  if (isNumber(r)) {
    while (j < rs.length && isNumber(rs[j]!)) j++;
    return [Word.Number, j];
  }
  while (j < rs.length && !(isConnector(rs[j]!) || isAlphabet(rs[j]!) || isNumber(rs[j]!) || isPunct(rs[j]!))) j++;
  return [Word.Other, j];
}

function lowerWord(wt: Word, word: readonly number[], connector: number): string {
  if (wt !== Word.UpperCase && wt !== Word.Connector) return fromRunes(word);
  return fromRunes(word.map((r) => (isConnector(r) ? connector : isUpper(r) ? toLower(r) : r)));
}

/** xstrings camelCaseToLowerCase (ToSnakeCase, ToKebabCase). */
function camelCaseToLowerCase(str: string, connector: number): string {
  if (str === '') return '';
  const rs = runes(str);
  const sep = String.fromCodePoint(connector);
  let out = '';
  let start = 0;
  let [current, end] = nextWord(rs, 0);
  // read through a function: advance() changes the word type behind the compiler's back
  const wt = (): Word => current;
  const word = () => rs.slice(start, end);
  const advance = () => {
    start = end;
    [current, end] = nextWord(rs, end);
  };
  while (end < rs.length) {
    if (wt() !== Word.Connector) out += lowerWord(wt(), word(), connector);
    const prev = wt();
    const last = word();
    advance();
    switch (prev) {
      case Word.Number:
        while (wt() === Word.Alphabet || wt() === Word.Number) {
          out += lowerWord(wt(), word(), connector);
          advance();
        }
        if (wt() !== Word.Invalid && wt() !== Word.Punct && wt() !== Word.Connector) out += sep;
        break;
      case Word.Connector:
        out += lowerWord(prev, last, connector);
        break;
      case Word.Punct:
        break;
      default: {
        if (wt() !== Word.Number) {
          if (wt() !== Word.Connector && wt() !== Word.Punct) out += sep;
          break;
        }
        if (end >= rs.length) break;
        const numberWord = word();
        advance();
        if (wt() !== Word.Alphabet) {
          out += lowerWord(Word.Number, numberWord, connector);
          if (wt() !== Word.Connector && wt() !== Word.Punct) out += sep;
          break;
        }
        out += sep + lowerWord(Word.Number, numberWord, connector);
        while (wt() === Word.Alphabet || wt() === Word.Number) {
          out += lowerWord(wt(), word(), connector);
          advance();
        }
        if (wt() !== Word.Invalid && wt() !== Word.Connector && wt() !== Word.Punct) out += sep;
      }
    }
  }
  return out + lowerWord(wt(), word(), connector);
}

// ---- sprig ----

function trunc(c: number, s: string): string {
  const b = toByteString(s);
  if (c < 0 && b.length + c > 0) return fromByteString(b.slice(b.length + c));
  if (c >= 0 && b.length > c) return fromByteString(b.slice(0, c));
  return s;
}

/** sprig substring: Go's s[start:end] on bytes, panicking like Go when out of range. */
function substring(start: number, end: number, s: string): string {
  const b = toByteString(s);
  const len = b.length;
  if (start < 0) {
    if (end < 0) throw new Error(`runtime error: slice bounds out of range [:${end}]`);
    if (end > len) throw new Error(`runtime error: slice bounds out of range [:${end}] with length ${len}`);
    return fromByteString(b.slice(0, end));
  }
  if (end < 0 || end > len) {
    if (start > len) throw new Error(`runtime error: slice bounds out of range [${start}:${len}]`);
    return fromByteString(b.slice(start));
  }
  if (start > end) throw new Error(`runtime error: slice bounds out of range [${start}:${end}]`);
  return fromByteString(b.slice(start, end));
}

function indent(spaces: number, v: string): string {
  const pad = repeatString(' ', spaces);
  return pad + v.split('\n').join('\n' + pad);
}

function splitToMap(parts: string[]): Record<string, string> {
  const m: Record<string, string> = {};
  parts.forEach((p, i) => (m['_' + i] = p));
  return stringMap(m);
}

const num = (n: bigint): number => Number(n);

/** The string functions. */
export function stringFuncs(): GoFunc[] {
  return [
    defineFunc('hello', [], () => 'Hello!'),
    defineFunc('abbrev', ['int', 'string'], (width: bigint, s: string) => (width < 4n ? s : abbreviateFull(s, 0, num(width)))),
    defineFunc('abbrevboth', ['int', 'int', 'string'], (left: bigint, right: bigint, s: string) =>
      right < 4n || (left > 0n && right < 7n) ? s : abbreviateFull(s, num(left), num(right)),
    ),
    defineFunc('trunc', ['int', 'string'], (c: bigint, s: string) => trunc(num(c), s)),
    defineFunc('trim', ['string'], trimSpace),
    defineFunc('upper', ['string'], toUpperString),
    defineFunc('lower', ['string'], toLowerString),
    defineFunc('title', ['string'], title),
    defineFunc('untitle', ['string'], uncapitalize),
    defineFunc('substr', ['int', 'int', 'string'], (start: bigint, end: bigint, s: string) => substring(num(start), num(end), s)),
    defineFunc('repeat', ['int', 'string'], (count: bigint, s: string) => repeatString(s, num(count))),
    defineFunc('trimall', ['string', 'string'], (a: string, b: string) => trimCutset(b, a)),
    defineFunc('trimAll', ['string', 'string'], (a: string, b: string) => trimCutset(b, a)),
    defineFunc('trimSuffix', ['string', 'string'], (a: string, b: string) => (a !== '' && b.endsWith(a) ? b.slice(0, b.length - a.length) : b)),
    defineFunc('trimPrefix', ['string', 'string'], (a: string, b: string) => (b.startsWith(a) ? b.slice(a.length) : b)),
    defineFunc('nospace', ['string'], deleteWhiteSpace),
    defineFunc('initials', ['string'], initials),
    defineFunc('swapcase', ['string'], swapCase),
    defineFunc('snakecase', ['string'], (s: string) => camelCaseToLowerCase(s, 0x5f)),
    defineFunc('camelcase', ['string'], (s: string) => toCamelCase(s, true)),
    defineFunc('kebabcase', ['string'], (s: string) => camelCaseToLowerCase(s, 0x2d)),
    defineFunc('wrap', ['int', 'string'], (l: bigint, s: string) => wrapCustom(s, num(l), '', false)),
    defineFunc('wrapWith', ['int', 'string', 'string'], (l: bigint, sep: string, str: string) => wrapCustom(str, num(l), sep, true)),
    defineFunc('contains', ['string', 'string'], (substr: string, str: string) => str.includes(substr)),
    defineFunc('hasPrefix', ['string', 'string'], (substr: string, str: string) => str.startsWith(substr)),
    defineFunc('hasSuffix', ['string', 'string'], (substr: string, str: string) => str.endsWith(substr)),
    defineFunc(
      'quote',
      [],
      (...strs: unknown[]) =>
        strs
          .filter((s) => s !== null && s !== undefined)
          .map((s) => sprintf('%q', strval(s)))
          .join(' '),
      'any',
    ),
    defineFunc(
      'squote',
      [],
      (...strs: unknown[]) =>
        strs
          .filter((s) => s !== null && s !== undefined)
          .map((s) => sprintf("'%v'", s))
          .join(' '),
      'any',
    ),
    defineFunc(
      'cat',
      [],
      (...v: unknown[]) => {
        const items = v.filter((x) => x !== null && x !== undefined);
        return sprintf(trimSpace('%v '.repeat(items.length)), ...items);
      },
      'any',
    ),
    defineFunc('indent', ['int', 'string'], (spaces: bigint, v: string) => indent(num(spaces), v)),
    defineFunc('nindent', ['int', 'string'], (spaces: bigint, v: string) => '\n' + indent(num(spaces), v)),
    defineFunc('replace', ['string', 'string', 'string'], (old: string, repl: string, src: string) => replaceAll(src, old, repl)),
    defineFunc('plural', ['string', 'string', 'int'], (one: string, many: string, count: bigint) => (count === 1n ? one : many)),
    defineFunc('split', ['string', 'string'], (sep: string, orig: string) => splitToMap(splitN(orig, sep, -1))),
    defineFunc('splitList', ['string', 'string'], (sep: string, orig: string) => stringSlice(splitN(orig, sep, -1))),
    defineFunc('splitn', ['string', 'int', 'string'], (sep: string, n: bigint, orig: string) => splitToMap(splitN(orig, sep, num(n)))),
    defineFunc('join', ['string', 'any'], (sep: string, v: unknown) => strslice(v).join(sep)),
  ];
}
