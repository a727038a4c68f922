// RFC 6902 JSON patch as kustomize applies it: api/filters/patchjson6902 hands the resource as
// JSON to gopkg.in/evanphx/json-patch.v4 (patch.go) and reads the result back. The quirks of
// that library are kept on purpose, with its error texts:
// - negative array indices count from the end; "-" appends (add only);
// - `replace` of a missing object key adds it; `copy` from a missing key adds null;
// - a path without a leading "/" is read from its second segment ("a/b" acts as "/b");
// - an op without "value" adds null.
// The result comes back as kustomize's does: every map's keys sorted (json.Marshal of a map).

import { compareGoStrings, goQuote } from '../../goruntime/index.js';
import { SlipwayError } from '../../../core/index.js';

/**
 * An RFC 6902 patch that failed to decode or to apply. The message is kustomize's own text
 * (evanphx/json-patch v4, e.g. `Unable to remove nonexistent key: x: missing value`); the caller
 * adds the kustomization and entry.
 */
export class Json6902Error extends SlipwayError {
  readonly code = 'SLW228' as const;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Container = Json[] | { [k: string]: Json };
/** The value of an operation: absent (no "value" field) is not the same as null. */
type OpValue = { present: false } | { present: true; value: Json };

const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';
const TEST_FAILED = 'test failed';

const isObject = (v: unknown): v is { [k: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go's strconv.Atoi, with its error text. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Json6902Error(`strconv.Atoi: parsing ${goQuote(s)}: invalid syntax`);
  const n = Number(s);
  if (!Number.isSafeInteger(n) && (BigInt(s) > 2n ** 63n - 1n || BigInt(s) < -(2n ** 63n))) {
    throw new Json6902Error(`strconv.Atoi: parsing ${goQuote(s)}: value out of range`);
  }
  return n;
}

/** RFC 6901 unescaping: ~1 then ~0, in one left-to-right pass as strings.NewReplacer does. */
const decodeKey = (k: string) => k.replace(/~[01]/g, (m) => (m === '~1' ? '/' : '~'));

function get(c: Container, key: string): Json | undefined {
  if (!Array.isArray(c)) return Object.hasOwn(c, key) ? c[key] : undefined;
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.length) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += c.length;
  }
  if (idx >= c.length) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  return c[idx];
}

/** partialArray.set / partialDoc.set; only after a successful get. */
function set(c: Container, key: string, val: Json): void {
  if (!Array.isArray(c)) {
    defineKey(c, key, val);
    return;
  }
  let idx = atoi(key);
  if (idx < 0) {
    if (idx < -c.length) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += c.length;
  }
  c[idx] = val;
}

function add(c: Container, key: string, val: Json): void {
  if (!Array.isArray(c)) {
    defineKey(c, key, val);
    return;
  }
  if (key === '-') {
    c.push(val);
    return;
  }
  let idx: number;
  try {
    idx = atoi(key);
  } catch (e) {
    throw new Json6902Error(`value was not a proper array index: '${key}': ${(e as Error).message}`);
  }
  const size = c.length + 1;
  if (idx >= size) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) {
    if (idx < -size) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += size;
  }
  c.splice(idx, 0, val);
}

function remove(c: Container, key: string): void {
  if (!Array.isArray(c)) {
    if (!Object.hasOwn(c, key)) throw new Json6902Error(`Unable to remove nonexistent key: ${key}: ${MISSING}`);
    delete c[key];
    return;
  }
  let idx = atoi(key);
  if (idx >= c.length) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
  if (idx < 0) {
    if (idx < -c.length) throw new Json6902Error(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
    idx += c.length;
  }
  c.splice(idx, 1);
}

/** Sets an own property even for names like "__proto__". */
function defineKey(o: { [k: string]: Json }, key: string, val: Json): void {
  Object.defineProperty(o, key, { value: val, enumerable: true, writable: true, configurable: true });
}

/**
 * findObject: the container that holds the last segment of `path`, and that segment unescaped.
 * A null, a scalar, a missing key or a bad index on the way means "missing".
 */
function findObject(doc: Container, path: string): [Container, string] | undefined {
  const split = path.split('/');
  if (split.length < 2) return undefined;
  let cur: Container = doc;
  for (const part of split.slice(1, -1)) {
    let next: Json | undefined;
    try {
      next = get(cur, decodeKey(part));
    } catch {
      return undefined;
    }
    if (next === undefined || next === null || typeof next !== 'object') return undefined;
    cur = next;
  }
  return [cur, decodeKey(split[split.length - 1]!)];
}

/** Reads a string field of an operation as Operation.Path/From do. */
function stringField(op: Record<string, unknown>, name: 'path' | 'from'): string {
  const v = op[name];
  if (v === undefined || v === null) {
    throw new Json6902Error(name === 'path' ? `operation missing path field: ${MISSING}` : `operation, missing from field: ${MISSING}`);
  }
  if (typeof v !== 'string') throw new Json6902Error(`json: cannot unmarshal ${goJsonType(v)} into Go value of type string`);
  return v;
}

function goJsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

function opValue(op: Record<string, unknown>): OpValue {
  return Object.hasOwn(op, 'value') ? { present: true, value: clone(op.value as Json) } : { present: false };
}

const valueOrNull = (v: OpValue): Json => (v.present ? v.value : null);

function clone(v: Json): Json {
  if (Array.isArray(v)) return v.map(clone);
  if (isObject(v)) {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) defineKey(out, k, clone(x));
    return out;
  }
  return v === undefined ? null : v;
}

/** lazyNode.equal, for values that went through JSON. */
function jsonEqual(a: Json, b: Json): boolean {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k]!, b[k]!));
  }
  return a === b;
}

/** What each operation wraps a failure to read its path with. */
function readPath(kind: string, op: Record<string, unknown>): string {
  try {
    return stringField(op, 'path');
  } catch (e) {
    // add, remove and copy replace the reason with ErrMissing; the others wrap it
    const reason = kind === 'add' || kind === 'remove' || kind === 'copy' ? MISSING : (e as Error).message;
    throw new Json6902Error(`${kind} operation failed to decode path: ${reason}`);
  }
}

function readFrom(kind: string, op: Record<string, unknown>): string {
  try {
    return stringField(op, 'from');
  } catch (e) {
    throw new Json6902Error(`${kind} operation failed to decode from: ${(e as Error).message}`);
  }
}

function wrap<T>(prefix: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Json6902Error) throw new Json6902Error(`${prefix}${e.message}`);
    throw e;
  }
}

/** Applies one operation; returns the document (a `replace` of "" swaps it). */
function applyOp(doc: Container, op: Record<string, unknown>): Container {
  const kind = typeof op.op === 'string' ? op.op : 'unknown';
  switch (kind) {
    case 'add': {
      const path = readPath('add', op);
      const at = findObject(doc, path);
      if (!at) throw new Json6902Error(`add operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      wrap(`error in add for path: '${path}': `, () => add(at[0], at[1], valueOrNull(opValue(op))));
      return doc;
    }
    case 'remove': {
      const path = readPath('remove', op);
      const at = findObject(doc, path);
      if (!at) throw new Json6902Error(`remove operation does not apply: doc is missing path: "${path}": ${MISSING}`);
      wrap(`error in remove for path: '${path}': `, () => remove(at[0], at[1]));
      return doc;
    }
    case 'replace': {
      const path = readPath('replace', op);
      if (path === '') {
        const v = opValue(op);
        if (!v.present) throw new Json6902Error('replace operation hit impossible case: value is missing');
        if (v.value === null || typeof v.value !== 'object') {
          throw new Json6902Error('replace operation value must be object or array: %!w(<nil>)');
        }
        return v.value;
      }
      const at = findObject(doc, path);
      if (!at) throw new Json6902Error(`replace operation does not apply: doc is missing path: ${path}: ${MISSING}`);
      try {
        get(at[0], at[1]);
      } catch {
        throw new Json6902Error(`replace operation does not apply: doc is missing key: ${path}: ${MISSING}`);
      }
      wrap(`error in remove for path: '${path}': `, () => set(at[0], at[1], valueOrNull(opValue(op))));
      return doc;
    }
    case 'move': {
      const from = readFrom('move', op);
      const src = findObject(doc, from);
      if (!src) throw new Json6902Error(`move operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const val = wrap(`error in move for path: '${src[1]}': `, () => get(src[0], src[1]));
      wrap(`error in move for path: '${src[1]}': `, () => remove(src[0], src[1]));
      let path: string;
      try {
        path = stringField(op, 'path');
      } catch (e) {
        throw new Json6902Error(`move operation failed to decode path: ${(e as Error).message}`);
      }
      const dst = findObject(doc, path);
      if (!dst) throw new Json6902Error(`move operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      wrap(`error in move for path: '${path}': `, () => add(dst[0], dst[1], val ?? null));
      return doc;
    }
    case 'test': {
      const path = readPath('test', op);
      const v = opValue(op);
      if (path === '') {
        if (v.present && jsonEqual(doc, v.value)) return doc;
        throw new Json6902Error(`testing value ${path} failed: ${TEST_FAILED}`);
      }
      const at = findObject(doc, path);
      if (!at) throw new Json6902Error(`test operation does not apply: is missing path: ${path}: ${MISSING}`);
      const val = wrap(`error in test for path: '${path}': `, () => get(at[0], at[1]));
      if (val === undefined || val === null) {
        // a missing or null value passes against a missing or null "value"
        if (!v.present || v.value === null) return doc;
        throw new Json6902Error(`testing value ${path} failed: ${TEST_FAILED}`);
      }
      if (v.present && jsonEqual(val, v.value)) return doc;
      throw new Json6902Error(`testing value ${path} failed: ${TEST_FAILED}`);
    }
    case 'copy': {
      const from = readFrom('copy', op);
      const src = findObject(doc, from);
      if (!src) throw new Json6902Error(`copy operation does not apply: doc is missing from path: ${from}: ${MISSING}`);
      const val = wrap(`error in copy for from: '${from}': `, () => get(src[0], src[1]));
      const path = readPath('copy', op);
      const dst = findObject(doc, path);
      if (!dst) throw new Json6902Error(`copy operation does not apply: doc is missing destination path: ${path}: ${MISSING}`);
      wrap('error while adding value during copy: ', () => add(dst[0], dst[1], clone(val ?? null)));
      return doc;
    }
    default:
      throw new Json6902Error(`Unexpected kind: ${kind}`);
  }
}

/** Every map's keys in Go's order (json.Marshal of a map sorts them bytewise). */
function sortKeysDeep(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeysDeep);
  if (!isObject(v)) return v;
  const out: { [k: string]: Json } = {};
  const keys = Object.keys(v).sort(compareGoStrings);
  for (const k of keys) defineKey(out, k, sortKeysDeep(v[k]!));
  return out;
}

/**
 * Applies RFC 6902 operations to a resource as `kubectl kustomize` does (patches with a JSON
 * patch, patchesJson6902). `ops` is the decoded patch: a list of operation objects. Throws
 * {@link Json6902Error} with kustomize's message when an operation fails.
 */
export function applyJson6902(target: Record<string, unknown>, ops: unknown[]): Record<string, unknown> {
  if (!Array.isArray(ops)) throw new Json6902Error(`json: cannot unmarshal ${goJsonType(ops)} into Go value of type jsonpatch.Patch`);
  let doc: Container = clone(target as Json) as Container;
  for (const op of ops) {
    if (!isObject(op)) {
      throw new Json6902Error(`json: cannot unmarshal ${op === null ? 'null' : goJsonType(op)} into Go value of type jsonpatch.Operation`);
    }
    doc = applyOp(doc, op);
  }
  // patchjson6902.Filter reads the result back into a map
  if (!isObject(doc)) throw new Json6902Error('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return sortKeysDeep(doc) as Record<string, unknown>;
}
