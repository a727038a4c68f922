/**
 * kyaml's path lookups over plain values: PathGetter (yaml.Lookup: fields, `[name=value]`
 * list elements, numeric indexes, `-`), PathMatcher (wildcards, regex element matching and
 * creation, used by replacement targets), and utils.SmarterPathSplitter for dotted paths.
 */
import { KustomizeError } from '../errors.js';
import { objectToYaml } from '../output.js';
import { scalarText } from '../resource.js';
import { Ref, pathSplitter, wrongKind, type NodeKind } from './fieldspec.js';
import { compileGoRegexp } from './go-regexp.js';
import { isPlainObject, parseYamlValue } from './yaml-read.js';

/** utils.SmarterPathSplitter: a dotted path, keeping `[a.b=c]` together and unwrapping `[a.b]`. */
export function smarterPathSplitter(path: string, delimiter: string): string[] {
  const result: string[] = [];
  const split = pathSplitter(path, delimiter);
  for (let i = 0; i < split.length; i++) {
    const elem = split[i]!;
    if (elem.startsWith('[') && !elem.endsWith(']')) {
      const bracketed = [elem];
      while (i < split.length - 1) {
        i++;
        bracketed.push(split[i]!);
        if (split[i]!.endsWith(']')) break;
      }
      const s = bracketed.join(delimiter);
      result.push(s.includes('=') ? s : s.replace(/^\[+|\]+$/g, ''));
    } else {
      result.push(elem);
    }
  }
  return result;
}

/** yaml convertSliceIndex: `ports[0]` becomes `ports`, `0`. */
export function convertSliceIndex(fields: string[]): string[] {
  const res: string[] = [];
  for (const s of fields) {
    const m = s.endsWith(']') ? /^(.*)\[(\d+)\]$/.exec(s) : null;
    if (!m) {
      res.push(s);
      continue;
    }
    if (m[1] !== '') res.push(m[1]!);
    res.push(m[2]!);
  }
  return res;
}

const isListIndex = (p: string) => p.startsWith('[') && p.endsWith(']');
const isIdxNumber = (p: string) => /^[+-]?\d+$/.test(p) && Number(p) >= 0;

function splitIndexNameValue(p: string): [string, string] {
  const elem = p.replace(/\]$/, '').replace(/^\[/, '');
  const eq = elem.indexOf('=');
  if (eq < 0) throw new KustomizeError('list path element must contain fieldName=fieldValue for element to match');
  return [elem.slice(0, eq), elem.slice(eq + 1)];
}

/** yaml.Lookup(...path): the value at a path, or undefined when a step is missing. Returns a Ref to it. */
export function lookupRef(root: Ref, path: readonly string[]): Ref | undefined {
  let ref: Ref = root;
  const parts = path.map((p) => p.trim()).filter((p) => p !== '');
  for (const part of parts) {
    const v = ref.get();
    if (v === null || v === undefined) return undefined;
    if (/^[+-]?\d+$/.test(part)) {
      const idx = Number(part);
      if (idx < 0) throw new KustomizeError(`array index ${idx} cannot be negative`);
      if (!Array.isArray(v)) throw wrongKind('SequenceNode', v);
      if (idx >= v.length) return undefined;
      ref = new Ref(v, idx);
    } else if (part === '-') {
      if (!Array.isArray(v)) throw wrongKind('SequenceNode', v);
      if (v.length === 0) return undefined;
      ref = new Ref(v, v.length - 1);
    } else if (part === '*') {
      throw new KustomizeError('wildcard is not supported in PathGetter');
    } else if (isListIndex(part)) {
      const [name, value] = splitIndexNameValue(part);
      if (!Array.isArray(v)) throw wrongKind('SequenceNode', v);
      let found = -1;
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (name === '') {
          if (!Array.isArray(e) && !isPlainObject(e) && scalarText(e) === value) {
            found = i;
            break;
          }
        } else if (isPlainObject(e) && Object.prototype.hasOwnProperty.call(e, name)) {
          const f = e[name];
          if (f !== null && !Array.isArray(f) && !isPlainObject(f) && scalarText(f) === value) {
            found = i;
            break;
          }
        }
      }
      if (found < 0) return undefined;
      ref = new Ref(v, found);
    } else {
      if (!isPlainObject(v)) throw wrongKind('MappingNode', v);
      if (!Object.prototype.hasOwnProperty.call(v, part)) return undefined;
      ref = new Ref(v, part);
    }
  }
  return ref;
}

/** The text kyaml's RNode.String() gives for an element, trimmed (for regex matching). */
function nodeString(v: unknown): string {
  if (Array.isArray(v) || isPlainObject(v)) {
    try {
      return objectToYaml(v).trim();
    } catch {
      return '';
    }
  }
  if (v === null) return 'null';
  return scalarText(v);
}

function partKind(nextPart: string | undefined, create: NodeKind): NodeKind {
  if (nextPart === undefined || nextPart === '') return create;
  if (isListIndex(nextPart) || isIdxNumber(nextPart)) return 'seq';
  return 'map';
}

/** A node created by PathMatcher: an empty scalar (or map, sequence) that a setter fills. */
export const CREATED_SCALAR: unique symbol = Symbol('created scalar');

function emptyNode(kind: NodeKind): unknown {
  return kind === 'map' ? {} : kind === 'seq' ? [] : CREATED_SCALAR;
}

/**
 * yaml.PathMatcher: every node matching the path (wildcards, `[field=regex]`, indexes),
 * creating missing fields and elements when `create` gives the kind of the last node.
 */
export function pathMatch(ref: Ref, path: readonly string[], create: NodeKind | undefined): Ref[] {
  if (path.length === 0) return [ref];
  const first = path[0]!;
  const v = ref.get();
  const elements = (): unknown[] => {
    if (v === null || v === undefined) return [];
    if (!Array.isArray(v)) throw wrongKind('SequenceNode', v);
    return v;
  };
  if (isIdxNumber(first)) {
    const idx = Number(first);
    const elems = elements();
    if (elems.length === idx && create && Array.isArray(v)) v.push(emptyNode(partKind(path[1], create)));
    if (!Array.isArray(v) || v.length < idx + 1) throw new KustomizeError(`index ${idx} specified but only ${elems.length} elements found`);
    return pathMatch(new Ref(v, idx, [...ref.path, idx]), path.slice(1), create);
  }
  if (isListIndex(first)) {
    const [field, pattern] = splitIndexNameValue(first);
    const re = compileGoRegexp(pattern);
    const collect = (): Ref[] => {
      const out: Ref[] = [];
      const elems = elements();
      for (let i = 0; i < elems.length; i++) {
        const e = elems[i];
        if (field === '') {
          if (re.test(nodeString(e))) out.push(new Ref(elems, i, [...ref.path, i]));
          continue;
        }
        if (!isPlainObject(e) || !Object.prototype.hasOwnProperty.call(e, field)) continue;
        if (!re.test(nodeString(e[field]))) continue;
        out.push(...pathMatch(new Ref(elems, i, [...ref.path, i]), path.slice(1), create));
      }
      return out;
    };
    const found = collect();
    if (found.length > 0 || !create) return found;
    if (!Array.isArray(v)) {
      if (v !== null && v !== undefined) throw wrongKind('SequenceNode', v);
      return [];
    }
    v.push(field === '' ? pattern : { [field]: pattern });
    return collect();
  }
  if (first === '*') {
    const out: Ref[] = [];
    const elems = elements();
    for (let i = 0; i < elems.length; i++) out.push(...pathMatch(new Ref(elems, i, [...ref.path, i]), path.slice(1), create));
    return out;
  }
  if (v === null || v === undefined) return [];
  if (!isPlainObject(v)) throw wrongKind('MappingNode', v);
  if (!Object.prototype.hasOwnProperty.call(v, first)) {
    if (!create) return [];
    v[first] = emptyNode(partKind(path[1], create));
  }
  const field = v[first];
  if (path.length > 1 && !Array.isArray(field) && !isPlainObject(field) && field !== null && field !== undefined && field !== CREATED_SCALAR) {
    // PathMatcher.handleStructuredDataInScalar: matches inside a parsed copy, so nothing the caller sets there sticks.
    let parsed: unknown;
    try {
      parsed = parseYamlValue(scalarText(field));
    } catch (e) {
      throw new KustomizeError((e as Error).message);
    }
    return pathMatch(new Ref({ doc: parsed }, 'doc'), path.slice(1), create);
  }
  return pathMatch(new Ref(v, first, [...ref.path, first]), path.slice(1), create);
}
