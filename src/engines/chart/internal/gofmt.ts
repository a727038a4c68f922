/**
 * The few pieces of Go's fmt and strconv that helm's messages go through: %q (strconv.Quote),
 * %v of values (for coalesce warnings) and float formatting ('g', shortest, 64 or 32 bits —
 * sigs.k8s.io/yaml formats floats as float32 when it turns them into strings).
 */

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** strconv.Quote: a double-quoted Go string literal. */
export function goQuote(s: string): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (PRINTABLE.test(ch)) out += ch;
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

/** strconv.FormatFloat(f, 'g', -1, 64): what %v prints for a float64. */
export function formatFloat64(f: number): string {
  if (!Number.isFinite(f)) return nonFinite(f);
  return formatShortestG(f.toExponential());
}

/** strconv.FormatFloat(f, 'g', -1, 32): the shortest digits that read back as the same float32. */
export function formatFloat32(f: number): string {
  if (!Number.isFinite(f)) return nonFinite(f);
  const f32 = Math.fround(f);
  if (!Number.isFinite(f32)) return nonFinite(f32);
  for (let digits = 1; digits <= 9; digits++) {
    const s = f32.toExponential(digits - 1);
    if (Math.fround(Number(s)) === f32) return formatShortestG(s);
  }
  return formatShortestG(f32.toExponential());
}

function nonFinite(f: number): string {
  return Number.isNaN(f) ? 'NaN' : f > 0 ? '+Inf' : '-Inf';
}

/** Lays out JS exponential notation ("-1.25e+3") the way Go's %g does for shortest precision. */
function formatShortestG(expForm: string): string {
  const [mant, expStr] = expForm.split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
  const exp = Number(expStr);
  const sign = neg ? '-' : '';
  if (digits === '0') return `${sign}0`;
  // Go's %g with the shortest precision switches to %e below 1e-4 and from 1e6 (eprec = 6).
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const e = Math.abs(exp);
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${e < 10 ? `0${e}` : e}`;
  }
  const point = exp + 1;
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`;
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** fmt's %v of a values-model value: maps as map[k:v] in sorted key order, slices as [a b]. */
export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return formatFloat64(v);
  if (typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(formatValue).join(' ')}]`;
  if (v instanceof Uint8Array) return `[${Array.from(v).join(' ')}]`;
  if (typeof v === 'object') {
    const m = v as Record<string, unknown>;
    return `map[${sortedKeys(m)
      .map((k) => `${k}:${formatValue(m[k])}`)
      .join(' ')}]`;
  }
  return String(v);
}

/** Go's name of a value's dynamic type inside an interface{} ("string", "float64", "map[string]interface {}", "nil"). */
export function goTypeOf(v: unknown): string {
  if (v === undefined || v === null) return 'nil';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
    case 'boolean':
      return 'bool';
  }
  if (Array.isArray(v)) return '[]interface {}';
  return 'map[string]interface {}';
}

/** Keys in Go's sort order (byte-wise over UTF-8). */
export function sortedKeys(m: object): string[] {
  return Object.keys(m).sort(compareGoStrings);
}

/** Compares two strings by their UTF-8 bytes, as Go's sort.Strings does. */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(i)!;
    if (ca !== cb) return ca < cb ? -1 : 1;
    if (ca > 0xffff) i++;
  }
  return a.length - b.length;
}
