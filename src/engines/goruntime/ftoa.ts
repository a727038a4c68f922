/**
 * strconv.FormatFloat(f, fmt, prec, 64) for the formats fmt uses: 'e' 'E' 'f' 'g' 'G' 'x' 'X'
 * and 'b'. Behaviour of go/src/internal/strconv/ftoa.go (genericFtoa, formatDigits, fmtE,
 * fmtF, fmtB, fmtX).
 *
 * Digits: with prec < 0, the shortest digits that round-trip, taken from the engine
 * (ECMAScript's Number-to-string picks the shortest digits closest to the value, the same
 * digits Go's Ryu/Dragonbox picks). With a precision, the exact decimal value of the double,
 * computed with BigInt, rounded half to even, which is what Go's fixed and multiprecision
 * paths both produce. JavaScript's toFixed/toPrecision round exact halves up, so they are
 * not used.
 */

/** A decimal number 0.d × 10^dp; d has no leading or trailing zeros and is '' for zero. */
interface Decimal {
  d: string;
  dp: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0;
const LO = LITTLE_ENDIAN ? 0 : 1;

/** The IEEE fields of a double: mantissa with the implicit bit, exponent as Go's genericFtoa has it. */
function fields(f: number): { neg: boolean; mant: number; exp: number; biased: number } {
  f64[0] = f;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (hi & 0xfffff) * 0x100000000 + lo;
  let exp: number;
  if (biased === 0) {
    exp = 1 - 1023; // denormal
  } else {
    mant += 0x10000000000000;
    exp = biased - 1023;
  }
  return { neg: hi >>> 31 === 1, mant, exp, biased };
}

const pow5Cache: bigint[] = [1n];
function pow5(k: number): bigint {
  let p = pow5Cache[k];
  if (p === undefined) {
    p = 5n ** BigInt(k);
    pow5Cache[k] = p;
  }
  return p;
}

/** A finite, non-zero |f| as mant × 2^exp with mant odd. */
function oddMantissa(abs: number): { mant: number; exp: number } {
  f64[0] = abs;
  const hi = u32[HI]!;
  const lo = u32[LO]!;
  const biased = (hi >>> 20) & 0x7ff;
  let mhi = hi & 0xfffff;
  let exp = biased === 0 ? 1 - 1075 : biased - 1075;
  if (biased !== 0) mhi |= 0x100000;
  // Strip the trailing zero bits with clz32 on the lowest set bit.
  const tz = lo !== 0 ? 31 - Math.clz32(lo & -lo) : 32 + 31 - Math.clz32(mhi & -mhi);
  exp += tz;
  return { mant: (mhi * 0x100000000 + lo) / 2 ** tz, exp };
}

/** The exact decimal expansion of a finite, non-zero |f|. */
function exactDecimal(mant: number, e: number): Decimal {
  if (e >= 0) {
    const s = (BigInt(mant) << BigInt(e)).toString();
    let end = s.length;
    while (s.charCodeAt(end - 1) === 0x30) end--;
    return { d: s.slice(0, end), dp: s.length };
  }
  // mant × 2^e = mant × 5^-e / 10^-e, and mant × 5^-e is odd: no trailing zeros.
  const p = mant * 5 ** -e;
  const s = p < 2 ** 53 ? String(p) : (BigInt(mant) * pow5(-e)).toString();
  return { d: s, dp: s.length + e };
}

/**
 * Whether rounding mant × 2^e to `sig` significant digits can meet an exact half, where
 * ECMAScript's toExponential rounds up and Go rounds to even. The exact value's last
 * non-zero digit is a 5 at 10^e when e < 0, so a half needs exactly sig + 1 digits: a
 * decimal exponent of e + sig. Integers are left to the exact path when divisible by 5.
 */
function maybeHalfway(abs: number, mant: number, e: number, sig: number): boolean {
  if (e >= 0) return mant % 5 === 0;
  const target = e + sig;
  const l = Math.floor(Math.log10(abs));
  return target >= l - 1 && target <= l + 1;
}

/** The digits of ECMAScript's toExponential output as a Decimal (Go's decimal trims zeros). */
function parseExponential(s: string): Decimal {
  const ei = s.indexOf('e');
  const exp = Number(s.slice(ei + 1));
  let d = ei > 1 ? s[0]! + s.slice(2, ei) : s.slice(0, ei);
  let end = d.length;
  while (end > 0 && d.charCodeAt(end - 1) === 0x30) end--;
  d = d.slice(0, end);
  return d === '' ? { d: '', dp: 0 } : { d, dp: exp + 1 };
}

/** The shortest decimal that round-trips to a finite, non-zero |f|. */
function shortestDecimal(abs: number): Decimal {
  return parseExponential(abs.toExponential()); // toExponential() gives the shortest digits
}

/** decimal.Round(nd) on exact digits: half to even (Go's shouldRoundUp with trunc false). */
function round(x: Decimal, nd: number): Decimal {
  const { d } = x;
  if (nd < 0 || nd >= d.length) return x;
  const c = d.charCodeAt(nd);
  let up: boolean;
  if (c === 0x35 && nd + 1 === d.length) up = nd > 0 && (d.charCodeAt(nd - 1) - 0x30) % 2 !== 0;
  else up = c >= 0x35;
  if (up) {
    for (let i = nd - 1; i >= 0; i--) {
      const ci = d.charCodeAt(i);
      if (ci < 0x39) return { d: d.slice(0, i) + String.fromCharCode(ci + 1), dp: x.dp };
    }
    return { d: '1', dp: x.dp + 1 }; // all nines
  }
  let end = nd;
  while (end > 0 && d.charCodeAt(end - 1) === 0x30) end--;
  return end === 0 ? { d: '', dp: 0 } : { d: d.slice(0, end), dp: x.dp };
}

/**
 * strconv.FormatFloat(f, fmt, prec, 64). fmt is one of e E f g G x X b; prec < 0 asks for the
 * shortest representation.
 */
export function formatFloat(f: number, fmt: string, prec: number): string {
  if (f !== f) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (fmt === 'b') return fmtB(f);
  if (fmt === 'x' || fmt === 'X') return fmtX(f, prec, fmt);
  const neg = f < 0 || (f === 0 && 1 / f < 0);
  const abs = Math.abs(f);
  if (abs === 0) return formatDigits(neg, { d: '', dp: 0 }, prec, fmt, prec < 0);
  if (prec < 0) {
    const x = shortestDecimal(abs);
    const nd = x.d.length;
    switch (fmt) {
      case 'e':
      case 'E':
        prec = Math.max(nd - 1, 0);
        break;
      case 'f':
        prec = Math.max(nd - x.dp, 0);
        break;
      default:
        prec = nd;
    }
    return formatDigits(neg, x, prec, fmt, true);
  }
  const { mant, exp } = oddMantissa(abs);
  // ECMAScript's toFixed and toExponential round the exact value correctly; they differ from
  // Go only at an exact half, which the checks below send to the exact path.
  if (fmt === 'f') {
    // %f keeps digits down to 10^-prec: a half needs the last digit (at 10^exp) right below.
    if (prec <= 100 && abs < 1e21 && !(exp < 0 && -exp === prec + 1)) return (neg ? '-' : '') + abs.toFixed(prec);
  } else {
    const sig = fmt === 'e' || fmt === 'E' ? prec + 1 : prec === 0 ? 1 : prec;
    if (sig <= 101 && !maybeHalfway(abs, mant, exp, sig)) {
      return formatDigits(neg, parseExponential(abs.toExponential(sig - 1)), fmt === 'e' || fmt === 'E' ? prec : sig, fmt, false);
    }
  }
  let x = exactDecimal(mant, exp);
  switch (fmt) {
    case 'e':
    case 'E':
      x = round(x, prec + 1);
      break;
    case 'f':
      x = round(x, x.dp + prec);
      break;
    default:
      if (prec === 0) prec = 1;
      x = round(x, prec);
  }
  return formatDigits(neg, x, prec, fmt, false);
}

function formatDigits(neg: boolean, x: Decimal, prec: number, fmt: string, shortest: boolean): string {
  switch (fmt) {
    case 'e':
    case 'E':
      return fmtE(neg, x, prec, fmt);
    case 'f':
      return fmtF(neg, x, prec);
    case 'g':
    case 'G': {
      const nd = x.d.length;
      // trailing fractional zeros in 'e' form will be trimmed.
      let eprec = prec;
      if (eprec > nd && nd >= x.dp) eprec = nd;
      // %e is used if the exponent from the conversion is less than -4 or greater than or
      // equal to the precision; for the shortest form Go decides with precision 6.
      if (shortest) eprec = 6;
      const exp = x.dp - 1;
      if (exp < -4 || exp >= eprec) {
        if (prec > nd) prec = nd;
        return fmtE(neg, x, prec - 1, fmt === 'g' ? 'e' : 'E');
      }
      if (prec > x.dp) prec = nd;
      return fmtF(neg, x, Math.max(prec - x.dp, 0));
    }
  }
  return '%' + fmt;
}

// %e: -d.ddddde±dd
function fmtE(neg: boolean, x: Decimal, prec: number, fmt: string): string {
  const { d } = x;
  const nd = d.length;
  let s = neg ? '-' : '';
  s += nd !== 0 ? d[0]! : '0';
  if (prec > 0) {
    s += '.';
    let i = 1;
    const m = Math.min(nd, prec + 1);
    if (i < m) {
      s += d.slice(1, m);
      i = m;
    }
    if (i <= prec) s += '0'.repeat(prec + 1 - i);
  }
  let exp = nd === 0 ? 0 : x.dp - 1;
  s += fmt;
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else {
    s += '+';
  }
  return s + (exp < 10 ? '0' + exp : String(exp));
}

// %f: -ddddddd.ddddd
function fmtF(neg: boolean, x: Decimal, prec: number): string {
  const { d, dp } = x;
  const nd = d.length;
  let s = neg ? '-' : '';
  if (dp > 0) {
    const m = Math.min(nd, dp);
    s += d.slice(0, m);
    if (m < dp) s += '0'.repeat(dp - m);
  } else {
    s += '0';
  }
  if (prec > 0) {
    s += '.';
    // Fraction digits are d[dp .. dp+prec), '0' outside d.
    const lead = Math.min(prec, Math.max(0, -dp));
    if (lead > 0) s += '0'.repeat(lead);
    const from = Math.max(dp, 0);
    const to = Math.min(nd, dp + prec);
    if (to > from) s += d.slice(from, to);
    const written = lead + Math.max(0, to - from);
    if (written < prec) s += '0'.repeat(prec - written);
  }
  return s;
}

// %b: -ddddddddp±ddd
function fmtB(f: number): string {
  const { neg, mant, exp } = fields(f);
  const e = exp - 52;
  return (neg ? '-' : '') + String(mant) + 'p' + (e >= 0 ? '+' : '') + String(e);
}

const MASK64 = (1n << 64n) - 1n;
const BIT60 = 1n << 60n;
const BIT59 = 1n << 59n;
const BIT61 = 1n << 61n;
const LOW60 = BIT60 - 1n;

// %x: -0x1.yyyyyyyyp±ddd or -0x0p+00 (Go's fmtX, on uint64 arithmetic).
function fmtX(f: number, prec: number, fmt: string): string {
  const { neg, mant: m0, exp: e0 } = fields(f);
  let mant = BigInt(m0);
  let exp = mant === 0n ? 0 : e0;
  // Shift digits so the leading 1 (if any) is at bit 60.
  mant <<= 8n;
  while (mant !== 0n && (mant & BIT60) === 0n) {
    mant <<= 1n;
    exp--;
  }
  if (prec >= 0 && prec < 15) {
    const shift = BigInt(prec * 4);
    const extra = (mant << shift) & LOW60;
    mant >>= 60n - shift;
    if ((extra | (mant & 1n)) > BIT59) mant++;
    mant <<= 60n - shift;
    if ((mant & BIT61) !== 0n) {
      // Wrapped around.
      mant >>= 1n;
      exp++;
    }
  }
  const upper = fmt === 'X';
  let s = (neg ? '-' : '') + '0' + fmt + ((mant >> 60n) & 1n ? '1' : '0');
  mant = (mant << 4n) & MASK64; // remove the leading 0 or 1
  const digit = (): string => {
    const h = Number((mant >> 60n) & 15n).toString(16);
    mant = (mant << 4n) & MASK64;
    return upper ? h.toUpperCase() : h;
  };
  if (prec < 0 && mant !== 0n) {
    s += '.';
    while (mant !== 0n) s += digit();
  } else if (prec > 0) {
    s += '.';
    for (let i = 0; i < prec; i++) s += digit();
  }
  s += upper ? 'P' : 'p';
  if (exp < 0) {
    s += '-';
    exp = -exp;
  } else {
    s += '+';
  }
  return s + (exp < 10 ? '0' + exp : String(exp));
}

/**
 * strconv.FormatFloat(f, 'g', -1, bits), what %v prints for a float64: shortest digits, with an
 * exponent when it is below -4 or at least 6 (1e+06, 1.234567e+06, 100000, 0.0001, 1e-05).
 * With bits 32, f is rounded to float32 first and gets the shortest digits that read back as
 * that float32 (go-yaml and encoding/json's float32 keys).
 */
export function formatFloatG(f: number, bits: 32 | 64 = 64): string {
  if (bits === 32) return formatFloat32G(f);
  const abs = f < 0 ? -f : f;
  // In [1e-4, 1e6) both Go and ECMAScript print the shortest digits without an exponent.
  if (abs >= 1e-4 && abs < 1e6) return String(f);
  if (abs >= 1e6 && abs < 1e21) {
    // ECMAScript still prints these without an exponent: move the point, as %e would.
    const s = String(abs);
    const dot = s.indexOf('.');
    const e = (dot < 0 ? s.length : dot) - 1;
    let d = dot < 0 ? s : s.slice(0, dot) + s.slice(dot + 1);
    let end = d.length;
    while (d.charCodeAt(end - 1) === 0x30) end--;
    d = d.slice(0, end);
    return (f < 0 ? '-' : '') + d[0]! + (d.length > 1 ? '.' + d.slice(1) : '') + (e < 10 ? 'e+0' : 'e+') + e;
  }
  return formatFloat(f, 'g', -1);
}

/** FormatFloat(x, 'g', -1, 32). */
function formatFloat32G(x: number): string {
  if (x !== x) return 'NaN';
  const v = Math.fround(x);
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || (v === 0 && 1 / v < 0);
  if (v === 0) return neg ? '-0' : '0';
  const digs = digits32(v);
  return formatDigits(neg, digs, digs.d.length, 'g', true);
}

/** Shortest digits that read back as the same float32 (Go's ryuFtoaShortest for bitSize 32). */
function digits32(x: number): Decimal {
  const f = Math.fround(Math.abs(x));
  for (let p = 1; p <= 9; p++) {
    const base = parseExponential(f.toExponential(p - 1));
    const mant = BigInt(base.d.padEnd(p, '0'));
    const candidates: Decimal[] = [{ d: base.d.padEnd(p, '0'), dp: base.dp }];
    for (const delta of [-1n, 1n]) {
      const m = mant + delta;
      if (m <= 0n) continue;
      let ds = m.toString();
      let dp = base.dp;
      if (ds.length > p) {
        dp++;
        ds = ds.slice(0, p);
      } else if (ds.length < p) {
        dp--;
        ds = ds.padEnd(p, '9');
      }
      candidates.push({ d: ds, dp });
    }
    let best: Decimal | undefined;
    let bestDist = Infinity;
    for (const c of candidates) {
      const v = Number(`0.${c.d}e${c.dp}`);
      if (Math.fround(v) !== f) continue;
      const dist = Math.abs(v - f);
      if (dist < bestDist) {
        best = c;
        bestDist = dist;
      }
    }
    if (best) return { d: best.d.replace(/0+$/, '') || '0', dp: best.dp };
  }
  return shortestDecimal(f);
}

/**
 * encoding/json's float64 text: FormatFloat 'f' between 1e-6 and 1e21, else 'e' with a
 * two-digit negative exponent cleaned up (1e-07 becomes 1e-7).
 */
export function formatJsonFloat(x: number): string {
  const abs = Math.abs(x);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) return formatFloat(x, 'e', -1).replace(/e-0(\d)$/, 'e-$1');
  return formatFloat(x, 'f', -1);
}
