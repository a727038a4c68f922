import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { evaluateGates } from '../../engines/gates/index.js';
import { defaultThresholds, formatGateSummary, loadGateReports, type GateFiles } from '../../pipeline/index.js';
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

export function gateCommand(ctx: CliContext): Command {
  return new Command('gate')
    .description('Check quality gates on coverage, test and vulnerability reports')
    .option('--coverage <file>', 'coverage report: Go coverprofile, lcov, Cobertura XML, Istanbul json-summary or JaCoCo XML')
    .option('--min-coverage <percent>', 'fail below this line coverage (statements for Go)')
    .option('--vulns <file>', 'vulnerability report: Trivy JSON, Grype JSON or SARIF 2.1.0')
    .option('--max-critical <n>', 'fail above this many critical vulnerabilities (default 0 with --vulns)')
    .option('--max-high <n>', 'fail above this many high vulnerabilities')
    .option('--max-medium <n>', 'fail above this many medium vulnerabilities')
    .option('--junit <file>', 'JUnit XML test report (a glob such as "reports/*.xml" adds several up)')
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
    .action(async (flags: GateFlags) => {
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

      const files: GateFiles = { coverage: flags.coverage, junit: flags.junit, vulns: flags.vulns };
      const reports = await loadGateReports(files, process.cwd());
      const { coverage, tests, vulns } = reports;
      const thresholds = defaultThresholds(reports, {
        ...(min !== undefined && { minCoverage: min }),
        ...(maxCritical !== undefined && { maxCritical }),
        ...(maxHigh !== undefined && { maxHigh }),
        ...(maxMedium !== undefined && { maxMedium }),
        ...(maxFailures !== undefined && { maxFailures }),
      });
      const result = evaluateGates(reports, thresholds);

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
        ctx.out(formatGateSummary(files, reports, result.summary));
      }
      if (!result.passed) process.exitCode = 1;
    });
}
