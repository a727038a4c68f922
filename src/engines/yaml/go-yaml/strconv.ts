/**
 * The parts of Go's strconv that go-yaml and encoding/json lean on: ParseInt/ParseUint with
 * base 0 (0x, 0o, 0b and leading-0 octal), ParseFloat on decimal text, FormatFloat 'g' with
 * shortest precision for float64 and float32, and encoding/json's float format.
 */

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64) without underscores; undefined on a syntax or range error. */
export function parseUint(s: string): bigint | undefined {
  if (s === '') return undefined;
  let base = 10;
  let digits = s;
  if (s[0] === '0') {
    const p = s[1]?.toLowerCase();
    if (s.length >= 3 && p === 'b') {
      base = 2;
      digits = s.slice(2);
    } else if (s.length >= 3 && p === 'o') {
      base = 8;
      digits = s.slice(2);
    } else if (s.length >= 3 && p === 'x') {
      base = 16;
      digits = s.slice(2);
    } else {
      base = 8;
      digits = s.slice(1);
    }
  }
  let n = 0n;
  const b = BigInt(base);
  for (const c of digits) {
    const d = digitValue(c);
    if (d === undefined || d >= base) return undefined;
    n = n * b + BigInt(d);
    if (n > UINT64_MAX) return undefined;
  }
  return n;
}

/** strconv.ParseInt(s, 0, 64) without underscores; undefined on a syntax or range error. */
export function parseInt64(s: string): bigint | undefined {
  if (s === '') return undefined;
  let neg = false;
  let rest = s;
  if (s[0] === '+') rest = s.slice(1);
  else if (s[0] === '-') {
    neg = true;
    rest = s.slice(1);
  }
  const u = parseUint(rest);
  if (u === undefined) return undefined;
  const v = neg ? -u : u;
  if (v < INT64_MIN || v > INT64_MAX) return undefined;
  return v;
}

function digitValue(c: string): number | undefined {
  const code = c.charCodeAt(0);
  if (code >= 0x30 && code <= 0x39) return code - 0x30;
  const lower = code | 0x20;
  if (lower >= 0x61 && lower <= 0x7a) return lower - 0x61 + 10;
  return undefined;
}

/** strconv.ParseFloat(s, 64) for text already known to be decimal syntax; undefined on overflow. */
export function parseDecimalFloat(s: string): number | undefined {
  const v = Number(s);
  if (!Number.isFinite(v)) return undefined;
  return v;
}

/** Shortest decimal digits of a finite non-zero float64 and its decimal point position. */
interface Digits {
  d: string;
  dp: number;
}

function digits64(x: number): Digits {
  const e = Math.abs(x).toExponential();
  const [mant, exp] = e.split('e') as [string, string];
  return { d: mant.replace('.', ''), dp: Number(exp) + 1 };
}

/** Shortest digits that read back as the same float32 (Go's ryuFtoaShortest for bitSize 32). */
function digits32(x: number): Digits {
  const f = Math.fround(Math.abs(x));
  for (let p = 1; p <= 9; p++) {
    const base = digitsOf(f.toExponential(p - 1));
    const mant = BigInt(base.d);
    const candidates: Digits[] = [base];
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
    let best: Digits | undefined;
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
  return digits64(f);
}

function digitsOf(e: string): Digits {
  const [mant, exp] = e.split('e') as [string, string];
  return { d: mant.replace('.', ''), dp: Number(exp) + 1 };
}

/** strconv.FormatFloat(x, 'g', -1, bits). */
export function formatFloatG(x: number, bits: 32 | 64 = 64): string {
  if (Number.isNaN(x)) return 'NaN';
  const v = bits === 32 ? Math.fround(x) : x;
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const neg = v < 0 || Object.is(v, -0);
  if (v === 0) return neg ? '-0' : '0';
  const digs = bits === 32 ? digits32(v) : digits64(v);
  const exp = digs.dp - 1;
  const body = exp < -4 || exp >= 6 ? formatE(digs, digs.d.length - 1) : formatF(digs, Math.max(digs.d.length - digs.dp, 0));
  return neg ? `-${body}` : body;
}

/** %e with prec digits after the point (strconv fmtE). */
function formatE(digs: Digits, prec: number): string {
  let out = digs.d[0] ?? '0';
  if (prec > 0) out += `.${digs.d.slice(1, 1 + prec).padEnd(prec, '0')}`;
  const exp = digs.d.length === 0 ? 0 : digs.dp - 1;
  const sign = exp < 0 ? '-' : '+';
  const abs = Math.abs(exp);
  return `${out}e${sign}${abs < 10 ? `0${abs}` : abs}`;
}

/** %f with prec digits after the point (strconv fmtF). */
function formatF(digs: Digits, prec: number): string {
  let out: string;
  if (digs.dp > 0) {
    out = digs.d.slice(0, digs.dp).padEnd(digs.dp, '0');
  } else {
    out = '0';
  }
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = digs.dp + i - 1;
      out += j >= 0 && j < digs.d.length ? digs.d[j] : '0';
    }
  }
  return out;
}

/** encoding/json's float64 text: 'f' between 1e-6 and 1e21, else 'e' with e-07 cleaned to e-7. */
export function formatJsonFloat(x: number): string {
  const abs = Math.abs(x);
  const neg = x < 0 || Object.is(x, -0);
  if (x === 0) return neg ? '-0' : '0';
  const digs = digits64(x);
  let body: string;
  if (abs < 1e-6 || abs >= 1e21) {
    body = formatE(digs, digs.d.length - 1);
    body = body.replace(/e-0(\d)$/, 'e-$1');
  } else {
    body = formatF(digs, Math.max(digs.d.length - digs.dp, 0));
  }
  return neg ? `-${body}` : body;
}

/** Go's strconv.Quote, for %#v of strings in error messages. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (cp === 0x07) out += '\\a';
    else if (cp === 0x08) out += '\\b';
    else if (cp === 0x0c) out += '\\f';
    else if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp === 0x09) out += '\\t';
    else if (cp === 0x0b) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xdc80 && cp <= 0xdcff) out += `\\x${(cp - 0xdc00).toString(16)}`;
    else if (!/[\p{L}\p{M}\p{N}\p{P}\p{S}\x20]/u.test(c)) {
      out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}
