import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, test } from 'vitest';
import { runTool } from './oracle.js';

// The shipped command (bin/slipway.js, the esbuild bundle `npm run build` makes), not just the
// library: same stdout as helm template, and helm's failure with a non-zero exit.
const CORPUS = '/work/shared/corpus/helm';
const slipway = (args: string[]) => spawnSync(process.execPath, [resolve('bin/slipway.js'), ...args], { encoding: 'utf8', cwd: CORPUS });

test('slipway template prints what helm template prints', () => {
  const args = ['template', 'web', 'prometheus-pushgateway', '-n', 'shop', '--set', 'replicaCount=2', '-f', 'prometheus-pushgateway/ci/podlabels-values.yaml'];
  const ours = slipway(args);
  expect(ours.stderr).toBe('');
  expect(ours.status).toBe(0);
  expect(ours.stdout).toBe(runTool('helm', args, CORPUS).stdout);
});

test('a template error exits 1 with helm\'s message behind the file and line', () => {
  const args = ['template', 'helm-testdata/testcharts/issue1979'];
  const ours = slipway(args);
  expect(ours.status).toBe(1);
  expect(ours.stdout).toBe('');
  expect(ours.stderr).toMatch(/^error: alpine\/templates\/alpine-pod\.yaml:16:21: template: alpine\/templates\/alpine-pod\.yaml:16:21: executing .* nil pointer evaluating interface \{\}\.Name\n$/);
  expect(runTool('helm', args, CORPUS).code).toBe(1);
});
