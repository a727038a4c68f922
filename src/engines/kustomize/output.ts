/**
 * Printing a build as kustomize prints it (resmap AsYaml): each resource goes through
 * resource.AsYAML, that is Go's json.Marshal of the decoded object (keys sorted, numbers as
 * Go formats them) and then sigs.k8s.io/yaml JSONToYAML (go-yaml v2: its key order, its
 * quoting, its line folding); documents are joined with `---\n`.
 */
import { GoFloat, GoInt, GoUint, GoYamlMap, marshalGoYaml, type GoYamlValue } from '../yaml/index.js';
import { KustomizeError } from './errors.js';
import { TOTALLY_NOT_A_NAMESPACE, effectiveNamespace, gvkFromApiVersion } from './resid.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * The value go-yaml v2 reads back from the JSON text Go's json.Marshal writes for `v`.
 * Throws for what json.Marshal refuses (NaN and infinities).
 */
export function toGoYamlValue(v: unknown): GoYamlValue {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return v;
    case 'number':
      return numberValue(v);
    case 'bigint':
      return integerValue(v);
    case 'object': {
      if (Array.isArray(v)) return v.map(toGoYamlValue);
      const m = new GoYamlMap();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, toGoYamlValue(x));
      return m;
    }
    default:
      return String(v);
  }
}

function numberValue(n: number): GoYamlValue {
  if (!Number.isFinite(n)) throw new KustomizeError(`json: unsupported value: ${Number.isNaN(n) ? 'NaN' : n > 0 ? '+Inf' : '-Inf'}`);
  // Go prints a float64 with 'f' below 1e21 and 'e' above, as JS does; go-yaml then reads
  // digit-only text as an int when it fits 64 bits.
  if (Number.isInteger(n) && Math.abs(n) < 1e21) return integerValue(BigInt(n), n);
  return new GoFloat(n);
}

function integerValue(i: bigint, asFloat?: number): GoYamlValue {
  if (i >= INT64_MIN && i <= INT64_MAX) return new GoInt(i);
  if (i >= 0n && i <= UINT64_MAX) return new GoUint(i);
  return new GoFloat(asFloat ?? Number(i));
}

/** One resource as resource.AsYAML prints it. */
export function objectToYaml(obj: unknown): string {
  return marshalGoYaml(toGoYamlValue(obj));
}

/**
 * The stream `kustomize build` prints: every object through {@link objectToYaml}, separated
 * by `---` lines. Takes manifests (`{ object }`) or plain objects.
 */
export function toKustomizeYaml(resources: readonly ({ object: unknown } | Record<string, unknown>)[]): string {
  let out = '';
  resources.forEach((r, i) => {
    if (i > 0) out += '---\n';
    const obj = isManifest(r) ? r.object : r;
    out += objectToYaml(obj);
  });
  return out;
}

function isManifest(r: unknown): r is { object: unknown } {
  return typeof r === 'object' && r !== null && 'object' in r && 'key' in r;
}

/**
 * `kustomize build -o DIR` when DIR exists (kustomize/commands/build/writer.go): one file
 * per object, named `group_version_kind_name.yaml` in lower case, prefixed with the
 * namespace when the objects span more than one; cluster-scoped objects last.
 */
export function individualFiles(resources: readonly { object: unknown }[]): [string, string][] {
  const byNamespace = new Map<string, { object: Record<string, unknown> }[]>();
  const clusterScoped: { object: Record<string, unknown> }[] = [];
  for (const r of resources) {
    const obj = r.object as Record<string, unknown>;
    const meta = (typeof obj.metadata === 'object' && obj.metadata !== null ? obj.metadata : {}) as Record<string, unknown>;
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const kind = typeof obj.kind === 'string' ? obj.kind : '';
    const id = { gvk: gvkFromApiVersion(apiVersion, kind), name: String(meta.name ?? ''), namespace: String(meta.namespace ?? '') };
    const ns = effectiveNamespace(id);
    if (ns === TOTALLY_NOT_A_NAMESPACE) {
      clusterScoped.push({ object: obj });
      continue;
    }
    const l = byNamespace.get(ns);
    if (l) l.push({ object: obj });
    else byNamespace.set(ns, [{ object: obj }]);
  }
  const fileName = (obj: Record<string, unknown>) => {
    const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
    const g = gvkFromApiVersion(apiVersion, typeof obj.kind === 'string' ? obj.kind : '');
    const meta = (obj.metadata ?? {}) as Record<string, unknown>;
    return `${[g.group, g.version, g.kind].filter((p) => p !== '').join('_').toLowerCase()}_${String(meta.name ?? '').toLowerCase()}.yaml`;
  };
  const out: [string, string][] = [];
  for (const [ns, list] of byNamespace) {
    for (const r of list) out.push([`${byNamespace.size > 1 ? `${ns.toLowerCase()}_` : ''}${fileName(r.object)}`, objectToYaml(r.object)]);
  }
  for (const r of clusterScoped) out.push([fileName(r.object), objectToYaml(r.object)]);
  return out;
}
