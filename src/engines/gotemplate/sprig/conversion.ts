/**
 * sprig's conversions (numeric.go, strings.go): atoi, int, int64, float64, toDecimal,
 * toString, toStrings, and the helpers the other groups share. They behave as
 * github.com/spf13/cast v1.7.0 does: a string that does not parse is 0, strings parse with
 * base prefixes ("0x1F", "0o17", "017", "1_000"), a float64 truncates toward zero.
 */
import { sprint } from '../fmt.js';
import { GoStruct, defineFunc, elemType, stringSlice, type GoFunc } from '../values.js';
import { bytesToString } from '../../goruntime/index.js';
import { sliceElements } from './internal/reflect.js';
import { parseFloat64, parseInt64 } from '../../goruntime/index.js';

const MIN_INT64 = -(1n << 63n);
const TWO_63 = 2 ** 63;

/** Go's int64(f) on amd64: truncation, and 0x8000000000000000 for NaN and out-of-range values. */
export function floatToInt64(f: number): bigint {
  if (Number.isNaN(f) || f >= TWO_63 || f < -TWO_63) return MIN_INT64;
  return BigInt(Math.trunc(f));
}

/** Wraps to Go's int64 (two's complement overflow). */
export function wrapInt64(n: bigint): bigint {
  return BigInt.asIntN(64, n);
}

/** cast trimZeroDecimal: "12.0" and "12.00" become "12"; "12.50" stays. */
function trimZeroDecimal(s: string): string {
  let foundZero = false;
  for (let i = s.length; i > 0; i--) {
    const c = s[i - 1];
    if (c === '.') {
      if (foundZero) return s.slice(0, i - 1);
    } else if (c === '0') {
      foundZero = true;
    } else {
      return s;
    }
  }
  return s;
}

/** cast.ToInt64 (and cast.ToInt: Go's int is 64 bits). */
export function toInt64(v: unknown): bigint {
  switch (typeof v) {
    case 'bigint':
      return v;
    case 'number':
      return floatToInt64(v);
    case 'boolean':
      return v ? 1n : 0n;
    case 'string': {
      const r = parseInt64(trimZeroDecimal(v), 0);
      return r.err === undefined ? r.value : 0n;
    }
  }
  return 0n;
}

/** cast.ToFloat64. */
export function toFloat64(v: unknown): number {
  switch (typeof v) {
    case 'bigint':
      return Number(v);
    case 'number':
      return v;
    case 'boolean':
      return v ? 1 : 0;
    case 'string': {
      const r = parseFloat64(v);
      return r.err === undefined ? r.value : 0;
    }
  }
  return 0;
}

/** sprig strval: strings as they are, []byte as text, Stringers through String(), else %v. */
export function strval(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return bytesToString(v);
  if (v instanceof GoStruct && v.stringer) return v.stringer();
  return sprint(v);
}

/**
 * sprig strslice: a []string as it is (the same slice), any other slice with nil elements
 * dropped and the rest through strval, nil as [], anything else as a one-element list.
 */
export function strslice(v: unknown): string[] {
  if (Array.isArray(v) && elemType(v) === 'string') return v as string[];
  const items = sliceElements(v);
  if (items !== undefined) return stringSlice(items.filter((x) => x !== null && x !== undefined).map(strval));
  if (v === null || v === undefined) return stringSlice([]);
  return stringSlice([strval(v)]);
}

/** The conversion functions. */
export function conversionFuncs(): GoFunc[] {
  return [
    defineFunc('atoi', ['string'], (s: string) => {
      // strconv.Atoi: 0 on a syntax error, the clamped value on overflow.
      return parseInt64(s, 10).value;
    }),
    defineFunc('int64', ['any'], toInt64),
    defineFunc('int', ['any'], toInt64),
    defineFunc('float64', ['any'], toFloat64),
    defineFunc('toDecimal', ['any'], (v: unknown) => {
      const r = parseInt64(sprint(v), 8);
      return r.err === undefined ? r.value : 0n;
    }),
    defineFunc('toString', ['any'], strval),
    defineFunc('toStrings', ['any'], strslice),
  ];
}
