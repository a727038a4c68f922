import { describe, expect, test } from 'vitest';
import { sprigFunctions } from '../../../src/engines/gotemplate/sprig/index.js';
import { cryptoRandom } from '../../../src/engines/gotemplate/sprig/random.js';

// Randomness comes from the injected source. The expected strings follow goutils'
// CryptoRandom: draw a character in [32, 123) (or [32, 127) for randAscii), keep it if it is
// of the wanted kind, and fill the result from its last position backwards.

function call(random: () => number, name: string, ...args: unknown[]): unknown {
  const f = sprigFunctions({ random }).get(name)!;
  return (f.fn as (...a: unknown[]) => unknown)(...args);
}

function cycle(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length]!;
}

describe('random strings from an injected source', () => {
  test.each([
    // 0.1 -> ')' (rejected), 0.5 -> 'M', 0.9 -> 'q', 0.3 -> ';' (rejected), 0.7 -> '_' (rejected)
    ['randAlpha', 4n, cycle(0.1, 0.5, 0.9, 0.3, 0.7), 'qMqM'],
    // 0.2 -> '2', 0.5 -> 'M'
    ['randAlphaNum', 3n, cycle(0.2, 0.5), '2M2'],
    // 0.25 -> '6'; 'M' is rejected
    ['randNumeric', 3n, cycle(0.2, 0.5, 0.25), '262'],
    // randAscii draws from 95 characters and keeps all: 0.5 -> 'O', 0 -> ' '
    ['randAscii', 3n, cycle(0.5, 0), 'O O'],
    ['randAlpha', 0n, cycle(0.5), ''],
    ['randAlpha', -3n, cycle(0.5), ''],
  ])('%s %d', (name, n, random, want) => {
    expect(call(random, name, n)).toBe(want);
  });

  test('the default source is crypto-strong and gives the right alphabet', () => {
    const funcs = sprigFunctions();
    const f = (name: string, n: bigint) => (funcs.get(name)!.fn as (n: bigint) => string)(n);
    expect(f('randAlphaNum', 32n)).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(f('randAlpha', 32n)).toMatch(/^[A-Za-z]{32}$/);
    expect(f('randNumeric', 32n)).toMatch(/^[0-9]{32}$/);
    expect(f('randAscii', 32n)).toMatch(/^[ -~]{32}$/);
    expect(f('randAlphaNum', 32n)).not.toBe(f('randAlphaNum', 32n));
  });

  test('cryptoRandom stays in [0, 1)', () => {
    for (let i = 0; i < 1000; i++) {
      const r = cryptoRandom();
      expect(r).toBeGreaterThanOrEqual(0);
      expect(r).toBeLessThan(1);
    }
  });

  test('a source that never yields a usable character fails instead of looping forever', () => {
    expect(() => call(() => 0, 'randAlpha', 3n)).toThrow('random source keeps producing unusable values');
  });
});

describe('randInt', () => {
  test.each([
    [1n, 10n, 0.5, 5n],
    [1n, 10n, 0, 1n],
    [1n, 10n, 0.999, 9n],
    [-5n, 5n, 0.25, -3n],
  ])('randInt %d %d with %d', (min, max, r, want) => {
    expect(call(() => r, 'randInt', min, max)).toBe(want);
  });

  test.each([
    [5n, 5n],
    [10n, 1n],
  ])('randInt %d %d panics like rand.Intn', (min, max) => {
    expect(() => call(() => 0.5, 'randInt', min, max)).toThrow('invalid argument to Intn');
  });
});

describe('shuffle', () => {
  test.each([
    ['abc', 0, 'bca'],
    ['abc', 0.99, 'abc'],
    ['', 0.5, ''],
    ['😀é', 0, 'é😀'],
  ])('shuffle %j with %d', (s, r, want) => {
    expect(call(() => r, 'shuffle', s)).toBe(want);
  });

  test('is a permutation of the runes', () => {
    const out = call(cycle(0.3, 0.8, 0.1, 0.6), 'shuffle', 'héllo wörld 😀') as string;
    expect([...out].sort()).toEqual([...'héllo wörld 😀'].sort());
  });
});
