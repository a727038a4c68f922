// Status written back in each tool's own shape. Field names follow argoproj/argo-cd
// pkg/apis/application/v1alpha1/types.go (ApplicationStatus), fluxcd/kustomize-controller
// api/v1/kustomization_types.go (KustomizationStatus) and fluxcd/source-controller
// api/v1/gitrepository_types.go (GitRepositoryStatus, meta.Artifact).
import type { HealthStatus } from '../../engines/health/index.js';
import type { ObjectRef } from '../../kube/index.js';
import { formatGoDuration } from './internal/duration.js';
import { isObj, type Obj } from './internal/fields.js';
import { dropUndefined } from './internal/render-blocks.js';
import type { AppCondition, AppSpec, AppStatus, FluxGitRepository, GitSourceSpec, HistoryEntry, RenderKind, ResourceStatus } from './types.js';

/** Options of {@link statusPatch} and {@link gitRepositoryStatusPatch}. */
export interface StatusPatchOptions {
  /** The object's current `.status`: a condition whose status did not change keeps its lastTransitionTime. */
  previous?: unknown;
  /** ISO time for timestamps the status does not carry. @default status.reconciledAt, else the current time */
  now?: string;
}

/** A JSON merge patch (RFC 7386) of `.status`: send it to the status subresource, or to the object where the CRD has none. */
export interface StatusPatch {
  status: Record<string, unknown>;
}

/**
 * The merge patch that writes `status` onto the app's object in its tool's shape: Argo CD
 * `status.sync/health/resources/history/operationState/conditions/reconciledAt`; Flux
 * `conditions` (Ready, Reconciling, Healthy), `lastAppliedRevision`, `lastAttemptedRevision`,
 * `observedGeneration`, `inventory`; Slipway's own shape for Slipway Applications. Lists are
 * replaced whole; an empty history leaves the stored one alone. Pass the stored status as
 * `options.previous`: fields it has that the new status lacks are set to null so the merge
 * removes them (without it, such fields stay).
 */
export function statusPatch(app: AppSpec, status: AppStatus, options: StatusPatchOptions = {}): StatusPatch {
  const ctx = { now: options.now ?? status.reconciledAt ?? new Date().toISOString(), previous: isObj(options.previous) ? options.previous : {} };
  const shaped = app.format === 'argocd' ? argoStatus(app, status, ctx) : app.format === 'flux' ? fluxKustomizationStatus(app, status, ctx) : slipwayStatus(app, status, ctx);
  return { status: clearDropped(shaped, ctx.previous, OWNED_TOP_LEVEL[app.format]) };
}

/**
 * Top-level status fields that describe only the latest reconcile: when the new status has none,
 * the stored one is removed (an app that lost its images keeps no `summary`, one turned
 * multi-source no `sourceType`). Other top-level fields not written this time are history
 * (`history` when empty, `operationState`/`operation` with no operation, last applied or
 * attempted revisions, the inventory, the GitRepository artifact) and stay.
 */
const OWNED_TOP_LEVEL: Record<AppSpec['format'] | 'gitRepository', readonly string[]> = {
  argocd: ['sourceType', 'sourceTypes', 'summary'],
  flux: [],
  slipway: ['sourceType'],
  gitRepository: ['observedIgnore'],
};

/**
 * A merge patch merges objects key by key, so a field this status no longer has (a health
 * message once the app is healthy, `sync.revision` of an app turned multi-source, a field
 * dropped from the spec echoed in `comparedTo`, the `finishedAt` and `syncResult` of the last
 * operation once a new one runs) would survive from the previous status. Inside every object
 * written, each key of the previous status that the new one lacks is set to null (RFC 7386:
 * remove), as are the `owned` top-level keys; lists are replaced whole.
 */
function clearDropped(next: Obj, previous: Obj, owned: readonly string[]): Obj {
  const out: Obj = { ...next };
  for (const [k, v] of Object.entries(next)) if (isObj(v) && isObj(previous[k])) out[k] = nullMissing(v, previous[k]);
  for (const k of owned) if (next[k] === undefined && previous[k] !== undefined && previous[k] !== null) out[k] = null;
  return out;
}

function nullMissing(next: Obj, previous: Obj): Obj {
  const out: Obj = { ...next };
  for (const [k, before] of Object.entries(previous)) {
    const after = next[k];
    if (after === undefined) out[k] = null;
    else if (isObj(after) && isObj(before)) out[k] = nullMissing(after, before);
  }
  return out;
}

interface Ctx {
  now: string;
  previous: Obj;
}

/** The commit SHA of a revision written as Flux prints it ("main@sha1:<sha>", "sha1:<sha>"), or the revision itself. */
export function commitOf(revision: string): string {
  const m = /(?:^|@)(?:sha1|sha256):([0-9a-f]+)$/.exec(revision);
  return m ? m[1]! : revision;
}

/**
 * A revision as Flux prints it: kept when already in that form; a bare SHA gets the ref of the
 * source in front ("main@sha1:<sha>"; "sha1:<sha>" for a commit or semver ref).
 */
export function fluxRevision(ref: GitSourceSpec['ref'], revision: string): string {
  if (!/^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(revision)) return revision;
  const algo = revision.length === 64 ? 'sha256' : 'sha1';
  const name = ref?.commit || ref?.semver ? '' : (ref?.name ?? ref?.tag ?? ref?.branch ?? '');
  return `${name ? `${name}@` : ''}${algo}:${revision}`;
}

// ---------------------------------------------------------------------------------------------
// Argo CD

const ARGO_SOURCE_TYPES: Record<RenderKind, string> = { helm: 'Helm', kustomize: 'Kustomize', directory: 'Directory' };

/** Flux-style condition reasons and the Argo CD ApplicationCondition type each becomes. */
const ARGO_CONDITION_TYPES: Record<string, string> = {
  ArtifactFailed: 'ComparisonError',
  BuildFailed: 'ComparisonError',
  GitOperationFailed: 'ComparisonError',
  ApplyFailed: 'SyncError',
  PruneFailed: 'SyncError',
  ReconciliationFailed: 'SyncError',
  SyncFailed: 'SyncError',
  PolicyViolation: 'SyncError',
  InvalidSpec: 'InvalidSpecError',
};

function argoStatus(app: AppSpec, s: AppStatus, ctx: Ctx): Record<string, unknown> {
  const multi = app.sources.length > 1;
  const revisions = s.revisions?.map(commitOf);
  const out: Record<string, unknown> = {
    sync: dropUndefined({
      status: s.phase,
      revision: multi || s.revision === undefined ? undefined : commitOf(s.revision),
      revisions: multi ? revisions : undefined,
      comparedTo: argoComparedTo(app),
    }),
    health: dropUndefined({
      status: s.health.status,
      message: s.health.message || undefined,
      lastTransitionTime: keptTime(ctx, isObj(ctx.previous.health) ? ctx.previous.health : undefined, s.health.status),
    }),
    resources: s.resources.map(argoResource),
    conditions: argoConditions(s, ctx),
    reconciledAt: s.reconciledAt ?? ctx.now,
  };
  const history = s.history.slice(-Math.max(app.revisionHistoryLimit, 1)).map((h) => argoHistory(h, multi));
  if (history.length) out.history = history;
  if (s.operation) out.operationState = argoOperationState(app, s, multi);
  if (s.sourceTypes?.length) {
    if (multi) out.sourceTypes = s.sourceTypes.map((k) => ARGO_SOURCE_TYPES[k]);
    else out.sourceType = ARGO_SOURCE_TYPES[s.sourceTypes[0]!];
  }
  if (s.summary) out.summary = dropUndefined({ images: s.summary.images, externalURLs: s.summary.externalURLs });
  return out;
}

function argoComparedTo(app: AppSpec): Obj {
  const d = app.declared;
  return dropUndefined({
    source: d.sources ? undefined : (d.source ?? {}),
    sources: d.sources,
    destination: d.destination ?? {},
    ignoreDifferences: d.ignoreDifferences,
  });
}

function argoResource(r: ResourceStatus): Obj {
  return dropUndefined({
    group: r.group || undefined,
    version: r.version,
    kind: r.kind,
    namespace: r.namespace || undefined,
    name: r.name,
    status: r.status,
    health: r.health ? dropUndefined({ status: r.health.status, message: r.health.message || undefined }) : undefined,
    hook: r.hook || undefined,
    requiresPruning: r.requiresPruning || undefined,
    syncWave: r.syncWave || undefined,
  });
}

function argoHistory(h: HistoryEntry, multi: boolean): Obj {
  return dropUndefined({
    id: h.id,
    revision: multi ? undefined : commitOf(h.revision),
    revisions: multi ? (h.revisions ?? [h.revision]).map(commitOf) : undefined,
    deployedAt: h.deployedAt,
    deployStartedAt: h.deployStartedAt,
    source: multi ? undefined : (h.source ?? {}),
    sources: multi ? (h.sources ?? []) : undefined,
    initiatedBy: h.initiatedBy ? dropUndefined({ username: h.initiatedBy.username, automated: h.initiatedBy.automated || undefined }) : undefined,
  });
}

function argoOperationState(app: AppSpec, s: AppStatus, multi: boolean): Obj {
  const op = s.operation!;
  const retry = app.syncPolicy.retry;
  const revision = op.revision ?? s.revision;
  const revisions = op.revisions ?? s.revisions;
  return dropUndefined({
    operation: dropUndefined({
      sync: dropUndefined({
        revision: multi || revision === undefined ? undefined : commitOf(revision),
        revisions: multi ? revisions?.map(commitOf) : undefined,
        prune: op.prune || undefined,
        dryRun: op.dryRun || undefined,
        syncOptions: op.syncOptions?.length ? op.syncOptions : undefined,
      }),
      initiatedBy: dropUndefined({ username: op.initiatedBy?.username, automated: op.initiatedBy?.automated || undefined }),
      retry: retry
        ? {
            limit: retry.limit,
            backoff: { duration: formatGoDuration(retry.backoff.duration), factor: retry.backoff.factor, maxDuration: formatGoDuration(retry.backoff.maxDuration) },
          }
        : {},
    }),
    phase: op.phase,
    message: op.message || undefined,
    startedAt: op.startedAt,
    finishedAt: op.finishedAt,
    retryCount: op.retryCount || undefined,
    syncResult:
      revision === undefined && !revisions
        ? undefined
        : dropUndefined({
            // SyncOperationResult.revision is required, also for multi-source apps.
            revision: revision === undefined ? '' : commitOf(revision),
            revisions: multi ? revisions?.map(commitOf) : undefined,
            resources: op.resources?.map((r) =>
              dropUndefined({
                group: r.group,
                version: r.version,
                kind: r.kind,
                namespace: r.namespace,
                name: r.name,
                status: r.status,
                message: r.message || undefined,
                hookType: r.hookType,
                hookPhase: r.hookPhase,
                syncPhase: r.syncPhase,
              }),
            ),
            source: multi ? undefined : (app.declared.source ?? {}),
            sources: multi ? app.declared.sources : undefined,
          }),
  });
}

/**
 * Argo CD's ApplicationConditions ({type, message, lastTransitionTime}) from Slipway's
 * Flux-style conditions: a failing Ready condition becomes ComparisonError (source or build
 * failed), SyncError (apply or prune failed) or InvalidSpecError; conditions that already carry
 * an Argo CD type (…Error, …Warning) pass through; an error with no such condition is an
 * UnknownError. null (no conditions) clears the list.
 */
function argoConditions(s: AppStatus, ctx: Ctx): Obj[] | null {
  const prev = Array.isArray(ctx.previous.conditions) ? ctx.previous.conditions.filter(isObj) : [];
  const out: Obj[] = [];
  const add = (type: string, message: string, time?: string) => {
    if (out.some((c) => c.type === type)) return;
    const before = prev.find((c) => c.type === type && c.message === message);
    out.push({ type, message, lastTransitionTime: (typeof before?.lastTransitionTime === 'string' ? before.lastTransitionTime : undefined) ?? time ?? ctx.now });
  };
  for (const c of s.conditions) {
    if (/(Error|Warning)$/.test(c.type) && c.status === 'True') add(c.type, c.message, c.lastTransitionTime);
    else if (c.type === 'Ready' && c.status === 'False' && ARGO_CONDITION_TYPES[c.reason]) add(ARGO_CONDITION_TYPES[c.reason]!, c.message, c.lastTransitionTime);
  }
  if (s.error && !out.some((c) => c.message === s.error)) add('UnknownError', s.error);
  return out.length ? out : null;
}

// ---------------------------------------------------------------------------------------------
// Flux

/** Flux's inventory entry id, "<namespace>_<name>_<group>_<Kind>" (cli-utils ObjMetadata; ':' in names as "__"). */
export function fluxInventoryId(ref: Pick<ObjectRef, 'namespace' | 'name' | 'group' | 'kind'>): string {
  return `${ref.namespace}_${ref.name.replaceAll(':', '__')}_${ref.group}_${ref.kind}`;
}

function fluxKustomizationStatus(app: AppSpec, s: AppStatus, ctx: Ctx): Record<string, unknown> {
  const attempted = s.revision === undefined ? undefined : fluxRevision(app.source.ref, s.revision);
  const applied = s.lastAppliedRevision ?? (s.phase === 'Synced' && !failed(s) ? s.revision : undefined);
  return dropUndefined({
    observedGeneration: app.generation,
    conditions: conditionsWithTimes(s.conditions.length ? s.conditions : deriveConditions(app, s, attempted), ctx, app.generation),
    lastAppliedRevision: applied === undefined ? undefined : fluxRevision(app.source.ref, applied),
    lastAttemptedRevision: attempted,
    lastHandledReconcileAt: s.lastHandledReconcileAt,
    inventory: s.inventory ? { entries: s.inventory.map((r) => ({ id: fluxInventoryId(r), v: r.version })) } : undefined,
  });
}

function failed(s: AppStatus): boolean {
  return Boolean(s.error) || s.operation?.phase === 'Failed' || s.operation?.phase === 'Error';
}

type DraftCondition = Omit<AppCondition, 'lastTransitionTime'> & { lastTransitionTime?: string };

/**
 * Ready / Reconciling / Healthy as kustomize-controller sets them, from the rest of the status,
 * for reconcilers that report no conditions of their own. Healthy only where health is checked
 * (Flux `wait` or `healthChecks`; always for Slipway Applications).
 */
function deriveConditions(app: AppSpec, s: AppStatus, revision: string | undefined): DraftCondition[] {
  const checksHealth = app.format === 'slipway' || app.wait || app.healthChecks.length > 0;
  const running = s.operation?.phase === 'Running';
  const health: HealthStatus = s.health.status;
  const unhealthy = health === 'Degraded' || health === 'Missing';
  const out: DraftCondition[] = [];
  let ready: DraftCondition;
  if (failed(s)) ready = { type: 'Ready', status: 'False', reason: 'ReconciliationFailed', message: s.error || s.operation?.message || 'reconciliation failed' };
  else if (running) ready = { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' };
  else if (checksHealth && unhealthy) ready = { type: 'Ready', status: 'False', reason: 'HealthCheckFailed', message: s.health.message || `health check failed: ${health}` };
  else if (checksHealth && health === 'Progressing') ready = { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: s.health.message || 'Running health checks' };
  else if (s.phase === 'Synced') ready = { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded', message: revision ? `Applied revision: ${revision}` : 'Applied' };
  else ready = { type: 'Ready', status: 'Unknown', reason: 'Progressing', message: s.phase === 'OutOfSync' ? 'Changes not applied yet' : 'Reconciliation in progress' };
  out.push(ready);
  if (running) out.push({ type: 'Reconciling', status: 'True', reason: 'Progressing', message: 'Reconciliation in progress' });
  if (checksHealth && !failed(s)) {
    if (health === 'Healthy') out.push({ type: 'Healthy', status: 'True', reason: 'Succeeded', message: 'Health check passed' });
    else if (unhealthy) out.push({ type: 'Healthy', status: 'False', reason: 'HealthCheckFailed', message: s.health.message || `health check failed: ${health}` });
    else if (health === 'Progressing' || health === 'Unknown') out.push({ type: 'Healthy', status: 'Unknown', reason: 'Progressing', message: s.health.message || 'Running health checks' });
  }
  return out;
}

/** Conditions with lastTransitionTime: kept from the previous status while the status is unchanged. */
function conditionsWithTimes(conds: readonly DraftCondition[], ctx: Ctx, generation: number | undefined): Obj[] {
  const prev = Array.isArray(ctx.previous.conditions) ? ctx.previous.conditions.filter(isObj) : [];
  return conds.map((c) => {
    const before = prev.find((p) => p.type === c.type);
    const kept = before?.status === c.status && typeof before.lastTransitionTime === 'string' ? before.lastTransitionTime : undefined;
    return dropUndefined({
      type: c.type,
      status: c.status,
      observedGeneration: generation,
      lastTransitionTime: kept ?? c.lastTransitionTime ?? ctx.now,
      reason: c.reason,
      message: c.message,
    });
  });
}

/** What fetching a GitRepository's source gave; see {@link gitRepositoryStatusPatch}. */
export interface SourceFetchStatus {
  /** The revision fetched, as Flux prints it ("main@sha1:<sha>"); a bare SHA gets the ref in front. */
  revision?: string;
  /** Why the fetch failed; the last artifact stays in status, as in Flux. */
  error?: string;
  /** When the revision was fetched. @default options.now */
  fetchedAt?: string;
  /**
   * Artifact fields Flux requires. Slipway keeps a checkout, not a tarball served over HTTP, so
   * the defaults say so: path `gitrepository/<ns>/<name>/<sha>.tar.gz` (Flux's storage layout),
   * url '' (nothing is served), digest `sha1:<sha>` (the commit id, the only digest there is).
   */
  artifact?: { path?: string; url?: string; digest?: string; size?: number };
  lastHandledReconcileAt?: string;
}

/**
 * The merge patch of a Flux GitRepository's status after Slipway fetched it (as source-controller
 * writes it): `artifact`, Ready and ArtifactInStorage conditions ("stored artifact for revision
 * '…'"), or Ready=False and FetchFailed with reason GitOperationFailed; `observedGeneration`.
 */
export function gitRepositoryStatusPatch(repo: FluxGitRepository, fetch: SourceFetchStatus, options: StatusPatchOptions = {}): StatusPatch {
  const ctx = { now: options.now ?? fetch.fetchedAt ?? new Date().toISOString(), previous: isObj(options.previous) ? options.previous : {} };
  const out: Record<string, unknown> = {};
  if (repo.generation !== undefined) out.observedGeneration = repo.generation;
  if (fetch.error || fetch.revision === undefined) {
    const message = fetch.error ?? 'no revision fetched';
    out.conditions = conditionsWithTimes(
      [
        { type: 'Ready', status: 'False', reason: 'GitOperationFailed', message },
        { type: 'FetchFailed', status: 'True', reason: 'GitOperationFailed', message },
      ],
      ctx,
      repo.generation,
    );
  } else {
    const revision = fluxRevision(repo.source.ref, fetch.revision);
    const sha = commitOf(revision);
    const message = `stored artifact for revision '${revision}'`;
    out.artifact = dropUndefined({
      path: fetch.artifact?.path ?? `gitrepository/${repo.ref.namespace}/${repo.ref.name}/${sha}.tar.gz`,
      url: fetch.artifact?.url ?? '',
      revision,
      digest: fetch.artifact?.digest ?? (/^[0-9a-f]{40}$/.test(sha) ? `sha1:${sha}` : undefined),
      lastUpdateTime: fetch.fetchedAt ?? ctx.now,
      size: fetch.artifact?.size,
    });
    out.conditions = conditionsWithTimes(
      [
        { type: 'Ready', status: 'True', reason: 'Succeeded', message },
        { type: 'ArtifactInStorage', status: 'True', reason: 'Succeeded', message },
      ],
      ctx,
      repo.generation,
    );
    if (repo.ignore !== undefined) out.observedIgnore = repo.ignore;
  }
  if (fetch.lastHandledReconcileAt) out.lastHandledReconcileAt = fetch.lastHandledReconcileAt;
  return { status: clearDropped(out, ctx.previous, OWNED_TOP_LEVEL.gitRepository) };
}

// ---------------------------------------------------------------------------------------------
// Slipway

function slipwayStatus(app: AppSpec, s: AppStatus, ctx: Ctx): Record<string, unknown> {
  const applied = s.lastAppliedRevision ?? (s.phase === 'Synced' && !failed(s) ? s.revision : undefined);
  const history = s.history.slice(-Math.max(app.revisionHistoryLimit, 1)).map((h) => dropUndefined({ ...h }));
  return dropUndefined({
    observedGeneration: app.generation,
    sync: dropUndefined({ status: s.phase, revision: s.revision }),
    health: dropUndefined({ status: s.health.status, message: s.health.message || undefined }),
    conditions: conditionsWithTimes(s.conditions.length ? s.conditions : deriveConditions(app, s, s.revision), ctx, app.generation),
    resources: s.resources.map(argoResource),
    history: history.length ? history : undefined,
    operation: s.operation
      ? dropUndefined({
          phase: s.operation.phase,
          message: s.operation.message,
          startedAt: s.operation.startedAt,
          finishedAt: s.operation.finishedAt,
          revision: s.operation.revision,
        })
      : undefined,
    lastAppliedRevision: applied,
    sourceType: s.sourceTypes?.[0],
    error: s.error ?? null,
    reconciledAt: s.reconciledAt ?? ctx.now,
    lastHandledReconcileAt: s.lastHandledReconcileAt,
  });
}

/** A condition's lastTransitionTime: the previous one while `status` is unchanged. */
function keptTime(ctx: Ctx, previous: Obj | undefined, status: string): string {
  return previous?.status === status && typeof previous.lastTransitionTime === 'string' ? previous.lastTransitionTime : ctx.now;
}
