import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type SourceLocation } from '../../core/index.js';
import { findFiles } from '../files.js';
import { suggest } from './suggest.js';

/** What `${...}` references resolve against. */
export interface Lookup {
  /** Every variable: built-ins, pipeline/stage/step env, secrets (and params, as variables). */
  vars: Record<string, string>;
  /** Parameters, for `${params.NAME}`. */
  params: Record<string, string>;
}

/** One reference of a template: `${NAME}`, `${env.NAME}`, `${params.NAME}` or `${hashFiles:GLOB}`. */
export interface Reference {
  scope: 'var' | 'params' | 'hashFiles';
  /** Variable or parameter name, or the glob of hashFiles. */
  name: string;
  /** The reference as written, `${params.TARGET}`. */
  raw: string;
  /** Offset of the `$` in the text. */
  offset: number;
}

/** A template split into literal text (with `$${` already turned into `${`) and references. */
export type TemplatePart = string | Reference;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Splits `text` into literal parts and references. A malformed reference throws InputError
 * `<field>: ...`; `offset` in `problem` callers can turn into a column.
 */
export function scanTemplate(text: string, field: string, at?: SourceLocation): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let lit = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      lit += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      lit += text[i];
      i++;
      continue;
    }
    const end = text.indexOf('}', i + 2);
    if (end < 0) throw new InputError(`${field}: unterminated "\${" in "${text}" (write $\${ for a literal \${)`, at);
    const inner = text.slice(i + 2, end);
    const raw = text.slice(i, end + 1);
    const ref = parseReference(inner, raw, i);
    if (!ref) {
      throw new InputError(`${field}: bad reference "${raw}": expected \${NAME}, \${env.NAME} or \${params.NAME} (names are letters, digits and _)`, at);
    }
    if (lit) parts.push(lit);
    lit = '';
    parts.push(ref);
    i = end + 1;
  }
  if (lit) parts.push(lit);
  return parts;
}

function parseReference(inner: string, raw: string, offset: number): Reference | undefined {
  if (inner.startsWith('hashFiles:')) {
    const glob = inner.slice('hashFiles:'.length);
    return glob ? { scope: 'hashFiles', name: glob, raw, offset } : undefined;
  }
  const dot = inner.indexOf('.');
  if (dot >= 0) {
    const scope = inner.slice(0, dot);
    const name = inner.slice(dot + 1);
    if ((scope !== 'env' && scope !== 'params') || !NAME.test(name)) return undefined;
    return { scope: scope === 'env' ? 'var' : 'params', name, raw, offset };
  }
  return NAME.test(inner) ? { scope: 'var', name: inner, raw, offset } : undefined;
}

/** The value of one reference; InputError naming `field` when it is unknown. */
export function resolveReference(ref: Reference, lookup: Lookup, field: string, at?: SourceLocation): string {
  if (ref.scope === 'hashFiles') throw new InputError(`${field}: ${ref.raw} is only allowed in cache keys`, at);
  if (ref.scope === 'params') {
    const v = lookup.params[ref.name];
    if (v === undefined) throw new InputError(`${field}: unknown parameter "${ref.name}" in ${ref.raw}${hint(ref.name, Object.keys(lookup.params))}`, at);
    return v;
  }
  // A parameter is a variable too (every param is in the step environment).
  const v = lookup.vars[ref.name] ?? lookup.params[ref.name];
  if (v === undefined) {
    const known = [...Object.keys(lookup.vars), ...Object.keys(lookup.params)];
    throw new InputError(`${field}: unknown variable "${ref.name}" in ${ref.raw}${hint(ref.name, known)}`, at);
  }
  return v;
}

function hint(name: string, known: string[]): string {
  const s = suggest(name, known);
  return s ? ` (did you mean ${s}?)` : '';
}

/**
 * `text` with every `${NAME}`, `${env.NAME}` and `${params.NAME}` replaced and `$${` written
 * as `${`. An unknown name or a malformed reference throws InputError naming `field`.
 */
export function interpolate(text: string, lookup: Lookup, field: string, at?: SourceLocation): string {
  if (!text.includes('${')) return text;
  return scanTemplate(text, field, at)
    .map((p) => (typeof p === 'string' ? p : resolveReference(p, lookup, field, at)))
    .join('');
}

/** Options of {@link interpolateDeep}. */
export interface InterpolateDeepOptions {
  /** Object keys whose values are left alone at any depth (e.g. `script`, `at`). @default [] */
  skipKeys?: readonly string[];
}

/**
 * {@link interpolate} applied to every string inside `value` (objects and arrays are copied;
 * keys are not interpolated). Field names in errors extend `field`: `env.IMAGE`, `values[1]`.
 */
export function interpolateDeep<T>(value: T, lookup: Lookup, field: string, at?: SourceLocation, options: InterpolateDeepOptions = {}): T {
  const skip = new Set(options.skipKeys ?? []);
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') return interpolate(v, lookup, path, at);
    if (Array.isArray(v)) return v.map((e, i) => walk(e, `${path}[${i}]`));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, e] of Object.entries(v)) out[k] = skip.has(k) ? e : walk(e, fieldPath(path, k));
      return out;
    }
    return v;
  };
  return walk(value, field) as T;
}

/** `a.b`, or `a["x.y"]` for a key that is not a plain word. */
export function fieldPath(path: string, key: string): string {
  const k = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : JSON.stringify(key);
  if (!path) return k;
  return k.startsWith('"') ? `${path}[${k}]` : `${path}.${k}`;
}

/**
 * A cache key with its references resolved; `${hashFiles:GLOB}` is the first 16 hex digits of
 * a sha256 over the matching workspace files (each file's own sha256, in sorted path order,
 * as GitHub's hashFiles does), or the empty string when no file matches. `.git` is skipped.
 */
export async function cacheKey(key: string, workspace: string, lookup: Lookup, field = 'cache key', at?: SourceLocation): Promise<string> {
  const parts = scanTemplate(key, field, at);
  const out: string[] = [];
  for (const p of parts) {
    if (typeof p === 'string') out.push(p);
    else if (p.scope === 'hashFiles') out.push(await hashFiles(workspace, p.name));
    else out.push(resolveReference(p, lookup, field, at));
  }
  return out.join('');
}

/** The hash of `${hashFiles:GLOB}` (see {@link cacheKey}); '' when nothing matches. */
export async function hashFiles(workspace: string, glob: string): Promise<string> {
  const files = await findFiles(workspace, [glob]);
  if (files.length === 0) return '';
  const all = createHash('sha256');
  for (const f of files) all.update(createHash('sha256').update(await readFile(join(workspace, f))).digest());
  return all.digest('hex').slice(0, 16);
}
