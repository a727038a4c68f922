/**
 * Go's package unicode for the predicates and simple case mappings sprig's string functions
 * use. JavaScript's toUpperCase/toLowerCase apply full (SpecialCasing) mappings; Go maps one
 * rune to one rune, so multi-rune results fall back to Go's simple mapping or the rune itself.
 */

const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const TITLE = /\p{Lt}/u;
const LETTER = /\p{L}/u;
const DIGIT = /\p{Nd}/u;
const NUMBER = /\p{N}/u;
const PUNCT = /\p{P}/u;

function test(re: RegExp, r: number): boolean {
  return r >= 0 && r <= 0x10ffff && re.test(String.fromCodePoint(r));
}

/** unicode.IsSpace: Latin-1 spaces plus the White_Space property. */
export function isSpace(r: number): boolean {
  if (r <= 0xff) return r === 0x20 || (r >= 0x09 && r <= 0x0d) || r === 0x85 || r === 0xa0;
  return (
    r === 0x1680 || (r >= 0x2000 && r <= 0x200a) || r === 0x2028 || r === 0x2029 || r === 0x202f || r === 0x205f || r === 0x3000
  );
}

/** unicode.IsUpper (Lu). */
export const isUpper = (r: number): boolean => (r < 0x80 ? r >= 0x41 && r <= 0x5a : test(UPPER, r));
/** unicode.IsLower (Ll). */
export const isLower = (r: number): boolean => (r < 0x80 ? r >= 0x61 && r <= 0x7a : test(LOWER, r));
/** unicode.IsTitle (Lt). */
export const isTitle = (r: number): boolean => r >= 0x80 && test(TITLE, r);
/** unicode.IsLetter (L). */
export const isLetter = (r: number): boolean =>
  r < 0x80 ? (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a) : test(LETTER, r);
/** unicode.IsDigit (Nd). */
export const isDigit = (r: number): boolean => (r < 0x80 ? r >= 0x30 && r <= 0x39 : test(DIGIT, r));
/** unicode.IsNumber (N). */
export const isNumber = (r: number): boolean => (r < 0x80 ? r >= 0x30 && r <= 0x39 : test(NUMBER, r));
/** unicode.IsPunct (P). */
export const isPunct = (r: number): boolean => test(PUNCT, r);

/** Greek letters with ypogegrammeni: full uppercase is two runes, Go's simple mapping is one. */
function greekIotaUpper(r: number): number | undefined {
  if ((r >= 0x1f80 && r <= 0x1f87) || (r >= 0x1f90 && r <= 0x1f97) || (r >= 0x1fa0 && r <= 0x1fa7)) return r + 8;
  if (r === 0x1fb3) return 0x1fbc;
  if (r === 0x1fc3) return 0x1fcc;
  if (r === 0x1ff3) return 0x1ffc;
  return undefined;
}

function single(s: string): number | undefined {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1) ? cp : undefined;
}

/** unicode.ToUpper. */
export function toUpper(r: number): number {
  if (r < 0x80) return r >= 0x61 && r <= 0x7a ? r - 32 : r;
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return r;
  return single(String.fromCodePoint(r).toUpperCase()) ?? greekIotaUpper(r) ?? r;
}

/** unicode.ToLower. */
export function toLower(r: number): number {
  if (r < 0x80) return r >= 0x41 && r <= 0x5a ? r + 32 : r;
  if (r === 0x130) return 0x69; // İ: the full mapping adds a combining dot, the simple one does not
  if (r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return r;
  return single(String.fromCodePoint(r).toLowerCase()) ?? r;
}

/** unicode.ToTitle: upper case except for the digraphs and Georgian, whose title case differs. */
export function toTitle(r: number): number {
  switch (r) {
    case 0x1c4:
    case 0x1c5:
    case 0x1c6:
      return 0x1c5;
    case 0x1c7:
    case 0x1c8:
    case 0x1c9:
      return 0x1c8;
    case 0x1ca:
    case 0x1cb:
    case 0x1cc:
      return 0x1cb;
    case 0x1f1:
    case 0x1f2:
    case 0x1f3:
      return 0x1f2;
  }
  if ((r >= 0x10d0 && r <= 0x10fa) || (r >= 0x10fd && r <= 0x10ff)) return r;
  return toUpper(r);
}

/** strings.Map over the runes of s. */
export function mapRunes(s: string, f: (r: number) => number): string {
  let out = '';
  for (const ch of s) out += String.fromCodePoint(f(ch.codePointAt(0)!));
  return out;
}

/** The runes of s as code points. */
export function runes(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0)!);
  return out;
}

/** Text from code points. */
export function fromRunes(rs: readonly number[]): string {
  let out = '';
  for (const r of rs) out += String.fromCodePoint(r);
  return out;
}
