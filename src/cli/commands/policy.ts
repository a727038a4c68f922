/**
 * `slipway policy apply` and `slipway policy test`: Kyverno's `kyverno apply` and
 * `kyverno test` on Slipway's policy engine. Files are read here; the engine parses, applies
 * and compares.
 */
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import {
  InputError,
  ManifestError,
  SlipwayError,
  UsageError,
  formatError,
  nodeFileSystem,
  type FileSystem,
  type KubeObject,
  type Manifest,
} from '../../core/index.js';
import {
  admissionContextFor,
  applyPolicy,
  autogenRules,
  compareResults,
  parseKyvernoTest,
  parseKyvernoUserInfo,
  parseKyvernoValues,
  parsePolicy,
  reportStatus,
  resourceValues,
  ruleValues,
  summarize,
  withDefaultNamespace,
  type AppliedPolicy,
  type KyvernoTest,
  type KyvernoUserInfo,
  type KyvernoValues,
  type Policy,
  type ResourceRef,
  type RuleResult,
  type RuleStatus,
  type TestOutcome,
} from '../../engines/policy/index.js';
import { loadManifests, toYaml } from '../../engines/yaml/index.js';
import { collect, type CliContext } from '../context.js';
import { kubectlTable } from './runs.js';

// ---------------------------------------------------------------- loading

const isKyvernoPolicy = (o: KubeObject): boolean => o.apiVersion.startsWith('kyverno.io/') && (o.kind === 'ClusterPolicy' || o.kind === 'Policy');

/** A policy that could not be read, kept so a test can report it (Kyverno skips invalid policies). */
export interface SkippedPolicy {
  name: string;
  error: SlipwayError;
}

/**
 * The Kyverno policies in files or directories (recursive; other objects are ignored). A
 * policy the engine refuses throws with its file and line, or, with `skipInvalid`, is listed
 * in `skipped` as `kyverno test` does.
 */
export function loadPolicyFiles(paths: readonly string[], fs: FileSystem, options: { stdin?: () => string; skipInvalid?: boolean } = {}): { policies: Policy[]; skipped: SkippedPolicy[] } {
  const policies: Policy[] = [];
  const skipped: SkippedPolicy[] = [];
  for (const m of loadManifests(paths, fs, options.stdin)) {
    if (!isKyvernoPolicy(m.object)) continue;
    try {
      policies.push(parsePolicy(m.object, m.origin.at));
    } catch (e) {
      const err = e instanceof SlipwayError ? (e.at ? e : new ManifestError(e.message, m.origin.at, { cause: e })) : undefined;
      if (!err) throw e;
      if (!options.skipInvalid) throw err;
      skipped.push({ name: m.object.metadata.name ?? '', error: err });
    }
  }
  return { policies, skipped };
}

/** Resources as the Kyverno CLI loads them: namespaced ones without a namespace are in "default"; later duplicates are dropped. */
export function loadResourceFiles(paths: readonly string[], fs: FileSystem, stdin?: () => string): { resources: Manifest[]; duplicates: string[] } {
  const seen = new Set<string>();
  const resources: Manifest[] = [];
  const duplicates: string[] = [];
  for (const m of loadManifests(paths, fs, stdin)) {
    const object = withDefaultNamespace(m.object);
    const key = [object.apiVersion, object.kind, object.metadata.namespace ?? '', object.metadata.name].join('/');
    if (seen.has(key)) {
      duplicates.push(`${object.kind} ${object.metadata.name ?? ''} ${object.metadata.namespace ?? ''}`.trimEnd());
      continue;
    }
    seen.add(key);
    resources.push({ ...m, object });
  }
  return { resources, duplicates };
}

function readFile(path: string, fs: FileSystem): string {
  if (!fs.stat(path)) throw new InputError('no such file or directory', { file: path });
  try {
    return fs.readFile(path);
  } catch (e) {
    throw new InputError(`cannot read file: ${(e as Error).message}`, { file: path });
  }
}

// ---------------------------------------------------------------- evaluating

/** The per-run inputs beyond policies and resources. */
export interface EvaluationInputs {
  values?: KyvernoValues;
  userInfo?: KyvernoUserInfo;
}

/**
 * Every policy on every resource (resources outer, as the Kyverno CLI), each with the
 * admission context the CLI would build: operation from `request.operation`, values as
 * variables, namespace labels, user info. Rules with their own values run with those added.
 */
export function evaluate(policies: readonly Policy[], resources: readonly KubeObject[], inputs: EvaluationInputs = {}): RuleResult[] {
  const out: RuleResult[] = [];
  for (const resource of resources) {
    for (const policy of policies) {
      const vars = resourceValues(inputs.values, policy.name, resource.metadata.name ?? '');
      const ctx = admissionContextFor(resource, vars, { userInfo: inputs.userInfo, namespaceLabels: inputs.values?.namespaceLabels });
      // Per-rule values (the CLI's stand-ins for context entries) go to their rule and to the
      // rules autogen makes from it; the policy stays whole, since autogen decides per policy.
      const ruleVariables = (name: string) =>
        ruleValues(inputs.values, policy.name, name) ?? ruleValues(inputs.values, policy.name, name.replace(/^autogen-(cronjob-)?/, ''));
      out.push(...applyPolicy(policy, resource, ctx, { ruleVariables }));
    }
  }
  return out;
}

export function appliedPolicy(p: Policy): AppliedPolicy {
  return {
    name: p.name,
    ...(p.namespace !== undefined && { namespace: p.namespace }),
    scored: p.object.metadata.annotations?.['policies.kyverno.io/scored'] !== 'false',
    validates: p.rules.some((r) => r.type === 'validate'),
  };
}

const refOf = (o: KubeObject): ResourceRef => ({
  apiVersion: o.apiVersion,
  kind: o.kind,
  name: o.metadata.name ?? '',
  ...(o.metadata.namespace !== undefined && { namespace: o.metadata.namespace }),
});

// ---------------------------------------------------------------- kyverno test

/** One test file's run. `error` is set when the file or what it names cannot be read. */
export interface TestFileRun {
  file: string;
  test?: KyvernoTest;
  outcomes: TestOutcome[];
  /** Things worth saying that are not failures: skipped policies, duplicate resources, fields not run. */
  notes: string[];
  error?: SlipwayError;
}

/**
 * Runs one `kyverno-test.yaml`: loads the policies, resources, values and user info it names
 * (relative to its directory), applies them and judges each expected result. Expectations on
 * mutate, generate or image-verification rules are marked not applicable: the engine
 * evaluates validate rules only.
 */
export function runTestFile(file: string, fs: FileSystem = nodeFileSystem): TestFileRun {
  const run: TestFileRun = { file, outcomes: [], notes: [] };
  try {
    const test = parseKyvernoTest(readFile(file, fs), file);
    run.test = test;
    const dir = dirname(file);
    const values = test.values ?? (test.variables !== undefined ? parseKyvernoValues(readFile(join(dir, test.variables), fs), join(dir, test.variables)) : undefined);
    const userInfo = test.userinfo !== undefined ? parseKyvernoUserInfo(readFile(join(dir, test.userinfo), fs), join(dir, test.userinfo)) : undefined;
    const { policies, skipped } = loadPolicyFiles(
      test.policies.map((p) => join(dir, p)),
      fs,
      { skipInvalid: true },
    );
    for (const s of skipped) run.notes.push(`policy ${s.name} skipped as invalid: ${formatError(s.error)}`);
    const { resources, duplicates } = loadResourceFiles(
      test.resources.map((p) => join(dir, p)),
      fs,
    );
    for (const d of duplicates) run.notes.push(`found duplicated resource ${d}`);
    for (const u of test.unsupported) run.notes.push(`${u.at.file}:${u.at.line ?? 0}: "${u.field}" is not evaluated by this runner`);
    const objects = resources.map((m) => m.object);
    const results = evaluate(policies, objects, { values, userInfo });
    run.outcomes = compareResults(test, { policies: policies.map(appliedPolicy), resources: objects.map(refOf), results }).map((o) => outOfScope(o, policies) ?? o);
  } catch (e) {
    if (!(e instanceof SlipwayError)) throw e;
    run.error = e;
  }
  return run;
}

/** An expectation on a rule that is not a validate rule: not applicable, with the rule's type. */
function outOfScope(o: TestOutcome, policies: readonly Policy[]): TestOutcome | undefined {
  if (o.notApplicable) return undefined;
  const want = o.expectation.spec;
  for (const p of policies) {
    if (want.policy !== p.name && want.policy !== `${p.namespace ?? ''}/${p.name}`) continue;
    const rule = p.rules.find((r) => r.name === want.rule);
    if (rule && rule.type !== 'validate') {
      return { ...o, passed: false, reason: 'Not applicable', notApplicable: `${rule.type} rule: this engine evaluates validate rules only` };
    }
  }
  return undefined;
}

/** Every test file under a directory (hidden directories such as .kyverno-test included; .git and node_modules not), in path order. */
export function findTestFiles(path: string, fs: FileSystem = nodeFileSystem, fileName = 'kyverno-test.yaml'): string[] {
  const st = fs.stat(path);
  if (!st) throw new InputError('no such file or directory', { file: path });
  if (!st.isDirectory) return [path];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of fs.readDir(dir).sort()) {
      const p = join(dir, name);
      if (fs.stat(p)?.isDirectory) {
        if (name !== '.git' && name !== 'node_modules') walk(p);
      } else if (name === fileName) {
        out.push(p);
      }
    }
  };
  walk(path);
  return out;
}

// ---------------------------------------------------------------- output

const resourceText = (kind: string, namespace: string | undefined, name: string): string => [kind, namespace, name].filter((x) => x !== undefined && x !== '').join('/');

function expectedResource(o: TestOutcome): string {
  const { spec } = o.expectation;
  const slash = o.expectation.resource.indexOf('/');
  if (slash >= 0) return resourceText(spec.kind, o.expectation.resource.slice(0, slash), o.expectation.resource.slice(slash + 1));
  return resourceText(spec.kind, spec.namespace, o.expectation.resource);
}

function outcomeResult(o: TestOutcome): string {
  return o.notApplicable ? 'n/a' : o.passed ? 'Pass' : 'Fail';
}

function testTable(outcomes: readonly TestOutcome[], detailed: boolean, firstId = 1): string {
  const head = ['ID', 'POLICY', 'RULE', 'RESOURCE', 'RESULT', 'REASON', ...(detailed ? ['MESSAGE'] : [])];
  const rows = outcomes.map((o, i) => [
    String(firstId + i),
    o.expectation.spec.policy,
    o.expectation.spec.rule,
    expectedResource(o),
    outcomeResult(o),
    o.notApplicable ? `Not applicable: ${o.notApplicable}` : o.reason,
    ...(detailed ? [oneLine(o.message)] : []),
  ]);
  return kubectlTable([head, ...rows]);
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, ' ').trim();

function outcomeJson(o: TestOutcome) {
  const { spec } = o.expectation;
  return {
    policy: spec.policy,
    rule: spec.rule,
    kind: spec.kind,
    resource: o.expectation.resource,
    expected: spec.result,
    actual: o.actual,
    passed: o.passed,
    reason: o.reason,
    ...(o.notApplicable && { notApplicable: o.notApplicable }),
    message: o.message,
    ...(spec.at && { at: spec.at }),
  };
}

// ---------------------------------------------------------------- commands

interface ApplyFlags {
  resource: string[];
  values?: string;
  userinfo?: string;
  auditWarn?: boolean;
  warnExitCode: string;
  output: string;
}

interface TestFlags {
  fileName: string;
  detailedResults?: boolean;
  failOnly?: boolean;
  output: string;
}

const STATUSES: readonly RuleStatus[] = ['pass', 'fail', 'warn', 'error', 'skip'];

function outputOption(value: string, allowed: readonly string[]): string {
  if (!allowed.includes(value)) throw new UsageError(`unknown output format "${value}": use ${allowed.join(', ')}`);
  return value;
}

export function policyCommand(ctx: CliContext): Command {
  const policy = new Command('policy').description('Check resources against Kyverno policies and run Kyverno CLI tests, without a cluster');

  policy
    .command('apply')
    .description('Apply Kyverno ClusterPolicies/Policies to resources and report pass/fail/warn/error/skip per rule (kyverno apply)')
    .argument('<policy...>', 'policy files or directories (read recursively), or - for stdin')
    .option('-r, --resource <path>', 'resource file or directory (read recursively), or - for stdin; repeatable', collect, [])
    .option('-f, --values <file>', 'Kyverno values file (globalValues, policies[].resources[].values, policies[].rules[].values, namespaceSelector)')
    .option('-u, --userinfo <file>', 'Kyverno user-info file: the request user, roles and clusterRoles')
    .option('--audit-warn', 'report failures of Audit rules as warnings, not failures')
    .option('--warn-exit-code <code>', 'exit code when there are warnings but no failures or errors', '0')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText(
      'after',
      `
Resources without a namespace are in "default" (cluster-scoped kinds excepted), and each
resource is checked as a CREATE request unless the values set request.operation, as the
Kyverno CLI does.

Exit status, as kyverno apply: 0 nothing failed; 1 a rule failed (an Audit rule too, unless
--audit-warn makes it a warning) or errored; the --warn-exit-code when only warnings remain;
2 bad arguments or a file that cannot be read (the message names file and line).`,
    )
    .action((policyPaths: string[], flags: ApplyFlags) => {
      ctx.errorExitCode = 2;
      const format = outputOption(flags.output, ['table', 'json', 'yaml']);
      const warnExit = Number(flags.warnExitCode);
      if (!Number.isInteger(warnExit) || warnExit < 0 || warnExit > 255) throw new UsageError(`invalid --warn-exit-code "${flags.warnExitCode}": use 0 to 255`);
      if (flags.resource.length === 0) throw new UsageError('no resources: give --resource FILE|DIR (or - for stdin)');
      if (policyPaths.includes('-') && flags.resource.includes('-')) throw new UsageError('stdin can hold the policies or the resources, not both');
      const { policies } = loadPolicyFiles(policyPaths, nodeFileSystem, { stdin: ctx.stdin });
      if (policies.length === 0) throw new InputError(`no Kyverno ClusterPolicy or Policy in ${policyPaths.join(', ')}`, { file: policyPaths[0]! });
      const values = flags.values !== undefined ? parseKyvernoValues(readFile(flags.values, nodeFileSystem), flags.values) : undefined;
      const userInfo = flags.userinfo !== undefined ? parseKyvernoUserInfo(readFile(flags.userinfo, nodeFileSystem), flags.userinfo) : undefined;
      const { resources } = loadResourceFiles(flags.resource, nodeFileSystem, ctx.stdin);
      const objects = resources.map((m) => m.object);
      const results = evaluate(policies, objects, { values, userInfo });
      const byName = new Map(policies.map((p) => [`${p.namespace ?? ''}/${p.name}`, appliedPolicy(p)]));
      const statusOf = (r: RuleResult): RuleStatus => reportStatus(r, byName.get(`${r.policyNamespace ?? ''}/${r.policy}`), flags.auditWarn);
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<RuleStatus, number>;
      for (const r of results) counts[statusOf(r)]++;

      if (format === 'table') {
        const ruleCount = policies.reduce((n, p) => n + autogenRules(p).length, 0);
        ctx.out(`Applying ${ruleCount} policy rule(s) to ${objects.length} resource(s)...\n\n`);
        if (results.length > 0) {
          ctx.out(
            kubectlTable([
              ['POLICY', 'RULE', 'RESOURCE', 'RESULT', 'MESSAGE'],
              ...results.map((r) => [policyText(r), r.rule, resourceText(r.resource.kind, r.resource.namespace, r.resource.name), statusOf(r), oneLine(r.message)]),
            ]),
          );
        }
        ctx.out(failureText(results, policies, flags.auditWarn === true));
        ctx.out(`\npass: ${counts.pass}, fail: ${counts.fail}, warn: ${counts.warn}, error: ${counts.error}, skip: ${counts.skip}\n`);
      } else {
        const doc = {
          summary: counts,
          results: results.map((r) => ({
            policy: r.policy,
            ...(r.policyNamespace !== undefined && { policyNamespace: r.policyNamespace }),
            rule: r.rule,
            resource: r.resource,
            result: statusOf(r),
            message: r.message,
            action: r.action,
          })),
        };
        ctx.out(format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : toYaml(doc));
      }
      if (counts.fail > 0 || counts.error > 0) process.exitCode = 1;
      else if (counts.warn > 0 && warnExit !== 0) process.exitCode = warnExit;
    });

  policy
    .command('test')
    .description('Run Kyverno CLI tests (kyverno-test.yaml) and compare the results with the expected ones (kyverno test)')
    .argument('<dir>', 'directory searched recursively for test files (or one test file)')
    .option('--file-name <name>', 'test file name to look for', 'kyverno-test.yaml')
    .option('--detailed-results', 'add each result message to the table')
    .option('--fail-only', 'print only the rows that failed')
    .option('-o, --output <format>', 'table, json or yaml', 'table')
    .addHelpText(
      'after',
      `
Each test's policies, resources, variables (values file) and userinfo paths are relative to
the test file. A resource that was loaded but that no rule of the named policy selected is
"Excluded", which passes, as in kyverno test. Rows about ValidatingAdmissionPolicies, or
about mutate, generate or image-verification rules, are not applicable: they are listed but
not counted.

Exit status: 0 every expected result matched; 1 one did not, or a test file could not be
run; 2 bad arguments or no test file found.`,
    )
    .action((dir: string, flags: TestFlags) => {
      ctx.errorExitCode = 2;
      const format = outputOption(flags.output, ['table', 'json', 'yaml']);
      const files = findTestFiles(dir, nodeFileSystem, flags.fileName);
      if (files.length === 0) throw new InputError(`no ${flags.fileName} under ${dir}`, { file: dir });
      const runs = files.map((f) => runTestFile(f, nodeFileSystem));
      const all = runs.flatMap((r) => r.outcomes);
      const { passed, total, notApplicable } = summarize(all);
      const broken = runs.filter((r) => r.error);

      if (format === 'table') {
        let id = 1;
        for (const r of runs) {
          ctx.out(`Loading test ${r.test?.name ?? ''} ( ${r.file} ) ...\n`);
          for (const note of r.notes) ctx.out(`  note: ${note}\n`);
          if (r.error) {
            ctx.err(`error: ${formatError(r.error)}\n`);
            ctx.out('\n');
            continue;
          }
          const shown = flags.failOnly ? r.outcomes.filter((o) => !o.passed && !o.notApplicable) : r.outcomes;
          if (shown.length > 0) ctx.out(testTable(shown, flags.detailedResults === true, id));
          id += shown.length;
          ctx.out('\n');
        }
        const failed = all.filter((o) => !o.passed && !o.notApplicable);
        if (failed.length > 0 && !flags.failOnly) {
          ctx.out('Failed test cases:\n');
          ctx.out(testTable(failed, flags.detailedResults === true));
          ctx.out('\n');
        }
        if (notApplicable > 0) ctx.out(`${notApplicable} not applicable (not counted)\n`);
        if (broken.length > 0) ctx.out(`${broken.length} test file(s) could not be run\n`);
        ctx.out(`policy tests: ${passed}/${total} passed\n`);
      } else {
        const doc = {
          passed,
          total,
          notApplicable,
          tests: runs.map((r) => ({
            file: r.file,
            name: r.test?.name ?? '',
            ...(r.error && { error: formatError(r.error) }),
            ...(r.notes.length > 0 && { notes: r.notes }),
            results: r.outcomes.map(outcomeJson),
          })),
        };
        ctx.out(format === 'json' ? JSON.stringify(doc, null, 2) + '\n' : toYaml(doc));
      }
      if (passed < total || broken.length > 0) process.exitCode = 1;
    });

  for (const cmd of policy.commands) cmd.exitOverride().configureOutput({ writeOut: ctx.out, writeErr: ctx.err });
  return policy;
}

const policyText = (r: RuleResult): string => (r.policyNamespace ? `${r.policyNamespace}/${r.policy}` : r.policy);

/** Kyverno's failure lines: `policy P -> resource ns/Kind/name failed:` then `1 - rule message` per failed rule. */
function failureText(results: readonly RuleResult[], policies: readonly Policy[], auditWarn: boolean): string {
  let out = '';
  const groups = new Map<string, RuleResult[]>();
  for (const r of results) {
    if (r.status !== 'fail') continue;
    const key = `${policyText(r)}\u0000${r.resource.apiVersion}\u0000${r.resource.kind}\u0000${r.resource.namespace ?? ''}\u0000${r.resource.name}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  for (const failed of groups.values()) {
    const first = failed[0]!;
    const policy = policies.find((p) => p.name === first.policy && (p.namespace ?? '') === (first.policyNamespace ?? ''));
    const asWarning = auditWarn && policy?.failureAction === 'Audit';
    const path = `${first.resource.namespace ?? ''}/${first.resource.kind}/${first.resource.name}`;
    out += `\npolicy ${first.policy} -> resource ${path} failed${asWarning ? ' as audit warning' : ''}:\n`;
    failed.forEach((r, i) => (out += `${i + 1} - ${r.rule} ${r.message}\n`));
  }
  return out;
}
