/**
 * Float formatting as a property test: 20,000 seeded random doubles of every magnitude
 * (random bit patterns, subnormals, exact halves for %.3f and %e, large integers), each
 * checked against computations that do not share code with fmt/ftoa.ts:
 * - %v and %g: the digits round-trip through Number(), no shorter rounding does, they are
 *   the exact value rounded half to even to that length (the closest such decimal), and the
 *   layout is Go's (an exponent when it is below -4 or at least 6, two exponent digits at
 *   least);
 * - %.3f and %e: the exact value of the double (a BigInt fraction) rounded half to even.
 */
import { describe, expect, test } from 'vitest';
import { formatFloatG, sprintf } from '../../../src/engines/gotemplate/fmt.js';

const COUNT = 20_000;

// mulberry32: a small seeded generator, so failures reproduce.
function generator(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const view = new DataView(new ArrayBuffer(8));

function fromBits(hi: number, lo: number): number {
  view.setUint32(0, hi);
  view.setUint32(4, lo);
  return view.getFloat64(0);
}

/** Random finite doubles of all kinds, with their kind for the test name. */
function randomDoubles(n: number): number[] {
  const rnd = generator(20240102);
  const int = (k: number): number => Math.floor(rnd() * k);
  const out: number[] = [];
  while (out.length < n) {
    let x: number;
    switch (out.length % 8) {
      case 0: // any bit pattern: every exponent from subnormal to 1.8e308
        x = fromBits(int(2 ** 32), int(2 ** 32));
        break;
      case 1: // subnormal
        x = fromBits(int(2 ** 20) | (int(2) << 31), int(2 ** 32));
        break;
      case 2: // multiples of 1/16 and 1/32: exact halves at the third or fourth decimal
        x = (int(2 ** 24) - 2 ** 23) / (int(2) === 0 ? 16 : 32);
        break;
      case 3: // 8-digit integers ending in 5: exact halves for %e's seven digits
        x = (int(9e6) + 1e6) * 10 + 5;
        break;
      case 4: // short decimals, the values charts hold
        x = Number(`${int(100000)}.${int(1000)}e${int(20) - 10}`);
        break;
      case 5: // dyadic fractions: exact halves at many positions
        x = (int(2 ** 30) * 2 + 1) * 2 ** -(int(60) + 1);
        break;
      case 6: // near the %v layout thresholds 1e-4, 1e-5, 1e6, 1e21
        x = [1e-4, 1e-5, 1e6, 1e21, 999999.9999, 100000, 0.0001][int(7)]! * (1 + (int(3) - 1) * Number.EPSILON);
        break;
      default: // large integers beyond 2^53
        x = int(2 ** 53) * 2 ** int(40);
    }
    if (!Number.isFinite(x)) continue;
    out.push(int(2) === 0 ? -x : x);
  }
  return out;
}

// ---- exact references, with BigInt ----

/** |x| = num / den exactly, den a power of two. */
function exact(x: number): { num: bigint; den: bigint } {
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const biased = Number(bits >> 52n);
  let mant = bits & ((1n << 52n) - 1n);
  if (biased !== 0) mant |= 1n << 52n;
  const e = (biased === 0 ? 1 : biased) - 1075;
  return e >= 0 ? { num: mant << BigInt(e), den: 1n } : { num: mant, den: 1n << BigInt(-e) };
}

function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num % den) * 2n;
  if (r2 > den || (r2 === den && q % 2n === 1n)) return q + 1n;
  return q;
}

const pow10 = (k: number): bigint => 10n ** BigInt(k);

function sign(x: number): string {
  return x < 0 || Object.is(x, -0) ? '-' : '';
}

/** Go's %.3f by the book. */
function fixed3(x: number): string {
  const { num, den } = exact(x);
  const s = roundHalfEven(num * 1000n, den).toString().padStart(4, '0');
  return `${sign(x)}${s.slice(0, -3)}.${s.slice(-3)}`;
}

/** The decimal exponent E with 10^E <= num/den < 10^(E+1). */
function decimalExponent(x: number, num: bigint, den: bigint): number {
  let e = Math.floor(Math.log10(Math.abs(x)));
  const atLeast = (k: number): boolean => (k >= 0 ? num >= den * pow10(k) : num * pow10(-k) >= den);
  while (!atLeast(e)) e--;
  while (atLeast(e + 1)) e++;
  return e;
}

/** Go's %e (six decimals) by the book. */
function exp6(x: number): string {
  if (x === 0) return `${sign(x)}0.000000e+00`;
  const { num, den } = exact(x);
  let e = decimalExponent(x, num, den);
  const shift = 6 - e;
  let n = shift >= 0 ? roundHalfEven(num * pow10(shift), den) : roundHalfEven(num, den * pow10(-shift));
  if (n === pow10(7)) {
    n = pow10(6);
    e++;
  }
  const d = n.toString();
  const ae = Math.abs(e);
  return `${sign(x)}${d[0]}.${d.slice(1)}e${e < 0 ? '-' : '+'}${ae < 10 ? '0' : ''}${ae}`;
}

/** Splits Go's %v/%g output into sign, digits (no dot) and decimal exponent of the first digit. */
function parseG(s: string): { digits: string; exp: number; form: 'f' | 'e' } {
  const m = /^-?(\d+)(?:\.(\d+))?(?:e([+-]\d{2,3}))?$/.exec(s);
  if (!m) throw new Error(`not a %g layout: ${s}`);
  const [, int = '', frac = '', e] = m;
  if (e !== undefined) {
    expect(int).toHaveLength(1);
    return { digits: (int + frac).replace(/0+$/, ''), exp: Number(e), form: 'e' };
  }
  const all = int + frac;
  const lead = all.length - all.replace(/^0+/, '').length;
  return { digits: all.replace(/^0+/, '').replace(/0+$/, ''), exp: int.length - 1 - lead, form: 'f' };
}

/** |x| rounded half to even to n significant digits: n digits and the power of ten of the last. */
function rounded(x: number, n: number): { digits: string; scale: number } {
  const { num, den } = exact(x);
  const shift = n - 1 - decimalExponent(x, num, den);
  const d = shift >= 0 ? roundHalfEven(num * pow10(shift), den) : roundHalfEven(num, den * pow10(-shift));
  if (d === pow10(n)) return { digits: pow10(n - 1).toString(), scale: 1 - shift };
  return { digits: d.toString(), scale: -shift };
}

/** Why s is not Go's shortest %v of x, or '' when it is. */
function shortestProblem(x: number, s: string): string {
  if (!Object.is(Number(s), x)) return 'does not round-trip'; // the sign of zero included
  if (x === 0) return '';
  const { digits, exp, form } = parseG(s);
  // Go's layout for the shortest form: an exponent below -4 or from 6 on.
  if (form !== (exp < -4 || exp >= 6 ? 'e' : 'f')) return 'layout';
  // The digits are the exact value rounded half to even to n digits (the closest n-digit
  // decimal), and no n - 1 digit decimal round-trips (else the closest one would).
  const n = digits.length;
  if (digits !== rounded(x, n).digits.replace(/0+$/, '')) return 'not the closest digits';
  if (n > 1) {
    const shorter = rounded(x, n - 1);
    if (Number(`${shorter.digits}e${shorter.scale}`) === Math.abs(x)) return 'not the shortest';
  }
  return '';
}

/** The doubles where format(x) differs from want(x), with both, for the assertion message. */
function mismatches(format: (x: number) => string, want: (x: number) => string): string[] {
  const out: string[] = [];
  for (const x of doubles) {
    const got = format(x);
    const expected = want(x);
    if (got !== expected) out.push(`${x}: got ${got}, want ${expected}`);
  }
  return out.slice(0, 10);
}

const doubles = randomDoubles(COUNT);

describe(`float formatting of ${COUNT} random doubles`, () => {
  test('%v prints the shortest round-trip digits in Go\'s layout', () => {
    expect(mismatches((x) => shortestProblem(x, sprintf('%v', x)), () => '')).toEqual([]);
  });

  test('%g and formatFloatG print the same as %v', () => {
    expect(mismatches((x) => sprintf('%g', x), (x) => sprintf('%v', x))).toEqual([]);
    expect(mismatches(formatFloatG, (x) => sprintf('%v', x))).toEqual([]);
  });

  test('%.3f rounds the exact value half to even', () => {
    expect(mismatches((x) => sprintf('%.3f', x), fixed3)).toEqual([]);
  });

  test('%e rounds the exact value half to even to seven digits', () => {
    expect(mismatches((x) => sprintf('%e', x), exp6)).toEqual([]);
  });

  test('exact halves go to the even neighbour, unlike toFixed', () => {
    expect(sprintf('%.3f', 0.0625)).toBe('0.062');
    expect((0.0625).toFixed(3)).toBe('0.063');
    expect(sprintf('%.0f', 2.5)).toBe('2');
    expect(sprintf('%.0f', 3.5)).toBe('4');
    expect(sprintf('%e', 12345675)).toBe('1.234568e+07');
    expect(sprintf('%e', 12345665)).toBe('1.234566e+07');
    expect(sprintf('%.1f', 0.25)).toBe('0.2');
    expect(sprintf('%.1f', -0.25)).toBe('-0.2');
  });
});
