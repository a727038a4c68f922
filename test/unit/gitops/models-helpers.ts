// Shared by the models tests: corpus loading and a small openAPIV3Schema checker that reports
// what the apiserver would reject or prune.
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../../src/core/index.js';

export const CORPUS = '/work/shared/corpus';

/** The spec of an object, as a record to read or spread. */
export function specOf(obj: KubeObject): Record<string, unknown> {
  return (obj.spec ?? {}) as Record<string, unknown>;
}

/** Every non-empty YAML document of a file. */
export function loadDocs(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8'))
    .map((d) => d.toJS() as KubeObject | null)
    .filter((d): d is KubeObject => d !== null && typeof d === 'object');
}

/** The only document of `path` with this kind and name. */
export function loadDoc(path: string, kind: string, name: string): KubeObject {
  const doc = loadDocs(path).find((d) => d.kind === kind && d.metadata?.name === name);
  if (!doc) throw new Error(`${path}: no ${kind}/${name}`);
  return doc;
}

/**
 * Every helm option an app source may set (Argo CD's Application and Slipway's have the same
 * ones), written as parseApp gives them back; `namespace` and `version` are the caller's.
 */
export const HELM_OPTIONS = {
  releaseName: 'web',
  valueFiles: ['values-prod.yaml'],
  values: 'replicas: 2\n',
  valuesObject: { image: { tag: '1.0' } },
  parameters: [
    { name: 'a', value: '1' },
    { name: 'b', value: 'x', forceString: true },
  ],
  fileParameters: [{ name: 'cfg', path: 'files/cfg.txt' }],
  ignoreMissingValueFiles: true,
  skipCrds: true,
  skipSchemaValidation: true,
  skipTests: true,
  kubeVersion: '1.30.0',
  apiVersions: ['monitoring.coreos.com/v1'],
};

/** Every kustomize option an app source may set (Argo CD's and Slipway's), written as parseApp gives them back. */
export const KUSTOMIZE_OPTIONS = {
  namePrefix: 'p-',
  nameSuffix: '-s',
  images: ['nginx=nginx:1.27'],
  commonLabels: { team: 'web' },
  commonAnnotations: { owner: 'web' },
  namespace: 'shop',
  patches: [{ patch: '- op: remove\n  path: /spec/replicas', target: { kind: 'Deployment' }, options: { allowNameChange: true } }],
  components: ['../../components/x'],
  ignoreMissingComponents: true,
  replicas: [{ name: 'web', count: 3 }],
  labelWithoutSelector: true,
};

type Schema = Record<string, unknown>;

/** The openAPIV3Schema of one version of a CRD object. */
export function versionSchema(crd: KubeObject, version: string): Schema {
  const versions = (crd.spec as { versions: { name: string; schema: { openAPIV3Schema: Schema } }[] }).versions;
  const v = versions.find((x) => x.name === version);
  if (!v) throw new Error(`${crd.metadata.name}: no version ${version}`);
  return v.schema.openAPIV3Schema;
}

/** The schema node at a dotted path of properties ("status.sync"). */
export function subSchema(schema: Schema, path: string): Schema {
  let s = schema;
  for (const p of path.split('.')) s = (s.properties as Record<string, Schema>)[p]!;
  return s;
}

/**
 * What the apiserver would say about `value` under `schema`: type, required, enum, pattern,
 * format date-time, length and minimum violations, and fields it would prune (unknown to a
 * schema without x-kubernetes-preserve-unknown-fields). Each as "path: problem".
 */
export function checkSchema(schema: Schema, value: unknown, path = ''): string[] {
  const out: string[] = [];
  const here = path || '<root>';
  if (value === null || value === undefined) return out;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value !== 'string' && !Number.isInteger(value)) out.push(`${here}: expected int or string`);
    return out;
  }
  const type = schema.type as string | undefined;
  const isObject = typeof value === 'object' && !Array.isArray(value);
  if (type === 'object' && !isObject) return [`${here}: expected object`];
  if (type === 'array' && !Array.isArray(value)) return [`${here}: expected array`];
  if (type === 'string' && typeof value !== 'string') return [`${here}: expected string, got ${JSON.stringify(value)}`];
  if (type === 'boolean' && typeof value !== 'boolean') return [`${here}: expected boolean`];
  if (type === 'integer' && !Number.isInteger(value)) return [`${here}: expected integer`];
  if (type === 'number' && typeof value !== 'number') return [`${here}: expected number`];
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) out.push(`${here}: ${JSON.stringify(value)} not in enum`);
  if (typeof value === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) out.push(`${here}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(value))) out.push(`${here}: ${JSON.stringify(value)} is not a date-time`);
    if (typeof schema.minLength === 'number' && value.length < schema.minLength) out.push(`${here}: shorter than ${schema.minLength}`);
    if (typeof schema.maxLength === 'number' && value.length > schema.maxLength) out.push(`${here}: longer than ${schema.maxLength}`);
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) out.push(`${here}: below ${schema.minimum}`);
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => out.push(...checkSchema(schema.items as Schema, v, `${path}[${i}]`)));
  if (isObject && (type === 'object' || schema.properties)) {
    const obj = value as Record<string, unknown>;
    for (const r of (schema.required as string[] | undefined) ?? []) if (obj[r] === undefined) out.push(`${path ? `${path}.` : ''}${r}: required`);
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const extra = schema.additionalProperties as Schema | boolean | undefined;
    for (const [k, v] of Object.entries(obj)) {
      // The apiserver validates an object's metadata itself and never prunes it.
      if (!path && k === 'metadata') continue;
      const p = path ? `${path}.${k}` : k;
      if (props[k]) out.push(...checkSchema(props[k], v, p));
      else if (typeof extra === 'object') out.push(...checkSchema(extra, v, p));
      else if (!schema['x-kubernetes-preserve-unknown-fields']) out.push(`${p}: unknown field (pruned)`);
    }
  }
  return out;
}

/** Every schema node that is not structural: no type, unless int-or-string or preserve-unknown-fields say so. */
export function nonStructural(schema: Schema, path = ''): string[] {
  const out: string[] = [];
  if (!schema.type && !schema['x-kubernetes-int-or-string'] && !schema['x-kubernetes-preserve-unknown-fields']) out.push(path || '<root>');
  for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, Schema>)) out.push(...nonStructural(s, path ? `${path}.${k}` : k));
  if (schema.items) out.push(...nonStructural(schema.items as Schema, `${path}[]`));
  if (typeof schema.additionalProperties === 'object') out.push(...nonStructural(schema.additionalProperties as Schema, `${path}{}`));
  return out;
}
