/**
 * Kyverno CLI test files (`kyverno-test.yaml`), their values and user-info files, and the
 * comparison of a run's RuleResults with the results a test expects, as `kyverno test` judges
 * them (cmd/cli/kubectl-kyverno/commands/test in kyverno/kyverno). Pure: the caller reads the
 * files, runs the engine and prints; this module only parses and compares.
 *
 * Two test formats are read: `apiVersion: cli.kyverno.io/v1alpha1, kind: Test` (name in
 * metadata.name) and the older kind-less one (top-level `name`). Values files likewise:
 * `kind: Values` or kind-less; user-info files `kind: UserInfo` or kind-less.
 */
import { SlipwayError, type KubeObject, type SourceLocation } from '../../core/index.js';
import { parseYamlStream, type YamlDocument } from '../yaml/index.js';
import type { AdmissionContext, ResourceRef, RuleResult, RuleStatus } from './types.js';

/** A test, values or user-info file that parses as YAML but does not have the shape Kyverno reads. */
export class KyvernoTestError extends SlipwayError {
  readonly code = 'SLW880' as const;
}

export const TEST_RESULT_STATUSES: readonly RuleStatus[] = ['pass', 'fail', 'warn', 'error', 'skip'];

/** One entry of a test's `results`, as written. */
export interface TestResultSpec {
  policy: string;
  rule: string;
  kind: string;
  /** `resources`, or the deprecated single `resource`; each a name or `namespace/name`. */
  resources: string[];
  /** Deprecated: filters resources by namespace when given. */
  namespace?: string;
  /** `result`, or the deprecated `status`. */
  result: RuleStatus;
  /** Set for ValidatingAdmissionPolicy results (and the newer CEL policy kinds): not run here. */
  admissionPolicy?: string;
  /** Mutate/generate checks (patchedResource, generatedResource, cloneSourceResource): not run here. */
  resourceCheck?: string;
  at?: SourceLocation;
}

/** The parts of a Kyverno CLI values file this runner uses. */
export interface KyvernoValues {
  globalValues: Record<string, unknown>;
  policies: {
    name: string;
    rules: { name: string; values: Record<string, unknown> }[];
    resources: { name: string; values: Record<string, unknown> }[];
  }[];
  /** namespaceSelector[] and namespaces[] (the latter wins), as namespace name -> labels. */
  namespaceLabels: Record<string, Record<string, string>>;
}

/** A Kyverno CLI user-info file: the admission request's user, roles and cluster roles. */
export interface KyvernoUserInfo {
  userInfo?: { username: string; groups?: string[]; uid?: string };
  roles: string[];
  clusterRoles: string[];
}

export interface KyvernoTest {
  name: string;
  /** The test file; paths in it are relative to its directory. */
  file: string;
  policies: string[];
  resources: string[];
  /** Path of a values file (`variables:`). */
  variables?: string;
  /** Inline values (`values:`); when set, the variables file is not read (as Kyverno). */
  values?: KyvernoValues;
  /** Path of a user-info file (`userinfo:`). */
  userinfo?: string;
  results: TestResultSpec[];
  /** Fields this runner does not evaluate (checks, exceptions, targetResources …), each with its line. */
  unsupported: { field: string; at: SourceLocation }[];
  at: SourceLocation;
}

// ---------------------------------------------------------------- parsing

type Path = (string | number)[];

class Reader {
  constructor(
    readonly doc: YamlDocument,
    readonly what: string,
  ) {}

  at(path: Path): SourceLocation {
    return this.doc.locate(path);
  }

  fail(path: Path, message: string): never {
    throw new KyvernoTestError(`${this.what}: ${message}`, this.at(path));
  }

  map(value: unknown, path: Path, field: string): Record<string, unknown> {
    if (value === undefined || value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(path, `${field} must be a map, found ${describe(value)}`);
    return value as Record<string, unknown>;
  }

  list(value: unknown, path: Path, field: string): unknown[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) this.fail(path, `${field} must be a list, found ${describe(value)}`);
    return value;
  }

  string(value: unknown, path: Path, field: string, required = false): string | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.fail(path, `missing required field "${field}"`);
      return undefined;
    }
    if (typeof value !== 'string') this.fail(path, `${field} must be a string, found ${describe(value)}`);
    return value;
  }

  strings(value: unknown, path: Path, field: string): string[] {
    return this.list(value, path, field).map((v, i) => this.string(v, [...path, i], `${field}[${i}]`, true)!);
  }

  stringMap(value: unknown, path: Path, field: string): Record<string, string> {
    const m = this.map(value, path, field);
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(m)) {
      if (v === null || typeof v === 'object') this.fail([...path, k], `${field}["${k}"] must be a string, found ${describe(v)}`);
      out[k] = String(v);
    }
    return out;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function firstDocument(text: string, file: string, what: string): YamlDocument {
  const docs = parseYamlStream(text, file).filter((d) => d.value !== null && d.value !== undefined);
  if (docs.length === 0) throw new KyvernoTestError(`${what}: the file is empty`, { file, line: 1 });
  return docs[0]!;
}

const TEST_FIELDS_NOT_RUN = ['checks', 'jsonPayload', 'jsonPayloads', 'targetResources', 'paramResources', 'exceptions', 'context', 'clusterResources'];
const ADMISSION_POLICY_FLAGS = [
  'isValidatingAdmissionPolicy',
  'isValidatingPolicy',
  'isImageValidatingPolicy',
  'isMutatingAdmissionPolicy',
  'isMutatingPolicy',
  'isGeneratingPolicy',
  'isDeletingPolicy',
];

/** Reads a `kyverno-test.yaml` (the first document of the file). */
export function parseKyvernoTest(text: string, file: string): KyvernoTest {
  const doc = firstDocument(text, file, 'Kyverno test');
  const r = new Reader(doc, 'Kyverno test');
  const top = r.map(doc.value, [], 'the test');
  if (top.kind !== undefined && top.kind !== 'Test') r.fail(['kind'], `kind must be Test, found ${describe(top.kind)}`);
  if (top.apiVersion !== undefined && typeof top.apiVersion === 'string' && !top.apiVersion.startsWith('cli.kyverno.io/')) {
    r.fail(['apiVersion'], `apiVersion must be cli.kyverno.io/v1alpha1, found "${top.apiVersion}"`);
  }
  const meta = r.map(top.metadata, ['metadata'], 'metadata');
  const name = r.string(meta.name, ['metadata', 'name'], 'metadata.name') ?? r.string(top.name, ['name'], 'name') ?? '';
  const policies = r.strings(top.policies, ['policies'], 'policies');
  const resources = r.strings(top.resources, ['resources'], 'resources');
  const results = r.list(top.results, ['results'], 'results').map((entry, i) => parseResult(r, entry, ['results', i]));
  const unsupported = TEST_FIELDS_NOT_RUN.filter((f) => top[f] !== undefined && top[f] !== null && !(Array.isArray(top[f]) && (top[f] as unknown[]).length === 0)).map((field) => ({ field, at: r.at([field]) }));
  return {
    name,
    file,
    policies,
    resources,
    ...(r.string(top.variables, ['variables'], 'variables') !== undefined && { variables: top.variables as string }),
    ...(top.values !== undefined && top.values !== null && { values: readValues(r, top.values, ['values']) }),
    ...(r.string(top.userinfo, ['userinfo'], 'userinfo') !== undefined && { userinfo: top.userinfo as string }),
    results,
    unsupported,
    at: doc.at,
  };
}

function parseResult(r: Reader, entry: unknown, path: Path): TestResultSpec {
  const e = r.map(entry, path, `results[${path[1]}]`);
  const field = (f: string) => `results[${path[1]}].${f}`;
  const policy = r.string(e.policy, [...path, 'policy'], field('policy'), true)!;
  const result = (r.string(e.result, [...path, 'result'], field('result')) ?? r.string(e.status, [...path, 'status'], field('status'), true)) as RuleStatus;
  if (!TEST_RESULT_STATUSES.includes(result)) {
    r.fail([...path, e.result !== undefined ? 'result' : 'status'], `${field('result')} must be one of ${TEST_RESULT_STATUSES.join(', ')}, found "${result}"`);
  }
  const admissionPolicy = ADMISSION_POLICY_FLAGS.find((f) => e[f] === true);
  const rule = r.string(e.rule, [...path, 'rule'], field('rule'), !admissionPolicy) ?? '';
  const kind = r.string(e.kind, [...path, 'kind'], field('kind'), true)!;
  const resources = r.strings(e.resources, [...path, 'resources'], field('resources'));
  const single = r.string(e.resource, [...path, 'resource'], field('resource'));
  if (resources.length === 0 && single !== undefined) resources.push(single);
  if (resources.length === 0) r.fail(path, `${field('resources')}: name at least one resource`);
  const namespace = r.string(e.namespace, [...path, 'namespace'], field('namespace'));
  const resourceCheck = ['patchedResource', 'generatedResource', 'cloneSourceResource'].find((f) => typeof e[f] === 'string' && e[f] !== '');
  return {
    policy,
    rule,
    kind,
    resources,
    ...(namespace !== undefined && { namespace }),
    result,
    ...(admissionPolicy && { admissionPolicy }),
    ...(resourceCheck && { resourceCheck }),
    at: r.at(path),
  };
}

/** Reads a values file (`kind: Values`, or the kind-less format with the same fields). */
export function parseKyvernoValues(text: string, file: string): KyvernoValues {
  const doc = firstDocument(text, file, 'Kyverno values');
  const r = new Reader(doc, 'Kyverno values');
  const top = r.map(doc.value, [], 'the values');
  if (top.kind !== undefined && top.kind !== 'Values') r.fail(['kind'], `kind must be Values, found ${describe(top.kind)}`);
  return readValues(r, top, []);
}

function readValues(r: Reader, value: unknown, path: Path): KyvernoValues {
  const v = r.map(value, path, 'values');
  const values = (x: unknown, p: Path) => r.map(x, p, 'values');
  const policies = r.list(v.policies, [...path, 'policies'], 'policies').map((p, i) => {
    const pp = [...path, 'policies', i];
    const pol = r.map(p, pp, `policies[${i}]`);
    return {
      name: r.string(pol.name, [...pp, 'name'], `policies[${i}].name`, true)!,
      rules: r.list(pol.rules, [...pp, 'rules'], `policies[${i}].rules`).map((x, j) => {
        const rp = [...pp, 'rules', j];
        const rule = r.map(x, rp, `policies[${i}].rules[${j}]`);
        return { name: r.string(rule.name, [...rp, 'name'], `policies[${i}].rules[${j}].name`, true)!, values: values(rule.values, [...rp, 'values']) };
      }),
      resources: r.list(pol.resources, [...pp, 'resources'], `policies[${i}].resources`).map((x, j) => {
        const rp = [...pp, 'resources', j];
        const res = r.map(x, rp, `policies[${i}].resources[${j}]`);
        return { name: r.string(res.name, [...rp, 'name'], `policies[${i}].resources[${j}].name`, true)!, values: values(res.values, [...rp, 'values']) };
      }),
    };
  });
  const namespaceLabels: Record<string, Record<string, string>> = {};
  r.list(v.namespaceSelector, [...path, 'namespaceSelector'], 'namespaceSelector').forEach((x, i) => {
    const np = [...path, 'namespaceSelector', i];
    const ns = r.map(x, np, `namespaceSelector[${i}]`);
    namespaceLabels[r.string(ns.name, [...np, 'name'], `namespaceSelector[${i}].name`, true)!] = r.stringMap(ns.labels, [...np, 'labels'], `namespaceSelector[${i}].labels`);
  });
  r.list(v.namespaces, [...path, 'namespaces'], 'namespaces').forEach((x, i) => {
    const np = [...path, 'namespaces', i];
    const meta = r.map(r.map(x, np, `namespaces[${i}]`).metadata, [...np, 'metadata'], `namespaces[${i}].metadata`);
    namespaceLabels[r.string(meta.name, [...np, 'metadata', 'name'], `namespaces[${i}].metadata.name`, true)!] = r.stringMap(meta.labels, [...np, 'metadata', 'labels'], `namespaces[${i}].metadata.labels`);
  });
  return { globalValues: values(v.globalValues, [...path, 'globalValues']), policies, namespaceLabels };
}

/** Reads a user-info file (`kind: UserInfo`, or kind-less): roles, clusterRoles, userInfo. */
export function parseKyvernoUserInfo(text: string, file: string): KyvernoUserInfo {
  const doc = firstDocument(text, file, 'Kyverno user info');
  const r = new Reader(doc, 'Kyverno user info');
  const top = r.map(doc.value, [], 'the user info');
  if (top.kind !== undefined && top.kind !== 'UserInfo') r.fail(['kind'], `kind must be UserInfo, found ${describe(top.kind)}`);
  const user = r.map(top.userInfo, ['userInfo'], 'userInfo');
  const username = r.string(user.username, ['userInfo', 'username'], 'userInfo.username');
  const groups = r.strings(user.groups, ['userInfo', 'groups'], 'userInfo.groups');
  const uid = r.string(user.uid, ['userInfo', 'uid'], 'userInfo.uid');
  return {
    ...((username !== undefined || groups.length > 0) && { userInfo: { username: username ?? '', ...(groups.length > 0 && { groups }), ...(uid !== undefined && { uid }) } }),
    roles: r.strings(top.roles, ['roles'], 'roles'),
    clusterRoles: r.strings(top.clusterRoles, ['clusterRoles'], 'clusterRoles'),
  };
}

// ---------------------------------------------------------------- the admission context of a run

/** The values Kyverno's CLI gives one policy on one resource: globalValues, then the policy's per-resource values. */
export function resourceValues(values: KyvernoValues | undefined, policy: string, resource: string): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(values?.globalValues ?? {}) };
  for (const p of values?.policies ?? []) {
    if (p.name !== policy) continue;
    for (const r of p.resources) if (r.name === resource) Object.assign(out, r.values);
  }
  return out;
}

/** Per-rule values (policies[].rules[].values): they stand in for the rule's context entries. */
export function ruleValues(values: KyvernoValues | undefined, policy: string, rule: string): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const p of values?.policies ?? []) {
    if (p.name !== policy) continue;
    for (const r of p.rules) if (r.name === rule || `autogen-${r.name}` === rule || `autogen-cronjob-${r.name}` === rule) out = { ...out, ...r.values };
  }
  return out;
}

/**
 * The admission context the Kyverno CLI builds for one policy on one resource: CREATE, or the
 * `request.operation` value (UPDATE: the resource is its own old object; DELETE: the old
 * object only), the user info file, the namespace's labels from the values file, and every
 * value as a variable.
 */
export function admissionContextFor(
  resource: KubeObject,
  variables: Record<string, unknown>,
  options: { userInfo?: KyvernoUserInfo; namespaceLabels?: Record<string, Record<string, string>> } = {},
): AdmissionContext {
  const op = variables['request.operation'];
  const operation = op === 'UPDATE' || op === 'DELETE' || op === 'CONNECT' ? op : 'CREATE';
  const ns = resource.metadata.namespace;
  const labels = ns !== undefined ? options.namespaceLabels?.[ns] : undefined;
  const user = options.userInfo;
  return {
    operation,
    ...(operation === 'UPDATE' || operation === 'DELETE' ? { oldObject: resource } : {}),
    ...(user?.userInfo && { userInfo: user.userInfo }),
    ...(user && user.roles.length > 0 && { roles: user.roles }),
    ...(user && user.clusterRoles.length > 0 && { clusterRoles: user.clusterRoles }),
    ...(labels && { namespaceLabels: labels }),
    ...(Object.keys(variables).length > 0 && { variables }),
  };
}

/** Cluster-scoped kinds of Kubernetes itself and of the CRDs policies commonly target. */
const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'PersistentVolume',
  'ComponentStatus',
  'ClusterRole',
  'ClusterRoleBinding',
  'StorageClass',
  'CSIDriver',
  'CSINode',
  'VolumeAttachment',
  'PriorityClass',
  'RuntimeClass',
  'IngressClass',
  'APIService',
  'CustomResourceDefinition',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'PodSecurityPolicy',
  'CertificateSigningRequest',
  'FlowSchema',
  'PriorityLevelConfiguration',
  'TokenReview',
  'SubjectAccessReview',
  'SelfSubjectAccessReview',
  'SelfSubjectRulesReview',
  'ClusterPolicy',
  'ClusterPolicyReport',
  'ClusterIssuer',
  'ClusterSecretStore',
  'GatewayClass',
  'ClusterServingRuntime',
]);

/** Whether a kind is cluster-scoped, as far as can be told without a cluster (unknown kinds count as namespaced, except Cluster*). */
export function isClusterScopedKind(kind: string): boolean {
  return CLUSTER_SCOPED.has(kind) || /^Cluster[A-Z]/.test(kind);
}

/** A namespaced resource without a namespace is in "default", as the Kyverno CLI loads it. */
export function withDefaultNamespace(obj: KubeObject): KubeObject {
  if (obj.metadata.namespace || isClusterScopedKind(obj.kind)) return obj;
  return { ...obj, metadata: { ...obj.metadata, namespace: 'default' } };
}

// ---------------------------------------------------------------- comparing

/** One expected row: a result entry × one of its resources. */
export interface Expectation {
  spec: TestResultSpec;
  /** The resource as the test names it: `name` or `namespace/name`. */
  resource: string;
}

export function expectations(test: Pick<KyvernoTest, 'results'>): Expectation[] {
  return test.results.flatMap((spec) => spec.resources.map((resource) => ({ spec, resource })));
}

/** A policy that was applied: its name, namespace (kind Policy) and whether its failures are scored. */
export interface AppliedPolicy {
  name: string;
  namespace?: string;
  /** False when annotated `policies.kyverno.io/scored: "false"`: its failures report as warn. */
  scored: boolean;
  /** False when the policy has no validate rules: Kyverno then makes no validate response for it. */
  validates: boolean;
}

/** What was run: the policies and resources, so an expectation can tell "excluded" from "not found". */
export interface TestRun {
  policies: readonly AppliedPolicy[];
  resources: readonly ResourceRef[];
  results: readonly RuleResult[];
}

/** The result a policy report (and `kyverno test`) gives a rule result. */
export function reportStatus(result: RuleResult, policy: Pick<AppliedPolicy, 'scored'> | undefined, auditWarn = false): RuleStatus {
  if (result.status !== 'fail') return result.status;
  if (policy && !policy.scored) return 'warn';
  if (auditWarn && result.action === 'Audit') return 'warn';
  return 'fail';
}

export type OutcomeReason = 'Ok' | 'Excluded' | 'Not found' | 'Not applicable' | `Want ${RuleStatus}, got ${RuleStatus}`;

export interface TestOutcome {
  expectation: Expectation;
  passed: boolean;
  /** Not counted: the expectation is about a policy kind or a resource check this runner does not evaluate. */
  notApplicable?: string;
  reason: OutcomeReason;
  /** The engine's status of each matching rule result (one for a plain rule; autogen rules may add more). */
  actual: RuleStatus[];
  /** The rule names the expectation matched (`rule`, `autogen-rule`, `autogen-cronjob-rule`). */
  rules: string[];
  message: string;
}

const policyId = (name: string, namespace?: string): string => (namespace ? `${namespace}/${name}` : name);

function policyMatches(want: string, name: string, namespace?: string, wantNamespace?: string): boolean {
  if (want === policyId(name, namespace)) return true;
  // older tests name a namespaced Policy by name alone (with the deprecated namespace field, or none)
  return want === name && (wantNamespace === undefined || namespace === undefined || wantNamespace === namespace);
}

function resourceMatches(e: Expectation, ref: ResourceRef): boolean {
  if (ref.kind !== e.spec.kind) return false;
  if (e.resource !== ref.name && e.resource !== policyId(ref.name, ref.namespace)) return false;
  return e.spec.namespace === undefined || e.spec.namespace === (ref.namespace ?? '');
}

function ruleMatches(want: string, rule: string): boolean {
  return rule === want || rule === `autogen-${want}` || rule === `autogen-cronjob-${want}`;
}

/**
 * Judges each expectation as `kyverno test` does: the rule results of the named policy, kind
 * and resource whose rule is the one named (or its autogen-/autogen-cronjob- variant) must each
 * report the expected result. A resource that was evaluated but produced no such rule result
 * was excluded (match/exclude did not select it): Kyverno counts that as a pass. A resource or
 * policy that was never loaded is "Not found", a failure.
 */
export function compareResults(test: Pick<KyvernoTest, 'results'>, run: TestRun): TestOutcome[] {
  return expectations(test).map((expectation) => compareOne(expectation, run));
}

function compareOne(expectation: Expectation, run: TestRun): TestOutcome {
  const { spec } = expectation;
  const base = { expectation, actual: [] as RuleStatus[], rules: [] as string[] };
  if (spec.admissionPolicy) {
    return { ...base, passed: false, notApplicable: `${spec.admissionPolicy}: ValidatingAdmissionPolicy and CEL policy kinds are not run by this engine`, reason: 'Not applicable', message: '' };
  }
  if (spec.resourceCheck) {
    return { ...base, passed: false, notApplicable: `${spec.resourceCheck}: mutate and generate results are not run by this validate-only engine`, reason: 'Not applicable', message: '' };
  }
  const policies = run.policies.filter((p) => p.validates && policyMatches(spec.policy, p.name, p.namespace, spec.namespace));
  const resources = run.resources.filter((r) => resourceMatches(expectation, r));
  if (policies.length === 0 || resources.length === 0) return { ...base, passed: false, reason: 'Not found', message: 'Not found' };
  const matching = run.results.filter(
    (r) =>
      policies.some((p) => p.name === r.policy && (p.namespace ?? '') === (r.policyNamespace ?? '')) &&
      resources.some((ref) => sameRef(ref, r.resource)) &&
      ruleMatches(spec.rule, r.rule),
  );
  if (matching.length === 0) return { ...base, passed: true, reason: 'Excluded', message: 'Excluded' };
  const actual = matching.map((r) => reportStatus(r, policies.find((p) => p.name === r.policy)));
  const wrong = actual.findIndex((s) => s !== spec.result);
  const shown = matching[wrong === -1 ? 0 : wrong]!;
  return {
    ...base,
    actual,
    rules: matching.map((r) => r.rule),
    passed: wrong === -1,
    reason: wrong === -1 ? 'Ok' : `Want ${spec.result}, got ${actual[wrong]!}`,
    message: shown.message,
  };
}

function sameRef(a: ResourceRef, b: ResourceRef): boolean {
  return a.kind === b.kind && a.name === b.name && (a.namespace ?? '') === (b.namespace ?? '') && a.apiVersion === b.apiVersion;
}

/** Counts for `policy tests: N/M passed`: not-applicable outcomes are left out of both. */
export function summarize(outcomes: readonly TestOutcome[]): { passed: number; total: number; notApplicable: number } {
  const counted = outcomes.filter((o) => !o.notApplicable);
  return { passed: counted.filter((o) => o.passed).length, total: counted.length, notApplicable: outcomes.length - counted.length };
}
