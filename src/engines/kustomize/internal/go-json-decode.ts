/**
 * Go's encoding/json decoding into a typed struct, as kustomize reads a kustomization
 * (types/kustomization.go Unmarshal: sigs.k8s.io/yaml YAMLToJSON, then a json.Decoder with
 * DisallowUnknownFields) and transformer configurations (sigs.k8s.io/yaml UnmarshalStrict).
 * Field names match exactly or case-insensitively, the first error in key order is the one
 * reported, and messages are Go's:
 *   json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string
 *   json: unknown field "foo"
 */
import { compareGoStrings, formatFloatG, formatJsonFloat } from '../../goruntime/index.js';
import { GoFloat, GoInt, GoUint, type JsonableValue } from '../../yaml/index.js';

/** The Go type a JSON value is decoded into. */
export type GoType =
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'int'; go: 'int' | 'int64' }
  | { t: 'any' }
  | { t: 'slice'; of: GoType }
  | { t: 'map'; of: GoType }
  | { t: 'struct'; name: string; pkg: string; fields: Record<string, GoField> }
  | { t: 'ptr'; to: GoType };

export interface GoField {
  type: GoType;
  /** Promoted from an embedded struct: sigs.k8s.io/yaml does not coerce numbers for it. */
  promoted?: boolean;
}

export const STRING: GoType = { t: 'string' };
export const BOOL: GoType = { t: 'bool' };
export const INT64: GoType = { t: 'int', go: 'int64' };
export const INT: GoType = { t: 'int', go: 'int' };
export const ANY: GoType = { t: 'any' };
export const sliceOf = (of: GoType): GoType => ({ t: 'slice', of });
export const mapOf = (of: GoType): GoType => ({ t: 'map', of });
export const ptr = (to: GoType): GoType => ({ t: 'ptr', to });

/** A struct type; `embed` lists embedded structs whose fields are promoted. */
export function struct(pkg: string, name: string, fields: Record<string, GoType>, embed: GoType[] = []): GoType {
  const all: Record<string, GoField> = {};
  for (const e of embed) {
    if (e.t !== 'struct') continue;
    for (const [k, f] of Object.entries(e.fields)) all[k] = { type: f.type, promoted: true };
  }
  for (const [k, t] of Object.entries(fields)) all[k] = { type: t };
  return { t: 'struct', name, pkg, fields: all };
}

/** reflect.Type.String() of a Go type. */
export function goTypeName(t: GoType): string {
  switch (t.t) {
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'int':
      return t.go;
    case 'any':
      return 'interface {}';
    case 'slice':
      return `[]${goTypeName(t.of)}`;
    case 'map':
      return `map[string]${goTypeName(t.of)}`;
    case 'struct':
      return `${t.pkg}.${t.name}`;
    case 'ptr':
      return `*${goTypeName(t.to)}`;
  }
}

export interface DecodeOptions {
  /** json.Decoder.DisallowUnknownFields. @default true */
  disallowUnknownFields?: boolean;
  /** sigs.k8s.io/yaml's YAML-to-JSON with a target: numbers and booleans in string fields become strings. @default false */
  coerceStrings?: boolean;
}

class DecodeState {
  error: string | undefined;
  constructor(readonly opts: Required<DecodeOptions>) {}
  save(msg: string): void {
    this.error ??= msg;
  }
}

interface Ctx {
  struct?: string;
  path: string[];
}

function jsonKind(v: JsonableValue): string {
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (v instanceof GoInt || v instanceof GoUint || v instanceof GoFloat) return 'number';
  if (Array.isArray(v)) return 'array';
  return 'object';
}

function numberText(v: GoInt | GoUint | GoFloat): string {
  return v instanceof GoFloat ? formatJsonFloat(v.value) : v.value.toString();
}

/**
 * Decodes `value` into `type`; returns the decoded JS value and throws Error("json: ...")
 * with Go's first error.
 */
export function decodeGo(value: JsonableValue, type: GoType, options: DecodeOptions = {}): unknown {
  const state = new DecodeState({ disallowUnknownFields: options.disallowUnknownFields ?? true, coerceStrings: options.coerceStrings ?? false });
  const out = decode(value, type, { path: [] }, state, state.opts.coerceStrings);
  if (state.error !== undefined) throw new Error(state.error);
  return out;
}

function typeError(state: DecodeState, value: string, type: GoType, ctx: Ctx): void {
  if (ctx.struct !== undefined && ctx.path.length > 0) {
    state.save(`json: cannot unmarshal ${value} into Go struct field ${ctx.struct}.${ctx.path.join('.')} of type ${goTypeName(type)}`);
  } else {
    state.save(`json: cannot unmarshal ${value} into Go value of type ${goTypeName(type)}`);
  }
}

function decode(value: JsonableValue, type: GoType, ctx: Ctx, state: DecodeState, coerce: boolean): unknown {
  if (value === null) return undefined;
  switch (type.t) {
    case 'ptr':
      return decode(value, type.to, ctx, state, coerce);
    case 'any':
      return plain(value);
    case 'string':
      if (typeof value === 'string') return value;
      if (coerce && (typeof value === 'boolean' || value instanceof GoInt || value instanceof GoUint || value instanceof GoFloat)) {
        if (typeof value === 'boolean') return value ? 'true' : 'false';
        if (value instanceof GoFloat) return formatFloatG(value.value, 32);
        return value.value.toString();
      }
      typeError(state, jsonKind(value), type, ctx);
      return undefined;
    case 'bool':
      if (typeof value === 'boolean') return value;
      typeError(state, jsonKind(value), type, ctx);
      return undefined;
    case 'int': {
      if (value instanceof GoInt || value instanceof GoUint || value instanceof GoFloat) {
        const text = numberText(value);
        if (/^-?\d+$/.test(text)) {
          const n = BigInt(text);
          const bits = 64n;
          if (n >= -(2n ** (bits - 1n)) && n < 2n ** (bits - 1n)) return Number(n);
        }
        typeError(state, `number ${text}`, type, ctx);
        return undefined;
      }
      typeError(state, jsonKind(value), type, ctx);
      return undefined;
    }
    case 'slice': {
      if (!Array.isArray(value)) {
        typeError(state, jsonKind(value), type, ctx);
        return undefined;
      }
      return value.map((v) => decode(v, type.of, ctx, state, coerce));
    }
    case 'map': {
      if (!(value instanceof Map)) {
        typeError(state, jsonKind(value), type, ctx);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      for (const k of [...value.keys()].sort(compareGoStrings)) {
        const d = decode(value.get(k)!, type.of, ctx, state, coerce);
        out[k] = d === undefined ? zero(type.of) : d;
      }
      return out;
    }
    case 'struct': {
      if (!(value instanceof Map)) {
        typeError(state, jsonKind(value), type, ctx);
        return undefined;
      }
      const out: Record<string, unknown> = {};
      const names = Object.keys(type.fields);
      for (const k of [...value.keys()].sort(compareGoStrings)) {
        let name = names.find((n) => n === k);
        if (name === undefined) {
          const lower = k.toLowerCase();
          name = names.find((n) => n.toLowerCase() === lower);
        }
        if (name === undefined) {
          if (state.opts.disallowUnknownFields) state.save(`json: unknown field ${JSON.stringify(k)}`);
          continue;
        }
        const field = type.fields[name]!;
        const d = decode(value.get(k)!, field.type, { struct: type.name, path: [...ctx.path, name] }, state, state.opts.coerceStrings && !field.promoted);
        if (d !== undefined) out[name] = d;
        else if (value.get(k) === null) delete out[name];
      }
      return out;
    }
  }
}

function zero(t: GoType): unknown {
  switch (t.t) {
    case 'string':
      return '';
    case 'bool':
      return false;
    case 'int':
      return 0;
    default:
      return null;
  }
}

/** A plain value (as the kustomize engine holds objects) as the JSON-able value go-yaml v2 would read from its YAML. */
export function toJsonable(v: unknown): JsonableValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return new GoInt(v);
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? new GoInt(BigInt(v)) : new GoFloat(v);
  if (Array.isArray(v)) return v.map(toJsonable);
  const m = new Map<string, JsonableValue>();
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) m.set(k, toJsonable(x));
  return m;
}

/** A JSON value as Go's interface{} holds it (numbers as float64). */
function plain(v: JsonableValue): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof GoInt || v instanceof GoUint || v instanceof GoFloat) return Number(numberText(v));
  if (Array.isArray(v)) return v.map(plain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of v) out[k] = plain(x);
  return out;
}
