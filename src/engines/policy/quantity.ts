/**
 * Kubernetes resource quantities (`500m`, `1.5Gi`, `2e3`, `128974848`) as exact fractions,
 * compared the way apimachinery's Quantity.Cmp does. Kyverno compares pattern values such as
 * `<=2Gi` or `>100m` through them.
 */

/** An exact value num/den (den > 0). */
export interface Quantity {
  num: bigint;
  den: bigint;
}

const BINARY: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const SHAPE = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*[-+]?\d*)$/;

/** Parses a quantity string; undefined when it is not one (the apimachinery grammar). */
export function parseQuantity(text: string): Quantity | undefined {
  const m = SHAPE.exec(text);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  if (whole === '' && frac === '') return undefined;
  const suffix = m[4] ?? '';
  let num = BigInt(whole + frac || '0') * sign;
  let den = 10n ** BigInt(frac.length);
  let exp10 = 0;
  let exp2 = 0;
  if (suffix in BINARY) exp2 = BINARY[suffix] ?? 0;
  else if (suffix in DECIMAL) exp10 = DECIMAL[suffix] ?? 0;
  else {
    const e = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    exp10 = Number(e[1]);
    if (!Number.isSafeInteger(exp10) || Math.abs(exp10) > 10_000) return undefined;
  }
  if (exp10 > 0) num *= 10n ** BigInt(exp10);
  else if (exp10 < 0) den *= 10n ** BigInt(-exp10);
  if (exp2 > 0) num *= 2n ** BigInt(exp2);
  return { num, den };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
