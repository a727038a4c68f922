/**
 * The slice of github.com/shopspring/decimal v1.4.0 that sprig's addf/subf/mulf/divf use:
 * NewFromFloat (shortest decimal of the float), exact Add/Sub/Mul, Div rounded half away from
 * zero to 16 places, and Float64 (nearest float).
 */

/** value × 10^exp. */
export interface Decimal {
  value: bigint;
  exp: number;
}

/** decimal.NewFromFloat; panics on NaN and ±Inf with the library's message. */
export function decimalFromFloat(f: number): Decimal {
  if (!Number.isFinite(f)) {
    throw new Error(`Cannot create a Decimal from ${Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf'}`);
  }
  if (f === 0) return { value: 0n, exp: 0 };
  const [mant, e] = f.toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '').replace('-', '');
  const exp = Number(e) - (digits.length - 1);
  const v = BigInt(digits);
  return { value: f < 0 ? -v : v, exp };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  if (a.exp === b.exp) return [a.value, b.value, a.exp];
  if (a.exp < b.exp) return [a.value, b.value * 10n ** BigInt(b.exp - a.exp), a.exp];
  return [a.value * 10n ** BigInt(a.exp - b.exp), b.value, b.exp];
}

/** Decimal.Add (exact). */
export function decimalAdd(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return { value: x + y, exp };
}

/** Decimal.Sub (exact). */
export function decimalSub(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return { value: x - y, exp };
}

/** Decimal.Mul (exact). */
export function decimalMul(a: Decimal, b: Decimal): Decimal {
  return { value: a.value * b.value, exp: a.exp + b.exp };
}

const DIVISION_PRECISION = 16;

/** Decimal.Div: DivRound(d2, 16); panics "decimal division by 0". */
export function decimalDiv(a: Decimal, b: Decimal): Decimal {
  if (b.value === 0n) throw new Error('decimal division by 0');
  const k = a.exp - b.exp + DIVISION_PRECISION;
  let num = a.value;
  let den = b.value;
  if (k >= 0) num *= 10n ** BigInt(k);
  else den *= 10n ** BigInt(-k);
  let q = num / den;
  const r = num - q * den;
  const abs = (x: bigint) => (x < 0n ? -x : x);
  if (2n * abs(r) >= abs(den)) q += (a.value < 0n) !== (b.value < 0n) ? -1n : 1n;
  return { value: q, exp: -DIVISION_PRECISION };
}

/** Decimal.Float64: the nearest float64. */
export function decimalToFloat(d: Decimal): number {
  return Number(`${d.value}e${d.exp}`);
}
