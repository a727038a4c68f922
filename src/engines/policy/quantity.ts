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
const SUFFIX_CHARS = 'eEinumkKMGTP';
const NANO = 1_000_000_000n;
const MAX_INT64 = 2n ** 63n - 1n;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/**
 * Parses a quantity string as apimachinery's ParseQuantity does, quirks included: a bare
 * sign or a bare suffix (`-`, `m`, `Ki`) reads as 0, `1.` and `.5` are numbers, values finer
 * than a nano are rounded away from zero, binary values are capped at the int64 maximum.
 * Undefined when it is not a quantity.
 */
export function parseQuantity(text: string): Quantity | undefined {
  if (text === '') return undefined;
  const end = text.length;
  let pos = 0;
  let negative = false;
  if (text[0] === '-' || text[0] === '+') {
    negative = text[0] === '-';
    pos++;
  }
  while (pos < end && text[pos] === '0') pos++;
  if (pos === end) return { num: 0n, den: 1n };
  const numStart = pos;
  while (pos < end && isDigit(text[pos])) pos++;
  const whole = text.slice(numStart, pos);
  let frac = '';
  if (pos < end && text[pos] === '.') {
    const fracStart = ++pos;
    while (pos < end && isDigit(text[pos])) pos++;
    frac = text.slice(fracStart, pos);
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(text[pos] ?? '')) pos++;
  if (pos < end && (text[pos] === '-' || text[pos] === '+')) pos++;
  while (pos < end && isDigit(text[pos])) pos++;
  if (pos !== end) return undefined;
  const suffix = text.slice(suffixStart);

  let exp10 = 0;
  let exp2 = 0;
  const binary = suffix in BINARY;
  if (binary) exp2 = BINARY[suffix] ?? 0;
  else if (suffix in DECIMAL) exp10 = DECIMAL[suffix] ?? 0;
  else {
    const e = /^[eE]([-+]?\d+)$/.exec(suffix);
    if (!e) return undefined;
    exp10 = Number(e[1]);
    if (!Number.isSafeInteger(exp10) || Math.abs(exp10) > 10_000) return undefined;
  }
  let num = BigInt((whole || '0') + frac);
  let den = 10n ** BigInt(frac.length);
  if (exp10 > 0) num *= 10n ** BigInt(exp10);
  else if (exp10 < 0) den *= 10n ** BigInt(-exp10);
  if (exp2 > 0) num *= 2n ** BigInt(exp2);
  // Round the magnitude up to a whole number of nanos.
  if (num !== 0n && (num * NANO) % den !== 0n) {
    num = (num * NANO) / den + 1n;
    den = NANO;
  }
  if (binary && num > MAX_INT64 * den) {
    num = MAX_INT64;
    den = 1n;
  }
  return { num: negative ? -num : num, den };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b. */
export function compareQuantities(a: Quantity, b: Quantity): -1 | 0 | 1 {
  const l = a.num * b.den;
  const r = b.num * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}
