/**
 * BurntSushi/toml v1.6.0 Encoder.Encode (encode.go) for the values Helm's toToml is given:
 * maps with string keys, slices, strings, bools, float64 and int64. Plain keys before
 * tables, keys in byte order, nested tables indented two spaces per level, a blank line
 * before top-level tables and before each [[array table]], floats always with a point or
 * an exponent ("80.0"), nil map values skipped, nil array elements an error.
 */
import { compareGoStrings } from '../../goruntime/index.js';
import { formatFloatG } from '../../goruntime/index.js';
import { GoFloat, GoInt, GoUint } from '../go-yaml/values.js';

/** Thrown with the text Go's encoder returns (Helm's toToml prints it in place of TOML). */
export class TomlEncodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TomlEncodeError';
  }
}

const ERR_ARRAY_NIL_ELEMENT = 'toml: cannot encode array with nil element';
const ERR_NO_KEY = 'toml: top-level values must be Go maps or structs';

type TomlMap = Record<string, unknown>;
type TomlType = 'bool' | 'integer' | 'float' | 'string' | 'array' | 'arrayHash' | 'hash';

function isMap(v: unknown): v is TomlMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof GoFloat) && !(v instanceof GoInt) && !(v instanceof GoUint);
}

function isNil(v: unknown): boolean {
  return v === null || v === undefined;
}

/** tomlTypeOfGo: undefined for nil. */
function tomlType(v: unknown): TomlType | undefined {
  if (isNil(v)) return undefined;
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint' || v instanceof GoInt || v instanceof GoUint) return 'integer';
  if (typeof v === 'number' || v instanceof GoFloat) return 'float';
  if (typeof v === 'string') return 'string';
  if (Array.isArray(v)) return isTableArray(v) ? 'arrayHash' : 'array';
  if (isMap(v)) return 'hash';
  throw new TomlEncodeError(`unsupported type: ${typeof v}`);
}

function isTableArray(arr: unknown[]): boolean {
  if (arr.length === 0) return false;
  let ret = true;
  for (const item of arr) {
    const tt = tomlType(item);
    if (tt === undefined) throw new TomlEncodeError(ERR_ARRAY_NIL_ELEMENT);
    if (ret && tt !== 'hash') ret = false;
  }
  return ret;
}

const HEX = '0123456789abcdef';

/** dblQuotedReplacer: quotes, backslashes, C0 controls and DEL. */
function quoteBody(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (c === 0x08) out += '\\b';
    else if (c === 0x09) out += '\\t';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0c) out += '\\f';
    else if (c === 0x0d) out += '\\r';
    else if (c < 0x20 || c === 0x7f) out += `\\u00${HEX[c >> 4]}${HEX[c & 0xf]}`;
    else out += ch;
  }
  return out;
}

function isBare(k: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(k);
}

/** Key.maybeQuoted for one piece. */
function keyPiece(k: string): string {
  if (k === '') return '""';
  return isBare(k) ? k : `"${quoteBody(k)}"`;
}

/** Key.String: the dotted path. */
function keyPath(key: string[]): string {
  return key.map(keyPiece).join('.');
}

function floatText(f: number): string {
  if (Number.isNaN(f)) return 'nan';
  if (f === Infinity) return 'inf';
  if (f === -Infinity) return '-inf';
  const s = formatFloatG(f);
  return s.includes('e') || s.includes('.') ? s : `${s}.0`;
}

class Encoder {
  private out = '';
  private hasWritten = false;
  private readonly indent = '  ';

  result(): string {
    return this.out;
  }

  private write(s: string): void {
    this.out += s;
    this.hasWritten = true;
  }

  private newline(): void {
    if (this.hasWritten) this.write('\n');
  }

  private indentStr(key: string[]): string {
    return this.indent.repeat(Math.max(key.length - 1, 0));
  }

  encode(key: string[], v: unknown): void {
    if (isNil(v)) return;
    if (Array.isArray(v)) {
      if (tomlType(v) === 'arrayHash') this.eArrayOfTables(key, v);
      else this.writeKeyValue(key, v, false);
      return;
    }
    if (isMap(v)) {
      this.eTable(key, v);
      return;
    }
    this.writeKeyValue(key, v, false);
  }

  private eElement(v: unknown): void {
    if (isNil(v)) throw new TomlEncodeError('reflect: call of reflect.Value.Interface on zero Value');
    if (typeof v === 'string') this.write(`"${quoteBody(v)}"`);
    else if (typeof v === 'boolean') this.write(v ? 'true' : 'false');
    else if (typeof v === 'bigint') this.write(v.toString());
    else if (v instanceof GoInt || v instanceof GoUint) this.write(v.value.toString());
    else if (typeof v === 'number') this.write(floatText(v));
    else if (v instanceof GoFloat) this.write(floatText(v.value));
    else if (Array.isArray(v)) {
      this.write('[');
      v.forEach((item, i) => {
        this.eElement(item);
        if (i !== v.length - 1) this.write(', ');
      });
      this.write(']');
    } else if (isMap(v)) this.eMap([], v, true);
    else throw new TomlEncodeError(`unexpected type: ${typeof v}`);
  }

  private eArrayOfTables(key: string[], arr: unknown[]): void {
    if (key.length === 0) throw new TomlEncodeError(ERR_NO_KEY);
    for (const item of arr) {
      if (isNil(item)) continue;
      this.newline();
      this.write(`${this.indentStr(key)}[[${keyPath(key)}]]`);
      this.newline();
      this.eMap(key, item as TomlMap, false);
    }
  }

  private eTable(key: string[], m: TomlMap): void {
    if (key.length === 1) this.newline();
    if (key.length > 0) {
      this.write(`${this.indentStr(key)}[${keyPath(key)}]`);
      this.newline();
    }
    this.eMap(key, m, false);
  }

  private eMap(key: string[], m: TomlMap, inline: boolean): void {
    const direct: string[] = [];
    const sub: string[] = [];
    for (const k of Object.keys(m)) {
      const t = tomlType(m[k]);
      if (t === 'hash' || t === 'arrayHash') sub.push(k);
      else direct.push(k);
    }
    const writeMapKeys = (keys: string[], trailComma: boolean) => {
      keys.sort(compareGoStrings);
      keys.forEach((k, i) => {
        const val = m[k];
        if (isNil(val)) return;
        if (inline) {
          this.writeKeyValue([k], val, true);
          if (trailComma || i !== keys.length - 1) this.write(', ');
        } else {
          this.encode([...key, k], val);
        }
      });
    };
    if (inline) this.write('{');
    writeMapKeys(direct, sub.length > 0);
    writeMapKeys(sub, false);
    if (inline) this.write('}');
  }

  private writeKeyValue(key: string[], v: unknown, inline: boolean): void {
    if (key.length === 0) {
      this.eElement(v);
      return;
    }
    this.write(`${this.indentStr(key)}${keyPiece(key[key.length - 1]!)} = `);
    this.eElement(v);
    if (!inline) this.newline();
  }
}

/**
 * toml.NewEncoder(w).Encode(value). Values: plain objects (map[string]interface{}),
 * arrays, strings, booleans, numbers (float64), bigints (int64), null (nil), and go-yaml's
 * GoInt/GoUint/GoFloat. Throws TomlEncodeError with Go's error text, e.g.
 * "toml: top-level values must be Go maps or structs" for a top-level list of maps.
 */
export function marshalToml(value: unknown): string {
  // Encode(nil) panics in reflect before BurntSushi's own checks.
  if (isNil(value)) throw new TomlEncodeError('reflect: call of reflect.Value.Type on zero Value');
  const enc = new Encoder();
  enc.encode([], value);
  return enc.result();
}
