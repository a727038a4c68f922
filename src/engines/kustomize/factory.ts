/**
 * Turning YAML text into resources (api/resource/factory.go, api/resmap/factory.go,
 * api/internal/kusterr): kio's document reading, empty documents dropped, every object
 * required to have a kind and (unless it is a List) a name, and `*List` objects inlined
 * into their items, which go after the other objects of the text.
 */
import { KustomizeError, asKustomizeError } from './errors.js';
import { isPlainObject, readYamlNodes } from './internal/yaml-read.js';
import type { FileLoader } from './loader.js';
import { ResMap } from './resmap.js';
import { Resource, deepCopyValue, scalarText } from './resource.js';

/** kyaml IsYNodeNilOrEmpty for a document. */
function isNilOrEmpty(v: unknown): boolean {
  if (v === null || v === undefined) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isPlainObject(v)) return Object.keys(v).length === 0;
  return false;
}

function goMap(m: unknown): string {
  if (!isPlainObject(m)) return 'map[]';
  const keys = Object.keys(m).sort();
  return `map[${keys.map((k) => `${k}:${scalarText(m[k])}`).join(' ')}]`;
}

/** RNode.GetValidatedMetadata, with kyaml's messages (`missing kind in object {{v1 } {{x } map[] map[]}}`). */
export function validateMetadata(v: unknown): void {
  if (!isPlainObject(v)) throw new KustomizeError('missing Resource metadata');
  const has = (x: unknown) => !isNilOrEmpty(x);
  const apiVersion = has(v.apiVersion) ? scalarText(v.apiVersion) : '';
  const kind = has(v.kind) ? scalarText(v.kind) : '';
  const meta = v.metadata;
  if (!has(v.apiVersion) && !has(v.kind) && !has(meta)) throw new KustomizeError('missing Resource metadata');
  const m = isPlainObject(meta) ? meta : {};
  const name = has(m.name) ? scalarText(m.name) : '';
  const namespace = has(m.namespace) ? scalarText(m.namespace) : '';
  const printed = `{{${apiVersion} ${kind}} {{${name} ${namespace}} ${goMap(has(m.labels) ? m.labels : undefined)} ${goMap(has(m.annotations) ? m.annotations : undefined)}}}`;
  if (kind === '') throw new KustomizeError(`missing kind in object ${printed}`);
  if (kind.endsWith('List')) return;
  if (name === '') throw new KustomizeError(`missing metadata.name in object ${printed}`);
}

function dropBadNodes(nodes: unknown[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const n of nodes) {
    if (isNilOrEmpty(n)) continue;
    validateMetadata(n);
    out.push(n as Record<string, unknown>);
  }
  return out;
}

function goTypeOf(v: unknown): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'bigint') return 'uint64';
  if (isPlainObject(v)) return 'map[string]interface {}';
  return 'interface {}';
}

/** Factory.RNodesFromBytes: the objects of a YAML text. */
export function objectsFromText(text: string): Record<string, unknown>[] {
  let nodes: Record<string, unknown>[];
  try {
    nodes = dropBadNodes(readYamlNodes(text));
  } catch (e) {
    throw asKustomizeError(e);
  }
  const result: Record<string, unknown>[] = [];
  const queue = [...nodes];
  while (queue.length > 0) {
    const n0 = queue.shift()!;
    const kind = scalarText(n0.kind);
    if (!kind.endsWith('List') || !('items' in n0)) {
      result.push(n0);
      continue;
    }
    const items = n0.items;
    if (items === null || items === undefined) continue;
    if (!Array.isArray(items)) throw new KustomizeError(`expected array in ${kind}/items, but found ${goTypeOf(items)}`);
    // Each item goes through json.Marshal and kio again.
    queue.push(...dropBadNodes(items.map((x) => deepCopyValue(x))));
  }
  return result;
}

/** Factory.SliceFromBytes. */
export function resourcesFromText(text: string): Resource[] {
  return objectsFromText(text).map((o) => new Resource(o));
}

/** kusterr.Handler: the file named in YAML errors. */
export function handleYamlError(e: KustomizeError, path: string): KustomizeError {
  const msg = e.kustomizeMessage;
  if (msg.includes('error converting YAML to JSON') || msg.includes('error unmarshaling JSON')) {
    return new KustomizeError(`YAML file [${path}] encounters a format error.\n${msg}\n`, e.at, e.entry, { cause: e });
  }
  if (msg.includes('MalformedYAMLError')) return new KustomizeError(`${msg} in File: ${path}`, e.at, e.entry, { cause: e });
  return e;
}

/** resmap Factory.FromFile: the resources of one file, each remembering the file. */
export function resMapFromFile(ldr: FileLoader, path: string): ResMap {
  const text = ldr.load(path);
  let resources: Resource[];
  try {
    resources = resourcesFromText(text);
  } catch (e) {
    throw handleYamlError(asKustomizeError(e), path);
  }
  const source = ldr.resolve(path);
  for (const r of resources) r.source = source;
  return ResMap.of(resources);
}
