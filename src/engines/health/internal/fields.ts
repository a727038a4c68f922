/**
 * Defensive readers for live objects. Live objects come from the apiserver as plain JSON, but
 * a health check must still survive a CRD with a free-form status or a hand-written fixture,
 * so every reader separates "absent" (use the default) from "present with the wrong type"
 * (throw {@link MalformedFieldError}, which `assessHealth` turns into `Unknown`).
 */

/** A field holds the wrong JSON type. Never leaves the health module. */
export class MalformedFieldError extends Error {
  override readonly name = 'MalformedFieldError';
}

/** A JSON object. */
export type JsonRecord = Record<string, unknown>;

/** True for a JSON object (not null, not a list). */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** "a string", "a list", "null": used in error messages. */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function malformed(where: string, value: unknown, expected: string): MalformedFieldError {
  return new MalformedFieldError(`${where} is ${describeType(value)}, expected ${expected}`);
}

/**
 * The value at a dotted path such as `status.loadBalancer.ingress`. Absent and `null` both read
 * as undefined, because the apiserver drops empty fields and clients write null for them.
 */
export function lookup(root: unknown, path: string): unknown {
  let current: unknown = root;
  let walked = '';
  for (const part of path.split('.')) {
    if (current === undefined || current === null) return undefined;
    if (!isRecord(current)) throw malformed(walked || 'the object', current, 'an object');
    current = current[part];
    walked = walked ? `${walked}.${part}` : part;
  }
  return current ?? undefined;
}

/** An integer value, or `fallback` when absent. */
export function asInt(value: unknown, where: string, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  throw malformed(where, value, 'an integer');
}

/** A string value, or `fallback` when absent. */
export function asString(value: unknown, where: string, fallback = ''): string {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'string') return value;
  throw malformed(where, value, 'a string');
}

/** A boolean value, or `fallback` when absent. */
export function asBool(value: unknown, where: string, fallback = false): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value === 'boolean') return value;
  throw malformed(where, value, 'a boolean');
}

/** A list value, or an empty list when absent. */
export function asList(value: unknown, where: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw malformed(where, value, 'a list');
}

/** An object value, or undefined when absent. */
export function asRecord(value: unknown, where: string): JsonRecord | undefined {
  if (value === undefined || value === null) return undefined;
  if (isRecord(value)) return value;
  throw malformed(where, value, 'an object');
}

/** Integer at `path`; `fallback` when absent. */
export function readInt(root: unknown, path: string, fallback: number): number {
  return asInt(lookup(root, path), path, fallback);
}

/** String at `path`; `fallback` when absent. */
export function readString(root: unknown, path: string, fallback = ''): string {
  return asString(lookup(root, path), path, fallback);
}

/** Boolean at `path`; `fallback` when absent. */
export function readBool(root: unknown, path: string, fallback = false): boolean {
  return asBool(lookup(root, path), path, fallback);
}

/** List at `path`; empty when absent. */
export function readList(root: unknown, path: string): unknown[] {
  return asList(lookup(root, path), path);
}

/** Object at `path`; undefined when absent. */
export function readRecord(root: unknown, path: string): JsonRecord | undefined {
  return asRecord(lookup(root, path), path);
}
