/**
 * Go strings are UTF-8 bytes; ours are UTF-16. Functions that index or slice by byte (trunc,
 * substr, abbrev, wrap) work on a "byte string": one char per byte, 0–255. Slicing inside a
 * multi-byte character gives invalid UTF-8, which decodes to U+FFFD here where Go keeps the
 * raw bytes.
 */

const encoder = new TextEncoder();

/** True when every char is ASCII, so byte and UTF-16 indexes agree. */
export function isAscii(s: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(s);
}

/** The UTF-8 bytes of s (lone surrogates become U+FFFD). */
export function utf8Encode(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * UTF-8 to text as Go's range loop reads it: each byte of an invalid or truncated sequence
 * becomes one U+FFFD (utf8.DecodeRune's (RuneError, 1)).
 */
export function utf8Decode(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const [r, size] = decodeRune(b, i);
    out += String.fromCodePoint(r);
    i += size;
  }
  return out;
}

function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c = b[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf && cont(1)) return [((c & 0x1f) << 6) | (b[i + 1]! & 0x3f), 2];
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    if (cont(1, lo, hi) && cont(2)) return [((c & 0x0f) << 12) | ((b[i + 1]! & 0x3f) << 6) | (b[i + 2]! & 0x3f), 3];
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      return [((c & 0x07) << 18) | ((b[i + 1]! & 0x3f) << 12) | ((b[i + 2]! & 0x3f) << 6) | (b[i + 3]! & 0x3f), 4];
    }
  }
  return [0xfffd, 1];
}

/** len(s) in Go: the number of UTF-8 bytes. */
export function byteLength(s: string): number {
  return isAscii(s) ? s.length : utf8Encode(s).length;
}

/** The UTF-8 bytes of s as a byte string. */
export function toByteString(s: string): string {
  if (isAscii(s)) return s;
  let out = '';
  for (const b of utf8Encode(s)) out += String.fromCharCode(b);
  return out;
}

/** Decodes a byte string (as produced by {@link toByteString} and sliced) back to text. */
export function fromByteString(b: string): string {
  if (isAscii(b)) return b;
  const bytes = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) bytes[i] = b.charCodeAt(i);
  return utf8Decode(bytes);
}

/** Bytes as text the way Go's string(b) reads them. */
export function bytesToString(b: Uint8Array): string {
  return utf8Decode(b);
}
