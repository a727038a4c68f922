/**
 * The policy engine's model: Kyverno `ClusterPolicy`/`Policy` validate rules as read from
 * YAML, and the results of applying them to resources. Pure: no cluster, no clock, no
 * files; the admission webhook, the CLI, pipelines and GitOps feed it objects.
 */
import type { KubeObject, SourceLocation } from '../../core/index.js';

export type FailureAction = 'Enforce' | 'Audit';

export interface Policy {
  kind: 'ClusterPolicy' | 'Policy';
  name: string;
  /** Only for kind Policy: it applies to resources of this namespace only. */
  namespace?: string;
  /** spec.validationFailureAction (v1) or the rule's validate.failureAction (newer); default Audit. */
  failureAction: FailureAction;
  /** spec.background (default true): whether the policy applies to existing resources, not only admission requests. */
  background: boolean;
  rules: Rule[];
  /** The policy as written (for annotations such as pod-policies.kyverno.io/autogen-controllers). */
  object: KubeObject;
  at?: SourceLocation;
}

export interface Rule {
  name: string;
  /** The raw Kyverno blocks (match/exclude/preconditions/context/validate) as written. */
  match: unknown;
  exclude?: unknown;
  preconditions?: unknown;
  context?: unknown[];
  validate?: {
    message?: string;
    pattern?: unknown;
    anyPattern?: unknown[];
    deny?: { conditions?: unknown };
    /** Per-rule override of the policy's failure action. */
    failureAction?: FailureAction;
    [k: string]: unknown;
  };
  /** Other rule types (mutate, generate, verifyImages) are kept but not evaluated: results are `skip`. */
  type: 'validate' | 'mutate' | 'generate' | 'verifyImages' | 'unknown';
  /** Set on rules made by Pod-controller auto-generation (`autogen-<name>`, `autogen-cronjob-<name>`). */
  autogen?: boolean;
}

export type RuleStatus = 'pass' | 'fail' | 'skip' | 'error' | 'warn';

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export interface RuleResult {
  policy: string;
  /** Policy namespace for kind Policy. */
  policyNamespace?: string;
  rule: string;
  resource: ResourceRef;
  status: RuleStatus;
  /** Kyverno's message: for a failed pattern, `validation error: <message>. rule <rule> failed at path <path>`. */
  message: string;
  action: FailureAction;
  /** True for a rule auto-generated for Pod controllers. */
  autogen?: boolean;
}

/** The admission request around a resource, for match/exclude and `request.*` variables. */
export interface AdmissionContext {
  operation: 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';
  /** The request's user; absent outside admission (CLI, pipeline, GitOps). */
  userInfo?: { username: string; groups?: string[]; uid?: string };
  roles?: string[];
  clusterRoles?: string[];
  oldObject?: KubeObject;
  /** Labels of the resource's namespace, for namespaceSelector. */
  namespaceLabels?: Record<string, string>;
  /** Extra variables (Kyverno CLI test `variables`/values files, context entries resolved by the caller). */
  variables?: Record<string, unknown>;
  /** True for a background scan (no admission request): rules using request.userInfo etc. are skipped as Kyverno does. */
  background?: boolean;
}

/** The outcome of matching one value against a pattern (validate.pattern / anyPattern element). */
export interface PatternResult {
  /** pass: matched; fail: did not; skip: a conditional anchor did not hold (the rule does not apply). */
  status: 'pass' | 'fail' | 'skip';
  /** Kyverno-style path of the first mismatch, e.g. `/spec/containers/0/image/`. */
  path?: string;
  /** Why, for messages and debugging. */
  reason?: string;
}
