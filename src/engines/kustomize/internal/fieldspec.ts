/**
 * Applying a field spec to an object (api/filters/fieldspec/fieldspec.go with kyaml's
 * Lookup/LookupCreate/FieldSetter rules): the path is walked field by field, sequences are
 * walked element by element (with or without a `[]` suffix), missing fields are created
 * only when the spec says `create` and the caller gave a kind to create, and the setter
 * gets a reference to the node at the end of the path.
 */
import { KustomizeError } from '../errors.js';
import type { FieldSpec } from '../kustomization.js';
import { objectToYaml } from '../output.js';
import { resIdString, parseGroupVersion } from '../resid.js';
import { scalarText } from '../resource.js';
import { isPlainObject } from './yaml-read.js';

/** A place holding a value: a map entry or a sequence element. */
export class Ref {
  constructor(
    readonly parent: Record<string, unknown> | unknown[],
    readonly key: string | number,
    /** Keys from the root the walk started at, where the caller tracks them. */
    readonly path: readonly (string | number)[] = [],
  ) {}

  get(): unknown {
    return (this.parent as Record<string | number, unknown>)[this.key];
  }

  set(v: unknown): void {
    (this.parent as Record<string | number, unknown>)[this.key] = v;
  }
}

/** The root object as a Ref (for setters that replace whole nodes). */
export function rootRef(obj: Record<string, unknown>): Ref {
  return new Ref({ root: obj }, 'root');
}

export type NodeKind = 'scalar' | 'map' | 'seq';

export interface FieldSpecFilterOptions {
  /** Kind of node created for the last path element (yaml.Kind CreateKind); none: never create. */
  createKind?: NodeKind;
  /** Tag of a created last node ('str' for names and namespaces). */
  createTag?: 'str' | 'int' | 'map';
}

export type SetFn = (ref: Ref) => void;

/** utils.PathSplitter: split on the delimiter, `\` escaping it; a leading delimiter is dropped. */
export function pathSplitter(path: string, delimiter: string): string[] {
  let ps = path.split(delimiter);
  if (ps.length > 1 && ps[0] === '') ps = ps.slice(1);
  const res: string[] = [ps[0]!];
  for (let i = 1; i < ps.length; i++) {
    const last = res.length - 1;
    if (res[last]!.endsWith('\\')) res[last] = `${res[last]!.slice(0, -1)}${delimiter}${ps[i]!}`;
    else res.push(ps[i]!);
  }
  return res;
}

/** yaml kind names as kyaml prints them. */
export function nodeKindName(v: unknown): string {
  if (Array.isArray(v)) return 'SequenceNode';
  if (isPlainObject(v)) return 'MappingNode';
  return 'ScalarNode';
}

/** kyaml ErrorIfInvalid's message. */
export function wrongKind(expected: 'ScalarNode' | 'MappingNode' | 'SequenceNode', v: unknown): KustomizeError {
  let contents: string;
  try {
    contents = objectToYaml(v);
  } catch {
    contents = String(v);
  }
  return new KustomizeError(`wrong node kind: expected ${expected} but got ${nodeKindName(v)}: node contents:\n${contents}`);
}

/** fieldspec.isMatchGVK: the spec's group, version and kind against the object's. */
export function fieldSpecMatches(fs: FieldSpec, obj: Record<string, unknown>): boolean {
  const kind = scalarText(obj.kind);
  if (fs.kind && fs.kind !== kind) return false;
  const { group, version } = parseGroupVersion(scalarText(obj.apiVersion));
  if (fs.group && fs.group !== group) return false;
  if (fs.version && fs.version !== version) return false;
  return true;
}

/** resid.FromRNode(obj).String(), for messages. */
export function objectIdString(obj: Record<string, unknown>): string {
  const { group, version } = parseGroupVersion(scalarText(obj.apiVersion));
  const meta = isPlainObject(obj.metadata) ? obj.metadata : {};
  return resIdString({ gvk: { group, version, kind: scalarText(obj.kind) }, name: scalarText(meta.name), namespace: scalarText(meta.namespace) });
}

function emptyOf(kind: NodeKind, tag?: string): unknown {
  if (kind === 'map') return {};
  if (kind === 'seq') return [];
  return tag === 'int' ? 0 : '';
}

/**
 * fieldspec.Filter: applies `setValue` at `fs.path` of `obj` when the spec's gvk matches
 * the object. Errors read "considering field 'a/b' of object Kind.v.g/name.ns: ...".
 */
export function applyFieldSpec(obj: Record<string, unknown>, fs: FieldSpec, setValue: SetFn, opts: FieldSpecFilterOptions = {}): void {
  if (!fieldSpecMatches(fs, obj)) return;
  const path = pathSplitter(fs.path ?? '', '/');
  try {
    walk(rootRef(obj), path, fs, setValue, opts);
  } catch (e) {
    if (e instanceof KustomizeError) throw e.wrap(`considering field '${fs.path ?? ''}' of object ${objectIdString(obj)}`);
    throw e;
  }
}

function walk(ref: Ref, path: string[], fs: FieldSpec, setValue: SetFn, opts: FieldSpecFilterOptions): void {
  if (path.length === 0) {
    setValue(ref);
    return;
  }
  const v = ref.get();
  if (v === null || v === undefined) return;
  if (Array.isArray(v)) {
    try {
      for (let i = 0; i < v.length; i++) walk(new Ref(v, i), path, fs, setValue, opts);
    } catch (e) {
      if (e instanceof KustomizeError) throw e.wrap(`visit traversal on path: [${path.join(' ')}]`);
      throw e;
    }
    return;
  }
  if (!isPlainObject(v)) throw new KustomizeError('expected sequence or mapping node');
  handleMap(v, path, fs, setValue, opts);
}

function handleMap(obj: Record<string, unknown>, path: string[], fs: FieldSpec, setValue: SetFn, opts: FieldSpecFilterOptions): void {
  const first = path[0]!;
  const isSeq = first.endsWith('[]');
  const fieldName = (isSeq ? first.slice(0, -2) : first).trim();
  if (fieldName === '') throw new KustomizeError('cannot set or create an empty field name');
  let kind: NodeKind | undefined;
  let tag: string | undefined;
  let create: NodeKind | undefined;
  if (!fs.create || !opts.createKind || isSeq) {
    kind = isSeq ? 'seq' : undefined;
  } else if (path.length <= 1) {
    create = opts.createKind;
    kind = opts.createKind;
    tag = opts.createTag;
  } else {
    create = 'map';
    kind = 'map';
    tag = 'map';
  }
  if (!Object.prototype.hasOwnProperty.call(obj, fieldName)) {
    if (!create) return;
    obj[fieldName] = create === 'scalar' ? '' : emptyOf(create);
  } else if (obj[fieldName] === null && kind !== undefined) {
    obj[fieldName] = emptyOf(kind, tag);
  }
  walk(new Ref(obj, fieldName), path.slice(1), fs, setValue, opts);
}

/** Applies every spec of a slice in order (fsslice.Filter). */
export function applyFieldSpecs(obj: Record<string, unknown>, specs: readonly FieldSpec[], setValue: SetFn, opts: FieldSpecFilterOptions = {}): void {
  for (const fs of specs) applyFieldSpec(obj, fs, setValue, opts);
}

/**
 * filtersutil.SetEntry(name, value, tag): with a name, sets that key of the map at the ref
 * (a null node is left alone); without one, replaces the scalar at the ref.
 */
export function setEntry(name: string, value: unknown): SetFn {
  return (ref) => {
    const node = ref.get();
    if (name === '') {
      if (Array.isArray(node) || isPlainObject(node)) throw wrongKind('ScalarNode', node);
      ref.set(value);
      return;
    }
    if (node === null || node === undefined) return;
    if (!isPlainObject(node)) throw wrongKind('MappingNode', node);
    node[name] = value;
  };
}
