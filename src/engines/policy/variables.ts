/**
 * Kyverno variables: `{{ jmespath }}` inside policy strings, resolved against the rule's
 * context (request.*, serviceAccountName, context entries, CLI values). Substitution follows
 * Kyverno's engine: innermost variables first and repeated until none is left, a string that
 * is exactly one variable takes the value's type, other strings get the value as text, and an
 * escaped `\{{` is left alone. Unresolvable variables are an error, except in conditions
 * (preconditions, deny), where Kyverno reads them as the empty string.
 */
import { compile, TreeInterpreter } from '@jmespath-community/jmespath';
import type { JSONValue } from '@jmespath-community/jmespath';
import type { KubeObject } from '../../core/index.js';
import type { AdmissionContext } from './types.js';
import { registerKyvernoFunctions } from './jmespath-functions.js';

registerKyvernoFunctions();

/** A variable that cannot be resolved or a JMESPath expression that does not compile/evaluate. */
export class VariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VariableError';
  }
}

type Ast = ReturnType<typeof compile>;
const astCache = new Map<string, Ast | Error>();
const AST_CACHE_LIMIT = 4096;

function compiled(expr: string): Ast {
  let hit = astCache.get(expr);
  if (hit === undefined) {
    try {
      hit = compile(expr);
    } catch (e) {
      hit = new VariableError(`invalid JMESPath expression ${JSON.stringify(expr)}: ${(e as Error).message}`);
    }
    if (astCache.size >= AST_CACHE_LIMIT) astCache.delete(astCache.keys().next().value!);
    astCache.set(expr, hit);
  }
  if (hit instanceof Error) throw hit;
  return hit;
}

/** Evaluates a JMESPath expression (with Kyverno's functions) against `data`. */
export function queryJmespath(expr: string, data: unknown): unknown {
  const ast = compiled(expr.trim());
  try {
    return TreeInterpreter.search(ast, data as JSONValue);
  } catch (e) {
    if (e instanceof VariableError) throw e;
    throw new VariableError(`JMESPath query failed for ${JSON.stringify(expr.trim())}: ${(e as Error).message}`);
  }
}

/** The data that `{{ }}` expressions see for one resource. */
export type VariableData = Record<string, unknown>;

/**
 * Sets `a.b.c` in `root` (Kyverno CLI values use dotted keys such as `request.operation`).
 * Objects on the way are copied, never changed: they may be the caller's resource.
 */
export function setDotted(root: Record<string, unknown>, key: string, value: unknown): void {
  const parts = key.split('.');
  let cur = root;
  for (let i = 0; i < parts.length - 1; i++) {
    const p = parts[i]!;
    const next = cur[p];
    const copy: Record<string, unknown> = next !== null && typeof next === 'object' && !Array.isArray(next) ? { ...(next as Record<string, unknown>) } : {};
    cur[p] = copy;
    cur = copy;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** The admission operation a context stands for: ctx.operation, a CLI value `request.operation`, else CREATE. */
export function operationOf(ctx?: AdmissionContext): string | undefined {
  const fromValues = ctx?.variables?.['request.operation'];
  if (typeof fromValues === 'string' && fromValues !== '') return fromValues;
  if (ctx?.background) return undefined;
  return ctx?.operation ?? 'CREATE';
}

/**
 * Builds the variable context for a resource: `request.{object,oldObject,operation,userInfo,
 * roles,clusterRoles,namespace}`, `serviceAccountName`/`serviceAccountNamespace` from a
 * `system:serviceaccount:<ns>:<name>` user, and ctx.variables on top (dotted keys nest).
 */
export function buildVariableData(resource: KubeObject, ctx?: AdmissionContext): VariableData {
  const request: Record<string, unknown> = {};
  const op = operationOf(ctx);
  // A DELETE request carries the object as oldObject; Kyverno rewrites request.object to
  // request.oldObject in variables then, so both name the object.
  if (op === 'DELETE') {
    request.oldObject = ctx?.oldObject ?? resource;
    request.object = request.oldObject;
  } else {
    request.object = resource;
    if (ctx?.oldObject) request.oldObject = ctx.oldObject;
    // Without a cluster, an UPDATE's old object is the object itself (as the Kyverno CLI does).
    else if (op === 'UPDATE') request.oldObject = resource;
  }
  if (op !== undefined) request.operation = op;
  const ns = resource.metadata?.namespace ?? (resource.kind === 'Namespace' ? resource.metadata?.name : undefined);
  if (ns !== undefined) request.namespace = ns;
  const data: VariableData = { request };
  if (ctx?.userInfo) {
    request.userInfo = { username: ctx.userInfo.username, groups: ctx.userInfo.groups ?? [], ...(ctx.userInfo.uid ? { uid: ctx.userInfo.uid } : {}) };
    const sa = /^system:serviceaccount:([^:]+):([^:]+)$/.exec(ctx.userInfo.username);
    if (sa) {
      data.serviceAccountNamespace = sa[1];
      data.serviceAccountName = sa[2];
    }
  }
  const images = imagesOf(resource);
  if (images) data.images = images;
  if (ctx?.roles) request.roles = ctx.roles;
  if (ctx?.clusterRoles) request.clusterRoles = ctx.clusterRoles;
  for (const [k, v] of Object.entries(ctx?.variables ?? {})) setDotted(data, k, v);
  return data;
}

/** Kyverno's image information: registry (docker.io by default), path, name, tag (latest unless a digest), digest. */
export function imageInfo(image: string): Record<string, string> | undefined {
  let ref = image;
  const first = ref.split('/')[0]!;
  if (!ref.includes('/') || !(first.includes('.') || first.includes(':') || first === 'localhost')) ref = `docker.io/${ref}`;
  const m = /^([^/]+)\/([a-z0-9]+(?:[._-][a-z0-9]+|__)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+|__)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$/.exec(ref);
  if (!m) return undefined;
  const path = m[2]!;
  const info: Record<string, string> = { registry: m[1]!, name: path.slice(path.lastIndexOf('/') + 1), path };
  if (m[3]) info.tag = m[3];
  if (m[4]) info.digest = m[4];
  if (!m[3] && !m[4]) info.tag = 'latest';
  return info;
}

/** The Pod spec of a Pod, a Pod controller (spec.template) or a CronJob. */
function podSpecOf(resource: KubeObject): Record<string, unknown> | undefined {
  const spec = resource.spec as Record<string, unknown> | undefined;
  if (!spec || typeof spec !== 'object') return undefined;
  if (resource.kind === 'Pod') return spec;
  const tpl = (resource.kind === 'CronJob' ? ((spec.jobTemplate as Record<string, unknown> | undefined)?.spec as Record<string, unknown> | undefined)?.template : spec.template) as
    | Record<string, unknown>
    | undefined;
  const podSpec = tpl?.spec;
  return podSpec && typeof podSpec === 'object' ? (podSpec as Record<string, unknown>) : undefined;
}

/** `images.{containers,initContainers,ephemeralContainers}.<name>` as Kyverno adds them for Pods and Pod controllers. */
function imagesOf(resource: KubeObject): Record<string, unknown> | undefined {
  const spec = podSpecOf(resource);
  if (!spec) return undefined;
  const out: Record<string, unknown> = {};
  for (const field of ['containers', 'initContainers', 'ephemeralContainers']) {
    const list = spec[field];
    if (!Array.isArray(list)) continue;
    const byName: Record<string, unknown> = {};
    for (const c of list as Record<string, unknown>[]) {
      if (typeof c?.name !== 'string' || typeof c.image !== 'string') continue;
      const info = imageInfo(c.image);
      if (info) byName[c.name] = info;
    }
    if (Object.keys(byName).length > 0) out[field] = byName;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Innermost `{{ … }}` (one level of single braces allowed inside, for multiselect hashes), not preceded by a backslash. */
const VARIABLE = /(^|[^\\])(\{\{(?:\{[^{}]*\}|[^{}])*\}\})/g;

/** True when the text holds a `{{ }}` variable. */
export function hasVariables(text: string): boolean {
  VARIABLE.lastIndex = 0;
  return VARIABLE.test(text);
}

export type SubstituteMode = 'strict' | 'conditions';

function resolveOne(expr: string, data: VariableData, mode: SubstituteMode, path: string): unknown {
  let value: unknown;
  try {
    value = queryJmespath(expr, data);
  } catch (e) {
    if (mode === 'conditions') return '';
    throw e;
  }
  if (value === null || value === undefined) {
    if (mode === 'conditions') return '';
    throw new VariableError(`variable ${expr} not resolved at path ${path}`);
  }
  return value;
}

/** Kyverno's getJMESPath: `/validate/pattern/spec/containers/0/name` → `spec.containers[0].name`. */
function atPath(path: string): string {
  return path
    .split('/')
    .slice(3)
    .join('.')
    .replace(/\.(\d)\./g, '[$1].');
}

/** Substitutes the variables of one string; returns a non-string when the string is exactly one variable. */
export function substituteString(text: string, data: VariableData, mode: SubstituteMode = 'strict', path = '/'): unknown {
  if (!text.includes('{{')) return text;
  let value = text;
  for (let guard = 0; guard < 100; guard++) {
    VARIABLE.lastIndex = 0;
    const found: string[] = [];
    for (let m = VARIABLE.exec(value); m; m = VARIABLE.exec(value)) {
      found.push(m[2]!);
      // Let a variable right after another one match too (the prefix char was consumed).
      VARIABLE.lastIndex = m.index + m[1]!.length + m[2]!.length;
    }
    if (found.length === 0) break;
    for (const v of found) {
      let expr = v.slice(2, -2).trim();
      // `{{@}}` in a pattern is the resource's value at the same place (Kyverno: the path past /validate/pattern).
      if (expr === '@') expr = `request.object.${atPath(path)}`;
      const resolved = resolveOne(expr, data, mode, path);
      if (typeof resolved === 'string') {
        value = value.split(v).join(resolved);
        continue;
      }
      if (value === v) return resolved;
      value = value.split(v).join(JSON.stringify(resolved));
    }
  }
  // Escaped variables keep their text without the escape, as Kyverno prints them.
  return value.replace(/\\\{\{/g, '{{');
}

const variableFree = new WeakMap<object, boolean>();

/** True when no string (key or value) in the document holds `{{` (cached per object: policies are reused). */
function isVariableFree(doc: object): boolean {
  let hit = variableFree.get(doc);
  if (hit === undefined) {
    hit = !JSON.stringify(doc).includes('{{');
    variableFree.set(doc, hit);
  }
  return hit;
}

/** Substitutes variables in every string leaf of a JSON-like document (objects, arrays). */
export function substituteAll(doc: unknown, data: VariableData, mode: SubstituteMode = 'strict', path = ''): unknown {
  // Variable-free parts are returned as they are (not copied): callers must not change them.
  if (doc !== null && typeof doc === 'object' && isVariableFree(doc)) return doc;
  if (typeof doc === 'string') return substituteString(doc, data, mode, path || '/');
  if (Array.isArray(doc)) return doc.map((v, i) => substituteAll(v, data, mode, `${path}/${i}`));
  if (doc !== null && typeof doc === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(doc as Record<string, unknown>)) {
      // Keys may hold variables too (Kyverno substitutes in keys of patterns).
      const key = k.includes('{{') ? String(substituteString(k, data, mode, `${path}/${k}`)) : k;
      out[key] = substituteAll(v, data, mode, `${path}/${k}`);
    }
    return out;
  }
  return doc;
}

/** True when any string in the document mentions one of the given variable roots inside `{{ }}`. */
export function mentionsVariable(doc: unknown, names: readonly string[]): boolean {
  if (typeof doc === 'string') {
    if (!doc.includes('{{')) return false;
    return names.some((n) => doc.includes(n));
  }
  if (Array.isArray(doc)) return doc.some((v) => mentionsVariable(v, names));
  if (doc !== null && typeof doc === 'object') {
    return Object.entries(doc as Record<string, unknown>).some(([k, v]) => mentionsVariable(k, names) || mentionsVariable(v, names));
  }
  return false;
}
