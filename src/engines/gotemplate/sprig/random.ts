/**
 * sprig's random functions: randAlpha, randAlphaNum, randAscii, randNumeric (goutils
 * CryptoRandom), randInt (math/rand Intn) and shuffle (xstrings.Shuffle). All draw from an
 * injected source of uniform numbers in [0, 1), so renders can be made repeatable.
 */
import { defineFunc, type GoFunc } from '../values.js';
import { isDigit, isLetter } from '../../goruntime/index.js';

/** A uniform random number in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** A cryptographically strong source (Go's sprig uses crypto/rand for the rand* strings). */
export function cryptoRandom(): number {
  const words = new Uint32Array(2);
  globalThis.crypto.getRandomValues(words);
  return (words[0]! * 2 ** 21 + (words[1]! >>> 11)) / 2 ** 53;
}

/** A uniform integer in [0, n). */
function intn(random: RandomSource, n: number): number {
  return Math.floor(random() * n);
}

/**
 * goutils.CryptoRandom for the ASCII ranges sprig uses: picks characters in [start, end),
 * keeps those that fit (letters and/or digits), filling the result from its end as goutils does.
 */
function randomString(random: RandomSource, count: number, start: number, end: number, letters: boolean, numbers: boolean): string {
  if (count <= 0) return ''; // goutils returns an error for count < 0; sprig drops it
  const buffer = new Array<string>(count);
  const gap = end - start;
  let misses = 0;
  while (count !== 0) {
    const ch = intn(random, gap) + start;
    if ((letters && isLetter(ch)) || (numbers && isDigit(ch)) || (!letters && !numbers)) {
      count--;
      buffer[count] = String.fromCharCode(ch);
      misses = 0;
    } else if (++misses > 100_000) {
      throw new Error('random source keeps producing unusable values');
    }
  }
  return buffer.join('');
}

/** The random functions, drawing from `random`. */
export function randomFuncs(random: RandomSource): GoFunc[] {
  const count = (n: bigint) => Number(n);
  return [
    defineFunc('randAlphaNum', ['int'], (n: bigint) => randomString(random, count(n), 32, 123, true, true)),
    defineFunc('randAlpha', ['int'], (n: bigint) => randomString(random, count(n), 32, 123, true, false)),
    defineFunc('randAscii', ['int'], (n: bigint) => randomString(random, count(n), 32, 127, false, false)),
    defineFunc('randNumeric', ['int'], (n: bigint) => randomString(random, count(n), 32, 123, false, true)),
    defineFunc('randInt', ['int', 'int'], (min: bigint, max: bigint) => {
      const n = max - min;
      if (n <= 0n) throw new Error('invalid argument to Intn');
      return BigInt(intn(random, Number(n))) + min;
    }),
    defineFunc('shuffle', ['string'], (str: string) => {
      const rs = [...str];
      for (let i = rs.length - 1; i > 0; i--) {
        const j = intn(random, i + 1);
        if (i !== j) [rs[i], rs[j]] = [rs[j]!, rs[i]!];
      }
      return rs.join('');
    }),
  ];
}
