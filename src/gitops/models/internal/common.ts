// Pieces the three parsers share: the object's identity, source paths, globs, and the sync
// policy every format starts from.
import { posix } from 'node:path';
import type { KubeObject } from '../../../core/index.js';
import { AppSpecError, type AppObjectRef } from '../errors.js';
import type { SyncPolicy } from '../types.js';
import type { Fields } from './fields.js';

/**
 * apiVersion, kind, namespace and name of an app object; a missing namespace reads as "default",
 * as kubectl applies it.
 */
export function appObjectRef(obj: KubeObject): AppObjectRef {
  const ref = {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    namespace: typeof obj.metadata?.namespace === 'string' && obj.metadata.namespace ? obj.metadata.namespace : 'default',
    name: typeof obj.metadata?.name === 'string' ? obj.metadata.name : '',
  };
  if (!ref.name) throw new AppSpecError(ref, 'metadata.name', 'is required');
  return ref;
}

/**
 * A path inside a checkout, normalized ("./apps/" → "apps", "" → "."). Leading slashes are
 * dropped (Flux joins paths securely under the root; Argo CD reads them from the root); a path
 * that climbs out of the checkout is an error.
 */
export function sourcePath(f: Fields, raw: string | undefined, field: string): string {
  const p = posix.normalize((raw ?? '').replace(/^\/+/, '') || '.').replace(/\/+$/, '') || '.';
  if (p === '..' || p.startsWith('../')) f.fail(field, 'must stay inside the repository', raw);
  return p;
}

/**
 * True when `text` matches the glob `pattern` as Argo CD's glob.Match does without separators:
 * `*` any run of characters (slashes too), `?` one character, `[…]` a class, `{a,b}` alternatives.
 */
export function globMatch(pattern: string, text: string): boolean {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (c === '{') {
      const end = pattern.indexOf('}', i + 1);
      if (end < 0) re += '\\{';
      else {
        re += `(?:${pattern
          .slice(i + 1, end)
          .split(',')
          .map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
          .join('|')})`;
        i = end;
      }
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's').test(text);
}

/** The sync policy every parser starts from: manual, nothing optional switched on. */
export function baseSyncPolicy(): SyncPolicy {
  return {
    automated: false,
    prune: false,
    selfHeal: false,
    allowEmpty: false,
    createNamespace: false,
    pruneLast: false,
    serverSideApply: false,
    applyOutOfSyncOnly: false,
    validate: true,
    replace: false,
    force: false,
    prunePropagationPolicy: 'foreground',
    failOnSharedResource: false,
    respectIgnoreDifferences: false,
    skipDryRunOnMissingResource: false,
  };
}

/** A value with no meaning: undefined, null, false, '', an empty list or an object of such values. */
export function isZero(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '' || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isZero);
  return false;
}
