/**
 * The arguments of configMapGenerator / secretGenerator entries, as kustomize's
 * api/types (generatorargs.go, kvpairsources.go, configmapargs.go, secretargs.go,
 * generatoroptions.go) declare them, and what a generator hands back.
 */

/** `generatorOptions` at the top of a kustomization, or `options` of one generator. */
export interface GeneratorOptions {
  /** Labels added to the generated object (sorted by key, as kustomize sets them). */
  labels?: Record<string, string>;
  /** Annotations added to the generated object. */
  annotations?: Record<string, string>;
  /** Leave the name without the `-<hash>` suffix. @default false */
  disableNameSuffixHash?: boolean;
  /** Add `immutable: true`. @default false */
  immutable?: boolean;
}

/** One `configMapGenerator` entry. */
export interface ConfigMapArgs {
  /** Name before prefix, suffix and hash; a generator without one is an error. */
  name?: string;
  /** metadata.namespace of the generated object; none when empty. */
  namespace?: string;
  /**
   * What to do when an object with this id already exists. Empty or unknown values mean
   * "unspecified", which kustomize treats as create.
   * @default 'create'
   */
  behavior?: 'create' | 'merge' | 'replace' | '';
  /** `path` (key = the path's basename) or `key=path`; the value is the file's content. */
  files?: string[];
  /** `key=value`; one pair of matching surrounding quotes is removed from the value. */
  literals?: string[];
  /** Env files: one `key=value` per line, `#` comments, blank lines skipped. */
  envs?: string[];
  /** The older, singular `env`; kustomize appends it to `envs` (types/kustomization.go FixKustomization). */
  env?: string;
  /**
   * Options of this generator, with the kustomization's `generatorOptions` already merged
   * in by the caller (see {@link mergeGeneratorOptions}).
   */
  options?: GeneratorOptions;
}

/** One `secretGenerator` entry. */
export interface SecretArgs extends ConfigMapArgs {
  /** The Secret's `type`. @default 'Opaque' */
  type?: string;
}

/**
 * How generators read files: paths are relative to the kustomization root; throws for
 * missing files or load-restriction violations with kustomize's messages.
 */
export interface GeneratorFileReader {
  read(path: string): Uint8Array;
}

/** A generated ConfigMap/Secret (no hash suffix applied yet) and whether it wants one. */
export interface Generated {
  object: Record<string, unknown>;
  behavior: 'create' | 'merge' | 'replace';
  hashSuffix: boolean;
}
