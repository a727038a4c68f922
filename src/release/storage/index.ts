/**
 * release/storage — release records exactly as helm v3 (3.22) stores them, so `helm` and
 * `slipway` read and change each other's releases: the Release model (pkg/release), chart
 * JSON (pkg/chart), the record codec (JSON as Go marshals it, gzip, base64;
 * pkg/storage/driver/util.go), the Secrets driver with helm's Storage rules (Secret names,
 * type and labels, history queries, --history-max pruning; driver/secrets.go,
 * storage/storage.go), a size check before writing, a Lease-based lock with takeover of
 * abandoned pending revisions (which helm lacks), and helm's printers for list, history,
 * status and get (cmd/helm/*.go).
 * Talks to the cluster only through src/kube; renders nothing (the chart engine is used for
 * types and for coalescing values in `get values --all`). Must not import release/actions.
 */
export {
  RELEASE_STATUSES,
  isPendingStatus,
  type HelmChartJson,
  type HelmDependencyJson,
  type HelmFileJson,
  type HelmHook,
  type HelmLockJson,
  type HelmMaintainerJson,
  type HelmMetadataJson,
  type HookExecution,
  type Release,
  type ReleaseInfo,
  type ReleaseStatus,
} from './types.js';
export {
  InvalidReleaseNameError,
  ReleaseDecodeError,
  ReleaseExistsError,
  ReleaseLockLostError,
  ReleaseLockedError,
  ReleaseNotFoundError,
  ReleaseTooLargeError,
} from './errors.js';
export { chartFromJson, chartToJson } from './chart-json.js';
export { decodeChartJson, decodeRelease, decodeReleaseJson, encodeChartJson, encodeRelease, encodeReleaseJson, type EncodeJsonOptions } from './codec.js';
export {
  ReleaseStore,
  HELM_STORAGE_TYPE,
  RELEASE_SECRET_TYPE,
  SYSTEM_LABELS,
  customLabels,
  releaseNameProblem,
  releaseSecretName,
  type CreateOptions,
} from './store.js';
export { LEASE_TTL_ANNOTATION, defaultLockHolder, leaseName, type LockOptions, type ReleaseLock } from './lease.js';
export { selectReleases, statusMask, latestRevisions, parseLabelSelector, type ListFilter, type ReleaseRecord } from './list.js';
export { revisionsToPrune, type RevisionInfo } from './prune.js';
export { SECRET_DATA_LIMIT, checkReleaseSize, formatBytes, releaseParts } from './size.js';
export { goTimeNow, goTimeText, parseHelmTime, formatGoTime, ANSIC, RFC3339, RFC3339_NANO, TIME_STRING, type GoTime } from './go-time.js';
export {
  computedValues,
  formatAppVersion,
  formatChartName,
  formatGetAll,
  formatHistory,
  formatHooks,
  formatList,
  formatListNames,
  formatManifest,
  formatMetadata,
  formatNotes,
  formatStatus,
  formatStatusTable,
  formatTable,
  formatValues,
  goTrimSpace,
  historyEntries,
  listEntries,
  stringWidth,
  valuesYaml,
  type HistoryEntry,
  type ListEntry,
  type OutputFormat,
  type StatusOptions,
} from './output.js';
