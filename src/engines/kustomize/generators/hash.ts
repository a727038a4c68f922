/**
 * kustomize's name hash, api/hasher/hasher.go: a ConfigMap or Secret is reduced to a few
 * fields, written as Go's encoding/json writes a map (sorted keys, HTML-safe escapes),
 * hashed with SHA-256, and the first 10 hex digits are made vowel-free by `encode`.
 */
import { formatJsonFloat, sortGoStrings } from '../../goruntime/index.js';
import { createHash } from 'node:crypto';
import { goJsonString } from '../../yaml/index.js';
import { GeneratorError } from './errors.js';

/**
 * kustomize's hash of a ConfigMap or Secret (api/hasher): what `-<hash>` appends.
 *
 * A ConfigMap counts by `data` and, when it is a map, `binaryData`; a Secret by `type`,
 * `data` and, when it is a map, `stringData`. The name never counts: hasher.go looks up
 * the path "metadata/name" as one field name, which no object has. Labels, annotations
 * and `immutable` do not count either.
 * @throws GeneratorError for other kinds, which kustomize hashes by the JSON of its
 *   internal yaml.Node (line and column numbers included) and slipway cannot reproduce.
 */
export function kustomizeHash(object: Record<string, unknown>): string {
  const kind = object.kind;
  let fields: Array<[string, string]>;
  if (kind === 'ConfigMap') {
    fields = [
      ['kind', goJsonString('ConfigMap')],
      ['name', nodeValue(object, 'metadata/name')],
      ['data', nodeValue(object, 'data')],
    ];
    if (isMapLike(object.binaryData)) fields.push(['binaryData', nodeValue(object, 'binaryData')]);
  } else if (kind === 'Secret') {
    fields = [
      ['kind', goJsonString('Secret')],
      ['type', nodeValue(object, 'type')],
      ['name', nodeValue(object, 'metadata/name')],
      ['data', nodeValue(object, 'data')],
    ];
    if (isMapLike(object.stringData)) fields.push(['stringData', nodeValue(object, 'stringData')]);
  } else {
    throw new GeneratorError(`cannot compute kustomize's name hash of kind ${String(kind)}: only ConfigMap and Secret are supported`);
  }
  const byKey = new Map(fields);
  const json = `{${sortGoStrings(byKey.keys())
    .map((k) => `${goJsonString(k)}:${byKey.get(k)!}`)
    .join(',')}}`;
  return encodeHex(createHash('sha256').update(json, 'utf8').digest('hex'));
}

/** hasher.go encode: the first 10 hex digits, with 0, 1, 3, a and e replaced. */
function encodeHex(hex: string): string {
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => swap[c] ?? c).join('');
}

/**
 * In getNodeValues a map or a sequence passes the `.(map[string]interface{})` check (a
 * sequence fails to unmarshal into the map and leaves a nil map); a scalar does not.
 */
function isMapLike(v: unknown): boolean {
  return typeof v === 'object' && v !== null;
}

/**
 * hasher.go getNodeValues for one top-level field, as JSON: missing is "", a scalar is its
 * YAML text as a string (so a null is "null"), a map is re-encoded through interface{} (so numbers become
 * float64), a sequence is null.
 */
function nodeValue(object: Record<string, unknown>, field: string): string {
  if (!Object.hasOwn(object, field)) return goJsonString('');
  const v = object[field];
  if (Array.isArray(v)) return 'null';
  if (typeof v === 'object' && v !== null) return goJson(v);
  return goJsonString(scalarText(v));
}

/**
 * A scalar's YAML text as kyaml's node.Value would hold it. A null is taken as "null",
 * the text a JSON patch leaves; a null written as `~` or left empty in YAML (which only
 * a replacement could copy into a generated object) would hash differently.
 */
function scalarText(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return formatJsonFloat(v);
  return String(v);
}

/** encoding/json Marshal of a value decoded into interface{}. */
function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'string') return goJsonString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = Number(v);
    if (!Number.isFinite(n)) throw new GeneratorError(`cannot compute kustomize's name hash: json: unsupported value: ${n}`);
    return formatJsonFloat(n);
  }
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  const m = v as Record<string, unknown>;
  return `{${sortGoStrings(Object.keys(m))
    .map((k) => `${goJsonString(k)}:${goJson(m[k])}`)
    .join(',')}}`;
}
