/**
 * The release record as helm v3 stores it: pkg/release (Release, Info, Hook, Status) and
 * pkg/chart (Chart, Metadata, Dependency, Lock, File) in their JSON form. Field names are the
 * JSON names, so a decoded record reads like the JSON helm writes; `[]byte` fields stay base64
 * text as Go's encoding/json writes them.
 */

/** helm's release.Status values (pkg/release/status.go). */
export type ReleaseStatus =
  | 'unknown'
  | 'deployed'
  | 'uninstalled'
  | 'superseded'
  | 'failed'
  | 'uninstalling'
  | 'pending-install'
  | 'pending-upgrade'
  | 'pending-rollback';

/** Every status, in helm's declaration order. */
export const RELEASE_STATUSES: readonly ReleaseStatus[] = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
];

/** Status.IsPending: an install, upgrade or rollback is (or was left) under way. */
export function isPendingStatus(s: string): boolean {
  return s === 'pending-install' || s === 'pending-upgrade' || s === 'pending-rollback';
}

/**
 * helm's release.Info. Times are Go time.Time JSON text (RFC 3339 with nanoseconds, as
 * time.Time.MarshalJSON writes them); helm writes the zero time as "" (pkg/time).
 */
export interface ReleaseInfo {
  /** @default "" (zero time) */
  first_deployed?: string;
  /** @default "" (zero time) */
  last_deployed?: string;
  /** "" unless the release was uninstalled. */
  deleted: string;
  description?: string;
  status: ReleaseStatus;
  /** The rendered NOTES.txt. */
  notes?: string;
}

/** helm's release.HookExecution. */
export interface HookExecution {
  /** @default "" (zero time) */
  started_at?: string;
  /** @default "" (zero time) */
  completed_at?: string;
  /** "", "Unknown", "Running", "Succeeded" or "Failed". */
  phase: string;
}

/**
 * helm's release.Hook (pkg/release/hook.go). Go's zero values are spelled out ("" and []);
 * the JSON leaves them out (`omitempty`) but always writes `last_run`.
 */
export interface HelmHook {
  name: string;
  /** The Kubernetes kind. */
  kind: string;
  /** Chart-relative path of the template, e.g. "mychart/templates/test.yaml". */
  path: string;
  manifest: string;
  /** pre-install, post-install, pre-delete, post-delete, pre-upgrade, post-upgrade, pre-rollback, post-rollback, test. */
  events: string[];
  last_run: HookExecution;
  weight: number;
  /** before-hook-creation, hook-succeeded, hook-failed. @default [] */
  delete_policies?: string[];
  /** hook-succeeded, hook-failed. @default [] */
  output_log_policies?: string[];
}

/** One chart file (chart.File); `data` is base64, as encoding/json writes a []byte. */
export interface HelmFileJson {
  name: string;
  data: string;
}

/** chart.Maintainer. */
export interface HelmMaintainerJson {
  name?: string;
  email?: string;
  url?: string;
}

/** chart.Dependency; `repository` is always written, the rest only when set. */
export interface HelmDependencyJson {
  name: string;
  version?: string;
  repository: string;
  condition?: string;
  tags?: string[];
  enabled?: boolean;
  'import-values'?: unknown[];
  alias?: string;
}

/** chart.Metadata (Chart.yaml), every field omitted when empty. */
export interface HelmMetadataJson {
  name?: string;
  home?: string;
  sources?: string[];
  version?: string;
  description?: string;
  keywords?: string[];
  maintainers?: HelmMaintainerJson[];
  icon?: string;
  apiVersion?: string;
  condition?: string;
  tags?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  kubeVersion?: string;
  dependencies?: HelmDependencyJson[];
  type?: string;
}

/** chart.Lock; `generated` is a plain time.Time (the zero time is "0001-01-01T00:00:00Z"). */
export interface HelmLockJson {
  generated: string;
  digest: string;
  dependencies: HelmDependencyJson[] | null;
}

/**
 * helm's chart.Chart as JSON. Subcharts are not part of it (helm does not serialize them):
 * a stored chart is the top chart after dependency processing, whose `values` already hold
 * the subcharts' defaults. `null` is Go's nil (helm writes `"lock":null` and the like).
 */
export interface HelmChartJson {
  metadata: HelmMetadataJson | null;
  lock: HelmLockJson | null;
  templates: HelmFileJson[] | null;
  values: Record<string, unknown> | null;
  /** values.schema.json, base64. */
  schema: string | null;
  files: HelmFileJson[] | null;
}

/** helm's release.Release (pkg/release/release.go), as plain data. */
export interface Release {
  name: string;
  namespace: string;
  /** The revision, from 1. */
  version: number;
  info: ReleaseInfo;
  chart: HelmChartJson;
  /** User-supplied values; `{}` when none (helm omits an empty map). */
  config: Record<string, unknown>;
  manifest: string;
  hooks: HelmHook[];
  /** Custom labels stored on the Secret (helm 3.13+ `--labels`); never the system labels. */
  labels?: Record<string, string>;
}
