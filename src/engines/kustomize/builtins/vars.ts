/**
 * The deprecated `vars` (api/types/var.go, api/internal/accumulator MergeVars and
 * ResolveVars, api/filters/refvar): each var names a field of one resource; at the end of
 * the build `$(NAME)` in the varReference field specs is replaced by that field's value.
 */
import { formatFloatG } from '../../goruntime/index.js';
import { KustomizeError } from '../errors.js';
import { applyFieldSpecs } from '../internal/fieldspec.js';
import { convertSliceIndex, lookupRef, smarterPathSplitter } from '../internal/paths.js';
import { rootRef } from '../internal/fieldspec.js';
import { isPlainObject } from '../internal/yaml-read.js';
import type { FieldSpec, VarSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import { effectiveNamespace, gvkEquals, gvkString, type ResId } from '../resid.js';
import { deepCopyValue } from '../resource.js';

/** A var after Var.Defaulting: the field path defaulted and the objref's apiVersion split. */
export interface Var {
  name: string;
  objref: { apiVersion: string; group: string; version: string; kind: string; name: string; namespace: string };
  fieldPath: string;
}

export function defaultVar(v: VarSpec): Var {
  const o = v.objref ?? {};
  let group = o.group ?? '';
  let version = o.version ?? '';
  const apiVersion = o.apiVersion ?? '';
  if (apiVersion !== '') {
    const parts = apiVersion.split('/');
    if (parts.length === 2) [group, version] = parts as [string, string];
    if (parts.length === 1) version = parts[0]!;
  }
  return {
    name: v.name ?? '',
    objref: { apiVersion, group, version, kind: o.kind ?? '', name: o.name ?? '', namespace: o.namespace ?? '' },
    fieldPath: v.fieldref?.fieldPath || 'metadata.name',
  };
}

/** Go's %v of a (defaulted) types.Var: the objref prints through its promoted Gvk.String(). */
export function varString(v: Var): string {
  const o = v.objref;
  return `{${v.name} ${gvkString({ group: o.group, version: o.version, kind: o.kind })} {${v.fieldPath}}}`;
}

/** types.VarSet. */
export class VarSet {
  private readonly vars = new Map<string, Var>();

  merge(v: Var): void {
    if (this.vars.has(v.name)) throw new KustomizeError(`var '${v.name}' already encountered`);
    this.vars.set(v.name, v);
  }

  mergeSet(other: VarSet): void {
    for (const v of other.vars.values()) this.merge(v);
  }

  /** Sorted by name. */
  asSlice(): Var[] {
    return [...this.vars.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  get size(): number {
    return this.vars.size;
  }
}

/** ResAccumulator.MergeVars: each var is attached to the one resource it names. */
export function mergeVars(m: ResMap, set: VarSet, incoming: readonly VarSpec[]): void {
  for (const spec of incoming) {
    const v = defaultVar(spec);
    const target: ResId = { gvk: { group: v.objref.group, version: v.objref.version, kind: v.objref.kind }, name: v.objref.name, namespace: v.objref.namespace };
    const matcher =
      target.namespace !== ''
        ? (id: ResId) => id.name === target.name && gvkEquals(id.gvk, target.gvk) && effectiveNamespace(id) === effectiveNamespace(target)
        : (id: ResId) => id.name === target.name && gvkEquals(id.gvk, target.gvk);
    const matched = m.getMatchingResourcesByAnyId(matcher);
    if (matched.length > 1) throw new KustomizeError(`found ${matched.length} resId matches for var ${varString(v)} (unable to disambiguate)`);
    if (matched.length === 1) matched[0]!.refVarNames.push(v.name);
  }
  for (const spec of incoming) set.merge(defaultVar(spec));
}

/** RNode.GetFieldValue for a var: the field's value, typed as yaml.v3 decodes it. */
function fieldValue(obj: Record<string, unknown>, path: string): unknown {
  const ref = lookupRef(rootRef(obj), convertSliceIndex(smarterPathSplitter(path, '.')));
  if (!ref) throw new KustomizeError(`no field named '${path}'`);
  const v = ref.get();
  if (v === null) return '';
  return deepCopyValue(v);
}

function isPrimitive(v: unknown): boolean {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

function printValue(v: unknown): string {
  if (typeof v === 'number' && !Number.isInteger(v)) return formatFloatG(v, 64);
  return String(v);
}

/** refvar.DoReplacements: `$(NAME)` replaced, `$$` an escaped `$`; a whole-value reference keeps the value's type. */
export function doReplacements(input: string, mapping: (key: string) => unknown): unknown {
  let buf = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === '$' && cursor + 1 < input.length) {
      buf += input.slice(checkpoint, cursor);
      const rest = input.slice(cursor + 1);
      let read: string;
      let isVar = false;
      let advance: number;
      if (rest[0] === '$') {
        read = '$';
        advance = 1;
      } else if (rest[0] === '(') {
        const close = rest.indexOf(')', 1);
        if (close >= 1) {
          read = rest.slice(1, close);
          isVar = true;
          advance = close + 1;
        } else {
          read = '$(';
          advance = 1;
        }
      } else {
        read = `$${rest[0]!}`;
        advance = 1;
      }
      if (isVar) {
        const mapped = mapping(read);
        if (input === `$(${read})`) return mapped;
        buf += printValue(mapped);
      } else {
        buf += read;
      }
      cursor += advance;
      checkpoint = cursor + 1;
    }
  }
  return buf + input.slice(checkpoint);
}

/** ResAccumulator.ResolveVars: returns the names of vars never used. */
export function resolveVars(m: ResMap, vars: VarSet, fieldSpecs: readonly FieldSpec[]): string[] {
  const values = new Map<string, unknown>();
  const resources = m.resources();
  for (const v of vars.asSlice()) {
    const res = resources.find((r) => r.refVarNames.includes(v.name));
    if (!res) throw new KustomizeError(`var '${varString(v)}' cannot be mapped to a field in the set of known resources`);
    try {
      values.set(v.name, fieldValue(res.obj, v.fieldPath));
    } catch {
      throw new KustomizeError(`field specified in var '${varString(v)}' not found in corresponding resource`);
    }
  }
  if (values.size === 0) return [];
  const counts = new Map<string, number>();
  const mapping = (key: string): unknown => {
    if (values.has(key)) {
      const value = values.get(key);
      if (isPrimitive(value)) {
        counts.set(key, (counts.get(key) ?? 0) + 1);
        return value;
      }
    }
    return `$(${key})`;
  };
  const replace = (s: string): unknown => doReplacements(s, mapping);
  for (const r of resources) {
    applyFieldSpecs(r.obj, fieldSpecs, (ref) => {
      const node = ref.get();
      if (node === null || node === undefined) return;
      if (typeof node === 'string') {
        ref.set(replace(node));
      } else if (isPlainObject(node)) {
        for (const [k, x] of Object.entries(node)) if (typeof x === 'string') node[k] = replace(x);
      } else if (Array.isArray(node)) {
        node.forEach((x, i) => {
          if (typeof x !== 'string') throw new KustomizeError('invalid value type expect a string');
          node[i] = replace(x);
        });
      }
    });
  }
  return [...values.keys()].filter((k) => !counts.has(k)).sort();
}
