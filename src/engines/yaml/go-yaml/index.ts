/**
 * go-yaml — sigs.k8s.io/yaml v1.6.0 over go.yaml.in/yaml/v2 v2.4.4, ported so that text
 * comes out byte for byte as Helm's toYaml/fromYaml produce it: a scanner/parser/emitter
 * port of go-yaml's libyaml code, go-yaml's resolver and key order, and Go's encoding/json
 * number and string formats. Pure: no I/O; imports only core.
 * Upstream: sigs.k8s.io/yaml yaml.go (JSONToYAML, YAMLToJSON, Unmarshal), go-yaml v2
 * scannerc.go, parserc.go, emitterc.go, decode.go, encode.go, resolve.go, sorter.go.
 */
import { InputError } from '../../../core/index.js';
import { unmarshal } from './decode.js';
import { marshalYaml } from './encode.js';
import { compareGoStrings } from '../../goruntime/index.js';
import { GoJsonError, marshalJson, toJsonable, type JsonableValue } from './json.js';
import { GoFloat, GoYamlError } from './values.js';

export { GoFloat, GoInt, GoUint, GoYamlError, GoYamlMap, type GoYamlKey, type GoYamlValue } from './values.js';
export { unmarshal as unmarshalGoYaml } from './decode.js';
export { marshalYaml as marshalGoYaml } from './encode.js';
export { goJsonString, toJsonable as goYamlToJsonable, GoJsonError, type JsonableValue } from './json.js';

/**
 * sigs.k8s.io/yaml JSONToYAML: the JSON text (as Go's json.Marshal writes it) decoded by
 * go-yaml and encoded again. Helm's toYaml is this, with the last newline trimmed.
 * Throws GoYamlError with go-yaml's message if the text does not parse.
 */
export function jsonToYaml(json: string): string {
  return marshalYaml(unmarshal(json));
}

/**
 * yamlToJson without printing: the JSON-ready value (maps as `Map`s with string keys,
 * numbers kept as GoInt/GoUint/GoFloat), failing exactly where yamlToJson fails — for
 * callers that only read a few fields and need not pay for printing and parsing JSON.
 */
export function yamlToJsonValue(yaml: string, file?: string): JsonableValue {
  try {
    const v = toJsonable(unmarshal(yaml));
    checkFinite(v);
    return v;
  } catch (e) {
    if (e instanceof GoYamlError || e instanceof GoJsonError) {
      const line = e instanceof GoYamlError ? e.line : undefined;
      throw new InputError(`error converting YAML to JSON: ${e.message}`, file === undefined ? undefined : { file, line }, { cause: e });
    }
    throw e;
  }
}

/** json.Marshal's one failure on these values: NaN or an infinity, the first in its key order. */
function checkFinite(v: JsonableValue): void {
  if (v instanceof GoFloat) {
    if (!Number.isFinite(v.value)) marshalJson(v);
  } else if (Array.isArray(v)) {
    for (const item of v) checkFinite(item);
  } else if (v instanceof Map) {
    for (const k of [...v.keys()].sort(compareGoStrings)) checkFinite(v.get(k)!);
  }
}

/**
 * sigs.k8s.io/yaml YAMLToJSON: the first document, resolved as go-yaml v2 resolves it
 * (YAML 1.1 booleans, octal, merge keys; timestamps stay strings), non-string keys turned
 * into strings, printed by Go's json.Marshal (sorted keys, all 64-bit integers kept).
 * Throws InputError whose message is the text Helm's fromYaml reports, e.g.
 * "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context".
 */
export function yamlToJson(yaml: string, file?: string): string {
  try {
    return marshalJson(toJsonable(unmarshal(yaml)));
  } catch (e) {
    if (e instanceof GoYamlError || e instanceof GoJsonError) {
      const line = e instanceof GoYamlError ? e.line : undefined;
      throw new InputError(`error converting YAML to JSON: ${e.message}`, file === undefined ? undefined : { file, line }, { cause: e });
    }
    throw e;
  }
}
