import { describe, expect, test } from 'vitest';
import { evaluateGates, parseCoverage, parseJunit, parseVulns } from '../../../src/engines/gates/index.js';

const coverage = parseCoverage('mode: set\na.go:1.1,2.1 2 1\na.go:3.1,4.1 1 0\n', 'c.out'); // 66.7%
const vulns = parseVulns(JSON.stringify({ Results: [{ Vulnerabilities: [{ VulnerabilityID: 'C', Severity: 'CRITICAL' }, { VulnerabilityID: 'H', Severity: 'HIGH' }] }] }), 't.json');
const tests = parseJunit('<testsuite name="s"><testcase name="a"/><testcase name="b"><failure/></testcase><testcase name="c"><error/></testcase></testsuite>', 'j.xml');

describe('gates: evaluation', () => {
  test('every threshold met: pass, with one row per check', () => {
    const r = evaluateGates({ coverage, vulns, tests }, { minCoverage: 60, maxCritical: 1, maxHigh: 1, maxMedium: 0, maxFailures: 2 });
    expect(r.passed).toBe(true);
    expect(r.checks.map((c) => `${c.name} ${c.actualText} ${c.op} ${c.limit} ${c.passed}`)).toEqual([
      'coverage 66.7% >= 60 true',
      'critical 1 <= 1 true',
      'high 1 <= 1 true',
      'medium 0 <= 0 true',
      'failures 2 <= 2 true', // failures and errors both count
    ]);
    expect(r.summary).toBe(
      [
        'GATE  CHECK                     ACTUAL  LIMIT',
        'PASS  coverage                  66.7%   >= 60%',
        'PASS  critical vulnerabilities  1       <= 1',
        'PASS  high vulnerabilities      1       <= 1',
        'PASS  medium vulnerabilities    0       <= 0',
        'PASS  test failures             2       <= 2',
        'all 5 gates passed',
        '',
      ].join('\n'),
    );
  });

  test('each threshold can fail on its own; the boundary passes', () => {
    expect(evaluateGates({ coverage }, { minCoverage: 66.7 }).passed).toBe(false); // 66.666… < 66.7
    expect(evaluateGates({ coverage }, { minCoverage: 66.6 }).passed).toBe(true);
    expect(evaluateGates({ vulns }, { maxCritical: 0 }).passed).toBe(false);
    expect(evaluateGates({ vulns }, { maxHigh: 0 }).passed).toBe(false);
    expect(evaluateGates({ tests }, { maxFailures: 1 }).passed).toBe(false);
    const r = evaluateGates({ coverage, tests }, { minCoverage: 80, maxFailures: 5 });
    expect(r.summary).toContain('FAIL  coverage       66.7%   >= 80%');
    expect(r.summary.trimEnd().split('\n').pop()).toBe('1 of 2 gates failed');
  });

  test('no thresholds: nothing to check, passes', () => {
    expect(evaluateGates({ coverage }, {})).toMatchObject({ passed: true, checks: [] });
  });
});
