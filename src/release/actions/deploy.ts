import { SlipwayError, formatError } from '../../core/index.js';
import { processDependencies, type Chart, type GoMap } from '../../engines/chart/index.js';
import { parseManifests } from '../../engines/yaml/index.js';
import { getObject, type ObjectRef } from '../../kube/index.js';
import { chartToJson, type HelmChartJson, type Release } from '../storage/index.js';
import { clusterCapabilities, lookupObject } from './cluster-info.js';
import type { ResolvedContext } from './context.js';
import { OwnershipConflictError, ReleaseActionError } from './errors.js';
import type { DeployOptions } from './options.js';
import { renderRelease, type RenderedRelease } from './render.js';
import {
  createObject,
  isAlreadyExists,
  ownershipProblem,
  parseReleaseManifest,
  resolveResources,
  resourceString,
  waitReady,
  type ReleaseResource,
} from './resources.js';
import { mapPool } from './internal/async.js';

/**
 * Renders a chart for a release against the cluster: its capabilities, and `lookup`
 * answered live unless this is a client dry run (helm's interactWithRemote).
 */
export async function renderForRelease(
  ctx: ResolvedContext,
  chart: Chart,
  values: GoMap,
  options: Pick<DeployOptions, 'name' | 'namespace' | 'dryRun' | 'subNotes' | 'skipSchemaValidation'> & { revision: number; isUpgrade: boolean },
): Promise<RenderedRelease> {
  const capabilities = await clusterCapabilities(ctx.client);
  const rendered = await renderRelease(chart, values, {
    name: options.name,
    namespace: options.namespace,
    revision: options.revision,
    isUpgrade: options.isUpgrade,
    capabilities,
    subNotes: options.subNotes,
    skipSchemaValidation: options.skipSchemaValidation,
    lookup: options.dryRun === 'client' ? undefined : (a, k, ns, n) => lookupObject(ctx.client, a, k, ns, n),
    warn: ctx.warn,
  });
  if (rendered.passes > 1) ctx.log(`rendered ${options.name} in ${rendered.passes} passes to answer lookup from the cluster`);
  return rendered;
}

/**
 * The chart as helm stores it in the release: after ProcessDependenciesWithMerge (enabled
 * flags set, import-values merged), in helm's chart JSON (which leaves subcharts out).
 */
export function storedChart(chart: Chart, values: GoMap): HelmChartJson {
  return chartToJson(processDependencies(chart, values));
}

/** The objects of a manifest, addressed; errors name the template. */
export async function targetResources(ctx: ResolvedContext, manifest: string, namespace: string): Promise<ReleaseResource[]> {
  try {
    return await resolveResources(ctx.client, parseReleaseManifest(manifest), namespace);
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    throw new ReleaseActionError(`unable to build kubernetes objects from new release manifest: ${formatError(e)}`, e.at, { cause: e });
  }
}

/** The objects of a stored revision; kinds the server no longer serves are left out, with a warning. */
export async function currentResources(ctx: ResolvedContext, rel: Release): Promise<ReleaseResource[]> {
  const all = parseReleaseManifest(rel.manifest);
  const found = await resolveResources(ctx.client, all, rel.namespace, { skipUnknown: true });
  if (found.length < all.length) {
    ctx.warn(`${all.length - found.length} object(s) of revision ${rel.version} have kinds the server no longer serves; they are left alone`);
  }
  return found;
}

/**
 * helm's existingResourceConflict (or requireAdoption with --take-ownership): objects that
 * exist but are not in `known` must carry this release's ownership metadata.
 */
export async function checkConflicts(
  ctx: ResolvedContext,
  targets: readonly ReleaseResource[],
  known: ReadonlySet<string>,
  options: { release: string; namespace: string; verb: 'install' | 'update'; takeOwnership: boolean },
): Promise<void> {
  if (options.takeOwnership) return;
  const fresh = targets.filter((t) => !known.has(refKey(t.ref)));
  const live = await mapPool(fresh, 8, (t) => getObject(ctx.client, t.ref));
  const problems: string[] = [];
  fresh.forEach((t, i) => {
    const obj = live[i];
    if (!obj) return;
    const problem = ownershipProblem(obj, options.release, options.namespace);
    if (problem) problems.push(`${resourceString(t.ref)} exists and cannot be imported into the current release: ${problem}`);
  });
  if (problems.length > 0) throw new OwnershipConflictError(`Unable to continue with ${options.verb}: ${problems.join('; ')}`);
}

/** Group, kind, namespace and name: how helm matches objects between revisions (not by version). */
export function refKey(r: ObjectRef): string {
  return `${r.group}|${r.kind}|${r.namespace}|${r.name}`;
}

/**
 * helm's installCRDs: each CRD of crds/ created unless it exists (an existing CRD is never
 * changed), then waited for (60s) and discovery refreshed.
 */
export async function installCrds(ctx: ResolvedContext, crds: readonly { name: string; content: string }[], signal?: AbortSignal): Promise<void> {
  const created: ObjectRef[] = [];
  for (const crd of crds) {
    try {
      for (const r of await resolveResources(ctx.client, parseManifests(crd.content, crd.name), '')) {
        try {
          await createObject(ctx.client, r.manifest.object, r.ref, signal);
          created.push(r.ref);
        } catch (e) {
          if (!isAlreadyExists(e)) throw e;
          ctx.log(`CRD ${r.ref.name} is already present. Skipping.`);
        }
      }
    } catch (e) {
      if (!(e instanceof SlipwayError)) throw e;
      throw new ReleaseActionError(`failed to install CRD ${crd.name}: ${formatError(e)}`, undefined, { cause: e });
    }
  }
  if (created.length > 0) {
    await waitReady(ctx.client, created, { timeoutMs: 60_000, signal });
    ctx.client.discovery.invalidate();
  }
}
