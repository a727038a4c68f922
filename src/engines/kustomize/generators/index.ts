/**
 * kustomize/generators — configMapGenerator and secretGenerator as kustomize v5.8
 * (sigs.k8s.io/kustomize/api v0.21.1) builds them, and kustomize's name hash.
 *
 * - generateConfigMap / generateSecret: internal/generators/{configmap,secret,utils}.go,
 *   kv/kv.go (literals, env files, file sources) and kyaml yaml/datamap.go (data,
 *   binaryData, 70-column base64). Errors are kustomize's words, as GeneratorError.
 * - kustomizeHash: hasher/hasher.go, the `-<hash>` the HashTransformer appends at the end
 *   of a build (the caller decides when; the hash covers the object as it is then).
 * - mergeGenerated: behavior merge/replace, resmap/reswrangler.go appendReplaceOrMerge.
 * - mergeGeneratorOptions: types/generatoroptions.go MergeGlobalOptionsIntoLocal.
 *
 * Pure: files are read only through the GeneratorFileReader the caller passes; imports
 * core and the yaml engine (Go JSON strings and key order), nothing else of slipway.
 */
export type { ConfigMapArgs, Generated, GeneratorFileReader, GeneratorOptions, SecretArgs } from './types.js';
export { generateConfigMap } from './configmap.js';
export { generateSecret } from './secret.js';
export { kustomizeHash } from './hash.js';
export { mergeGenerated } from './merge.js';
export { mergeGeneratorOptions } from './options.js';
export { GeneratorError } from './errors.js';
