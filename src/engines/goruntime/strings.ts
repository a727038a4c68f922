/**
 * Go's string order and the trimming helpers of package strings/bytes the engines share.
 */
import { isSpace } from './unicode.js';

/** Compares strings by UTF-8 bytes, as Go's sort.Strings does (JS compares UTF-16 code units). */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  // For BMP text without surrogates both orders agree; only mixed surrogate pairs differ.
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length < b.length ? -1 : a.length > b.length ? 1 : 0;
}

/** sort.Strings: a sorted copy, in compareGoStrings order. */
export function sortGoStrings(keys: Iterable<string>): string[] {
  return [...keys].sort(compareGoStrings);
}

/** True when `s` holds only Go white space (bytes.TrimSpace would leave nothing). */
export function isAllGoSpace(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (!isSpace(s.charCodeAt(i))) return false;
  }
  return true;
}

/** bytes.TrimLeftFunc(s, unicode.IsSpace) on a decoded string. */
export function trimLeftGoSpace(s: string): string {
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!isSpace(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return s.slice(i);
}
