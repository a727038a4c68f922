/**
 * Quality gates over report files: shared by `slipway gate` and the pipeline's
 * `gate` step. Reads the reports (formats detected from content), evaluates
 * the thresholds and formats the summary; the step also stores the parsed
 * reports with the run and can write a coverage HTML report.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { InputError } from '../../core/index.js';
import {
  FORMAT_NAMES,
  detectCoverageFormat,
  evaluateGates,
  goLineHits,
  parseCoverage,
  parseGoCoverProfile,
  parseGoCoverage,
  parseJunit,
  parseVulns,
  renderCoverageHtml,
  type Coverage,
  type GateThresholds,
  type GoProfile,
  type TestReport,
  type VulnReport,
} from '../../engines/gates/index.js';
import type { StepResult } from '../executor.js';
import { findFiles } from '../files.js';
import type { GateStep } from '../model.js';
import type { StepContext } from '../run/runner.js';

export interface GateFiles {
  coverage?: string;
  junit?: string;
  vulns?: string;
}

export interface GateReports {
  coverage?: Coverage;
  /** True when Go sources were found, so the total is `go tool cover -func`'s. */
  goFunc: boolean;
  /** A Go coverprofile's blocks and the sources found for it, for per-line HTML pages. */
  go?: { profiles: GoProfile[]; sources?: Map<string, string> };
  tests?: TestReport;
  vulns?: VulnReport;
}

const MAX_LISTED = 10;

/**
 * Reads and parses the report files; relative paths are taken from `baseDir`. A JUnit path
 * may be a glob (`reports/*.xml`, as Jenkins' `junit` step takes): the matching reports are
 * added up into one.
 */
export async function loadGateReports(files: GateFiles, baseDir: string): Promise<GateReports> {
  const path = (f: string) => resolve(baseDir, f);
  const read = (file: string): string => {
    try {
      return readFileSync(path(file), 'utf8');
    } catch (e) {
      throw new InputError(`cannot read report: ${(e as Error).message}`, { file }, { cause: e });
    }
  };
  let goFunc = false;
  let go: GateReports['go'];
  let coverage: Coverage | undefined;
  if (files.coverage) {
    const text = read(files.coverage);
    if (detectCoverageFormat(text) === 'go-coverprofile') {
      const sources = goSources(text, path(files.coverage), baseDir);
      goFunc = sources !== undefined;
      go = { profiles: parseGoCoverProfile(text, files.coverage), sources };
      coverage = parseGoCoverage(text, files.coverage, sources);
    } else coverage = parseCoverage(text, files.coverage);
  }
  return {
    coverage,
    goFunc,
    go,
    tests: files.junit ? await loadJunit(files.junit, baseDir, read) : undefined,
    vulns: files.vulns ? parseVulns(read(files.vulns), files.vulns) : undefined,
  };
}

async function loadJunit(pattern: string, baseDir: string, read: (file: string) => string): Promise<TestReport> {
  if (!/[*?]/.test(pattern)) return parseJunit(read(pattern), pattern);
  const matches = await findFiles(baseDir, [pattern]);
  if (matches.length === 0) throw new InputError(`no JUnit report matches ${pattern} (in ${baseDir})`, { file: pattern });
  const reports = matches.map((f) => parseJunit(read(f), f));
  return {
    format: 'junit',
    tests: sum(reports, (r) => r.tests),
    failures: sum(reports, (r) => r.failures),
    errors: sum(reports, (r) => r.errors),
    skipped: sum(reports, (r) => r.skipped),
    time: sum(reports, (r) => r.time),
    cases: reports.flatMap((r) => r.cases),
  };
}

function sum<T>(items: T[], f: (item: T) => number): number {
  return items.reduce((n, item) => n + f(item), 0);
}

/** Thresholds with the defaults `slipway gate` applies: no critical vulnerabilities and no failed tests unless told otherwise. */
export function defaultThresholds(reports: GateReports, given: GateThresholds): GateThresholds {
  return {
    ...given,
    ...(given.maxCritical === undefined && reports.vulns && { maxCritical: 0 }),
    ...(given.maxFailures === undefined && reports.tests && { maxFailures: 0 }),
  };
}

/** The readable summary: one block per report, then the gate results. */
export function formatGateSummary(files: GateFiles, reports: GateReports, summary: string): string {
  const lines: string[] = [];
  const { coverage, tests, vulns } = reports;
  if (coverage) {
    const t = coverage.total;
    const unit = coverage.format === 'go-coverprofile' ? 'statements' : 'lines';
    const extra = [t.branches && `branches ${pct(t.branches)}`, t.functions && `functions ${pct(t.functions)}`].filter(Boolean).join(', ');
    lines.push(
      `coverage: ${files.coverage} (detected ${FORMAT_NAMES[coverage.format]}): ${t.percentText} of ${unit} (${t.lines.covered}/${t.lines.total})` +
        (coverage.format === 'go-coverprofile'
          ? reports.goFunc
            ? ' as go tool cover -func counts them'
            : ' (Go sources not found: all instrumented code counted, as go test does)'
          : '') +
        `${extra ? `, ${extra}` : ''}, ${coverage.files.length} file${coverage.files.length === 1 ? '' : 's'}`,
    );
  }
  if (tests) {
    lines.push(
      `tests: ${files.junit} (detected ${FORMAT_NAMES.junit}): ${tests.tests} tests, ${tests.failures} failed, ${tests.errors} errors, ` +
        `${tests.skipped} skipped in ${tests.time.toFixed(2)}s`,
    );
    const bad = tests.cases.filter((c) => c.status === 'failed' || c.status === 'error');
    for (const c of bad.slice(0, MAX_LISTED)) lines.push(`  ${c.status === 'failed' ? 'FAILED' : 'ERROR '} ${c.suite} › ${c.name}${c.message ? `: ${c.message}` : ''}`);
    if (bad.length > MAX_LISTED) lines.push(`  … and ${bad.length - MAX_LISTED} more`);
  }
  if (vulns) {
    const c = vulns.counts;
    lines.push(
      `vulnerabilities: ${files.vulns} (detected ${FORMAT_NAMES[vulns.format]}): ${c.CRITICAL} critical, ${c.HIGH} high, ${c.MEDIUM} medium, ` +
        `${c.LOW} low, ${c.UNKNOWN} unknown`,
    );
    const worst = vulns.vulnerabilities.filter((v) => v.severity === 'CRITICAL' || v.severity === 'HIGH');
    for (const v of worst.slice(0, MAX_LISTED)) lines.push(`  ${v.severity.padEnd(8)} ${v.id}${v.target ? ` ${v.target}` : ''}`);
    if (worst.length > MAX_LISTED) lines.push(`  … and ${worst.length - MAX_LISTED} more`);
  }
  return lines.join('\n') + '\n\n' + summary;
}

/** The pipeline's gate step: exit code 1 when a gate fails; reports are stored with the run. */
export async function runGateStep(step: GateStep, ctx: StepContext): Promise<StepResult> {
  const files: GateFiles = { coverage: step.coverage, junit: step.junit, vulns: step.vulns };
  const reports = await loadGateReports(files, ctx.workspace);
  const result = evaluateGates(reports, defaultThresholds(reports, step.thresholds));
  ctx.io.write('stdout', formatGateSummary(files, reports, result.summary));
  const store = (kind: 'coverage' | 'junit' | 'vulns', file: string | undefined, data: { format: string } | undefined) => {
    if (file && data) ctx.store.addReport({ runId: ctx.run.runId, node: ctx.node, kind, format: data.format, file, data });
  };
  store('coverage', step.coverage, reports.coverage);
  store('junit', step.junit, reports.tests);
  store('vulns', step.vulns, reports.vulns);
  ctx.store.addReport({ runId: ctx.run.runId, node: ctx.node, kind: 'gate', format: 'slipway', data: result });
  if (step.coverageHtml && reports.coverage) {
    const dir = resolve(ctx.workspace, step.coverageHtml.endsWith('.html') ? dirname(step.coverageHtml) : step.coverageHtml);
    const pages = renderCoverageHtml(reports.coverage, {
      title: `${ctx.run.pipeline} #${ctx.run.number} coverage`,
      ...(reports.go && { lines: goLineHits(reports.go.profiles), sources: reports.go.sources }),
    });
    await mkdir(dir, { recursive: true });
    for (const [name, html] of pages) {
      const target = name === 'index.html' && step.coverageHtml.endsWith('.html') ? resolve(ctx.workspace, step.coverageHtml) : join(dir, name);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, html);
    }
    ctx.store.addReport({ runId: ctx.run.runId, node: ctx.node, kind: 'coverage-html', format: 'html', file: step.coverageHtml, data: { pages: [...pages.keys()] } });
    ctx.io.write('system', `coverage report: ${step.coverageHtml}\n`);
  }
  return result.passed ? { exitCode: 0 } : { exitCode: 1, error: 'a quality gate failed' };
}

/**
 * The Go sources a coverprofile names, keyed by those names, found as `go tool cover` finds
 * them for a module: through the go.mod above the profile, else above `cwd`.
 * Undefined unless every file is found.
 */
function goSources(text: string, profile: string, cwd: string): Map<string, string> | undefined {
  const names = parseGoCoverProfile(text, profile).map((p) => p.fileName);
  for (const start of [dirname(profile), cwd]) {
    let dir = start;
    while (!existsSync(join(dir, 'go.mod')) && dirname(dir) !== dir) dir = dirname(dir);
    const mod = existsSync(join(dir, 'go.mod')) ? /^module\s+"?([^\s"]+)"?/m.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))?.[1] : undefined;
    if (mod === undefined) continue;
    const sources = new Map<string, string>();
    for (const name of names) {
      const path = isAbsolute(name) ? name : name.startsWith('.') ? resolve(cwd, name) : name.startsWith(`${mod}/`) ? join(dir, name.slice(mod.length + 1)) : undefined;
      if (path === undefined || !existsSync(path)) break;
      sources.set(name, readFileSync(path, 'utf8'));
    }
    if (sources.size === names.length) return sources;
  }
  return undefined;
}

function pct(c: { covered: number; total: number }): string {
  return c.total === 0 ? '0.0%' : `${((100 * c.covered) / c.total).toFixed(1)}%`;
}
