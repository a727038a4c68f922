/**
 * Go's string quoting for error messages: strconv.Quote (what `%q` prints, used by
 * Masterminds/semver and crypto/x509 errors) and the time package's own smaller `quote`
 * (time.ParseError, time.ParseDuration errors). Go strings are UTF-8 bytes; ours are UTF-16,
 * so both work on code points and write the UTF-8 bytes where Go would.
 */

const utf8 = new TextEncoder();

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
function isPrint(cp: number): boolean {
  if (cp === 0x20) return true;
  return /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(String.fromCodePoint(cp));
}

/** strconv.Quote: a double-quoted Go string literal, as fmt's %q prints a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') {
      out += `\\${ch}`;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\\ufffd'; // a lone surrogate has no UTF-8 form; Go would see RuneError bytes
      continue;
    }
    if (isPrint(cp)) {
      out += ch;
      continue;
    }
    switch (ch) {
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (cp < 0x20 || cp === 0x7f) out += `\\x${hex2(cp)}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/**
 * The time package's quote (format.go): like strconv.Quote for ASCII, but every byte of a
 * non-ASCII or control character is written as \xNN.
 */
export function timeQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x80 || cp < 0x20) {
      for (const b of utf8.encode(ch)) out += `\\x${hex2(b)}`;
    } else {
      if (ch === '"' || ch === '\\') out += '\\';
      out += ch;
    }
  }
  return `${out}"`;
}

/** Length of a string in UTF-8 bytes, as Go's len(s). */
export function utf8Length(s: string): number {
  return utf8.encode(s).length;
}
