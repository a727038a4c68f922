/**
 * `behavior: merge` and `behavior: replace` of a generator over an object that already
 * exists: api/resmap/reswrangler.go appendReplaceOrMerge with resource/resource.go
 * CopyMergeMetaDataFieldsFrom, MergeDataMapFrom and MergeBinaryDataMapFrom.
 */
import { sortGoStrings } from '../../goruntime/index.js';
import { setOwn } from './internal/go.js';
import { checkPrintableKeys } from './internal/make.js';

/** Annotations kustomize keeps from the existing object only (resource.go BuildAnnotations). */
const BUILD_ANNOTATIONS = [
  'internal.config.kubernetes.io/previousKinds',
  'internal.config.kubernetes.io/previousNames',
  'internal.config.kubernetes.io/prefixes',
  'internal.config.kubernetes.io/suffixes',
  'internal.config.kubernetes.io/previousNamespaces',
  'internal.config.kubernetes.io/allowNameChange',
  'internal.config.kubernetes.io/allowKindChange',
  'internal.config.kubernetes.io/refBy',
  'internal.config.kubernetes.io/generatorBehavior',
  'internal.config.kubernetes.io/needsHashSuffix',
  'internal.config.kubernetes.io/path',
  'internal.config.kubernetes.io/index',
  'internal.config.kubernetes.io/seqindent',
  'internal.config.kubernetes.io/id',
  'internal.config.kubernetes.io/annotations-migration-resource-id',
  'config.kubernetes.io/path',
  'config.kubernetes.io/index',
  'config.k8s.io/id',
  'internal.config.kubernetes.io/helm-generated',
];
const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';

type Obj = Record<string, unknown>;

/**
 * merge/replace of a generated ConfigMap/Secret into an existing one (behavior), as
 * kustomize does. The result is the generated object with:
 * - the existing object's name and namespace (no namespace when it has none);
 * - labels and annotations of both, the generated one's winning, sorted by key;
 * - for merge, also `data` and `binaryData` of both (the generated values winning,
 *   keys sorted, each map moved to the end and dropped when empty) and the existing
 *   object's `config.kubernetes.io/origin` annotation when it has one.
 * Everything else (`type`, `immutable`, …) is the generated object's. Neither input is changed.
 *
 * kustomize adds the name hash afterwards only when both the existing object and the
 * generator asked for one (an existing object from `resources` never does): the merged
 * annotations keep `needsHashSuffix` only if both carry it.
 * @throws GeneratorError for a key kustomize could not print (see generateConfigMap).
 */
export function mergeGenerated(existing: Obj, generated: Obj, behavior: 'merge' | 'replace'): Obj {
  const result = structuredClone(generated);
  const meta = ((result.metadata ??= {}) as Obj);
  const oldMeta = asObj(existing.metadata);

  setMapInMetadata(meta, 'labels', { ...stringMap(oldMeta.labels), ...stringMap(meta.labels) });

  const oldAnnotations = stringMap(oldMeta.annotations);
  const annotations = { ...oldAnnotations, ...stringMap(meta.annotations) };
  for (const key of BUILD_ANNOTATIONS) {
    if (Object.hasOwn(oldAnnotations, key)) setOwn(annotations, key, oldAnnotations[key]);
    else delete annotations[key];
  }
  setMapInMetadata(meta, 'annotations', annotations);

  meta.name = scalarString(oldMeta.name);
  const namespace = scalarString(oldMeta.namespace);
  if (namespace === '') delete meta.namespace;
  else meta.namespace = namespace;

  if (behavior === 'merge') {
    // SetDataMap / SetBinaryDataMap: clear the field, then load the merged map (sorted) at the end.
    for (const field of ['data', 'binaryData'] as const) {
      const merged = { ...stringMap(existing[field]), ...stringMap(result[field]) };
      delete result[field];
      if (Object.keys(merged).length > 0) result[field] = sortedMap(merged);
    }
    if (Object.hasOwn(oldAnnotations, ORIGIN_ANNOTATION)) {
      setMapInMetadata(meta, 'annotations', { ...stringMap(meta.annotations), [ORIGIN_ANNOTATION]: oldAnnotations[ORIGIN_ANNOTATION]! });
    }
  }
  // kyaml re-creates these keys untagged, even ones the existing object had quoted.
  checkPrintableKeys(result);
  return result;
}

/** kyaml setMapInMetadata: drop the field, then add it back (sorted) at the end unless empty. */
function setMapInMetadata(meta: Obj, field: string, m: Record<string, string>): void {
  delete meta[field];
  if (Object.keys(m).length > 0) meta[field] = sortedMap(m);
}

function sortedMap(m: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of sortGoStrings(Object.keys(m))) setOwn(out, k, m[k]);
  return out;
}

function asObj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

/** kyaml GetDataMap / GetLabels: each value's scalar text; a missing or non-map field is empty. */
function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, value] of Object.entries(asObj(v))) setOwn(out, k, scalarString(value));
  return out;
}

/** kyaml GetValue: a scalar's text; null, missing and non-scalars are "". */
function scalarString(v: unknown): string {
  if (v === null || v === undefined || typeof v === 'object') return '';
  return String(v);
}
