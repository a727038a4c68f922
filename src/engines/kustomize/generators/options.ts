/** The kustomization's `generatorOptions` merged into one generator's `options`. */
import type { GeneratorOptions } from './types.js';

/**
 * types/generatoroptions.go MergeGlobalOptionsIntoLocal: a label or annotation of the
 * generator's own options wins over the kustomization-wide one; a boolean is true when
 * either side says true (a local `false` cannot undo a global `true`). Returns `local`
 * itself when there are no global options; never changes its inputs.
 */
export function mergeGeneratorOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions | undefined {
  if (!global) return local;
  const out: GeneratorOptions = { ...local };
  for (const field of ['labels', 'annotations'] as const) {
    const g = global[field];
    const l = out[field];
    if (!l) {
      if (g) out[field] = { ...g };
    } else if (g) {
      out[field] = { ...g, ...l };
    }
  }
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}
