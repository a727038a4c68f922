/**
 * Kyverno `validate.pattern` matching: walks a resource and a pattern side by side and
 * reports pass, fail (with Kyverno's path of the first mismatch, `/spec/containers/0/image/`)
 * or skip (a conditional or global anchor did not hold). Pure; `{{ }}` variables are
 * substituted by the caller. Kyverno's evaluation order is kept, because it decides which
 * mismatch is reported and whether a skip wins over a failure:
 * - in a map, anchors `(k)`, `=(k)`, `X(k)`, `^(k)` are checked first (sorted by key), then
 *   the other keys: global anchors `<(k)` and keys whose values hold anchors first, the
 *   rest after, each group in key order; once a condition anchor of the map has failed,
 *   failures of the anchors after it no longer count, and the map is skipped;
 * - in a list whose pattern is a map, every element must match it; an element for which a
 *   conditional or global anchor fails is left out, and when every element is left out the
 *   whole list counts as a failed condition;
 * - a scalar pattern against a list applies to each element of the list;
 * - wildcard keys under metadata.labels/annotations are expanded to the resource's keys.
 */
import { compareValue } from './operators.js';
import type { PatternResult } from './types.js';
import { containsWildcard, wildcardMatch } from './wildcard.js';

export { compareValue } from './operators.js';
export { wildcardMatch } from './wildcard.js';

type AnchorModifier = '' | '<' | 'X' | '+' | '=' | '^';

interface Anchor {
  modifier: AnchorModifier;
  key: string;
}

/** How a mismatch travels up: conditional and global ones mean "does not apply" (skip). */
type MismatchKind = 'plain' | 'conditional' | 'global' | 'negation';

interface Mismatch {
  kind: MismatchKind;
  /** The path Kyverno reports for it ('' when it reports none). */
  path: string;
  message: string;
  /**
   * Set on the "every element/anchor was skipped" result of a list or a map (Kyverno's
   * PatternError, whose kind is that of the first skip inside it), as opposed to a
   * condition that failed right here; the two weigh differently among sibling anchors.
   */
  aggregate?: boolean;
}

/** Kyverno's record of which condition/existence/negation anchor keys the resource has. */
type AnchorPresence = Map<string, boolean>;

type PlainMap = Record<string, unknown>;

function isMap(v: unknown): v is PlainMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function has(map: PlainMap, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(map, key);
}

function get(map: PlainMap, key: string): unknown {
  return has(map, key) ? map[key] : undefined;
}

/** Reads `(k)`, `<(k)`, `X(k)`, `+(k)`, `=(k)`, `^(k)`; undefined for a plain key. */
export function parseAnchor(text: string): Anchor | undefined {
  if (text.length < 3 || !text.endsWith(')')) return undefined;
  let modifier: AnchorModifier;
  let key: string;
  if (text.startsWith('(')) {
    modifier = '';
    key = text.slice(1, -1);
  } else if ('<X+=^'.includes(text[0] ?? '') && text[1] === '(') {
    modifier = text[0] as AnchorModifier;
    key = text.slice(2, -1);
  } else return undefined;
  return key === '' ? undefined : { modifier, key };
}

const skips = (m: Mismatch): boolean => m.kind === 'conditional' || m.kind === 'global';

/**
 * Matches `resource` against a validate `pattern` as Kyverno does. A `fail` without a
 * `path` is what Kyverno reports as a rule error ("execution error") rather than a failure:
 * a mismatch with no position, or one where an anchor key of the pattern is absent from
 * the resource.
 */
export function validatePattern(resource: unknown, pattern: unknown): PatternResult {
  const presence: AnchorPresence = new Map();
  const m = matchElement(resource, pattern, '/', presence);
  if (m === undefined) return { status: 'pass' };
  if (skips(m)) return { status: 'skip', reason: m.message };
  if (m.kind !== 'negation' && [...presence.values()].some((present) => !present)) {
    return { status: 'fail', reason: m.message };
  }
  return m.path === '' ? { status: 'fail', reason: m.message } : { status: 'fail', path: m.path, reason: m.message };
}

function isScalarPattern(p: unknown): boolean {
  return p === null || p === undefined || ['string', 'number', 'boolean', 'bigint'].includes(typeof p);
}

function matchElement(resource: unknown, pattern: unknown, path: string, presence: AnchorPresence): Mismatch | undefined {
  if (isMap(pattern)) {
    if (!isMap(resource)) {
      return plain(path, `pattern and resource have different structures. Path: ${path}. Expected map, found ${typeName(resource)}`);
    }
    notePresence(pattern, resource, presence);
    return matchMap(resource, pattern, path, presence);
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(resource)) {
      return plain(path, `validation rule failed at path ${path}, resource does not satisfy the expected overlay pattern`);
    }
    return matchArray(resource, pattern, path, presence);
  }
  if (isScalarPattern(pattern)) {
    const values = Array.isArray(resource) ? resource : [resource];
    for (const v of values) {
      if (!compareValue(v, pattern)) {
        return plain(path, `resource value '${goValue(resource)}' does not match '${goValue(pattern)}' at path ${path}`);
      }
    }
    return undefined;
  }
  return plain(path, `failed at '${path}', pattern contains unknown type`);
}

function plain(path: string, message: string): Mismatch {
  return { kind: 'plain', path, message };
}

function notePresence(pattern: PlainMap, resource: PlainMap, presence: AnchorPresence): void {
  for (const key of Object.keys(pattern)) {
    const a = parseAnchor(key);
    if (!a || !(a.modifier === '' || a.modifier === '^' || a.modifier === 'X')) continue;
    if (presence.get(key) === true) continue;
    presence.set(key, has(resource, a.key));
  }
}

/** Anchors checked before the other keys of a map: condition, existence, equality, negation. */
function isLeadingAnchor(a: Anchor | undefined): boolean {
  return !!a && (a.modifier === '' || a.modifier === '^' || a.modifier === '=' || a.modifier === 'X');
}

function hasNestedAnchors(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasNestedAnchors);
  if (!isMap(value)) return false;
  for (const [k, v] of Object.entries(value)) {
    const a = parseAnchor(k);
    if (a && a.modifier !== '+') return true;
    if (hasNestedAnchors(v)) return true;
  }
  return false;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function matchMap(resource: PlainMap, rawPattern: PlainMap, path: string, presence: AnchorPresence): Mismatch | undefined {
  const pattern = expandMetadataWildcards(rawPattern, resource);
  const anchors: string[] = [];
  const others: string[] = [];
  for (const key of Object.keys(pattern)) (isLeadingAnchor(parseAnchor(key)) ? anchors : others).push(key);
  anchors.sort(byCodeUnit);
  // Kyverno's anchor phase: a failed condition here (not one aggregated from a list
  // below) makes the failures of sibling anchors after it irrelevant; the map as a whole
  // is skipped when nothing applied, or when such a direct condition failed.
  const skipped: Mismatch[] = [];
  let applied = 0;
  for (const key of anchors) {
    const m = matchKey(key, pattern[key], resource, path, presence);
    if (m === undefined) {
      applied++;
      continue;
    }
    if (skips(m)) skipped.push(m);
    else if (!skipped.some((s) => !s.aggregate)) return m;
  }
  if (skipped.length > 0 && (applied === 0 || skipped.some((s) => !s.aggregate))) return aggregateSkips(skipped, path);
  // Global anchors and keys holding anchors go first (Kyverno pushes each to the front of
  // the list, so they end up in reverse key order), then the rest in key order.
  const front: string[] = [];
  const back: string[] = [];
  for (const key of others.sort(byCodeUnit)) {
    if (parseAnchor(key)?.modifier === '<' || hasNestedAnchors(pattern[key])) front.unshift(key);
    else back.push(key);
  }
  for (const key of [...front, ...back]) {
    const m = matchKey(key, pattern[key], resource, path, presence);
    if (m) return m;
  }
  return undefined;
}

function matchKey(key: string, pattern: unknown, resource: PlainMap, path: string, presence: AnchorPresence): Mismatch | undefined {
  const a = parseAnchor(key);
  if (a && a.modifier !== '+') {
    const current = `${path}${a.key}/`;
    const present = has(resource, a.key);
    const value = get(resource, a.key);
    switch (a.modifier) {
      case '': {
        if (!present) {
          return { kind: 'conditional', path: current, message: "conditional anchor mismatch: conditional anchor key doesn't exist in the resource" };
        }
        const m = matchElement(value, pattern, current, presence);
        return m && { kind: 'conditional', path: m.path, message: `conditional anchor mismatch: ${m.message}` };
      }
      case '<': {
        if (!present) return undefined;
        const m = matchElement(value, pattern, current, presence);
        return m && { kind: 'global', path: m.path, message: `global anchor mismatch: ${m.message}` };
      }
      case '=':
        return present ? matchElement(value, pattern, current, presence) : undefined;
      case 'X':
        return present
          ? { kind: 'negation', path: current, message: `negation anchor matched in resource: ${current} is not allowed` }
          : undefined;
      case '^':
        return present ? matchExistence(value, pattern, current, presence) : undefined;
    }
  }
  // A plain key (and `+(k)`, which only means something to mutate rules: Kyverno's validate
  // looks it up literally, so it behaves as an absent key).
  const value = get(resource, key);
  if (pattern === '*') {
    return value === null || value === undefined ? plain(path, `${path}/${key} not found`) : undefined;
  }
  return matchElement(value, pattern, `${path}${key}/`, presence);
}

/** `^(key)`: for each map in the pattern list, at least one element of the resource list matches. */
function matchExistence(value: unknown, pattern: unknown, path: string, presence: AnchorPresence): Mismatch | undefined {
  if (!Array.isArray(value)) {
    return plain(path, `invalid resource type ${typeName(value)}: Existence ^ () anchor can be used only on list/array type resource`);
  }
  if (!Array.isArray(pattern)) {
    return plain(path, `invalid pattern type ${typeName(pattern)}: Pattern has to be of list to compare against resource`);
  }
  for (const p of pattern) {
    if (!isMap(p)) {
      return plain(path, `invalid pattern type ${typeName(pattern)}: Pattern has to be of type map to compare against items in resource`);
    }
    const found = value.some((el, i) => matchElement(el, p, `${path}${i}/`, presence) === undefined);
    if (!found) return plain(path, `existence anchor validation failed at path ${path}`);
  }
  return undefined;
}

function matchArray(resource: unknown[], pattern: unknown[], path: string, presence: AnchorPresence): Mismatch | undefined {
  if (pattern.length === 0) return plain(path, 'pattern Array empty');
  const first = pattern[0];
  if (isMap(first)) return matchEachAgainst(resource, first, path, presence);
  if (isScalarPattern(first)) return matchElement(resource, first, path, presence);
  // A list of lists: element by element, as far as the pattern goes.
  if (resource.length < pattern.length) {
    return plain('', `validate Array failed, array length mismatch, resource Array len is ${resource.length} and pattern Array len is ${pattern.length}`);
  }
  return collectSkips(
    pattern.map((p, i) => () => matchElement(resource[i], p, `${path}${i}/`, presence)),
    path,
  );
}

/** Every element of the resource list against the pattern's (first) map. */
function matchEachAgainst(resource: unknown[], pattern: PlainMap, path: string, presence: AnchorPresence): Mismatch | undefined {
  return collectSkips(
    resource.map((el, i) => () => matchElement(el, pattern, `${path}${i}/`, presence)),
    path,
  );
}

/**
 * Runs the checks in order: the first real mismatch is returned; elements whose condition
 * failed are left out; if all were left out, the list as a whole did not meet the condition.
 */
function collectSkips(checks: (() => Mismatch | undefined)[], path: string): Mismatch | undefined {
  let applied = 0;
  const skipped: Mismatch[] = [];
  for (const check of checks) {
    const m = check();
    if (m === undefined) applied++;
    else if (skips(m)) skipped.push(m);
    else return m;
  }
  return applied === 0 && skipped.length > 0 ? aggregateSkips(skipped, path) : undefined;
}

function aggregateSkips(skipped: Mismatch[], path: string): Mismatch {
  return { kind: skipped[0]?.kind ?? 'conditional', path, message: skipped.map((s) => s.message).join('; '), aggregate: true };
}

/**
 * Kyverno's wildcard keys under metadata.labels / metadata.annotations: a pattern key with
 * `*` or `?` stands for the first resource key it matches (anchors kept), so that its value
 * is checked against that key's value; with no match the key stays as written.
 */
function expandMetadataWildcards(pattern: PlainMap, resource: PlainMap): PlainMap {
  const metaKey = findTagKey('metadata', pattern);
  if (metaKey === undefined) return pattern;
  const patternMeta = pattern[metaKey];
  const resourceMeta = resource['metadata'];
  if (!isMap(patternMeta) || !isMap(resourceMeta)) return pattern;
  let newMeta: PlainMap | undefined;
  for (const tag of ['labels', 'annotations']) {
    const tagKey = findTagKey(tag, patternMeta);
    if (tagKey === undefined) continue;
    const patternData = patternMeta[tagKey];
    const resourceTagKey = findTagKey(tag, resourceMeta);
    const resourceData = resourceTagKey === undefined ? undefined : resourceMeta[resourceTagKey];
    if (!isStringMap(patternData) || !isStringMap(resourceData)) continue;
    if (!Object.keys(patternData).some(containsWildcard)) continue;
    const expanded: PlainMap = {};
    for (const [k, v] of Object.entries(patternData)) {
      if (!containsWildcard(k)) {
        expanded[k] = v;
        continue;
      }
      const a = parseAnchor(k);
      const wanted = a ? a.key : k;
      const match = Object.keys(resourceData).find((rk) => wildcardMatch(wanted, rk)) ?? wanted;
      expanded[a ? `${a.modifier}(${match})` : match] = v;
    }
    newMeta = { ...(newMeta ?? patternMeta), [tagKey]: expanded };
  }
  return newMeta ? { ...pattern, [metaKey]: newMeta } : pattern;
}

function findTagKey(tag: string, map: PlainMap): string | undefined {
  return Object.keys(map).find((k) => k === tag || parseAnchor(k)?.key === tag);
}

function isStringMap(v: unknown): v is Record<string, string> {
  return isMap(v) && Object.values(v).every((x) => typeof x === 'string');
}

function typeName(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return '[]interface {}';
  if (isMap(v)) return 'map[string]interface {}';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v;
}

/** Go's `%v` rendering, for messages. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return '<nil>';
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort(byCodeUnit);
    return `map[${keys.map((k) => `${k}:${goValue(v[k])}`).join(' ')}]`;
  }
  return String(v);
}
