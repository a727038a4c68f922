/**
 * Go strings are UTF-8 bytes; ours are UTF-16. Functions that index or slice by byte (trunc,
 * substr, abbrev, wrap) work on a "byte string": one char per byte, 0–255. Slicing inside a
 * multi-byte character gives invalid UTF-8, which decodes to U+FFFD here where Go keeps the
 * raw bytes.
 */
import { bytesToString, isAscii, utf8Bytes } from '../../../goruntime/index.js';

/** len(s) in Go: the number of UTF-8 bytes. */
export function byteLength(s: string): number {
  return isAscii(s) ? s.length : utf8Bytes(s).length;
}

/** The UTF-8 bytes of s as a byte string. */
export function toByteString(s: string): string {
  if (isAscii(s)) return s;
  let out = '';
  for (const b of utf8Bytes(s)) out += String.fromCharCode(b);
  return out;
}

/** Decodes a byte string (as produced by {@link toByteString} and sliced) back to text. */
export function fromByteString(b: string): string {
  if (isAscii(b)) return b;
  const bytes = new Uint8Array(b.length);
  for (let i = 0; i < b.length; i++) bytes[i] = b.charCodeAt(i);
  return bytesToString(bytes);
}
