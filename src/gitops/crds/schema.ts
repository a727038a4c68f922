// Small builders for openAPIV3Schema trees, so each CRD reads as its field list.
import type { KubeObject } from '../../core/index.js';

/** One node of an openAPIV3Schema. */
export type Schema = Record<string, unknown>;

export const str = (extra: Schema = {}): Schema => ({ type: 'string', ...extra });
export const bool = (extra: Schema = {}): Schema => ({ type: 'boolean', ...extra });
export const int = (extra: Schema = {}): Schema => ({ type: 'integer', format: 'int64', ...extra });
export const time = (): Schema => ({ type: 'string', format: 'date-time' });
export const strList = (): Schema => ({ type: 'array', items: { type: 'string' } });
export const strMap = (): Schema => ({ type: 'object', additionalProperties: { type: 'string' } });
export const list = (items: Schema, extra: Schema = {}): Schema => ({ type: 'array', items, ...extra });
export const intOrString = (): Schema => ({ 'x-kubernetes-int-or-string': true });
/** Any JSON value. */
export const anyValue = (): Schema => ({ 'x-kubernetes-preserve-unknown-fields': true });
/** An object kept as written. */
export const anyObject = (): Schema => ({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });

/** An object with these fields; unknown fields are pruned by the apiserver. */
export function obj(properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return { type: 'object', properties, ...(required.length ? { required } : {}), ...extra };
}

/** An object whose listed fields are checked and whose other fields are kept (for upstream types larger than Slipway reads). */
export function openObj(properties: Record<string, Schema>, required: string[] = [], extra: Schema = {}): Schema {
  return obj(properties, required, { 'x-kubernetes-preserve-unknown-fields': true, ...extra });
}

/** A Go duration as Flux's CRDs accept it ("1m30s"). */
export const goDuration = (): Schema => str({ pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$' });

/** metav1.Condition, as Flux and Slipway write conditions. */
export const condition = (): Schema =>
  obj(
    {
      type: str({ maxLength: 316, pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$' }),
      status: str({ enum: ['True', 'False', 'Unknown'] }),
      observedGeneration: int({ minimum: 0 }),
      lastTransitionTime: time(),
      reason: str({ maxLength: 1024, minLength: 1, pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$' }),
      message: str({ maxLength: 32768 }),
    },
    ['lastTransitionTime', 'message', 'reason', 'status', 'type'],
  );

/** `{name}` references to a Secret or ConfigMap in the same namespace. */
export const localRef = (): Schema => obj({ name: str() }, ['name']);

/** Builds an object node: {@link obj} (unknown fields pruned) or {@link openObj} (kept). */
export type ObjectBuilder = typeof obj;

// Fragments of app sources and statuses that Argo CD's Application and Slipway's own share
// (Slipway's is a subset of Argo CD's). Each returns fresh nodes, in the field order both
// CRDs print them, so a caller spreads them between its own fields.

/** The kustomize options of an app source that both kinds have (ApplicationSourceKustomize). */
export const kustomizeOptionFields = (): Record<string, Schema> => ({
  namePrefix: str(),
  nameSuffix: str(),
  namespace: str(),
  images: strList(),
  commonLabels: strMap(),
  commonAnnotations: strMap(),
  components: strList(),
  ignoreMissingComponents: bool(),
});

/** spec.source.kustomize.patches: inline or file patches with a target. */
export const kustomizePatches = (entry: ObjectBuilder): Schema =>
  list(entry({ patch: str(), path: str(), target: anyObject(), options: { type: 'object', additionalProperties: { type: 'boolean' } } }));

/** spec.source.kustomize.replicas. */
export const kustomizeReplicas = (): Schema => list(obj({ name: str(), count: intOrString() }, ['count', 'name']));

/** The helm options of an app source before its parameters: release, namespace and values. */
export const helmValuesFields = (): Record<string, Schema> => ({
  releaseName: str(),
  namespace: str(),
  valueFiles: strList(),
  values: str(),
  valuesObject: anyObject(),
});

/** The helm switches that leave parts of a chart out. */
export const helmSkipFields = (): Record<string, Schema> => ({ skipCrds: bool(), skipSchemaValidation: bool(), skipTests: bool() });

/** The fields that name one object of an app, as status.resources and a sync result's resources start. */
export const resourceRefFields = (): Record<string, Schema> => ({
  group: str(),
  version: str(),
  kind: str(),
  namespace: str(),
  name: str(),
  status: str(),
});

/** An entry of an app's status.resources (Argo CD's ResourceStatus) with the given health node. */
export const resourceStatus = (entry: ObjectBuilder, health: Schema): Schema =>
  entry({ ...resourceRefFields(), health, hook: bool(), requiresPruning: bool(), syncWave: int() });

/** The fields of an entry of an app's status.history (Argo CD's RevisionHistory). */
export const revisionHistoryFields = (): Record<string, Schema> => ({
  id: int(),
  revision: str(),
  revisions: strList(),
  deployedAt: time(),
  deployStartedAt: time(),
  source: anyObject(),
  sources: list(anyObject()),
  initiatedBy: obj({ username: str(), automated: bool() }),
});

/** Printer column of a CRD version. */
export function column(name: string, jsonPath: string, type = 'string', priority?: number): Schema {
  return { name, jsonPath, type, ...(priority ? { priority } : {}) };
}

/** Options of {@link crd}. */
export interface CrdOptions {
  group: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames?: string[];
  categories?: string[];
  /** Versions; the first one is stored. */
  versions: { name: string; schema: Schema; columns?: Schema[]; deprecated?: boolean }[];
}

/** A namespaced CustomResourceDefinition with the status subresource on every version. */
export function crd(o: CrdOptions): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${o.plural}.${o.group}`, labels: { 'app.kubernetes.io/managed-by': 'slipway' } },
    spec: {
      group: o.group,
      names: {
        kind: o.kind,
        listKind: `${o.kind}List`,
        plural: o.plural,
        singular: o.singular,
        ...(o.shortNames ? { shortNames: o.shortNames } : {}),
        ...(o.categories ? { categories: o.categories } : {}),
      },
      scope: 'Namespaced',
      versions: o.versions.map((v, i) => ({
        name: v.name,
        served: true,
        storage: i === 0,
        ...(v.deprecated ? { deprecated: true } : {}),
        ...(v.columns ? { additionalPrinterColumns: v.columns } : {}),
        subresources: { status: {} },
        schema: { openAPIV3Schema: v.schema },
      })),
    },
  };
}

/** The top of a custom resource's schema: apiVersion, kind, metadata, spec and status. */
export function resource(spec: Schema, status: Schema, extra: Record<string, Schema> = {}, required: string[] = ['spec']): Schema {
  return obj({ apiVersion: str(), kind: str(), metadata: { type: 'object' }, spec, status, ...extra }, required);
}
