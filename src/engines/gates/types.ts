/** Covered and total counts of one coverage metric (lines, statements, branches or functions). */
export interface Counter {
  covered: number;
  total: number;
}

export interface FileCoverage {
  path: string;
  /** Lines; for a Go coverprofile, which counts statements, the statements. */
  lines: Counter;
  statements?: Counter;
  branches?: Counter;
  functions?: Counter;
}

export type CoverageFormat = 'go-coverprofile' | 'lcov' | 'cobertura' | 'istanbul-json-summary' | 'jacoco';

export interface Coverage {
  format: CoverageFormat;
  files: FileCoverage[];
  total: {
    lines: Counter;
    statements?: Counter;
    branches?: Counter;
    functions?: Counter;
    /** The percentage the coverage gate compares: lines (statements for Go), 0–100. */
    percent: number;
    /** The percentage as the format's own tool prints it (`go tool cover -func`: "66.7%"). */
    percentText: string;
  };
}

export interface TestCase {
  suite: string;
  classname?: string;
  name: string;
  /** Seconds. */
  time?: number;
  status: 'passed' | 'failed' | 'error' | 'skipped';
  message?: string;
}

export interface TestReport {
  format: 'junit';
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  /** Seconds. */
  time: number;
  cases: TestCase[];
}

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
export const SEVERITIES: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'UNKNOWN'];

export interface Vulnerability {
  id: string;
  severity: Severity;
  /** Package or location the finding is about. */
  target?: string;
  title?: string;
}

export type VulnFormat = 'trivy' | 'grype' | 'sarif';

export interface VulnReport {
  format: VulnFormat;
  counts: Record<Severity, number>;
  vulnerabilities: Vulnerability[];
}

export interface GateThresholds {
  minCoverage?: number;
  maxCritical?: number;
  maxHigh?: number;
  maxMedium?: number;
  maxFailures?: number;
}

export interface GateCheck {
  /** "coverage", "critical", "high", "medium", "failures". */
  name: string;
  actual: number;
  /** What the actual value is shown as ("66.7%", "3"). */
  actualText: string;
  limit: number;
  /** ">=" for a minimum, "<=" for a maximum. */
  op: '>=' | '<=';
  passed: boolean;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  /** One line per check and a verdict line, for a terminal. */
  summary: string;
}
