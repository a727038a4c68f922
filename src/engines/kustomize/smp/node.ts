import { stringify } from 'yaml';
import { SlipwayError } from '../../../core/index.js';

/**
 * A yaml.v3 node as kyaml's merge code sees it: mutable, compared by identity, with the scalar
 * text in `value`. merge2 leans on all three (it edits the destination in place, finds list
 * elements by pointer, and matches merge keys by their text), so the merge runs on these nodes
 * and not on plain values.
 */
export interface YNode {
  kind: 'map' | 'seq' | 'scalar';
  /** "!!null", "!!str", "!!int", "!!float", "!!bool", "!!map", "!!seq", or "" (kyaml NewScalarRNode). */
  tag: string;
  /** Scalar text; "" for maps and lists. */
  value: string;
  /** Maps: key, value, key, value …; lists: the elements. */
  content: YNode[];
  /** The JS value a scalar came from, so that it converts back unchanged. */
  data?: unknown;
  /** kyaml RNode.ShouldKeep: a null that survives FieldSetter (MakePersistentNullNode). */
  keep?: boolean;
}

/**
 * A strategic merge patch that kustomize would refuse: a map patched with a list, an unknown
 * `$patch` value … The message is kyaml's own text; the caller adds the kustomization and entry.
 */
export class StrategicMergeError extends SlipwayError {
  readonly code = 'SLW227' as const;
}

export const NULL_TAG = '!!null';

/** A scalar as kyaml.NewScalarRNode makes it: no tag, so it resolves like plain YAML text. */
export function newScalar(value: string): YNode {
  return { kind: 'scalar', tag: '', value, content: [] };
}

export function newSeq(): YNode {
  return { kind: 'seq', tag: '!!seq', value: '', content: [] };
}

/** Go's text of a number as YAML would read back the same value. */
function numberText(n: number): string {
  if (Number.isNaN(n)) return '.nan';
  if (!Number.isFinite(n)) return n > 0 ? '.inf' : '-.inf';
  return String(n);
}

/** Builds a fresh node tree from a JSON-like value (so the merge never touches its inputs). */
export function fromJs(v: unknown): YNode {
  if (v === null || v === undefined) return { kind: 'scalar', tag: NULL_TAG, value: 'null', content: [], data: null };
  if (Array.isArray(v)) return { kind: 'seq', tag: '!!seq', value: '', content: v.map(fromJs) };
  switch (typeof v) {
    case 'string':
      return { kind: 'scalar', tag: '!!str', value: v, content: [], data: v };
    case 'number':
      return { kind: 'scalar', tag: Number.isInteger(v) ? '!!int' : '!!float', value: numberText(v), content: [], data: v };
    case 'bigint':
      return { kind: 'scalar', tag: '!!int', value: v.toString(), content: [], data: v };
    case 'boolean':
      return { kind: 'scalar', tag: '!!bool', value: String(v), content: [], data: v };
    case 'object': {
      const content: YNode[] = [];
      for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
        content.push({ kind: 'scalar', tag: '!!str', value: k, content: [], data: k }, fromJs(val));
      }
      return { kind: 'map', tag: '!!map', value: '', content };
    }
    default:
      return { kind: 'scalar', tag: '!!str', value: String(v), content: [], data: String(v) };
  }
}

/** The value of an untagged plain scalar, resolved as YAML 1.2 (yaml.v3) would. */
function resolvePlain(text: string): unknown {
  if (text === '' || text === '~' || /^(null|Null|NULL)$/.test(text)) return null;
  if (/^(true|True|TRUE)$/.test(text)) return true;
  if (/^(false|False|FALSE)$/.test(text)) return false;
  if (/^[-+]?[0-9]+$/.test(text)) return Number(text);
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(text)) return Number(text);
  return text;
}

/** Converts a node tree back to plain values (maps keep their key order). */
export function toJs(n: YNode): unknown {
  switch (n.kind) {
    case 'map': {
      const out: Record<string, unknown> = {};
      for (let i = 0; i + 1 < n.content.length; i += 2) {
        const key = n.content[i]!;
        Object.defineProperty(out, key.data === undefined ? key.value : String(key.data), {
          value: toJs(n.content[i + 1]!),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return out;
    }
    case 'seq':
      return n.content.map(toJs);
    default:
      if (n.data !== undefined) return n.data;
      if (n.tag === NULL_TAG) return null;
      if (n.tag === '!!str') return n.value;
      return resolvePlain(n.value);
  }
}

// --- kyaml/yaml predicates (rnode.go, types.go), with `undefined` for a nil RNode ------------

/** IsMissingOrNull: nil, or tagged !!null. */
export const isMissingOrNull = (n: YNode | undefined): boolean => n === undefined || n.tag === NULL_TAG;
/** RNode.IsTaggedNull. */
export const isTaggedNull = (n: YNode | undefined): boolean => n !== undefined && n.tag === NULL_TAG;
/** IsEmptyMap: missing, null, or a map without fields. */
export const isEmptyMap = (n: YNode | undefined): boolean => n === undefined || n.tag === NULL_TAG || (n.kind === 'map' && n.content.length === 0);
/** RNode.IsNilOrEmpty (a zero node cannot occur here). */
export const isNilOrEmpty = (n: YNode | undefined): boolean =>
  n === undefined || n.tag === NULL_TAG || ((n.kind === 'map' || n.kind === 'seq') && n.content.length === 0);

const KIND_NAMES = { map: 'MappingNode', seq: 'SequenceNode', scalar: 'ScalarNode' } as const;

/** kyaml ErrorIfInvalid: null passes, any other node must be of `kind`. */
export function checkKind(n: YNode | undefined, kind: YNode['kind']): void {
  if (n === undefined || n.tag === NULL_TAG || n.kind === kind) return;
  let contents: string;
  try {
    contents = stringify(toJs(n));
  } catch {
    contents = n.value;
  }
  throw new StrategicMergeError(
    `wrong node kind: expected ${KIND_NAMES[kind]} but got ${KIND_NAMES[n.kind]}: node contents:\n${contents}`,
  );
}

/** RNode.Field(name).Value: the value of the last field called `name`; undefined for non-maps. */
export function fieldValue(n: YNode | undefined, name: string): YNode | undefined {
  if (n === undefined || n.kind !== 'map') return undefined;
  let found: YNode | undefined;
  for (let i = 0; i + 1 < n.content.length; i += 2) if (n.content[i]!.value === name) found = n.content[i + 1];
  return found;
}

/** RNode.Fields(): the field names of a map; none for anything else (kyaml drops that error). */
export function fieldNamesOf(n: YNode | undefined): string[] {
  if (n === undefined || n.kind !== 'map') return [];
  const out: string[] = [];
  for (let i = 0; i < n.content.length; i += 2) out.push(n.content[i]!.value);
  return out;
}

/** FieldClearer: removes the first field called `name`. */
export function clearField(n: YNode, name: string): void {
  checkKind(n, 'map');
  for (let i = 0; i + 1 < n.content.length; i += 2) {
    if (n.content[i]!.value === name) {
      n.content.splice(i, 2);
      return;
    }
  }
}

/** RNode.SetYNode on an existing node: Go copies the struct (`*rn.value = *node`). */
export function overwrite(target: YNode, source: YNode): void {
  if (target === source) return;
  target.kind = source.kind;
  target.tag = source.tag;
  target.value = source.value;
  target.content = source.content.slice();
  target.data = source.data;
  target.keep = source.keep;
}

/**
 * FieldSetter{Name, Value}: a nil value, or a null that is not ShouldKeep, clears the field;
 * an existing field takes a copy of the value; a new field is appended.
 */
export function setField(map: YNode, name: string, value: YNode | undefined): void {
  if (value === undefined || (value.tag === NULL_TAG && !value.keep)) {
    clearField(map, name);
    return;
  }
  checkKind(map, 'map');
  const existing = fieldValue(map, name);
  if (existing) {
    overwrite(existing, value);
    return;
  }
  map.content.push({ kind: 'scalar', tag: '!!str', value: name, content: [], data: name }, value);
}

/** GetValue: the scalar text, "" for nil and null. */
export const getValue = (n: YNode | undefined): string => (n === undefined || n.tag === NULL_TAG ? '' : n.value);

/**
 * FieldMatcher{Name, StringValue}.Filter: with a name, the map's field of that name whose text
 * equals `value` (any text when `value` is ""); without a name, the scalar itself when its text
 * equals `value`. Null nodes never match.
 */
export function matchField(n: YNode, name: string, value: string, requireValue: boolean): YNode | undefined {
  if (n === undefined || n.tag === NULL_TAG) return undefined;
  if (name === '') {
    checkKind(n, 'scalar');
    return getValue(n) === value ? n : undefined;
  }
  checkKind(n, 'map');
  let found: YNode | undefined;
  for (let i = 0; i + 1 < n.content.length; i += 2) {
    if (n.content[i]!.value !== name) continue;
    const v = n.content[i + 1]!;
    if (!requireValue || v.value === value) found = v;
  }
  return found;
}

/**
 * ElementSetter: in the list `seq`, replaces the element whose `keys` fields have `values` by
 * `element` (appends it when none matches), or removes the matches when `element` is undefined.
 * Like kyaml it drops null and empty-map elements on the way, and an element that cannot be
 * matched is dropped too when `values` is empty.
 */
export function setElement(seq: YNode, keys: readonly string[], values: readonly string[], element: YNode | undefined): YNode | undefined {
  const ks = keys.length === 0 ? [''] : keys;
  checkKind(seq, 'seq');
  const mappingSetter = ks[0] !== '' && values.length > 0 && values[0] !== '';
  const next: YNode[] = [];
  let matched = false;
  for (const elem of seq.content) {
    if (isMissingOrNull(elem) || isEmptyMap(elem)) continue;
    if (elem.kind !== 'map' && mappingSetter) {
      next.push(elem);
      continue;
    }
    let found = true;
    let val: YNode | undefined;
    for (let j = 0; j < ks.length; j++) {
      // FieldMatcher with StringValue: an empty value matches any value of the field
      if (j < values.length) val = matchField(elem, ks[j]!, values[j]!, values[j] !== '');
      if (val === undefined) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) next.push(elem);
      continue;
    }
    matched = true;
    if (element !== undefined) next.push(element);
  }
  seq.content = next;
  if (element === undefined || element.tag === NULL_TAG) return undefined;
  if (!matched) seq.content.push(element);
  return element;
}

/**
 * ElementMatcher{Keys, Values} (MatchElementList): the first element whose fields `keys` have the
 * texts `values`; for keys [""], the first element whose own text is values[0].
 */
export function findElement(seq: YNode | undefined, keys: readonly string[], values: readonly string[]): YNode | undefined {
  if (seq === undefined) return undefined;
  const ks = keys.length === 0 ? [''] : keys;
  const vs = values.length === 0 ? [''] : values;
  checkKind(seq, 'seq');
  if (ks[0] === '') return seq.content.find((e) => e.value === vs[0]);
  for (const elem of seq.content) {
    if (!isMissingOrNull(elem) && elem.kind !== 'map') continue;
    if (ks.length !== vs.length) {
      throw new StrategicMergeError('length of keys must equal length of values when MatchAnyValue is false');
    }
    if (ks.every((k, i) => matchField(elem, k, vs[i]!, true) !== undefined)) return elem;
  }
  return undefined;
}

/** The first element that has a `key` field, whatever its value (GetElementByKey). */
export function findElementWithKey(seq: YNode, key: string): YNode | undefined {
  for (const elem of seq.content) {
    if (!isMissingOrNull(elem) && elem.kind !== 'map') continue;
    if (matchField(elem, key, '', false) !== undefined) return elem;
  }
  return undefined;
}

/** Go's yaml ShortTag, for error messages. */
export function shortTag(n: YNode): string {
  if (n.tag !== '') return n.tag;
  switch (n.kind) {
    case 'map':
      return '!!map';
    case 'seq':
      return '!!seq';
    default: {
      const v = resolvePlain(n.value);
      if (v === null) return NULL_TAG;
      if (typeof v === 'boolean') return '!!bool';
      if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(n.value) ? '!!int' : '!!float';
      return '!!str';
    }
  }
}
