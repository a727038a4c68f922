/**
 * Applying validate rules to resources, as Kyverno's engine does for one policy and one
 * resource: the policy's rules plus the Pod-controller rules made by autogen; a rule that does
 * not match gives no result; one that matches loads its context, checks its preconditions
 * (skip when they do not hold), then runs deny conditions or pattern/anyPattern, with
 * Kyverno's messages.
 */
import type { KubeObject } from '../../core/index.js';
import type { AdmissionContext, FailureAction, Policy, Rule, RuleResult, RuleStatus } from './types.js';
import { autogenRules } from './autogen.js';
import { evaluateConditionsWithMessage } from './conditions.js';
import { labelSelectorMatches, ruleMatches, usesUserInfo } from './match.js';
import { globMatch } from './jmespath-functions.js';
import { validatePattern } from './pattern.js';
import { buildVariableData, mentionsVariable, operationOf, queryJmespath, setDotted, substituteAll, substituteString, type VariableData } from './variables.js';

/** Variables that only exist in an admission request (Kyverno refuses them in background scans). */
const USER_VARIABLES = ['request.userInfo', 'request.roles', 'request.clusterRoles', 'serviceAccountName', 'serviceAccountNamespace'];

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function errMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

class RuleOutcome {
  constructor(
    readonly status: RuleStatus,
    readonly message: string,
  ) {}
}

/** Loads the rule's `context` entries into the variable data. */
function loadContext(entries: unknown[] | undefined, data: VariableData, ctx?: AdmissionContext): void {
  for (const entry of entries ?? []) {
    if (!isObj(entry)) continue;
    const name = String(entry.name);
    const given = ctx?.variables;
    if (given && (name in given || Object.keys(given).some((k) => k.startsWith(`${name}.`)))) continue; // values from the caller stand in
    if (isObj(entry.variable)) {
      const v = entry.variable;
      let value: unknown = v.value !== undefined ? substituteAll(v.value, data) : undefined;
      if (typeof v.jmesPath === 'string' && v.jmesPath !== '') {
        const expr = String(substituteString(v.jmesPath, data));
        try {
          value = queryJmespath(expr, value !== undefined ? value : data);
        } catch (e) {
          if (v.default === undefined) throw e;
          value = null;
        }
      }
      if ((value === null || value === undefined) && v.default !== undefined) value = substituteAll(v.default, data);
      if (value === undefined || value === null) {
        throw new Error(`variable ${name} could not be resolved (no value, JMESPath result or default)`);
      }
      setDotted(data, name, value);
      continue;
    }
    const source = ['configMap', 'apiCall', 'imageRegistry', 'globalReference'].find((k) => entry[k] !== undefined) ?? 'unknown';
    throw new Error(`context entry ${name} (${source}) needs a cluster; pass its value as a variable`);
  }
}

function withPeriod(msg: string): string {
  return msg.endsWith('.') ? msg : `${msg}.`;
}

function messageOf(rule: Rule, data: VariableData): { text: string; ok: boolean } {
  const raw = rule.validate?.message ?? '';
  try {
    const v = substituteString(raw, data);
    return typeof v === 'string' ? { text: v, ok: true } : { text: JSON.stringify(v), ok: true };
  } catch {
    return { text: raw, ok: false };
  }
}

function validateRule(rule: Rule, resource: KubeObject, data: VariableData, ctx?: AdmissionContext): RuleOutcome | undefined {
  const v = rule.validate!;
  try {
    loadContext(rule.context, data, ctx);
  } catch (e) {
    return new RuleOutcome('error', `failed to load context: ${errMessage(e)}`);
  }
  let pre: { result: boolean; message: string };
  try {
    pre = evaluateConditionsWithMessage(rule.preconditions, data, 'preconditions');
  } catch (e) {
    return new RuleOutcome('error', `failed to evaluate preconditions: ${errMessage(e)}`);
  }
  if (!pre.result) return new RuleOutcome('skip', pre.message ? `preconditions not met; ${pre.message}` : 'preconditions not met');

  if (v.deny !== undefined && v.deny !== null) {
    let deny: { result: boolean; message: string };
    try {
      deny = evaluateConditionsWithMessage((v.deny as Obj).conditions, data, 'deny.conditions');
    } catch (e) {
      return new RuleOutcome('error', `failed to check deny conditions: ${errMessage(e)}`);
    }
    if (!deny.result) return new RuleOutcome('pass', `validation rule '${rule.name}' passed.`);
    if (!v.message && !deny.message) return new RuleOutcome('fail', `validation error: rule ${rule.name} failed`);
    // The rule's message and the deciding conditions' messages; on a substitution error Kyverno shows the latter.
    const text = [v.message, deny.message].filter(Boolean).join('; ');
    try {
      const msg = substituteString(text, data);
      return new RuleOutcome('fail', typeof msg === 'string' ? msg : "the produced message didn't resolve to a string, check your policy definition.");
    } catch {
      return new RuleOutcome('fail', deny.message);
    }
  }

  if (v.pattern !== undefined || v.anyPattern !== undefined) {
    if (operationOf(ctx) === 'DELETE') return undefined; // Kyverno does not validate patterns on deleted objects
    let pattern: unknown;
    let anyPattern: unknown[] | undefined;
    try {
      if (v.pattern !== undefined) pattern = substituteAll(v.pattern, data, 'strict', '/validate/pattern');
      else anyPattern = substituteAll(v.anyPattern, data, 'strict', '/validate/anyPattern') as unknown[];
    } catch (e) {
      return new RuleOutcome('error', `variable substitution failed: ${errMessage(e)}`);
    }
    if (anyPattern === undefined) {
      const r = validatePattern(resource, pattern);
      if (r.status === 'pass') return new RuleOutcome('pass', `validation rule '${rule.name}' passed.`);
      if (r.status === 'skip') return new RuleOutcome('skip', r.reason ?? 'conditional anchor mismatch');
      const msg = v.message ? messageOf(rule, data) : { ok: true as const, text: '' };
      if (!msg.ok) return new RuleOutcome('fail', `validation error: variables substitution error in rule ${rule.name} execution error: ${r.reason ?? 'pattern mismatch'}`);
      const lead = msg.text ? `validation error: ${withPeriod(msg.text)} ` : 'validation error: ';
      // A mismatch with no place to point at (an anchor's key missing, a list too short) is
      // a rule error in Kyverno, not a failure: "... rule X execution error: <reason>".
      if (!r.path) return new RuleOutcome('error', `${lead}rule ${rule.name} execution error: ${r.reason ?? 'pattern mismatch'}`);
      return new RuleOutcome('fail', `${lead}rule ${rule.name} failed at path ${r.path}`);
    }
    const failed: string[] = [];
    const skipped: string[] = [];
    for (const [i, p] of anyPattern.entries()) {
      const r = validatePattern(resource, p);
      if (r.status === 'pass') return new RuleOutcome('pass', `validation rule '${rule.name}' anyPattern[${i}] passed.`);
      if (r.status === 'skip') skipped.push(`rule ${rule.name}[${i}] skipped: ${r.reason ?? 'conditional anchor mismatch'}`);
      else failed.push(r.path ? `rule ${rule.name}[${i}] failed at path ${r.path}` : `rule ${rule.name}[${i}] failed: ${r.reason ?? 'pattern mismatch'}`);
    }
    if (failed.length === 0 && skipped.length > 0) return new RuleOutcome('skip', skipped.join(' '));
    if (failed.length === 0) return new RuleOutcome('pass', v.message ?? '');
    const errs = failed.join(' ');
    if (!v.message) return new RuleOutcome('fail', `validation error: ${errs}`);
    const msg = messageOf(rule, data);
    if (!msg.ok) return new RuleOutcome('fail', `validation error: variables substitution error in rule ${rule.name} execution error: ${errs}`);
    return new RuleOutcome('fail', msg.text.endsWith('.') ? `validation error: ${msg.text} ${errs}` : `validation error: ${msg.text}. ${errs}`);
  }

  if (Array.isArray(v.foreach)) return validateForeach(rule, v.foreach, resource, data, ctx);
  if (v.podSecurity !== undefined) return new RuleOutcome('skip', 'podSecurity rules are not supported by this engine');
  if (v.cel !== undefined) return new RuleOutcome('skip', 'CEL rules are not supported by this engine');
  if (v.manifests !== undefined) return new RuleOutcome('skip', 'manifest verification is not supported by this engine');
  return new RuleOutcome('error', 'invalid validation rule: pattern, anyPattern, deny or foreach expected');
}

/** validate.foreach: each element of `list` in turn as `element` (and `elementIndex`). */
function validateForeach(rule: Rule, foreach: unknown[], resource: KubeObject, data: VariableData, ctx?: AdmissionContext): RuleOutcome {
  let applied = 0;
  for (const fe of foreach) {
    if (!isObj(fe) || typeof fe.list !== 'string') continue;
    let elements: unknown;
    try {
      elements = queryJmespath(String(substituteString(fe.list, data)), data);
    } catch {
      continue;
    }
    if (!Array.isArray(elements)) continue;
    // Nested foreach: element/elementIndex are the innermost, element<N>/elementIndex<N> each level.
    const nesting = Object.keys(data).filter((k) => /^element\d+$/.test(k)).length;
    for (const [index, element] of elements.entries()) {
      if (element === null || element === undefined) continue;
      const scoped: VariableData = { ...data, element, elementIndex: index, [`element${nesting}`]: element, [`elementIndex${nesting}`]: index };
      const inner: Rule = {
        name: rule.name,
        match: rule.match,
        type: 'validate',
        ...(fe.context !== undefined ? { context: fe.context as unknown[] } : {}),
        ...(fe.preconditions !== undefined ? { preconditions: fe.preconditions } : {}),
        validate: {
          ...(rule.validate?.message !== undefined ? { message: rule.validate.message } : {}),
          ...(fe.pattern !== undefined ? { pattern: fe.pattern } : {}),
          ...(fe.anyPattern !== undefined ? { anyPattern: fe.anyPattern as unknown[] } : {}),
          ...(fe.deny !== undefined ? { deny: fe.deny as { conditions?: unknown } } : {}),
          ...(fe.foreach !== undefined ? { foreach: fe.foreach } : {}),
        },
      };
      // Patterns in foreach apply to an object element, not the resource (unless elementScope is false).
      const target = fe.elementScope !== false && isObj(element) ? (element as KubeObject) : resource;
      const r = validateRule(inner, target, scoped, ctx);
      if (!r || r.status === 'skip') continue;
      if (r.status !== 'pass') return new RuleOutcome(r.status, `validation failure: ${r.message}`);
      applied++;
    }
  }
  if (applied === 0) return new RuleOutcome('skip', 'rule skipped');
  return new RuleOutcome('pass', `validation rule '${rule.name}' passed.`);
}

/**
 * The failure action for a resource: validationFailureActionOverrides (the rule's
 * failureActionOverrides, else the policy's) by namespace, else the rule's, else the policy's.
 */
function actionFor(policy: Policy, rule: Rule, resource: KubeObject, ctx?: AdmissionContext): FailureAction {
  const spec = (policy.object as { spec?: Obj }).spec ?? {};
  const overrides = rule.validate?.failureActionOverrides ?? spec.validationFailureActionOverrides;
  if (Array.isArray(overrides) && overrides.length > 0) {
    const ns = resource.kind === 'Namespace' ? (resource.metadata?.name ?? '') : (resource.metadata?.namespace ?? '');
    for (const o of overrides) {
      if (!isObj(o) || typeof o.action !== 'string') continue;
      const names = Array.isArray(o.namespaces) ? o.namespaces.filter((n): n is string => typeof n === 'string') : [];
      const byName = names.some((n) => globMatch(n, ns));
      const bySelector = o.namespaceSelector !== undefined && o.namespaceSelector !== null && labelSelectorMatches(o.namespaceSelector, ctx?.namespaceLabels);
      if (ns !== '' && (byName || bySelector)) {
        const low = o.action.toLowerCase();
        if (low === 'enforce') return 'Enforce';
        if (low === 'audit') return 'Audit';
      }
    }
  }
  return rule.validate?.failureAction ?? policy.failureAction;
}

function resultOf(policy: Policy, rule: Rule, resource: KubeObject, status: RuleStatus, message: string, ctx?: AdmissionContext): RuleResult {
  const action: FailureAction = actionFor(policy, rule, resource, ctx);
  const r: RuleResult = {
    policy: policy.name,
    rule: rule.name,
    resource: {
      apiVersion: resource.apiVersion,
      kind: resource.kind,
      name: resource.metadata?.name ?? '',
      ...(resource.metadata?.namespace !== undefined ? { namespace: resource.metadata.namespace } : {}),
    },
    status,
    message,
    action,
  };
  if (policy.namespace !== undefined) r.policyNamespace = policy.namespace;
  if (rule.autogen) r.autogen = true;
  return r;
}

function ruleUsesUserInfo(rule: Rule): boolean {
  if (usesUserInfo(rule.match) || usesUserInfo(rule.exclude)) return true;
  return mentionsVariable([rule.preconditions, rule.context, rule.validate], USER_VARIABLES);
}

/**
 * Applies one policy to one resource: one result per matching rule (autogen rules included),
 * none for rules that do not match.
 */
export interface ApplyOptions {
  /**
   * Extra variables for one rule (by rule name, autogen names included), on top of
   * ctx.variables — the Kyverno CLI's per-rule values that stand in for context entries.
   */
  ruleVariables?: (rule: string) => Record<string, unknown> | undefined;
}

export function applyPolicy(policy: Policy, resource: KubeObject, ctx?: AdmissionContext, options?: ApplyOptions): RuleResult[] {
  return applyWith(policy, resource, ctx, undefined, options);
}

function applyWith(policy: Policy, resource: KubeObject, policyCtx: AdmissionContext | undefined, base: VariableData | undefined, options?: ApplyOptions): RuleResult[] {
  const out: RuleResult[] = [];
  const rules = autogenRules(policy);
  let shared: VariableData | undefined = base;
  const applyOne = (policy.object as { spec?: Obj }).spec?.applyRules === 'One';
  for (const rule of rules) {
    const extra = options?.ruleVariables?.(rule.name);
    const ctx: AdmissionContext | undefined = extra ? { ...(policyCtx ?? { operation: 'CREATE' }), variables: { ...policyCtx?.variables, ...extra } } : policyCtx;
    if (!ruleMatches(rule, resource, ctx, policy)) continue;
    if (rule.type !== 'validate' || !rule.validate) {
      out.push(resultOf(policy, rule, resource, 'skip', `${rule.type} rules are not evaluated by this engine`, ctx));
      continue;
    }
    if (ctx?.background && ruleUsesUserInfo(rule)) {
      out.push(resultOf(policy, rule, resource, 'skip', 'rule uses request user information, which a background scan does not have', ctx));
      continue;
    }
    let data: VariableData;
    if (extra) {
      data = buildVariableData(resource, ctx);
    } else {
      shared ??= buildVariableData(resource, ctx);
      // Each rule sees its own copy: context entries (set copy-on-write) must not leak between rules.
      data = { ...shared };
    }
    let outcome: RuleOutcome | undefined;
    try {
      outcome = validateRule(rule, resource, data, ctx);
    } catch (e) {
      outcome = new RuleOutcome('error', errMessage(e));
    }
    if (outcome?.status === 'fail' && existingViolation(policy, rule, resource, ctx)) {
      outcome = new RuleOutcome('skip', 'skipping the rule evaluation as pre-existing violations are allowed');
    }
    if (outcome) out.push(resultOf(policy, rule, resource, outcome.status, outcome.message, ctx));
    // spec.applyRules: One — stop after the first rule that applied (passed or failed).
    if (applyOne && outcome && (outcome.status === 'pass' || outcome.status === 'fail')) break;
  }
  return out;
}

/**
 * Kyverno's allowExistingViolations (default true) for Enforce rules on UPDATE: when the old
 * object, evaluated as if it were being created, fails the rule too, the failure is not new and
 * the rule is skipped.
 */
function existingViolation(policy: Policy, rule: Rule, resource: KubeObject, ctx?: AdmissionContext): boolean {
  if (actionFor(policy, rule, resource, ctx) !== 'Enforce') return false;
  if (rule.validate?.allowExistingViolations === false) return false;
  if (operationOf(ctx) !== 'UPDATE' || !ctx?.oldObject) return false;
  const old = ctx.oldObject;
  const asCreate: AdmissionContext = { ...ctx, operation: 'CREATE' };
  delete asCreate.oldObject;
  if (ctx.variables && 'request.operation' in ctx.variables) asCreate.variables = { ...ctx.variables, 'request.operation': 'CREATE' };
  if (!ruleMatches(rule, old, asCreate, policy)) return false;
  try {
    return validateRule(rule, old, buildVariableData(old, asCreate), asCreate)?.status === 'fail';
  } catch {
    return false;
  }
}

/** Applies every policy to every resource (resources outer, policies inner). */
export function applyPolicies(policies: Policy[], resources: KubeObject[], ctx?: AdmissionContext): RuleResult[] {
  const out: RuleResult[] = [];
  for (const resource of resources) {
    const data = buildVariableData(resource, ctx);
    for (const policy of policies) out.push(...applyWith(policy, resource, ctx, data));
  }
  return out;
}
