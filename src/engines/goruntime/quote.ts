/**
 * strconv's quoting: Quote (goQuote, for messages too) and QuoteToASCII for %q and %#v of strings,
 * QuoteRune(ToASCII) for %q of integers, CanBackquote for %#q.
 * Behaviour of go/src/strconv/quote.go (appendQuotedWith, appendEscapedRune).
 */
import { isPrint } from './unicode-print.js';
import { RUNE_ERROR, decodeRune, isValidRune } from './utf8.js';

const HEX = '0123456789abcdef';

// Strings of printable ASCII without quote or backslash need no escaping at all.
const PLAIN_DOUBLE = /^[ !#-[\]-~]*$/;

function escapeRune(r: number, quote: number, asciiOnly: boolean): string {
  if (r === quote || r === 0x5c) return '\\' + String.fromCharCode(r);
  if (asciiOnly) {
    if (r < 0x80 && isPrint(r)) return String.fromCharCode(r);
  } else if (isPrint(r)) {
    return String.fromCodePoint(r);
  }
  switch (r) {
    case 0x07:
      return '\\a';
    case 0x08:
      return '\\b';
    case 0x0c:
      return '\\f';
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    case 0x0b:
      return '\\v';
  }
  if (r < 0x20 || r === 0x7f) return '\\x' + HEX[r >> 4]! + HEX[r & 0xf]!;
  if (!isValidRune(r)) r = RUNE_ERROR;
  if (r < 0x10000) return '\\u' + r.toString(16).padStart(4, '0');
  return '\\U' + r.toString(16).padStart(8, '0');
}

/**
 * strconv.Quote: a double-quoted Go string literal, escaping what Go's unicode.IsPrint rejects
 * (Unicode 15.0, as Go, not the running Node's Unicode). The one Quote of the template engine:
 * %q, template error messages, sprig's and the chart's messages all go through it.
 */
export function goQuote(s: string): string {
  return quoteString(s, false);
}

/** strconv.Quote (asciiOnly false) or strconv.QuoteToASCII (true) of a string. */
export function quoteString(s: string, asciiOnly: boolean): string {
  if (PLAIN_DOUBLE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; ) {
    let r = s.codePointAt(i)!;
    i += r > 0xffff ? 2 : 1;
    if (r >= 0xd800 && r <= 0xdfff) r = RUNE_ERROR; // a lone surrogate stands for U+FFFD
    out += escapeRune(r, 0x22, asciiOnly);
  }
  return out + '"';
}

/** strconv.Quote(string(b)): bytes that are not UTF-8 come out as \xNN. */
export function quoteBytes(b: Uint8Array, asciiOnly: boolean): string {
  let out = '"';
  for (let i = 0; i < b.length; ) {
    const [r, w] = decodeRune(b, i);
    if (w === 1 && r === RUNE_ERROR) out += '\\x' + HEX[b[i]! >> 4]! + HEX[b[i]! & 0xf]!;
    else out += escapeRune(r, 0x22, asciiOnly);
    i += w;
  }
  return out + '"';
}

/** strconv.QuoteRune / QuoteRuneToASCII: an invalid rune becomes U+FFFD. */
export function quoteRune(r: number, asciiOnly: boolean): string {
  return "'" + escapeRune(isValidRune(r) ? r : RUNE_ERROR, 0x27, asciiOnly) + "'";
}

/** strconv.CanBackquote: no control characters but tab, no backquote, no BOM, valid UTF-8. */
export function canBackquote(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      if (c === 0xfeff) return false; // BOMs are invisible
      continue;
    }
    if ((c < 0x20 && c !== 0x09) || c === 0x60 || c === 0x7f) return false;
  }
  return true;
}

/** strconv.CanBackquote(string(b)). */
export function canBackquoteBytes(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; ) {
    const [r, w] = decodeRune(b, i);
    i += w;
    if (w > 1) {
      if (r === 0xfeff) return false;
      continue;
    }
    if (r === RUNE_ERROR) return false;
    if ((r < 0x20 && r !== 0x09) || r === 0x60 || r === 0x7f) return false;
  }
  return true;
}
