import { formatFloatG } from '../../../goruntime/index.js';
import { JsonNumber } from './json.js';

/**
 * Exact numbers for schema checks (santhosh-tekuri/jsonschema compares big.Rat values built from
 * each number's %v text), and number printing as golang.org/x/text/message does it for English
 * (the library formats its messages with message.NewPrinter(language.English)): "1,000.5",
 * "1.23456789×10⁰⁸".
 */

/** A rational n/d (d > 0), with the decimal text it came from. */
export interface Rat {
  n: bigint;
  d: bigint;
  text: string;
}

const DECIMAL = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/;

/** big.Rat.SetString for decimal text; undefined when it is not a number. */
export function ratFromString(text: string): Rat | undefined {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = `${m[2]}${m[3] ?? ''}` || '0';
  let n = BigInt(digits);
  if (m[1] === '-') n = -n;
  const exp = Number(m[4] ?? 0) - (m[3] ?? '').length;
  if (exp >= 0) return { n: n * 10n ** BigInt(exp), d: 1n, text };
  return { n, d: 10n ** BigInt(-exp), text };
}

/** The Rat of a value as the validator builds it: fmt.Sprintf("%v", v) parsed back. */
export function ratOf(v: unknown): Rat | undefined {
  if (v instanceof JsonNumber) return ratFromString(v.text);
  if (typeof v === 'bigint') return ratFromString(v.toString());
  if (typeof v === 'number') return ratFromString(formatFloatG(v));
  return undefined;
}

export function ratCmp(a: Rat, b: Rat): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

/** Whether a/b is an integer (multipleOf). */
export function ratQuoIsInt(a: Rat, b: Rat): boolean {
  if (b.n === 0n) return false;
  return (a.n * b.d) % (a.d * b.n) === 0n;
}

export function ratIsInt(a: Rat): boolean {
  return a.n % a.d === 0n;
}

/** Rat.Float64. */
export function ratFloat(a: Rat): number {
  return Number(a.text);
}

const SUPERSCRIPT: Record<string, string> = {
  '0': '⁰',
  '1': '¹',
  '2': '²',
  '3': '³',
  '4': '⁴',
  '5': '⁵',
  '6': '⁶',
  '7': '⁷',
  '8': '⁸',
  '9': '⁹',
};

function group(intDigits: string): string {
  return intDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** x/text/message's %d of an integer for English: digits grouped by thousands. */
export function formatIntEnglish(n: number | bigint): string {
  const s = n.toString();
  return s.startsWith('-') ? `-${group(s.slice(1))}` : group(s);
}

/** x/text/message's %v of a float64 for English (shortest digits; scientific below 1e-4 and from 1e6). */
export function formatFloatEnglish(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '∞' : '-∞';
  if (f === 0) return '0';
  const [mant, expStr] = f.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-') ? '-' : '';
  const digits = mant.replace('-', '').replace('.', '');
  const exp = Number(expStr);
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = String(Math.abs(exp)).padStart(2, '0');
    return `${neg}${m}×10${exp < 0 ? '⁻' : ''}${[...e].map((c) => SUPERSCRIPT[c]).join('')}`;
  }
  const point = exp + 1;
  if (point <= 0) return `${neg}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${neg}${group(digits + '0'.repeat(point - digits.length))}`;
  return `${neg}${group(digits.slice(0, point))}.${digits.slice(point)}`;
}
