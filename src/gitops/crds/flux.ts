// Flux's GitRepository (source.toolkit.fluxcd.io) and Kustomization (kustomize.toolkit.fluxcd.io),
// versions v1 (stored) and v1beta2, for clusters without Flux. Typed after
// fluxcd/source-controller api/v1/gitrepository_types.go and fluxcd/kustomize-controller
// api/v1/kustomization_types.go, with the same required fields, patterns and defaults; every
// object keeps the fields it does not list (Slipway reports the unsupported ones), so manifests
// written for newer Flux releases apply unchanged. Versions convert with strategy None, as the
// shapes Slipway reads are the same in both.
import type { KubeObject } from '../../core/index.js';
import { anyObject, bool, column, condition, crd, goDuration, type CrdOptions, int, list, localRef, obj, openObj, resource, str, strList, strMap, time, type Schema } from './schema.js';

const fluxColumns = (): Schema[] => [
  column('Age', '.metadata.creationTimestamp', 'date'),
  column('Ready', '.status.conditions[?(@.type=="Ready")].status'),
  column('Status', '.status.conditions[?(@.type=="Ready")].message'),
];

type FluxVersion = 'v1' | 'v1beta2';

/** A Flux CRD: v1 stored, v1beta2 served and deprecated; fresh schema nodes for each version. */
const fluxCrd = (
  names: Pick<CrdOptions, 'group' | 'kind' | 'plural' | 'singular' | 'shortNames'>,
  spec: (version: FluxVersion) => Schema,
  status: () => Schema,
  columns: () => Schema[],
): KubeObject =>
  crd({
    ...names,
    categories: ['fluxcd'],
    versions: (['v1', 'v1beta2'] as const).map((v) => ({
      name: v,
      deprecated: v !== 'v1',
      schema: resource(spec(v), status(), {}, []),
      columns: columns(),
    })),
  });

/** Flux's status default: not observed yet. */
const fluxStatus = (properties: Record<string, Schema>): Schema =>
  openObj(
    { observedGeneration: int(), conditions: list(condition()), lastHandledReconcileAt: str(), ...properties },
    [],
    { default: { observedGeneration: -1 } },
  );

const gitRepositorySpec = (version: FluxVersion): Schema =>
  openObj(
    {
      url: str({ pattern: '^(http|https|ssh)://.*$' }),
      secretRef: localRef(),
      provider: str({ enum: ['generic', 'aws', 'azure', 'github'] }),
      serviceAccountName: str(),
      interval: goDuration(),
      timeout: str({ default: '60s', pattern: '^([0-9]+(\\.[0-9]+)?(ms|s|m))+$' }),
      ref: obj({ branch: str(), tag: str(), semver: str(), name: str(), commit: str() }),
      verify: anyObject(),
      proxySecretRef: anyObject(),
      ignore: str(),
      suspend: bool(),
      recurseSubmodules: bool(),
      include: list(anyObject()),
      sparseCheckout: strList(),
      ...(version === 'v1beta2' ? { gitImplementation: str(), accessFrom: anyObject() } : {}),
    },
    ['interval', 'url'],
  );

const artifact = (): Schema =>
  obj(
    {
      path: str(),
      url: str(),
      revision: str(),
      digest: str({ pattern: '^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$' }),
      lastUpdateTime: time(),
      size: int(),
      metadata: strMap(),
    },
    ['lastUpdateTime', 'path', 'revision', 'url'],
  );

const gitRepositoryStatus = (): Schema =>
  fluxStatus({
    artifact: artifact(),
    includedArtifacts: list(artifact()),
    observedIgnore: str(),
    observedRecurseSubmodules: bool(),
    observedInclude: list(anyObject()),
    observedSparseCheckout: strList(),
    sourceVerificationMode: str(),
  });

/** gitrepositories.source.toolkit.fluxcd.io */
export function fluxGitRepositoryCrd(): KubeObject {
  return fluxCrd(
    { group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', plural: 'gitrepositories', singular: 'gitrepository', shortNames: ['gitrepo'] },
    gitRepositorySpec,
    gitRepositoryStatus,
    () => [column('URL', '.spec.url'), ...fluxColumns()],
  );
}

const selector = (): Schema =>
  obj({ group: str(), version: str(), kind: str(), name: str(), namespace: str(), labelSelector: str(), annotationSelector: str() });

const kustomizationSpec = (version: FluxVersion): Schema =>
  openObj(
    {
      interval: goDuration(),
      retryInterval: goDuration(),
      timeout: goDuration(),
      path: str(),
      prune: bool(),
      deletionPolicy: str({ enum: ['MirrorPrune', 'Delete', 'WaitForTermination', 'Orphan'] }),
      sourceRef: obj(
        {
          apiVersion: str(),
          kind: str({ enum: version === 'v1' ? ['OCIRepository', 'GitRepository', 'Bucket', 'ExternalArtifact'] : ['OCIRepository', 'GitRepository', 'Bucket'] }),
          name: str(),
          namespace: str(),
        },
        ['kind', 'name'],
      ),
      targetNamespace: str({ minLength: 1, maxLength: 63 }),
      dependsOn: list(obj({ name: str(), namespace: str(), readyExpr: str() }, ['name'])),
      healthChecks: list(obj({ apiVersion: str(), kind: str(), name: str(), namespace: str() }, ['kind', 'name'])),
      healthCheckExprs: list(anyObject()),
      wait: bool(),
      force: bool({ default: false }),
      suspend: bool(),
      patches: list(obj({ patch: str(), target: selector() }, ['patch'])),
      images: list(obj({ name: str(), newName: str(), newTag: str(), digest: str() }, ['name'])),
      namePrefix: str({ minLength: 1, maxLength: 200 }),
      nameSuffix: str({ minLength: 1, maxLength: 200 }),
      commonMetadata: obj({ labels: strMap(), annotations: strMap() }),
      components: strList(),
      ignoreMissingComponents: bool(),
      postBuild: obj({
        substitute: strMap(),
        substituteFrom: list(obj({ kind: str({ enum: ['Secret', 'ConfigMap'] }), name: str({ minLength: 1, maxLength: 253 }), optional: bool({ default: false }) }, ['kind', 'name'])),
      }),
      decryption: anyObject(),
      kubeConfig: anyObject(),
      serviceAccountName: str(),
      driftIgnoreRules: list(anyObject()),
      ...(version === 'v1beta2'
        ? {
            patchesStrategicMerge: list(anyObject()),
            patchesJson6902: list(obj({ patch: list(anyObject()), target: selector() }, ['patch', 'target'])),
            validation: str(),
          }
        : {}),
    },
    ['interval', 'prune', 'sourceRef'],
  );

const kustomizationStatus = (): Schema =>
  fluxStatus({
    lastAppliedRevision: str(),
    lastAppliedOriginRevision: str(),
    lastAttemptedRevision: str(),
    inventory: obj({ entries: list(obj({ id: str(), v: str() }, ['id', 'v'])) }, ['entries']),
    history: list(anyObject()),
  });

/** kustomizations.kustomize.toolkit.fluxcd.io */
export function fluxKustomizationCrd(): KubeObject {
  return fluxCrd(
    { group: 'kustomize.toolkit.fluxcd.io', kind: 'Kustomization', plural: 'kustomizations', singular: 'kustomization', shortNames: ['ks'] },
    kustomizationSpec,
    kustomizationStatus,
    fluxColumns,
  );
}
