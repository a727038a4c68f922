import type { KubeObject } from '../../core/index.js';

/**
 * The sync phases of an Argo CD sync, in the order they run (gitops-engine pkg/sync/common
 * SyncPhase). SyncFail runs only when an earlier phase failed.
 */
export type SyncPhase = 'PreSync' | 'Sync' | 'PostSync' | 'SyncFail';

/** Phases in execution order. */
export const SYNC_PHASES: readonly SyncPhase[] = ['PreSync', 'Sync', 'PostSync', 'SyncFail'];

/** When a hook object is deleted (gitops-engine pkg/sync/hook/delete_policy.go). */
export type HookDeletePolicy = 'HookSucceeded' | 'HookFailed' | 'BeforeHookCreation';

export const ANNOTATION_HOOK = 'argocd.argoproj.io/hook';
export const ANNOTATION_HOOK_DELETE_POLICY = 'argocd.argoproj.io/hook-delete-policy';
export const ANNOTATION_SYNC_WAVE = 'argocd.argoproj.io/sync-wave';
export const ANNOTATION_SYNC_OPTIONS = 'argocd.argoproj.io/sync-options';
export const ANNOTATION_COMPARE_OPTIONS = 'argocd.argoproj.io/compare-options';
export const HELM_HOOK = 'helm.sh/hook';
export const HELM_HOOK_WEIGHT = 'helm.sh/hook-weight';
export const HELM_HOOK_DELETE_POLICY = 'helm.sh/hook-delete-policy';

/** Helm hook types Argo CD runs, and the phase each becomes (gitops-engine pkg/sync/hook/helm/type.go). */
const HELM_HOOK_PHASES: Readonly<Record<string, SyncPhase>> = {
  'pre-install': 'PreSync',
  'pre-upgrade': 'PreSync',
  'post-install': 'PostSync',
  'post-upgrade': 'PostSync',
};

const HELM_DELETE_POLICIES: Readonly<Record<string, HookDeletePolicy>> = {
  'before-hook-creation': 'BeforeHookCreation',
  'hook-succeeded': 'HookSucceeded',
  'hook-failed': 'HookFailed',
};

const ARGO_HOOK_TYPES = new Set(['PreSync', 'Sync', 'PostSync', 'SyncFail', 'Skip', 'PostDelete']);
const ARGO_DELETE_POLICIES = new Set<string>(['HookSucceeded', 'HookFailed', 'BeforeHookCreation']);

function annotation(obj: KubeObject, name: string): string | undefined {
  return obj.metadata?.annotations?.[name];
}

/** Comma-separated annotation values, trimmed, empty entries dropped (resourceutil.GetAnnotationCSVs). */
function csv(obj: KubeObject, name: string): string[] {
  return (annotation(obj, name) ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * The hook types an object declares. Argo's own annotation wins; Helm hook annotations are
 * read only when it is absent, and only the four types Argo maps (pre/post install/upgrade);
 * other Helm hooks (test, pre-delete, …) give no type and so never run.
 */
export function hookTypes(obj: KubeObject): string[] {
  const argo = csv(obj, ANNOTATION_HOOK).filter((t) => ARGO_HOOK_TYPES.has(t));
  if (argo.length > 0) return argo;
  return csv(obj, HELM_HOOK).flatMap((t) => (HELM_HOOK_PHASES[t] ? [HELM_HOOK_PHASES[t]] : []));
}

/** `argocd.argoproj.io/hook: Skip` alone: the object is not applied at all (hook.Skip). */
export function isSkipped(obj: KubeObject): boolean {
  const types = hookTypes(obj);
  return types.length === 1 && types[0] === 'Skip';
}

/**
 * True for hook objects: they run in phases and are not part of the app's resources. A Helm
 * `crd-install` hook is a plain resource, as in gitops-engine pkg/sync/hook/helm/hook.go.
 */
export function isHook(obj: KubeObject): boolean {
  if (annotation(obj, ANNOTATION_HOOK) !== undefined) return !isSkipped(obj);
  const helm = annotation(obj, HELM_HOOK);
  return helm !== undefined && helm !== 'crd-install';
}

/**
 * The phases an object takes part in: Sync for a plain resource, the hook's phases for a
 * hook (duplicates dropped, in phase order), none for a skipped object or a Helm hook of a
 * type Argo does not run.
 */
export function syncPhases(obj: KubeObject): SyncPhase[] {
  if (isSkipped(obj)) return [];
  if (!isHook(obj)) return ['Sync'];
  const types = new Set(hookTypes(obj));
  return SYNC_PHASES.filter((p) => types.has(p));
}

/** The sync wave: `argocd.argoproj.io/sync-wave`, else `helm.sh/hook-weight`, else 0 (syncwaves.Wave). */
export function syncWave(obj: KubeObject): number {
  const own = parseInteger(annotation(obj, ANNOTATION_SYNC_WAVE));
  if (own !== undefined) return own;
  return parseInteger(annotation(obj, HELM_HOOK_WEIGHT)) ?? 0;
}

function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return /^[-+]?\d+$/.test(t) ? Number(t) : undefined;
}

/** Delete policies of a hook; BeforeHookCreation when none is given (gitops-engine hook.DeletePolicies). */
export function hookDeletePolicies(obj: KubeObject): HookDeletePolicy[] {
  const out = new Set<HookDeletePolicy>();
  for (const p of csv(obj, ANNOTATION_HOOK_DELETE_POLICY)) if (ARGO_DELETE_POLICIES.has(p)) out.add(p as HookDeletePolicy);
  for (const p of csv(obj, HELM_HOOK_DELETE_POLICY)) {
    const mapped = HELM_DELETE_POLICIES[p];
    if (mapped) out.add(mapped);
  }
  if (out.size === 0) out.add('BeforeHookCreation');
  return [...out];
}

/**
 * The `key=value` options of `argocd.argoproj.io/sync-options` (or compare-options), e.g.
 * `Prune=false,PruneLast=true` -> { Prune: 'false', PruneLast: 'true' }.
 */
export function annotationOptions(obj: KubeObject | undefined, name = ANNOTATION_SYNC_OPTIONS): Record<string, string> {
  const out: Record<string, string> = {};
  if (!obj) return out;
  for (const entry of csv(obj, name)) {
    const eq = entry.indexOf('=');
    if (eq < 0) out[entry] = 'true';
    else out[entry.slice(0, eq).trim()] = entry.slice(eq + 1).trim();
  }
  return out;
}

/** True when `argocd.argoproj.io/sync-options` (or `name`) has `option=value`. */
export function hasOption(obj: KubeObject | undefined, option: string, value = 'true', name = ANNOTATION_SYNC_OPTIONS): boolean {
  return annotationOptions(obj, name)[option] === value;
}
