/**
 * Reading YAML the way kustomize does: kyaml's kio.ByteReader splits the stream on
 * `\n---.*\n` (not on YAML document markers), each piece is decoded by yaml.v3, and values
 * are what yaml.v3 gives when kyaml finally decodes a node into interface{} for output
 * (resource.AsYAML -> RNode.MarshalJSON). So the scalar rules are yaml.v3's
 * (go.yaml.in/yaml/v3 resolve.go), not YAML 1.2 core's: `017` is octal, `1_000` is 1000,
 * `0b101` is 5, and an unquoted `2020-01-01` is a timestamp that prints as
 * "2020-01-01T00:00:00Z". Anchors and `<<` merges are expanded as kyaml's DeAnchor does.
 *
 * Values are plain JSON-like JS values: objects, arrays, strings, booleans, null, numbers,
 * and bigint for integers beyond 2^53 that yaml.v3 keeps exact.
 */
import { parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node, type Scalar } from 'yaml';
import { GoYamlError, unmarshalGoYaml } from '../../yaml/index.js';
import { BAIL, fastDecode, type FastHooks } from './yaml-fast.js';

/** A YAML text that kustomize cannot decode; the message is the Go text where we can give it. */
export class YamlReadError extends Error {
  constructor(
    message: string,
    /** "MalformedYAMLError" errors are the ones kustomize reports without trying a directory. */
    readonly malformed: boolean,
  ) {
    super(message);
    this.name = 'YamlReadError';
  }
}

/** kio splitDocuments: pieces between `\n---...\n` lines; a separator followed by anything but a comment is an error. */
export function splitDocuments(s: string): string[] {
  const docs: string[] = [];
  if (s.length === 0) return docs;
  const re = /\n---.*\n/g;
  let prev = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const sep = m[0];
    const after = sep.slice(4).trim();
    if (after.length > 0 && after[0] !== '#') throw new YamlReadError(`invalid document separator: ${sep.trim()}`, false);
    docs.push(s.slice(prev, m.index));
    prev = m.index + sep.length;
    // The separator's trailing newline may start the next separator ("\n---\n---\n").
    re.lastIndex = prev;
  }
  docs.push(s.slice(prev));
  return docs;
}

/**
 * kio.FromBytes (OmitReaderAnnotations, AnchorsAweigh): the non-null documents of a stream.
 * A single-document `List` or `ResourceList` with items is unwrapped into its items.
 */
export function readYamlNodes(text: string): unknown[] {
  const values = splitDocuments(text.replaceAll('\r\n', '\n'));
  const out: unknown[] = [];
  for (let i = 0; i < values.length; i++) {
    const piece = i !== values.length - 1 ? `${values[i]!}\n` : values[i]!;
    const node = decodeFirstDocument(piece);
    if (node === undefined || node === null) continue;
    if (values.length === 1 && isPlainObject(node)) {
      const kind = node.kind;
      if ((kind === 'ResourceList' || kind === 'List') && ('items' in node || 'functionConfig' in node)) {
        const items = node.items;
        if (Array.isArray(items)) out.push(...items);
        continue;
      }
    }
    out.push(node);
  }
  return out;
}

/**
 * The first document of a text, as yaml.v3's Decoder.Decode reads it; undefined when the
 * text holds no document (only comments or whitespace).
 */
export function decodeFirstDocument(text: string): unknown {
  if (text.trim() === '') return undefined;
  const duplicates: string[] = [];
  const fast = fastDecode(text, FAST_HOOKS, duplicates);
  if (fast !== BAIL) {
    if (duplicates.length > 0 && typeof fast === 'object' && fast !== null) duplicateKeyErrors.set(fast, `yaml: unmarshal errors:\n  ${duplicates.join('\n  ')}`);
    return fast;
  }
  return decodeWithLibrary(text);
}

/** {@link decodeFirstDocument} through the `yaml` library's full Document (the path with error messages). */
export function decodeWithLibrary(text: string): unknown {
  if (text.trim() === '') return undefined;
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, version: '1.2', merge: false, strict: false, stringKeys: false });
  // yaml.v3's Decoder reads the first document and leaves the rest.
  const err = doc.errors.find((e) => e.code !== 'MULTIPLE_DOCS');
  if (err) {
    // yaml.v3 and go-yaml v2 share libyaml's scanner and parser, so the v2 port gives the
    // message kustomize prints ("yaml: line 2: mapping values are not allowed in this context").
    let goMessage: string | undefined;
    try {
      unmarshalGoYaml(text);
    } catch (e) {
      if (e instanceof GoYamlError && /^yaml: line \d+: /.test(e.message)) goMessage = e.message;
    }
    if (goMessage) throw new YamlReadError(`MalformedYAMLError: ${goMessage}`, true);
    const line = err.linePos?.[0]?.line;
    const msg = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new YamlReadError(`MalformedYAMLError: yaml: ${line !== undefined ? `line ${line}: ` : ''}${lowerFirst(msg)}`, true);
  }
  if (doc.contents === null) return null;
  const conv = new Converter(doc, text);
  const value = conv.value(doc.contents as Node);
  if (conv.duplicates.length > 0 && typeof value === 'object' && value !== null) {
    duplicateKeyErrors.set(value, `yaml: unmarshal errors:\n  ${conv.duplicates.join('\n  ')}`);
  }
  return value;
}

/** The first document of a text as a `yaml` Document (styles and comments kept) and as a value. */
export function parseYamlDocument(text: string): { doc: Document; value: unknown } {
  const doc = parseDocument(text, { schema: 'failsafe', uniqueKeys: false, version: '1.2', merge: false, strict: false, stringKeys: false });
  const err = doc.errors.find((e) => e.code !== 'MULTIPLE_DOCS');
  if (err) throw new YamlReadError(`yaml: ${err.message.split('\n')[0]}`, true);
  return { doc, value: doc.contents === null ? null : new Converter(doc, text).value(doc.contents as Node) };
}

/** Parses one YAML value (a patch, a values file) with the same rules; null for an empty text. */
export function parseYamlValue(text: string): unknown {
  return decodeFirstDocument(text) ?? null;
}

function lowerFirst(s: string): string {
  return s.length > 0 ? s[0]!.toLowerCase() + s.slice(1) : s;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const TAG_PREFIX = 'tag:yaml.org,2002:';

/** Documents with repeated keys, and yaml.v3's error for them (raised when kustomize prints them). */
export const duplicateKeyErrors = new WeakMap<object, string>();

class Converter {
  private readonly lineStarts: number[];
  readonly duplicates: string[] = [];

  constructor(
    private readonly doc: Document,
    private readonly text: string,
  ) {
    this.lineStarts = [0];
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  private line(offset: number | undefined): number {
    if (offset === undefined) return 0;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  value(node: Node | null | undefined, depth = 0): unknown {
    if (node === null || node === undefined) return null;
    if (depth > 10000) throw new YamlReadError('MalformedYAMLError: yaml: exceeded max depth', true);
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) throw new YamlReadError(`MalformedYAMLError: yaml: unknown anchor '${node.source}' referenced`, true);
      return this.value(target as Node, depth + 1);
    }
    if (isScalar(node)) {
      const v = scalarValue(node);
      // A block scalar running into the end of the text without a line break has none
      // (yaml.v3); the yaml library adds one.
      if ((node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') && typeof v === 'string' && v.endsWith('\n')) {
        const end = node.range?.[1];
        if (end !== undefined && end >= this.text.length && !this.text.endsWith('\n')) return v.slice(0, -1);
      }
      return v;
    }
    if (isSeq(node)) return node.items.map((item) => this.value(item as Node | null, depth + 1));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const seenAt = new Map<string, number>();
      const merges: unknown[] = [];
      for (const pair of node.items) {
        const keyNode = pair.key as Node | null;
        if (isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.tag === undefined && keyNode.value === '<<') {
          merges.push(this.mergeSources(pair.value as Node | null, depth));
          continue;
        }
        const key = keyString(keyNode, this, depth);
        const line = this.line(keyNode && 'range' in keyNode ? keyNode.range?.[0] : undefined);
        const prev = seenAt.get(key);
        if (prev !== undefined) {
          // The document still reads (the last value wins); kustomize fails when it prints it.
          this.duplicates.push(`line ${line}: mapping key "${key}" already defined at line ${prev}`);
        }
        seenAt.set(key, line);
        defineKey(out, key, this.value(pair.value as Node | null, depth + 1));
      }
      if (merges.length === 0) return out;
      // kyaml DeAnchor mergeAll: merged maps in reverse order of their listing, the node's own keys last.
      const result: Record<string, unknown> = {};
      const sources = (merges as Record<string, unknown>[][]).flat();
      for (const src of sources) for (const [k, v] of Object.entries(src)) defineKey(result, k, structuredCloneValue(v));
      for (const [k, v] of Object.entries(out)) defineKey(result, k, v);
      return result;
    }
    return null;
  }

  /** The maps a `<<` value brings in, last-listed first (kyaml findMergeValues). */
  private mergeSources(node: Node | null, depth: number): Record<string, unknown>[] {
    if (node === null) throw new YamlReadError('map merge requires map or sequence of maps as the value', false);
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as Node | undefined;
      if (!isMap(target)) throw new YamlReadError('invalid map merge: received alias for a non-map value', false);
      return [this.value(target, depth + 1) as Record<string, unknown>];
    }
    if (isMap(node)) return [this.value(node, depth + 1) as Record<string, unknown>];
    if (isSeq(node)) {
      let out: Record<string, unknown>[] = [];
      for (const item of node.items) {
        if (isSeq(item)) throw new YamlReadError('invalid map merge: received a nested sequence', false);
        out = [...this.mergeSources(item as Node | null, depth), ...out];
      }
      return out;
    }
    throw new YamlReadError('map merge requires map or sequence of maps as the value', false);
  }
}

/** The scalar rules and copies the fast path shares with this one. */
export const FAST_HOOKS: FastHooks = {
  scalar: (text, type, tag) => scalarFrom(text, type, tag),
  copy: (v) => structuredCloneValue(v),
  define: (obj, key, value) => defineKey(obj, key, value),
};

function defineKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
  else obj[key] = value;
}

function keyString(node: Node | null, conv: Converter, depth: number): string {
  if (node === null) return '';
  if (isScalar(node)) {
    const v = node.value;
    return typeof v === 'string' ? v : String(v);
  }
  // A collection as a key: yaml.v3 cannot decode it into a string key; kyaml would fail later.
  const v = conv.value(node, depth + 1);
  return JSON.stringify(v);
}

function structuredCloneValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(structuredCloneValue);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) defineKey(out, k, structuredCloneValue(x));
    return out;
  }
  return v;
}

function scalarValue(node: Scalar): unknown {
  // The library decodes !!binary itself, even in the failsafe schema.
  if (node.value instanceof Uint8Array) return new TextDecoder().decode(node.value);
  return scalarFrom(typeof node.value === 'string' ? node.value : String(node.value), node.type ?? 'PLAIN', node.tag);
}

/** A scalar's value from its text, style ('PLAIN', 'QUOTE_DOUBLE', 'BLOCK_LITERAL' ...) and long tag. */
function scalarFrom(text: string, type: string, tag: string | undefined): unknown {
  const quoted = type !== 'PLAIN';
  if (tag === undefined || tag === '!') {
    if (quoted || tag === '!') return text;
    return resolvePlain(text);
  }
  if (!tag.startsWith(TAG_PREFIX)) return text; // a custom tag: yaml.v3 leaves the text as it is
  const short = tag.slice(TAG_PREFIX.length);
  switch (short) {
    case 'str':
      return text;
    case 'binary':
      // Go's string(data), printed as UTF-8 by json.Marshal.
      return new TextDecoder().decode(Uint8Array.from(atob(text.replace(/\s+/g, '')), (c) => c.charCodeAt(0)));
    case 'null':
    case 'bool':
    case 'int':
    case 'float':
    case 'timestamp': {
      const v = resolvePlain(text, short);
      return v;
    }
    default:
      return text;
  }
}

/** Thrown when an explicit tag does not fit its value ("cannot decode !!str `x` as a !!int"). */
function failTag(rtag: string, text: string, tag: string): never {
  throw new YamlReadError(`yaml: cannot decode !!${rtag} \`${text}\` as a !!${tag}`, false);
}

const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/**
 * yaml.v3 resolve() for an untagged plain scalar (or one tagged with a core tag): null,
 * bool, int (Go ParseInt base 0 after dropping underscores), float, timestamp, else string.
 */
export function resolvePlain(text: string, tag?: string): unknown {
  const [rtag, value] = resolveTagged(text, tag);
  if (tag === undefined || tag === rtag) return value;
  if (tag === 'float' && rtag === 'int') return typeof value === 'bigint' ? Number(value) : value;
  if (tag === 'str') return text;
  return failTag(rtag, text, tag);
}

function resolveTagged(text: string, tag?: string): [string, unknown] {
  const c = text.length > 0 ? text[0]! : '';
  let hint: string;
  if (text === '') hint = 'N';
  else if (c === '+' || c === '-') hint = 'S';
  else if (c >= '0' && c <= '9') hint = 'D';
  else if ('yYnNtTfFoO~'.includes(c)) hint = 'M';
  else if (c === '.') hint = '.';
  else hint = '';
  if (hint === '') return ['str', text];
  switch (text) {
    case 'true':
    case 'True':
    case 'TRUE':
      return ['bool', true];
    case 'false':
    case 'False':
    case 'FALSE':
      return ['bool', false];
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return ['null', null];
    case '.nan':
    case '.NaN':
    case '.NAN':
      return ['float', NaN];
    case '.inf':
    case '.Inf':
    case '.INF':
    case '+.inf':
    case '+.Inf':
    case '+.INF':
      return ['float', Infinity];
    case '-.inf':
    case '-.Inf':
    case '-.INF':
      return ['float', -Infinity];
  }
  if (hint === 'M' || hint === 'N') return ['str', text];
  if (hint === '.') {
    if (/^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text)) {
      const f = Number(text);
      if (Number.isFinite(f)) return ['float', f];
    }
    return ['str', text];
  }
  if (tag === undefined || tag === 'timestamp') {
    const ts = parseTimestamp(text);
    if (ts !== undefined) return ['timestamp', ts];
  }
  const plain = text.replaceAll('_', '');
  const i = parseGoInt(plain);
  if (i !== undefined) {
    if (i >= INT64_MIN && i <= INT64_MAX) return ['int', intValue(i)];
    if (i >= 0n && i <= UINT64_MAX) return ['int', i];
  }
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    if (Number.isFinite(f)) return ['float', f];
  }
  return ['str', text];
}

function intValue(i: bigint): number | bigint {
  return i >= BigInt(Number.MIN_SAFE_INTEGER) && i <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(i) : i;
}

/** strconv.ParseInt(s, 0, 64) / ParseUint syntax (range checked by the caller); undefined when it does not parse. */
function parseGoInt(s: string): bigint | undefined {
  let i = 0;
  let neg = false;
  if (s[0] === '+' || s[0] === '-') {
    neg = s[0] === '-';
    i = 1;
  }
  let base = 10;
  let digits: string;
  const rest = s.slice(i);
  if (/^0[xX]/.test(rest)) {
    base = 16;
    digits = rest.slice(2);
    if (!/^[0-9a-fA-F]+$/.test(digits)) return undefined;
  } else if (/^0[oO]/.test(rest)) {
    base = 8;
    digits = rest.slice(2);
    if (!/^[0-7]+$/.test(digits)) return undefined;
  } else if (/^0[bB]/.test(rest)) {
    base = 2;
    digits = rest.slice(2);
    if (!/^[01]+$/.test(digits)) return undefined;
  } else if (rest.length > 1 && rest[0] === '0') {
    base = 8;
    digits = rest.slice(1);
    if (!/^[0-7]+$/.test(digits)) return undefined;
  } else {
    digits = rest;
    if (!/^[0-9]+$/.test(digits)) return undefined;
  }
  let v = 0n;
  const b = BigInt(base);
  for (const ch of digits) v = v * b + BigInt(parseInt(ch, base));
  return neg ? -v : v;
}

/**
 * yaml.v3 parseTimestamp with its four layouts, returned as Go's json.Marshal prints a
 * time.Time (RFC 3339 with nanoseconds, trailing zeros dropped).
 */
function parseTimestamp(s: string): string | undefined {
  if (!/^[0-9]{4}-/.test(s)) return undefined;
  const m =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:([Tt])|( ))([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:\.([0-9]+))?(Z|[+-][0-9]{2}:[0-9]{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [, ys, mos, ds, t, space, hs, mis, ss, frac, zone] = m;
  if (hs !== undefined) {
    if (t !== undefined && zone === undefined) return undefined; // the T layouts need a zone
    if (space !== undefined && zone !== undefined) return undefined; // the space layout has none
  }
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  if (month < 1 || month > 12) return undefined;
  const dim = [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  if (day < 1 || day > dim) return undefined;
  const hour = hs === undefined ? 0 : Number(hs);
  const min = mis === undefined ? 0 : Number(mis);
  const sec = ss === undefined ? 0 : Number(ss);
  if (hour > 23 || min > 59 || sec > 59) return undefined;
  if (frac !== undefined && frac.length > 9) return undefined;
  if (zone !== undefined && zone !== 'Z') {
    const zh = Number(zone.slice(1, 3));
    const zm = Number(zone.slice(4, 6));
    if (zh > 24 || zm > 59) return undefined;
  }
  const p2 = (n: number) => String(n).padStart(2, '0');
  let out = `${ys}-${p2(month)}-${p2(day)}T${p2(hour)}:${p2(min)}:${p2(sec)}`;
  const f = (frac ?? '').replace(/0+$/, '');
  if (f !== '') out += `.${f}`;
  out += zone === undefined || zone === 'Z' || zone.slice(1) === '00:00' ? 'Z' : zone;
  return out;
}
