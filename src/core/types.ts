/** A Kubernetes object as plain JSON data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** The parts of `metadata` Slipway reads; everything else passes through untouched. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  managedFields?: unknown[];
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  [field: string]: unknown;
}

/** Identity of an object in a cluster. `group` is '' for the core group; `namespace` is '' when cluster-scoped. */
export interface ResourceKey {
  group: string;
  kind: string;
  namespace: string;
  name: string;
}

/** A place in a source file; `line` and `column` are 1-based. */
export interface SourceLocation {
  file: string;
  line?: number;
  column?: number;
}

/** Where a manifest came from. */
export interface Origin {
  /** What produced it: "file:deploy/app.yaml", "chart:podinfo@6.5.0", "overlay:apps/prod". */
  source: string;
  /** File and line of the document or template. */
  at?: SourceLocation;
  /** include/tpl chain, patch or overlay files, innermost last. */
  via?: SourceLocation[];
}

/** One object to apply, with its key and where it came from. */
export interface Manifest {
  key: ResourceKey;
  object: KubeObject;
  origin: Origin;
}

/** Splits `apps/v1` into `{group: 'apps', version: 'v1'}` and `v1` into `{group: '', version: 'v1'}`. */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.indexOf('/');
  return slash < 0
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The key of an object; `namespace` is taken as written (callers fill defaults first). */
export function keyOf(obj: KubeObject): ResourceKey {
  return {
    group: splitApiVersion(obj.apiVersion).group,
    kind: obj.kind,
    namespace: obj.metadata?.namespace ?? '',
    name: obj.metadata?.name ?? '',
  };
}

/** "Deployment/shop/web" (namespaced) or "ClusterRole/admin" (cluster-scoped), as flux prints objects. */
export function formatKey(k: ResourceKey): string {
  return [k.kind, k.namespace, k.name].filter(Boolean).join('/');
}

/** kubectl's spelling: "deployment.apps/web", "configmap/settings". */
export function formatKubectlRef(k: ResourceKey): string {
  const kind = k.kind.toLowerCase();
  return `${k.group ? `${kind}.${k.group}` : kind}/${k.name}`;
}

/** A stable string for maps and sets. */
export function keyString(k: ResourceKey): string {
  return `${k.group}|${k.kind}|${k.namespace}|${k.name}`;
}

export function sameKey(a: ResourceKey, b: ResourceKey): boolean {
  return a.group === b.group && a.kind === b.kind && a.namespace === b.namespace && a.name === b.name;
}
