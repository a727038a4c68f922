import type { Chart, GoMap } from '../../engines/chart/index.js';

/**
 * helm's --dry-run: `none` changes the cluster; `client` (the bare flag) renders without
 * asking the cluster (lookup answers {}); `server` answers lookup from the cluster. Neither
 * dry run writes anything.
 */
export type DryRunMode = 'none' | 'client' | 'server';

/** The flags install and upgrade share (helm's Install and Upgrade fields). */
export interface DeployOptions {
  /** Release name. */
  name: string;
  /** Release namespace: where the release is stored and where objects without a namespace go. */
  namespace: string;
  chart: Chart;
  /** User-supplied values, -f/--set merged (helm's vals). @default {} */
  values: GoMap;
  /** @default 'none' */
  dryRun: DryRunMode;
  /** --no-hooks @default false */
  disableHooks: boolean;
  /** --wait: every object healthy before the release counts as deployed. @default false */
  wait: boolean;
  /** --wait-for-jobs @default false */
  waitForJobs: boolean;
  /** --timeout: for each hook, and for --wait. @default 300000 (helm's 5m0s) */
  timeoutMs: number;
  /** --atomic: undo a failed install/upgrade (implies --wait). @default false */
  atomic: boolean;
  /** --description: replaces "Install complete" / "Upgrade complete". */
  description?: string;
  /** --labels: stored on the release record. */
  labels?: Record<string, string>;
  /** --render-subchart-notes @default false */
  subNotes: boolean;
  /** --skip-schema-validation @default false */
  skipSchemaValidation: boolean;
  /** --take-ownership: adopt existing objects without helm's ownership metadata. @default false */
  takeOwnership: boolean;
}

/** helm install's options. */
export interface InstallOptions extends DeployOptions {
  /** --create-namespace @default false */
  createNamespace: boolean;
  /** --replace: reuse the name of an uninstalled or failed release. @default false */
  replace: boolean;
  /** --skip-crds @default false */
  skipCrds: boolean;
}

/** helm upgrade's options. */
export interface UpgradeOptions extends DeployOptions {
  /** --history-max: revisions kept (0: all). @default 10 */
  historyMax: number;
  /** --reset-values @default false */
  resetValues: boolean;
  /** --reuse-values @default false */
  reuseValues: boolean;
  /** --reset-then-reuse-values @default false */
  resetThenReuseValues: boolean;
  /** --cleanup-on-fail: delete objects this upgrade created when it fails. @default false */
  cleanupOnFail: boolean;
}

/** helm rollback's options. */
export interface RollbackOptions {
  name: string;
  namespace: string;
  /** Revision to roll back to; 0 is the one before the newest. @default 0 */
  version: number;
  /** @default false */
  dryRun: boolean;
  /** @default false */
  disableHooks: boolean;
  /** @default false */
  wait: boolean;
  /** @default false */
  waitForJobs: boolean;
  /** @default 300000 */
  timeoutMs: number;
  /** @default 10 */
  historyMax: number;
  /** @default false */
  cleanupOnFail: boolean;
}

/** helm uninstall's options. */
export interface UninstallOptions {
  name: string;
  namespace: string;
  /** @default false */
  dryRun: boolean;
  /** @default false */
  disableHooks: boolean;
  /** --keep-history: mark the release uninstalled instead of deleting its records. @default false */
  keepHistory: boolean;
  /** --ignore-not-found @default false */
  ignoreNotFound: boolean;
  /** --wait: until every deleted object is gone. @default false */
  wait: boolean;
  /** @default 300000 */
  timeoutMs: number;
  /** --cascade @default 'Background' */
  propagationPolicy: 'Background' | 'Foreground' | 'Orphan';
  description?: string;
}

/** helm test's options. */
export interface TestOptions {
  name: string;
  namespace: string;
  /** @default 300000 */
  timeoutMs: number;
  /** --filter name=X: only these tests. @default [] */
  include: string[];
  /** --filter '!name=X': all tests but these. @default [] */
  exclude: string[];
}

/** helm's default --timeout. */
export const DEFAULT_TIMEOUT_MS = 300_000;
/** helm's default --history-max ($HELM_MAX_HISTORY, else 10). */
export const DEFAULT_HISTORY_MAX = 10;

type Defaults<T, K extends keyof T> = Omit<T, K>;

function deployDefaults(): Defaults<DeployOptions, 'name' | 'namespace' | 'chart'> {
  return {
    values: {},
    dryRun: 'none',
    disableHooks: false,
    wait: false,
    waitForJobs: false,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    atomic: false,
    subNotes: false,
    skipSchemaValidation: false,
    takeOwnership: false,
  };
}

export function defaultInstallOptions(): Defaults<InstallOptions, 'name' | 'namespace' | 'chart'> {
  return { ...deployDefaults(), createNamespace: false, replace: false, skipCrds: false };
}

export function defaultUpgradeOptions(): Defaults<UpgradeOptions, 'name' | 'namespace' | 'chart'> {
  return { ...deployDefaults(), historyMax: DEFAULT_HISTORY_MAX, resetValues: false, reuseValues: false, resetThenReuseValues: false, cleanupOnFail: false };
}

export function defaultRollbackOptions(): Defaults<RollbackOptions, 'name' | 'namespace'> {
  return { version: 0, dryRun: false, disableHooks: false, wait: false, waitForJobs: false, timeoutMs: DEFAULT_TIMEOUT_MS, historyMax: DEFAULT_HISTORY_MAX, cleanupOnFail: false };
}

export function defaultUninstallOptions(): Defaults<UninstallOptions, 'name' | 'namespace'> {
  return { dryRun: false, disableHooks: false, keepHistory: false, ignoreNotFound: false, wait: false, timeoutMs: DEFAULT_TIMEOUT_MS, propagationPolicy: 'Background' };
}

export function defaultTestOptions(): Defaults<TestOptions, 'name' | 'namespace'> {
  return { timeoutMs: DEFAULT_TIMEOUT_MS, include: [], exclude: [] };
}
