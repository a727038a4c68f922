/**
 * yaml — reading and writing YAML the way Kubernetes tools do: multi-document streams
 * that keep each document's file and line, YAML 1.1 scalars as go-yaml v2 resolves them,
 * and manifest loading from files and directories (through core's FileSystem).
 * Pure: imports only core and the `yaml` library; touches no disk itself.
 */
export { parseYamlStream, type YamlDocument } from './parse.js';
export { toYaml, type ToYamlOptions } from './stringify.js';
export { parseManifests, loadManifests } from './manifests.js';
export {
  jsonToYaml,
  yamlToJson,
  yamlToJsonValue,
  unmarshalGoYaml,
  marshalGoYaml,
  goJsonString,
  goYamlToJsonable,
  GoJsonError,
  type JsonableValue,
  GoFloat,
  GoInt,
  GoUint,
  GoYamlError,
  GoYamlMap,
  type GoYamlKey,
  type GoYamlValue,
} from './go-yaml/index.js';
export { marshalToml, TomlEncodeError } from './toml/index.js';
