/**
 * The ordered resource list of a build (api/resmap/reswrangler.go), indexed by current id
 * so that appending N resources costs O(N), not O(N^2) (STYLE §8). Transformers change ids
 * in place; whoever runs one calls {@link ResMap.invalidate} so the index is rebuilt on the
 * next lookup.
 */
import { KustomizeError } from './errors.js';
import { parseLabelSelector } from './internal/label-selector.js';
import { compileGoRegexp } from './internal/go-regexp.js';
import type { Resource } from './resource.js';
import {
  effectiveNamespace,
  resIdEquals,
  resIdKey,
  resIdString,
  TOTALLY_NOT_A_NAMESPACE,
  type Gvk,
  type ResId,
} from './resid.js';

/** types.Selector: a resource id whose parts are regular expressions, plus label/annotation selectors. */
export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** types.Selector.String(): `Kind.version.group/name.ns:a=<annotationSelector>:l=<labelSelector>`. */
export function selectorString(s: Selector): string {
  const id: ResId = { gvk: { group: s.group ?? '', version: s.version ?? '', kind: s.kind ?? '' }, name: s.name ?? '', namespace: s.namespace ?? '' };
  return `${resIdString(id)}:a=${s.annotationSelector ?? ''}:l=${s.labelSelector ?? ''}`;
}

/** types.SelectorRegex: the id parts of a selector, each anchored as `^(?:...)$`. */
export class SelectorRegex {
  private readonly group?: RegExp;
  private readonly version?: RegExp;
  private readonly kind?: RegExp;
  private readonly nameRe?: RegExp;
  private readonly namespaceRe?: RegExp;

  constructor(readonly selector: Selector) {
    const anchored = (p: string | undefined) => (p ? compileGoRegexp(`^(?:${p})$`) : undefined);
    this.group = anchored(selector.group);
    this.version = anchored(selector.version);
    this.kind = anchored(selector.kind);
    this.nameRe = anchored(selector.name);
    this.namespaceRe = anchored(selector.namespace);
  }

  matchGvk(gvk: Gvk): boolean {
    if (this.group && !this.group.test(gvk.group)) return false;
    if (this.version && !this.version.test(gvk.version)) return false;
    if (this.kind && !this.kind.test(gvk.kind)) return false;
    return true;
  }

  matchName(n: string): boolean {
    return !this.nameRe || this.nameRe.test(n);
  }

  matchNamespace(ns: string): boolean {
    return !this.namespaceRe || this.namespaceRe.test(ns);
  }
}

/** Resource.MatchesLabelSelector / MatchesAnnotationSelector. */
export function matchesSelectors(r: Resource, labelSelector: string | undefined, annotationSelector: string | undefined): boolean {
  if (labelSelector && !parseLabelSelector(labelSelector).matches(r.labels())) return false;
  if (annotationSelector && !parseLabelSelector(annotationSelector).matches(r.annotations())) return false;
  return true;
}

export type IdMatcher = (id: ResId) => boolean;

export class ResMap {
  private list: Resource[] = [];
  private index: Map<string, number> | undefined = new Map();

  static of(resources: readonly Resource[]): ResMap {
    const m = new ResMap();
    for (const r of resources) m.append(r);
    return m;
  }

  get size(): number {
    return this.list.length;
  }

  resources(): Resource[] {
    return [...this.list];
  }

  /** Call after anything that may have changed the id of a resource in the map. */
  invalidate(): void {
    this.index = undefined;
  }

  private idIndex(): Map<string, number> {
    if (!this.index) {
      const index = new Map<string, number>();
      for (const r of this.list) {
        const k = resIdKey(r.curId());
        index.set(k, (index.get(k) ?? 0) + 1);
      }
      this.index = index;
    }
    return this.index;
  }

  /** resWrangler.Append: refuses a second resource with the same current id. */
  append(res: Resource): void {
    const id = res.curId();
    const key = resIdKey(id);
    const index = this.idIndex();
    if ((index.get(key) ?? 0) > 0) throw new KustomizeError(`may not add resource with an already registered id: ${resIdString(id)}`);
    index.set(key, 1);
    this.list.push(res);
  }

  appendAll(other: ResMap | readonly Resource[]): void {
    for (const r of other instanceof ResMap ? other.list : other) this.append(r);
  }

  clear(): void {
    this.list = [];
    this.index = new Map();
  }

  /** resWrangler.DropEmpties. */
  dropEmpties(): void {
    if (this.list.some((r) => r.isEmpty())) {
      this.list = this.list.filter((r) => !r.isEmpty());
      this.invalidate();
    }
  }

  /** resWrangler.Remove by current id. */
  remove(id: ResId): void {
    const before = this.list.length;
    this.list = this.list.filter((r) => !sameStrictId(r.curId(), id));
    if (this.list.length !== before - 1) throw new KustomizeError(`id ${resIdString(id)} not found in removal`);
    this.invalidate();
  }

  /** Keeps only the given resources (by identity), in map order. */
  keepOnly(keep: Set<Resource>): void {
    this.list = this.list.filter((r) => keep.has(r));
    this.invalidate();
  }

  /** resWrangler.Replace: puts `res` where the resource with its current id is. */
  replace(res: Resource): number {
    const id = res.curId();
    let count = 0;
    let at = -1;
    for (let i = 0; i < this.list.length; i++) {
      if (resIdEquals(id, this.list[i]!.curId())) {
        count++;
        at = i;
      }
    }
    if (count > 1) throw new KustomizeError(`in Replace: id matched ${count} resources`);
    if (at < 0) throw new KustomizeError(`cannot find resource with id ${resIdString(id)} to replace`);
    this.list[at] = res;
    this.invalidate();
    return at;
  }

  indexOf(res: Resource): number {
    return this.list.indexOf(res);
  }

  getMatchingResourcesByCurrentId(matches: IdMatcher): Resource[] {
    return this.list.filter((r) => matches(r.curId()));
  }

  /** Count of resources whose current id equals `id` (through the index). */
  countByCurrentId(id: ResId): number {
    return this.idIndex().get(resIdKey(id)) ?? 0;
  }

  getMatchingResourcesByAnyId(matches: IdMatcher): Resource[] {
    const out: Resource[] = [];
    for (const r of this.list) {
      if (r.isEmpty()) continue;
      for (const id of [...r.prevIds(), r.curId()]) {
        if (matches(id)) {
          out.push(r);
          break;
        }
      }
    }
    return out;
  }

  /** resWrangler.GetById: exactly one resource with `id` among all of its ids. */
  getById(id: ResId): Resource {
    const found = this.getMatchingResourcesByAnyId((x) => resIdEquals(id, x));
    if (found.length === 1) return found[0]!;
    const what = found.length > 1 ? `multiple matches for Id ${resIdString(id)}` : `no matches for Id ${resIdString(id)}`;
    throw new KustomizeError(`${what}; failed to find unique target for patch ${resIdString(id)}`);
  }

  /** resWrangler.Select for patch targets: original or current namespace and name, current gvk, selectors. */
  select(s: Selector): Resource[] {
    const sr = new SelectorRegex(s);
    const label = s.labelSelector ? parseLabelSelector(s.labelSelector) : undefined;
    const anno = s.annotationSelector ? parseLabelSelector(s.annotationSelector) : undefined;
    const out: Resource[] = [];
    for (const r of this.list) {
      const cur = r.curId();
      const org = r.orgId();
      if (!sr.matchNamespace(effectiveNamespace(org)) && !sr.matchNamespace(effectiveNamespace(cur))) continue;
      if (!sr.matchName(org.name) && !sr.matchName(cur.name)) continue;
      if (!sr.matchGvk(r.gvk())) continue;
      if (label && !label.matches(r.labels())) continue;
      if (anno && !anno.matches(r.annotations())) continue;
      out.push(r);
    }
    return out;
  }

  shallowCopy(): ResMap {
    const m = new ResMap();
    m.list = [...this.list];
    m.index = undefined;
    return m;
  }

  deepCopy(): ResMap {
    const m = new ResMap();
    m.list = this.list.map((r) => r.deepCopy());
    m.index = undefined;
    return m;
  }

  /** Replaces the whole list (sorting). */
  setAll(list: Resource[]): void {
    this.clear();
    for (const r of list) this.append(r);
  }

  /** Group by effective namespace of the original id (TotallyNotANamespace left out). */
  static groupByOriginalNamespace(list: readonly Resource[]): Map<string, Resource[]> {
    const out = new Map<string, Resource[]>();
    for (const r of list) {
      const ns = effectiveNamespace(r.orgId());
      if (ns === TOTALLY_NOT_A_NAMESPACE) continue;
      const l = out.get(ns);
      if (l) l.push(r);
      else out.set(ns, [r]);
    }
    return out;
  }
}

/** Go's `==` on ResId values (struct equality, cluster-scope flag included). */
function sameStrictId(a: ResId, b: ResId): boolean {
  return (
    a.name === b.name &&
    a.namespace === b.namespace &&
    a.gvk.group === b.gvk.group &&
    a.gvk.version === b.gvk.version &&
    a.gvk.kind === b.gvk.kind &&
    !!a.gvk.clusterScoped === !!b.gvk.clusterScoped
  );
}
