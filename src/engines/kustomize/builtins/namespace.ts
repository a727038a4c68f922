/**
 * NamespaceTransformer (api/internal/builtins/NamespaceTransformer.go and
 * api/filters/namespace): sets metadata.namespace on every namespaced object, the
 * namespace field specs (Namespace names, APIService and CRD webhook services), and the
 * namespace of RoleBinding subjects named "default"; the old id is kept for name references.
 */
import { KustomizeError } from '../errors.js';
import { Ref, applyFieldSpec, applyFieldSpecs, setEntry, type SetFn } from '../internal/fieldspec.js';
import { isPlainObject } from '../internal/yaml-read.js';
import type { FieldSpec } from '../kustomization.js';
import type { ResMap } from '../resmap.js';
import { resIdKey, resIdString } from '../resid.js';
import { scalarText } from '../resource.js';
import type { Transformer } from './types.js';

export type RoleBindingSubjectMode = 'defaultOnly' | 'allServiceAccounts' | 'none';

export interface NamespaceOptions {
  /** Only set namespaces that are empty. @default false */
  unsetOnly?: boolean;
  /** Which RoleBinding subjects get the namespace. @default 'defaultOnly' */
  setRoleBindingSubjects?: RoleBindingSubjectMode;
}

function isRoleBinding(kind: string): boolean {
  return kind === 'RoleBinding' || kind === 'ClusterRoleBinding';
}

/** filtersutil SetEntry / SetEntryIfEmpty with a namespace value. */
function namespaceSetter(ns: string, unsetOnly: boolean): SetFn {
  const set = setEntry('', ns);
  if (!unsetOnly) return set;
  return (ref) => {
    const v = ref.get();
    if (v !== null && v !== undefined && !Array.isArray(v) && !isPlainObject(v) && scalarText(v) !== '') return;
    set(ref);
  };
}

/** namespace.Filter on one object. */
export function setNamespace(obj: Record<string, unknown>, ns: string, fieldSpecs: readonly FieldSpec[], opts: NamespaceOptions & { clusterScoped: boolean }): void {
  const apiVersion = scalarText(obj.apiVersion);
  let specs = fieldSpecs.filter((f) => f.path !== 'metadata/namespace' && (apiVersion === 'v1' || f.path !== 'metadata/name'));
  const setter = namespaceSetter(ns, !!opts.unsetOnly);
  if (!opts.clusterScoped) applyFieldSpec(obj, { path: 'metadata/namespace', create: true }, setter, { createKind: 'scalar' });
  if (isRoleBinding(scalarText(obj.kind))) {
    specs = specs.filter((f) => !(isRoleBinding(f.kind ?? '') && f.path === 'subjects/namespace'));
    roleBindingHack(obj, setter, opts.setRoleBindingSubjects ?? 'defaultOnly');
  }
  try {
    applyFieldSpecs(obj, specs, setter, { createKind: 'scalar', createTag: 'str' });
  } catch (e) {
    if (e instanceof KustomizeError && /^wrong node kind: expected ScalarNode/.test(e.kustomizeMessage.replace(/^.*?: (?=wrong node kind)/, ''))) {
      throw e.wrap('namespace field specs must target scalar nodes');
    }
    if (e instanceof KustomizeError) throw e.wrap('namespace transformation failed');
    throw e;
  }
}

function roleBindingHack(obj: Record<string, unknown>, setter: SetFn, mode: RoleBindingSubjectMode): void {
  if (mode === 'none') return;
  const subjects = obj.subjects;
  if (subjects === null || subjects === undefined) return;
  if (!Array.isArray(subjects)) throw new KustomizeError('setting namespace on (cluster)role binding subjects: wrong node kind: expected SequenceNode');
  for (const s of subjects) {
    if (!isPlainObject(s)) continue;
    const matchField = mode === 'allServiceAccounts' ? 'kind' : 'name';
    const want = mode === 'allServiceAccounts' ? 'ServiceAccount' : 'default';
    const v = s[matchField];
    if (v === undefined || v === null) continue;
    if (Array.isArray(v) || isPlainObject(v)) {
      throw new KustomizeError(`setting namespace on (cluster)role binding subjects: looking up ${matchField} on (cluster)role binding subject: wrong node kind`);
    }
    if (scalarText(v) !== want) continue;
    if (!('namespace' in s)) s.namespace = '';
    setter(new Ref(s, 'namespace'));
  }
}

/** The NamespaceTransformer builtin. */
export function namespaceTransformer(namespace: string, fieldSpecs: readonly FieldSpec[], opts: NamespaceOptions = {}): Transformer {
  return {
    id: 'NamespaceTransformer',
    transform(m: ResMap) {
      if (namespace === '') return;
      const list = m.resources();
      const counts = new Map<string, number>();
      for (const r of list) {
        const k = resIdKey(r.curId());
        counts.set(k, (counts.get(k) ?? 0) + 1);
      }
      for (const r of list) {
        if (r.isEmpty() || r.helmGenerated) continue;
        const before = resIdKey(r.curId());
        r.storePreviousId();
        setNamespace(r.obj, namespace, fieldSpecs, { ...opts, clusterScoped: !!r.gvk().clusterScoped });
        const id = r.curId();
        const after = resIdKey(id);
        counts.set(before, (counts.get(before) ?? 1) - 1);
        counts.set(after, (counts.get(after) ?? 0) + 1);
        if (counts.get(after) !== 1) {
          const matches = list.filter((x) => resIdKey(x.curId()) === after).map((x) => resIdString(x.curId()));
          throw new KustomizeError(`namespace transformation produces ID conflict: [${matches.join(' ')}]`);
        }
      }
      m.invalidate();
    },
  };
}
