import { SlipwayError, formatError, sortByUninstallOrder } from '../../core/index.js';
import { splitManifests } from '../../engines/chart/index.js';
import { parseManifests } from '../../engines/yaml/index.js';
import type { Release, ReleaseStore } from '../storage/index.js';
import { resolveContext, withReleaseLock, type ActionContext, type ResolvedContext } from './context.js';
import { ReleaseActionError } from './errors.js';
import { execHooks } from './hooks.js';
import { retryTransient } from './internal/async.js';
import { checkReleaseName, stamp, wrap } from './internal/shared.js';
import type { UninstallOptions } from './options.js';
import { deleteResources, resolveResources, waitDeleted, type ReleaseResource } from './resources.js';

/** What uninstall did. */
export interface UninstallResult {
  /** The release as it was last stored (status uninstalled), or as found for a dry run. */
  release?: Release;
  /** helm's res.Info: "These resources were kept due to the resource policy:\n[Kind] name\n…", or "". */
  info: string;
}

/**
 * `helm uninstall` (pkg/action/uninstall.go): marks the newest revision uninstalling, runs
 * pre-delete hooks, deletes the release's objects in uninstall order (except those whose
 * manifest says `helm.sh/resource-policy: keep`), waits for them to go (--wait), runs
 * post-delete hooks, and then deletes every revision, or with --keep-history marks the newest
 * uninstalled and the deployed ones superseded.
 */
export async function uninstall(context: ActionContext, options: Partial<UninstallOptions> & Pick<UninstallOptions, 'name' | 'namespace'>): Promise<UninstallResult> {
  const ctx = resolveContext(context);
  const store = ctx.store(options.namespace);
  if (options.dryRun) {
    const rel = await store.last(options.name);
    if (!rel) throw new ReleaseActionError('release: not found');
    return { release: rel, info: '' };
  }
  checkReleaseName(options.name, () => `uninstall: Release name is invalid: ${options.name}`);
  const history = await store.history(options.name);
  if (history.length === 0) {
    if (options.ignoreNotFound) return { info: '' };
    throw new ReleaseActionError(`uninstall: Release not loaded: ${options.name}: release: not found`);
  }
  return withReleaseLock(ctx, store, options.name, (signal) => uninstallLocked(ctx, store, options, signal));
}

/** The uninstall itself, for a caller that holds the lease (install --atomic does). */
export async function uninstallLocked(
  ctx: ResolvedContext,
  store: ReleaseStore,
  options: Partial<UninstallOptions> & Pick<UninstallOptions, 'name' | 'namespace'>,
  signal?: AbortSignal,
): Promise<UninstallResult> {
  const timeoutMs = options.timeoutMs ?? 300_000;
  const rels = [...(await store.history(options.name))].sort((a, b) => a.version - b.version);
  const rel = rels[rels.length - 1];
  if (!rel) throw new ReleaseActionError('no release provided');
  if (rel.info.status === 'uninstalled') {
    if (!options.keepHistory) {
      await purge(store, rels);
      return { release: rel, info: '' };
    }
    throw new ReleaseActionError(`the release named "${options.name}" is already deleted`);
  }
  ctx.log(`uninstall: Deleting ${options.name}`);
  rel.info.status = 'uninstalling';
  rel.info.deleted = stamp(ctx.now);
  rel.info.description = 'Deletion in progress (or silently failed)';
  const record = () => retryTransient(() => store.update(rel)).catch((e: Error) => ctx.log(`uninstall: Failed to store updated release: ${e.message}`));
  const hookCtx = { client: ctx.client, namespace: rel.namespace, timeoutMs, record, now: ctx.now, onLog: ctx.onHookLog, log: ctx.log, signal };
  if (!options.disableHooks) await execHooks(rel, 'pre-delete', hookCtx);
  await record();

  const { keep, remove } = splitKept(rel);
  const resources = await resolveResources(ctx.client, remove, rel.namespace, { skipUnknown: true });
  const { deleted, errors } = await deleteResources(ctx.client, resources.map((r: ReleaseResource) => r.ref), {
    propagationPolicy: options.propagationPolicy ?? 'Background',
    signal,
  });
  if (errors.length > 0) {
    ctx.log(`uninstall: Failed to delete release: ${errors.map((e) => formatError(e)).join('; ')}`);
    throw new ReleaseActionError(`failed to delete release: ${options.name}`);
  }
  const info = keep.length > 0 ? `These resources were kept due to the resource policy:\n${keep.map((m) => `[${m.object.kind}] ${m.object.metadata.name ?? ''}\n`).join('')}` : '';
  const errs: string[] = [];
  if (options.wait) {
    try {
      await waitDeleted(ctx.client, deleted, timeoutMs, signal);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      errs.push(e.message);
    }
  }
  if (!options.disableHooks) {
    try {
      await execHooks(rel, 'post-delete', hookCtx);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      errs.push(e.message);
    }
  }
  rel.info.status = 'uninstalled';
  rel.info.description = options.description || 'Uninstallation complete';
  if (!options.keepHistory) {
    ctx.log(`purge requested for ${options.name}`);
    try {
      await purge(store, rels);
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      errs.push(wrap('uninstall: Failed to purge the release', e).message);
    }
  } else {
    await record();
    for (const r of rels) {
      if (r.version === rel.version || r.info.status !== 'deployed') continue;
      r.info.status = 'superseded';
      await retryTransient(() => store.update(r)).catch((e: Error) => ctx.log(`uninstall: Failed to store updated release: ${e.message}`));
    }
  }
  if (errs.length > 0) {
    throw Object.assign(new ReleaseActionError(`uninstallation completed with ${errs.length} error(s): ${errs.join('; ')}`), { result: { release: rel, info } });
  }
  return { release: rel, info };
}

async function purge(store: ReleaseStore, rels: readonly Release[]): Promise<void> {
  for (const r of rels) await retryTransient(() => store.delete(r.name, r.version));
}

/**
 * helm's filterManifestsToKeep over the release manifest in uninstall order: documents whose
 * `helm.sh/resource-policy` is `keep` (trimmed, any case) are kept.
 */
function splitKept(rel: Release): { keep: ReturnType<typeof parseManifests>; remove: ReturnType<typeof parseManifests> } {
  const keep: ReturnType<typeof parseManifests> = [];
  const remove: ReturnType<typeof parseManifests> = [];
  for (const doc of splitManifests(rel.manifest)) {
    const source = /^# Source: (.*)$/m.exec(doc)?.[1] ?? 'manifest';
    for (const m of parseManifests(doc, source)) {
      const policy = m.object.metadata.annotations?.['helm.sh/resource-policy'];
      if (policy !== undefined && policy.trim().toLowerCase() === 'keep') keep.push(m);
      else remove.push(m);
    }
  }
  return { keep: sortByUninstallOrder(keep, (m) => m.object.kind), remove };
}
