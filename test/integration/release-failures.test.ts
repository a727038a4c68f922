import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getObject } from '../../src/kube/index.js';
import { ReleaseStore } from '../../src/release/index.js';
import { toolchainBin } from '../parity/oracle.js';
import { eventually, kubeconfig, slipway, useNamespace } from './helpers.js';
import { GATE_TEMPLATE, useGate } from './release-gate.js';

// Failures: --wait that times out (a Deployment whose pods fit no node) with and without
// --atomic, and two upgrades of one release at once — one goes ahead, the other is refused
// with helm's message, helm itself is refused while slipway works, and history stays whole.

const { client, ns, tree } = useNamespace();
const { gate, gateKey } = useGate({ client, ns });

const CHART = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
  'app/values.yaml': 'tag: "1"\nnodeSelector: {}\ngate: ""\n',
  'app/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      {{- with .Values.nodeSelector }}
      nodeSelector: {{ toJson . }}
      {{- end }}
      containers: [{name: app, image: "nginx:{{ .Values.tag }}"}]
`,
  'app/templates/gate.yaml': GATE_TEMPLATE, // holds an upgrade in its pre-upgrade hook until the gate opens
};

function helm(...args: string[]) {
  const r = spawnSync(join(toolchainBin(), 'helm'), args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig(), HELM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const history = async (name: string) => (await new ReleaseStore(client(), ns()).history(name)).map((r) => [r.version, r.info.status, r.info.description]);
const nodeSelector = async (name: string) =>
  ((await getObject(client(), { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns(), name }))?.spec as { template: { spec: { nodeSelector?: unknown } } })
    ?.template.spec.nodeSelector;

describe('a --wait that fails', () => {
  test('without --atomic the revision is marked failed as helm does, and the next upgrade starts from the deployed one', async () => {
    const dir = tree(CHART);
    expect((await slipway(['install', 'slow', `${dir}/app`, '-n', ns(), '--wait'])).code).toBe(0);
    const r = await slipway(['upgrade', 'slow', `${dir}/app`, '-n', ns(), '--set', 'nodeSelector.nobody=has-it', '--wait', '--timeout', '4s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: UPGRADE FAILED: timed out after 4s waiting for 1 of 1 objects:\n {2}Deployment\/t-\w+\/slow: Progressing \(.+\)\n$/);
    expect(await history('slow')).toEqual([
      [1, 'deployed', 'Install complete'],
      [2, 'failed', expect.stringMatching(/^Upgrade "slow" failed: timed out after 4s waiting for 1 of 1 objects: Deployment\/t-\w+\/slow: Progressing \(.+\)$/)],
    ]);
    expect(await nodeSelector('slow')).toEqual({ nobody: 'has-it' }); // applied, just not ready
    const fixed = await slipway(['upgrade', 'slow', `${dir}/app`, '-n', ns(), '--set', 'tag=2', '--wait', '--timeout', '60s']);
    expect(fixed.code).toBe(0);
    expect(await history('slow')).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'failed', expect.any(String)],
      [3, 'deployed', 'Upgrade complete'],
    ]);
  });

  test('with --atomic the upgrade is rolled back to the last good revision', async () => {
    const dir = tree(CHART);
    const r = await slipway(['upgrade', 'slow', `${dir}/app`, '-n', ns(), '--set', 'nodeSelector.nobody=has-it', '--atomic', '--timeout', '4s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: UPGRADE FAILED: release slow failed, and has been rolled back due to atomic being set: timed out after 4s/);
    expect((await history('slow')).slice(-2)).toEqual([
      [4, 'failed', expect.stringMatching(/^Upgrade "slow" failed: timed out after 4s/)],
      [5, 'deployed', 'Rollback to 3'],
    ]);
    expect(await nodeSelector('slow')).toBeUndefined();
    expect(helm('status', 'slow', '-n', ns()).stdout).toContain('STATUS: deployed\nREVISION: 5\n');
  });

  test('install --atomic uninstalls a failed install, history and all', async () => {
    const dir = tree(CHART);
    const r = await slipway(['install', 'never', `${dir}/app`, '-n', ns(), '--set', 'nodeSelector.nobody=has-it', '--atomic', '--timeout', '3s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: INSTALLATION FAILED: release never failed, and has been uninstalled due to atomic being set: timed out after 3s/);
    expect(await history('never')).toEqual([]);
    expect(await getObject(client(), { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns(), name: 'never' })).toBeUndefined();
  });

  test('install without --atomic leaves a failed release that upgrade --install then upgrades', async () => {
    const dir = tree(CHART);
    const r = await slipway(['install', 'half', `${dir}/app`, '-n', ns(), '--set', 'nodeSelector.nobody=has-it', '--wait', '--timeout', '3s']);
    expect(r.code).toBe(1);
    expect(await history('half')).toEqual([[1, 'failed', expect.stringMatching(/^Release "half" failed: timed out after 3s/)]]);
    // new values: without any, helm (and slipway) would reuse the failed revision's
    const again = await slipway(['upgrade', '--install', 'half', `${dir}/app`, '-n', ns(), '--set', 'tag=2', '--wait', '--timeout', '60s']);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Release "half" has been upgraded/);
    expect(await history('half')).toEqual([
      [1, 'superseded', expect.any(String)],
      [2, 'deployed', 'Upgrade complete'],
    ]);
  });
});

describe('--wait-for-jobs', () => {
  test('--wait alone does not wait for Jobs; with --wait-for-jobs a Job that cannot finish fails the install', async () => {
    const dir = tree({
      'j/Chart.yaml': 'apiVersion: v2\nname: j\nversion: 1.0.0\n',
      'j/templates/job.yaml': `apiVersion: batch/v1
kind: Job
metadata: {name: {{ .Release.Name }}}
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {nobody: has-it}
      containers: [{name: c, image: busybox}]
`,
    });
    expect((await slipway(['install', 'jobs', `${dir}/j`, '-n', ns(), '--wait', '--timeout', '3s'])).code).toBe(0);
    const r = await slipway(['install', 'jobs2', `${dir}/j`, '-n', ns(), '--wait', '--wait-for-jobs', '--timeout', '3s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: INSTALLATION FAILED: timed out after 3s waiting for 1 of 1 objects:\n {2}Job\/t-\w+\/jobs2: Progressing/);
  });
});

describe('concurrent operations', () => {
  test('while one upgrade runs, a second slipway upgrade and helm itself are refused; the first then finishes', async () => {
    const dir = tree(CHART);
    await gate(false);
    expect((await slipway(['install', 'busy', `${dir}/app`, '-n', ns()])).code).toBe(0);
    const first = slipway(['upgrade', 'busy', `${dir}/app`, '-n', ns(), '--set', `tag=2,gate=${gateKey()}`, '--timeout', '90s']);
    await eventually(async () => (await history('busy')).some(([v, s]) => v === 2 && s === 'pending-upgrade'), 30_000, 'revision 2 pending');

    const second = await slipway(['upgrade', 'busy', `${dir}/app`, '-n', ns(), '--set', 'tag=3']);
    expect(second).toMatchObject({ code: 1, stdout: '', stderr: 'error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n' });
    const byHelm = helm('upgrade', 'busy', `${dir}/app`, '-n', ns(), '--set', 'tag=4');
    expect(byHelm.code).toBe(1);
    expect(byHelm.stderr).toBe('Error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n');
    const rollback = await slipway(['rollback', 'busy', '-n', ns()]);
    expect(rollback).toMatchObject({ code: 1, stderr: 'error: another operation (install/upgrade/rollback) is in progress\n' });

    await gate(true);
    const done = await first;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(await history('busy')).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'deployed', 'Upgrade complete'],
    ]);
  });

  test('two upgrades started at once: each either succeeds or is refused, and history stays whole', async () => {
    const dir = tree(CHART);
    await gate(true);
    const results = await Promise.all(
      ['5', '6', '7'].map((tag) => slipway(['upgrade', 'busy', `${dir}/app`, '-n', ns(), '--set', `tag=${tag},gate=${gateKey()}`])),
    );
    const ok = results.filter((r) => r.code === 0);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    for (const r of results.filter((x) => x.code !== 0)) {
      expect(r.stderr).toBe('error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n');
    }
    const h = await history('busy');
    expect(h.map(([v]) => v)).toEqual(Array.from({ length: 2 + ok.length }, (_, i) => i + 1));
    expect(h.filter(([, s]) => s === 'deployed')).toHaveLength(1);
    expect(h.at(-1)?.[1]).toBe('deployed');
    expect(h.every(([, s]) => s === 'deployed' || s === 'superseded')).toBe(true);
  });
});
