/**
 * What ConfigMap and Secret generation share: internal/generators/utils.go (makeBaseNode,
 * makeValidatedDataMap, copyLabelsAndAnnotations, setImmutable) and the behaviour and
 * hash-suffix flags of resource/factory.go makeOne.
 */
import { GeneratorError } from '../errors.js';
import type { ConfigMapArgs, Generated, GeneratorFileReader, GeneratorOptions } from '../types.js';
import { goQuote, sortGoStrings } from '../../../goruntime/index.js';
import { setOwn } from './go.js';
import { KvError, loadKvPairs, type KvPair } from './kv.js';
import { unprintableKey } from './plain-keys.js';

/** makeBaseNode: apiVersion, kind, metadata.name and (when set) metadata.namespace. */
export function makeBaseObject(kind: string, args: ConfigMapArgs): Record<string, unknown> {
  // kustomize says "configmap" for Secrets too.
  if (!args.name) throw new GeneratorError('a configmap must have a name');
  const metadata: Record<string, unknown> = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  return { apiVersion: 'v1', kind, metadata };
}

/**
 * makeValidatedDataMap: every pair of the entry's sources, in source order, with a key
 * repeated anywhere an error. Keys are not otherwise checked: kustomize's
 * FieldValidator.ErrIfInvalidKey is a no-op.
 */
export function loadDataPairs(args: ConfigMapArgs, reader: GeneratorFileReader): Map<string, KvPair['value']> {
  const envs = [...(args.envs ?? [])];
  // types/kustomization.go FixKustomization appends the singular `env` to `envs`.
  if (args.env) envs.push(args.env);
  let pairs: KvPair[];
  try {
    pairs = loadKvPairs({ envs, literals: args.literals ?? [], files: args.files ?? [] }, reader);
  } catch (e) {
    if (!(e instanceof KvError)) throw e;
    throw new GeneratorError(`loading KV pairs: ${e.message}`, undefined, { cause: e.cause ?? e });
  }
  const data = new Map<string, KvPair['value']>();
  for (const { key, value } of pairs) {
    if (data.has(key)) throw new GeneratorError(`configmap ${args.name ?? ''} illegally repeats the key \`${key}\``);
    data.set(key, value);
  }
  return data;
}

/** copyLabelsAndAnnotations and setImmutable: labels, then annotations, each sorted by key. */
export function applyOptions(object: Record<string, unknown>, options: GeneratorOptions | undefined): void {
  if (!options) return;
  const metadata = object.metadata as Record<string, unknown>;
  for (const field of ['labels', 'annotations'] as const) {
    const m = options[field];
    if (!m || Object.keys(m).length === 0) continue;
    const sorted: Record<string, unknown> = {};
    for (const k of sortGoStrings(Object.keys(m))) setOwn(sorted, k, String(m[k]));
    metadata[field] = sorted;
  }
  if (options.immutable) object.immutable = true;
}

/** makeOne: a hash suffix unless disabled; behavior as types.NewGenerationBehavior reads it. */
export function generated(object: Record<string, unknown>, args: ConfigMapArgs): Generated {
  const behavior = args.behavior === 'merge' || args.behavior === 'replace' ? args.behavior : 'create';
  return { object, behavior, hashSuffix: !args.options?.disableNameSuffixHash };
}

/**
 * Fails as kustomize's output step would on a key it created without a tag that go-yaml
 * reads back as something other than a string (see plain-keys.ts). kustomize fails only
 * when it prints the object; we fail when the key is made.
 */
export function checkPrintableKeys(object: Record<string, unknown>): void {
  const metadata = (object.metadata ?? {}) as Record<string, unknown>;
  const maps: Array<[string, unknown]> = [
    ['data', object.data],
    ['binaryData', object.binaryData],
    ['label', metadata.labels],
    ['annotation', metadata.annotations],
  ];
  for (const [what, m] of maps) {
    if (typeof m !== 'object' || m === null) continue;
    const bad = unprintableKey(Object.keys(m));
    if (!bad) continue;
    throw new GeneratorError(
      `${String(object.kind)} ${String(metadata.name)}: kustomize writes the ${what} key ${goQuote(bad.key)} unquoted and reads it back as ${bad.tag}: ${bad.reason}`,
    );
  }
}
