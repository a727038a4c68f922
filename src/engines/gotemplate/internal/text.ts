/**
 * Character classes the template lexer needs, with Go's definitions. The UTF-8 arithmetic
 * (positions, lengths, byte indexing) is goruntime's.
 */
import { isPrint } from '../../goruntime/index.js';

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

/** fmt's %#U: "U+0041 'A'" for a printable rune, "U+0001" otherwise. */
export function formatRuneU(cp: number): string {
  const hex = cp.toString(16).toUpperCase().padStart(4, '0');
  return isPrint(cp) ? `U+${hex} '${String.fromCodePoint(cp)}'` : `U+${hex}`;
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
