/**
 * The local executor's cost per step: a 100-step pipeline (`slipway run`, whole process,
 * start-up, SQLite run store and log storage included) against a shell script running the
 * same 100 commands one after another. Each command does a little real work (an external
 * process and a 20 ms sleep) so the figure is what a step adds on top of what it runs.
 * Budget: at most 25 ms of overhead per step.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fmt, median, timeCommand } from './lib.js';

const STEPS = 100;
const BUDGET_MS_PER_STEP = 25;

export function run(): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-pipeline-'));
  try {
    const commands = Array.from({ length: STEPS }, (_, i) => `echo "step ${i + 1} $(date +%s)"; sleep 0.02`);
    const yaml = [
      'apiVersion: slipway.dev/v1alpha1',
      'kind: Pipeline',
      'metadata: {name: bench}',
      'spec:',
      '  stages:',
      '    - name: steps',
      '      steps:',
      ...commands.map((c) => `        - run: ${JSON.stringify(c)}`),
    ].join('\n');
    writeFileSync(join(dir, 'slipway.yaml'), yaml + '\n');
    writeFileSync(join(dir, 'steps.sh'), `set -e\n${commands.join('\n')}\n`);
    const env = { CI: 'true' };
    const slipway = () =>
      timeCommand(process.execPath, [resolve('bin/slipway.js'), 'run', join(dir, 'slipway.yaml'), '--store', join(dir, '.slipway'), '--progress', 'plain'], env);
    const shell = () => timeCommand('sh', [join(dir, 'steps.sh')], env);
    slipway(); // warm the file cache and create the store
    const s = median([slipway(), slipway(), slipway()]);
    const h = median([shell(), shell(), shell()]);
    const perStep = (s - h) / STEPS;
    return [
      `${STEPS}-step pipeline: slipway run ${fmt(s)}, shell script ${fmt(h)}, ratio ${(s / h).toFixed(2)}`,
      `overhead per step ${perStep.toFixed(1)}ms (budget ${BUDGET_MS_PER_STEP}ms → ${(perStep / BUDGET_MS_PER_STEP).toFixed(2)})`,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
