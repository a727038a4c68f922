/**
 * Kyverno policies in pipelines: the `policy` step, and the check deploy steps with
 * `policies:` run on what they are about to apply.
 *
 * Policies are read from workspace files and directories (ClusterPolicy/Policy objects; other
 * objects in them are ignored), resources from manifests, a chart rendered as `helm template`
 * renders it, or a kustomization. Every resource is checked as Kyverno's CLI (`kyverno apply`)
 * checks it: a background scan of a CREATE, no admission user. The step prints one row per
 * failed rule with Kyverno's message and a `pass: N, fail: N, warn: N, error: N, skip: N`
 * summary, and stores the results with the run (report kind `gate`, format `kyverno`).
 *
 * What blocks: a `fail` or `error` result of an Enforce rule (`failOn: enforce`, the default),
 * or of any rule (`failOn: any`) — `kyverno apply` also exits 1 on errors.
 */
import { relative, resolve } from 'node:path';
import { InputError, SlipwayError, formatKey, nodeFileSystem, type KubeObject, type Manifest } from '../../core/index.js';
import { templateChart, type ValueOptions } from '../../engines/chart/index.js';
import { kustomize } from '../../engines/kustomize/index.js';
import { applyPolicies, parsePolicies, type AdmissionContext, type Policy, type RuleResult, type RuleStatus } from '../../engines/policy/index.js';
import { loadManifests, parseManifests } from '../../engines/yaml/index.js';
import type { StepResult } from '../executor.js';
import { existingPath } from '../files.js';
import type { PolicyStep } from '../model.js';
import type { StepContext } from '../run/runner.js';
import { setFlags } from './deploy.js';

/** Counts of rule results by status, as `kyverno apply` sums them up. */
export type PolicyCounts = Record<RuleStatus, number>;

/** Which failures block: those of Enforce rules, or all. */
export type PolicyFailOn = 'enforce' | 'any';

/** The outcome of checking resources against policies. */
export interface PolicyCheckResult {
  results: RuleResult[];
  counts: PolicyCounts;
  /** Results that block (fail the step, refuse the deploy). */
  blocking: RuleResult[];
  passed: boolean;
  policies: number;
  resources: number;
}

/** The report stored with the run: a gate result (passed, checks) plus Kyverno's counts and results. */
export interface PolicyReportData {
  passed: boolean;
  checks: { name: string; actual: number; actualText: string; limit: number; op: '<='; passed: boolean }[];
  summary: PolicyCounts;
  failOn: PolicyFailOn;
  policies: number;
  resources: number;
  results: RuleResult[];
}

/** Some objects violate an Enforce policy: nothing was applied. */
export class PolicyViolationError extends SlipwayError {
  readonly code = 'SLW772' as const;
}

const POLICY_KINDS = new Set(['ClusterPolicy', 'Policy']);

/** True for a kyverno.io ClusterPolicy or Policy. */
export function isKyvernoPolicy(obj: KubeObject): boolean {
  return obj.apiVersion.startsWith('kyverno.io/') && POLICY_KINDS.has(obj.kind);
}

/**
 * Reads the policies in workspace files or directories (directories recursively, `.yaml`,
 * `.yml`, `.json`). Objects that are not Kyverno policies are ignored; no policy at all is an
 * InputError, as is a path that does not exist.
 */
export function loadPolicies(paths: readonly string[], workspace: string): Policy[] {
  const manifests = loadManifests(existingPaths(paths, workspace, 'policy'), nodeFileSystem).filter((m) => isKyvernoPolicy(m.object));
  if (manifests.length === 0) throw new InputError(`no Kyverno ClusterPolicy or Policy in ${paths.join(', ')}`, { file: paths[0] ?? '' });
  const policies = parsePolicies(manifests.map((m) => m.object));
  // parsePolicies reads objects; the files they came from are ours to add.
  if (policies.length === manifests.length) policies.forEach((p, i) => (p.at ??= manifests[i]!.origin.at));
  return policies;
}

function existingPaths(paths: readonly string[], workspace: string, what: string): string[] {
  return paths.map((p) => existingPath(p, workspace, `${what} path`));
}

/** A chart to render for a check, as `helm template RELEASE CHART -n NAMESPACE -f … --set …` would. */
export interface ChartToCheck {
  chart: string;
  release?: string;
  namespace?: string;
  valuesFiles: string[];
  set: Record<string, string>;
}

/**
 * The objects a chart renders (hooks included, test hooks and crds/ left out), each with its
 * template as its file. Paths are workspace-relative.
 */
export async function renderChartObjects(spec: ChartToCheck, workspace: string, warn: (m: string) => void): Promise<Manifest[]> {
  const [chartPath] = existingPaths([spec.chart], workspace, 'chart');
  const values: ValueOptions = { valueFiles: existingPaths(spec.valuesFiles, workspace, 'values file'), values: setFlags(spec.set) };
  const result = await templateChart(chartPath!, nodeFileSystem, {
    releaseName: spec.release ?? 'release-name',
    namespace: spec.namespace ?? 'default',
    values,
    warn,
  });
  const out: Manifest[] = [];
  for (const m of result.manifests) out.push(...parseManifests(m.content, m.name));
  for (const h of result.hooks) if (!h.events.some((e) => e === 'test' || e === 'test-success')) out.push(...parseManifests(h.manifest, h.path));
  return out;
}

/** The objects a policy step checks: its manifests, chart and kustomization, in that order. */
export async function policyStepObjects(step: Pick<PolicyStep, 'resources' | 'chart' | 'kustomize'>, workspace: string, warn: (m: string) => void): Promise<Manifest[]> {
  const out: Manifest[] = [];
  if (step.resources?.length) out.push(...loadManifests(existingPaths(step.resources, workspace, 'resources'), nodeFileSystem));
  if (step.chart) out.push(...(await renderChartObjects(step.chart, workspace, warn)));
  if (step.kustomize) {
    const [dir] = existingPaths([step.kustomize], workspace, 'kustomize');
    out.push(...kustomize(dir!, nodeFileSystem, { warn }).resources);
  }
  return out;
}

/** Empty counts. */
export function emptyCounts(): PolicyCounts {
  return { pass: 0, fail: 0, warn: 0, error: 0, skip: 0 };
}

/** Whether a result blocks under `failOn`. */
export function isBlocking(r: RuleResult, failOn: PolicyFailOn): boolean {
  return (r.status === 'fail' || r.status === 'error') && (failOn === 'any' || r.action === 'Enforce');
}

/**
 * Applies the policies to the objects. Without a context the check is `kyverno apply`'s:
 * a background scan of a CREATE.
 */
export function checkPolicies(policies: Policy[], objects: readonly KubeObject[], failOn: PolicyFailOn = 'enforce', ctx?: AdmissionContext): PolicyCheckResult {
  const results = applyPolicies(policies, [...objects], ctx ?? { operation: 'CREATE', background: true });
  const counts = emptyCounts();
  for (const r of results) counts[r.status]++;
  const blocking = results.filter((r) => isBlocking(r, failOn));
  return { results, counts, blocking, passed: blocking.length === 0, policies: policies.length, resources: objects.length };
}

/** `pass: 3, fail: 1, warn: 0, error: 0, skip: 2` */
export function formatCounts(c: PolicyCounts): string {
  return `pass: ${c.pass}, fail: ${c.fail}, warn: ${c.warn}, error: ${c.error}, skip: ${c.skip}`;
}

/** The resource of a result, `Kind/namespace/name` (no namespace for cluster-scoped ones). */
export function resultResource(r: RuleResult): string {
  return formatKey({ group: '', kind: r.resource.kind, namespace: r.resource.namespace ?? '', name: r.resource.name });
}

/**
 * What a check prints: a table of the failed and errored rules (policy, rule, resource,
 * action, Kyverno's message; files of origin when known) and the summary line.
 */
export function formatPolicyCheck(check: PolicyCheckResult, files?: ReadonlyMap<string, string>): string {
  const bad = check.results.filter((r) => r.status === 'fail' || r.status === 'error');
  let out = `checked ${check.resources} resource${check.resources === 1 ? '' : 's'} against ${check.policies} polic${check.policies === 1 ? 'y' : 'ies'}\n`;
  if (bad.length > 0) {
    const rows = bad.map((r) => {
      const res = resultResource(r);
      const file = files?.get(res);
      return [r.policy, r.rule, file ? `${res} (${file})` : res, r.action, r.status === 'error' ? `error: ${oneLine(r.message)}` : oneLine(r.message)];
    });
    out += table(['POLICY', 'RULE', 'RESOURCE', 'ACTION', 'MESSAGE'], rows);
  }
  return `${out}${formatCounts(check.counts)}\n`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ').trim();
}

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** Resource → workspace-relative file, for the table. */
export function originFiles(manifests: readonly Manifest[], workspace: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of manifests) {
    const file = m.origin.at?.file;
    if (!file) continue;
    const rel = relative(workspace, resolve(workspace, file));
    const key = formatKey({ group: '', kind: m.object.kind, namespace: m.object.metadata.namespace ?? '', name: m.object.metadata.name ?? '' });
    out.set(key, `${rel.startsWith('..') ? file : rel}${m.origin.at?.line ? `:${m.origin.at.line}` : ''}`);
  }
  return out;
}

/** The stored report of a check. */
export function policyReportData(check: PolicyCheckResult, failOn: PolicyFailOn): PolicyReportData {
  return {
    passed: check.passed,
    checks: [
      {
        name: failOn === 'any' ? 'policy failures' : 'enforce failures',
        actual: check.blocking.length,
        actualText: String(check.blocking.length),
        limit: 0,
        op: '<=',
        passed: check.passed,
      },
    ],
    summary: check.counts,
    failOn,
    policies: check.policies,
    resources: check.resources,
    results: check.results,
  };
}

/** The pipeline's policy step: exit code 1 when a blocking rule fails; the results are stored with the run. */
export async function runPolicyStep(step: PolicyStep, ctx: StepContext): Promise<StepResult> {
  const warn = (m: string) => ctx.io.write('stderr', `WARNING: ${m}\n`);
  const policies = loadPolicies(step.policies, ctx.workspace);
  const manifests = await policyStepObjects(step, ctx.workspace, warn);
  if (manifests.length === 0) throw new InputError(`policy step "${step.name}" has no resources to check (give resources, chart or kustomize)`, step.at);
  const check = checkPolicies(
    policies,
    manifests.map((m) => m.object),
    step.failOn,
  );
  ctx.io.write('stdout', formatPolicyCheck(check, originFiles(manifests, ctx.workspace)));
  ctx.store.addReport({ runId: ctx.run.runId, node: ctx.node, kind: 'gate', format: 'kyverno', file: step.policies.join(','), data: policyReportData(check, step.failOn) });
  if (check.passed) return { exitCode: 0 };
  const n = check.blocking.length;
  return { exitCode: 1, error: `${n} ${step.failOn === 'any' ? 'policy' : 'Enforce'} rule result${n === 1 ? '' : 's'} failed` };
}

/**
 * The check of a deploy step with `policies:`, on the objects it is about to apply (already
 * in their target namespace). Prints the table and summary; throws PolicyViolationError when
 * an Enforce rule fails, so nothing is applied.
 */
export function checkBeforeDeploy(
  policyPaths: readonly string[],
  manifests: readonly Manifest[],
  workspace: string,
  io: { write(stream: 'stdout' | 'stderr' | 'system', text: string): void },
): PolicyCheckResult {
  const policies = loadPolicies(policyPaths, workspace);
  const check = checkPolicies(
    policies,
    manifests.map((m) => m.object),
  );
  io.write('stdout', `policies (${policyPaths.join(', ')}): ${formatPolicyCheck(check, originFiles(manifests, workspace))}`);
  if (!check.passed) {
    const lines = check.blocking.map((r) => `${resultResource(r)}: ${r.policy}/${r.rule}: ${oneLine(r.message)}`);
    throw new PolicyViolationError(`refused: ${check.blocking.length === 1 ? 'an Enforce rule fails' : `${check.blocking.length} Enforce rule results fail`}, nothing applied:\n${lines.join('\n')}`);
  }
  return check;
}
