/**
 * secretGenerator: internal/generators/secret.go MakeSecret with the encoding of kyaml
 * yaml/datamap.go LoadMapIntoSecretData.
 */
import type { Generated, GeneratorFileReader, SecretArgs } from './types.js';
import { sortGoStrings } from '../../goruntime/index.js';
import { encodeBase64, setOwn } from './internal/go.js';
import { valueBytes } from './internal/kv.js';
import { applyOptions, checkPrintableKeys, generated, loadDataPairs, makeBaseObject } from './internal/make.js';

/**
 * Builds the Secret of one `secretGenerator` entry: `type` (default Opaque), then `data`
 * (always present, possibly empty) with every value base64-encoded in kyaml's 70-column
 * lines, keys sorted; then labels, annotations and `immutable` from `args.options`.
 * `stringData` is never used. The name has no hash suffix yet.
 * @throws GeneratorError as {@link generateConfigMap} does (the messages say "configmap" too).
 */
export function generateSecret(args: SecretArgs, files: GeneratorFileReader): Generated {
  const object = makeBaseObject('Secret', args);
  object.type = args.type || 'Opaque';
  const pairs = loadDataPairs(args, files);
  const data: Record<string, unknown> = {};
  for (const key of sortGoStrings(pairs.keys())) setOwn(data, key, encodeBase64(valueBytes(pairs.get(key)!)));
  object.data = data;
  applyOptions(object, args.options);
  checkPrintableKeys(object);
  return generated(object, args);
}
