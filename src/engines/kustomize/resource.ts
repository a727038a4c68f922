/**
 * One resource of a build (api/resource/resource.go): the object plus the bookkeeping that
 * kustomize keeps in `internal.config.kubernetes.io/*` build annotations (previous ids,
 * name prefixes and suffixes, referrers, generator behavior, hash and patch flags). Slipway
 * keeps that bookkeeping in fields (STYLE §8) and never writes it into the object.
 */
import { duplicateKeyErrors, isPlainObject, resolvePlain } from './internal/yaml-read.js';
import {
  effectiveNamespace,
  gvkFromApiVersion,
  parseGroupVersion,
  resIdString,
  type Gvk,
  type ResId,
} from './resid.js';

/** resource.Origin (api/resource/origin.go): where a resource came from, for buildMetadata. */
export interface ResourceOrigin {
  path?: string;
  repo?: string;
  ref?: string;
  configuredIn?: string;
  configuredBy?: { apiVersion?: string; kind?: string; name?: string; namespace?: string };
}

export type Behavior = 'unspecified' | 'create' | 'replace' | 'merge';

/** A previous id as kustomize stores it: kind, name and the effective namespace. */
interface PrevId {
  kind: string;
  name: string;
  namespace: string;
}

/** The text kyaml reads from a scalar node (node.Value); '' for collections and null. */
export function scalarText(v: unknown): string {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    default:
      return '';
  }
}

/**
 * The value a scalar setter without a tag (filtersutil.SetScalar, FieldSetter{StringValue})
 * leaves: the old node's style is kept, so a plain old value lets the new text be
 * re-resolved when printed, while a string stays a string.
 */
export function untaggedScalar(old: unknown, text: string): unknown {
  return typeof old === 'string' ? text : resolvePlain(text);
}

export class Resource {
  obj: Record<string, unknown>;
  private prev: PrevId[] = [];
  prefixes: string[] = [];
  suffixes: string[] = [];
  refBy: string[] = [];
  behavior: Behavior | undefined;
  needsHash = false;
  allowNameChange = false;
  allowKindChange = false;
  helmGenerated = false;
  refVarNames: string[] = [];
  origin: ResourceOrigin | undefined;
  transformations: ResourceOrigin[] = [];
  /** Where the object was read from, for Slipway's Origin (not kustomize's). */
  source: string | undefined;
  /** yaml.v3's complaint about repeated keys in the document, raised when the build is printed. */
  deferredError: string | undefined;

  constructor(obj: Record<string, unknown>) {
    this.obj = obj;
    this.deferredError = duplicateKeyErrors.get(obj);
  }

  /** Resource.DeepCopy: the object and every piece of bookkeeping. */
  deepCopy(): Resource {
    const r = new Resource(deepCopyValue(this.obj) as Record<string, unknown>);
    r.copyBookkeepingFrom(this);
    r.behavior = this.behavior;
    r.needsHash = this.needsHash;
    r.allowNameChange = this.allowNameChange;
    r.allowKindChange = this.allowKindChange;
    r.helmGenerated = this.helmGenerated;
    r.origin = this.origin ? { ...this.origin } : undefined;
    r.transformations = [...this.transformations];
    r.source = this.source;
    r.deferredError = this.deferredError;
    return r;
  }

  /** The build annotations mergeStringMapsWithBuildAnnotations carries from `other` (not needsHashSuffix). */
  copyBookkeepingFrom(other: Resource): void {
    this.prev = [...other.prev];
    this.prefixes = [...other.prefixes];
    this.suffixes = [...other.suffixes];
    this.refBy = [...other.refBy];
    this.refVarNames = [...other.refVarNames];
    this.behavior = other.behavior;
    this.allowNameChange = other.allowNameChange;
    this.allowKindChange = other.allowKindChange;
    this.helmGenerated = other.helmGenerated;
  }

  // --- object accessors, with kyaml's reading rules -------------------------------------

  get apiVersion(): string {
    return scalarText(this.obj.apiVersion);
  }

  get kind(): string {
    return scalarText(this.obj.kind);
  }

  /** The metadata map, or undefined when missing, null or not a map. */
  metadata(): Record<string, unknown> | undefined {
    const m = this.obj.metadata;
    return isPlainObject(m) && Object.keys(m).length > 0 ? m : undefined;
  }

  get name(): string {
    const m = this.metadata();
    return m ? scalarText(m.name) : '';
  }

  get namespace(): string {
    const m = this.metadata();
    return m ? scalarText(m.namespace) : '';
  }

  /** metadata, created as a map when missing (LookupCreate(MappingNode, "metadata")). */
  ensureMetadata(): Record<string, unknown> {
    const m = this.obj.metadata;
    if (isPlainObject(m)) return m;
    const created: Record<string, unknown> = {};
    this.obj.metadata = created;
    return created;
  }

  setName(name: string): void {
    const m = this.ensureMetadata();
    m.name = untaggedScalar(m.name, name);
  }

  /** RNode.SetNamespace: an empty namespace removes the field. */
  setNamespace(ns: string): void {
    if (ns === '') {
      const m = this.obj.metadata;
      if (isPlainObject(m)) delete m.namespace;
      return;
    }
    const m = this.ensureMetadata();
    m.namespace = untaggedScalar(m.namespace, ns);
  }

  setKind(kind: string): void {
    this.obj.kind = untaggedScalar(this.obj.kind, kind);
  }

  setApiVersion(apiVersion: string): void {
    this.obj.apiVersion = untaggedScalar(this.obj.apiVersion, apiVersion);
  }

  /** Resource.SetGvk. */
  setGvk(gvk: Gvk): void {
    this.setKind(gvk.kind);
    this.setApiVersion(gvk.group !== '' ? `${gvk.group}/${gvk.version}` : gvk.version);
  }

  private metaMap(field: 'labels' | 'annotations'): Record<string, string> {
    const m = this.metadata();
    const out: Record<string, string> = {};
    if (!m) return out;
    const v = m[field];
    if (isPlainObject(v)) for (const [k, x] of Object.entries(v)) out[k] = scalarText(x);
    return out;
  }

  labels(): Record<string, string> {
    return this.metaMap('labels');
  }

  annotations(): Record<string, string> {
    return this.metaMap('annotations');
  }

  /** RNode.setMapInMetadata: the field is rewritten with string values, and dropped when empty. */
  private setMetaMap(field: 'labels' | 'annotations', map: Record<string, string>): void {
    const m = this.ensureMetadata();
    delete m[field];
    const keys = Object.keys(map).sort();
    if (keys.length === 0) return;
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = map[k]!;
    m[field] = out;
  }

  setLabels(map: Record<string, string>): void {
    this.setMetaMap('labels', map);
  }

  setAnnotations(map: Record<string, string>): void {
    this.setMetaMap('annotations', map);
  }

  gvk(): Gvk {
    return gvkFromApiVersion(this.apiVersion, this.kind);
  }

  /** Resource.CurId. */
  curId(): ResId {
    return { gvk: this.gvk(), name: this.name, namespace: this.namespace };
  }

  /** Resource.PrevIds: group and version of the current apiVersion with each stored kind. */
  prevIds(): ResId[] {
    if (this.prev.length === 0) return [];
    const { group, version } = parseGroupVersion(this.apiVersion);
    return this.prev.map((p) => ({ gvk: { group, version, kind: p.kind }, name: p.name, namespace: p.namespace }));
  }

  hasPrevIds(): boolean {
    return this.prev.length > 0;
  }

  /** Previous names, oldest first. */
  prevNames(): string[] {
    return this.prev.map((p) => p.name);
  }

  /** Resource.OrgId: the first previous id, else the current one. */
  orgId(): ResId {
    const ids = this.prevIds();
    return ids.length > 0 ? ids[0]! : this.curId();
  }

  /** Resource.StorePreviousId. */
  storePreviousId(): void {
    const id = this.curId();
    this.prev.push({ kind: id.gvk.kind, name: id.name, namespace: effectiveNamespace(id) });
  }

  /** Resource.setPreviousId with explicit values (resources made for a named base). */
  setPreviousId(namespace: string, name: string, kind: string): void {
    this.prev.push({ kind, name, namespace });
  }

  addNamePrefix(p: string): void {
    if (p !== '') this.prefixes.push(p);
  }

  addNameSuffix(s: string): void {
    if (s !== '') this.suffixes.push(s);
  }

  appendRefBy(id: ResId): void {
    this.refBy.push(resIdString(id));
  }

  /** IsNilOrEmpty for a resource: no object, an empty map. */
  isEmpty(): boolean {
    return Object.keys(this.obj).length === 0;
  }
}

/** A deep copy of a plain value. */
export function deepCopyValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(deepCopyValue);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) {
      const x = deepCopyValue(v[k]);
      if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
      else out[k] = x;
    }
    return out;
  }
  return v;
}

/** utils.SameEndingSubSlice. */
export function sameEndingSubSlice(a: readonly string[], b: readonly string[]): boolean {
  let shortest = a;
  let longest = b;
  if (shortest.length > longest.length) [shortest, longest] = [longest, shortest];
  const diff = longest.length - shortest.length;
  if (shortest.length === 0) return diff === 0;
  for (let i = shortest.length - 1; i >= 0; i--) if (longest[i + diff] !== shortest[i]) return false;
  return true;
}

/** Resource.PrefixesSuffixesEquals. */
export function prefixesSuffixesEqual(r: Resource, o: Resource, allowEmpty: boolean): boolean {
  if (allowEmpty) {
    const eitherPrefixEmpty = r.prefixes.length === 0 || o.prefixes.length === 0;
    const eitherSuffixEmpty = r.suffixes.length === 0 || o.suffixes.length === 0;
    return (eitherPrefixEmpty || sameEndingSubSlice(r.prefixes, o.prefixes)) && (eitherSuffixEmpty || sameEndingSubSlice(r.suffixes, o.suffixes));
  }
  return sameEndingSubSlice(r.prefixes, o.prefixes) && sameEndingSubSlice(r.suffixes, o.suffixes);
}
