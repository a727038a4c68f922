import { formatFloatG } from '../../goruntime/index.js';
import { GoYamlError, setKey, toJsonValue, type YamlValue } from './goyaml.js';

/**
 * sigs.k8s.io/yaml's Unmarshal into a typed Go struct: first the YAML tree is made JSON-able
 * with the target in view (a number or bool headed for a string field becomes a string, floats
 * formatted as float32 — which is why `appVersion: 1.10` reads as "1.1"), then encoding/json
 * decodes it, keeping the first type error in the order json.Marshal wrote the keys (sorted).
 */

/** The Go types Chart.yaml, requirements.yaml and Chart.lock are decoded into. */
export type GoType =
  | { kind: 'string' }
  | { kind: 'bool' }
  | { kind: 'any' }
  /** A type with its own UnmarshalJSON (time.Time): taken as the JSON value it is. */
  | { kind: 'opaque'; name: string }
  | { kind: 'slice'; elem: GoType }
  | { kind: 'map'; elem: GoType }
  | { kind: 'ptr'; elem: GoType }
  | { kind: 'struct'; name: string; fields: Record<string, GoType> };

/** Go's name of a type, as encoding/json prints it ("[]*chart.Dependency", "map[string]string"). */
export function goTypeName(t: GoType): string {
  switch (t.kind) {
    case 'string':
    case 'bool':
      return t.kind;
    case 'any':
      return 'interface {}';
    case 'opaque':
      return t.name;
    case 'slice':
      return `[]${goTypeName(t.elem)}`;
    case 'map':
      return `map[string]${goTypeName(t.elem)}`;
    case 'ptr':
      return `*${goTypeName(t.elem)}`;
    case 'struct':
      return t.name;
  }
}

/** A JSON-able value: what sigs.k8s.io/yaml hands to json.Marshal. Numbers keep their YAML kind. */
type Jsonable = YamlValue;

/** Finds the struct field a JSON key lands in: exact name first, else the first case-insensitive match. */
function fieldFor(t: Extract<GoType, { kind: 'struct' }>, key: string): string | undefined {
  if (Object.hasOwn(t.fields, key)) return key;
  const lower = key.toLowerCase();
  return Object.keys(t.fields).find((f) => f.toLowerCase() === lower);
}

function deref(t: GoType | undefined): GoType | undefined {
  while (t?.kind === 'ptr') t = t.elem;
  return t;
}

/** sigs.k8s.io/yaml convertToJSONableObject with a target: scalars bound for string fields become strings. */
function toJsonable(v: YamlValue, target: GoType | undefined): Jsonable {
  const t = deref(target);
  const live = t && t.kind !== 'opaque' ? t : undefined;
  switch (v.kind) {
    case 'map': {
      const entries = new Map<string, Jsonable>();
      for (const [k, x] of v.entries) {
        let sub: GoType | undefined;
        if (live?.kind === 'struct') {
          const f = fieldFor(live, k);
          sub = f === undefined ? undefined : live.fields[f];
        } else if (live?.kind === 'map') {
          sub = live.elem;
        }
        entries.set(k, toJsonable(x, sub));
      }
      return { kind: 'map', entries };
    }
    case 'seq': {
      const elem = live?.kind === 'slice' ? live.elem : undefined;
      return { kind: 'seq', items: v.items.map((x) => toJsonable(x, elem)) };
    }
    case 'int':
    case 'float':
    case 'bool':
      if (live?.kind === 'string') {
        const s = v.kind === 'int' ? v.value.toString() : v.kind === 'float' ? formatFloatG(v.value, 32) : String(v.value);
        return { kind: 'string', value: s };
      }
      return v;
    default:
      return v;
  }
}

/** Where the decoder is, for UnmarshalTypeError's "Go struct field Struct.a.b" context. */
interface Context {
  struct?: string;
  fields: string[];
}

class TypeError_ {
  constructor(readonly message: string) {}
}

function jsonKind(v: Jsonable): string {
  switch (v.kind) {
    case 'map':
      return 'object';
    case 'seq':
      return 'array';
    case 'int':
    case 'float':
      return 'number';
    default:
      return v.kind;
  }
}

/**
 * Decodes YAML (already read by decodeYaml) into a value of type `t`, as
 * `yaml.Unmarshal(data, &x)` does. Type errors throw GoYamlError with encoding/json's message
 * behind "error unmarshaling JSON: while decoding JSON: "; conversion errors behind
 * "error converting YAML to JSON: ". `into` is an existing struct value to decode over
 * (Unmarshal into a filled struct keeps fields the document does not set).
 */
export function decodeInto(v: YamlValue, t: GoType, into?: Record<string, unknown>): unknown {
  const json = toJsonable(v, t);
  try {
    toJsonValue(json); // json.Marshal: fails on NaN / Inf anywhere
  } catch (e) {
    throw new GoYamlError(`error converting YAML to JSON: ${(e as Error).message}`);
  }
  const errors: TypeError_[] = [];
  const out = decodeValue(json, t, { fields: [] }, errors, into);
  if (errors[0]) throw new GoYamlError(`error unmarshaling JSON: while decoding JSON: ${errors[0].message}`);
  return out;
}

function typeError(v: Jsonable, t: GoType, ctx: Context, errors: TypeError_[]): undefined {
  const where = ctx.struct !== undefined || ctx.fields.length > 0 ? `Go struct field ${ctx.struct ?? ''}.${ctx.fields.join('.')}` : 'Go value';
  errors.push(new TypeError_(`json: cannot unmarshal ${jsonKind(v)} into ${where} of type ${goTypeName(t)}`));
  return undefined;
}

/** encoding/json's decode of one value; returns undefined where Go leaves the zero value. */
function decodeValue(v: Jsonable, t: GoType, ctx: Context, errors: TypeError_[], into?: Record<string, unknown>): unknown {
  if (v.kind === 'null') return t.kind === 'ptr' ? null : undefined;
  switch (t.kind) {
    case 'any':
      return toJsonValue(v);
    case 'opaque':
      return toJsonValue(v);
    case 'string':
      return v.kind === 'string' ? v.value : typeError(v, t, ctx, errors);
    case 'bool':
      return v.kind === 'bool' ? v.value : typeError(v, t, ctx, errors);
    case 'ptr':
      return decodeValue(v, t.elem, ctx, errors);
    case 'slice':
      if (v.kind !== 'seq') return typeError(v, t, ctx, errors);
      return v.items.map((x) => decodeValue(x, t.elem, ctx, errors));
    case 'map': {
      if (v.kind !== 'map') return typeError(v, t, ctx, errors);
      const out: Record<string, unknown> = {};
      for (const k of [...v.entries.keys()].sort()) {
        const x = decodeValue(v.entries.get(k)!, t.elem, ctx, errors);
        if (x !== undefined) setKey(out, k, x);
      }
      return out;
    }
    case 'struct': {
      if (v.kind !== 'map') return typeError(v, t, ctx, errors);
      const out: Record<string, unknown> = into ?? {};
      for (const k of [...v.entries.keys()].sort()) {
        const f = fieldFor(t, k);
        if (f === undefined) continue;
        const sub: Context = { struct: t.name.replace(/^.*\./, ''), fields: [...ctx.fields, f] };
        const x = decodeValue(v.entries.get(k)!, t.fields[f]!, sub, errors);
        if (x !== undefined) out[f] = x;
      }
      return out;
    }
  }
}
