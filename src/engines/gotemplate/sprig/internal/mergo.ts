/**
 * dario.cat/mergo v1.0.1 Merge / MergeWithOverwrite for map[string]interface{} destinations,
 * as sprig's merge functions call it. Maps are merged in place and nested source maps are
 * shared, not copied, exactly as mergo does (merge.go deepMerge, map case).
 */
import { isGoMap, type GoMap } from '../../values.js';
import { hasEntry, isEmptyValue, setEntry } from './reflect.js';

function isSlice(v: unknown): boolean {
  return Array.isArray(v) || v instanceof Uint8Array;
}

/** Merges src into dst; `overwrite` is mergo.WithOverride. */
export function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean): void {
  for (const key of Object.keys(src)) {
    const s = src[key];
    const hasDst = hasEntry(dst, key);
    const d = hasDst ? dst[key] : undefined;
    if (s === null || s === undefined) {
      // A nil interface in src: only WithOverride copies it.
      if (overwrite) setEntry(dst, key, null);
      continue;
    }
    if (isGoMap(s)) {
      if (hasDst && isGoMap(d)) mergeInto(d, s, overwrite);
    } else if (isSlice(s)) {
      // mergo writes the slice (or the old value back) before deciding below.
      const dstEmpty = Object.keys(dst).length === 0;
      if (overwrite || dstEmpty) setEntry(dst, key, s);
      else setEntry(dst, key, hasDst && d !== null && d !== undefined ? d : []);
    }
    if (hasDst && !isEmptyValue(d)) {
      if (isSlice(s)) continue;
      if (isGoMap(s) && isGoMap(d)) continue;
    }
    if (overwrite || !hasDst || isEmptyValue(d)) setEntry(dst, key, s);
  }
}
