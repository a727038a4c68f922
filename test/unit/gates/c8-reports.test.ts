import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseCoverage, type Coverage } from '../../../src/engines/gates/index.js';

// Real reports: c8 (V8 coverage through Istanbul's reporters) runs a tiny module here and
// writes the same coverage as lcov, json-summary and Cobertura. All three must read the same,
// and match the percentages Istanbul itself computed (the `pct` of json-summary).

const dir = mkdtempSync(join(tmpdir(), 'slipway-c8-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
writeFileSync(
  join(dir, 'lib.js'),
  `export function sign(x) {
  if (x > 0) return 1;
  if (x < 0) return -1;
  return 0;
}

export function never() {
  const a = 1;
  return a + 1;
}
`,
);
writeFileSync(join(dir, 'main.js'), "import { sign } from './lib.js';\nsign(5);\nsign(-5);\n");
execFileSync(
  resolve('node_modules/.bin/c8'),
  ['--reporter=lcovonly', '--reporter=json-summary', '--reporter=cobertura', '--reports-dir=cov', '--temp-directory=.c8tmp', process.execPath, 'main.js'],
  { cwd: dir, stdio: 'pipe' },
);
const read = (name: string): Coverage => parseCoverage(readFileSync(join(dir, 'cov', name), 'utf8'), name);

describe('gates: reports written by c8 / Istanbul', () => {
  const lcov = read('lcov.info');
  const summary = read('coverage-summary.json');
  const cobertura = read('cobertura-coverage.xml');

  test('each format is detected', () => {
    expect([lcov.format, summary.format, cobertura.format]).toEqual(['lcov', 'istanbul-json-summary', 'cobertura']);
  });

  test('the three formats agree on lines and branches, per file and in total', () => {
    const byName = (c: Coverage) => Object.fromEntries(c.files.map((f) => [f.path.split('/').pop(), { lines: f.lines, branches: f.branches }]));
    expect(byName(lcov)).toEqual(byName(summary));
    expect(byName(cobertura)).toEqual(byName(summary));
    expect(byName(lcov)['lib.js']).toEqual({ lines: { covered: 6, total: 10 }, branches: { covered: 3, total: 4 } });
    for (const c of [lcov, summary, cobertura]) {
      expect(c.total.lines).toEqual({ covered: 9, total: 13 });
      expect(c.total.branches).toEqual({ covered: 4, total: 5 });
      expect(c.total.percentText).toBe('69.2%');
    }
    for (const c of [lcov, summary, cobertura]) expect(c.total.functions).toEqual({ covered: 1, total: 2 });
  });

  test('our percentages are Istanbul\'s own (json-summary pct, rounded to 2 places)', () => {
    const raw = JSON.parse(readFileSync(join(dir, 'cov', 'coverage-summary.json'), 'utf8')) as Record<string, { lines: { pct: number } }>;
    expect(Number(lcov.total.percent.toFixed(2))).toBe(raw.total!.lines.pct);
    for (const f of lcov.files) {
      const pct = f.lines.total === 0 ? 100 : Number(((100 * f.lines.covered) / f.lines.total).toFixed(2));
      expect(pct).toBe(raw[join(dir, f.path)]!.lines.pct);
    }
  });
});
