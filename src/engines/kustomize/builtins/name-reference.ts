/**
 * The name reference fix-up at the end of a build (api/internal/accumulator/
 * namereferencetransformer.go, api/filters/nameref): every field that names another object
 * (a ConfigMap in a volume, a ServiceAccount in a RoleBinding subject, a Service in an
 * Ingress ...) is rewritten to the object's final name, chosen among the objects that used
 * to carry the old name by kustomize's sieve (gvk, roleRef kind, namespace, prefixes and
 * suffixes). Candidates are looked up by previous name, so the pass stays linear (STYLE §8).
 */
import { KustomizeError, asKustomizeError } from '../errors.js';
import { Ref, applyFieldSpec } from '../internal/fieldspec.js';
import { fsGvk, type NameBackReference } from '../internal/transformer-config.js';
import { isPlainObject } from '../internal/yaml-read.js';
import type { FieldSpec } from '../kustomization.js';
import { objectToYaml } from '../output.js';
import type { ResMap } from '../resmap.js';
import { effectiveNamespace, gvkIsSelected, resIdString, TOTALLY_NOT_A_NAMESPACE, type Gvk, type ResId } from '../resid.js';
import { prefixesSuffixesEqual, scalarText, untaggedScalar, type Resource } from '../resource.js';

interface NameRefFilter {
  spec: FieldSpec;
  target: Gvk;
}

/** Everything the sieve needs, computed once per build. */
class Index {
  readonly byPrevName = new Map<string, Resource[]>();
  readonly byOrgNs = new Map<string, Resource[]>();

  constructor(readonly all: readonly Resource[]) {
    for (const r of all) {
      const seen = new Set<string>();
      for (const n of r.prevNames()) {
        if (seen.has(n)) continue;
        seen.add(n);
        push(this.byPrevName, n, r);
      }
      const ns = effectiveNamespace(r.orgId());
      if (ns !== TOTALLY_NOT_A_NAMESPACE) push(this.byOrgNs, ns, r);
    }
  }
}

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** resWrangler.SubsetThatCouldBeReferencedByResource, as a predicate. */
function referenceScope(referrer: Resource): (r: Resource) => boolean {
  const referrerId = referrer.curId();
  if (referrerId.gvk.clusterScoped) return () => true;
  const roleBindingNamespaces = new Set<string>();
  if (referrer.kind === 'RoleBinding') {
    const subjects = referrer.obj.subjects;
    if (Array.isArray(subjects)) {
      for (const s of subjects) {
        if (!isPlainObject(s) || !('namespace' in s) || !('kind' in s)) continue;
        if (s.kind !== 'ServiceAccount') continue;
        if (typeof s.namespace !== 'string') throw new KustomizeError(`Invalid Input: namespace is blank for resource ${JSON.stringify(resIdString(referrerId))}\n`);
        roleBindingNamespaces.add(s.namespace);
      }
    }
  }
  const ns = effectiveNamespace(referrerId);
  return (r) => {
    const id = r.curId();
    if (id.gvk.clusterScoped) return true;
    if (effectiveNamespace(id) === ns) return true;
    return roleBindingNamespaces.has(r.namespace);
  };
}

function prevIdSelected(r: Resource, gvk: Gvk): boolean {
  return r.prevIds().some((id) => gvkIsSelected(id.gvk, gvk));
}

/** The gvk a RoleBinding's roleRef names, or undefined when roleRef, apiGroup or kind is missing. */
function roleRefGvk(referrer: Resource): Gvk | undefined {
  const roleRef = referrer.obj.roleRef;
  if (!isPlainObject(roleRef) || roleRef.apiGroup === undefined || roleRef.kind === undefined) return undefined;
  return { group: scalarText(roleRef.apiGroup), version: '', kind: scalarText(roleRef.kind) };
}

class Filter {
  private readonly inScope: (r: Resource) => boolean;

  constructor(
    private readonly referrer: Resource,
    private readonly index: Index,
  ) {
    this.inScope = referenceScope(referrer);
  }

  run(f: NameRefFilter): void {
    try {
      // The spec's gvk is replaced by the referrer's own, so it always applies.
      applyFieldSpec(this.referrer.obj, { path: f.spec.path, create: f.spec.create }, (ref) => this.set(ref, f), {});
    } catch (e) {
      throw asKustomizeError(e).wrap(`updating name reference in '${f.spec.path ?? ''}' field of '${resIdString(this.referrer.curId())}'`);
    }
  }

  private set(ref: Ref, f: NameRefFilter): void {
    const v = ref.get();
    if (v === null || v === undefined) return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const e = v[i];
        if (e === null) continue;
        if (isPlainObject(e)) this.setMapping(e, f);
        else if (Array.isArray(e)) throw new KustomizeError(`${objectToYaml(e).trim()} is expected to be either a string or a map of string`);
        else this.setScalar(new Ref(v, i), f);
      }
      return;
    }
    if (isPlainObject(v)) this.setMapping(v, f);
    else this.setScalar(ref, f);
  }

  private setScalar(ref: Ref, f: NameRefFilter): void {
    const old = ref.get();
    const oldName = scalarText(old);
    const referral = this.select(oldName, this.candidates(oldName), f, false);
    if (!referral) return;
    referral.appendRefBy(this.referrer.curId());
    if (referral.name === oldName) return;
    ref.set(untaggedScalar(old, referral.name));
  }

  private setMapping(node: Record<string, unknown>, f: NameRefFilter): void {
    if (!('name' in node)) throw new KustomizeError("path config error; no 'name' field in node");
    const oldName = scalarText(node.name);
    let candidates = this.candidates(oldName);
    if ('namespace' in node) {
      const ns = scalarText(node.namespace);
      const orgGroup = this.index.byOrgNs.get(ns);
      if (orgGroup && orgGroup.some((r) => this.inScope(r))) {
        candidates = candidates.filter((r) => effectiveNamespace(r.orgId()) === ns);
      } else {
        candidates = candidates.filter((r) => {
          const cur = effectiveNamespace(r.curId());
          return cur !== TOTALLY_NOT_A_NAMESPACE && cur === ns;
        });
      }
    }
    const referral = this.select(oldName, candidates, f, true);
    if (!referral) return;
    referral.appendRefBy(this.referrer.curId());
    if (referral.name === oldName && referral.namespace === '') return;
    node.name = untaggedScalar(node.name, referral.name);
    if (referral.namespace === '') return;
    node.namespace = untaggedScalar(node.namespace, referral.namespace);
  }

  /** The referral candidates that carried `oldName` before (previousNameMatches over the reference scope). */
  private candidates(oldName: string): Resource[] {
    return (this.index.byPrevName.get(oldName) ?? []).filter((r) => this.inScope(r));
  }

  private select(oldName: string, found: Resource[], f: NameRefFilter, mapping: boolean): Resource | undefined {
    let c = found.filter((r) => prevIdSelected(r, f.target));
    if ((f.spec.path ?? '').endsWith('roleRef/name')) {
      const g = roleRefGvk(this.referrer);
      if (g) c = c.filter((r) => prevIdSelected(r, g));
    }
    const referrerId: ResId = this.referrer.curId();
    if (!referrerId.gvk.clusterScoped) {
      const ns = effectiveNamespace(referrerId);
      c = c.filter((r) => {
        const id = r.curId();
        return id.gvk.clusterScoped || r.kind === 'ServiceAccount' || effectiveNamespace(id) === ns;
      });
    }
    if (c.length === 1) return c[0];
    c = c.filter((r) => prefixesSuffixesEqual(r, this.referrer, true));
    if (c.length > 1) c = c.filter((r) => prefixesSuffixesEqual(r, this.referrer, false));
    if (c.length === 1) return c[0];
    if (c.length === 0) return undefined;
    const first = c[0]!;
    const identical = mapping ? c.every((r) => r.name === first.name && r.namespace === first.namespace) : c.every((r) => r.name === first.name);
    if (identical) return first;
    const ids = c.map((r) => resIdString(r.curId())).join(', ');
    let details = `\n**** Too many possible referral targets to referrer:\n${objectToYaml(this.referrer.obj)}\n`;
    c.forEach((r, i) => (details += `--- possible referral ${i}:\n${objectToYaml(r.obj)}\n`));
    throw new KustomizeError(`found multiple possible referrals: ${ids}\n${details}`);
  }
}

/** nameReferenceTransformer.Transform with the merged back-references of the build. */
export function fixNameReferences(m: ResMap, backRefs: readonly NameBackReference[]): void {
  const resources = m.resources();
  const byOrgKind = new Map<string, Resource[]>();
  for (const r of resources) push(byOrgKind, r.orgId().gvk.kind, r);
  const filters = new Map<Resource, NameRefFilter[]>();
  for (const br of backRefs) {
    const target = fsGvk(br);
    for (const spec of br.fieldSpecs) {
      const g = fsGvk(spec);
      const pool = g.kind ? (byOrgKind.get(g.kind) ?? []) : resources;
      for (const r of pool) {
        if (!gvkIsSelected(r.orgId().gvk, g)) continue;
        const l = filters.get(r);
        if (l) l.push({ spec, target });
        else filters.set(r, [{ spec, target }]);
      }
    }
  }
  if (filters.size === 0) return;
  const index = new Index(resources);
  for (const r of resources) {
    const list = filters.get(r);
    if (!list) continue;
    const f = new Filter(r, index);
    for (const x of list) f.run(x);
  }
}
