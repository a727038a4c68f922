/**
 * go-yaml v2's Unmarshal into an interface{} (decode.go): builds the node tree from the
 * first document's events, then decodes it: scalars through resolve(), quoted scalars as
 * strings, timestamps kept as their text, `<<` merges (which, as in go-yaml, overwrite keys
 * set before them), aliases with the "contains itself" and excessive-aliasing checks.
 */
import { EVENT_NAMES, Parser, type EventType, type YamlEvent } from './parser.js';
import { BINARY_TAG, MERGE_TAG, STR_TAG, TIMESTAMP_TAG, resolve } from './resolve.js';
import { YamlSyntaxError } from './scanner.js';
import { formatFloatG, quoteBytes, utf8Bytes } from '../../goruntime/index.js';
import { GoFloat, GoInt, GoUint, GoYamlError, GoYamlMap, type GoYamlKey, type GoYamlValue } from './values.js';

type NodeKind = 'document' | 'mapping' | 'sequence' | 'scalar' | 'alias';

interface YamlNode {
  kind: NodeKind;
  line: number;
  column: number;
  tag: string;
  value: string;
  implicit: boolean;
  children: YamlNode[];
  alias?: YamlNode;
}

/** decode.go's parser: events to nodes, with anchors registered as they are met. */
class Composer {
  private readonly parser: Parser;
  private event: YamlEvent | undefined;
  private anchors = new Map<string, YamlNode>();

  constructor(input: string) {
    // newParser: an empty input is read as a single line break.
    this.parser = new Parser(input === '' ? '\n' : input);
  }

  private next(): YamlEvent {
    try {
      return this.parser.parse();
    } catch (e) {
      if (e instanceof YamlSyntaxError) fail(e);
      throw e;
    }
  }

  private peek(): EventType {
    this.event ??= this.next();
    return this.event.type;
  }

  private expect(type: EventType): void {
    this.event ??= this.next();
    if (this.event.type === 'STREAM_END') throw new GoYamlError('yaml: attempted to go past the end of stream; corrupted value?');
    if (this.event.type !== type) {
      // p.fail() with no marks set: the message names no line.
      throw new GoYamlError(`yaml: expected ${EVENT_NAMES[type]} event but got ${EVENT_NAMES[this.event.type]}`);
    }
    this.event = undefined;
  }

  /** The first document's root (parser.parse after init), or undefined for an empty stream. */
  parseFirst(): YamlNode | undefined {
    this.expect('STREAM_START');
    return this.parse();
  }

  private parse(): YamlNode | undefined {
    switch (this.peek()) {
      case 'SCALAR':
        return this.scalar();
      case 'ALIAS':
        return this.alias();
      case 'MAPPING_START':
        return this.mapping();
      case 'SEQUENCE_START':
        return this.sequence();
      case 'DOCUMENT_START':
        return this.document();
      case 'STREAM_END':
        return undefined;
      default:
        throw new Error(`attempted to parse unknown event: ${this.event?.type}`);
    }
  }

  private node(kind: NodeKind): YamlNode {
    const ev = this.event!;
    return { kind, line: ev.start.line, column: ev.start.column, tag: '', value: '', implicit: false, children: [] };
  }

  private document(): YamlNode {
    const n = this.node('document');
    this.anchors = new Map();
    this.expect('DOCUMENT_START');
    n.children.push(this.parse()!);
    this.expect('DOCUMENT_END');
    return n;
  }

  private alias(): YamlNode {
    const n = this.node('alias');
    n.value = this.event!.anchor;
    n.alias = this.anchors.get(n.value);
    if (!n.alias) throw new GoYamlError(`yaml: unknown anchor '${n.value}' referenced`);
    this.expect('ALIAS');
    return n;
  }

  private scalar(): YamlNode {
    const ev = this.event!;
    const n = this.node('scalar');
    n.value = ev.value;
    n.tag = ev.tag;
    n.implicit = ev.implicit;
    if (ev.anchor) this.anchors.set(ev.anchor, n);
    this.expect('SCALAR');
    return n;
  }

  private sequence(): YamlNode {
    const n = this.node('sequence');
    if (this.event!.anchor) this.anchors.set(this.event!.anchor, n);
    this.expect('SEQUENCE_START');
    while (this.peek() !== 'SEQUENCE_END') n.children.push(this.parse()!);
    this.expect('SEQUENCE_END');
    return n;
  }

  private mapping(): YamlNode {
    const n = this.node('mapping');
    if (this.event!.anchor) this.anchors.set(this.event!.anchor, n);
    this.expect('MAPPING_START');
    while (this.peek() !== 'MAPPING_END') n.children.push(this.parse()!, this.parse()!);
    this.expect('MAPPING_END');
    return n;
  }
}

/** decode.go parser.fail: "yaml: line N: problem", the line chosen as go-yaml chooses it. */
function fail(e: YamlSyntaxError): never {
  let line = 0;
  if (e.problemMark.line !== 0) {
    line = e.problemMark.line;
    // Scanner errors don't iterate line before returning error.
    if (e.kind === 'scanner') line++;
  } else if (e.contextMark.line !== 0) {
    line = e.contextMark.line;
  }
  const where = line !== 0 ? `line ${line}: ` : '';
  throw new GoYamlError(`yaml: ${where}${e.problem || 'unknown problem parsing YAML content'}`, line || undefined);
}

// Same limits as decode.go allowedAliasRatio.
const ALIAS_RATIO_RANGE_LOW = 400000;
const ALIAS_RATIO_RANGE_HIGH = 4000000;

function allowedAliasRatio(decodeCount: number): number {
  if (decodeCount <= ALIAS_RATIO_RANGE_LOW) return 0.99;
  if (decodeCount >= ALIAS_RATIO_RANGE_HIGH) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - ALIAS_RATIO_RANGE_LOW) / (ALIAS_RATIO_RANGE_HIGH - ALIAS_RATIO_RANGE_LOW));
}

/** decode.go's decoder, for an interface{} target only. */
class Decoder {
  private readonly aliases = new Set<YamlNode>();
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;

  private count(): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new GoYamlError('yaml: document contains excessive aliasing');
    }
  }

  decode(n: YamlNode): GoYamlValue {
    this.count();
    switch (n.kind) {
      case 'document':
        return n.children.length === 1 ? this.decode(n.children[0]!) : null;
      case 'alias':
        return this.withAlias(n, () => this.decode(n.alias!));
      case 'scalar':
        return this.scalar(n);
      case 'sequence':
        return n.children.map((c) => this.decode(c));
      case 'mapping': {
        const out = new GoYamlMap();
        this.mappingInto(n, out);
        return out;
      }
    }
  }

  private withAlias<T>(n: YamlNode, f: () => T): T {
    if (this.aliases.has(n)) throw new GoYamlError(`yaml: anchor '${n.value}' value contains itself`);
    this.aliases.add(n);
    this.aliasDepth++;
    try {
      return f();
    } finally {
      this.aliasDepth--;
      this.aliases.delete(n);
    }
  }

  private scalar(n: YamlNode): GoYamlValue {
    let tag: string;
    let resolved: GoYamlValue;
    if (n.tag === '' && !n.implicit) {
      tag = STR_TAG;
      resolved = n.value;
    } else {
      ({ tag, value: resolved } = resolve(n.tag, n.value));
      if (tag === BINARY_TAG) resolved = decodeBase64(resolved as string);
    }
    if (resolved === null) return null;
    // Timestamps stay strings in an interface{} (decode.go, "for backward compatibility").
    if (tag === TIMESTAMP_TAG) return n.value;
    return resolved;
  }

  /** Decodes a mapping (or an alias of one, for merges) into an existing map. */
  private mappingInto(n: YamlNode, out: GoYamlMap): void {
    for (let i = 0; i < n.children.length; i += 2) {
      const keyNode = n.children[i]!;
      const valueNode = n.children[i + 1]!;
      if (isMerge(keyNode)) {
        this.merge(valueNode, out);
        continue;
      }
      const k = this.decode(keyNode);
      if (Array.isArray(k) || k instanceof GoYamlMap) throw new GoYamlError(`yaml: invalid map key: ${goSyntax(k)}`);
      const v = this.decode(valueNode);
      out.set(k, v);
    }
  }

  private unmarshalInto(n: YamlNode, out: GoYamlMap): void {
    this.count();
    if (n.kind === 'alias') {
      this.withAlias(n, () => this.unmarshalInto(n.alias!, out));
      return;
    }
    this.mappingInto(n, out);
  }

  private merge(n: YamlNode, out: GoYamlMap): void {
    const failWantMap = () => {
      throw new GoYamlError('yaml: map merge requires map or sequence of maps as the value');
    };
    switch (n.kind) {
      case 'mapping':
        this.unmarshalInto(n, out);
        return;
      case 'alias':
        if (n.alias && n.alias.kind !== 'mapping') failWantMap();
        this.unmarshalInto(n, out);
        return;
      case 'sequence':
        // Step backwards as earlier nodes take precedence.
        for (let i = n.children.length - 1; i >= 0; i--) {
          const ni = n.children[i]!;
          if (ni.kind === 'alias') {
            if (ni.alias && ni.alias.kind !== 'mapping') failWantMap();
          } else if (ni.kind !== 'mapping') {
            failWantMap();
          }
          this.unmarshalInto(ni, out);
        }
        return;
      default:
        failWantMap();
    }
  }
}

function isMerge(n: YamlNode): boolean {
  return n.kind === 'scalar' && n.value === '<<' && (n.implicit || n.tag === MERGE_TAG);
}

/** base64.StdEncoding.DecodeString (which skips \r and \n), as Go bytes read as a string. */
function decodeBase64(s: string): string {
  const text = s.replace(/[\r\n]/g, '');
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) {
    throw new GoYamlError('yaml: !!binary value contains invalid base64 data');
  }
  const bin = atob(text);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return bytesToGoString(bytes);
}

/**
 * Go bytes as a JS string. An invalid UTF-8 byte b becomes the lone surrogate U+DC00+b, so
 * encoding/json can still tell it from a real U+FFFD (it writes the escape \ufffd for it).
 */
function bytesToGoString(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let w = 0;
    let cp = 0;
    if (b < 0x80) {
      w = 1;
      cp = b;
    } else if (b >= 0xc2 && b <= 0xdf) {
      w = 2;
      cp = b & 0x1f;
    } else if (b >= 0xe0 && b <= 0xef) {
      w = 3;
      cp = b & 0x0f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      w = 4;
      cp = b & 0x07;
    }
    let ok = w > 0 && i + w <= bytes.length;
    for (let k = 1; ok && k < w; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && ((w === 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (w === 4 && (cp < 0x10000 || cp > 0x10ffff)))) ok = false;
    if (!ok) {
      out += String.fromCharCode(0xdc00 + b);
      i++;
      continue;
    }
    out += String.fromCodePoint(cp);
    i += w;
  }
  return out;
}

/** The bytes a decoded string stands for: U+DC80..U+DCFF are the raw bytes invalid UTF-8 kept (see above). */
function rawBytes(s: string): Uint8Array {
  if (!/[\udc80-\udcff]/.test(s)) return utf8Bytes(s);
  const out: number[] = [];
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (cp >= 0xdc80 && cp <= 0xdcff) out.push(cp - 0xdc00);
    else out.push(...utf8Bytes(c));
  }
  return Uint8Array.from(out);
}

/** fmt's %#v for decoded values, as go-yaml and sigs.k8s.io/yaml put them in errors. */
export function goSyntax(v: GoYamlValue, inInterface = false): string {
  if (v === null) return inInterface ? 'interface {}(nil)' : '<nil>';
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return quoteBytes(rawBytes(v), false);
  if (v instanceof GoInt) return v.value.toString();
  if (v instanceof GoUint) return `0x${v.value.toString(16)}`;
  if (v instanceof GoFloat) return formatFloatG(v.value);
  if (Array.isArray(v)) return `[]interface {}{${v.map((x) => goSyntax(x, true)).join(', ')}}`;
  const entries = v.entries().sort((a, b) => compareKeys(a.key, b.key));
  return `map[interface {}]interface {}{${entries.map((e) => `${goSyntax(e.key, true)}:${goSyntax(e.value, true)}`).join(', ')}}`;
}

/** internal/fmtsort order: nil first; other types in an order fixed by the Go binary. */
function compareKeys(a: GoYamlKey, b: GoYamlKey): number {
  const rank = (k: GoYamlKey) => (k === null ? 0 : typeof k === 'string' ? 1 : k instanceof GoInt ? 2 : k instanceof GoUint ? 3 : k instanceof GoFloat ? 4 : 5);
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if ((a instanceof GoInt || a instanceof GoUint) && (b instanceof GoInt || b instanceof GoUint)) return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  if (a instanceof GoFloat && b instanceof GoFloat) return a.value - b.value;
  return Number(a) - Number(b);
}

/**
 * yaml.Unmarshal(input, &v) with v an interface{}: the first document's value (null for an
 * empty stream). Throws GoYamlError with go-yaml's message.
 */
export function unmarshal(input: string): GoYamlValue {
  const composer = new Composer(input);
  const root = composer.parseFirst();
  if (!root) return null;
  return new Decoder().decode(root);
}
