import { isNotFound, splitApiVersion, type KubeObject, type ResourceKey } from '../core/index.js';
import type { KubeClient } from './client.js';
import { resourcePath } from './discovery.js';

/** A key plus the version to address it with. */
export interface ObjectRef extends ResourceKey {
  /** The API version within the group, e.g. "v1". */
  version: string;
}

export function apiVersionOf(ref: Pick<ObjectRef, 'group' | 'version'>): string {
  return ref.group ? `${ref.group}/${ref.version}` : ref.version;
}

export function refOf(obj: KubeObject): ObjectRef {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return { group, version, kind: obj.kind, namespace: obj.metadata.namespace ?? '', name: obj.metadata.name ?? '' };
}

/** Reads one object; undefined when it does not exist. */
export async function getObject(client: KubeClient, ref: ObjectRef, signal?: AbortSignal): Promise<KubeObject | undefined> {
  const res = await client.discovery.resolve(apiVersionOf(ref), ref.kind);
  try {
    return await client.request<KubeObject>('GET', resourcePath(res, ref.namespace, ref.name), { key: ref, signal });
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

/** Options for {@link listObjects}. */
export interface ListOptions {
  /** Only this namespace; all namespaces when unset. */
  namespace?: string;
  labelSelector?: string;
  /** Page size. @default 500 */
  limit?: number;
}

/** Lists all objects of one type, following continue tokens; returns the items and the list's resourceVersion. */
export async function listObjects(
  client: KubeClient,
  apiVersion: string,
  kind: string,
  options: ListOptions = {},
): Promise<{ items: KubeObject[]; resourceVersion: string }> {
  const res = await client.discovery.resolve(apiVersion, kind);
  const items: KubeObject[] = [];
  let token: string | undefined;
  let resourceVersion = '';
  do {
    const page = await client.request<{ items?: KubeObject[]; metadata?: { continue?: string; resourceVersion?: string } }>(
      'GET',
      resourcePath(res, options.namespace, undefined),
      { query: { labelSelector: options.labelSelector, limit: options.limit ?? 500, continue: token } },
    );
    for (const item of page.items ?? []) items.push({ ...item, apiVersion, kind });
    token = page.metadata?.continue || undefined;
    resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
  } while (token);
  return { items, resourceVersion };
}

/** Options for {@link serverSideApply}. */
export interface SsaOptions {
  fieldManager: string;
  /** Take ownership of fields other managers own. @default false */
  force?: boolean;
  /** Ask the server what would happen; change nothing. @default false */
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** Server-side apply of one object (PATCH application/apply-patch+yaml); returns the resulting object. */
export async function serverSideApply(client: KubeClient, obj: KubeObject, options: SsaOptions): Promise<KubeObject> {
  const ref = refOf(obj);
  const res = await client.discovery.resolve(obj.apiVersion, obj.kind);
  const { managedFields: _drop, ...metadata } = obj.metadata;
  return client.request<KubeObject>('PATCH', resourcePath(res, ref.namespace, ref.name), {
    key: ref,
    signal: options.signal,
    contentType: 'application/apply-patch+yaml',
    body: { ...obj, metadata },
    query: { fieldManager: options.fieldManager, force: options.force ? true : undefined, dryRun: options.dryRun ? 'All' : undefined },
  });
}

/** Options for {@link deleteObject}. */
export interface DeleteOptions {
  /** @default 'Background' */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
  dryRun?: boolean;
  signal?: AbortSignal;
}

/** Deletes one object; returns false when it was already gone. */
export async function deleteObject(client: KubeClient, ref: ObjectRef, options: DeleteOptions = {}): Promise<boolean> {
  const res = await client.discovery.resolve(apiVersionOf(ref), ref.kind);
  try {
    await client.request('DELETE', resourcePath(res, ref.namespace, ref.name), {
      key: ref,
      signal: options.signal,
      // Options go in the body only: with a DeleteOptions body the server ignores query parameters.
      body: {
        kind: 'DeleteOptions',
        apiVersion: 'v1',
        propagationPolicy: options.propagationPolicy ?? 'Background',
        ...(options.dryRun ? { dryRun: ['All'] } : {}),
      },
    });
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}
