/**
 * gates — test, coverage and vulnerability reports read into one model each, and the
 * quality gates evaluated on them (`slipway gate`, the pipeline's `gate` step).
 *
 * Pure: every parser takes the text of a report (and the file name, for errors) and reads
 * nothing else; reading files is the caller's. Imports only `src/core` and fast-xml-parser.
 * Syntax errors of XML and JSON are InputErrors at the file's line.
 *
 * - coverage: Go coverprofile (with `go tool cover -func` computed as cmd/cover/func.go
 *   does, given the sources), lcov, Cobertura XML, Istanbul json-summary, JaCoCo XML;
 * - tests: JUnit XML;
 * - vulnerabilities: Trivy JSON, Grype JSON, SARIF 2.1.0 (GitHub's security-severity bands).
 */
export * from './types.js';
export {
  detectCoverageFormat,
  parseCobertura,
  parseCoverage,
  parseGoCoverage,
  parseIstanbulSummary,
  parseJacoco,
  parseLcov,
} from './coverage.js';
export {
  formatGoFixed1,
  goCoverFunc,
  goFuncCoverage,
  goFuncExtents,
  goPercent,
  goPercentText,
  parseGoCoverProfile,
  type GoBlock,
  type GoFuncExtent,
  type GoFuncLine,
  type GoFuncReport,
  type GoProfile,
} from './go-cover.js';
export { parseJunit } from './junit.js';
export { detectVulnFormat, levelSeverity, parseGrype, parseSarif, parseTrivy, parseVulns, securitySeverity, severityOf } from './vulns.js';
export { evaluateGates, type GateInputs } from './gate.js';
export { COVERAGE_INDEX, escapeHtml, goLineHits, renderCoverageHtml, type CoverageHtmlOptions, type LineHit } from './coverage-html.js';

/** Human names of the formats, for "detected …" lines. */
export const FORMAT_NAMES: Record<string, string> = {
  'go-coverprofile': 'Go coverprofile',
  lcov: 'lcov',
  cobertura: 'Cobertura XML',
  'istanbul-json-summary': 'Istanbul json-summary',
  jacoco: 'JaCoCo XML',
  junit: 'JUnit XML',
  trivy: 'Trivy JSON',
  grype: 'Grype JSON',
  sarif: 'SARIF 2.1.0',
};

