import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { Command } from 'commander';
import { InputError, UsageError } from '../../core/index.js';
import {
  FORMAT_NAMES,
  detectCoverageFormat,
  evaluateGates,
  parseCoverage,
  parseGoCoverProfile,
  parseGoCoverage,
  parseJunit,
  parseVulns,
  type Coverage,
  type GateThresholds,
  type TestReport,
  type VulnReport,
} from '../../engines/gates/index.js';
import type { CliContext } from '../context.js';

interface GateFlags {
  coverage?: string;
  minCoverage?: string;
  vulns?: string;
  maxCritical?: string;
  maxHigh?: string;
  maxMedium?: string;
  junit?: string;
  maxFailures?: string;
  output: string;
}

function number(flag: string, min: number, max = Infinity) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
      throw new UsageError(`invalid ${flag} "${value}": use a number from ${min}${max === Infinity ? '' : ` to ${max}`}`);
    }
    return n;
  };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read report: ${(e as Error).message}`, { file }, { cause: e });
  }
}

const MAX_LISTED = 10;

export function gateCommand(ctx: CliContext): Command {
  return new Command('gate')
    .description('Check quality gates on coverage, test and vulnerability reports')
    .option('--coverage <file>', 'coverage report: Go coverprofile, lcov, Cobertura XML, Istanbul json-summary or JaCoCo XML')
    .option('--min-coverage <percent>', 'fail below this line coverage (statements for Go)')
    .option('--vulns <file>', 'vulnerability report: Trivy JSON, Grype JSON or SARIF 2.1.0')
    .option('--max-critical <n>', 'fail above this many critical vulnerabilities (default 0 with --vulns)')
    .option('--max-high <n>', 'fail above this many high vulnerabilities')
    .option('--max-medium <n>', 'fail above this many medium vulnerabilities')
    .option('--junit <file>', 'JUnit XML test report')
    .option('--max-failures <n>', 'fail above this many failed or errored tests (default 0 with --junit)')
    .option('-o, --output <format>', 'table or json', 'table')
    .addHelpText(
      'after',
      `
Each report's format is detected from its content. SARIF results take GitHub's severity
bands of security-severity (>= 9 critical, >= 7 high, >= 4 medium, > 0 low), else their
level (error high, warning medium, note low).

Exit status: 0 every gate passed, 1 a gate failed, 2 a report that cannot be read or parsed,
an unknown format, or a bad threshold. (An unknown option or a missing option value is
commander's usage error and exits 1, as for every command.)`,
    )
    .action((flags: GateFlags) => {
      ctx.errorExitCode = 2;
      if (flags.output !== 'table' && flags.output !== 'json') throw new UsageError(`unknown output format "${flags.output}": use table or json`);
      if (!flags.coverage && !flags.vulns && !flags.junit) throw new UsageError('nothing to check: give --coverage, --vulns or --junit');
      const min = flags.minCoverage === undefined ? undefined : number('--min-coverage', 0, 100)(flags.minCoverage);
      const maxCritical = flags.maxCritical === undefined ? undefined : number('--max-critical', 0)(flags.maxCritical);
      const maxHigh = flags.maxHigh === undefined ? undefined : number('--max-high', 0)(flags.maxHigh);
      const maxMedium = flags.maxMedium === undefined ? undefined : number('--max-medium', 0)(flags.maxMedium);
      const maxFailures = flags.maxFailures === undefined ? undefined : number('--max-failures', 0)(flags.maxFailures);
      const orphan = (flag: string, value: unknown, report: string | undefined, needs: string) => {
        if (value !== undefined && !report) throw new UsageError(`${flag} needs ${needs}`);
      };
      orphan('--min-coverage', flags.minCoverage, flags.coverage, '--coverage FILE');
      orphan('--max-critical', flags.maxCritical, flags.vulns, '--vulns FILE');
      orphan('--max-high', flags.maxHigh, flags.vulns, '--vulns FILE');
      orphan('--max-medium', flags.maxMedium, flags.vulns, '--vulns FILE');
      orphan('--max-failures', flags.maxFailures, flags.junit, '--junit FILE');

      let goFunc = false;
      let coverage: Coverage | undefined;
      if (flags.coverage) {
        const text = read(flags.coverage);
        if (detectCoverageFormat(text) === 'go-coverprofile') {
          const sources = goSources(text, flags.coverage);
          goFunc = sources !== undefined;
          coverage = parseGoCoverage(text, flags.coverage, sources);
        } else coverage = parseCoverage(text, flags.coverage);
      }
      const tests: TestReport | undefined = flags.junit ? parseJunit(read(flags.junit), flags.junit) : undefined;
      const vulns: VulnReport | undefined = flags.vulns ? parseVulns(read(flags.vulns), flags.vulns) : undefined;
      const thresholds: GateThresholds = {
        ...(min !== undefined && { minCoverage: min }),
        ...(maxCritical !== undefined ? { maxCritical } : vulns && { maxCritical: 0 }),
        ...(maxHigh !== undefined && { maxHigh }),
        ...(maxMedium !== undefined && { maxMedium }),
        ...(maxFailures !== undefined ? { maxFailures } : tests && { maxFailures: 0 }),
      };
      const result = evaluateGates({ coverage, tests, vulns }, thresholds);

      if (flags.output === 'json') {
        ctx.out(
          JSON.stringify(
            {
              passed: result.passed,
              checks: result.checks,
              ...(coverage && { coverage: { file: flags.coverage, ...coverage } }),
              ...(tests && { tests: { file: flags.junit, ...tests } }),
              ...(vulns && { vulns: { file: flags.vulns, ...vulns } }),
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        const lines: string[] = [];
        if (coverage) {
          const t = coverage.total;
          const unit = coverage.format === 'go-coverprofile' ? 'statements' : 'lines';
          const extra = [t.branches && `branches ${pct(t.branches)}`, t.functions && `functions ${pct(t.functions)}`].filter(Boolean).join(', ');
          lines.push(
            `coverage: ${flags.coverage} (detected ${FORMAT_NAMES[coverage.format]}): ${t.percentText} of ${unit} (${t.lines.covered}/${t.lines.total})` +
              (coverage.format === 'go-coverprofile' ? (goFunc ? ' as go tool cover -func counts them' : ' (Go sources not found: all instrumented code counted, as go test does)') : '') +
              `${extra ? `, ${extra}` : ''}, ${coverage.files.length} file${coverage.files.length === 1 ? '' : 's'}`,
          );
        }
        if (tests) {
          lines.push(
            `tests: ${flags.junit} (detected ${FORMAT_NAMES.junit}): ${tests.tests} tests, ${tests.failures} failed, ${tests.errors} errors, ` +
              `${tests.skipped} skipped in ${tests.time.toFixed(2)}s`,
          );
          const bad = tests.cases.filter((c) => c.status === 'failed' || c.status === 'error');
          for (const c of bad.slice(0, MAX_LISTED)) lines.push(`  ${c.status === 'failed' ? 'FAILED' : 'ERROR '} ${c.suite} › ${c.name}${c.message ? `: ${c.message}` : ''}`);
          if (bad.length > MAX_LISTED) lines.push(`  … and ${bad.length - MAX_LISTED} more`);
        }
        if (vulns) {
          const c = vulns.counts;
          lines.push(
            `vulnerabilities: ${flags.vulns} (detected ${FORMAT_NAMES[vulns.format]}): ${c.CRITICAL} critical, ${c.HIGH} high, ${c.MEDIUM} medium, ` +
              `${c.LOW} low, ${c.UNKNOWN} unknown`,
          );
          const worst = vulns.vulnerabilities.filter((v) => v.severity === 'CRITICAL' || v.severity === 'HIGH');
          for (const v of worst.slice(0, MAX_LISTED)) lines.push(`  ${v.severity.padEnd(8)} ${v.id}${v.target ? ` ${v.target}` : ''}`);
          if (worst.length > MAX_LISTED) lines.push(`  … and ${worst.length - MAX_LISTED} more`);
        }
        ctx.out(lines.join('\n') + '\n\n' + result.summary);
      }
      if (!result.passed) process.exitCode = 1;
    });
}

/**
 * The Go sources a coverprofile names, keyed by those names, found as `go tool cover` finds
 * them for a module: through the go.mod above the profile, else above the working directory.
 * Undefined unless every file is found.
 */
function goSources(text: string, profile: string): Map<string, string> | undefined {
  const names = parseGoCoverProfile(text, profile).map((p) => p.fileName);
  for (const start of [dirname(resolve(profile)), process.cwd()]) {
    let dir = start;
    while (!existsSync(join(dir, 'go.mod')) && dirname(dir) !== dir) dir = dirname(dir);
    const mod = existsSync(join(dir, 'go.mod')) ? /^module\s+"?([^\s"]+)"?/m.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))?.[1] : undefined;
    if (mod === undefined) continue;
    const sources = new Map<string, string>();
    for (const name of names) {
      const path = isAbsolute(name) ? name : name.startsWith('.') ? resolve(name) : name.startsWith(`${mod}/`) ? join(dir, name.slice(mod.length + 1)) : undefined;
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
