import { ApiError, isNotFound, splitApiVersion, type KubeObject } from '../../core/index.js';
import type { CapabilitiesOptions, GoMap } from '../../engines/chart/index.js';
import { resourcePath, type KubeClient } from '../../kube/index.js';
import { LookupError } from './errors.js';

interface ApiVersions {
  versions?: string[];
}
interface ApiGroupList {
  groups?: { versions?: { groupVersion: string }[] }[];
}
interface ResourceList {
  resources?: { name: string; kind: string }[];
}

/**
 * `.Capabilities` of the cluster, as helm's Configuration.getCapabilities builds them for
 * install and upgrade: the server's git version, and every served group/version plus
 * every "group/version/Kind" (action.GetVersionSet). Helm's list replaces the built-in
 * defaults; the chart engine adds these to its defaults, so `APIVersions.Has` is true for
 * the union (see the module notes).
 */
export async function clusterCapabilities(client: KubeClient): Promise<CapabilitiesOptions> {
  const [version, core, groups] = await Promise.all([
    client.request<{ gitVersion?: string }>('GET', '/version'),
    client.request<ApiVersions>('GET', '/api'),
    client.request<ApiGroupList>('GET', '/apis'),
  ]);
  const gvs = [...(core.versions ?? []), ...(groups.groups ?? []).flatMap((g) => (g.versions ?? []).map((v) => v.groupVersion))];
  const out = new Set(gvs);
  await Promise.all(
    gvs.map(async (gv) => {
      try {
        const list = await client.request<ResourceList>('GET', gv.includes('/') ? `/apis/${gv}` : `/api/${gv}`);
        for (const r of list.resources ?? []) out.add(`${gv}/${r.kind}`);
      } catch (e) {
        // helm warns about an orphaned APIService and goes on with what it found
        if (!(e instanceof ApiError && (e.status === 404 || e.status === 503))) throw e;
      }
    }),
  );
  return { kubeVersion: version.gitVersion, apiVersions: [...out].sort() };
}

/**
 * One answer of helm's `lookup` (pkg/engine/lookup_func.go) from the live cluster: the
 * object as unstructured content, or for an empty name the list (items carrying their
 * apiVersion and kind, as client-go's unstructured decoder sets them); `{}` when not
 * found. A namespaced kind with an empty namespace is looked up in all namespaces.
 * Integers come back as Go's int64 (bigint), as the dynamic client decodes them.
 */
export async function lookupObject(client: KubeClient, apiVersion: string, kind: string, namespace: string, name: string): Promise<GoMap> {
  const res = await client.discovery.find(apiVersion, kind);
  if (!res) {
    const { group, version } = splitApiVersion(apiVersion);
    throw new LookupError(`unable to get apiresource from unstructured: ${group}/${version}, Kind=${kind}: the server could not find the requested resource`);
  }
  const path = resourcePath(res, res.namespaced && namespace ? namespace : undefined, name || undefined);
  let body: KubeObject & { items?: KubeObject[] };
  try {
    body = await client.request<KubeObject & { items?: KubeObject[] }>('GET', path);
  } catch (e) {
    if (isNotFound(e)) return {};
    throw e;
  }
  if (!name) {
    const itemKind = (body.kind ?? '').replace(/List$/, '');
    body.items = (body.items ?? []).map((i) => (i.kind || i.apiVersion ? i : { ...i, apiVersion: body.apiVersion, kind: itemKind }));
  }
  return toGoValue(body) as GoMap;
}

/** JSON numbers to the Go values of unstructured content: integers are int64 (bigint), others float64. */
function toGoValue(v: unknown): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toGoValue);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toGoValue(x)]));
  return v;
}
