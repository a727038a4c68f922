import { spawn, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { expect, test } from 'vitest';
import { ReleaseStore } from '../../src/release/index.js';
import { toolchainBin } from '../parity/oracle.js';
import { eventually, kubeconfig, slipway, useNamespace } from './helpers.js';
import { GATE_TEMPLATE, useGate } from './release-gate.js';

// A slipway upgrade killed with SIGKILL halfway (held in a pre-upgrade hook) leaves the
// revision pending-upgrade and its lease behind. History stays readable by both tools;
// further changes are refused until the lease's TTL has passed; then the next upgrade takes
// the lease over, marks the abandoned revision failed and goes ahead. Nothing is lost.

const { client, ns, tree } = useNamespace();
const { gate, gateKey } = useGate({ client, ns });

const CHART = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
  'app/values.yaml': 'tag: "1"\ngate: ""\n',
  'app/templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}}\ndata: {tag: {{ .Values.tag | quote }}}\n',
  'app/templates/gate.yaml': GATE_TEMPLATE,
};

const history = async () => (await new ReleaseStore(client(), ns()).history('app')).map((r) => [r.version, r.info.status, r.info.description]);

test('kill -9 of an upgrade halfway: history stays readable, and an upgrade after the lease TTL recovers', async () => {
  const dir = tree(CHART);
  await gate(false);
  expect((await slipway(['install', 'app', `${dir}/app`, '-n', ns()])).code).toBe(0);

  const child = spawn(process.execPath, [resolve('bin/slipway.js'), 'upgrade', 'app', `${dir}/app`, '-n', ns(), '--set', `tag=2,gate=${gateKey()}`], {
    env: { ...process.env, KUBECONFIG: kubeconfig() },
    stdio: 'ignore',
  });
  const exited = new Promise<number | null>((r) => child.on('exit', (_code, signal) => r(signal === 'SIGKILL' ? -9 : _code)));
  await eventually(async () => (await history()).some(([v, s]) => v === 2 && s === 'pending-upgrade'), 30_000, 'revision 2 pending');
  child.kill('SIGKILL');
  expect(await exited).toBe(-9);
  const killedAt = Date.now();

  // readable by both tools
  expect(await history()).toEqual([
    [1, 'deployed', 'Install complete'],
    [2, 'pending-upgrade', 'Preparing upgrade'],
  ]);
  const helm = spawnSync(join(toolchainBin(), 'helm'), ['history', 'app', '-n', ns()], { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig() } });
  expect(helm.status).toBe(0);
  expect(helm.stdout).toMatch(/\n2 +\t.*\tpending-upgrade\t.*Preparing upgrade/);
  expect((await slipway(['history', 'app', '-n', ns()])).stdout).toBe(helm.stdout);

  // the dead process's lease still holds the release
  const refused = await slipway(['upgrade', 'app', `${dir}/app`, '-n', ns(), '--set', 'tag=3']);
  expect(refused).toMatchObject({ code: 1, stderr: 'error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n' });

  // once its TTL (30s) has passed, the next upgrade takes over and recovers
  await gate(true);
  const recovered = await eventually(
    async () => {
      const r = await slipway(['upgrade', 'app', `${dir}/app`, '-n', ns(), '--set', `tag=3,gate=${gateKey()}`]);
      if (r.code === 0) return r;
      expect(r.stderr).toBe('error: UPGRADE FAILED: another operation (install/upgrade/rollback) is in progress\n');
      await new Promise((res) => setTimeout(res, 2000));
      return undefined;
    },
    90_000,
    'an upgrade to get through',
  );
  expect(Date.now() - killedAt).toBeGreaterThanOrEqual(25_000);
  expect(recovered.stdout).toContain('STATUS: deployed\nREVISION: 3\n');
  expect(await history()).toEqual([
    [1, 'superseded', 'Install complete'],
    [2, 'failed', expect.stringMatching(/^pending-upgrade abandoned: the lock of ".+" expired at .+ without the operation finishing; marked failed by ".+"$/)],
    [3, 'deployed', 'Upgrade complete'],
  ]);
}, 180_000);
