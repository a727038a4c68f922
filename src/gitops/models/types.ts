import type { KubeObject } from '../../core/index.js';
import type { Health } from '../../engines/health/index.js';
import type { ObjectRef } from '../../kube/index.js';
import type { AppObjectRef } from './errors.js';
import type { GitSourceSpec, RenderKind, RenderSpec } from './internal/source-types.js';

export type { GitSourceSpec, RenderKind, RenderSpec };

/** The three ways an app can be written. */
export type AppFormat = 'argocd' | 'flux' | 'slipway';

/** Kustomize options beyond the contract's RenderSpec (Argo CD `source.kustomize`, Flux Kustomization). */
export interface KustomizeExtras {
  /** Argo `commonAnnotations`. */
  commonAnnotations?: Record<string, string>;
  /** Argo `components`, Flux `spec.components`: kustomize Components appended to the build. */
  components?: string[];
  /** Argo `ignoreMissingComponents`, Flux `spec.ignoreMissingComponents`. @default false */
  ignoreMissingComponents?: boolean;
  /** Argo `replicas`: replica count overrides by workload name. */
  replicas?: { name: string; count: number }[];
  /** Argo `labelWithoutSelector`: commonLabels go on metadata only, not selectors. @default false */
  labelWithoutSelector?: boolean;
}

/** Helm options beyond the contract's RenderSpec (Argo CD `source.helm`). */
export interface HelmExtras {
  /** `--set-file name=path`, paths relative to the chart. */
  fileParameters?: { name: string; path: string }[];
  /** Skip value files that do not exist instead of failing. @default false */
  ignoreMissingValueFiles?: boolean;
  /** `--skip-crds`. @default false */
  skipCrds?: boolean;
  /** `--skip-schema-validation`. @default false */
  skipSchemaValidation?: boolean;
  /** Leave out test hooks. @default false */
  skipTests?: boolean;
  /** `--kube-version`. */
  kubeVersion?: string;
  /** `--api-versions`. */
  apiVersions?: string[];
}

/**
 * One source of an app: where to fetch it (GitSourceSpec) and how to render it (RenderSpec), plus
 * what models read beyond those two contract types.
 *
 * `kind` is set whenever the manifest names one (Argo CD: a `helm`/`kustomize`/`directory` block;
 * Flux: always `kustomize`; Slipway: `source.kind` or a block). When it is absent, detect it from the
 * files as Argo CD does — never from which blocks are present: models fills `helm.releaseName` and
 * `helm.namespace` for every Argo CD source so that a detected chart renders as Argo CD renders it.
 */
export type AppSource = GitSourceSpec &
  Omit<RenderSpec, 'kustomize' | 'helm'> & {
    kustomize?: NonNullable<RenderSpec['kustomize']> & KustomizeExtras;
    helm?: NonNullable<RenderSpec['helm']> & HelmExtras;
    /**
     * False for an Argo CD source that only serves value files to the others (`ref` set, no
     * `path`): it is fetched, not rendered.
     */
    render: boolean;
    /** Argo CD `sources[].ref`: other sources' `helm.valueFiles` reach this checkout as `$<refName>/…`. */
    refName?: string;
    /** Argo CD `sources[].name`. */
    name?: string;
    /** Secret with the git credentials (Flux `secretRef`, Slipway `source.secretRef`); Argo CD finds repository Secrets by URL instead. */
    secretRef?: { namespace: string; name: string };
    /** Flux `.sourceignore` patterns (gitignore syntax) of the GitRepository `spec.ignore`; matching files are left out before rendering. */
    ignore?: string;
    /**
     * Flux: when the path has no kustomization file, generate one listing every manifest below it,
     * recursively, as kustomize-controller does. @default false
     */
    generateKustomization?: boolean;
  };

/** Argo CD's retry of failed syncs; durations in milliseconds. */
export interface RetryPolicy {
  /** Attempts after the first failure; 0 = none, negative = unlimited (Argo CD). */
  limit: number;
  backoff: {
    /** @default 5000 (Argo CD "5s") */
    duration: number;
    /** @default 2 */
    factor: number;
    /** @default 180000 (Argo CD "3m") */
    maxDuration: number;
  };
  /** Argo `retry.refresh`: retry with the latest revision rather than the failed one. @default false */
  refresh: boolean;
}

/** How and when an app is synced. */
export interface SyncPolicy {
  /** Sync on every change (Argo `automated`, Flux always, Slipway `syncPolicy.automated`). */
  automated: boolean;
  /** Delete objects no longer rendered. */
  prune: boolean;
  /** Re-apply when live objects drift. */
  selfHeal: boolean;
  /** Argo `allowEmpty`: an automated sync may prune the app down to nothing. @default false */
  allowEmpty: boolean;
  /** Argo `CreateNamespace=true`. */
  createNamespace: boolean;
  /** Argo `PruneLast=true`: prune after every wave has been applied and is healthy. */
  pruneLast: boolean;
  /** Argo `ServerSideApply=true` (Flux and Slipway always apply server-side). */
  serverSideApply: boolean;
  /** Argo `ApplyOutOfSyncOnly=true`. */
  applyOutOfSyncOnly: boolean;
  /** Argo `Validate=false` turns this off. @default true */
  validate: boolean;
  /** Argo `Replace=true`: replace (PUT/create) instead of apply. @default false */
  replace: boolean;
  /** Argo `Force=true`, Flux `spec.force`: delete and recreate an object whose update fails on an immutable field. */
  force: boolean;
  /** Argo `PrunePropagationPolicy`. @default 'foreground' */
  prunePropagationPolicy: 'foreground' | 'background' | 'orphan';
  /** Argo `FailOnSharedResource=true`: fail when an object is owned by another app. */
  failOnSharedResource: boolean;
  /** Argo `RespectIgnoreDifferences=true`: keep ignored fields as they are live when applying. */
  respectIgnoreDifferences: boolean;
  /** Argo `SkipDryRunOnMissingResource=true`. */
  skipDryRunOnMissingResource: boolean;
  /** Argo `managedNamespaceMetadata`: labels and annotations for the namespace it creates. */
  managedNamespaceMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  retry?: RetryPolicy;
}

/** One Argo `ignoreDifferences` entry. */
export interface IgnoreDifference {
  /** API group; '' or absent for the core group, '*' for any. */
  group?: string;
  /** Kind, '*' for any. */
  kind: string;
  name?: string;
  namespace?: string;
  /** RFC 6901 pointers, e.g. `/spec/replicas`. */
  jsonPointers?: string[];
  /** A subset of jq path expressions (see reconciler/ignore-differences.ts). */
  jqPathExpressions?: string[];
  /** Fields owned (per managedFields) by these managers are not compared. */
  managedFieldsManagers?: string[];
}

/** A Flux GitRepository as Slipway reads it. */
export interface FluxGitRepository {
  ref: AppObjectRef;
  /** metadata.generation, written back as status.observedGeneration. */
  generation?: number;
  /** url and ref (defaults to branch "master" as Flux's API does). */
  source: GitSourceSpec;
  secretRef?: { namespace: string; name: string };
  /** How often to look for new commits, ms. */
  interval: number;
  /** Timeout of git operations, ms. @default 60000 */
  timeout: number;
  ignore?: string;
  suspend: boolean;
}

/** A sync asked for by writing Argo CD's top-level `operation` field (what `argocd app sync` does). */
export interface RequestedOperation {
  sync: {
    revision?: string;
    /** Multi-source apps: one revision per source. */
    revisions?: string[];
    prune: boolean;
    dryRun: boolean;
    /** `syncStrategy.apply.force` / `syncStrategy.hook.force`. */
    force: boolean;
    /** Sync only these objects; all when absent. */
    resources?: { group: string; kind: string; name: string; namespace: string }[];
    syncOptions: string[];
  };
  initiatedBy: { username?: string; automated: boolean };
  retry?: RetryPolicy;
}

/** One app in Slipway's terms, whatever it was written as. */
export interface AppSpec {
  /** The object it came from. */
  ref: AppObjectRef;
  format: AppFormat;
  /** metadata.generation, written back as Flux/Slipway status.observedGeneration. */
  generation?: number;
  /** The first source that renders; for every format but Argo CD multi-source apps the only one. */
  source: AppSource;
  /** Every source in order (Argo CD `spec.sources`); `[source]` for single-source apps. */
  sources: AppSource[];
  /**
   * Where objects go. `server` is always the in-cluster server; `namespace` is the default for
   * namespaced objects that name none ('' = no default: such objects fail, as in Flux without
   * `targetNamespace`).
   */
  destination: { namespace: string; server?: string; name?: string };
  /** Argo CD project ('default' for the other formats). */
  project: string;
  syncPolicy: SyncPolicy;
  ignoreDifferences: IgnoreDifference[];
  /** Time between refreshes, ms; undefined = the controller's default (Argo CD's is 3m). */
  interval?: number;
  /** Flux `retryInterval` (defaults to interval), ms. */
  retryInterval?: number;
  /** Flux `timeout` for apply and health checks (Flux's default: interval − 30s, at least 30s), ms. */
  timeout?: number;
  suspend: boolean;
  /** Flux `dependsOn`: Kustomizations that must be Ready first (namespace defaulted). */
  dependsOn: { namespace: string; name: string }[];
  /** Flux `wait`: wait for every applied object to become healthy. */
  wait: boolean;
  /** Flux `healthChecks` (namespace defaulted; apiVersion '' = preferred version). */
  healthChecks: { apiVersion: string; kind: string; namespace: string; name: string }[];
  /** Argo `revisionHistoryLimit`: history entries kept in status. @default 10 */
  revisionHistoryLimit: number;
  /** What deleting the app does to its objects (Argo: the resources finalizer; Flux `deletionPolicy`, MirrorPrune resolved). */
  deletionPolicy: 'Delete' | 'Orphan' | 'WaitForTermination';
  /** Flux `postBuild.substituteFrom`, namespace filled in; the reconciler reads them into `source.postBuild.substitute` (inline `substitute` wins, as in Flux). */
  substituteFrom: { kind: 'ConfigMap' | 'Secret'; namespace: string; name: string; optional: boolean }[];
  /** Flux `commonMetadata`: set on every rendered object's metadata, overriding. */
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  /** Flux: the GitRepository of `spec.sourceRef`, whose status the controller also writes. */
  gitRepository?: FluxGitRepository;
  /** Argo CD: the top-level `operation` a user wrote to ask for a sync. */
  requestedOperation?: RequestedOperation;
  /**
   * A refresh asked for by annotation: Argo `argocd.argoproj.io/refresh` ("normal"/"hard"), Flux and
   * Slipway `reconcile.fluxcd.io/requestedAt` / `slipway.dev/requestedAt` (a token; handled once
   * `status.lastHandledReconcileAt` equals it).
   */
  refreshRequest?: string;
  /** The spec fields status echoes (Argo `sync.comparedTo`, `history[].source`), as written. */
  declared: { source?: unknown; sources?: unknown[]; destination?: unknown; ignoreDifferences?: unknown[] };
  /** Fields read but not acted on, one line each, naming object and field. */
  warnings: string[];
}

/** Objects related to an app that parseApp may need. */
export interface RelatedObjects {
  /** Flux GitRepositories that Kustomizations may reference. */
  gitRepositories: readonly KubeObject[];
  /**
   * Argo CD AppProjects. When given, an Application's project must exist (except "default", which
   * Argo CD creates allowing everything) and permit its repositories and destination. When
   * absent, projects are not checked.
   */
  appProjects?: readonly KubeObject[];
}

/** Sync state of one object, Argo CD's words. */
export type SyncState = 'Synced' | 'OutOfSync';

/** One object of an app, as Argo CD lists it in status.resources. */
export interface ResourceStatus {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: SyncState;
  health?: Health;
  hook?: boolean;
  requiresPruning?: boolean;
  syncWave?: number;
}

/** The result of one object in a sync (Argo CD `syncResult.resources[]`). */
export interface ResourceResult {
  group: string;
  version: string;
  kind: string;
  namespace: string;
  name: string;
  status: 'Synced' | 'SyncFailed' | 'Pruned' | 'PruneSkipped';
  message: string;
  hookType?: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail' | 'PostDelete' | 'Skip';
  hookPhase?: 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
  syncPhase?: 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';
}

/** One deployment in the app's history (Argo CD `status.history[]`). */
export interface HistoryEntry {
  id: number;
  revision: string;
  /** Multi-source apps: one revision per source. */
  revisions?: string[];
  deployedAt: string;
  deployStartedAt: string;
  /** The source as written (AppSpec.declared.source), so a rollback can redeploy it. */
  source: unknown;
  sources?: unknown[];
  initiatedBy?: { username?: string; automated?: boolean };
}

/** A status condition in Kubernetes' (and Flux's) shape; the reason is one word such as `BuildFailed`. */
export interface AppCondition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
}

/** The last or current sync operation. */
export interface OperationStatus {
  phase: 'Running' | 'Succeeded' | 'Failed' | 'Error' | 'Terminating';
  message: string;
  startedAt: string;
  finishedAt?: string;
  revision?: string;
  revisions?: string[];
  initiatedBy?: { username?: string; automated?: boolean };
  /** Sync options used (Argo `operation.sync.syncOptions`). */
  syncOptions?: string[];
  prune?: boolean;
  dryRun?: boolean;
  retryCount?: number;
  /** Per-object results. */
  resources?: ResourceResult[];
}

/**
 * What the reconciler found and did, in Slipway's terms; statusPatch writes it in each tool's shape.
 * Revisions are written as FetchedSource.revision prints them ("main@sha1:<sha>"); a bare SHA is
 * accepted too. Argo CD gets the bare SHA, Flux the full form.
 */
export interface AppStatus {
  phase: 'Synced' | 'OutOfSync' | 'Unknown';
  revision?: string;
  /** Multi-source apps: one revision per source. */
  revisions?: string[];
  health: Health;
  resources: ResourceStatus[];
  history: HistoryEntry[];
  operation?: OperationStatus;
  /** Conditions in Flux's words (Ready, Reconciling, Healthy); derived from the rest when empty. */
  conditions: AppCondition[];
  error?: string;
  lastAppliedRevision?: string;
  inventory?: ObjectRef[];
  /** When this status was computed (ISO time); the default time of every derived timestamp. */
  reconciledAt?: string;
  /** The refresh request token handled (AppSpec.refreshRequest). */
  lastHandledReconcileAt?: string;
  /** What each source rendered as (Argo `sourceType`/`sourceTypes`). */
  sourceTypes?: RenderKind[];
  /** Argo `summary`. */
  summary?: { images?: string[]; externalURLs?: string[] };
}
