import { goQuote } from '../goruntime/index.js';
import { goTypeName, sortedKeys, sprint } from '../gotemplate/index.js';
import type { Chart, GoMap } from './types.js';
import { ValuesError } from './internal/errors.js';
import { setKey } from './internal/goyaml.js';
import { GLOBAL_KEY, isTable } from './values.js';

/**
 * Coalescing chart defaults with user values, as helm's pkg/chartutil/coalesce.go does it:
 *
 * - values the user gave win over the chart's defaults; maps merge, everything else replaces;
 * - each subchart's defaults go under the subchart's name (its alias once dependencies are
 *   processed) and are coalesced with what the parent and the user set there;
 * - `global` is copied down into every subchart (a parent's globals win over the subchart's);
 * - CoalesceValues deletes a key whose user value is null (so `--set a=null` removes a default),
 *   MergeValues keeps nulls (helm uses it while processing dependencies).
 *
 * Helm logs type conflicts with log.Printf; here they are collected in `warnings`, with helm's
 * text (e.g. "warning: skipped value for mychart.image: Not a table."). Go visits map keys in
 * random order; keys are visited sorted here, so warnings come out in a stable order.
 *
 * The code follows helm's line by line, including where it shares nested maps between the
 * parent's and a subchart's `global` (helm then shows a subchart's nested global defaults in
 * its parent too); do not "fix" that without checking `helm template`.
 */

/** Options for coalescing. */
export interface CoalesceOptions {
  /** Receives helm's coalesce warnings, in the order they happen. @default discarded */
  warnings?: string[];
}

type Printf = (message: string) => void;

function printer(options: CoalesceOptions | undefined): Printf {
  const sink = options?.warnings;
  return sink ? (m) => sink.push(m) : () => undefined;
}

/** copystructure.Copy of values: maps and slices copied all the way down. */
export function deepCopyValues<T>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopyValues(x)) as T;
  if (isTable(v)) {
    const out: GoMap = {};
    for (const [k, x] of Object.entries(v)) setKey(out, k, deepCopyValues(x));
    return out as T;
  }
  return v;
}

function concatPrefix(a: string, b: string): string {
  return a === '' ? b : `${a}.${b}`;
}

/**
 * chartutil.CoalesceValues: the chart's values (and its subcharts', under their names)
 * coalesced with `userValues`; null user values delete keys. Neither argument is changed.
 * Throws ValuesError when a subchart's key holds a non-map ("type mismatch on NAME: ...").
 */
export function coalesceValues(chart: Chart, userValues: GoMap | null | undefined, options?: CoalesceOptions): GoMap {
  return coalesce(printer(options), chart, deepCopyValues(userValues ?? {}), '', false);
}

/** chartutil.MergeValues: as coalesceValues, but null values are kept. */
export function mergeChartValues(chart: Chart, userValues: GoMap | null | undefined, options?: CoalesceOptions): GoMap {
  return coalesce(printer(options), chart, deepCopyValues(userValues ?? {}), '', true);
}

/** chartutil.CoalesceTables: merges `src` into `dst` (dst wins; nulls in dst delete keys src has); changes and returns dst. */
export function coalesceTables(dst: GoMap | null, src: GoMap | null, options?: CoalesceOptions): GoMap | null {
  return coalesceTablesFullKey(printer(options), dst, src, '', false);
}

/** chartutil.MergeTables: as coalesceTables, but nulls are kept. */
export function mergeTables(dst: GoMap | null, src: GoMap | null, options?: CoalesceOptions): GoMap | null {
  return coalesceTablesFullKey(printer(options), dst, src, '', true);
}

function coalesce(printf: Printf, ch: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  coalesceChartValues(printf, ch, dest, prefix, merge);
  return coalesceDeps(printf, ch, dest, prefix, merge);
}

/** fmt's %t of a non-bool, as helm's "type mismatch" error prints it. */
function formatT(v: unknown): string {
  if (typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return '%!t(<nil>)';
  if (Array.isArray(v)) return `[${v.map(formatT).join(' ')}]`;
  if (isTable(v)) return `map[${sortedKeys(v).map((k) => `%!t(string=${k}):${formatT(v[k])}`).join(' ')}]`;
  return `%!t(${goTypeName(v)}=${sprint(v)})`;
}

function coalesceDeps(printf: Printf, chrt: Chart, dest: GoMap, prefix: string, merge: boolean): GoMap {
  for (const subchart of chrt.dependencies) {
    const name = subchart.metadata.name;
    if (!Object.hasOwn(dest, name)) {
      setKey(dest, name, {});
    } else if (!isTable(dest[name])) {
      throw new ValuesError(`type mismatch on ${name}: ${formatT(dest[name])}`);
    }
    const dvmap = dest[name] as GoMap;
    const subPrefix = concatPrefix(prefix, chrt.metadata.name);
    coalesceGlobals(printf, dvmap, dest, subPrefix);
    setKey(dest, name, coalesce(printf, subchart, dvmap, subPrefix, merge));
  }
  return dest;
}

/** coalesceGlobals: copies the globals of `src` into `dest` (src's win); returns nothing. */
function coalesceGlobals(printf: Printf, dest: GoMap, src: GoMap, prefix: string): void {
  let dg: GoMap;
  let sg: GoMap;
  if (!Object.hasOwn(dest, GLOBAL_KEY)) {
    dg = {};
  } else if (isTable(dest[GLOBAL_KEY])) {
    dg = dest[GLOBAL_KEY];
  } else {
    printf(`warning: skipping globals because destination ${GLOBAL_KEY} is not a table.`);
    return;
  }
  if (!Object.hasOwn(src, GLOBAL_KEY)) {
    sg = {};
  } else if (isTable(src[GLOBAL_KEY])) {
    sg = src[GLOBAL_KEY];
  } else {
    printf(`warning: skipping globals because source ${GLOBAL_KEY} is not a table.`);
    return;
  }
  for (const key of sortedKeys(sg)) {
    const val = sg[key];
    if (isTable(val)) {
      // A shallow copy, as helm's copyMap: nested maps stay shared with the source.
      const vv: GoMap = { ...val };
      if (!Object.hasOwn(dg, key)) {
        setKey(dg, key, vv);
      } else {
        const destv = dg[key];
        if (!isTable(destv)) {
          printf(`Conflict: cannot merge map onto non-map for ${goQuote(key)}. Skipping.`);
        } else {
          coalesceTablesFullKey(printf, vv, destv, concatPrefix(prefix, key), true);
          setKey(dg, key, vv);
        }
      }
    } else if (Object.hasOwn(dg, key) && isTable(dg[key])) {
      printf(`key ${key} is table. Skipping`);
    } else {
      setKey(dg, key, val);
    }
  }
  setKey(dest, GLOBAL_KEY, dg);
}

function childChartMergeTrue(chrt: Chart, key: string, merge: boolean): boolean {
  return chrt.dependencies.some((s) => s.metadata.name === key) ? true : merge;
}

/** coalesceValues of coalesce.go: the chart's own defaults into `v` (v wins). */
function coalesceChartValues(printf: Printf, c: Chart, v: GoMap, prefix: string, merge: boolean): void {
  const subPrefix = concatPrefix(prefix, c.metadata.name);
  const vc = deepCopyValues(c.values ?? {});
  for (const key of sortedKeys(vc)) {
    const val = vc[key];
    if (Object.hasOwn(v, key)) {
      const value = v[key];
      if (value === null && !merge) {
        // A null from the user removes the key (and the chart's default with it).
        delete v[key];
      } else if (isTable(value)) {
        if (!isTable(val)) {
          if (val !== null && val !== undefined) printf(`warning: skipped value for ${subPrefix}.${key}: Not a table.`);
        } else {
          coalesceTablesFullKey(printf, value, val, concatPrefix(subPrefix, key), childChartMergeTrue(c, key, merge));
        }
      }
    } else {
      setKey(v, key, val);
    }
  }
}

/** coalesceTablesFullKey: `src` into `dst`, dst authoritative; changes dst (and, as helm does, src). */
function coalesceTablesFullKey(printf: Printf, dst: GoMap | null, src: GoMap | null, prefix: string, merge: boolean): GoMap | null {
  if (src === null || src === undefined) return dst;
  if (dst === null || dst === undefined) return src;
  const srcOriginalNonNil = new Set(Object.keys(src).filter((k) => src[k] !== null && src[k] !== undefined));
  for (const key of Object.keys(dst)) {
    if (dst[key] === null) setKey(src, key, null);
  }
  for (const key of sortedKeys(src)) {
    const val = src[key];
    const fullkey = concatPrefix(prefix, key);
    const ok = Object.hasOwn(dst, key);
    const dv = dst[key];
    if (ok && !merge && dv === null && srcOriginalNonNil.has(key)) {
      // The user nulled a chart default: remove the key.
      delete dst[key];
    } else if (!ok) {
      setKey(dst, key, val);
    } else if (isTable(val)) {
      if (isTable(dv)) {
        coalesceTablesFullKey(printf, dv, val, fullkey, merge);
      } else {
        printf(`warning: cannot overwrite table with non table for ${fullkey} (${sprint(val)})`);
      }
    } else if (isTable(dv) && val !== null) {
      printf(`warning: destination for ${fullkey} is a table. Ignoring non-table value (${sprint(val)})`);
    }
  }
  return dst;
}
