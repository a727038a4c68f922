/**
 * Keys kustomize cannot print. kyaml creates the map keys of generated data, labels and
 * annotations without a tag (yaml.SetField), so go-yaml v3 writes them plain, and
 * kustomize's output step (resource.go AsYAML -> RNode.MarshalJSON) reads them back with
 * go-yaml v3's resolver: a key such as `1`, `true`, `~` or `2001-12-14` becomes a
 * non-string key and the build fails. This is go.yaml.in/yaml/v3 resolve.go `resolve`
 * for untagged plain scalars, reduced to "which tag".
 */

const MAP_TAGS = new Map<string, string>([
  ...['true', 'True', 'TRUE', 'false', 'False', 'FALSE'].map((s) => [s, '!!bool'] as const),
  ...['', '~', 'null', 'Null', 'NULL'].map((s) => [s, '!!null'] as const),
  ...['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF'].map((s) => [s, '!!float'] as const),
  ['<<', '!!merge'],
]);

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** The tag go-yaml v3 gives `s` written as a plain scalar with no tag: '!!str' for strings. */
export function resolvePlainTag(s: string): string {
  const mapped = MAP_TAGS.get(s);
  if (mapped) return mapped;
  const c = s[0] ?? '';
  if (c === '.') return isGoFloat(s) ? '!!float' : '!!str';
  if (!/[-+0-9]/.test(c)) return '!!str';
  if (isTimestamp(s)) return '!!timestamp';
  const plain = s.replaceAll('_', '');
  // ParseInt/ParseUint with base 0 cover the 0b and 0o branches of resolve.go too.
  if (parseGoInt(plain, true) || parseGoInt(plain, false)) return '!!int';
  if (YAML_STYLE_FLOAT.test(plain)) return '!!float';
  return '!!str';
}

/** strconv.ParseInt(s, 0, 64) (signed) or strconv.ParseUint(s, 0, 64) succeeds. */
function parseGoInt(s: string, signed: boolean): boolean {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const sign = m[1]!;
  if (!signed && sign !== '') return false;
  let digits = m[2]!;
  if (/^0[0-7]+$/.test(digits)) digits = `0o${digits.slice(1)}`;
  const v = BigInt(digits.toLowerCase()) * (sign === '-' ? -1n : 1n);
  return signed ? v >= INT64_MIN && v <= INT64_MAX : v <= UINT64_MAX;
}

/** strconv.ParseFloat for a value starting with ".": digits, optionally an exponent. */
function isGoFloat(s: string): boolean {
  return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(s);
}

/**
 * resolve.go parseTimestamp: time.Parse with "2006-1-2T15:4:5.999999999Z07:00" (also
 * with a lower-case t), "2006-1-2 15:4:5.999999999" or "2006-1-2", fields in range.
 */
function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,]\d+)?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return false;
  const [, y, mo, d, sep, h, mi, sec, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return false;
  if (sep === undefined) return true;
  if (Number(h) >= 24 || Number(mi) >= 60 || Number(sec) >= 60) return false;
  if (sep === ' ') return zone === undefined;
  if (zone === undefined) return false;
  return zone === 'Z' || (Number(zone.slice(1, 3)) <= 24 && Number(zone.slice(4, 6)) <= 60);
}

function daysIn(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The failure kustomize reports when it prints an object with such a key, or undefined
 * when every key of `keys` prints as a string.
 */
export function unprintableKey(keys: Iterable<string>): { key: string; tag: string; reason: string } | undefined {
  for (const key of keys) {
    const tag = resolvePlainTag(key);
    if (tag === '!!str') continue;
    const reason = tag === '!!merge' ? 'yaml: map merge requires map or sequence of maps as the value' : 'json: unsupported type: map[interface {}]interface {}';
    return { key, tag, reason };
  }
  return undefined;
}
