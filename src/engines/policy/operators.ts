/**
 * Kyverno's scalar pattern values: how one resource value is checked against one pattern
 * value (`nginx:*`, `>=1Gi`, `!Always`, `1-10`, `*:latest | !*:*`, `true`, `0`, `null`).
 * Pure; Kyverno's own behaviour, quirks included, so that results agree with its CLI:
 * - `|` separates alternatives and `&` conditions inside one, each trimmed of spaces;
 * - a condition may start with `>=`, `<=`, `>`, `<` or `!`, or be a range `a-b` (inside,
 *   bounds included) or `a!-b` (outside);
 * - the operand is tried as a Go duration (`1h30m`), then as a Kubernetes quantity (`500m`,
 *   `2Gi`, `3`), then compared as a string with wildcards (`=`, `!` only);
 * - numbers, booleans and null patterns compare with Kyverno's type coercion.
 */
import { parseDurationOrUndefined as parseGoDuration } from '../goruntime/index.js';
import { compareQuantities, parseQuantity } from './quantity.js';
import { wildcardMatch } from './wildcard.js';

export type Operator = '' | '>=' | '<=' | '>' | '<' | '!' | '-' | '!-';

const NUMBER_WITH_UNIT = String.raw`([-|+]?\d+(?:\.\d+)?[A-Za-z]*)`;
export const IN_RANGE = new RegExp(`^${NUMBER_WITH_UNIT}-${NUMBER_WITH_UNIT}$`);
export const NOT_IN_RANGE = new RegExp(`^${NUMBER_WITH_UNIT}!-${NUMBER_WITH_UNIT}$`);

/** The operator a condition starts with ('' is equality), as Kyverno reads it. */
export function operatorOf(condition: string): Operator {
  if (condition.length < 2) return '';
  for (const op of ['>=', '<=', '>', '<', '!'] as const) if (condition.startsWith(op)) return op;
  if (NOT_IN_RANGE.test(condition)) return '!-';
  if (IN_RANGE.test(condition)) return '-';
  return '';
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Checks one resource value against one pattern value that is not a map or list
 * (Kyverno's pattern.Validate). Also used for the values of conditions.
 */
export function compareValue(actual: unknown, patternValue: unknown): boolean {
  if (patternValue === null || patternValue === undefined) return matchesNullPattern(actual);
  switch (typeof patternValue) {
    case 'boolean':
      return typeof actual === 'boolean' && actual === patternValue;
    case 'number':
      return matchesNumberPattern(actual, patternValue);
    case 'bigint':
      return matchesNumberPattern(actual, Number(patternValue));
    case 'string':
      return matchesStringPattern(actual, patternValue);
    default:
      // A map pattern only asks for a map; a list is never a scalar pattern.
      return isMap(patternValue) ? isMap(actual) : false;
  }
}

function matchesNullPattern(actual: unknown): boolean {
  if (actual === null || actual === undefined) return true;
  if (typeof actual === 'number') return actual === 0;
  if (typeof actual === 'bigint') return actual === 0n;
  if (typeof actual === 'string') return actual === '';
  if (typeof actual === 'boolean') return !actual;
  return false;
}

/** Go's strconv.ParseFloat, for the decimal forms YAML and JSON produce. */
function parseGoFloat(s: string): number | undefined {
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) {
    const n = Number(s);
    return Number.isFinite(n) ? n : undefined;
  }
  const lower = s.toLowerCase();
  if (/^[+-]?(?:inf|infinity)$/.test(lower)) return lower.startsWith('-') ? -Infinity : Infinity;
  if (lower === 'nan') return NaN;
  return undefined;
}

function matchesNumberPattern(actual: unknown, pattern: number): boolean {
  if (typeof actual === 'number') return actual === pattern;
  if (typeof actual === 'bigint') return Number.isInteger(pattern) && BigInt(pattern) === actual;
  if (typeof actual === 'string') {
    const n = parseGoFloat(actual);
    return n !== undefined && n === pattern;
  }
  return false;
}

function matchesStringPattern(actual: unknown, pattern: string): boolean {
  if (actual === pattern) return true;
  for (const alternative of pattern.split('|')) {
    const conditions = trimSpaces(alternative).split('&');
    if (conditions.every((c) => matchesCondition(actual, trimSpaces(c)))) return true;
  }
  return false;
}

/** Go's strings.Trim(s, " "): spaces only, not tabs or newlines. */
function trimSpaces(s: string): string {
  return s.replace(/^ +| +$/g, '');
}

function matchesCondition(actual: unknown, condition: string): boolean {
  const op = operatorOf(condition);
  if (op === '-') {
    const m = IN_RANGE.exec(condition);
    return !!m && matchesCondition(actual, `>= ${m[1]}`) && matchesCondition(actual, `<= ${m[2]}`);
  }
  if (op === '!-') {
    const m = NOT_IN_RANGE.exec(condition);
    return !!m && (matchesCondition(actual, `< ${m[1]}`) || matchesCondition(actual, `> ${m[2]}`));
  }
  return compareOperand(actual, condition.slice(op.length).trim(), op);
}

function verdict(cmp: -1 | 0 | 1, op: Operator): boolean | undefined {
  switch (op) {
    case '':
      return cmp === 0;
    case '!':
      return cmp !== 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    default:
      return undefined;
  }
}

function compareOperand(actual: unknown, operand: string, op: Operator): boolean {
  const asNumberText = numberText(actual);
  const patternDuration = parseGoDuration(operand);
  if (patternDuration !== undefined && asNumberText !== undefined) {
    const valueDuration = parseGoDuration(asNumberText);
    if (valueDuration !== undefined) {
      const cmp = valueDuration < patternDuration ? -1 : valueDuration > patternDuration ? 1 : 0;
      const v = verdict(cmp, op);
      if (v !== undefined) return v;
    }
  }
  const patternQuantity = parseQuantity(operand);
  if (patternQuantity !== undefined && asNumberText !== undefined) {
    const valueQuantity = parseQuantity(asNumberText);
    if (valueQuantity !== undefined) {
      const v = verdict(compareQuantities(valueQuantity, patternQuantity), op);
      if (v !== undefined) return v;
    }
  }
  if (op !== '' && op !== '!') return false; // >, <, >=, <= do not apply to strings
  const text = stringText(actual);
  if (text === undefined) return false;
  const matched = wildcardMatch(operand, text);
  return op === '!' ? !matched : matched;
}

/** Go's integer formatting for whole numbers (what int64 values print as). */
function integerText(n: number): string {
  return Number.isSafeInteger(n) ? String(n) : BigInt(Math.trunc(n)).toString();
}

/**
 * The resource value as Kyverno hands it to the duration and quantity parsers: a missing
 * value is "0", whole numbers print as integers, other numbers with `%f` (6 decimals).
 */
function numberText(v: unknown): string | undefined {
  if (v === null || v === undefined) return '0';
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    return Number.isInteger(v) ? integerText(v) : v.toFixed(6);
  }
  return undefined;
}

/** Go's strconv.FormatFloat(v, 'E', -1, 64): shortest digits, `E`, signed two-digit exponent. */
export function goFloatE(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : '-Inf';
  const [mantissa, exponent] = v.toExponential().split('e') as [string, string];
  const sign = exponent.startsWith('-') ? '-' : '+';
  const digits = exponent.replace(/^[+-]/, '').padStart(2, '0');
  return `${mantissa}E${sign}${digits}`;
}

/** The resource value as a string for wildcard comparison; undefined for null, maps, lists. */
function stringText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? integerText(v) : goFloatE(v);
  return undefined;
}
