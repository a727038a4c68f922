import {
  GoFloat,
  GoInt,
  GoJsonError,
  GoUint,
  GoYamlError as LibYamlError,
  goYamlToJsonable,
  unmarshalGoYaml,
  type JsonableValue,
} from '../../yaml/index.js';

/**
 * YAML as Helm reads chart files and values: sigs.k8s.io/yaml, i.e. go-yaml v2 decodes the
 * first document into interface{} values, map keys are turned into strings, and the result
 * goes through encoding/json. The go-yaml v2 part is the yaml engine's port (its parser,
 * resolver and messages); this module gives the result the shape the chart code reads, as
 * JSON (`toJsonValue`) or into a typed struct (`decodeInto` in godecode.ts).
 */

/** A value as go-yaml v2 decodes it into interface{}, after sigs.k8s.io/yaml turned its map keys into strings. */
export type YamlValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  /** Go int / int64 / uint64; `unsigned` when only uint64 holds it. */
  | { kind: 'int'; value: bigint; unsigned?: boolean }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'map'; entries: Map<string, YamlValue> }
  | { kind: 'seq'; items: YamlValue[] };

/** A YAML error as sigs.k8s.io/yaml reports it (message without the caller's prefix), with its line when known. */
export class GoYamlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

/**
 * Decodes the first YAML document of `text` as sigs.k8s.io/yaml does before its JSON step:
 * go-yaml v2's decoding (the yaml engine's port), map keys turned into strings. An empty
 * document is `{kind: 'null'}`. Throws GoYamlError with go-yaml's message.
 */
export function decodeYaml(text: string): YamlValue {
  try {
    return fromJsonable(goYamlToJsonable(unmarshalGoYaml(text)));
  } catch (e) {
    if (e instanceof LibYamlError) throw new GoYamlError(e.message, e.line);
    if (e instanceof GoJsonError) throw new GoYamlError(e.message);
    throw e;
  }
}

function fromJsonable(v: JsonableValue): YamlValue {
  if (v === null) return { kind: 'null' };
  if (typeof v === 'boolean') return { kind: 'bool', value: v };
  if (typeof v === 'string') return { kind: 'string', value: v };
  if (v instanceof GoInt) return { kind: 'int', value: v.value };
  if (v instanceof GoUint) return { kind: 'int', value: v.value, unsigned: true };
  if (v instanceof GoFloat) return { kind: 'float', value: v.value };
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(fromJsonable) };
  const entries = new Map<string, YamlValue>();
  for (const [k, item] of v as Map<string, JsonableValue>) entries.set(k, fromJsonable(item));
  return { kind: 'map', entries };
}

/** Sets a key on a plain object, also when the key is `__proto__`. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

/**
 * The tree as encoding/json gives it back into interface{}: maps become objects, every number
 * a float64 (a JS number). NaN and infinities fail as json.Marshal fails on them.
 */
export function toJsonValue(v: YamlValue): unknown {
  switch (v.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
      return v.value;
    case 'int':
      return Number(v.value);
    case 'float':
      if (!Number.isFinite(v.value)) {
        throw new GoYamlError(`json: unsupported value: ${Number.isNaN(v.value) ? 'NaN' : v.value > 0 ? '+Inf' : '-Inf'}`);
      }
      return v.value;
    case 'seq':
      return v.items.map(toJsonValue);
    case 'map': {
      const out: Record<string, unknown> = {};
      // json.Marshal visits keys in sorted order, so the first bad value it meets is the sorted-first.
      for (const k of [...v.entries.keys()].sort(byBytes)) setKey(out, k, toJsonValue(v.entries.get(k)!));
      return out;
    }
  }
}

function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
