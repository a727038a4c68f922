/**
 * Go's time.ParseDuration (`300ms`, `1.5h`, `2h45m`, `-1m`, `0`), as exact nanoseconds.
 * Kyverno tries durations before quantities when it compares pattern values such as `>1h`.
 */

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const MAX = 2n ** 63n - 1n;
const COMPONENT = /^(\d*)(?:\.(\d*))?([^\d.]+)/u;

/** Nanoseconds of a Go duration string; undefined when Go would refuse it. */
export function parseGoDuration(text: string): bigint | undefined {
  let s = text;
  let negative = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    negative = s.startsWith('-');
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') return undefined;
  let total = 0n;
  while (s !== '') {
    const m = COMPONENT.exec(s);
    if (!m) return undefined;
    const whole = m[1] ?? '';
    const frac = m[2] ?? '';
    if (whole === '' && frac === '') return undefined;
    const unit = UNITS[m[3] ?? ''];
    if (unit === undefined) return undefined;
    let v = BigInt(whole || '0') * unit;
    if (frac !== '') v += (BigInt(frac) * unit) / 10n ** BigInt(frac.length);
    total += v;
    if (total > MAX + (negative ? 1n : 0n)) return undefined;
    s = s.slice(m[0].length);
  }
  return negative ? -total : total;
}
