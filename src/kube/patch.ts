import { isNotFound, type KubeObject } from '../core/index.js';
import type { KubeClient } from './client.js';
import { resourcePath } from './discovery.js';
import { apiVersionOf, type ObjectRef } from './objects.js';

/** Options of {@link mergePatch}. */
export interface MergePatchOptions {
  /** e.g. 'status'; the main resource when unset. */
  subresource?: string;
  signal?: AbortSignal;
}

/** A JSON merge patch (RFC 7386) of one object or one of its subresources; returns the result. */
export async function mergePatch(client: KubeClient, ref: ObjectRef, patch: Record<string, unknown>, options: MergePatchOptions = {}): Promise<KubeObject> {
  const res = await client.discovery.resolve(apiVersionOf(ref), ref.kind);
  const path = resourcePath(res, ref.namespace, ref.name) + (options.subresource ? `/${options.subresource}` : '');
  return client.request<KubeObject>('PATCH', path, {
    key: ref,
    signal: options.signal,
    contentType: 'application/merge-patch+json',
    body: patch,
  });
}

/**
 * Writes a merge patch of `status` (`patch` is `{ status: {...} }`) through the status
 * subresource when the type has one (Flux's CRDs), and through the object itself when it
 * has none (Argo CD's Application CRD declares no subresources). Throws NotFound when the
 * object does not exist.
 */
export async function patchStatus(client: KubeClient, ref: ObjectRef, patch: Record<string, unknown>, signal?: AbortSignal): Promise<KubeObject> {
  try {
    return await mergePatch(client, ref, patch, { subresource: 'status', signal });
  } catch (e) {
    if (!isNotFound(e)) throw e;
    return mergePatch(client, ref, patch, { signal });
  }
}
