import { compareKinds, formatKey, isPruneProtected, keyString, type KubeObject, type ResourceKey } from '../../core/index.js';
import {
  SYNC_PHASES,
  hasOption,
  hookDeletePolicies,
  isHook,
  isSkipped,
  syncPhases,
  syncWave,
  type HookDeletePolicy,
  type SyncPhase,
} from './hooks.js';

/** One object as the comparison left it: what Git wants, what the cluster has. */
export interface PlanResource {
  /** Key with the namespace resolved. */
  key: ResourceKey;
  /** The object from Git; absent for an object only the inventory knows (requires pruning). */
  desired?: KubeObject;
  /** The live object; absent when it does not exist. */
  live?: KubeObject;
  /** Comparison result; hooks are always 'OutOfSync' here (they run on every sync). */
  status: 'Synced' | 'OutOfSync';
}

/** Options of {@link planSync}. */
export interface PlanOptions {
  /** 'flux' applies everything in one staged step and prunes after it; the others follow Argo CD. */
  format: 'argocd' | 'flux' | 'slipway';
  /** Delete objects that left Git. @default false */
  prune: boolean;
  /** Prune in one extra wave after every Sync wave (Argo `PruneLast=true`). @default false */
  pruneLast: boolean;
  /** Apply only OutOfSync objects (Argo `ApplyOutOfSyncOnly=true`). @default false */
  applyOutOfSyncOnly: boolean;
  /** The revision being synced; names generated hooks. */
  revision: string;
  /** When the sync started; names generated hooks. */
  startedAt: Date;
}

export function defaultPlanOptions(): PlanOptions {
  return { format: 'argocd', prune: false, pruneLast: false, applyOutOfSyncOnly: false, revision: '', startedAt: new Date(0) };
}

/** What to do with one object. */
export type TaskAction = 'apply' | 'hook' | 'prune';

/** One unit of a sync (gitops-engine syncTask). */
export interface SyncTask {
  phase: SyncPhase;
  wave: number;
  action: TaskAction;
  key: ResourceKey;
  /** The object to apply or create (apply, hook), or the live object to delete (prune). */
  object: KubeObject;
  /** Hooks only. */
  deletePolicies?: HookDeletePolicy[];
}

/** The tasks of one phase and wave; they run together and are waited on before the next step. */
export interface SyncStep {
  phase: SyncPhase;
  wave: number;
  tasks: SyncTask[];
}

/** An object the plan leaves alone, and why (in Argo's words: "ignored (requires pruning)"). */
export interface SkippedTask {
  key: ResourceKey;
  message: string;
}

/**
 * A sync as data (STYLE §4): steps sorted by phase, then wave; tasks within a step pruned
 * first, then by kind order and name. `prune` lists every key a step deletes.
 */
export interface SyncPlan {
  steps: SyncStep[];
  prune: ResourceKey[];
  skipped: SkippedTask[];
}

/**
 * Works out a sync from a comparison, following gitops-engine pkg/sync (sync_context.go
 * getSyncTasks, sync_tasks.go): resources go to the Sync phase in their wave; hooks to each
 * of their phases; objects that left Git are pruned in the wave of their live object, prune
 * waves mirrored so objects are removed in the reverse of their creation order, and with
 * PruneLast (app option or the object's own `PruneLast=true`) all in one wave after the last
 * Sync wave. Prune happens only when enabled, never for prune-protected objects
 * (`Prune=false`, `helm.sh/resource-policy: keep`, …). SyncFail steps run only when the
 * sync fails; the executor decides that.
 *
 * For the flux format there are no phases or waves: one Sync step applies everything (the
 * applier stages CRDs and Namespaces itself) and prune runs after it.
 */
export function planSync(resources: readonly PlanResource[], options: PlanOptions): SyncPlan {
  const tasks: SyncTask[] = [];
  const skipped: SkippedTask[] = [];
  const pruneTasks: SyncTask[] = [];
  const flux = options.format === 'flux';
  for (const r of resources) {
    if (r.desired) {
      if (flux) {
        if (!options.applyOutOfSyncOnly || r.status === 'OutOfSync') tasks.push(applyTask(r.key, r.desired, 'Sync', 0));
        continue;
      }
      if (isSkipped(r.desired)) {
        skipped.push({ key: r.key, message: 'skipped (hook Skip)' });
        continue;
      }
      if (isHook(r.desired)) {
        for (const phase of syncPhases(r.desired)) tasks.push(hookTask(r.key, r.desired, phase, options));
        continue;
      }
      if (options.applyOutOfSyncOnly && r.status === 'Synced') continue;
      tasks.push(applyTask(r.key, r.desired, 'Sync', syncWave(r.desired)));
      continue;
    }
    if (!r.live) continue; // in the inventory only, and already gone
    if (!options.prune) {
      skipped.push({ key: r.key, message: 'ignored (requires pruning)' });
    } else if (isPruneProtected(r.live)) {
      skipped.push({ key: r.key, message: 'ignored (no prune)' });
    } else {
      pruneTasks.push({ phase: 'Sync', wave: flux ? 1 : syncWave(r.live), action: 'prune', key: r.key, object: r.live });
    }
  }
  if (!flux) mirrorPruneWaves(pruneTasks);
  const lastSyncWave = Math.max(0, ...tasks.filter((t) => t.phase === 'Sync').map((t) => t.wave), ...pruneTasks.map((t) => t.wave)) + 1;
  for (const t of pruneTasks) {
    if (flux || options.pruneLast || hasOption(t.object, 'PruneLast')) t.wave = flux ? 1 : lastSyncWave;
    tasks.push(t);
  }
  tasks.sort(compareTasks);
  const steps: SyncStep[] = [];
  for (const t of tasks) {
    const last = steps[steps.length - 1];
    if (last && last.phase === t.phase && last.wave === t.wave) last.tasks.push(t);
    else steps.push({ phase: t.phase, wave: t.wave, tasks: [t] });
  }
  return { steps, prune: pruneTasks.map((t) => t.key), skipped };
}

function applyTask(key: ResourceKey, object: KubeObject, phase: SyncPhase, wave: number): SyncTask {
  return { phase, wave, action: 'apply', key, object };
}

function hookTask(key: ResourceKey, desired: KubeObject, phase: SyncPhase, options: PlanOptions): SyncTask {
  let object = desired;
  let k = key;
  if (!desired.metadata.name) {
    // A hook with generateName gets a name per sync, as gitops-engine does:
    // <generateName><revision[0:7]>-<phase>-<unix seconds>, lower case.
    const rev = options.revision.length >= 8 ? options.revision.slice(0, 7) : options.revision;
    const postfix = `${rev}-${phase}-${Math.floor(options.startedAt.getTime() / 1000)}`.toLowerCase();
    const { generateName, ...metadata } = desired.metadata;
    object = { ...desired, metadata: { ...metadata, name: `${generateName ?? ''}${postfix}` } };
    k = { ...key, name: object.metadata.name! };
  }
  return { phase, wave: syncWave(desired), action: 'hook', key: k, object, deletePolicies: hookDeletePolicies(desired) };
}

/** Symmetric swap of prune waves: the first wave created is the last one pruned (sync_context.go). */
function mirrorPruneWaves(pruneTasks: SyncTask[]): void {
  const waves = [...new Set(pruneTasks.map((t) => t.wave))].sort((a, b) => a - b);
  const mirror = new Map(waves.map((w, i) => [w, waves[waves.length - 1 - i]!]));
  for (const t of pruneTasks) t.wave = mirror.get(t.wave)!;
}

const PHASE_RANK = new Map(SYNC_PHASES.map((p, i) => [p, i]));

function compareTasks(a: SyncTask, b: SyncTask): number {
  return (
    PHASE_RANK.get(a.phase)! - PHASE_RANK.get(b.phase)! ||
    a.wave - b.wave ||
    // Within a wave gitops-engine prunes first, then creates.
    Number(a.action !== 'prune') - Number(b.action !== 'prune') ||
    compareKinds(a.key.kind, b.key.kind) ||
    (a.key.name < b.key.name ? -1 : a.key.name > b.key.name ? 1 : 0) ||
    (a.key.namespace < b.key.namespace ? -1 : a.key.namespace > b.key.namespace ? 1 : 0)
  );
}

/** One line per task, for logs, dry runs and tests: "Sync/0 apply Deployment/shop/web". */
export function describePlan(plan: SyncPlan): string[] {
  const out: string[] = [];
  for (const s of plan.steps) for (const t of s.tasks) out.push(`${s.phase}/${s.wave} ${t.action} ${formatKey(t.key)}`);
  for (const s of plan.skipped) out.push(`skip ${formatKey(s.key)}: ${s.message}`);
  return out;
}

/** Keys of a plan's apply and hook tasks, deduplicated. */
export function plannedKeys(plan: SyncPlan): ResourceKey[] {
  const seen = new Map<string, ResourceKey>();
  for (const s of plan.steps) for (const t of s.tasks) if (t.action !== 'prune') seen.set(keyString(t.key), t.key);
  return [...seen.values()];
}
