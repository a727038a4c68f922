/**
 * The policy engine: Kyverno ClusterPolicy/Policy validate rules applied to Kubernetes
 * objects. Pure — callers (CLI, webhook, pipeline and GitOps enforcement) bring the objects
 * and the admission context.
 */
export type {
  AdmissionContext,
  FailureAction,
  PatternResult,
  Policy,
  ResourceRef,
  Rule,
  RuleResult,
  RuleStatus,
} from './types.js';
export { parsePolicy, parsePolicies } from './parse.js';
export { autogenRules, autogenControllers, canAutogen, AUTOGEN_ANNOTATION } from './autogen.js';
export { applyPolicy, applyPolicies, type ApplyOptions } from './evaluate.js';
export { ruleMatches, matchBlock, kindMatches, parseKindSelector, labelSelectorMatches } from './match.js';
export { evaluateConditions, evaluateOperator, ConditionError } from './conditions.js';
export { buildVariableData, substituteAll, substituteString, queryJmespath, VariableError } from './variables.js';
export { validatePattern } from './pattern.js';
// Kyverno CLI test files (kyverno-test.yaml, values, user info) and judging results against them.
export * from './kyverno-test.js';
