/**
 * Character classes and UTF-8 arithmetic the template engine needs, with Go's definitions:
 * Go reads templates as UTF-8 bytes, JavaScript as UTF-16 code units, so positions, lengths
 * and byte indexing are converted here.
 */
import { isPrint } from '../fmt/unicode-print.js';

const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;

/** The lexer's space: ' ', \t, \r, \n (lex.go isSpace). */
export function isSpaceCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** lex.go isAlphaNumeric: '_', unicode.IsLetter or unicode.IsDigit. */
export function isAlphaNumeric(cp: number): boolean {
  if (cp < 0x80) {
    return (
      cp === 0x5f || (cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)
    );
  }
  const ch = String.fromCodePoint(cp);
  return LETTER.test(ch) || DIGIT.test(ch);
}

/** unicode.IsSpace, which bytes.TrimSpace uses. */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
  }
  return cp >= 0x2000 && cp <= 0x200a;
}

/** True when `s` holds only Go white space (bytes.TrimSpace would leave nothing). */
export function isAllGoSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (!isGoSpace(s.charCodeAt(i))) return false;
  }
  return true;
}

/** fmt's %#U: "U+0041 'A'" for a printable rune, "U+0001" otherwise. */
export function formatRuneU(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
}

/** Number of UTF-8 bytes that `s.slice(from, to)` encodes to (a lone surrogate counts as U+FFFD). */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}

/** True when every code unit of `s` is ASCII, so bytes and code units coincide. */
export function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) >= 0x80) return false;
  }
  return true;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** The UTF-8 bytes of `s`. */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** Decodes UTF-8 bytes; invalid sequences become U+FFFD, as Go prints them. */
export function decodeUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Counts '\n' in s[from:to]. */
export function countNewlines(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Whether an error is V8's "Maximum call stack size exceeded". Checked without regular
 * expressions or other calls that would themselves overflow a nearly full stack.
 */
export function isStackOverflow(e: unknown): boolean {
  if (!(e instanceof RangeError)) return false;
  try {
    return e.message.includes('call stack');
  } catch {
    return true;
  }
}
