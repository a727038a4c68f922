/**
 * Go's reflect as sprig uses it, on the value model of ../../values.ts: Kind names,
 * reflect.DeepEqual, iterating any slice, and map helpers that are safe for keys like
 * "__proto__".
 */
import { GoFunc, GoStruct, GoTime, elemType, goTypeName, isGoMap, withElemType, type GoMap } from '../../values.js';

/** The panic text of a nil pointer dereference, e.g. reflect.TypeOf(nil).Kind(). */
export const NIL_DEREFERENCE = 'runtime error: invalid memory address or nil pointer dereference';

/**
 * reflect.Value.Kind().String(). A bigint reports "int64": the value model does not keep Go's
 * int apart from int64.
 */
export function kindName(v: unknown): string {
  if (v === undefined || v === null) return 'invalid';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return 'slice';
  if (v instanceof GoStruct) return v.isPointer ? 'ptr' : 'struct';
  if (v instanceof GoTime) return 'struct';
  if (v instanceof GoFunc || typeof v === 'function') return 'func';
  return 'map';
}

/** reflect.TypeOf(v).Kind(): like {@link kindName} but panics on nil, as Go does. */
export function typeKind(v: unknown): string {
  if (v === undefined || v === null) throw new Error(NIL_DEREFERENCE);
  return kindName(v);
}

/** The elements of a slice (reflect.Value.Index(i).Interface() for each i), or undefined. */
export function sliceElements(v: unknown): readonly unknown[] | undefined {
  if (Array.isArray(v)) return v;
  if (v instanceof Uint8Array) return Array.from(v, (b) => BigInt(b));
  return undefined;
}

/** A new slice of the same Go type as `like` holding `items` (reflect.Value.Slice). */
export function sameTypeSlice(like: unknown, items: unknown[]): unknown {
  if (like instanceof Uint8Array) return Uint8Array.from(items as bigint[], (b) => Number(b));
  const elem = elemType(like as object);
  return elem === 'interface {}' ? items : withElemType(items, elem);
}

/** Sets m[k] = v, defining own properties so that "__proto__" is an ordinary key. */
export function setEntry(m: GoMap, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(m, k, { value: v, enumerable: true, writable: true, configurable: true });
  else m[k] = v;
}

/** `_, ok := m[k]`. */
export function hasEntry(m: GoMap | null | undefined, k: string): boolean {
  return m !== null && m !== undefined && Object.prototype.hasOwnProperty.call(m, k);
}

/** reflect.DeepEqual. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === undefined) a = null;
  if (b === undefined) b = null;
  if (a === null || b === null) return a === b;
  if (goTypeName(a) !== goTypeName(b)) return false;
  if (typeof a !== 'object') return a === b;
  if (a === b) return true;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  if (a instanceof Uint8Array) {
    const bb = b as Uint8Array;
    return a.length === bb.length && a.every((x, i) => x === bb[i]);
  }
  if (a instanceof GoStruct) {
    const bs = b as GoStruct;
    const keys = Object.keys(a.fields);
    return keys.length === Object.keys(bs.fields).length && keys.every((k) => deepEqual(a.fields[k], bs.fields[k]));
  }
  if (a instanceof GoTime) {
    const bt = b as GoTime;
    return a.unixNanos === bt.unixNanos && a.offsetSeconds === bt.offsetSeconds && a.location === bt.location;
  }
  if (a instanceof GoFunc) return false;
  if (isGoMap(a)) {
    const bm = b as GoMap;
    const ka = Object.keys(a);
    return ka.length === Object.keys(bm).length && ka.every((k) => hasEntry(bm, k) && deepEqual(a[k], bm[k]));
  }
  return false;
}

/**
 * text/template and sprig's empty(): nil, false, 0, and empty strings, slices and maps are
 * empty; structs never are.
 */
export function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  switch (typeof v) {
    case 'string':
      return v.length === 0;
    case 'boolean':
      return !v;
    case 'number':
      return v === 0;
    case 'bigint':
      return v === 0n;
  }
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length === 0;
  if (v instanceof GoStruct || v instanceof GoTime || v instanceof GoFunc) return false;
  if (typeof v === 'object') return Object.keys(v).length === 0;
  return false;
}
