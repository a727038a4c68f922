import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import type { CliContext } from '../../../src/cli/context.js';
import { run } from '../../../src/cli/main.js';

// `slipway gate` end to end: in-process through run() (what bin.ts calls), and once as a real
// process (through tsx, so no build is needed) for the process exit codes.

const dir = mkdtempSync(join(tmpdir(), 'slipway-gate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

const cover = file('c.out', 'mode: set\nexample.com/m/a.go:3.20,4.11 1 1\nexample.com/m/a.go:4.11,6.3 1 0\nexample.com/m/a.go:7.2,7.10 1 1\n');
const junitOk = file('ok.xml', '<testsuites><testsuite name="s" time="0.5"><testcase name="a"/><testcase name="b"><skipped/></testcase></testsuite></testsuites>');
const junitBad = file('bad.xml', '<testsuites><testsuite name="s"><testcase name="a"/><testcase name="b"><failure message="boom"/></testcase></testsuite></testsuites>');
const trivy = file('trivy.json', JSON.stringify({ SchemaVersion: 2, Results: [{ Target: 't', Vulnerabilities: [{ VulnerabilityID: 'CVE-1', PkgName: 'p', Severity: 'HIGH' }] }] }));
const brokenXml = file('broken.xml', '<testsuites>\n  <testsuite name="s">\n    <testcase name="a">\n  </testsuite>\n</testsuites>\n');
const brokenJson = file('broken.json', '{\n  "Results": [\n    }\n');

async function gate(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    errorExitCode: 1,
    client: () => Promise.reject(new Error('gate needs no cluster')),
    stdin: () => '',
  };
  const code = await run(['node', 'slipway', 'gate', ...args], ctx);
  return { code, out, err };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe('slipway gate', () => {
  test('all gates pass: exit 0, the detected formats and a summary table', async () => {
    const r = await gate('--coverage', cover, '--min-coverage', '60', '--junit', junitOk, '--vulns', trivy, '--max-high', '1');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`coverage: ${cover} (detected Go coverprofile): 66.7% of statements (2/3) (Go sources not found: all instrumented code counted, as go test does), 1 file`);
    expect(r.out).toContain(`tests: ${junitOk} (detected JUnit XML): 2 tests, 0 failed, 0 errors, 1 skipped in 0.50s`);
    expect(r.out).toContain(`vulnerabilities: ${trivy} (detected Trivy JSON): 0 critical, 1 high, 0 medium, 0 low, 0 unknown`);
    expect(r.out).toMatch(/PASS {2}coverage +66\.7% +>= 60%/);
    expect(r.out).toMatch(/PASS {2}critical vulnerabilities +0 +<= 0/); // --max-critical defaults to 0
    expect(r.out.trimEnd().split('\n').pop()).toBe('all 4 gates passed');
  });

  test('Go: with the module\'s sources found through go.mod, the total is go tool cover -func\'s', async () => {
    const mod = mkdtempSync(join(tmpdir(), 'slipway-gate-go-'));
    try {
      writeFileSync(join(mod, 'go.mod'), 'module example.com/lit\n\ngo 1.21\n');
      // A package-level function literal (lines 3–5, not run) is outside every declaration.
      writeFileSync(join(mod, 'lit.go'), 'package lit\n\nvar F = func() int {\n\treturn 1\n}\n\nfunc A() int {\n\treturn 2\n}\n');
      const profile = 'mode: set\nexample.com/lit/lit.go:3.20,5.2 1 0\nexample.com/lit/lit.go:7.14,9.2 1 1\n';
      writeFileSync(join(mod, 'c.out'), profile);
      writeFileSync(join(dir, 'lit.out'), profile);
      const found = await gate('--coverage', join(mod, 'c.out'), '--min-coverage', '100');
      expect(found.code).toBe(0);
      expect(found.out).toContain('100.0% of statements (1/1) as go tool cover -func counts them');
      const notFound = await gate('--coverage', join(dir, 'lit.out'), '--min-coverage', '100');
      expect(notFound.code).toBe(1);
      expect(notFound.out).toContain('50.0% of statements (1/2) (Go sources not found');
    } finally {
      rmSync(mod, { recursive: true, force: true });
    }
  });

  test('a failing gate: exit 1, the failing check and the failed tests listed', async () => {
    const r = await gate('--coverage', cover, '--min-coverage', '80', '--junit', junitBad);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL {2}coverage +66\.7% +>= 80%/);
    expect(r.out).toMatch(/FAIL {2}test failures +1 +<= 0/);
    expect(r.out).toContain('FAILED s › b: boom');
    expect(r.out.trimEnd().split('\n').pop()).toBe('2 of 2 gates failed');
  });

  test('-o json', async () => {
    const r = await gate('--vulns', trivy, '--max-high', '0', '-o', 'json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as { passed: boolean; checks: { name: string; passed: boolean }[]; vulns: { format: string; counts: Record<string, number> } };
    expect(doc.passed).toBe(false);
    expect(doc.checks.map((c) => [c.name, c.passed])).toEqual([
      ['critical', true],
      ['high', false],
    ]);
    expect(doc.vulns).toMatchObject({ format: 'trivy', counts: { HIGH: 1 } });
  });

  test('bad input: exit 2 with the file and, for syntax errors, the line', async () => {
    const xml = await gate('--junit', brokenXml);
    expect(xml.code).toBe(2);
    expect(xml.err).toMatch(new RegExp(`^error: ${brokenXml.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: invalid XML`));
    const json = await gate('--vulns', brokenJson);
    expect(json.code).toBe(2);
    expect(json.err).toContain(`error: ${brokenJson}:3`);
    expect(json.err).toContain('invalid JSON');
    const missing = await gate('--coverage', join(dir, 'nope.out'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain(`${join(dir, 'nope.out')}: cannot read report`);
    const unknown = await gate('--coverage', trivy);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown coverage format');
  });

  test('bad flags: exit 2', async () => {
    expect((await gate()).err).toContain('nothing to check');
    expect((await gate('--min-coverage', '80')).code).toBe(2);
    expect((await gate('--coverage', cover, '--min-coverage', '180')).err).toContain('invalid --min-coverage "180"');
    expect((await gate('--coverage', cover, '-o', 'xml')).code).toBe(2);
  });

  test('as a process: exit codes 0, 1 and 2', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', resolve('src/cli/bin.ts'), 'gate', ...args], { encoding: 'utf8', timeout: 60_000 });
    expect(cli('--coverage', cover, '--min-coverage', '50').status).toBe(0);
    const fail = cli('--coverage', cover, '--min-coverage', '70');
    expect(fail.status).toBe(1);
    expect(fail.stdout).toContain('1 of 1 gates failed');
    const bad = cli('--junit', brokenXml);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('invalid XML');
  }, 60_000);
});
