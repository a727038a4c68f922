/** The mutating release actions (install, upgrade, rollback, uninstall, test); see ../index.ts. */
export { install, upgradeInstallMode } from './install.js';
export { upgrade } from './upgrade.js';
export { rollback } from './rollback.js';
export { uninstall, type UninstallResult } from './uninstall.js';
export { testRelease, testLogs, type TestResult } from './release-test.js';
export { DEFAULT_LOCK_TTL_MS, type ActionContext } from './context.js';
export {
  DEFAULT_HISTORY_MAX,
  DEFAULT_TIMEOUT_MS,
  defaultInstallOptions,
  defaultRollbackOptions,
  defaultTestOptions,
  defaultUninstallOptions,
  defaultUpgradeOptions,
  type DeployOptions,
  type DryRunMode,
  type InstallOptions,
  type RollbackOptions,
  type TestOptions,
  type UninstallOptions,
  type UpgradeOptions,
} from './options.js';
export { MAX_LOOKUP_PASSES, renderRelease, releaseContent, toHelmHook, type AsyncLookup, type ReleaseRenderOptions, type RenderedRelease } from './render.js';
export { clusterCapabilities, lookupObject } from './cluster-info.js';
export { sortHooks, execHooks, podLogs, type ContainerLog, type HookRunContext } from './hooks.js';
export {
  FIELD_MANAGER,
  HELM_FIELD_MANAGER,
  adoptHelmFields,
  ownershipProblem,
  parseReleaseManifest,
  resourceString,
  unionFields,
  withReleaseMetadata,
} from './resources.js';
export {
  HookFailedError,
  LookupError,
  OwnershipConflictError,
  ReleaseActionError,
  ReleasePendingError,
  wrapActionError,
} from './errors.js';
