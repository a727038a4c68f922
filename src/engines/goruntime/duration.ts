/**
 * Go's time.Duration (int64 nanoseconds) as a bigint: ParseDuration, String, Round and
 * Truncate, following time/format.go and time/time.go, int64 overflow included. Shared by
 * sprig's duration functions and the policy engine's duration comparisons.
 */

/** package time's quote: like strconv.Quote, but bytes >= 0x80 and controls as \xNN. */
export function timeQuote(s: string): string {
  let out = '"';
  for (const byte of new TextEncoder().encode(s)) {
    if (byte >= 0x80 || byte < 0x20) out += '\\x' + byte.toString(16).padStart(2, '0');
    else out += (byte === 0x22 || byte === 0x5c ? '\\' : '') + String.fromCharCode(byte);
  }
  return out + '"';
}

/** ParseDuration without the error: undefined where Go would refuse the text. */
export function parseDurationOrUndefined(s: string): bigint | undefined {
  try {
    return parseDuration(s);
  } catch (e) {
    if (e instanceof DurationError) return undefined;
    throw e;
  }
}

export const SECOND = 1_000_000_000n;
export const MINUTE = 60n * SECOND;
export const HOUR = 60n * MINUTE;
export const MAX_DURATION = (1n << 63n) - 1n;
export const MIN_DURATION = -(1n << 63n);

/** A time.ParseDuration error, with Go's message. */
export class DurationError extends Error {}

const UNITS: Record<string, bigint> = {
  ns: 1n,
  us: 1000n,
  'µs': 1000n, // U+00B5 micro sign
  'μs': 1000n, // U+03BC Greek mu
  ms: 1_000_000n,
  s: SECOND,
  m: MINUTE,
  h: HOUR,
};

const TWO63 = 1n << 63n;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** time.ParseDuration: "300ms", "-1.5h", "2h45m". Throws DurationError. */
export function parseDuration(s: string): bigint {
  const orig = s;
  const fail = (msg: string) => new DurationError(`time: ${msg} ${timeQuote(orig)}`);
  let d = 0n;
  let neg = false;
  if (s !== '' && (s[0] === '-' || s[0] === '+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0n;
  if (s === '') throw fail('invalid duration');
  while (s !== '') {
    let v = 0n;
    let f = 0n;
    let scale = 1;
    if (!(s[0] === '.' || isDigit(s[0]))) throw fail('invalid duration');
    // leadingInt
    let i = 0;
    for (; i < s.length && isDigit(s[i]); i++) {
      if (v > TWO63 / 10n) throw fail('invalid duration');
      v = v * 10n + BigInt(s.charCodeAt(i) - 0x30);
      if (v > TWO63) throw fail('invalid duration');
    }
    const pre = i > 0;
    s = s.slice(i);
    let post = false;
    if (s !== '' && s[0] === '.') {
      s = s.slice(1);
      // leadingFraction: stops gaining precision on overflow instead of failing
      let j = 0;
      let overflow = false;
      for (; j < s.length && isDigit(s[j]); j++) {
        if (overflow) continue;
        if (f > (TWO63 - 1n) / 10n) {
          overflow = true;
          continue;
        }
        const y = f * 10n + BigInt(s.charCodeAt(j) - 0x30);
        if (y > TWO63) {
          overflow = true;
          continue;
        }
        f = y;
        scale *= 10;
      }
      post = j > 0;
      s = s.slice(j);
    }
    if (!pre && !post) throw fail('invalid duration'); // no digits, e.g. ".s" or "-.s"
    let u = 0;
    while (u < s.length && !(s[u] === '.' || isDigit(s[u]))) u++;
    if (u === 0) throw fail('missing unit in duration');
    const name = s.slice(0, u);
    s = s.slice(u);
    const unit = UNITS[name];
    if (unit === undefined) throw fail(`unknown unit ${timeQuote(name)} in duration`);
    if (v > TWO63 / unit) throw fail('invalid duration');
    v *= unit;
    if (f > 0n) {
      // float64 on purpose, as Go: nanosecond-exact for fractions of an hour.
      v += BigInt(Math.trunc(Number(f) * (Number(unit) / scale)));
      if (v > TWO63) throw fail('invalid duration');
    }
    d += v;
    if (d > TWO63) throw fail('invalid duration');
  }
  if (neg) return BigInt.asIntN(64, -d);
  if (d > TWO63 - 1n) throw fail('invalid duration');
  return d;
}

function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let out = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) out = String(digit) + out;
    v /= 10n;
  }
  return [print ? `.${out}` : '', v];
}

/** Duration.String: "72h3m0.5s", "1.5ms", "0s". */
export function durationString(d: bigint): string {
  d = BigInt.asIntN(64, d);
  const neg = d < 0n;
  let u = neg ? -d : d; // uint64(-MinInt64) is 1<<63, which bigint keeps
  let out: string;
  if (u < SECOND) {
    let prec: number;
    let unit: string;
    if (u === 0n) return '0s';
    if (u < 1000n) {
      prec = 0;
      unit = 'ns';
    } else if (u < 1_000_000n) {
      prec = 3;
      unit = 'µs';
    } else {
      prec = 6;
      unit = 'ms';
    }
    const [frac, rest] = fmtFrac(u, prec);
    out = `${rest}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`; // stop at hours: days can be different lengths
    }
  }
  return neg ? `-${out}` : out;
}

/** Duration.Round: to the nearest multiple of m, halfway away from zero, saturating. */
export function roundDuration(d: bigint, m: bigint): bigint {
  if (m <= 0n) return d;
  let r = d % m;
  if (d < 0n) {
    r = -r;
    if (r + r < m) return d + r;
    const d1 = d - m + r;
    return d1 >= MIN_DURATION ? d1 : MIN_DURATION;
  }
  if (r + r < m) return d - r;
  const d1 = d + m - r;
  return d1 <= MAX_DURATION ? d1 : MAX_DURATION;
}

/** Duration.Truncate: toward zero to a multiple of m. */
export function truncateDuration(d: bigint, m: bigint): bigint {
  return m <= 0n ? d : d - (d % m);
}

/** The float64 methods: Hours, Minutes, Seconds (integer part and remainder kept apart, as Go). */
export function durationIn(d: bigint, unit: bigint): number {
  const whole = d / unit;
  const rest = d % unit;
  return Number(whole) + Number(rest) / Number(unit);
}
