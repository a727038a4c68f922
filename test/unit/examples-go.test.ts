import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { evaluateGates, parseCoverage, parseGoCoverage, parseJunit } from '../../src/engines/gates/index.js';
import type { GateStep } from '../../src/pipeline/model.js';
import { parsePipelineYaml } from '../../src/pipeline/spec/index.js';

// The example of the README (examples/myapp) with the real Go toolchain: the `run` steps of
// its slipway.yaml are run by hand, in order, in a copy of the example (so the checkout
// stays clean), and what they leave behind must be what the pipeline's gate reads: a Go
// coverprofile our parser totals as `go tool cover -func` does, and a JUnit report (written by
// the example's own tools/junit) our parser counts. Then a failing test must fail `make test`
// and the gate. Skipped only when `go` is not installed.

const APP = resolve('examples/myapp');
const hasGo = spawnSync('go', ['version']).status === 0;
if (!hasGo) console.warn('examples-go: skipped — no `go` on PATH (the example app needs the Go toolchain)');

const pipeline = parsePipelineYaml(readFileSync(join(APP, 'slipway.yaml'), 'utf8'), 'examples/myapp/slipway.yaml');
const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!;
const runScripts = (name: string) => stage(name).steps.flatMap((s) => (s.type === 'run' ? [s.script] : []));

let work = '';
const env = () => ({ ...process.env, ...pipeline.env, BUILD_NUMBER: '7', GOFLAGS: `${pipeline.env.GOFLAGS ?? ''} -buildvcs=false` });
function sh(script: string) {
  const r = spawnSync('sh', ['-e', '-c', script], { cwd: work, env: env(), encoding: 'utf8', timeout: 240_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

/** The Go sources of the copy, by the import-path file names a coverprofile uses. */
function goSources(profile: string): Map<string, string> {
  const module = /^module\s+(\S+)/m.exec(readFileSync(join(work, 'go.mod'), 'utf8'))![1]!;
  const sources = new Map<string, string>();
  for (const line of profile.split('\n').slice(1)) {
    const file = line.slice(0, line.indexOf(':'));
    if (file && !sources.has(file)) sources.set(file, readFileSync(join(work, file.slice(module.length + 1)), 'utf8'));
  }
  return sources;
}

const gate = stage('test').steps.find((s): s is GateStep => s.type === 'gate')!;
const gateStep = { ...gate.thresholds, coverage: gate.coverage!, junit: gate.junit! };

describe.skipIf(!hasGo)('examples/myapp with the Go toolchain', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'slipway-myapp-'));
    cpSync(APP, work, { recursive: true, filter: (src) => !/\/(bin|reports|\.slipway)$|\/coverage\.out$/.test(src) });
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the build and test stages run by hand; the gate reads their reports as the pipeline configures it', () => {
    expect(runScripts('build')).toEqual(['make build']);
    for (const script of [...runScripts('build'), ...runScripts('test')]) {
      const r = sh(script);
      expect(r.code, `${script}:\n${r.out}`).toBe(0);
    }
    expect(existsSync(join(work, 'bin/myapp'))).toBe(true);
    expect(spawnSync(join(work, 'bin/myapp'), ['--version'], { encoding: 'utf8' }).stdout).toBe('7\n');

    // Coverage: detected as a Go coverprofile; with the sources, the total is go tool cover -func's.
    const profile = readFileSync(join(work, gateStep.coverage), 'utf8');
    expect(profile.startsWith('mode: set\n')).toBe(true);
    const coverage = parseGoCoverage(profile, gateStep.coverage, goSources(profile));
    expect(parseCoverage(profile, gateStep.coverage).format).toBe('go-coverprofile');
    const goTotal = sh(`go tool cover -func=${gateStep.coverage} | tail -1`).out;
    expect(goTotal).toMatch(/^total:\s+\(statements\)\s+\d+\.\d%\n$/);
    expect(goTotal.trim().split(/\s+/).pop()).toBe(coverage.total.percentText);
    // Realistic: above the gate, not everything.
    expect(coverage.total.percent).toBeGreaterThanOrEqual(gateStep.minCoverage!);
    expect(coverage.total.percent).toBeLessThan(95);
    expect(coverage.files.map((f) => f.path)).toContain('example.com/myapp/internal/greeting/greeting.go');

    // JUnit from tools/junit: every test of the module, none failed.
    const junit = parseJunit(readFileSync(join(work, gateStep.junit), 'utf8'), gateStep.junit);
    expect(junit.failures + junit.errors).toBe(0);
    expect(junit.tests).toBeGreaterThanOrEqual(10);
    expect(junit.cases.map((c) => `${c.suite} ${c.name}`)).toContain('example.com/myapp/internal/greeting TestNormalizeName');

    const verdict = evaluateGates({ coverage, tests: junit }, gateStep);
    expect(verdict.checks.map((c) => [c.name, c.passed])).toEqual([
      ['coverage', true],
      ['failures', true],
    ]);
  }, 300_000);

  test('the verify stage smoke-tests the built binary over HTTP', () => {
    for (const script of runScripts('verify')) {
      const r = sh(script);
      expect(r.code, `${script}:\n${r.out}`).toBe(0);
      expect(r.out).toContain('GET /api/greeting?name=Slipway&lang=de -> 200');
      expect(r.out).toContain('smoke: PASS');
    }
  }, 120_000);

  test('a failing test fails make test and the gate, and tools/junit names it', () => {
    const broken = join(work, 'internal/greeting/broken_test.go');
    writeFileSync(
      broken,
      'package greeting\n\nimport (\n\t"testing"\n\t"time"\n)\n\nfunc TestBroken(t *testing.T) {\n' +
        '\tif got := PartOfDay(time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)); got != 0 {\n\t\tt.Errorf("PartOfDay = %d, want 0", got)\n\t}\n}\n',
    );
    try {
      const r = sh('make test');
      expect(r.code).not.toBe(0);
      expect(r.out).toContain('PartOfDay = 1, want 0');
      const junit = parseJunit(readFileSync(join(work, gateStep.junit), 'utf8'), gateStep.junit);
      expect(junit.failures).toBe(1);
      expect(junit.cases.filter((c) => c.status === 'failed').map((c) => c.name)).toEqual(['TestBroken']);
      const profile = readFileSync(join(work, gateStep.coverage), 'utf8');
      const verdict = evaluateGates({ coverage: parseGoCoverage(profile, gateStep.coverage, goSources(profile)), tests: junit }, gateStep);
      expect(verdict.passed).toBe(false);
      expect(verdict.checks.find((c) => c.name === 'failures')).toMatchObject({ actual: 1, passed: false });

      // A package that does not compile is an error in the report, not a silent pass.
      writeFileSync(broken, 'package greeting\n\nfunc TestBroken(t *testing.T) {}\n');
      const b = sh('make test');
      expect(b.code).not.toBe(0);
      const built = parseJunit(readFileSync(join(work, gateStep.junit), 'utf8'), gateStep.junit);
      expect(built.errors).toBe(1);
      expect(built.cases.find((c) => c.status === 'error')).toMatchObject({ suite: 'example.com/myapp/internal/greeting', name: '[build failed]' });
    } finally {
      rmSync(broken, { force: true });
    }
  }, 300_000);
});
