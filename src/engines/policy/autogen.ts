/**
 * Pod-controller auto-generation as Kyverno does it: when a policy's rules select Pods (and no
 * rule stands in the way — a name, selector or annotations filter, or Pod mixed with other
 * kinds in one filter), each Pod rule gets `autogen-<rule>` for DaemonSet, Deployment, Job,
 * StatefulSet, ReplicaSet, ReplicationController (patterns moved under `spec.template`) and
 * `autogen-cronjob-<rule>` for CronJob (under `spec.jobTemplate.spec.template`). Variables
 * `request.object.spec`/`metadata` are rewritten to the template's. The annotation
 * `pod-policies.kyverno.io/autogen-controllers` picks the controllers (`none` turns it off).
 */
import type { Policy, Rule } from './types.js';
import { containsKind } from './match.js';

export const AUTOGEN_ANNOTATION = 'pod-policies.kyverno.io/autogen-controllers';

const CONTROLLERS = ['DaemonSet', 'Deployment', 'Job', 'StatefulSet', 'ReplicaSet', 'ReplicationController'];
const POD_AND_CONTROLLERS = new Set(['Pod', ...CONTROLLERS, 'CronJob']);

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function descriptions(block: unknown): Obj[] {
  if (!isObj(block)) return [];
  const out: Obj[] = [];
  const add = (b: unknown): void => {
    // A missing resources description is an empty one (it names nothing).
    out.push(isObj(b) && isObj(b.resources) ? b.resources : {});
  };
  add(block);
  if (Array.isArray(block.any)) block.any.forEach(add);
  if (Array.isArray(block.all)) block.all.forEach(add);
  return out;
}

function kindsOf(desc: Obj): string[] {
  return Array.isArray(desc.kinds) ? desc.kinds.filter((k): k is string => typeof k === 'string') : [];
}

/** Kyverno's CanAutoGen: whether the policy's rules allow generating controller rules at all. */
export function canAutogen(policy: Policy): boolean {
  let needed = false;
  for (const rule of policy.rules) {
    if (rule.type === 'generate') return false;
    const raw = rule as unknown as Obj;
    if (isObj(raw.mutate) && raw.mutate.patchesJson6902) return false;
    const descs = [...descriptions(rule.match), ...(rule.exclude !== undefined ? descriptions(rule.exclude) : [])];
    for (const d of descs) {
      const kinds = kindsOf(d);
      if ((typeof d.name === 'string' && d.name !== '') || (Array.isArray(d.names) && d.names.length > 0) || (d.selector !== undefined && d.selector !== null) || (d.annotations !== undefined && d.annotations !== null)) return false;
      if (kinds.length > 1 && containsKind(kinds, 'Pod')) return false;
      if (kinds.some((k) => POD_AND_CONTROLLERS.has(k))) needed = true;
    }
  }
  return needed;
}

/** The controllers to generate for, or an empty list. */
export function autogenControllers(policy: Policy): string[] {
  if (!canAutogen(policy)) return [];
  const ann = policy.object?.metadata?.annotations?.[AUTOGEN_ANNOTATION];
  if (ann === undefined) return [...CONTROLLERS, 'CronJob'];
  if (ann === 'none' || ann === '') return [];
  if (ann === 'all') return [...CONTROLLERS, 'CronJob'];
  return ann.split(',').map((s) => s.trim());
}

function ruleName(prefix: string, name: string): string {
  const full = `${prefix}-${name}`;
  return full.length > 63 ? full.slice(0, 63) : full;
}

/** Replaces the kinds of the filters that name Pod (or, for CronJob, of every filter). */
function rewriteKinds(block: unknown, kinds: string[], onlyPodFilters: boolean, isExclude: boolean): unknown {
  if (!isObj(block)) return block;
  const out = clone(block);
  const setKinds = (b: unknown): void => {
    if (!isObj(b)) return;
    if (!isObj(b.resources)) {
      if (onlyPodFilters) return;
      b.resources = {};
    }
    const res = b.resources as Obj;
    if (onlyPodFilters && !containsKind(kindsOf(res), 'Pod')) return;
    res.kinds = [...kinds];
  };
  if (Array.isArray(out.any) && out.any.length > 0) out.any.forEach(setKinds);
  else if (Array.isArray(out.all) && out.all.length > 0) out.all.forEach(setKinds);
  else if (!isExclude || (isObj(out.resources) && kindsOf(out.resources).length > 0)) {
    if (!isObj(out.resources)) out.resources = {};
    (out.resources as Obj).kinds = [...kinds];
  }
  return out;
}

function wrap(pattern: unknown, tplKey: string): unknown {
  return { spec: { [tplKey]: pattern } };
}

/** Kyverno's generateRule: a copy of `rule` for the given kinds with patterns under spec.<tplKey>. */
function generate(rule: Rule, name: string, tplKey: string, kinds: string[], onlyPodFilters: boolean): Rule | undefined {
  const out: Rule = { ...clone(rule), name, autogen: true };
  out.match = rewriteKinds(rule.match, kinds, onlyPodFilters, false);
  if (rule.exclude !== undefined) out.exclude = rewriteKinds(rule.exclude, kinds, onlyPodFilters, true);
  const v = rule.validate;
  if (rule.type !== 'validate' || !v) return undefined;
  const base = {
    ...(v.message !== undefined ? { message: v.message } : {}),
    ...(v.failureAction !== undefined ? { failureAction: v.failureAction } : {}),
    ...(v.failureActionOverrides !== undefined ? { failureActionOverrides: clone(v.failureActionOverrides) } : {}),
    ...(v.allowExistingViolations !== undefined ? { allowExistingViolations: v.allowExistingViolations } : {}),
  };
  if (v.pattern !== undefined && v.pattern !== null) {
    out.validate = { ...base, pattern: wrap(clone(v.pattern), tplKey) };
  } else if (v.deny !== undefined && v.deny !== null) {
    out.validate = { ...base, deny: clone(v.deny) };
  } else if (Array.isArray(v.anyPattern)) {
    out.validate = { ...base, anyPattern: v.anyPattern.map((p) => wrap(clone(p), tplKey)) };
  } else if (Array.isArray(v.foreach)) {
    out.validate = { ...base, foreach: clone(v.foreach) };
  } else if (v.podSecurity !== undefined || v.cel !== undefined) {
    out.validate = clone(v);
  } else {
    return undefined;
  }
  return out;
}

const POD_REPLACEMENTS: [string, string][] = [
  ['request.object.spec', 'request.object.spec.template.spec'],
  ['request.oldObject.spec', 'request.oldObject.spec.template.spec'],
  ['request.object.metadata', 'request.object.spec.template.metadata'],
  ['request.oldObject.metadata', 'request.oldObject.spec.template.metadata'],
];
const CRONJOB_REPLACEMENTS: [string, string][] = [
  ['request.object.spec', 'request.object.spec.jobTemplate.spec.template.spec'],
  ['request.oldObject.spec', 'request.oldObject.spec.jobTemplate.spec.template.spec'],
  ['request.object.metadata', 'request.object.spec.jobTemplate.spec.template.metadata'],
  ['request.oldObject.metadata', 'request.oldObject.spec.jobTemplate.spec.template.metadata'],
];

/** Rewrites variable paths in every string of the rule, as Kyverno does on the rule's JSON. */
function rewriteVariables(rule: Rule, replacements: [string, string][]): Rule {
  let json = JSON.stringify(rule);
  for (const [from, to] of replacements) json = json.split(from).join(to);
  return JSON.parse(json) as Rule;
}

function generateForControllers(rule: Rule, controllers: string[]): Rule | undefined {
  if (rule.name.startsWith('autogen-') || controllers.length === 0) return undefined;
  const matchKinds = descriptions(rule.match).flatMap(kindsOf);
  const excludeKinds = rule.exclude !== undefined ? descriptions(rule.exclude).flatMap(kindsOf) : [];
  if (!containsKind(matchKinds, 'Pod') || (excludeKinds.length > 0 && !containsKind(excludeKinds, 'Pod'))) return undefined;
  const valid = controllers.filter((c) => CONTROLLERS.includes(c)).sort();
  if (valid.length === 0) return undefined;
  return generate(rule, ruleName('autogen', rule.name), 'template', valid, true);
}

const cache = new WeakMap<Policy, Rule[]>();

/**
 * The policy's rules followed by the auto-generated controller rules (for each Pod rule:
 * `autogen-<rule>`, then `autogen-cronjob-<rule>`). Cached per policy object.
 */
export function autogenRules(policy: Policy): Rule[] {
  const hit = cache.get(policy);
  if (hit) return hit;
  const controllers = autogenControllers(policy);
  const generated: Rule[] = [];
  if (controllers.length > 0) {
    const withoutCron = controllers.filter((c) => c !== 'CronJob');
    const cron = controllers.includes('CronJob');
    for (const rule of policy.rules) {
      const ctl = generateForControllers(rule, withoutCron);
      if (ctl) generated.push(rewriteVariables(ctl, POD_REPLACEMENTS));
      if (cron) {
        // Kyverno builds the CronJob rule from the controller rule (so patterns nest twice).
        const base = generateForControllers(rule, withoutCron.length > 0 ? withoutCron : CONTROLLERS);
        const cj = base ? generate(base, ruleName('autogen-cronjob', rule.name), 'jobTemplate', ['CronJob'], false) : undefined;
        if (cj) generated.push(rewriteVariables(cj, CRONJOB_REPLACEMENTS));
      }
    }
  }
  const out = generated.length === 0 ? policy.rules : [...policy.rules.filter((r) => !r.name.startsWith('autogen-')), ...generated];
  cache.set(policy, out);
  return out;
}
