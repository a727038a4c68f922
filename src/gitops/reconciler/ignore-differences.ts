import type { KubeObject, ResourceKey } from '../../core/index.js';
import type { IgnoreDifference } from '../models/index.js';

export type { IgnoreDifference };

/** Thrown for a jq expression outside the supported subset; the message names the expression. */
export class JqSubsetError extends Error {}

/** The rules that apply to one object (argo-cd's app-level matching: group and kind exact or '*', name and namespace when given). */
export function matchingRules(rules: readonly IgnoreDifference[], key: ResourceKey): IgnoreDifference[] {
  return rules.filter(
    (r) =>
      (r.group === '*' || (r.group ?? '') === key.group) &&
      (r.kind === '*' || r.kind === key.kind) &&
      (!r.name || r.name === key.name) &&
      (!r.namespace || r.namespace === key.namespace),
  );
}

/**
 * Removes the ignored fields from a copy of `obj`. `managedBy` is the live object, whose
 * managedFields say which fields the listed managers own; the same fields are removed from
 * both sides of a comparison, so the caller passes the live object for both.
 * Paths that do not exist are skipped, as in Argo CD.
 */
export function applyIgnoreDifferences(obj: KubeObject, rules: readonly IgnoreDifference[], managedBy?: KubeObject): KubeObject {
  if (rules.length === 0) return obj;
  const out = structuredClone(obj);
  for (const rule of rules) {
    for (const pointer of rule.jsonPointers ?? []) removePath(out, parsePointer(pointer));
    for (const expr of rule.jqPathExpressions ?? []) {
      // Delete from the end so that removing an array element does not move the others.
      const paths = jqPaths(out, expr).sort(comparePathsDescending);
      for (const p of paths) removePath(out, p);
    }
    if (rule.managedFieldsManagers?.length && managedBy) {
      for (const fields of managerFields(managedBy, rule.managedFieldsManagers)) removeOwnedLeaves(out, fields);
    }
  }
  return out;
}

type Path = (string | number)[];

/** RFC 6901: "/a/b~1c/0" -> ['a', 'b/c', '0'] (array indices stay strings until resolved). */
/**
 * Argo CD `RespectIgnoreDifferences=true` (argo-cd controller/sync.go normalizeTargetResources):
 * the object to apply with its ignored fields taken from the live object — removed from
 * `desired`, then set to the live value wherever the live object has one — so that a sync
 * leaves them as they are. Fields ignored by manager are only removed (whoever owns them keeps them).
 */
export function withLiveIgnoredFields(desired: KubeObject, live: KubeObject, rules: readonly IgnoreDifference[]): KubeObject {
  if (rules.length === 0) return desired;
  const out = applyIgnoreDifferences(desired, rules, live);
  const copy = (path: Path) => {
    const v = valueAt(live, path);
    if (v !== undefined) setPath(out, path, structuredClone(v));
  };
  for (const rule of rules) {
    for (const pointer of rule.jsonPointers ?? []) copy(parsePointer(pointer));
    for (const expr of rule.jqPathExpressions ?? []) for (const p of jqPaths(live, expr)) copy(p);
  }
  return out;
}

/** Sets `value` at `path`, making missing objects on the way; an array index past the end appends only at the end. */
function setPath(root: unknown, path: readonly (string | number)[], value: unknown): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (let i = 0; i < path.length - 1; i++) {
    let next = child(node, path[i]!);
    if (next === undefined || next === null || typeof next !== 'object') {
      if (Array.isArray(node) || !node || typeof node !== 'object') return;
      next = typeof path[i + 1] === 'number' ? [] : {};
      (node as Record<string, unknown>)[String(path[i])] = next;
    }
    node = next;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) {
    const idx = typeof last === 'number' ? last : /^\d+$/.test(last) ? Number(last) : -1;
    if (idx >= 0 && idx <= node.length) node[idx] = value;
  } else if (node && typeof node === 'object') {
    (node as Record<string, unknown>)[String(last)] = value;
  }
}

export function parsePointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function removePath(root: unknown, path: readonly (string | number)[]): void {
  if (path.length === 0) return;
  let node: unknown = root;
  for (const seg of path.slice(0, -1)) {
    node = child(node, seg);
    if (node === undefined) return;
  }
  const last = path[path.length - 1]!;
  if (Array.isArray(node)) {
    const i = typeof last === 'number' ? last : /^\d+$/.test(last) ? Number(last) : -1;
    if (i >= 0 && i < node.length) node.splice(i, 1);
  } else if (node && typeof node === 'object') {
    delete (node as Record<string, unknown>)[String(last)];
  }
}

function child(node: unknown, seg: string | number): unknown {
  if (Array.isArray(node)) {
    const i = typeof seg === 'number' ? seg : /^\d+$/.test(seg) ? Number(seg) : -1;
    return i >= 0 ? node[i] : undefined;
  }
  if (node && typeof node === 'object') return (node as Record<string, unknown>)[String(seg)];
  return undefined;
}

function comparePathsDescending(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return y - x;
    return String(y) < String(x) ? -1 : 1;
  }
  return b.length - a.length;
}

// ---------------------------------------------------------------- jq subset

type Term =
  | { t: 'key'; name: string }
  | { t: 'index'; index: number }
  | { t: 'each' }
  | { t: 'select'; cond: Cond };
type Cond = { t: 'cmp'; path: Term[]; op: '==' | '!='; value: unknown } | { t: 'bool'; op: 'and' | 'or'; left: Cond; right: Cond };

/**
 * The concrete paths a jq path expression selects in `root`. Supported, as Argo CD users
 * write them: `.a.b`, `.a["b.c"]`, `.a[0]`, `.a[]`, `.[]`, pipes `|`, and
 * `select(<path> == <literal>)` / `!=` joined by `and` / `or` (no parentheses), where the
 * literal is a JSON string, number, true, false or null. Anything else throws JqSubsetError.
 * A path through a missing field selects nothing.
 */
export function jqPaths(root: unknown, expr: string): Path[] {
  const terms = new JqParser(expr).parseExpression();
  return evalTerms(root, [[]], terms);
}

function evalTerms(root: unknown, start: Path[], terms: readonly Term[]): Path[] {
  let paths = start;
  for (const term of terms) {
    const next: Path[] = [];
    for (const p of paths) {
      const value = valueAt(root, p);
      switch (term.t) {
        case 'key':
          if (value && typeof value === 'object' && !Array.isArray(value) && term.name in value) next.push([...p, term.name]);
          break;
        case 'index':
          if (Array.isArray(value)) {
            const i = term.index < 0 ? value.length + term.index : term.index;
            if (i >= 0 && i < value.length) next.push([...p, i]);
          }
          break;
        case 'each':
          if (Array.isArray(value)) value.forEach((_v, i) => next.push([...p, i]));
          else if (value && typeof value === 'object') for (const k of Object.keys(value)) next.push([...p, k]);
          break;
        case 'select':
          if (evalCond(value, term.cond)) next.push(p);
          break;
      }
    }
    paths = next;
  }
  return paths;
}

function evalCond(input: unknown, cond: Cond): boolean {
  if (cond.t === 'bool') {
    return cond.op === 'and' ? evalCond(input, cond.left) && evalCond(input, cond.right) : evalCond(input, cond.left) || evalCond(input, cond.right);
  }
  const found = evalTerms(input, [[]], cond.path).map((p) => valueAt(input, p));
  // jq's `.missing` is null: compare with null when the path selects nothing.
  const values = found.length > 0 ? found : [null];
  const eq = values.some((v) => JSON.stringify(v) === JSON.stringify(cond.value));
  return cond.op === '==' ? eq : !eq;
}

function valueAt(root: unknown, path: Path): unknown {
  let node = root;
  for (const seg of path) {
    node = child(node, seg);
    if (node === undefined) return undefined;
  }
  return node;
}

class JqParser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parseExpression(): Term[] {
    const terms = this.parsePipeline();
    this.space();
    if (this.pos < this.src.length) this.fail(`unexpected "${this.src.slice(this.pos)}"`);
    return terms;
  }

  private parsePipeline(): Term[] {
    const terms: Term[] = [];
    for (;;) {
      terms.push(...this.parsePath());
      this.space();
      if (this.src[this.pos] !== '|') return terms;
      this.pos++;
    }
  }

  private parsePath(): Term[] {
    this.space();
    const terms: Term[] = [];
    if (this.src.startsWith('select(', this.pos)) {
      this.pos += 'select('.length;
      terms.push({ t: 'select', cond: this.parseCond() });
      this.space();
      this.expect(')');
    } else if (this.src[this.pos] !== '.') {
      this.fail('expected a path starting with "."');
    }
    for (;;) {
      const c = this.src[this.pos];
      if (c === '.') {
        this.pos++;
        const ident = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.src.slice(this.pos));
        if (ident) {
          terms.push({ t: 'key', name: ident[0] });
          this.pos += ident[0].length;
        } else if (this.src[this.pos] === '"') {
          terms.push({ t: 'key', name: this.parseString() });
        }
        // otherwise a lone "." (the identity) or ".[" follows
      } else if (c === '[') {
        this.pos++;
        this.space();
        if (this.src[this.pos] === ']') {
          terms.push({ t: 'each' });
        } else if (this.src[this.pos] === '"') {
          terms.push({ t: 'key', name: this.parseString() });
        } else {
          const num = /^-?\d+/.exec(this.src.slice(this.pos));
          if (!num) this.fail('expected an index, a string or "]" after "["');
          terms.push({ t: 'index', index: Number(num[0]) });
          this.pos += num[0].length;
        }
        this.space();
        this.expect(']');
      } else {
        return terms;
      }
    }
  }

  private parseCond(): Cond {
    let left = this.parseComparison();
    for (;;) {
      this.space();
      const m = /^(and|or)\b/.exec(this.src.slice(this.pos));
      if (!m) return left;
      this.pos += m[0].length;
      left = { t: 'bool', op: m[1] as 'and' | 'or', left, right: this.parseComparison() };
    }
  }

  private parseComparison(): Cond {
    const path = this.parsePath();
    this.space();
    const op = /^(==|!=)/.exec(this.src.slice(this.pos));
    if (!op) this.fail('expected == or != in select()');
    this.pos += op[0].length;
    this.space();
    return { t: 'cmp', path, op: op[0] as '==' | '!=', value: this.parseLiteral() };
  }

  private parseLiteral(): unknown {
    if (this.src[this.pos] === '"') return this.parseString();
    const m = /^(true|false|null|-?\d+(\.\d+)?([eE][-+]?\d+)?)/.exec(this.src.slice(this.pos));
    if (!m) this.fail('expected a string, number, true, false or null');
    this.pos += m[0].length;
    return JSON.parse(m[0]) as unknown;
  }

  private parseString(): string {
    const m = /^"(?:[^"\\]|\\.)*"/.exec(this.src.slice(this.pos));
    if (!m) this.fail('unterminated string');
    this.pos += m[0].length;
    return JSON.parse(m[0]) as string;
  }

  private space(): void {
    while (this.src[this.pos] === ' ' || this.src[this.pos] === '\t') this.pos++;
  }

  private expect(c: string): void {
    if (this.src[this.pos] !== c) this.fail(`expected "${c}"`);
    this.pos++;
  }

  private fail(why: string): never {
    throw new JqSubsetError(`jqPathExpression ${JSON.stringify(this.src)}: ${why} at column ${this.pos + 1} (Slipway supports a subset of jq: .a.b, .a[], .a[0], .a["k"], | and select(.x == "v"))`);
  }
}

// ---------------------------------------------------------------- managed fields

/** The fieldsV1 trees of the managedFields entries written by any of `managers`. */
function managerFields(live: KubeObject, managers: readonly string[]): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const e of (live.metadata.managedFields ?? []) as { manager?: string; fieldsV1?: Record<string, unknown> }[]) {
    if (e.manager && managers.includes(e.manager) && e.fieldsV1) out.push(e.fieldsV1);
  }
  return out;
}

/**
 * Removes from `obj` every leaf of a fieldsV1 tree: `f:<name>` is a field, `k:<json>` the list
 * item whose keys match, `v:<json>` the list item equal to the value, `i:<n>` the item at an
 * index; `.` marks the node itself and is not a leaf of its own. A node without children is a
 * leaf and is removed (argo-cd's managed-fields normalizer removes the manager's leaves too).
 */
function removeOwnedLeaves(obj: unknown, fields: Record<string, unknown>): void {
  const entries = Object.entries(fields).filter(([k]) => k !== '.');
  // Remove list items from the end, so indices stay right while removing.
  const resolved = entries
    .map(([k, sub]) => ({ seg: resolveSegment(obj, k), sub: (sub ?? {}) as Record<string, unknown> }))
    .filter((e): e is { seg: string | number; sub: Record<string, unknown> } => e.seg !== undefined)
    .sort((a, b) => (typeof a.seg === 'number' && typeof b.seg === 'number' ? b.seg - a.seg : 0));
  for (const { seg, sub } of resolved) {
    const children = Object.keys(sub).filter((k) => k !== '.');
    if (children.length === 0) removePath(obj, [seg]);
    else removeOwnedLeaves(child(obj, seg), sub);
  }
}

function resolveSegment(node: unknown, key: string): string | number | undefined {
  const prefix = key.slice(0, 2);
  const rest = key.slice(2);
  if (prefix === 'f:') return node && typeof node === 'object' && !Array.isArray(node) && rest in node ? rest : undefined;
  if (!Array.isArray(node)) return undefined;
  if (prefix === 'i:') return Number(rest) < node.length ? Number(rest) : undefined;
  let want: unknown;
  try {
    want = JSON.parse(rest);
  } catch {
    return undefined;
  }
  if (prefix === 'v:') {
    const i = node.findIndex((item) => JSON.stringify(item) === JSON.stringify(want));
    return i < 0 ? undefined : i;
  }
  if (prefix === 'k:' && want && typeof want === 'object') {
    const i = node.findIndex(
      (item) =>
        item && typeof item === 'object' && Object.entries(want as Record<string, unknown>).every(([k, v]) => JSON.stringify((item as Record<string, unknown>)[k]) === JSON.stringify(v)),
    );
    return i < 0 ? undefined : i;
  }
  return undefined;
}
