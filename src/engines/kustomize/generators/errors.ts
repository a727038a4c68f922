import { SlipwayError } from '../../../core/index.js';

/**
 * A configMapGenerator or secretGenerator entry could not be turned into an object:
 * no name, a bad literal or file source, an unreadable file, a repeated key. The message
 * is kustomize's own text (e.g. ``configmap cm illegally repeats the key `a` ``); the
 * caller adds the kustomization file and the entry.
 */
export class GeneratorError extends SlipwayError {
  readonly code = 'SLW229' as const;
}
