/**
 * The `crds` field (api/internal/accumulator/loadconfigfromcrds.go): OpenAPI definitions
 * whose properties carry x-kubernetes-* extensions become field specs: annotations,
 * label selectors, identity (name prefix) fields and object references (name references).
 */
import { KustomizeError } from '../errors.js';
import type { FieldSpec } from '../kustomization.js';
import type { FileLoader } from '../loader.js';
import { emptyTransformerConfig, mergeOneFieldSpec, mergeTransformerConfig, type TransformerConfigData } from './transformer-config.js';
import { isPlainObject, parseYamlValue } from './yaml-read.js';

type Definitions = Record<string, unknown>;

function schemaOf(def: unknown): Record<string, unknown> {
  if (!isPlainObject(def)) return {};
  const key = Object.keys(def).find((k) => k.toLowerCase() === 'schema');
  const s = key === undefined ? undefined : def[key];
  return isPlainObject(s) ? s : {};
}

function properties(schema: Record<string, unknown>): Record<string, Record<string, unknown>> {
  const p = schema.properties;
  if (!isPlainObject(p)) return {};
  const out: Record<string, Record<string, unknown>> = {};
  for (const [k, v] of Object.entries(p)) out[k] = isPlainObject(v) ? v : {};
  return out;
}

function ext(prop: Record<string, unknown>, name: string): string | undefined {
  const v = prop[name];
  return typeof v === 'string' ? v : undefined;
}

function loadInto(tc: TransformerConfigData, kind: string, defs: Definitions, typeName: string, path: string[], depth = 0): void {
  if (depth > 100 || !Object.prototype.hasOwnProperty.call(defs, typeName)) return;
  const props = properties(schemaOf(defs[typeName]));
  for (const [propName, prop] of Object.entries(props)) {
    const fs = (p: string[]): FieldSpec => ({ kind, path: p.join('/') });
    const here = [...path, propName];
    if (ext(prop, 'x-kubernetes-annotation') !== undefined) tc.commonAnnotations = mergeOneFieldSpec(tc.commonAnnotations, fs(here));
    if (ext(prop, 'x-kubernetes-label-selector') !== undefined) tc.commonLabels = mergeOneFieldSpec(tc.commonLabels, fs(here));
    if (ext(prop, 'x-kubernetes-identity') !== undefined) tc.namePrefix = mergeOneFieldSpec(tc.namePrefix, fs(here));
    const version = ext(prop, 'x-kubernetes-object-ref-api-version');
    const refKind = ext(prop, 'x-kubernetes-object-ref-kind');
    if (version !== undefined && refKind !== undefined) {
      const nameKey = ext(prop, 'x-kubernetes-object-ref-name-key') ?? 'name';
      tc.nameReference = mergeTransformerConfig(tc, {
        ...emptyTransformerConfig(),
        nameReference: [{ kind: refKind, version, fieldSpecs: [fs([...here, nameKey])] }],
      }).nameReference;
    }
    const ref = prop.$ref;
    if (typeof ref === 'string' && ref !== '') loadInto(tc, kind, defs, ref, here, depth + 1);
  }
}

/** LoadConfigFromCRDs. */
export function loadConfigFromCrds(ldr: FileLoader, paths: readonly string[]): TransformerConfigData {
  let tc = emptyTransformerConfig();
  for (const path of paths) {
    const content = ldr.load(path);
    let defs: unknown;
    try {
      defs = content.trim().startsWith('{') ? JSON.parse(content) : parseYamlValue(content);
    } catch (e) {
      throw new KustomizeError(`unable to parse open API definition from '${path}': ${(e as Error).message}`);
    }
    if (!isPlainObject(defs)) continue;
    for (const name of Object.keys(defs)) {
      const props = properties(schemaOf(defs[name]));
      if (!('kind' in props) || !('apiVersion' in props) || !('metadata' in props)) continue;
      const one = emptyTransformerConfig();
      const parts = name.split('.');
      loadInto(one, parts[parts.length - 1]!, defs, name, []);
      tc = mergeTransformerConfig(tc, one);
    }
  }
  return tc;
}
