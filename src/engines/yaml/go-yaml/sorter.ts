/**
 * go-yaml v2's map key order (sorter.go keyList.Less): numbers and bools by value, then
 * by kind; strings in a "natural" order where runs of digits compare as numbers, non-letters
 * sort before letters, and letters compare by code point.
 */
import { GoFloat, GoInt, GoUint, type GoYamlKey } from './values.js';

// reflect.Kind numbers, which decide the order between kinds.
const KIND_BOOL = 1;
const KIND_INT = 2;
const KIND_UINT64 = 11;
const KIND_FLOAT64 = 14;
const KIND_INTERFACE = 20;
const KIND_STRING = 24;

function kindOf(k: GoYamlKey): number {
  if (k === null) return KIND_INTERFACE;
  if (typeof k === 'boolean') return KIND_BOOL;
  if (typeof k === 'string') return KIND_STRING;
  if (k instanceof GoInt) return KIND_INT;
  if (k instanceof GoUint) return KIND_UINT64;
  return KIND_FLOAT64;
}

function keyFloat(k: GoYamlKey): number | undefined {
  if (typeof k === 'boolean') return k ? 1 : 0;
  if (k instanceof GoInt || k instanceof GoUint) return Number(k.value);
  if (k instanceof GoFloat) return k.value;
  return undefined;
}

function numLess(a: GoYamlKey, b: GoYamlKey): boolean {
  if ((a instanceof GoInt && b instanceof GoInt) || (a instanceof GoUint && b instanceof GoUint)) return a.value < b.value;
  if (a instanceof GoFloat && b instanceof GoFloat) return a.value < b.value;
  if (typeof a === 'boolean' && typeof b === 'boolean') return !a && b;
  throw new Error('not a number');
}

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

function isLetter(r: number): boolean {
  if (r < 0x80) return (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a);
  return LETTER.test(String.fromCodePoint(r));
}

function isDigit(r: number): boolean {
  if (r < 0x80) return r >= 0x30 && r <= 0x39;
  return DIGIT.test(String.fromCodePoint(r));
}

function runes(s: string): number[] {
  return Array.from(s, (c) => c.codePointAt(0)!);
}

/** keyList.Less for two map keys. */
export function keyLess(a: GoYamlKey, b: GoYamlKey): boolean {
  const ak = kindOf(a);
  const bk = kindOf(b);
  const af = keyFloat(a);
  const bf = keyFloat(b);
  if (af !== undefined && bf !== undefined) {
    if (af !== bf) return af < bf;
    if (ak !== bk) return ak < bk;
    return numLess(a, b);
  }
  if (typeof a !== 'string' || typeof b !== 'string') return ak < bk;
  return stringLess(runes(a), runes(b));
}

function stringLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ai0 = ar[i]!;
    const bi0 = br[i]!;
    if (ai0 === bi0) continue;
    const al = isLetter(ai0);
    const bl = isLetter(bi0);
    if (al && bl) return ai0 < bi0;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ai0 === 0x30 || bi0 === 0x30) {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]!); j--) {
        if (ar[j] !== 0x30) {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]!); ai++) an = BigInt.asIntN(64, an * 10n + BigInt(ar[ai]! - 0x30));
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]!); bi++) bn = BigInt.asIntN(64, bn * 10n + BigInt(br[bi]! - 0x30));
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ai0 < bi0;
  }
  return ar.length < br.length;
}

/**
 * Sorts keys as sort.Sort(keyList) does. Go sorts a map's keys from a random starting
 * order, so for a consistent Less any correct sort gives Go's result.
 */
export function sortKeys<T>(items: T[], key: (item: T) => GoYamlKey): T[] {
  return [...items].sort((x, y) => {
    const a = key(x);
    const b = key(y);
    if (keyLess(a, b)) return -1;
    if (keyLess(b, a)) return 1;
    return 0;
  });
}
