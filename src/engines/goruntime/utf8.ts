/**
 * UTF-8 helpers that behave as Go's unicode/utf8 does. Go strings are bytes; ours are UTF-16,
 * and a lone surrogate (which Go can never hold) stands for U+FFFD, as TextEncoder writes it
 * and as encoding/json decodes a bad "\ud800" escape.
 */

/** utf8.RuneError. */
export const RUNE_ERROR = 0xfffd;
/** utf8.MaxRune. */
export const MAX_RUNE = 0x10ffff;

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The UTF-8 bytes of a string ([]byte(s)). */
export function utf8Bytes(s: string): Uint8Array {
  return encoder.encode(s);
}

/** utf8.ValidRune: a Unicode scalar value. */
export function isValidRune(r: number): boolean {
  return (r >= 0 && r < 0xd800) || (r > 0xdfff && r <= MAX_RUNE);
}

/** utf8.RuneCountInString: code points, a lone surrogate counting as one. */
export function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d < 0xe000) {
        n--;
        i++;
      }
    }
  }
  return n;
}

/** The first n runes of s (fmt's truncateString). */
export function truncateRunes(s: string, n: number): string {
  if (n >= s.length) return s;
  let i = 0;
  for (; i < s.length && n > 0; n--) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && isLowSurrogate(s.charCodeAt(i + 1)) ? 2 : 1;
  }
  return s.slice(0, i);
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c < 0xe000;
}

/**
 * utf8.DecodeRune at b[i]: the rune and its width; an invalid or short sequence gives
 * (RuneError, 1), exactly where Go's decoder gives it.
 */
export function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const n = b.length - i;
  if (c0 < 0xc2 || c0 > 0xf4) return [RUNE_ERROR, 1];
  // Valid ranges of the second byte depend on the first (Go's acceptRanges).
  let lo = 0x80;
  let hi = 0xbf;
  if (c0 === 0xe0) lo = 0xa0;
  else if (c0 === 0xed) hi = 0x9f;
  else if (c0 === 0xf0) lo = 0x90;
  else if (c0 === 0xf4) hi = 0x8f;
  if (n < 2) return [RUNE_ERROR, 1];
  const c1 = b[i + 1]!;
  if (c1 < lo || c1 > hi) return [RUNE_ERROR, 1];
  if (c0 < 0xe0) return [((c0 & 0x1f) << 6) | (c1 & 0x3f), 2];
  if (n < 3) return [RUNE_ERROR, 1];
  const c2 = b[i + 2]!;
  if (c2 < 0x80 || c2 > 0xbf) return [RUNE_ERROR, 1];
  if (c0 < 0xf0) return [((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f), 3];
  if (n < 4) return [RUNE_ERROR, 1];
  const c3 = b[i + 3]!;
  if (c3 < 0x80 || c3 > 0xbf) return [RUNE_ERROR, 1];
  return [((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f), 4];
}

/** string(b): valid UTF-8 as is, each byte of an invalid sequence as one U+FFFD (as Go ranges it). */
export function bytesToString(b: Uint8Array): string {
  try {
    return strictDecoder.decode(b);
  } catch {
    let s = '';
    for (let i = 0; i < b.length; ) {
      const [r, w] = decodeRune(b, i);
      s += String.fromCodePoint(r);
      i += w;
    }
    return s;
  }
}

/** The first n runes of b (fmt's truncate). */
export function truncateBytes(b: Uint8Array, n: number): Uint8Array {
  let i = 0;
  for (; i < b.length && n > 0; n--) i += b[i]! < 0x80 ? 1 : decodeRune(b, i)[1];
  return i >= b.length ? b : b.subarray(0, i);
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

const lossyDecoder = new TextDecoder('utf-8');
const lossyDecoderKeepBom = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Decodes UTF-8 bytes; invalid sequences become U+FFFD, as Go prints them. A leading BOM is dropped unless keepBom. */
export function decodeUtf8(bytes: Uint8Array, keepBom = false): string {
  return (keepBom ? lossyDecoderKeepBom : lossyDecoder).decode(bytes);
}

/** The text of `bytes` when they are valid UTF-8 (utf8.Valid), else undefined. A BOM is kept. */
export function decodeValidUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    return undefined;
  }
}
