/**
 * builtinconfig.TransformerConfig (api/internal/plugins/builtinconfig): the field specs the
 * builtin transformers use, starting from the defaults, merged with `configurations` files
 * and CRD-derived name references, sorted by gvk as kustomize sorts them after each merge.
 */
import { KustomizeError } from '../errors.js';
import type { FieldSpec } from '../kustomization.js';
import { gvkIsLessThan, gvkIsSelected, type Gvk } from '../resid.js';
import { DEFAULT_TRANSFORMER_CONFIG, type NameBackReference, type TransformerConfigData } from './default-config.js';

export type { NameBackReference, TransformerConfigData };

export function fsGvk(fs: { group?: string; version?: string; kind?: string }): Gvk {
  return { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' };
}

/** FieldSpec.String(): `Kind.version.group:create:path`. */
export function fieldSpecString(fs: FieldSpec): string {
  const g = fsGvk(fs);
  return `${g.kind || '[noKind]'}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}:${fs.create ? 'true' : 'false'}:${fs.path ?? ''}`;
}

function effectivelyEquals(a: FieldSpec, b: FieldSpec): boolean {
  return gvkIsSelected(fsGvk(a), fsGvk(b)) && (a.path ?? '') === (b.path ?? '');
}

/** FsSlice.MergeOne: a spec equal to one present is dropped; a different `create` is an error. */
export function mergeOneFieldSpec(list: FieldSpec[], x: FieldSpec): FieldSpec[] {
  return mergeFieldSpecs(list, [x]);
}

/**
 * FsSlice.MergeAll. Specs are compared only with specs of the same path (effectivelyEquals
 * needs it), and a spec already in the list as the same object is skipped outright, so
 * merging the shared defaults again costs little.
 */
export function mergeFieldSpecs(list: FieldSpec[], incoming: readonly FieldSpec[]): FieldSpec[] {
  if (incoming.length === 0) return list;
  const present = new Set<FieldSpec>(list);
  const byPath = new Map<string, FieldSpec[]>();
  for (const f of list) {
    const k = f.path ?? '';
    const l = byPath.get(k);
    if (l) l.push(f);
    else byPath.set(k, [f]);
  }
  let out = list;
  for (const x of incoming) {
    if (present.has(x)) continue;
    const same = byPath.get(x.path ?? '') ?? [];
    const hit = same.find((f) => effectivelyEquals(f, x));
    if (hit) {
      if (!!hit.create !== !!x.create) throw new KustomizeError('conflicting fieldspecs');
      continue;
    }
    if (out === list) out = [...list];
    out.push(x);
    present.add(x);
    same.push(x);
    if (!byPath.has(x.path ?? '')) byPath.set(x.path ?? '', same);
  }
  return out;
}

function sortByGvk<T extends { group?: string; version?: string; kind?: string }>(list: T[]): T[] {
  // sort.Sort by Gvk.IsLessThan; ties keep their order.
  const keyed = list.map((x, i) => ({ x, i, g: fsGvk(x) }));
  let sorted = true;
  for (let i = 1; i < keyed.length && sorted; i++) if (gvkIsLessThan(keyed[i]!.g, keyed[i - 1]!.g)) sorted = false;
  if (sorted) return list;
  return keyed
    .sort((a, b) => {
      if (gvkIsLessThan(a.g, b.g)) return -1;
      if (gvkIsLessThan(b.g, a.g)) return 1;
      return a.i - b.i;
    })
    .map((e) => e.x);
}

function mergeBackReferences(list: NameBackReference[], incoming: readonly NameBackReference[]): NameBackReference[] {
  let out = list;
  const present = new Set(list);
  for (const other of incoming) {
    if (present.has(other)) continue;
    const g = fsGvk(other);
    let found = false;
    const next: NameBackReference[] = [];
    for (const c of out) {
      const cg = fsGvk(c);
      if (cg.group === g.group && cg.version === g.version && cg.kind === g.kind) {
        next.push({ ...c, fieldSpecs: mergeFieldSpecs(c.fieldSpecs, other.fieldSpecs) });
        found = true;
      } else next.push(c);
    }
    if (!found) next.push(other);
    out = next;
  }
  return out;
}

const KEYS = ['namePrefix', 'nameSuffix', 'namespace', 'commonAnnotations', 'commonLabels', 'labels', 'templateLabels', 'varReference', 'images', 'replicas'] as const;

const MERGE_NAMES: Record<(typeof KEYS)[number] | 'nameReference', string> = {
  namePrefix: 'NamePrefix',
  nameSuffix: 'NameSuffix',
  namespace: 'NameSpace',
  commonAnnotations: 'CommonAnnotations',
  commonLabels: 'CommonLabels',
  labels: 'Labels',
  templateLabels: 'TemplateLabels',
  varReference: 'VarReference',
  nameReference: 'NameReference',
  images: 'Images',
  replicas: 'Replicas',
};

export function emptyTransformerConfig(): TransformerConfigData {
  return {
    namePrefix: [],
    nameSuffix: [],
    namespace: [],
    commonLabels: [],
    labels: [],
    templateLabels: [],
    commonAnnotations: [],
    nameReference: [],
    varReference: [],
    images: [],
    replicas: [],
  };
}

/** TransformerConfig.sortFields. */
export function sortTransformerConfig(t: TransformerConfigData): TransformerConfigData {
  const out = emptyTransformerConfig();
  for (const k of KEYS) out[k] = sortByGvk(t[k]);
  out.nameReference = sortByGvk(t.nameReference);
  return out;
}

let defaultConfig: TransformerConfigData | undefined;

/** MakeDefaultConfig: the defaults, sorted. */
export function makeDefaultConfig(): TransformerConfigData {
  defaultConfig ??= sortTransformerConfig(DEFAULT_TRANSFORMER_CONFIG);
  return defaultConfig;
}

/** TransformerConfig.Merge: every list merged, then sorted. */
export function mergeTransformerConfig(a: TransformerConfigData, b: TransformerConfigData | undefined): TransformerConfigData {
  if (!b) return a;
  const merged = emptyTransformerConfig();
  for (const k of KEYS) {
    try {
      merged[k] = mergeFieldSpecs(a[k], b[k]);
    } catch (e) {
      throw (e as KustomizeError).wrap(`failed to merge ${MERGE_NAMES[k]} fieldSpec`);
    }
  }
  try {
    merged.nameReference = mergeBackReferences(a.nameReference, b.nameReference);
  } catch (e) {
    throw (e as KustomizeError).wrap('failed to merge NameReference fieldSpec');
  }
  return sortTransformerConfig(merged);
}

/** A decoded `configurations` file as TransformerConfigData (missing lists empty). */
export function transformerConfigFrom(decoded: Partial<TransformerConfigData> | undefined): TransformerConfigData {
  const t = emptyTransformerConfig();
  if (!decoded) return t;
  for (const k of KEYS) t[k] = (decoded[k] ?? []).map((f) => f ?? {});
  t.nameReference = (decoded.nameReference ?? []).map((n) => ({ ...n, fieldSpecs: (n?.fieldSpecs ?? []).map((f) => f ?? {}) }));
  return sortTransformerConfig(t);
}
