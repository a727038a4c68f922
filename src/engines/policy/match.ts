/**
 * Kyverno `match` / `exclude`: `any` (one block suffices) and `all` (every block) of resource
 * filters, or the legacy direct form (`resources`, `subjects`, `roles`, `clusterRoles`). A
 * filter holds `resources` (kinds, name/names, namespaces, annotations, selector,
 * namespaceSelector, operations) and who made the request (subjects, roles, clusterRoles).
 * Every field given must hold; wildcards `*` and `?` as Kyverno's wildcard package.
 */
import type { KubeObject } from '../../core/index.js';
import type { AdmissionContext, Policy } from './types.js';
import { globMatch } from './jmespath-functions.js';
import { operationOf } from './variables.js';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export interface KindSelector {
  group: string;
  version: string;
  kind: string;
  subresource: string;
}

/**
 * Reads a kind as Kyverno does: `Pod`, `v1/Pod`, `apps/v1/Deployment`, `apps/*\/Deployment`,
 * `Pod/exec`, `v1/Pod/exec`, `apps/v1/Deployment/scale`. Group and version default to `*`.
 */
export function parseKindSelector(text: string): KindSelector {
  const parts = text.split('/');
  const upper = (s: string | undefined): boolean => s !== undefined && /^[A-Z]/.test(s);
  if (parts.length === 1) return { group: '*', version: '*', kind: parts[0]!, subresource: '' };
  if (parts.length === 2) {
    // Kind/subresource when the first part is a Kind, else version/Kind.
    if (upper(parts[0]) && /^[a-z*]/.test(parts[1]!)) return { group: '*', version: '*', kind: parts[0]!, subresource: parts[1]! };
    return { group: '*', version: parts[0]!, kind: parts[1]!, subresource: '' };
  }
  if (parts.length === 3) {
    if (upper(parts[1])) return { group: '*', version: parts[0]!, kind: parts[1]!, subresource: parts[2]! };
    return { group: parts[0]!, version: parts[1]!, kind: parts[2]!, subresource: '' };
  }
  return { group: parts[0]!, version: parts[1]!, kind: parts[2]!, subresource: parts.slice(3).join('/') };
}

const kindCache = new Map<string, KindSelector>();

function kindSelector(text: string): KindSelector {
  let hit = kindCache.get(text);
  if (!hit) {
    hit = parseKindSelector(text);
    if (kindCache.size > 2048) kindCache.clear();
    kindCache.set(text, hit);
  }
  return hit;
}

/** True when a kind selector (`Pod`, `apps/v1/Deployment`, `*`, …) names the resource's kind. */
export function kindMatches(selector: string, resource: KubeObject): boolean {
  if (selector === '*') return true;
  if (typeof resource.kind !== 'string') return false;
  const sel = kindSelector(selector);
  if (sel.subresource !== '' && sel.subresource !== '*') return false;
  if (!globMatch(sel.kind, resource.kind)) return false;
  const apiVersion = resource.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (sel.version !== '*' && !globMatch(sel.version, version)) return false;
  if (sel.group !== '*' && !globMatch(sel.group, group)) return false;
  return true;
}

/** True when one of the kinds names Pod (Kyverno's ContainsKind(kinds, "Pod")). */
export function containsKind(kinds: string[], kind: string): boolean {
  return kinds.some((k) => kindSelector(k).kind === kind);
}

/** matchLabels / matchExpressions over a label map. */
export function labelSelectorMatches(selector: unknown, labels: Record<string, string> | undefined): boolean {
  if (!isObj(selector)) return false;
  const have = labels ?? {};
  const ml = selector.matchLabels;
  if (isObj(ml)) {
    for (const [k, v] of Object.entries(ml)) {
      // Kyverno allows wildcards in selector values.
      if (!(k in have) || !globMatch(String(v), have[k]!)) return false;
    }
  }
  const exprs = selector.matchExpressions;
  if (Array.isArray(exprs)) {
    for (const e of exprs) {
      if (!isObj(e)) return false;
      const key = String(e.key ?? '');
      const values = strings(e.values);
      const present = key in have;
      switch (e.operator) {
        case 'In':
          if (!present || !values.includes(have[key]!)) return false;
          break;
        case 'NotIn':
          if (present && values.includes(have[key]!)) return false;
          break;
        case 'Exists':
          if (!present) return false;
          break;
        case 'DoesNotExist':
          if (present) return false;
          break;
        default:
          return false;
      }
    }
  }
  return true;
}

function anyGlob(patterns: string[], value: string): boolean {
  return patterns.some((p) => globMatch(p, value));
}

/** The namespace a resource is in for matching: a Namespace is matched by its own name. */
function namespaceOf(resource: KubeObject): string {
  if (resource.kind === 'Namespace') return resource.metadata?.name ?? '';
  return resource.metadata?.namespace ?? '';
}

/** Does a `resources` description match? Every field given must hold. */
export function resourceDescriptionMatches(desc: Obj, resource: KubeObject, ctx?: AdmissionContext): boolean {
  const kinds = strings(desc.kinds);
  if (kinds.length > 0 && !kinds.some((k) => kindMatches(k, resource))) return false;
  // A CREATE with only generateName is matched by it (the name is not known yet).
  const name = resource.metadata?.name || ((resource.metadata as { generateName?: string } | undefined)?.generateName ?? '');
  if (typeof desc.name === 'string' && desc.name !== '' && !globMatch(desc.name, name)) return false;
  const names = strings(desc.names);
  if (names.length > 0 && !anyGlob(names, name)) return false;
  const namespaces = strings(desc.namespaces);
  if (namespaces.length > 0 && !anyGlob(namespaces, namespaceOf(resource))) return false;
  if (isObj(desc.annotations)) {
    const have = resource.metadata?.annotations ?? {};
    for (const [k, v] of Object.entries(desc.annotations)) {
      const keys = Object.keys(have).filter((hk) => globMatch(k, hk));
      if (keys.length === 0 || !keys.some((hk) => globMatch(String(v), have[hk]!))) return false;
    }
  }
  if (desc.selector !== undefined && desc.selector !== null) {
    if (!labelSelectorMatches(desc.selector, resource.metadata?.labels)) return false;
  }
  if (desc.namespaceSelector !== undefined && desc.namespaceSelector !== null) {
    const labels = resource.kind === 'Namespace' ? resource.metadata?.labels : ctx?.namespaceLabels;
    if (!labelSelectorMatches(desc.namespaceSelector, labels)) return false;
  }
  const operations = strings(desc.operations);
  if (operations.length > 0) {
    const op = operationOf(ctx);
    // Background scans have no operation: Kyverno treats them as CREATE for matching.
    if (!operations.includes(op ?? 'CREATE')) return false;
  }
  return true;
}

/** Subjects: `{kind: User|Group|ServiceAccount, name, namespace}` against the request's user. */
function subjectsMatch(subjects: unknown[], ctx?: AdmissionContext): boolean {
  const user = ctx?.userInfo;
  if (!user) return false;
  return subjects.some((s) => {
    if (!isObj(s)) return false;
    const name = String(s.name ?? '');
    switch (s.kind) {
      case 'ServiceAccount':
        return globMatch(`system:serviceaccount:${String(s.namespace ?? '')}:${name}`, user.username);
      case 'User':
        return globMatch(name, user.username);
      case 'Group':
        return (user.groups ?? []).some((g) => globMatch(name, g));
      default:
        return false;
    }
  });
}

/** A filter block: resources plus who made the request. Empty fields do not constrain. */
function filterMatches(block: Obj, resource: KubeObject, ctx?: AdmissionContext): boolean {
  if (isObj(block.resources) && !resourceDescriptionMatches(block.resources, resource, ctx)) return false;
  const roles = strings(block.roles);
  if (roles.length > 0 && !(ctx?.roles ?? []).some((r) => roles.includes(r))) return false;
  const clusterRoles = strings(block.clusterRoles);
  if (clusterRoles.length > 0 && !(ctx?.clusterRoles ?? []).some((r) => clusterRoles.includes(r))) return false;
  const subjects = Array.isArray(block.subjects) ? block.subjects : [];
  if (subjects.length > 0 && !subjectsMatch(subjects, ctx)) return false;
  return true;
}

const emptyBlocks = new WeakMap<Obj, boolean>();

/** True when a block names nothing at all (such a block never selects anything). Cached per block. */
function isEmptyBlock(block: Obj): boolean {
  let hit = emptyBlocks.get(block);
  if (hit === undefined) {
    hit = computeEmptyBlock(block);
    emptyBlocks.set(block, hit);
  }
  return hit;
}

function computeEmptyBlock(block: Obj): boolean {
  const res = isObj(block.resources) ? block.resources : {};
  const resEmpty = Object.values(res).every((v) => v === undefined || v === null || (Array.isArray(v) && v.length === 0) || (isObj(v) && Object.keys(v).length === 0) || v === '');
  return resEmpty && strings(block.roles).length === 0 && strings(block.clusterRoles).length === 0 && !(Array.isArray(block.subjects) && block.subjects.length > 0);
}

/** Evaluates a match or exclude block: any / all / legacy. Returns false for an empty block. */
export function matchBlock(spec: unknown, resource: KubeObject, ctx?: AdmissionContext): boolean {
  if (!isObj(spec)) return false;
  const any = Array.isArray(spec.any) ? spec.any.filter(isObj) : [];
  const all = Array.isArray(spec.all) ? spec.all.filter(isObj) : [];
  if (any.length > 0) return any.some((b) => !isEmptyBlock(b) && filterMatches(b, resource, ctx));
  if (all.length > 0) return all.every((b) => !isEmptyBlock(b) && filterMatches(b, resource, ctx));
  if (isEmptyBlock(spec)) return false;
  return filterMatches(spec, resource, ctx);
}

/**
 * Whether a rule applies to a resource: its match holds, its exclude does not, and for a
 * namespaced Policy the resource is in the policy's namespace.
 */
export function ruleMatches(
  rule: { match: unknown; exclude?: unknown },
  resource: KubeObject,
  ctx?: AdmissionContext,
  policy?: Pick<Policy, 'kind' | 'namespace'>,
): boolean {
  if (policy?.kind === 'Policy' && policy.namespace !== undefined && (resource.metadata?.namespace ?? '') !== policy.namespace) return false;
  if (!matchBlock(rule.match, resource, ctx)) return false;
  if (rule.exclude !== undefined && matchBlock(rule.exclude, resource, ctx)) return false;
  return true;
}

/** All kinds named in a match/exclude block (legacy, any and all). */
export function kindsOf(spec: unknown): string[] {
  if (!isObj(spec)) return [];
  const out: string[] = [];
  const add = (b: unknown): void => {
    if (isObj(b) && isObj(b.resources)) out.push(...strings(b.resources.kinds));
  };
  add(spec);
  if (Array.isArray(spec.any)) spec.any.forEach(add);
  if (Array.isArray(spec.all)) spec.all.forEach(add);
  return out;
}

/** True when the match/exclude names subjects, roles or clusterRoles (request-user dependent). */
export function usesUserInfo(spec: unknown): boolean {
  if (!isObj(spec)) return false;
  const check = (b: unknown): boolean =>
    isObj(b) && (strings(b.roles).length > 0 || strings(b.clusterRoles).length > 0 || (Array.isArray(b.subjects) && b.subjects.length > 0));
  return check(spec) || (Array.isArray(spec.any) && spec.any.some(check)) || (Array.isArray(spec.all) && spec.all.some(check));
}
