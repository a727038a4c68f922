import { SlipwayError, type SourceLocation } from '../../core/index.js';

/**
 * A kustomization that cannot be built. `kustomizeMessage` is the text `kubectl kustomize`
 * prints after "error: " (its wrapping prefixes included); `at` names the kustomization
 * file at fault and `entry` the entry in it (`resources[2] (deploy.yaml)`), so the message
 * reads `patches[0] (patch.yaml): <kustomize's message>` behind the file.
 */
export class KustomizeError extends SlipwayError {
  readonly code = 'SLW220' as const;
  /** kustomize's own error text. */
  readonly kustomizeMessage: string;
  /** The entry of the kustomization file at fault, e.g. `resources[0] (base)`. */
  readonly entry?: string;

  constructor(kustomizeMessage: string, at?: SourceLocation, entry?: string, options?: { cause?: unknown }) {
    super(entry ? `${entry}: ${kustomizeMessage}` : kustomizeMessage, at, options);
    this.kustomizeMessage = kustomizeMessage;
    this.entry = entry;
  }

  /** Go's errors.WrapPrefixf: the same location, kustomize's message behind a prefix. */
  wrap(prefix: string): KustomizeError {
    return new KustomizeError(`${prefix}: ${this.kustomizeMessage}`, this.at, this.entry, { cause: this.cause });
  }

  /** The same error, placed at a kustomization file (and entry) unless it already has a place. */
  locate(file: string, entry?: string): KustomizeError {
    if (this.at) return this;
    return new KustomizeError(this.kustomizeMessage, { file }, this.entry ?? entry, { cause: this.cause });
  }

  /** The same error naming an entry, unless it already names one or has a place. */
  withEntry(entry: string | undefined): KustomizeError {
    if (this.at || this.entry || entry === undefined) return this;
    return new KustomizeError(this.kustomizeMessage, undefined, entry, { cause: this.cause });
  }
}

/** Errors of the parts below (yaml reading, JSON patches, go-yaml) whose message is the user's answer. */
const USER_ERRORS = new Set(['YamlReadError', 'Json6902Error', 'StrategicMergeError', 'GoYamlError', 'GoJsonError', 'GeneratorError']);

/**
 * A user-facing error as a KustomizeError (its message taken as kustomize's). Anything
 * else is a bug in slipway and is rethrown untouched.
 */
export function asKustomizeError(e: unknown): KustomizeError {
  if (e instanceof KustomizeError) return e;
  if (e instanceof SlipwayError) return new KustomizeError(e.message, e.at, undefined, { cause: e });
  if (e instanceof Error && (USER_ERRORS.has(e.name) || USER_ERRORS.has(e.constructor.name))) {
    return new KustomizeError(e.message, undefined, undefined, { cause: e });
  }
  throw e;
}

/** Wraps any error with a Go-style prefix. */
export function wrapError(e: unknown, prefix: string): KustomizeError {
  return asKustomizeError(e).wrap(prefix);
}
