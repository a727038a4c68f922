/**
 * configMapGenerator: internal/generators/configmap.go MakeConfigMap with the data
 * placement of kyaml yaml/datamap.go LoadMapIntoConfigMapData.
 */
import type { ConfigMapArgs, Generated, GeneratorFileReader } from './types.js';
import { decodeValidUtf8, sortGoStrings } from '../../goruntime/index.js';
import { encodeBase64, setOwn } from './internal/go.js';
import { applyOptions, checkPrintableKeys, generated, loadDataPairs, makeBaseObject } from './internal/make.js';

/**
 * Builds the ConfigMap of one `configMapGenerator` entry: UTF-8 values under `data`, other
 * file contents base64-encoded under `binaryData`, keys sorted; then labels, annotations
 * and `immutable` from `args.options`. The name has no hash suffix yet.
 * @throws GeneratorError with kustomize's message for a missing name, a bad source, an
 *   unreadable file (the reader's message, prefixed) or a repeated key; and, earlier than
 *   kustomize (which fails when it prints the object), for a data, label or annotation key
 *   that go-yaml would read back as a non-string, such as `1`, `true` or `~`.
 */
export function generateConfigMap(args: ConfigMapArgs, files: GeneratorFileReader): Generated {
  const object = makeBaseObject('ConfigMap', args);
  const pairs = loadDataPairs(args, files);
  // Each key goes, in sorted order, to `data` or `binaryData`; a field is created by its
  // first key, so `binaryData` comes first when the first key holds binary content.
  for (const key of sortGoStrings(pairs.keys())) {
    const value = pairs.get(key)!;
    const text = typeof value === 'string' ? value : decodeValidUtf8(value);
    const field = text === undefined ? 'binaryData' : 'data';
    const map = (object[field] ??= {}) as Record<string, unknown>;
    setOwn(map, key, text ?? encodeBase64(value as Uint8Array));
  }
  applyOptions(object, args.options);
  checkPrintableKeys(object);
  return generated(object, args);
}
