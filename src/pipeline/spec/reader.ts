// Typed reads of a YAML document's nodes that fail with InputError at the node's
// file:line:column and name the field path (`spec.stages[2].steps[0].deploy.chart`).
import { isAlias, isMap, isScalar, isSeq, type Document, type LineCounter, type Node, type Scalar, type YAMLMap } from 'yaml';
import { InputError, parseGoDuration, type SourceLocation } from '../../core/index.js';
import { fieldPath } from './interpolate.js';
import { suggest } from './suggest.js';

/** A node and the field path it was reached by. */
export interface Val {
  node: Node;
  path: string;
}

/** A mapping whose keys have been checked against the allowed field names. */
export interface Obj extends Val {
  node: YAMLMap;
  fields: Map<string, { key: Scalar; value: Node | null }>;
}

export class Reader {
  constructor(
    readonly file: string,
    private readonly text: string,
    private readonly lines: LineCounter,
    private readonly doc: Document.Parsed,
  ) {}

  /** file:line:column of the start of `node` (the document start when it has no range). */
  loc(node: Node | null | undefined): SourceLocation {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return { file: this.file, line: pos.line, column: pos.col };
  }

  fail(node: Node | null | undefined, path: string, problem: string): never {
    throw new InputError(path ? `${path}: ${problem}` : problem, this.loc(node));
  }

  /** The node an alias stands for; other nodes as they are. */
  deref(node: Node | null | undefined): Node | null | undefined {
    return isAlias(node) ? (node.resolve(this.doc) as Node | undefined) : node;
  }

  root(): Val | undefined {
    const n = this.deref(this.doc.contents as Node | null);
    return n && !isNullNode(n) ? { node: n, path: '' } : undefined;
  }

  /** `v` as a mapping whose keys are all in `allowed`. */
  map(v: Val, allowed: readonly string[], what = 'a mapping'): Obj {
    if (!isMap(v.node)) this.fail(v.node, v.path, `expected ${what}, got ${describe(v.node)}`);
    const fields = new Map<string, { key: Scalar; value: Node | null }>();
    for (const pair of v.node.items) {
      const key = this.deref(pair.key as Node | null);
      if (!isScalar(key) || typeof key.value !== 'string') this.fail(key ?? v.node, v.path, `field names must be strings, got ${describe(key)}`);
      const name = key.value;
      const path = fieldPath(v.path, name);
      if (!allowed.includes(name)) {
        const s = suggest(name, allowed);
        this.fail(key, path, `unknown field${s ? ` (did you mean ${s}?)` : ''}`);
      }
      fields.set(name, { key, value: this.deref(pair.value as Node | null) ?? null });
    }
    return { node: v.node, path: v.path, fields };
  }

  /** Like {@link map} for a free-form mapping: any string keys. */
  anyMap(v: Val, what = 'a mapping'): Obj {
    if (!isMap(v.node)) this.fail(v.node, v.path, `expected ${what}, got ${describe(v.node)}`);
    const keys = v.node.items.map((p) => {
      const key = this.deref(p.key as Node | null);
      if (!isScalar(key) || key.value === null || typeof key.value === 'object') this.fail(key ?? v.node, v.path, `keys must be strings, got ${describe(key)}`);
      return String(key.value);
    });
    return this.map(v, keys, what);
  }

  /** The value of `key`, or undefined when it is absent or written empty (`key:` / `key: null`). */
  get(o: Obj, key: string): Val | undefined {
    const f = o.fields.get(key);
    if (!f || f.value === null || isNullNode(f.value)) return undefined;
    return { node: f.value, path: fieldPath(o.path, key) };
  }

  has(o: Obj, key: string): boolean {
    return this.get(o, key) !== undefined;
  }

  /** Where key `key` of `o` is written (the mapping when absent). */
  keyNode(o: Obj, key: string): Node {
    return o.fields.get(key)?.key ?? o.node;
  }

  /** The value of a required field; a missing or empty one is an error at the mapping (or the key). */
  need(o: Obj, key: string, why?: string): Val {
    const v = this.get(o, key);
    if (v) return v;
    const f = o.fields.get(key);
    const path = fieldPath(o.path, key);
    if (f) this.fail(f.key, path, `must not be empty${why ? ` (${why})` : ''}`);
    return this.fail(o.node, path, `required field is missing${why ? ` (${why})` : ''}`);
  }

  str(v: Val): string {
    const n = v.node;
    if (!isScalar(n) || typeof n.value !== 'string') this.fail(n, v.path, `expected a string, got ${describe(n)}`);
    return n.value;
  }

  /** A string, or a number or boolean written as YAML wrote it (`0`, `1.10`, `true`). */
  scalarStr(v: Val): string {
    const n = v.node;
    if (isScalar(n)) {
      if (typeof n.value === 'string') return n.value;
      if (typeof n.value === 'number' || typeof n.value === 'boolean' || typeof n.value === 'bigint') {
        if (n.type === 'PLAIN' && n.range) return this.text.slice(n.range[0], n.range[1]);
        return String(n.value);
      }
    }
    return this.fail(n, v.path, `expected a string, number or boolean, got ${describe(n)}`);
  }

  bool(v: Val): boolean {
    const n = v.node;
    if (!isScalar(n) || typeof n.value !== 'boolean') this.fail(n, v.path, `expected true or false, got ${describe(n)}`);
    return n.value;
  }

  int(v: Val, min = 0): number {
    const n = v.node;
    if (!isScalar(n) || typeof n.value !== 'number' || !Number.isInteger(n.value)) this.fail(n, v.path, `expected a whole number, got ${describe(n)}`);
    if (n.value < min) this.fail(n, v.path, `must be at least ${min}, got ${n.value}`);
    return n.value;
  }

  num(v: Val, min: number, max: number): number {
    const n = v.node;
    if (!isScalar(n) || typeof n.value !== 'number' || !Number.isFinite(n.value)) this.fail(n, v.path, `expected a number, got ${describe(n)}`);
    if (n.value < min || n.value > max) this.fail(n, v.path, `must be between ${min} and ${max}, got ${n.value}`);
    return n.value;
  }

  /** One of `choices`. */
  choice<T extends string>(v: Val, choices: readonly T[]): T {
    const s = this.str(v);
    if (!(choices as readonly string[]).includes(s)) this.fail(v.node, v.path, `must be one of ${choices.join(', ')}, got "${s}"`);
    return s as T;
  }

  /** Milliseconds of a positive Go-style duration (`90s`, `5m`, `1h30m`, `500ms`). */
  duration(v: Val): number {
    const n = v.node;
    if (!isScalar(n) || typeof n.value !== 'string') {
      this.fail(n, v.path, `expected a duration such as 90s, 5m or 1h30m, got ${describe(n)}${isScalar(n) && typeof n.value === 'number' ? ' (give a unit)' : ''}`);
    }
    const ms = parseGoDuration(n.value);
    if (ms === undefined) this.fail(n, v.path, `invalid duration "${n.value}" (Go style: 90s, 5m, 1h30m, 500ms)`);
    if (ms <= 0) this.fail(n, v.path, `duration must be positive, got "${n.value}"`);
    return ms;
  }

  list(v: Val): Val[] {
    const n = v.node;
    if (!isSeq(n)) this.fail(n, v.path, `expected a list, got ${describe(n)}`);
    return n.items.map((item, i) => {
      const node = this.deref(item as Node | null);
      const path = `${v.path}[${i}]`;
      if (!node || isNullNode(node)) return this.fail(node?.range ? node : n, path, 'empty list entry');
      return { node, path };
    });
  }

  strList(v: Val): string[] {
    return this.list(v).map((e) => this.str(e));
  }

  /** A mapping of strings to strings; numbers and booleans are kept as written. */
  strMap(v: Val, keyCheck?: (key: string, key_node: Node, path: string) => void): Record<string, string> {
    const o = this.anyMap(v);
    const out: Record<string, string> = {};
    for (const [k, f] of o.fields) {
      const path = fieldPath(o.path, k);
      keyCheck?.(k, f.key, path);
      if (f.value === null || isNullNode(f.value)) this.fail(f.key, path, `expected a string, number or boolean, got null (write "" for an empty value)`);
      out[k] = this.scalarStr({ node: f.value, path });
    }
    return out;
  }
}

function isNullNode(n: Node): boolean {
  return isScalar(n) && n.value === null;
}

/** "a list", "a mapping", "the number 3", "the string "x"", for errors. */
export function describe(n: Node | null | undefined): string {
  if (!n || (isScalar(n) && n.value === null)) return 'null';
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isScalar(n)) {
    const v = n.value;
    if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
    if (typeof v === 'number' || typeof v === 'bigint') return `the number ${String(v)}`;
    if (typeof v === 'boolean') return `the boolean ${v}`;
  }
  return 'an unsupported value';
}
