import { formatFloatG, goQuote } from '../../../goruntime/index.js';
import { sortedKeys } from '../../../gotemplate/index.js';
import { formatCheck } from './formats.js';
import { JsonNumber, parseJsonWithNumbers } from './json.js';
import { METASCHEMAS } from './metaschemas.js';
import { formatFloatEnglish, formatIntEnglish, ratCmp, ratFloat, ratFromString, ratIsInt, ratOf, ratQuoIsInt, type Rat } from './numbers.js';
import { compileGoRegexp } from './regexp.js';

/**
 * A JSON Schema validator that reports errors as santhosh-tekuri/jsonschema v6 does (the
 * library helm v3.22 validates values.schema.json with): drafts 4, 6, 7, 2019-09 and 2020-12
 * (2020-12 when `$schema` is absent), keywords checked in the library's order, the same error
 * tree (`'anyOf' failed` with the failing branches under it) and message texts, numbers
 * compared exactly and printed as golang.org/x/text prints them for English.
 *
 * Ported from validator.go / objcompiler.go / roots.go / kind/kind.go; the metaschemas the
 * library bundles are bundled here too (metaschemas.ts), and schemas are checked against them
 * first, as the library does. Object properties are visited in sorted order where Go ranges
 * over a map (random order), so sibling errors come out sorted. Regular expressions are Go's
 * RE2 run as JS RegExps (regexp.ts). Not reproduced: `$ref`s to other files or URLs (only this
 * document, the metaschemas and `urn:` refs, which helm answers with a permissive schema),
 * `$schema` URLs other than the five drafts, embedded resources with their own `$schema`,
 * custom vocabularies, content assertions (off in helm anyway).
 */

/** A compile-time failure (bad regex, unresolvable $ref), with the library's message. */
export class SchemaCompileError extends Error {}

// json types, in the library's order (schema.go)
const NULL = 1;
const BOOLEAN = 2;
const NUMBER = 4;
const INTEGER = 8;
const STRING = 16;
const ARRAY = 32;
const OBJECT = 64;
const TYPE_NAMES: [number, string][] = [
  [NULL, 'null'],
  [BOOLEAN, 'boolean'],
  [NUMBER, 'number'],
  [INTEGER, 'integer'],
  [STRING, 'string'],
  [ARRAY, 'array'],
  [OBJECT, 'object'],
];

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber) && !(v instanceof Uint8Array);

/** typeOf: 0 for values JSON cannot hold (NaN, infinities, functions). */
function typeOf(v: unknown): number {
  if (v === null || v === undefined) return NULL;
  if (typeof v === 'boolean') return BOOLEAN;
  if (typeof v === 'number') return Number.isFinite(v) ? NUMBER : 0;
  if (typeof v === 'bigint' || v instanceof JsonNumber) return NUMBER;
  if (typeof v === 'string') return STRING;
  if (Array.isArray(v)) return ARRAY;
  if (isObject(v)) return OBJECT;
  return 0;
}

function typeName(t: number): string {
  return TYPE_NAMES.find(([bit]) => bit === t)?.[1] ?? '';
}

/** Compiled schema (schema.go Schema). */
export interface Schema {
  location: string;
  draft: number;
  bool?: boolean;
  resource?: Schema;
  dynamicAnchors?: Map<string, Schema>;
  ref?: Schema;
  recursiveRef?: Schema;
  recursiveAnchor?: boolean;
  dynamicRef?: { ref: Schema; anchor: string };
  dynamicAnchor?: string;
  types?: number;
  const?: { value: unknown };
  enum?: { values: unknown[]; types: number };
  format?: { name: string; check: (v: unknown) => string | undefined };
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  not?: Schema;
  items?: Schema | Schema[];
  additionalItems?: boolean | Schema;
  prefixItems?: Schema[];
  items2020?: Schema;
  properties?: Map<string, Schema>;
  patternProperties?: { re: RegExp; source: string; schema: Schema }[];
  additionalProperties?: boolean | Schema;
  dependencies?: Map<string, string[] | Schema>;
  multipleOf?: Rat;
  maximum?: Rat;
  exclusiveMaximum?: Rat;
  minimum?: Rat;
  exclusiveMinimum?: Rat;
  minLength?: number;
  maxLength?: number;
  pattern?: { re: RegExp; source: string };
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  maxProperties?: number;
  minProperties?: number;
  required?: string[];
  contains?: Schema;
  minContains?: number;
  maxContains?: number;
  propertyNames?: Schema;
  if?: Schema;
  then?: Schema;
  else?: Schema;
  dependentRequired?: Map<string, string[]>;
  dependentSchemas?: Map<string, Schema>;
  unevaluatedItems?: Schema;
  unevaluatedProperties?: Schema;
  allPropsEvaluated: boolean;
  allItemsEvaluated: boolean;
  numItemsEvaluated: number;
}

interface Resource {
  /** The document (root) the resource is in. */
  root: string;
  url: string;
  ptr: string;
  draft: number;
  anchors: Map<string, string>;
  dynamicAnchors: Set<string>;
}

function escapeToken(t: string): string {
  return t.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** The draft a `$schema` names (2020-12 when absent or unknown). */
export function draftOf(schemaUrl: unknown, fallback = 2020): number {
  if (typeof schemaUrl !== 'string') return fallback;
  const m = /json-schema\.org\/(?:draft-0([467])|draft\/(2019-09|2020-12))\/schema#?$/.exec(schemaUrl);
  if (!m) return fallback;
  if (m[1]) return Number(m[1]);
  return m[2] === '2019-09' ? 2019 : 2020;
}

/** The URL of a draft's metaschema. */
export function metaschemaUrl(draft: number): string {
  if (draft < 2019) return `http://json-schema.org/draft-0${draft}/schema`;
  return `https://json-schema.org/draft/${draft === 2019 ? '2019-09' : '2020-12'}/schema`;
}

function splitRef(ref: string): [string, string] {
  const hash = ref.indexOf('#');
  return hash < 0 ? [ref, ''] : [ref.slice(0, hash), ref.slice(hash + 1)];
}

function resolveUrl(ref: string, base: string): string {
  try {
    return new URL(ref, base).href;
  } catch {
    throw new SchemaCompileError(`invalid $ref ${goQuote(ref)}`);
  }
}

/** Subschema keywords, by how they hold schemas (draft.go's subschema lists, all drafts merged). */
const MAP_KEYWORDS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependentSchemas', 'dependencies'];
const ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'];
const SINGLE_KEYWORDS = [
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'additionalProperties',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties',
  'items',
  'contentSchema',
];

/** Options for a compiler. */
export interface SchemaCompilerOptions {
  /** Check `format` in every draft (the library does so for metaschemas). @default false */
  assertFormat?: boolean;
}

/** Compiles schema documents; the metaschemas are loaded on demand from the bundled copies. */
export class SchemaCompiler {
  private readonly docs = new Map<string, unknown>();
  private readonly resources: Resource[] = [];
  private readonly schemas = new Map<string, Schema>();
  private readonly pending: [Schema, unknown][] = [];
  /** Warnings the way helm logs them (unresolved urn: references). */
  readonly warnings: string[] = [];

  constructor(private readonly options: SchemaCompilerOptions = {}) {}

  /** Adds a document under `url` (no fragment). */
  addRoot(url: string, doc: unknown): void {
    this.docs.set(url, doc);
    const draft = isObject(doc) ? draftOf(doc.$schema, 2020) : 2020;
    this.collect(url, doc, '', url, draft, true);
  }

  private collect(root: string, node: unknown, ptr: string, base: string, draft: number, isRoot: boolean): void {
    if (isRoot && !isObject(node)) {
      this.resources.push({ root, url: base, ptr, draft, anchors: new Map(), dynamicAnchors: new Set() });
      return;
    }
    if (!isObject(node)) return;
    const idKey = draft === 4 ? 'id' : '$id';
    const id = node[idKey];
    let resource: Resource | undefined;
    if (isRoot) {
      resource = { root, url: base, ptr, draft, anchors: new Map(), dynamicAnchors: new Set() };
      this.resources.push(resource);
    }
    if (typeof id === 'string') {
      const [urlPart, frag] = splitRef(id);
      if (urlPart !== '' || draft >= 2019) {
        const url = urlPart === '' ? base : resolveUrl(urlPart, base);
        if (!isRoot) {
          resource = { root, url, ptr, draft: draftOf(node.$schema, draft), anchors: new Map(), dynamicAnchors: new Set() };
          this.resources.push(resource);
        } else if (url !== base) {
          this.resources.push({ root, url, ptr, draft, anchors: resource!.anchors, dynamicAnchors: resource!.dynamicAnchors });
        }
        base = url;
      }
      if (draft < 2019 && frag !== '') this.resourceAt(root, ptr).anchors.set(decodeURIComponent(frag), ptr);
    }
    const owner = () => this.resourceAt(root, ptr);
    if (draft >= 2019 && typeof node.$anchor === 'string') owner().anchors.set(node.$anchor, ptr);
    if (draft >= 2020 && typeof node.$dynamicAnchor === 'string') {
      owner().anchors.set(node.$dynamicAnchor, ptr);
      owner().dynamicAnchors.add(node.$dynamicAnchor);
    }
    if (draft < 2019 && typeof node.$ref === 'string') return;
    for (const kw of MAP_KEYWORDS) {
      const m = node[kw];
      if (isObject(m)) for (const k of Object.keys(m)) this.collect(root, m[k], `${ptr}/${escapeToken(kw)}/${escapeToken(k)}`, base, draft, false);
    }
    for (const kw of ARRAY_KEYWORDS) {
      const a = node[kw];
      if (Array.isArray(a)) a.forEach((x, i) => this.collect(root, x, `${ptr}/${kw}/${i}`, base, draft, false));
    }
    for (const kw of SINGLE_KEYWORDS) {
      if (isObject(node[kw])) this.collect(root, node[kw], `${ptr}/${kw}`, base, draft, false);
    }
  }

  /** The innermost resource of a document that contains a pointer. */
  private resourceAt(root: string, ptr: string): Resource {
    let best: Resource | undefined;
    for (const r of this.resources) {
      if (r.root !== root) continue;
      if ((ptr === r.ptr || ptr.startsWith(`${r.ptr}/`)) && (!best || r.ptr.length >= best.ptr.length)) best = r;
    }
    return best!;
  }

  private lookup(root: string, ptr: string): { found: boolean; value?: unknown } {
    let node: unknown = this.docs.get(root);
    if (ptr === '') return { found: true, value: node };
    for (const raw of ptr.split('/').slice(1)) {
      const tok = raw.replaceAll('~1', '/').replaceAll('~0', '~');
      if (Array.isArray(node)) {
        if (!/^(0|[1-9][0-9]*)$/.test(tok) || Number(tok) >= node.length) return { found: false };
        node = node[Number(tok)];
      } else if (isObject(node) && Object.hasOwn(node, tok)) {
        node = node[tok];
      } else {
        return { found: false };
      }
    }
    return { found: true, value: node };
  }

  /** Compiles the document added under `url`. Throws SchemaCompileError. */
  compile(url: string): Schema {
    const root = this.schemaAt(url, '');
    while (this.pending.length > 0) {
      const [sch, node] = this.pending.shift()!;
      this.compileValue(sch, node);
    }
    return root;
  }

  private schemaAt(root: string, ptr: string): Schema {
    const location = `${root}#${ptr}`;
    let sch = this.schemas.get(location);
    if (sch) return sch;
    const found = this.lookup(root, ptr);
    if (!found.found) throw new SchemaCompileError(`json-pointer in ${goQuote(location)} not found`);
    const res = this.resourceAt(root, ptr);
    sch = { location, draft: res.draft, allPropsEvaluated: false, allItemsEvaluated: false, numItemsEvaluated: 0 };
    this.schemas.set(location, sch);
    this.pending.push([sch, found.value]);
    return sch;
  }

  private compileValue(sch: Schema, v: unknown): void {
    const hash = sch.location.indexOf('#');
    const root = sch.location.slice(0, hash);
    const ptr = sch.location.slice(hash + 1);
    const res = this.resourceAt(root, ptr);
    sch.resource = this.schemaAt(root, res.ptr);
    if (sch.draft >= 2020 && ptr === res.ptr) {
      for (const [anchor, anchorPtr] of res.anchors) {
        if (res.dynamicAnchors.has(anchor)) (sch.dynamicAnchors ??= new Map()).set(anchor, this.schemaAt(root, anchorPtr));
      }
    }
    if (typeof v === 'boolean') sch.bool = v;
    else if (isObject(v)) {
      if (Object.keys(v).length === 0) sch.bool = true;
      else this.compileObject(sch, v, root, ptr);
    }
    sch.allPropsEvaluated = sch.additionalProperties !== undefined;
    if (sch.draft < 2020) {
      sch.allItemsEvaluated = sch.additionalItems !== undefined;
      if (sch.items !== undefined && !Array.isArray(sch.items)) sch.allItemsEvaluated = true;
      else if (Array.isArray(sch.items)) sch.numItemsEvaluated = sch.items.length;
    } else {
      sch.allItemsEvaluated = sch.items2020 !== undefined;
      sch.numItemsEvaluated = sch.prefixItems?.length ?? 0;
    }
  }

  /** $ref value → the schema it names. */
  private ref(refValue: string, root: string, ptr: string): Schema {
    const base = this.resourceAt(root, ptr).url;
    const [urlPart, frag] = splitRef(refValue);
    const url = urlPart === '' ? base : resolveUrl(urlPart, base);
    let target = this.resources.find((r) => r.url === url);
    if (!target && Object.hasOwn(METASCHEMAS, url)) {
      this.addRoot(url, parseJsonWithNumbers(METASCHEMAS[url]!));
      target = this.resources.find((r) => r.url === url);
    }
    if (!target) {
      if (url.startsWith('urn:')) {
        const warning = `WARNING: unresolved URN reference ignored; using permissive schema: ${url}`;
        if (!this.warnings.includes(warning)) this.warnings.push(warning);
        return { location: url, draft: 2020, bool: true, allPropsEvaluated: false, allItemsEvaluated: false, numItemsEvaluated: 0 };
      }
      if (url.startsWith('file:')) {
        throw new SchemaCompileError(`failing loading ${goQuote(url)}: open ${decodeURIComponent(new URL(url).pathname)}: no such file or directory`);
      }
      throw new SchemaCompileError(`failing loading ${goQuote(url)}: remote schemas are not loaded by the chart engine`);
    }
    let fragment: string;
    try {
      fragment = decodeURIComponent(frag);
    } catch {
      throw new SchemaCompileError(`invalid $ref ${goQuote(refValue)}`);
    }
    if (fragment === '' || fragment.startsWith('/')) return this.schemaAt(target.root, target.ptr + fragment);
    const anchorPtr = target.anchors.get(fragment);
    if (anchorPtr === undefined) throw new SchemaCompileError(`anchor in ${goQuote(`${url}#${frag}`)} not found in schema ${goQuote(url)}`);
    return this.schemaAt(target.root, anchorPtr);
  }

  private compileObject(s: Schema, obj: Record<string, unknown>, root: string, ptr: string): void {
    const sub = (...toks: string[]) => this.schemaAt(root, `${ptr}/${toks.map(escapeToken).join('/')}`);
    const prop = (k: string) => (Object.hasOwn(obj, k) ? sub(k) : undefined);
    const arr = (k: string) => (Array.isArray(obj[k]) ? (obj[k] as unknown[]).map((_, i) => sub(k, String(i))) : undefined);
    const map = (k: string) => {
      const m = obj[k];
      if (!isObject(m)) return undefined;
      return new Map(sortedKeys(m).map((key) => [key, sub(k, key)] as [string, Schema]));
    };
    const additional = (k: string) => (typeof obj[k] === 'boolean' ? (obj[k] as boolean) : prop(k));
    const num = (k: string) => {
      const v = obj[k];
      return v instanceof JsonNumber ? ratFromString(v.text) : undefined;
    };
    const int = (k: string) => {
      const r = num(k);
      return r && ratIsInt(r) ? Number(r.n / r.d) : undefined;
    };
    const str = (k: string) => (typeof obj[k] === 'string' ? (obj[k] as string) : undefined);
    const bool = (k: string) => obj[k] === true;
    const strings = (a: unknown[]) => a.filter((x): x is string => typeof x === 'string');
    const regex = (source: string, at: string) => {
      const r = compileGoRegexp(source);
      if ('error' in r) throw new SchemaCompileError(`invalid regex ${goQuote(source)} at ${goQuote(`${root}#${ptr}/${at}`)}: ${r.error}`);
      return r.re;
    };

    // draft 4 --
    const ref = str('$ref');
    if (ref !== undefined) s.ref = this.ref(ref, root, ptr);
    if (!(s.draft < 2019 && s.ref)) {
      s.allOf = arr('allOf');
      s.anyOf = arr('anyOf');
      s.oneOf = arr('oneOf');
      s.not = prop('not');
      if (s.draft < 2020 && Object.hasOwn(obj, 'items')) {
        if (Array.isArray(obj.items)) {
          s.items = arr('items');
          s.additionalItems = additional('additionalItems');
        } else {
          s.items = prop('items');
        }
      }
      s.properties = map('properties');
      const pp = obj.patternProperties;
      if (isObject(pp)) {
        s.patternProperties = sortedKeys(pp).map((source) => ({
          re: regex(source, `patternProperties`),
          source,
          schema: sub('patternProperties', source),
        }));
      }
      s.additionalProperties = additional('additionalProperties');
      const deps = obj.dependencies;
      if (isObject(deps)) {
        s.dependencies = new Map();
        for (const k of sortedKeys(deps)) {
          const d = deps[k];
          s.dependencies.set(k, Array.isArray(d) ? strings(d) : sub('dependencies', k));
        }
      }
      if (Object.hasOwn(obj, 'type')) {
        const t = obj.type;
        let types = 0;
        const add = (name: unknown) => {
          const found = TYPE_NAMES.find(([, n]) => n === name);
          if (found) types |= found[0];
        };
        if (typeof t === 'string') add(t);
        else if (Array.isArray(t)) t.forEach(add);
        if (types !== 0) s.types = types;
      }
      if (Array.isArray(obj.enum)) {
        const values = obj.enum as unknown[];
        s.enum = { values, types: values.reduce<number>((acc, v) => acc | typeOf(v), 0) };
      }
      s.multipleOf = num('multipleOf');
      s.maximum = num('maximum');
      if (bool('exclusiveMaximum')) {
        s.exclusiveMaximum = s.maximum;
        s.maximum = undefined;
      } else {
        s.exclusiveMaximum = num('exclusiveMaximum');
      }
      s.minimum = num('minimum');
      if (bool('exclusiveMinimum')) {
        s.exclusiveMinimum = s.minimum;
        s.minimum = undefined;
      } else {
        s.exclusiveMinimum = num('exclusiveMinimum');
      }
      s.minLength = int('minLength');
      s.maxLength = int('maxLength');
      const pat = str('pattern');
      if (pat !== undefined) s.pattern = { re: regex(pat, 'pattern'), source: pat };
      s.minItems = int('minItems');
      s.maxItems = int('maxItems');
      s.uniqueItems = bool('uniqueItems');
      s.maxProperties = int('maxProperties');
      s.minProperties = int('minProperties');
      if (Array.isArray(obj.required)) s.required = strings(obj.required);
      // Formats are assertions before draft 2019-09 (helm does not call AssertFormat), and in metaschemas.
      const f = str('format');
      if ((s.draft < 2019 || this.options.assertFormat) && f !== undefined) {
        const check = formatCheck(f);
        if (check) s.format = { name: f, check };
      }
    }
    // draft 6 --
    if (s.draft >= 6) {
      s.contains = prop('contains');
      s.propertyNames = prop('propertyNames');
      if (Object.hasOwn(obj, 'const')) s.const = { value: obj.const };
    }
    // draft 7 --
    if (s.draft >= 7) {
      s.if = prop('if');
      if (s.if) {
        const b = typeof obj.if === 'boolean' ? obj.if : undefined;
        if (b === undefined || b) s.then = prop('then');
        if (b === undefined || !b) s.else = prop('else');
      }
    }
    // draft 2019-09 --
    if (s.draft >= 2019) {
      const rref = str('$recursiveRef');
      if (rref !== undefined) s.recursiveRef = this.ref(rref, root, ptr);
      s.recursiveAnchor = bool('$recursiveAnchor');
      if (s.contains) {
        s.minContains = int('minContains');
        s.maxContains = int('maxContains');
      }
      const dr = obj.dependentRequired;
      if (isObject(dr)) {
        s.dependentRequired = new Map();
        for (const k of sortedKeys(dr)) if (Array.isArray(dr[k])) s.dependentRequired.set(k, strings(dr[k] as unknown[]));
      }
      s.dependentSchemas = map('dependentSchemas');
      s.unevaluatedItems = prop('unevaluatedItems');
      s.unevaluatedProperties = prop('unevaluatedProperties');
    }
    // draft 2020-12 --
    if (s.draft >= 2020) {
      const dref = str('$dynamicRef');
      if (dref !== undefined) {
        const target = this.ref(dref, root, ptr);
        const frag = splitRef(dref)[1];
        s.dynamicRef = { ref: target, anchor: frag !== '' && !frag.startsWith('/') ? frag : '' };
      }
      s.dynamicAnchor = str('$dynamicAnchor');
      s.prefixItems = arr('prefixItems');
      s.items2020 = prop('items');
    }
  }
}

const metaschemaCache = new Map<number, Schema>();

/** The compiled metaschema of a draft (format assertions on, as the library compiles them). */
export function metaschema(draft: number): Schema {
  let sch = metaschemaCache.get(draft);
  if (!sch) {
    const url = metaschemaUrl(draft);
    const compiler = new SchemaCompiler({ assertFormat: true });
    compiler.addRoot(url, parseJsonWithNumbers(METASCHEMAS[url]!));
    sch = compiler.compile(url);
    metaschemaCache.set(draft, sch);
  }
  return sch;
}

// ---- errors ----

type Kind =
  | { k: 'schema'; location: string }
  | { k: 'group' }
  | { k: 'reference'; keyword: string; url: string }
  | { k: 'msg'; text: string };

/** A ValidationError of the library: where, what, and the errors under it. */
export interface ValidationError {
  instanceLocation: string[];
  kind: Kind;
  causes: ValidationError[];
}

/** kind.go's quote: %q, then `\"` → `"` and `'` → `\'`, in single quotes. */
function quote(s: string): string {
  const q = goQuote(s);
  return `'${q.slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

function joinQuoted(a: string[]): string {
  return a.map(quote).join(', ');
}

/** kind.go's display: strings quoted, collections as "value", the rest with fmt's %v. */
function display(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (Array.isArray(v) || isObject(v)) return 'value';
  if (v === null || v === undefined) return '<nil>';
  if (v instanceof JsonNumber) return v.text;
  if (typeof v === 'number') return formatFloatG(v);
  return String(v);
}

function jsonPtr(tokens: string[]): string {
  return tokens.map((t) => `/${escapeToken(t)}`).join('');
}

function message(kind: Kind): string {
  switch (kind.k) {
    case 'schema':
      return `jsonschema validation failed with ${quote(kind.location)}`;
    case 'group':
    case 'reference':
      return 'validation failed';
    case 'msg':
      return kind.text;
  }
}

function skip(e: ValidationError): boolean {
  return e.causes.length === 1 && e.kind.k === 'reference';
}

/** ValidationError.Error(): the tree as "- at '/x': message" lines, nested causes indented. */
export function formatValidationError(e: ValidationError): string {
  let out = '';
  const walk = (err: ValidationError, indent: number) => {
    if (!skip(err)) {
      if (indent > 0) out += `\n${'  '.repeat(indent - 1)}- `;
      indent++;
      if (err.kind.k === 'schema') out += message(err.kind);
      else out += `at ${quote(jsonPtr(err.instanceLocation))}: ${message(err.kind)}`;
    }
    for (const c of err.causes) walk(c, indent);
  };
  walk(e, 0);
  return out;
}

// ---- validation ----

interface Uneval {
  props?: Set<string>;
  items?: Set<number>;
}

function unevalFrom(v: unknown, sch: Schema, callerNeeds: boolean): Uneval {
  const u: Uneval = {};
  if (isObject(v)) {
    if (!sch.allPropsEvaluated && (callerNeeds || sch.unevaluatedProperties)) u.props = new Set(Object.keys(v));
  } else if (Array.isArray(v)) {
    if (!sch.allItemsEvaluated && (callerNeeds || sch.unevaluatedItems) && sch.numItemsEvaluated < v.length) {
      u.items = new Set();
      for (let i = sch.numItemsEvaluated; i < v.length; i++) u.items.add(i);
    }
  }
  return u;
}

function unevalMerge(u: Uneval, other: Uneval): void {
  if (u.props) for (const k of [...u.props]) if (!other.props?.has(k)) u.props.delete(k);
  if (u.items) for (const i of [...u.items]) if (!other.items?.has(i)) u.items.delete(i);
}

const unevalEmpty = (u: Uneval) => (u.props?.size ?? 0) === 0 && (u.items?.size ?? 0) === 0;

interface Scope {
  sch: Schema;
  refKeyword: string;
  vid: number;
  parent?: Scope;
}

/** equals(): JSON equality with numbers compared exactly. */
function equals(a: unknown, b: unknown): boolean {
  if (isObject(a)) {
    if (!isObject(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.hasOwn(b, k) && equals(a[k], b[k]));
  }
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equals(x, b[i]));
  if (a === null || a === undefined) return b === null || b === undefined;
  if (typeof a === 'boolean' || typeof a === 'string') return a === b;
  if (typeOf(a) === NUMBER) {
    if (typeOf(b) !== NUMBER) return false;
    const ra = ratOf(a);
    const rb = ratOf(b);
    return !!ra && !!rb && ratCmp(ra, rb) === 0;
  }
  return false;
}

class Validator {
  errors: ValidationError[] = [];

  constructor(
    readonly v: unknown,
    readonly vloc: string[],
    readonly sch: Schema,
    readonly scp: Scope,
    public uneval: Uneval,
    readonly boolResult: boolean,
  ) {}

  private error(kind: Kind): ValidationError {
    if (this.boolResult) return { instanceLocation: [], kind: { k: 'group' }, causes: [] };
    return { instanceLocation: [...this.vloc], kind, causes: [] };
  }

  private msg(text: string): ValidationError {
    return this.error({ k: 'msg', text });
  }

  private addErr(err: ValidationError | undefined): void {
    if (err) this.errors.push(err);
  }

  private addError(text: string): void {
    this.errors.push(this.msg(text));
  }

  private addErrors(errors: ValidationError[], text: string): void {
    const err = this.msg(text);
    err.causes = errors;
    this.errors.push(err);
  }

  private checkCycle(): Scope | undefined {
    let scp = this.scp.parent;
    while (scp) {
      if (scp.vid !== this.scp.vid) break;
      if (scp.sch === this.sch) return scp;
      scp = scp.parent;
    }
    return undefined;
  }

  validate(): { uneval?: Uneval; err?: ValidationError } {
    const s = this.sch;
    const v = this.v;
    if (s.bool !== undefined) return s.bool ? { uneval: this.uneval } : { err: this.msg('false schema') };
    if (this.checkCycle()) return { err: this.msg(`both keyword locations resolve to ${goQuote(s.location)} causing reference cycle`) };
    const t = typeOf(v);
    if (t === 0) return { err: this.msg(`invalid jsonType ${typeof v}`) };
    if (s.types !== undefined) {
      const matched = (s.types & t) !== 0 || ((s.types & INTEGER) !== 0 && t === NUMBER && isInteger(v));
      if (!matched) {
        const want = TYPE_NAMES.filter(([bit]) => (s.types! & bit) !== 0).map(([, n]) => n);
        return { err: this.msg(`got ${typeName(t)}, want ${want.join(' or ')}`) };
      }
    }
    if (s.const) {
      if (!equals(v, s.const.value)) {
        const want = s.const.value;
        return { err: this.msg(Array.isArray(want) || isObject(want) ? "'const' failed" : `value must be ${display(want)}`) };
      }
    }
    if (s.enum) {
      const matched = (s.enum.types & typeOf(v)) !== 0 && s.enum.values.some((item) => equals(v, item));
      if (!matched) {
        const values = s.enum.values;
        const allPrimitive = values.every((x) => !Array.isArray(x) && !isObject(x));
        let text = "'enum' failed";
        if (allPrimitive) text = values.length === 1 ? `value must be ${display(values[0])}` : `value must be one of ${values.map(display).join(', ')}`;
        return { err: this.msg(text) };
      }
    }
    if (s.format) {
      const why = s.format.check(v);
      if (why !== undefined) return { err: this.msg(`${display(v)} is not valid ${s.format.name}: ${why}`) };
    }
    if (s.ref) {
      const err = this.validateRef(s.ref, '$ref');
      if (s.draft < 2019) return err ? { err } : { uneval: this.uneval };
      this.addErr(err);
    }
    if (isObject(v)) this.objValidate(v);
    else if (Array.isArray(v)) this.arrValidate(v);
    else if (typeof v === 'string') this.strValidate(v);
    else if (t === NUMBER) this.numValidate(v);

    if (this.errors.length === 0 || !this.boolResult) {
      if (s.draft >= 2019) this.validateRefs();
      this.condValidate();
      if (s.draft >= 2019) this.unevalValidate();
    }
    if (this.errors.length === 0) return { uneval: this.uneval };
    if (this.errors.length === 1) return { err: this.errors[0] };
    const group = this.error({ k: 'group' });
    group.causes = this.errors;
    return { err: group };
  }

  private findMissing(obj: Record<string, unknown>, reqd: string[]): string[] | undefined {
    const missing: string[] = [];
    for (const p of reqd) {
      if (!Object.hasOwn(obj, p)) {
        if (this.boolResult) return [];
        missing.push(p);
      }
    }
    return missing.length > 0 ? missing : undefined;
  }

  private objValidate(obj: Record<string, unknown>): void {
    const s = this.sch;
    const n = Object.keys(obj).length;
    if (s.minProperties !== undefined && n < s.minProperties) {
      this.addError(`minProperties: got ${formatIntEnglish(n)}, want ${formatIntEnglish(s.minProperties)}`);
    }
    if (s.maxProperties !== undefined && n > s.maxProperties) {
      this.addError(`maxProperties: got ${formatIntEnglish(n)}, want ${formatIntEnglish(s.maxProperties)}`);
    }
    if (s.required && s.required.length > 0) {
      const missing = this.findMissing(obj, s.required);
      if (missing) this.addError(missing.length === 1 ? `missing property ${quote(missing[0]!)}` : `missing properties ${joinQuoted(missing)}`);
    }
    if (this.boolResult && this.errors.length > 0) return;
    for (const [pname, dep] of s.dependencies ?? []) {
      if (!Object.hasOwn(obj, pname)) continue;
      if (Array.isArray(dep)) {
        const missing = this.findMissing(obj, dep);
        if (missing) this.addError(`properties ${joinQuoted(missing)} required, if ${quote(pname)} exists`);
      } else {
        this.addErr(this.validateSelf(dep, '', false));
      }
    }
    const additional: string[] = [];
    for (const pname of sortedKeys(obj)) {
      if (this.boolResult && this.errors.length > 0) return;
      const pvalue = obj[pname];
      let evaluated = false;
      const ps = s.properties?.get(pname);
      if (ps) {
        evaluated = true;
        this.addErr(this.validateVal(ps, pvalue, pname));
      }
      for (const pp of s.patternProperties ?? []) {
        if (pp.re.test(pname)) {
          evaluated = true;
          this.addErr(this.validateVal(pp.schema, pvalue, pname));
        }
      }
      if (!evaluated && s.additionalProperties !== undefined) {
        evaluated = true;
        if (typeof s.additionalProperties === 'boolean') {
          if (!s.additionalProperties) additional.push(pname);
        } else {
          this.addErr(this.validateVal(s.additionalProperties, pvalue, pname));
        }
      }
      if (evaluated) this.uneval.props?.delete(pname);
    }
    if (additional.length > 0) this.addError(`additional properties ${joinQuoted(additional)} not allowed`);
    if (s.draft === 4) return;
    if (s.propertyNames) {
      for (const pname of sortedKeys(obj)) {
        const sub = new Validator(pname, [], s.propertyNames, { sch: s.propertyNames, refKeyword: '', vid: 0 }, unevalFrom(pname, s.propertyNames, false), false);
        const { err } = sub.validate();
        if (err) {
          const wrapped: ValidationError = { instanceLocation: [...this.vloc], kind: { k: 'msg', text: `invalid propertyName ${quote(pname)}` }, causes: err.kind.k === 'group' ? err.causes : [err] };
          this.addErr(this.boolResult ? this.error({ k: 'group' }) : wrapped);
        }
      }
    }
    if (s.draft === 6) return;
    for (const [pname, sch] of s.dependentSchemas ?? []) {
      if (Object.hasOwn(obj, pname)) this.addErr(this.validateSelf(sch, '', false));
    }
    for (const [pname, reqd] of s.dependentRequired ?? []) {
      if (!Object.hasOwn(obj, pname)) continue;
      const missing = this.findMissing(obj, reqd);
      if (missing) this.addError(`properties ${joinQuoted(missing)} required, if ${quote(pname)} exists`);
    }
  }

  private arrValidate(arr: unknown[]): void {
    const s = this.sch;
    if (s.minItems !== undefined && arr.length < s.minItems) this.addError(`minItems: got ${formatIntEnglish(arr.length)}, want ${formatIntEnglish(s.minItems)}`);
    if (s.maxItems !== undefined && arr.length > s.maxItems) this.addError(`maxItems: got ${formatIntEnglish(arr.length)}, want ${formatIntEnglish(s.maxItems)}`);
    if (s.uniqueItems && arr.length > 1) {
      outer: for (let i = 1; i < arr.length; i++) {
        for (let j = 0; j < i; j++) {
          if (equals(arr[i], arr[j])) {
            this.addError(`items at ${formatIntEnglish(j)} and ${formatIntEnglish(i)} are equal`);
            break outer;
          }
        }
      }
    }
    if (s.draft < 2020) {
      let evaluated = 0;
      if (s.items !== undefined && !Array.isArray(s.items)) {
        const items = s.items;
        arr.forEach((item, i) => this.addErr(this.validateVal(items, item, String(i))));
        evaluated = arr.length;
      } else if (Array.isArray(s.items)) {
        const items = s.items;
        const min = Math.min(arr.length, items.length);
        for (let i = 0; i < min; i++) this.addErr(this.validateVal(items[i]!, arr[i], String(i)));
        evaluated = min;
      }
      if (s.additionalItems !== undefined) {
        if (typeof s.additionalItems === 'boolean') {
          if (!s.additionalItems && evaluated !== arr.length) this.addError(`last ${formatIntEnglish(arr.length - evaluated)} additionalItem(s) not allowed`);
        } else {
          for (let i = evaluated; i < arr.length; i++) this.addErr(this.validateVal(s.additionalItems, arr[i], String(i)));
        }
      }
    } else {
      const evaluated = Math.min(s.prefixItems?.length ?? 0, arr.length);
      for (let i = 0; i < evaluated; i++) this.addErr(this.validateVal(s.prefixItems![i]!, arr[i], String(i)));
      if (s.items2020) for (let i = evaluated; i < arr.length; i++) this.addErr(this.validateVal(s.items2020, arr[i], String(i)));
    }
    if (s.contains) {
      const errors: ValidationError[] = [];
      const matched: number[] = [];
      arr.forEach((item, i) => {
        const err = this.validateVal(s.contains!, item, String(i));
        if (err) errors.push(err);
        else {
          matched.push(i);
          if (s.draft >= 2020) this.uneval.items?.delete(i);
        }
      });
      if (s.minContains !== undefined) {
        if (matched.length < s.minContains) {
          const text =
            matched.length === 0
              ? `min ${formatIntEnglish(s.minContains)} items required to match contains schema, but none matched`
              : `min ${formatIntEnglish(s.minContains)} items required to match contains schema, but matched ${formatIntEnglish(matched.length)} items at ${matched.join(' ')}`;
          this.addErrors(errors, text);
        }
      } else if (matched.length === 0) {
        this.addErrors(errors, 'no items match contains schema');
      }
      if (s.maxContains !== undefined && matched.length > s.maxContains) {
        this.addError(`max ${formatIntEnglish(s.maxContains)} items required to match contains schema, but matched ${formatIntEnglish(matched.length)} items at ${matched.join(' ')}`);
      }
    }
  }

  private strValidate(str: string): void {
    const s = this.sch;
    if (s.minLength !== undefined || s.maxLength !== undefined) {
      const len = [...str].length;
      if (s.minLength !== undefined && len < s.minLength) this.addError(`minLength: got ${formatIntEnglish(len)}, want ${formatIntEnglish(s.minLength)}`);
      if (s.maxLength !== undefined && len > s.maxLength) this.addError(`maxLength: got ${formatIntEnglish(len)}, want ${formatIntEnglish(s.maxLength)}`);
    }
    if (s.pattern && !s.pattern.re.test(str)) this.addError(`${quote(str)} does not match pattern ${quote(s.pattern.source)}`);
  }

  private numValidate(v: unknown): void {
    const s = this.sch;
    const num = ratOf(v);
    if (!num) return;
    const f = (r: Rat) => formatFloatEnglish(ratFloat(r));
    if (s.minimum && ratCmp(num, s.minimum) < 0) this.addError(`minimum: got ${f(num)}, want ${f(s.minimum)}`);
    if (s.maximum && ratCmp(num, s.maximum) > 0) this.addError(`maximum: got ${f(num)}, want ${f(s.maximum)}`);
    if (s.exclusiveMinimum && ratCmp(num, s.exclusiveMinimum) <= 0) this.addError(`exclusiveMinimum: got ${f(num)}, want ${f(s.exclusiveMinimum)}`);
    if (s.exclusiveMaximum && ratCmp(num, s.exclusiveMaximum) >= 0) this.addError(`exclusiveMaximum: got ${f(num)}, want ${f(s.exclusiveMaximum)}`);
    if (s.multipleOf && !ratQuoIsInt(num, s.multipleOf)) this.addError(`multipleOf: got ${f(num)}, want ${f(s.multipleOf)}`);
  }

  private condValidate(): void {
    const s = this.sch;
    if (s.not && this.validateSelf(s.not, '', true) === undefined) this.addError("'not' failed");
    if (s.allOf && s.allOf.length > 0) {
      const errors: ValidationError[] = [];
      for (const sch of s.allOf) {
        const err = this.validateSelf(sch, '', false);
        if (err) {
          errors.push(err);
          if (this.boolResult) break;
        }
      }
      if (errors.length > 0) this.addErrors(errors, "'allOf' failed");
    }
    if (s.anyOf && s.anyOf.length > 0) {
      let matched = false;
      const errors: ValidationError[] = [];
      for (const sch of s.anyOf) {
        const err = this.validateSelf(sch, '', false);
        if (err) errors.push(err);
        else {
          matched = true;
          if (unevalEmpty(this.uneval)) break;
        }
      }
      if (!matched) this.addErrors(errors, "'anyOf' failed");
    }
    if (s.oneOf && s.oneOf.length > 0) {
      let matched = -1;
      const errors: ValidationError[] = [];
      for (let i = 0; i < s.oneOf.length; i++) {
        const err = this.validateSelf(s.oneOf[i]!, '', matched !== -1);
        if (err) {
          if (matched === -1) errors.push(err);
        } else if (matched === -1) {
          matched = i;
        } else {
          this.addError(`'oneOf' failed, subschemas ${formatIntEnglish(matched)}, ${formatIntEnglish(i)} matched`);
          break;
        }
      }
      if (matched === -1) this.addErrors(errors, "'oneOf' failed, none matched");
    }
    if (s.if) {
      if (this.validateSelf(s.if, '', true) === undefined) {
        if (s.then) this.addErr(this.validateSelf(s.then, '', false));
      } else if (s.else) {
        this.addErr(this.validateSelf(s.else, '', false));
      }
    }
  }

  private unevalValidate(): void {
    const s = this.sch;
    const v = this.v;
    if (isObject(v) && s.unevaluatedProperties) {
      for (const pname of [...(this.uneval.props ?? [])].sort()) {
        if (Object.hasOwn(v, pname)) this.addErr(this.validateVal(s.unevaluatedProperties, v[pname], pname));
      }
      this.uneval.props = undefined;
    }
    if (Array.isArray(v) && s.unevaluatedItems) {
      for (const i of [...(this.uneval.items ?? [])].sort((a, b) => a - b)) this.addErr(this.validateVal(s.unevaluatedItems, v[i], String(i)));
      this.uneval.items = undefined;
    }
  }

  validateSelf(sch: Schema, refKeyword: string, boolResult: boolean): ValidationError | undefined {
    const scp: Scope = { sch, refKeyword, vid: this.scp.vid, parent: this.scp };
    const uneval = unevalFrom(this.v, sch, !unevalEmpty(this.uneval));
    const sub = new Validator(this.v, this.vloc, sch, scp, uneval, this.boolResult || boolResult);
    const r = sub.validate();
    if (!r.err && r.uneval) unevalMerge(this.uneval, r.uneval);
    return r.err;
  }

  validateVal(sch: Schema, v: unknown, tok: string): ValidationError | undefined {
    const scp: Scope = { sch, refKeyword: '', vid: this.scp.vid + 1, parent: this.scp };
    const sub = new Validator(v, [...this.vloc, tok], sch, scp, unevalFrom(v, sch, false), this.boolResult);
    return sub.validate().err;
  }

  private validateRef(sch: Schema, keyword: string): ValidationError | undefined {
    const err = this.validateSelf(sch, keyword, false);
    if (!err) return undefined;
    const refErr = this.error({ k: 'reference', keyword, url: sch.location });
    refErr.causes = err.kind.k === 'group' ? err.causes : [err];
    return refErr;
  }

  private validateRefs(): void {
    const s = this.sch;
    if (s.recursiveRef) {
      let sch = s.recursiveRef;
      if (sch.recursiveAnchor) {
        let scp: Scope | undefined = this.scp;
        while (scp) {
          if (scp.sch.resource?.recursiveAnchor) sch = scp.sch;
          scp = scp.parent;
        }
      }
      this.addErr(this.validateRef(sch, '$recursiveRef'));
    }
    if (s.dynamicRef) {
      let sch = s.dynamicRef.ref;
      const anchor = s.dynamicRef.anchor;
      if (anchor !== '' && sch.dynamicAnchor === anchor) {
        let scp: Scope | undefined = this.scp;
        while (scp) {
          const d = scp.sch.resource?.dynamicAnchors?.get(anchor);
          if (d) sch = d;
          scp = scp.parent;
        }
      }
      this.addErr(this.validateRef(sch, '$dynamicRef'));
    }
  }
}

function isInteger(v: unknown): boolean {
  const r = ratOf(v);
  return !!r && ratIsInt(r);
}

/**
 * Validates `value` against a compiled schema; undefined when valid, else the top error (kind
 * "schema") whose formatValidationError text is the library's Error().
 */
export function validateWithSchema(schema: Schema, value: unknown): ValidationError | undefined {
  const scope: Scope = { sch: schema, refKeyword: '', vid: 0 };
  const vd = new Validator(value, [], schema, scope, unevalFrom(value, schema, false), false);
  const { err } = vd.validate();
  if (!err) return undefined;
  return {
    instanceLocation: [],
    kind: { k: 'schema', location: `${schema.location}` },
    causes: err.kind.k === 'group' ? err.causes : [err],
  };
}
