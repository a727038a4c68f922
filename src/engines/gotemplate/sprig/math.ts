/**
 * sprig's arithmetic (functions.go "VERY basic arithmetic", numeric.go): integer functions
 * convert with cast.ToInt64 and wrap around like Go's int64; the *f functions go through
 * shopspring/decimal (internal/decimal.ts); seq, until and untilStep build Go []int ranges.
 */
import { defineFunc, withElemType, type GoFunc } from '../values.js';
import { toFloat64, toInt64, wrapInt64 } from './conversion.js';
import { decimalAdd, decimalDiv, decimalFromFloat, decimalMul, decimalSub, decimalToFloat, type Decimal } from './internal/decimal.js';

const DIVIDE_BY_ZERO = 'runtime error: integer divide by zero';

/** sprig execDecimalOp: every operand through float64 and decimal.NewFromFloat. */
function decimalOp(a: unknown, rest: unknown[], f: (x: Decimal, y: Decimal) => Decimal): number {
  let acc = decimalFromFloat(toFloat64(a));
  for (const x of rest) acc = f(acc, decimalFromFloat(toFloat64(x)));
  return decimalToFloat(acc);
}

/** math.Frexp. */
function frexp(f: number): [number, number] {
  if (f === 0 || !Number.isFinite(f)) return [f, 0];
  let e = Math.max(-1073, Math.floor(Math.log2(Math.abs(f))) + 1);
  let x = f * 2 ** -e;
  while (Math.abs(x) < 0.5) {
    x *= 2;
    e--;
  }
  while (Math.abs(x) >= 1) {
    x /= 2;
    e++;
  }
  return [x, e];
}

/** math.Ldexp. */
function ldexp(frac: number, exp: number): number {
  while (exp > 1000) {
    frac *= 2 ** 1000;
    exp -= 1000;
  }
  while (exp < -1000) {
    frac *= 2 ** -1000;
    exp += 1000;
  }
  return frac * 2 ** exp;
}

/** math.Pow(x, y) for an integral y (what round's float64(places) is), by Go's squaring loop. */
export function powInt(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (y === 1) return x;
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (!Number.isFinite(y)) return Math.pow(x, y);
  const yi = Math.trunc(Math.abs(y));
  if (yi >= 2 ** 63) return Math.abs(x) < 1 === y > 0 ? 0 : Infinity;
  let a1 = 1;
  let ae = 0;
  let [x1, xe] = frexp(x);
  for (let i = BigInt(yi); i !== 0n; i >>= 1n) {
    if (xe < -(1 << 12) || 1 << 12 < xe) {
      ae += xe;
      break;
    }
    if ((i & 1n) === 1n) {
      a1 *= x1;
      ae += xe;
    }
    x1 *= x1;
    xe <<= 1;
    if (x1 < 0.5) {
      x1 += x1;
      xe--;
    }
  }
  if (y < 0) {
    a1 = 1 / a1;
    ae = -ae;
  }
  return ldexp(a1, ae);
}

/** sprig round: half (or roundOn) rounds away from the floor, on the scaled value. */
function round(a: unknown, p: bigint, ...rOpt: number[]): number {
  const roundOn = rOpt.length > 0 ? rOpt[0]! : 0.5;
  const val = toFloat64(a);
  const pow = powInt(10, Number(p));
  const digit = pow * val;
  const frac = digit - Math.trunc(digit);
  const r = frac >= roundOn ? Math.ceil(digit) : Math.floor(digit);
  return r / pow;
}

/** sprig untilStep. */
export function untilStep(start: bigint, stop: bigint, step: bigint): bigint[] {
  const v: bigint[] = [];
  if (stop < start) {
    if (step >= 0n) return withElemType(v, 'int');
    for (let i = start; i > stop; i += step) v.push(i);
    return withElemType(v, 'int');
  }
  if (step <= 0n) return withElemType(v, 'int');
  for (let i = start; i < stop; i += step) v.push(i);
  return withElemType(v, 'int');
}

function seq(...params: bigint[]): string {
  let increment = 1n;
  let list: bigint[];
  switch (params.length) {
    case 1: {
      const end = params[0]!;
      if (end < 1n) increment = -1n;
      list = untilStep(1n, wrapInt64(end + increment), increment);
      break;
    }
    case 2: {
      const [start, end] = params as [bigint, bigint];
      const step = end < start ? -1n : 1n;
      list = untilStep(start, wrapInt64(end + step), step);
      break;
    }
    case 3: {
      const [start, step, end] = params as [bigint, bigint, bigint];
      if (end < start) {
        increment = -1n;
        if (step > 0n) return '';
      }
      list = untilStep(start, wrapInt64(end + increment), step);
      break;
    }
    default:
      return '';
  }
  return list.join(' ');
}

/** The arithmetic functions. */
export function mathFuncs(): GoFunc[] {
  const maxOf = (a: unknown, ...rest: unknown[]) => rest.map(toInt64).reduce((m, b) => (b > m ? b : m), toInt64(a));
  return [
    defineFunc('add1', ['any'], (i: unknown) => wrapInt64(toInt64(i) + 1n)),
    defineFunc('add', [], (...i: unknown[]) => i.reduce<bigint>((a, b) => wrapInt64(a + toInt64(b)), 0n), 'any'),
    defineFunc('sub', ['any', 'any'], (a: unknown, b: unknown) => wrapInt64(toInt64(a) - toInt64(b))),
    defineFunc('div', ['any', 'any'], (a: unknown, b: unknown) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error(DIVIDE_BY_ZERO);
      return wrapInt64(toInt64(a) / d);
    }),
    defineFunc('mod', ['any', 'any'], (a: unknown, b: unknown) => {
      const d = toInt64(b);
      if (d === 0n) throw new Error(DIVIDE_BY_ZERO);
      return toInt64(a) % d;
    }),
    defineFunc('mul', ['any'], (a: unknown, ...v: unknown[]) => v.reduce<bigint>((acc, b) => wrapInt64(acc * toInt64(b)), toInt64(a)), 'any'),
    defineFunc('add1f', ['any'], (i: unknown) => decimalOp(i, [1n], decimalAdd)),
    defineFunc('addf', [], (...i: unknown[]) => decimalOp(0, i, decimalAdd), 'any'),
    defineFunc('subf', ['any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, decimalSub), 'any'),
    defineFunc('divf', ['any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, decimalDiv), 'any'),
    defineFunc('mulf', ['any'], (a: unknown, ...v: unknown[]) => decimalOp(a, v, decimalMul), 'any'),
    defineFunc('biggest', ['any'], maxOf, 'any'),
    defineFunc('max', ['any'], maxOf, 'any'),
    defineFunc('min', ['any'], (a: unknown, ...rest: unknown[]) => rest.map(toInt64).reduce((m, b) => (b < m ? b : m), toInt64(a)), 'any'),
    defineFunc('maxf', ['any'], (a: unknown, ...rest: unknown[]) => rest.map(toFloat64).reduce((m, b) => Math.max(m, b), toFloat64(a)), 'any'),
    defineFunc('minf', ['any'], (a: unknown, ...rest: unknown[]) => rest.map(toFloat64).reduce((m, b) => Math.min(m, b), toFloat64(a)), 'any'),
    defineFunc('ceil', ['any'], (a: unknown) => Math.ceil(toFloat64(a))),
    defineFunc('floor', ['any'], (a: unknown) => Math.floor(toFloat64(a))),
    defineFunc('round', ['any', 'int'], round, 'float64'),
    defineFunc('seq', [], seq, 'int'),
    defineFunc('until', ['int'], (count: bigint) => untilStep(0n, count, count < 0n ? -1n : 1n)),
    defineFunc('untilStep', ['int', 'int', 'int'], untilStep),
  ];
}

