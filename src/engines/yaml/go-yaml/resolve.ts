/**
 * go-yaml v2's implicit typing of scalars (resolve.go): YAML 1.1 booleans (y/yes/on and
 * friends), ints with 0x/0o/0b/_ and leading-0 octal, int vs uint64 vs float64, `.inf` and
 * `.nan`, and the timestamp check (time.Parse with four layouts). Base-60 numbers are not
 * resolved, but the encoder still quotes them (isBase60Float in encode.go).
 */
import { parseFloat64, parseInt64 as goParseInt64, parseUint as goParseUint } from '../../goruntime/index.js';
import { GoFloat, GoInt, GoUint, GoYamlError, type GoYamlValue } from './values.js';

const NULL_TAG = 'tag:yaml.org,2002:null';
const BOOL_TAG = 'tag:yaml.org,2002:bool';
/** The !!str tag, long form. */
export const STR_TAG = 'tag:yaml.org,2002:str';
const INT_TAG = 'tag:yaml.org,2002:int';
const FLOAT_TAG = 'tag:yaml.org,2002:float';
/** The !!timestamp tag, long form. */
export const TIMESTAMP_TAG = 'tag:yaml.org,2002:timestamp';
/** The !!binary tag, long form. */
export const BINARY_TAG = 'tag:yaml.org,2002:binary';
/** The !!merge tag (`<<`), long form. */
export const MERGE_TAG = 'tag:yaml.org,2002:merge';

const LONG_TAG_PREFIX = 'tag:yaml.org,2002:';

/** "tag:yaml.org,2002:int" → "!!int". */
export function shortTag(tag: string): string {
  return tag.startsWith(LONG_TAG_PREFIX) ? `!!${tag.slice(LONG_TAG_PREFIX.length)}` : tag;
}

/** What a resolved scalar is: its tag, and its value (a timestamp keeps its text). */
export interface Resolved {
  tag: string;
  value: GoYamlValue;
}

const RESOLVE_MAP = new Map<string, Resolved>();
for (const [value, tag, words] of [
  [true, BOOL_TAG, ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']],
  [false, BOOL_TAG, ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']],
  [null, NULL_TAG, ['', '~', 'null', 'Null', 'NULL']],
  [new GoFloat(NaN), FLOAT_TAG, ['.nan', '.NaN', '.NAN']],
  [new GoFloat(Infinity), FLOAT_TAG, ['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF']],
  [new GoFloat(-Infinity), FLOAT_TAG, ['-.inf', '-.Inf', '-.INF']],
  ['<<', MERGE_TAG, ['<<']],
] as const) {
  for (const w of words) RESOLVE_MAP.set(w, { tag, value });
}

/** The first-character hints of resolve.go's resolveTable. */
function hintOf(c: string | undefined): string {
  if (c === undefined) return 'N';
  if (c === '+' || c === '-') return 'S';
  if (c >= '0' && c <= '9') return 'D';
  if ('yYnNtTfFoO~'.includes(c)) return 'M';
  if (c === '.') return '.';
  return '';
}

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function resolvableTag(tag: string): boolean {
  return tag === '' || tag === STR_TAG || tag === BOOL_TAG || tag === INT_TAG || tag === FLOAT_TAG || tag === NULL_TAG || tag === TIMESTAMP_TAG;
}

function intValue(v: bigint): GoInt {
  return new GoInt(v);
}

/**
 * resolve(tag, in): the tag and value go-yaml gives a scalar. Throws GoYamlError
 * "cannot decode !!str `x` as a !!int" when an explicit tag does not fit.
 */
export function resolve(tag: string, input: string): Resolved {
  if (!resolvableTag(tag)) return { tag, value: input };
  const r = resolveUntagged(tag, input);
  if (tag === '' || tag === r.tag || tag === STR_TAG || tag === BINARY_TAG) return r;
  if (tag === FLOAT_TAG && r.tag === INT_TAG && r.value instanceof GoInt) {
    return { tag: FLOAT_TAG, value: new GoFloat(Number(r.value.value)) };
  }
  throw new GoYamlError(`yaml: cannot decode ${shortTag(r.tag)} \`${input}\` as a ${shortTag(tag)}`);
}

// strconv.ParseInt(s, 0, 64), ParseUint(s, 0, 64) and ParseFloat(s, 64) as go-yaml calls them:
// the value when err is nil, else undefined. Underscores are removed before these are called.
const parseInt64 = (s: string): bigint | undefined => {
  const r = goParseInt64(s, 0);
  return r.err ? undefined : r.value;
};
const parseUint = (s: string): bigint | undefined => {
  const r = goParseUint(s, 0);
  return r.err ? undefined : r.value;
};
const parseDecimalFloat = (s: string): number | undefined => {
  const r = parseFloat64(s);
  return r.err ? undefined : r.value;
};

function resolveUntagged(tag: string, input: string): Resolved {
  const hint = hintOf(input[0]);
  if (hint !== '' && tag !== STR_TAG && tag !== BINARY_TAG) {
    const item = RESOLVE_MAP.get(input);
    if (item) return item;
    switch (hint) {
      case 'M':
        break;
      case '.': {
        if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(input)) {
          const f = parseDecimalFloat(input);
          if (f !== undefined) return { tag: FLOAT_TAG, value: new GoFloat(f) };
        }
        break;
      }
      case 'D':
      case 'S': {
        if ((tag === '' || tag === TIMESTAMP_TAG) && isTimestamp(input)) return { tag: TIMESTAMP_TAG, value: input };
        const plain = input.replaceAll('_', '');
        const i = parseInt64(plain);
        if (i !== undefined) return { tag: INT_TAG, value: intValue(i) };
        const u = parseUint(plain);
        if (u !== undefined) return { tag: INT_TAG, value: new GoUint(u) };
        if (YAML_STYLE_FLOAT.test(plain)) {
          const f = parseDecimalFloat(plain);
          if (f !== undefined) return { tag: FLOAT_TAG, value: new GoFloat(f) };
        }
        if (plain.startsWith('0b')) {
          // strconv.ParseInt(s, 2, 64) takes a sign, so "0b-1" is -1.
          const m = /^([-+]?)([01]+)$/.exec(plain.slice(2));
          if (m) {
            const v = BigInt(`0b${m[2]}`) * (m[1] === '-' ? -1n : 1n);
            if (v >= INT64_MIN && v <= INT64_MAX) return { tag: INT_TAG, value: intValue(v) };
            if (m[1] === '' && v <= UINT64_MAX) return { tag: INT_TAG, value: new GoUint(v) };
          }
        } else if (plain.startsWith('-0b')) {
          const m = /^([-+]?)([01]+)$/.exec(plain.slice(3));
          if (m && m[1] === '') {
            const v = -BigInt(`0b${m[2]}`);
            if (v >= INT64_MIN) return { tag: INT_TAG, value: intValue(v) };
          }
        }
        break;
      }
    }
  }
  return { tag: STR_TAG, value: input };
}


const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** encode.go isBase60Float: "1:20" and the like, quoted on output though never resolved. */
export function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s[0]!;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

// ---- timestamps: resolve.go parseTimestamp, i.e. Go's time.Parse with these layouts ----

type LayoutPart = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'frac' | 'tz' | { lit: string };

const LAYOUTS: LayoutPart[][] = [
  ['year', { lit: '-' }, 'month', { lit: '-' }, 'day', { lit: 'T' }, 'hour', { lit: ':' }, 'minute', { lit: ':' }, 'second', 'frac', 'tz'],
  ['year', { lit: '-' }, 'month', { lit: '-' }, 'day', { lit: 't' }, 'hour', { lit: ':' }, 'minute', { lit: ':' }, 'second', 'frac', 'tz'],
  ['year', { lit: '-' }, 'month', { lit: '-' }, 'day', { lit: ' ' }, 'hour', { lit: ':' }, 'minute', { lit: ':' }, 'second', 'frac'],
  ['year', { lit: '-' }, 'month', { lit: '-' }, 'day'],
];

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 0x30 && c <= 0x39;
}

/** time.go getnum: one or two digits (two when fixed). */
function getnum(s: string, fixed: boolean): [number, string] | undefined {
  if (!isDigitAt(s, 0)) return undefined;
  if (!isDigitAt(s, 1)) {
    if (fixed) return undefined;
    return [s.charCodeAt(0) - 0x30, s.slice(1)];
  }
  return [(s.charCodeAt(0) - 0x30) * 10 + (s.charCodeAt(1) - 0x30), s.slice(2)];
}

function daysIn(month: number, year: number): number {
  if (month === 2) return (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) ? 29 : 28;
  return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function parseWithLayout(layout: LayoutPart[], value: string): boolean {
  let v = value;
  let year = 0;
  let month = -1;
  let day = -1;
  for (let i = 0; i < layout.length; i++) {
    const part = layout[i]!;
    if (typeof part === 'object') {
      // time.go skip: a space in the layout matches one or more spaces, eating all of them.
      if (part.lit === ' ') {
        if (v.length > 0 && v[0] !== ' ') return false;
        v = v.replace(/^ +/, '');
        continue;
      }
      if (v[0] !== part.lit) return false;
      v = v.slice(1);
      continue;
    }
    switch (part) {
      case 'year': {
        if (v.length < 4 || !isDigitAt(v, 0)) return false;
        const p = v.slice(0, 4);
        if (!/^[0-9]{4}$/.test(p)) return false;
        year = Number(p);
        v = v.slice(4);
        break;
      }
      case 'month': {
        const r = getnum(v, false);
        if (!r) return false;
        [month, v] = r;
        if (month <= 0 || month > 12) return false;
        break;
      }
      case 'day': {
        const r = getnum(v, false);
        if (!r) return false;
        [day, v] = r;
        break;
      }
      case 'hour': {
        const r = getnum(v, false);
        if (!r || r[0] >= 24) return false;
        v = r[1];
        break;
      }
      case 'minute':
      case 'second': {
        const r = getnum(v, false);
        if (!r || r[0] >= 60) return false;
        v = r[1];
        break;
      }
      case 'frac': {
        if (v.length < 2 || (v[0] !== '.' && v[0] !== ',') || !isDigitAt(v, 1)) break;
        let j = 1;
        while (isDigitAt(v, j)) j++;
        v = v.slice(j);
        break;
      }
      case 'tz': {
        if (v[0] === 'Z') {
          v = v.slice(1);
          break;
        }
        if (v.length < 6 || v[3] !== ':') return false;
        const sign = v[0];
        const hh = getnum(v.slice(1, 3), true);
        const mm = getnum(v.slice(4, 6), true);
        if (!hh || !mm || hh[0] > 24 || mm[0] > 60) return false;
        if (sign !== '+' && sign !== '-') return false;
        v = v.slice(6);
        break;
      }
    }
  }
  if (v.length !== 0) return false;
  return day >= 1 && day <= daysIn(month, year);
}

/** resolve.go parseTimestamp: four leading digits and '-', then one of the layouts parses. */
export function isTimestamp(s: string): boolean {
  let i = 0;
  while (i < s.length && isDigitAt(s, i)) i++;
  if (i !== 4 || i === s.length || s[i] !== '-') return false;
  return LAYOUTS.some((layout) => parseWithLayout(layout, s));
}
