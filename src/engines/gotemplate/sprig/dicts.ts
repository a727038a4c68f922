/**
 * sprig's dict functions (dict.go): dict, get, set, unset, hasKey, pluck, keys, pick, omit,
 * values, dig, merge* (dario.cat/mergo semantics, see internal/mergo.ts) and deepCopy
 * (mitchellh/copystructure). Go iterates maps in random order; keys and values come out in
 * sorted key order here, which is one of the orders Go may produce.
 */
import { GoFunc, GoStruct, GoTime, defineFunc, elemType, goTypeName, isGoMap, sortedKeys, stringSlice, withElemType, type GoMap } from '../values.js';
import { strval } from './conversion.js';
import { mergeInto } from './internal/mergo.js';
import { hasEntry, setEntry } from './internal/reflect.js';

/** A nil map[string]interface{} argument behaves as an empty map for reads. */
function entries(d: GoMap | null | undefined): GoMap {
  return d ?? {};
}

/** Go's type assertion v.(map[string]interface{}), panicking as Go does. */
function assertMap(v: unknown): GoMap {
  if (isGoMap(v) && elemType(v) === 'interface {}') return v;
  const dynamic = v === null || v === undefined ? 'nil' : goTypeName(v);
  throw new Error(`interface conversion: interface {} is ${dynamic}, not map[string]interface {}`);
}

function assertString(v: unknown): string {
  if (typeof v === 'string') return v;
  const dynamic = v === null || v === undefined ? 'nil' : goTypeName(v);
  throw new Error(`interface conversion: interface {} is ${dynamic}, not string`);
}

function dig(...ps: unknown[]): unknown {
  if (ps.length < 3) throw new Error('dig needs at least three arguments');
  let dict = assertMap(ps[ps.length - 1]);
  const def = ps[ps.length - 2];
  const keys = ps.slice(0, -2).map(assertString);
  for (let i = 0; ; i++) {
    const k = keys[i]!;
    if (!hasEntry(dict, k)) return def;
    if (i === keys.length - 1) return dict[k];
    dict = assertMap(dict[k]);
  }
}

/** mitchellh/copystructure.Copy for template values; nil panics inside reflect, as in Go. */
export function deepCopyValue(v: unknown): unknown {
  if (v === undefined || v === null) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  return copyValue(v);
}

function copyValue(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return v.slice();
  if (v instanceof GoTime || v instanceof GoFunc) return v;
  if (v instanceof GoStruct) {
    const fields: Record<string, unknown> = {};
    for (const [k, f] of Object.entries(v.fields)) fields[k] = copyValue(f);
    return new GoStruct(v.typeName, fields, v.methods, v.json, v.stringer);
  }
  if (Array.isArray(v)) {
    const out = v.map(copyValue);
    const elem = elemType(v);
    return elem === 'interface {}' ? out : withElemType(out, elem);
  }
  const m = v as GoMap;
  const out: GoMap = {};
  for (const k of Object.keys(m)) setEntry(out, k, copyValue(m[k]));
  const elem = elemType(m);
  return elem === 'interface {}' ? out : withElemType(out, elem);
}

function merge(overwrite: boolean, dst: GoMap | null, ...srcs: (GoMap | null)[]): GoMap {
  // mergo makes a nil destination map before merging a non-nil source into it.
  const target = dst ?? {};
  for (const src of srcs) if (src !== null && src !== undefined) mergeInto(target, src, overwrite);
  return target;
}

/** The dict functions. */
export function dictFuncs(): GoFunc[] {
  return [
    defineFunc(
      'dict',
      [],
      (...v: unknown[]) => {
        const d: GoMap = {};
        for (let i = 0; i < v.length; i += 2) setEntry(d, strval(v[i]), i + 1 < v.length ? v[i + 1] : '');
        return d;
      },
      'any',
    ),
    defineFunc('get', ['map', 'string'], (d: GoMap | null, key: string) => (hasEntry(d, key) ? d![key] : '')),
    defineFunc('set', ['map', 'string', 'any'], (d: GoMap | null, key: string, value: unknown) => {
      if (d === null || d === undefined) throw new Error('assignment to entry in nil map');
      setEntry(d, key, value);
      return d;
    }),
    defineFunc('unset', ['map', 'string'], (d: GoMap | null, key: string) => {
      if (d === null || d === undefined) return {};
      if (hasEntry(d, key)) delete d[key];
      return d;
    }),
    defineFunc('hasKey', ['map', 'string'], (d: GoMap | null, key: string) => hasEntry(d, key)),
    defineFunc(
      'pluck',
      ['string'],
      (key: string, ...ds: (GoMap | null)[]) => ds.filter((d) => hasEntry(d, key)).map((d) => d![key]),
      'map',
    ),
    defineFunc('keys', [], (...ds: (GoMap | null)[]) => stringSlice(ds.flatMap((d) => sortedKeys(entries(d)))), 'map'),
    defineFunc(
      'pick',
      ['map'],
      (d: GoMap | null, ...keys: string[]) => {
        const out: GoMap = {};
        for (const k of keys) if (hasEntry(d, k)) setEntry(out, k, d![k]);
        return out;
      },
      'string',
    ),
    defineFunc(
      'omit',
      ['map'],
      (d: GoMap | null, ...keys: string[]) => {
        const drop = new Set(keys);
        const out: GoMap = {};
        for (const k of Object.keys(entries(d))) if (!drop.has(k)) setEntry(out, k, d![k]);
        return out;
      },
      'string',
    ),
    defineFunc('values', ['map'], (d: GoMap | null) => sortedKeys(entries(d)).map((k) => d![k])),
    defineFunc('merge', ['map'], (dst: GoMap | null, ...srcs: (GoMap | null)[]) => merge(false, dst, ...srcs), 'map'),
    defineFunc('mustMerge', ['map'], (dst: GoMap | null, ...srcs: (GoMap | null)[]) => merge(false, dst, ...srcs), 'map'),
    defineFunc('mergeOverwrite', ['map'], (dst: GoMap | null, ...srcs: (GoMap | null)[]) => merge(true, dst, ...srcs), 'map'),
    defineFunc('mustMergeOverwrite', ['map'], (dst: GoMap | null, ...srcs: (GoMap | null)[]) => merge(true, dst, ...srcs), 'map'),
    defineFunc('dig', [], dig, 'any'),
    // copystructure returns no error for template values, so deepCopy never adds its "deepCopy error: " prefix.
    defineFunc('deepCopy', ['any'], deepCopyValue),
    defineFunc('mustDeepCopy', ['any'], deepCopyValue),
  ];
}
