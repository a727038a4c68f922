import { compareGoStrings } from '../../goruntime/index.js';
import {
  StrategicMergeError,
  checkKind,
  fieldNamesOf,
  fieldValue,
  findElement,
  findElementWithKey,
  getValue,
  isEmptyMap,
  isMissingOrNull,
  isNilOrEmpty,
  isTaggedNull,
  matchField,
  newScalar,
  newSeq,
  setElement,
  setField,
  shortTag,
  toJs,
  type YNode,
} from './node.js';
import { lookupSchema, type PatchSchema } from './schema.js';

// A port of kyaml's merge2 (merge2.go, smpdirective.go) and the walker it drives
// (yaml/walk/walk.go, map.go, associative_sequence.go), with the options
// api/filters/patchstrategicmerge passes: the patch is the origin, the resource the
// destination, and list items from the patch go first (MergeOptionsListPrepend).
// InferAssociativeLists is off there, so a list merges by key only when the schema says so.

/** [destination, origin]; either may be missing. walk.Sources. */
type Sources = [YNode | undefined, YNode | undefined];

type Directive = 'merge' | 'replace' | 'delete' | 'unknown';

const DIRECTIVE_KEY = '$patch';

function toDirective(v: string): Directive | undefined {
  return v === 'merge' || v === 'replace' || v === 'delete' ? v : undefined;
}

/** determineSmpDirective: reads `$patch` from the patch node and removes it from there. */
function smpDirective(patch: YNode | undefined): Directive {
  if (patch === undefined) return 'merge';
  if (patch.kind === 'seq') {
    // a `- $patch: x` element that has no other field is the list's directive
    const elem = findElementWithKey(patch, DIRECTIVE_KEY);
    if (elem === undefined || elem.content.length > 2) return 'merge';
    const value = fieldValue(elem, DIRECTIVE_KEY);
    if (value === undefined) return 'merge';
    const d = toDirective(value.value);
    if (d === undefined) throw new StrategicMergeError(`unknown patch strategy '${value.value}'`);
    setElement(patch, [DIRECTIVE_KEY], [value.value], undefined);
    return d;
  }
  if (patch.kind === 'map') {
    const value = fieldValue(patch, DIRECTIVE_KEY);
    if (value === undefined) return 'merge';
    const d = toDirective(value.value);
    if (d === undefined) throw new StrategicMergeError(`unknown patch strategy '${value.value}'`);
    const i = patch.content.findIndex((k, j) => j % 2 === 0 && k.value === DIRECTIVE_KEY);
    patch.content.splice(i, 2);
    return d;
  }
  let text = patch.value;
  try {
    text = String(toJs(patch));
  } catch {
    // keep the raw text
  }
  throw new StrategicMergeError(`no implemented strategic merge patch strategy for '${shortTag(patch)}' ('${text}')`);
}

/** The directive, ignoring errors as VisitMap does for a missing destination. */
function smpDirectiveOrUnknown(patch: YNode | undefined): Directive {
  try {
    return smpDirective(patch);
  } catch (e) {
    if (e instanceof StrategicMergeError) return 'unknown';
    throw e;
  }
}

// --- merge2.Merger ------------------------------------------------------------------------------

function visitMap([dest, origin]: Sources): YNode | undefined {
  if (isMissingOrNull(dest)) {
    if (smpDirectiveOrUnknown(origin) === 'delete') return undefined;
    // an explicit null in the destination that the patch does not mention stays ("null", "~")
    if (origin === undefined && dest !== undefined && dest.value.length > 0) {
      return { kind: 'scalar', tag: dest.tag, value: dest.value, content: [], data: null, keep: true };
    }
    return origin;
  }
  if (isTaggedNull(origin)) return undefined;
  switch (smpDirective(origin)) {
    case 'delete':
      return undefined;
    case 'replace':
      return origin;
    default:
      return dest;
  }
}

function visitScalar([dest, origin]: Sources): YNode | undefined {
  return origin ?? dest;
}

function visitList([dest, origin]: Sources, associative: boolean): YNode | undefined {
  if (!associative) return origin ?? dest;
  if (isMissingOrNull(dest)) return origin;
  if (isTaggedNull(origin)) return undefined;
  switch (smpDirective(origin)) {
    case 'delete':
      return undefined;
    case 'replace':
      return origin;
    default:
      return dest;
  }
}

// --- walk.Walker ----------------------------------------------------------------------------------

/** Walker.GetSchema: the schema handed down, else the schema of a source's apiVersion and kind. */
function schemaOf(sources: Sources, given: PatchSchema | undefined): PatchSchema | undefined {
  if (given) return given;
  for (const s of sources) {
    if (s === undefined || isMissingOrNull(s)) continue;
    const apiVersion = fieldValue(s, 'apiVersion');
    const kind = fieldValue(s, 'kind');
    const av = isNilOrEmpty(apiVersion) ? '' : getValue(apiVersion);
    const k = isNilOrEmpty(kind) ? '' : getValue(kind);
    if (av === '' || k === '') continue;
    const found = lookupSchema(av, k);
    if (found) return found;
  }
  return undefined;
}

/** Walker.Kind: the kind of the first source that is neither missing nor null. */
function kindOf(sources: Sources): YNode['kind'] | undefined {
  for (const s of sources) if (s !== undefined && !isMissingOrNull(s)) return s.kind;
  return undefined;
}

/** schema.IsAssociative with inference off: the schema's patch strategy includes "merge". */
function isAssociative(schema: PatchSchema | undefined): boolean {
  return schema !== undefined && schema.strategy.split(',').includes('merge');
}

/** Walker.Walk. */
export function walk(sources: Sources, given: PatchSchema | undefined): YNode | undefined {
  const schema = schemaOf(sources, given);
  const kind = kindOf(sources);
  if (kind !== undefined) for (const s of sources) checkKind(s, kind);
  switch (kind) {
    case 'seq':
      return isAssociative(schema) ? walkAssociativeSequence(sources, schema) : visitList(sources, false);
    case 'scalar':
      return visitScalar(sources);
    default:
      return walkMap(sources, schema);
  }
}

function walkMap(sources: Sources, schema: PatchSchema | undefined): YNode | undefined {
  const dest = visitMap(sources);
  sources[0] = dest;
  if (dest === undefined) return undefined;
  const names = new Set<string>();
  for (const s of sources) for (const f of fieldNamesOf(s)) names.add(f);
  // sort.Strings: fields new to the destination are appended in this order
  for (const key of [...names].sort(compareGoStrings)) {
    const val = walk([fieldValue(sources[0], key), fieldValue(sources[1], key)], schema?.field(key));
    setField(dest, key, val);
  }
  return dest;
}

/** The merge-key texts of each element (RNode.ElementValuesList): "" for a missing or empty field. */
function elementValuesList(seq: YNode, keys: readonly string[]): string[][] {
  checkKind(seq, 'seq');
  return seq.content.map((elem) =>
    keys.map((key) => {
      const v = fieldValue(elem, key);
      return isNilOrEmpty(v) ? '' : v!.value;
    }),
  );
}

/** Walker.elementValues with ListIncreaseDirection Prepend: the patch's elements first. */
function elementValues(sources: Sources, keys: readonly string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined) continue;
    for (const s of elementValuesList(src, keys)) {
      const id = JSON.stringify(s);
      if (s.length === 0 || seen.has(id)) continue;
      out.push(s);
      seen.add(id);
    }
  }
  return out;
}

/** Walker.elementPrimitiveValues (prepend order): each distinct scalar text. */
function elementPrimitiveValues(sources: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined) continue;
    for (const item of src.content) {
      if (seen.has(item.value)) continue;
      out.push([item.value]);
      seen.add(item.value);
    }
  }
  return out;
}

/** validateKeys: only the keys that some element has a value for (all of them if none has). */
function validateKeys(valuesList: readonly string[][], values: readonly string[], keys: readonly string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]!));
  if (valid.size === 0) return [[...keys], [...values]];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]!))];
}

/** match: same length, one equal value, and every other pair differs only by being empty. */
function matchValues(a: readonly string[], b: readonly string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]!);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    res.push(a[i] !== '' ? a[i]! : b[i]!);
  }
  return common ? res : undefined;
}

/** mergeValues: a port without protocol and one with protocol are the same port. */
function mergeValues(valuesList: string[][]): string[][] {
  for (let i = 0; i < valuesList.length; i++) {
    for (let j = 0; j < valuesList.length; j++) {
      const m = matchValues(valuesList[i]!, valuesList[j]!);
      if (m) {
        valuesList[i] = m;
        valuesList[j] = m;
      }
    }
  }
  return valuesList;
}

/** Walker.elementValueList: each source's element with these key values. */
function elementValueList(sources: Sources, keys: readonly string[], values: readonly string[]): Sources {
  const [ks, vs] = validateKeys([[...values]], values, keys);
  return [elementList(sources[0], ks, vs), elementList(sources[1], ks, vs)];
}

/** RNode.ElementList: the matching element of a list; nothing for a non-list, or on an error. */
function elementList(seq: YNode | undefined, keys: readonly string[], values: readonly string[]): YNode | undefined {
  if (seq === undefined || seq.kind !== 'seq') return undefined;
  try {
    return findElement(seq, keys, values);
  } catch (e) {
    if (e instanceof StrategicMergeError) return undefined;
    throw e;
  }
}

function walkAssociativeSequence(sources: Sources, schema: PatchSchema | undefined): YNode | undefined {
  const dest = visitList(sources, true);
  sources[0] = dest;
  if (dest === undefined) return undefined;
  // Only reached with a "merge" strategy from the schema, so no key inference (Walker.elementKey).
  const keys = schema ? [...schema.keys] : [];
  const values = elementValues(sources, keys);
  if (values.length !== 0 || keys.length > 0) return setAssociativeSequenceElements(sources, schema, values, keys, dest);
  return setAssociativeSequenceElements(sources, schema, elementPrimitiveValues(sources), [''], dest);
}

function setAssociativeSequenceElements(
  sources: Sources,
  schema: PatchSchema | undefined,
  valuesList: string[][],
  keys: readonly string[],
  dest: YNode,
): YNode | undefined {
  const itemsToBeAdded = newSeq();
  const elementSchema = schema?.elements();
  if (keys.length > 1) valuesList = mergeValues(valuesList);

  // kyaml keeps the last element's valid keys for appendListNode below
  let validKeys: string[] = [];
  for (const values of valuesList) {
    if (values.length === 0) continue;
    const [vk, validValues] = validateKeys(valuesList, values, keys);
    validKeys = vk;
    const val = walk(elementValueList(sources, validKeys, validValues), elementSchema);

    let exit = false;
    for (let i = 0; i < validKeys.length; i++) {
      if (val === undefined || isEmptyMap(val)) {
        // the patch deleted the element (null, empty, or `$patch: delete`)
        setElement(dest, validKeys, validValues, undefined);
        exit = true;
      } else if (validKeys[i] !== '' && fieldValue(val, validKeys[i]!) === undefined && validValues[i] !== '') {
        setField(val, validKeys[i]!, newScalar(validValues[i]!));
      }
      // For a list of primitives kyaml also "sets" the key "" here, which rewrites the scalar
      // with its own text and style: the value does not change, so there is nothing to do.
    }
    if (exit) continue;
    setElement(itemsToBeAdded, validKeys, validValues, val);
  }

  let result: YNode | undefined = dest;
  // prepend: the merged items first, then the destination's elements put back in their places
  if (valuesList.length > 0) result = appendListNode(itemsToBeAdded, dest, validKeys);
  if (isMissingOrNull(result)) return undefined;
  return result;
}

/** appendListNode: each element of `src` replaces its match in `dst`, or is appended. */
function appendListNode(dst: YNode, src: YNode, keys: readonly string[]): YNode {
  for (const elem of src.content) {
    if (keys[0] === '') {
      setElement(dst, [''], [elem.value], elem);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      const valueNode = matchField(elem, key, '', false);
      if (valueNode === undefined) {
        // no key: kyaml appends it, and the ElementSetter below (with fewer values than keys)
        // then keeps only this element; that is what `kubectl kustomize` prints
        dst.content.push(elem);
        continue;
      }
      v.push(valueNode.value);
    }
    if (keys.length > 1) setElement(dst, keys, v, undefined);
    setElement(dst, keys, v, elem);
  }
  return dst;
}
