/**
 * HashTransformer (api/internal/builtins/HashTransformer.go): generated ConfigMaps and
 * Secrets that want a hash get `-<hash>` appended to their name, computed from the object
 * as it is at the end of the build; the old id is kept for name references.
 */
import { kustomizeHash } from '../generators/index.js';
import { asKustomizeError } from '../errors.js';
import type { ResMap } from '../resmap.js';
import type { Transformer } from './types.js';

export function hashTransformer(): Transformer {
  return {
    id: 'HashTransformer',
    transform(m: ResMap) {
      for (const r of m.resources()) {
        if (!r.needsHash) continue;
        let h: string;
        try {
          h = kustomizeHash(r.obj);
        } catch (e) {
          throw asKustomizeError(e);
        }
        r.storePreviousId();
        r.setName(`${r.name}-${h}`);
      }
      m.invalidate();
    },
  };
}
