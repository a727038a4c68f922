/**
 * kustomize/smp — the two patch kinds of `kubectl kustomize`: strategic merge, as kyaml's merge2
 * does it for api/filters/patchstrategicmerge (sigs.k8s.io/kustomize/kyaml v0.21.1
 * yaml/merge2, yaml/walk), and RFC 6902, as api/filters/patchjson6902 does it with
 * gopkg.in/evanphx/json-patch.v4. Merge keys come from kyaml's built-in OpenAPI schema
 * (Kubernetes v1.21.2), turned into a table by scripts/gen-patch-schema.ts.
 *
 * Pure: imports core, the yaml engine and the `yaml` library only; no files, no cluster.
 */
import { yamlToJson } from '../../yaml/index.js';
import { walk } from './merge.js';
import { fromJs, isNilOrEmpty, toJs } from './node.js';
import { Json6902Error } from './json6902.js';
import { lookupSchema, type PatchSchema } from './schema.js';

export { applyJson6902, Json6902Error } from './json6902.js';
export { StrategicMergeError } from './node.js';
export type { PatchSchema } from './schema.js';

/**
 * The strategic-merge schema of a kind, from kustomize's built-in OpenAPI (Kubernetes v1.21.2),
 * or undefined for kinds it does not know: custom resources, and kinds newer than 1.21 such as
 * autoscaling/v2 HorizontalPodAutoscaler. Without a schema maps still merge and lists are replaced.
 */
export function patchSchemaFor(apiVersion: string, kind: string): PatchSchema | undefined {
  return lookupSchema(apiVersion, kind);
}

/**
 * Applies a strategic merge patch as kustomize does (kyaml merge2 through the
 * patchstrategicmerge filter): returns the merged object, or undefined when the result is gone —
 * `$patch: delete` at the top, or nothing left — which kustomize treats as deleting the resource.
 * Does not mutate its inputs.
 *
 * What kyaml does, and so this does:
 * - maps merge field by field; a null in the patch deletes the field;
 * - lists merge by key only where the schema gives a "merge" strategy (containers by name, ports by
 *   containerPort+protocol, Service ports by port+protocol, finalizers as a set …); other lists,
 *   and all lists of kinds without a schema, are replaced by the patch's list;
 * - merged list elements come in the patch's order first, then the other elements of the target;
 * - `$patch: delete|replace|merge` on maps and lists; on a list element `$patch: delete` removes
 *   it and `$patch: replace` leaves the target's element as it was;
 * - `$setElementOrder/…`, `$deleteFromPrimitiveList/…` and `$retainKeys` are not understood by
 *   kyaml and stay in the result as ordinary fields;
 * - `$patch: replace` at the top changes nothing (kustomize keeps the target's node);
 * - a null in the target that the patch does not mention stays. (kyaml keeps `key: null` and
 *   `key: ~` but drops a bare `key:`; plain values cannot tell them apart, so all are kept.)
 *
 * The caller does what kustomize does around this. api/resource.ApplySmPatch: afterwards the
 * target's name, namespace and kind are put back unless the patch's options allow a change.
 * resWrangler.ApplySmPatch (patchesStrategicMerge, and `patches` entries with a target) also first
 * copies the patch, gives it the target's apiVersion, and rewrites its metadata.labels and
 * metadata.annotations as string maps (CopyMergeMetaDataFieldsFrom: each value becomes its YAML
 * text, so a null becomes "null" and no longer deletes; an empty map disappears).
 *
 * @param schema the target's schema; when undefined it is looked up from the target's apiVersion
 *   and kind, as kyaml's walker does.
 * @throws StrategicMergeError with kyaml's message (e.g. a map patched with a list).
 */
export function strategicMerge(
  target: Record<string, unknown>,
  patch: Record<string, unknown>,
  schema: PatchSchema | undefined,
): Record<string, unknown> | undefined {
  const dest = fromJs(target);
  // kustomize's Resource.ApplyFilter keeps its own node, edited in place by the merge, and only
  // looks at the filter's result to see whether it is gone: so a top-level `$patch: replace`
  // (whose result is the patch itself) leaves the target as it was.
  if (walk([dest, fromJs(patch)], schema) === undefined || isNilOrEmpty(dest)) return undefined;
  return toJs(dest) as Record<string, unknown>;
}

/**
 * Decodes the text of a JSON 6902 patch as kustomize does (builtins PatchTransformer
 * jsonPatchFromBytes): JSON when it starts with "[", else YAML read as sigs.k8s.io/yaml reads it
 * (YAML 1.1: `yes` is true). Throws {@link Json6902Error} when it is not a list of operations.
 */
export function decodeJson6902(text: string): unknown[] {
  if (text === '') throw new Json6902Error('empty json patch operations');
  let json = text;
  if (!text.startsWith('[')) {
    try {
      json = yamlToJson(text);
    } catch (e) {
      throw new Json6902Error((e as Error).message, undefined, { cause: e });
    }
  }
  let ops: unknown;
  try {
    ops = JSON.parse(json);
  } catch (e) {
    throw new Json6902Error((e as Error).message, undefined, { cause: e });
  }
  // json.Unmarshal of null into a slice is no error and no operations
  if (ops === null) return [];
  if (!Array.isArray(ops)) {
    const type = typeof ops === 'object' ? 'object' : typeof ops === 'boolean' ? 'bool' : typeof ops;
    throw new Json6902Error(`json: cannot unmarshal ${type} into Go value of type jsonpatch.Patch`);
  }
  return ops;
}
