/**
 * Kyverno conditions: `preconditions` and `validate.deny.conditions` — `any`/`all` blocks (or
 * a legacy plain list, which means all) of `{key, operator, value}`, with variables read as
 * Kyverno reads them in conditions (unresolvable → empty string). Operator semantics follow
 * Kyverno's handlers: durations first, then resource quantities, numbers, wildcards.
 */
import { parseGoDuration } from '../../core/index.js';
import { globMatch } from './jmespath-functions.js';
import { substituteAll, type VariableData } from './variables.js';

/** A condition block that is not well formed (unknown operator, wrong shape). */
export class ConditionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConditionError';
  }
}

export interface Condition {
  key: unknown;
  operator: string;
  value?: unknown;
  message?: string;
}

const OPERATORS = new Set([
  'Equals',
  'Equal',
  'NotEquals',
  'NotEqual',
  'In',
  'NotIn',
  'AnyIn',
  'AllIn',
  'AnyNotIn',
  'AllNotIn',
  'GreaterThan',
  'GreaterThanOrEquals',
  'LessThan',
  'LessThanOrEquals',
  'DurationGreaterThan',
  'DurationGreaterThanOrEquals',
  'DurationLessThan',
  'DurationLessThanOrEquals',
]);

/** Go's fmt.Sprint of a JSON value, as Kyverno stringifies keys and values for set operators. */
function sprint(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '<nil>';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `[${v.map(sprint).join(' ')}]`;
  return `map[${Object.keys(v as object)
    .sort()
    .map((k) => `${k}:${sprint((v as Record<string, unknown>)[k])}`)
    .join(' ')}]`;
}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;
const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** A Kubernetes resource quantity ("500m", "1Gi", "2") as a number; undefined when it is not one. */
export function parseQuantity(text: string): number | undefined {
  const m = QUANTITY.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  const suf = m[2];
  if (!suf) return n;
  if (suf[0] === 'e' || suf[0] === 'E') {
    if (suf.length === 1) return n * SUFFIX.E!;
    return n * 10 ** Number(suf.slice(1));
  }
  return n * SUFFIX[suf]!;
}

/** Seconds of a duration operand: a Go duration string, or a number of seconds. */
function durationOf(v: unknown): number | undefined {
  if (typeof v === 'string') {
    const ms = parseGoDuration(v);
    return ms === undefined ? undefined : ms / 1000;
  }
  if (typeof v === 'number') return v;
  return undefined;
}

/** Kyverno's parseDuration: both sides are durations and at least one is written as one. */
function durations(key: unknown, value: unknown): [number, number] | undefined {
  if (typeof key !== 'string' && typeof value !== 'string') return undefined;
  const k = durationOf(key);
  const v = durationOf(value);
  if (k === undefined || v === undefined) return undefined;
  return [k, v];
}

function strictNumber(text: string): number | undefined {
  if (text.trim() === '' || text !== text.trim()) return undefined;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => k in (b as object) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Kyverno's Equals handler. */
export function equals(key: unknown, value: unknown): boolean {
  if (typeof key === 'boolean') return typeof value === 'boolean' && key === value;
  if (typeof key === 'number') {
    if (typeof value === 'number') return key === value;
    if (typeof value === 'string') {
      const n = strictNumber(value);
      return n !== undefined && n === key;
    }
    return false;
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return d[0] === d[1];
    const qk = parseQuantity(key);
    if (qk !== undefined && typeof value === 'string') {
      const qv = parseQuantity(value);
      return qv !== undefined && qk === qv;
    }
    if (typeof value === 'string') return globMatch(value, key);
    return false;
  }
  if (key !== null && typeof key === 'object') return deepEqual(key, value);
  return false;
}

function compareNumbers(key: number, value: number, op: string): boolean {
  switch (op) {
    case 'GreaterThan':
      return key > value;
    case 'GreaterThanOrEquals':
      return key >= value;
    case 'LessThan':
      return key < value;
    case 'LessThanOrEquals':
      return key <= value;
    default:
      return false;
  }
}

/** [major, minor, patch, prerelease] of a strict semver, or undefined. */
function semver(text: string): [number, number, number, string] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), m[4] ?? ''] : undefined;
}

function semverCmp(a: [number, number, number, string], b: [number, number, number, string]): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === '') return 1;
  if (b[3] === '') return -1;
  return a[3] < b[3] ? -1 : 1;
}

/** Kyverno's numeric handler (GreaterThan, LessThan, …): durations, quantities, numbers, semver. */
export function numeric(key: unknown, value: unknown, op: string): boolean {
  const numValue = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' ? strictNumber(v) : undefined);
  if (typeof key === 'number') {
    if (typeof value === 'string') {
      const d = durations(key, value);
      if (d) return compareNumbers(d[0], d[1], op);
    }
    const v = numValue(value);
    return v !== undefined && compareNumbers(key, v, op);
  }
  if (typeof key === 'string') {
    const d = durations(key, value);
    if (d) return compareNumbers(d[0], d[1], op);
    const qk = parseQuantity(key);
    if (qk !== undefined && typeof value === 'string') {
      const qv = parseQuantity(value);
      if (qv !== undefined) return compareNumbers(qk, qv, op);
    }
    const nk = strictNumber(key);
    if (nk !== undefined) return numeric(nk, value, op);
    const sk = semver(key);
    if (sk && typeof value === 'string') {
      const sv = semver(value);
      return sv !== undefined && compareNumbers(semverCmp(sk, sv), 0, op);
    }
    return false;
  }
  return false;
}

function durationOp(key: unknown, value: unknown, op: string): boolean {
  const k = durationOf(key);
  const v = durationOf(value);
  if (k === undefined || v === undefined) return false;
  return compareNumbers(k, v, op.replace(/^Duration/, ''));
}

const RANGE = /^(!?)(-?\d+(?:\.\d+)?)-(-?\d+(?:\.\d+)?)$/;

function inRange(key: string, range: string): boolean | undefined {
  const m = RANGE.exec(range);
  if (!m) return undefined;
  const n = strictNumber(key) ?? parseQuantity(key);
  if (n === undefined) return false;
  const inside = n >= Number(m[2]) && n <= Number(m[3]);
  return m[1] ? !inside : inside;
}

/** The value side of a set operator as strings: an array, a JSON array in a string, or one string. */
function valueSet(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(sprint);
  if (typeof value === 'number' || typeof value === 'boolean') return [sprint(value)];
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('[')) {
      try {
        const parsed = JSON.parse(t) as unknown;
        if (Array.isArray(parsed)) return parsed.map(sprint);
      } catch {
        /* not JSON: a single value */
      }
    }
    return [value];
  }
  return undefined;
}

function memberOf(k: string, set: string[]): boolean {
  return set.some((v) => globMatch(v, k) || globMatch(k, v));
}

function keyStrings(key: unknown): string[] | undefined {
  if (Array.isArray(key)) return key.map(sprint);
  if (typeof key === 'string' || typeof key === 'number' || typeof key === 'boolean') return [sprint(key)];
  return undefined;
}

/** AnyIn / AllIn / AnyNotIn / AllNotIn / In / NotIn. */
function setOperator(key: unknown, value: unknown, op: string): boolean {
  const keys = keyStrings(key);
  if (!keys) return false;
  // A range value ("1-10", "!1-10") for single keys and sets.
  if (typeof value === 'string' && RANGE.test(value)) {
    const hits = keys.map((k) => inRange(k, value) === true);
    switch (op) {
      case 'AnyIn':
      case 'In':
        return op === 'In' ? hits.every(Boolean) : hits.some(Boolean);
      case 'AllIn':
        return hits.every(Boolean);
      case 'AnyNotIn':
        return hits.some((h) => !h);
      case 'AllNotIn':
      case 'NotIn':
        return hits.every((h) => !h);
    }
  }
  const set = valueSet(value);
  if (!set) return false;
  const hits = keys.map((k) => memberOf(k, set));
  switch (op) {
    case 'AnyIn':
      return hits.some(Boolean);
    case 'AllIn':
    case 'In':
      return hits.every(Boolean);
    case 'AnyNotIn':
      return hits.some((h) => !h);
    case 'AllNotIn':
      return hits.every((h) => !h);
    case 'NotIn':
      return Array.isArray(key) ? hits.some((h) => !h) : !hits[0];
    default:
      return false;
  }
}

/** Evaluates one condition whose key and value are already substituted. */
export function evaluateOperator(key: unknown, operator: string, value: unknown): boolean {
  switch (operator) {
    case 'Equals':
    case 'Equal':
      return equals(key, value);
    case 'NotEquals':
    case 'NotEqual':
      return !equals(key, value);
    case 'GreaterThan':
    case 'GreaterThanOrEquals':
    case 'LessThan':
    case 'LessThanOrEquals':
      return numeric(key, value, operator);
    case 'DurationGreaterThan':
    case 'DurationGreaterThanOrEquals':
    case 'DurationLessThan':
    case 'DurationLessThanOrEquals':
      return durationOp(key, value, operator);
    default:
      return setOperator(key, value, operator);
  }
}

function asConditions(list: unknown, where: string): Condition[] {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ConditionError(`${where}: expected a list of conditions`);
  return list.map((c, i) => {
    if (c === null || typeof c !== 'object') throw new ConditionError(`${where}[${i}]: expected {key, operator, value}`);
    const cond = c as Record<string, unknown>;
    const op = typeof cond.operator === 'string' ? cond.operator : '';
    if (!OPERATORS.has(op)) throw new ConditionError(`${where}[${i}].operator: unknown operator ${JSON.stringify(cond.operator ?? '')}`);
    return { key: cond.key, operator: op, value: cond.value, message: typeof cond.message === 'string' ? cond.message : undefined };
  });
}

/** Checks a conditions block's shape without evaluating it (for parsing). */
export function checkConditions(block: unknown, where: string): void {
  if (block === undefined || block === null) return;
  if (Array.isArray(block)) {
    asConditions(block, where);
    return;
  }
  if (typeof block !== 'object') throw new ConditionError(`${where}: expected any/all conditions`);
  const b = block as Record<string, unknown>;
  asConditions(b.any, `${where}.any`);
  asConditions(b.all, `${where}.all`);
}

function evalOne(c: Condition, data: VariableData): boolean {
  const key = substituteAll(c.key, data, 'conditions');
  const value = substituteAll(c.value, data, 'conditions');
  return evaluateOperator(key, c.operator, value);
}

function joinNonEmpty(parts: (string | undefined)[], sep: string): string {
  return parts.filter((p): p is string => p !== undefined && p !== '').join(sep);
}

/** The outcome of a conditions block and Kyverno's message for it (the conditions' own `message`s). */
export interface ConditionsOutcome {
  result: boolean;
  /** Messages of the conditions that decided: those that held when true, those that failed when false. */
  message: string;
}

/**
 * Evaluates an any/all block (or a legacy list, meaning all): true when every `all` condition
 * and at least one `any` condition (if there are any) hold. An empty block is true. The message
 * joins the `message` of the conditions that decided, as Kyverno reports them.
 */
export function evaluateConditionsWithMessage(block: unknown, data: VariableData, where = 'conditions'): ConditionsOutcome {
  if (block === undefined || block === null) return { result: true, message: '' };
  if (Array.isArray(block)) {
    const held: string[] = [];
    for (const c of asConditions(block, where)) {
      if (!evalOne(c, data)) return { result: false, message: c.message ?? '' };
      if (c.message) held.push(c.message);
    }
    return { result: true, message: held.join(';') };
  }
  if (typeof block !== 'object') throw new ConditionError(`${where}: expected any/all conditions`);
  const b = block as Record<string, unknown>;
  const any = asConditions(b.any, `${where}.any`);
  const all = asConditions(b.all, `${where}.all`);
  const held: (string | undefined)[] = [];
  const failed: (string | undefined)[] = [];
  let anyOk = true;
  if (b.any !== undefined && b.any !== null) {
    anyOk = false;
    for (const c of any) {
      if (evalOne(c, data)) {
        anyOk = true;
        held.push(c.message);
        break;
      }
      failed.push(c.message);
    }
  }
  let allOk = true;
  for (const c of all) {
    if (!evalOne(c, data)) {
      allOk = false;
      failed.push(c.message);
      break;
    }
    held.push(c.message);
  }
  const result = anyOk && allOk;
  return { result, message: joinNonEmpty(result ? held : failed, '; ') };
}

/** evaluateConditionsWithMessage without the message. */
export function evaluateConditions(block: unknown, data: VariableData, where = 'conditions'): boolean {
  return evaluateConditionsWithMessage(block, data, where).result;
}
