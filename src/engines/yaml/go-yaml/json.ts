/**
 * The JSON half of sigs.k8s.io/yaml (yaml.go convertToJSONableObject) and Go's
 * encoding/json Marshal of the result: non-string keys become strings the way
 * sigs.k8s.io/yaml writes them, maps print with sorted keys, strings with Go's escapes
 * (<, >, & and U+2028/U+2029 included), floats in encoding/json's format, NaN and ±Inf
 * are errors.
 */
import { goSyntax } from './decode.js';
import { compareGoStrings, formatFloatG, formatJsonFloat } from '../../goruntime/index.js';
import { GoFloat, GoInt, GoUint, GoYamlMap, type GoYamlKey, type GoYamlValue } from './values.js';

/** A value ready for json.Marshal: map[string]interface{} is a JS Map. */
export type JsonableValue = null | boolean | string | GoInt | GoUint | GoFloat | JsonableValue[] | Map<string, JsonableValue>;

/** Thrown with the Go error text of convertToJSONableObject or json.Marshal. */
export class GoJsonError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'GoJsonError';
  }
}

function keyString(k: GoYamlKey, v: GoYamlValue): string {
  if (typeof k === 'string') return k;
  if (k instanceof GoInt) return k.value.toString();
  if (k instanceof GoFloat) {
    // sigs.k8s.io/yaml formats float keys with 32-bit precision.
    const s = formatFloatG(k.value, 32);
    return s === '+Inf' ? '.inf' : s === '-Inf' ? '-.inf' : s === 'NaN' ? '.nan' : s;
  }
  if (typeof k === 'boolean') return k ? 'true' : 'false';
  const type = k === null ? '%!s(<nil>)' : 'uint64';
  throw new GoJsonError(`unsupported map key of type: ${type}, key: ${goSyntax(k)}, value: ${goSyntax(v)}`);
}

/** convertToJSONableObject(yamlObj, nil). */
export function toJsonable(v: GoYamlValue): JsonableValue {
  if (v instanceof GoYamlMap) {
    const out = new Map<string, JsonableValue>();
    for (const { key, value } of v.entries()) out.set(keyString(key, value), toJsonable(value));
    return out;
  }
  if (Array.isArray(v)) return v.map(toJsonable);
  return v;
}

const HEX = '0123456789abcdef';

/** encoding/json's string encoding with HTML escaping. */
export function goJsonString(s: string): string {
  let out = '"';
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c < 0x80) {
      if (c >= 0x20 && c !== 0x22 && c !== 0x5c && c !== 0x3c && c !== 0x3e && c !== 0x26) continue;
      switch (c) {
        case 0x5c:
          esc = '\\\\';
          break;
        case 0x22:
          esc = '\\"';
          break;
        case 0x08:
          esc = '\\b';
          break;
        case 0x0c:
          esc = '\\f';
          break;
        case 0x0a:
          esc = '\\n';
          break;
        case 0x0d:
          esc = '\\r';
          break;
        case 0x09:
          esc = '\\t';
          break;
        default:
          esc = `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
      }
    } else if (c === 0x2028 || c === 0x2029) {
      esc = `\\u202${HEX[c & 0xf]}`;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        i++;
        continue;
      }
      esc = '\\ufffd';
    } else {
      continue;
    }
    out += s.slice(start, i) + esc;
    start = i + 1;
  }
  return `${out}${s.slice(start)}"`;
}


/** json.Marshal of a JSON-able value; throws GoJsonError "json: unsupported value: NaN". */
export function marshalJson(v: JsonableValue): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') return goJsonString(v);
  if (v instanceof GoInt || v instanceof GoUint) return v.value.toString();
  if (v instanceof GoFloat) {
    if (!Number.isFinite(v.value)) throw new GoJsonError(`json: unsupported value: ${formatFloatG(v.value)}`);
    return formatJsonFloat(v.value);
  }
  if (Array.isArray(v)) return `[${v.map(marshalJson).join(',')}]`;
  const keys = [...v.keys()].sort(compareGoStrings);
  return `{${keys.map((k) => `${goJsonString(k)}:${marshalJson(v.get(k)!)}`).join(',')}}`;
}
