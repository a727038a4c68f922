// Typed reads of an unknown object tree that fail with an AppSpecError naming the object, the
// field path and the value, so each parser states only what it expects.
import { AppSpecError, formatAppRef, type AppObjectRef } from '../errors.js';
import { parseGoDuration } from './duration.js';

export type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `spec.sources[1].helm` from `spec.sources` and 1 and `helm`. */
export function at(path: string, key: string | number): string {
  return typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key;
}

/** Reads the fields of one object; collects warnings for fields that are read but not acted on. */
export class Fields {
  readonly warnings: string[] = [];

  constructor(readonly object: AppObjectRef) {}

  fail(path: string, problem: string, value?: unknown): never {
    throw new AppSpecError(this.object, path, problem, value);
  }

  warn(path: string, message: string): void {
    this.warnings.push(`${formatAppRef(this.object)}: ${path}: ${message}`);
  }

  /** The child at `key` of `parent` (an object read by {@link obj}); `undefined` and `null` read as absent. */
  get(parent: Obj | undefined, key: string): unknown {
    const v = parent?.[key];
    return v === null ? undefined : v;
  }

  obj(v: unknown, path: string): Obj | undefined {
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) this.fail(path, 'expected an object', v);
    return v;
  }

  list(v: unknown, path: string): unknown[] | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(path, 'expected a list', v);
    return v;
  }

  /** A list of objects; each entry is checked to be an object. */
  objList(v: unknown, path: string): Obj[] {
    return (this.list(v, path) ?? []).map((e, i) => this.obj(e, at(path, i)) ?? this.fail(at(path, i), 'expected an object', e));
  }

  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') this.fail(path, 'expected a string', v);
    return v;
  }

  /** A string that must be present and not empty. */
  reqStr(v: unknown, path: string): string {
    const s = this.str(v, path);
    if (s === undefined || s === '') this.fail(path, 'is required');
    return s;
  }

  bool(v: unknown, path: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') this.fail(path, 'expected true or false', v);
    return v;
  }

  int(v: unknown, path: string): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v)) this.fail(path, 'expected an integer', v);
    return v;
  }

  strList(v: unknown, path: string): string[] | undefined {
    const l = this.list(v, path);
    return l?.map((e, i) => this.str(e, at(path, i)) ?? this.fail(at(path, i), 'expected a string', e));
  }

  /** A map of strings (labels, annotations, substitutions). */
  strMap(v: unknown, path: string): Record<string, string> | undefined {
    const o = this.obj(v, path);
    if (!o) return undefined;
    const out: Record<string, string> = {};
    for (const [k, e] of Object.entries(o)) out[k] = this.str(e, at(path, k)) ?? this.fail(at(path, k), 'expected a string', e);
    return out;
  }

  /** A Go duration ("1m30s") in milliseconds; `positive` rejects zero as well as negatives. */
  goDuration(v: unknown, path: string, opts: { positive?: boolean } = {}): number | undefined {
    const s = this.str(v, path);
    if (s === undefined) return undefined;
    const ms = parseGoDuration(s);
    if (ms === undefined) this.fail(path, 'expected a Go duration such as "5m" or "1m30s"', s);
    if (ms < 0 || (opts.positive && ms === 0)) this.fail(path, `expected a ${opts.positive ? 'positive' : 'non-negative'} duration`, s);
    return ms;
  }

  /** Warns for each key of `o` (at `path`) outside `known`; Slipway ignores them. */
  warnUnknown(o: Obj | undefined, path: string, known: readonly string[]): void {
    for (const k of Object.keys(o ?? {})) if (!known.includes(k)) this.warn(at(path, k), 'unknown field, ignored');
  }
}
