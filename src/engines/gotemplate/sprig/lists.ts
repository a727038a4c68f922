/**
 * sprig's list functions (list.go). They accept any slice (reflect), return []interface{},
 * and fail like sprig: the must* variants return an error ("Cannot find first on type
 * string"), the others panic with the same text; a nil list panics with a nil dereference
 * because sprig calls reflect.TypeOf(nil).Kind().
 */
import { compareGoStrings } from '../../goruntime/index.js';
import { GoFuncError, defineFunc, stringSlice, withElemType, type GoFunc } from '../values.js';
import { strslice, strval, toInt64 } from './conversion.js';
import { deepEqual, isEmptyValue, sameTypeSlice, sliceElements, typeKind } from './internal/reflect.js';

/**
 * Defines NAME and mustNAME from one body that fails with a Go error (GoFuncError):
 * mustNAME returns that error, NAME panics with its text, as sprig's `panic(err)` does.
 */
function pair(name: string, params: Parameters<typeof defineFunc>[1], body: (...args: never[]) => unknown, variadic?: 'any'): GoFunc[] {
  const mustName = 'must' + name[0]!.toUpperCase() + name.slice(1);
  const panicking = (...args: never[]) => {
    try {
      return body(...args);
    } catch (e) {
      if (e instanceof GoFuncError) throw new Error(e.message, { cause: e });
      throw e;
    }
  };
  return [defineFunc(name, params, panicking, variadic), defineFunc(mustName, params, body, variadic)];
}

/** The elements of a list argument, or the error sprig returns for a non-list. */
function elements(list: unknown, message: (kind: string) => string): readonly unknown[] {
  const kind = typeKind(list);
  const items = sliceElements(list);
  if (items === undefined) throw new GoFuncError(message(kind));
  return items;
}

function chunk(size: bigint, list: unknown): unknown[][] {
  const items = elements(list, (k) => `Cannot chunk type ${k}`);
  const l = items.length;
  const sz = Number(size);
  // sprig computes the chunk count in float64; int(±Inf or NaN) is negative on amd64
  const cs = Math.floor((l - 1) / sz) + 1;
  const outOfRange = () => new Error('runtime error: makeslice: len out of range');
  if (!Number.isFinite(cs) || cs < 0) throw outOfRange();
  const out: unknown[][] = [];
  for (let i = 0; i < cs; i++) {
    let clen = sz;
    if (i === cs - 1) {
      clen = Math.floor(l % sz);
      if (clen === 0) clen = sz;
    }
    if (clen < 0 || !Number.isFinite(clen)) throw outOfRange();
    const row: unknown[] = [];
    for (let j = 0; j < clen; j++) {
      const ix = i * sz + j;
      if (ix < 0 || ix >= l) throw new Error('reflect: slice index out of range');
      row.push(items[ix]);
    }
    out.push(row);
  }
  return withElemType(out, '[]interface {}');
}

function slice(list: unknown, ...indices: unknown[]): unknown {
  const items = elements(list, (k) => `list should be type of slice or array but ${k}`);
  const l = items.length;
  if (l === 0) return null;
  const start = indices.length > 0 ? Number(toInt64(indices[0])) : 0;
  const end = indices.length < 2 ? l : Number(toInt64(indices[1]));
  if (start < 0 || end < start || end > l) throw new Error('reflect.Value.Slice: slice index out of bounds');
  return sameTypeSlice(list, items.slice(start, end));
}

/** sprig sortAlpha: a []string is sorted in place, as sort.StringSlice(a).Sort() does. */
function sortAlpha(list: unknown): string[] {
  if (sliceElements(list) !== undefined) {
    const a = strslice(list);
    a.sort(compareGoStrings);
    return a;
  }
  return stringSlice([strval(list)]);
}

/** The list functions. */
export function listFuncs(): GoFunc[] {
  return [
    defineFunc('list', [], (...v: unknown[]) => v, 'any'),
    defineFunc('tuple', [], (...v: unknown[]) => v, 'any'),
    ...pair('push', ['any', 'any'], (list: unknown, v: unknown) => [...elements(list, (k) => `Cannot push on type ${k}`), v]),
    ...pair('append', ['any', 'any'], (list: unknown, v: unknown) => [...elements(list, (k) => `Cannot push on type ${k}`), v]),
    ...pair('prepend', ['any', 'any'], (list: unknown, v: unknown) => [v, ...elements(list, (k) => `Cannot prepend on type ${k}`)]),
    ...pair('first', ['any'], (list: unknown) => {
      const items = elements(list, (k) => `Cannot find first on type ${k}`);
      return items.length === 0 ? null : items[0];
    }),
    ...pair('rest', ['any'], (list: unknown) => elements(list, (k) => `Cannot find rest on type ${k}`).slice(1)),
    ...pair('last', ['any'], (list: unknown) => {
      const items = elements(list, (k) => `Cannot find last on type ${k}`);
      return items.length === 0 ? null : items[items.length - 1];
    }),
    ...pair('initial', ['any'], (list: unknown) => elements(list, (k) => `Cannot find initial on type ${k}`).slice(0, -1)),
    ...pair('reverse', ['any'], (list: unknown) => [...elements(list, (k) => `Cannot find reverse on type ${k}`)].reverse()),
    ...pair('uniq', ['any'], (list: unknown) => {
      const out: unknown[] = [];
      for (const item of elements(list, (k) => `Cannot find uniq on type ${k}`)) {
        if (!out.some((x) => deepEqual(item, x))) out.push(item);
      }
      return out;
    }),
    ...pair(
      'without',
      ['any'],
      (list: unknown, ...omit: unknown[]) =>
        elements(list, (k) => `Cannot find without on type ${k}`).filter((item) => !omit.some((o) => deepEqual(item, o))),
      'any',
    ),
    ...pair('has', ['any', 'any'], (needle: unknown, haystack: unknown) => {
      if (haystack === null || haystack === undefined) return false;
      return elements(haystack, (k) => `Cannot find has on type ${k}`).some((item) => deepEqual(needle, item));
    }),
    ...pair('slice', ['any'], slice, 'any'),
    ...pair('chunk', ['int', 'any'], chunk),
    ...pair('compact', ['any'], (list: unknown) => elements(list, (k) => `Cannot compact on type ${k}`).filter((x) => !isEmptyValue(x))),
    defineFunc(
      'concat',
      [],
      (...lists: unknown[]) => {
        const out: unknown[] = [];
        for (const list of lists) {
          const kind = typeKind(list);
          const items = sliceElements(list);
          if (items === undefined) throw new Error(`Cannot concat type ${kind} as list`);
          out.push(...items);
        }
        return out;
      },
      'any',
    ),
    defineFunc('sortAlpha', ['any'], sortAlpha),
  ];
}

