/**
 * Reads Kyverno `ClusterPolicy` / `Policy` objects (kyverno.io/v1, v2beta1) into the engine's
 * model. Blocks are kept as written; their shape is checked here so a broken policy fails when
 * it is loaded, with the policy and field named, not later per resource.
 */
import { ManifestError } from '../../core/index.js';
import type { KubeObject, SourceLocation } from '../../core/index.js';
import type { FailureAction, Policy, Rule } from './types.js';
import { checkConditions, ConditionError } from './conditions.js';

const API_VERSIONS = new Set(['kyverno.io/v1', 'kyverno.io/v2beta1', 'kyverno.io/v2']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Enforce/Audit in any case (v1 allowed lower case `enforce`/`audit`). */
function failureActionOf(v: unknown, where: string, fail: (field: string, msg: string) => never): FailureAction | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') {
    const low = v.toLowerCase();
    if (low === 'enforce') return 'Enforce';
    if (low === 'audit') return 'Audit';
  }
  return fail(where, `must be Enforce or Audit, got ${JSON.stringify(v)}`);
}

/** Reads one policy; throws ManifestError naming the policy and field. */
export function parsePolicy(obj: KubeObject, at?: SourceLocation): Policy {
  const kind = obj?.kind;
  const name = typeof obj?.metadata?.name === 'string' ? obj.metadata.name : '';
  const label = `${kind ?? 'policy'} ${JSON.stringify(name)}`;
  const fail = (field: string, msg: string): never => {
    throw new ManifestError(`${label}: ${field}: ${msg}`, at);
  };
  if (kind !== 'ClusterPolicy' && kind !== 'Policy') fail('kind', `must be ClusterPolicy or Policy, got ${JSON.stringify(kind)}`);
  if (!API_VERSIONS.has(obj.apiVersion)) fail('apiVersion', `must be kyverno.io/v1 or kyverno.io/v2beta1, got ${JSON.stringify(obj.apiVersion)}`);
  if (name === '') fail('metadata.name', 'required');
  const spec = obj.spec;
  if (!isObj(spec)) return fail('spec', 'required');
  const policyAction = failureActionOf(spec.validationFailureAction, 'spec.validationFailureAction', fail) ?? 'Audit';
  const background = spec.background === undefined ? true : spec.background === true || spec.background === 'true';
  if (!Array.isArray(spec.rules) || spec.rules.length === 0) fail('spec.rules', 'at least one rule is required');
  const seen = new Set<string>();
  const rules: Rule[] = (spec.rules as unknown[]).map((r, i) => {
    const where = `spec.rules[${i}]`;
    if (!isObj(r)) return fail(where, 'must be a mapping');
    if (typeof r.name !== 'string' || r.name === '') return fail(`${where}.name`, 'required');
    if (seen.has(r.name)) fail(`${where}.name`, `duplicate rule name ${JSON.stringify(r.name)}`);
    seen.add(r.name);
    if (!isObj(r.match)) return fail(`${where}.match`, 'required');
    checkBlock(r.match, `${where}.match`, fail);
    if (r.exclude !== undefined && r.exclude !== null) {
      if (!isObj(r.exclude)) return fail(`${where}.exclude`, 'must be a mapping');
      checkBlock(r.exclude, `${where}.exclude`, fail);
    }
    try {
      checkConditions(r.preconditions, `${where}.preconditions`);
    } catch (e) {
      if (e instanceof ConditionError) fail(e.message.split(':')[0]!, e.message.slice(e.message.indexOf(':') + 2));
      throw e;
    }
    if (r.context !== undefined && !Array.isArray(r.context)) fail(`${where}.context`, 'must be a list');
    for (const [j, c] of (Array.isArray(r.context) ? r.context : []).entries()) {
      if (!isObj(c) || typeof c.name !== 'string' || c.name === '') fail(`${where}.context[${j}].name`, 'required');
    }
    const type: Rule['type'] = isObj(r.validate)
      ? 'validate'
      : isObj(r.mutate)
        ? 'mutate'
        : isObj(r.generate)
          ? 'generate'
          : Array.isArray(r.verifyImages)
            ? 'verifyImages'
            : 'unknown';
    const rule: Rule = { name: r.name, match: r.match, type };
    if (r.exclude !== undefined && r.exclude !== null) rule.exclude = r.exclude;
    if (r.preconditions !== undefined && r.preconditions !== null) rule.preconditions = r.preconditions;
    if (Array.isArray(r.context)) rule.context = r.context;
    if (type === 'validate') {
      const v = r.validate as Obj;
      const validate: NonNullable<Rule['validate']> = { ...v };
      if (v.message !== undefined && typeof v.message !== 'string') fail(`${where}.validate.message`, 'must be a string');
      if (v.anyPattern !== undefined && !Array.isArray(v.anyPattern)) fail(`${where}.validate.anyPattern`, 'must be a list');
      if (v.deny !== undefined && v.deny !== null) {
        if (!isObj(v.deny)) fail(`${where}.validate.deny`, 'must be a mapping');
        try {
          checkConditions((v.deny as Obj).conditions, `${where}.validate.deny.conditions`);
        } catch (e) {
          if (e instanceof ConditionError) fail(e.message.split(':')[0]!, e.message.slice(e.message.indexOf(':') + 2));
          throw e;
        }
      }
      const ruleAction = failureActionOf(v.failureAction, `${where}.validate.failureAction`, fail);
      if (ruleAction) validate.failureAction = ruleAction;
      else delete validate.failureAction;
      rule.validate = validate;
    } else if (type === 'unknown') {
      fail(where, 'needs one of validate, mutate, generate, verifyImages');
    }
    return rule;
  });
  const policy: Policy = { kind: kind as Policy['kind'], name, failureAction: policyAction, background, rules, object: obj };
  if (kind === 'Policy') policy.namespace = obj.metadata.namespace ?? 'default';
  if (at) policy.at = at;
  return policy;
}

function checkBlock(block: Obj, where: string, fail: (field: string, msg: string) => never): void {
  for (const key of ['any', 'all'] as const) {
    const list = block[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list)) fail(`${where}.${key}`, 'must be a list');
    (list as unknown[]).forEach((b, i) => {
      if (!isObj(b)) fail(`${where}.${key}[${i}]`, 'must be a mapping');
      checkResources((b as Obj).resources, `${where}.${key}[${i}].resources`, fail);
    });
  }
  checkResources(block.resources, `${where}.resources`, fail);
}

function checkResources(res: unknown, where: string, fail: (field: string, msg: string) => never): void {
  if (res === undefined || res === null) return;
  if (!isObj(res)) fail(where, 'must be a mapping');
  const r = res as Obj;
  for (const f of ['kinds', 'names', 'namespaces', 'operations'] as const) {
    const v = r[f];
    if (v !== undefined && v !== null && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) fail(`${where}.${f}`, 'must be a list of strings');
  }
}

/** Reads every ClusterPolicy/Policy among the objects (others are ignored). */
export function parsePolicies(objs: KubeObject[]): Policy[] {
  return objs
    .filter((o) => (o?.kind === 'ClusterPolicy' || o?.kind === 'Policy') && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('kyverno.io/'))
    .map((o) => parsePolicy(o));
}
