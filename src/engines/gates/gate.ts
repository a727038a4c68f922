/** Gate evaluation: thresholds against parsed reports, a verdict and a readable summary. */
import type { Coverage, GateCheck, GateResult, GateThresholds, TestReport, VulnReport } from './types.js';

export interface GateInputs {
  coverage?: Coverage;
  vulns?: VulnReport;
  tests?: TestReport;
}

/**
 * Checks each threshold that is set against its report (a threshold whose report is missing
 * is ignored by this function; the CLI refuses that combination). Failures count failed and
 * errored test cases, as JUnit tools do.
 */
export function evaluateGates(inputs: GateInputs, t: GateThresholds): GateResult {
  const checks: GateCheck[] = [];
  if (inputs.coverage && t.minCoverage !== undefined) {
    const c = inputs.coverage.total;
    checks.push({ name: 'coverage', actual: c.percent, actualText: c.percentText, limit: t.minCoverage, op: '>=', passed: c.percent >= t.minCoverage });
  }
  if (inputs.vulns) {
    const max: [string, keyof VulnReport['counts'], number | undefined][] = [
      ['critical', 'CRITICAL', t.maxCritical],
      ['high', 'HIGH', t.maxHigh],
      ['medium', 'MEDIUM', t.maxMedium],
    ];
    for (const [name, sev, limit] of max) {
      if (limit === undefined) continue;
      const n = inputs.vulns.counts[sev];
      checks.push({ name, actual: n, actualText: String(n), limit, op: '<=', passed: n <= limit });
    }
  }
  if (inputs.tests && t.maxFailures !== undefined) {
    const n = inputs.tests.failures + inputs.tests.errors;
    checks.push({ name: 'failures', actual: n, actualText: String(n), limit: t.maxFailures, op: '<=', passed: n <= t.maxFailures });
  }
  const passed = checks.every((c) => c.passed);
  return { passed, checks, summary: summarize(checks, passed) };
}

const LABEL: Record<string, string> = {
  coverage: 'coverage',
  critical: 'critical vulnerabilities',
  high: 'high vulnerabilities',
  medium: 'medium vulnerabilities',
  failures: 'test failures',
};

function summarize(checks: GateCheck[], passed: boolean): string {
  const rows = checks.map((c) => [
    c.passed ? 'PASS' : 'FAIL',
    LABEL[c.name] ?? c.name,
    c.actualText,
    `${c.op} ${c.limit}${c.name === 'coverage' ? '%' : ''}`,
  ]);
  const head = ['GATE', 'CHECK', 'ACTUAL', 'LIMIT'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((v, i) => (i === r.length - 1 ? v : v.padEnd(widths[i]!))).join('  ');
  const failed = checks.filter((c) => !c.passed).length;
  const verdict =
    checks.length === 0 ? 'no gates to check' : passed ? `all ${checks.length} gates passed` : `${failed} of ${checks.length} gates failed`;
  return [fmt(head), ...rows.map(fmt), verdict].join('\n') + '\n';
}
