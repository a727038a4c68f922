import { execFileSync, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { ReleaseStore } from '../../src/release/index.js';
import { eventually, kubeconfig, slipway, useNamespace } from '../integration/helpers.js';
import { GATE_TEMPLATE, useGate } from '../integration/release-gate.js';

// The apiserver restarts while a slipway upgrade is halfway (held in a pre-upgrade hook): the
// upgrade rides it out and finishes, history stays readable throughout, and the next upgrade
// works. It stops the shared apiserver, so it must run alone, after the other suites, like
// test/faults (vitest.config.ts: the "faults" project, which this directory belongs in).

const { client, ns, tree } = useNamespace();
const { gate, gateKey } = useGate({ client, ns });
const cluster = (...args: string[]) => execFileSync(resolve('scripts/cluster'), args, { stdio: 'pipe', env: process.env });

const CHART = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 1.0.0\n',
  'app/values.yaml': 'tag: "1"\ngate: ""\n',
  'app/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: {{ .Release.Name }}}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec: {containers: [{name: app, image: "nginx:{{ .Values.tag }}"}]}
`,
  'app/templates/gate.yaml': GATE_TEMPLATE,
};

// Runs before useGate's afterAll (vitest runs after-hooks in reverse order), so the gate is
// closed with the apiserver back.
afterAll(() => {
  cluster('start-apiserver');
});

const history = async () => (await new ReleaseStore(client(), ns()).history('app')).map((r) => [r.version, r.info.status, r.info.description]);

test.skipIf(!!process.env.SLIPWAY_TEST_KUBECONFIG)('an upgrade rides out an apiserver restart and finishes; history stays whole', async () => {
  const dir = tree(CHART);
  await gate(false);
  expect((await slipway(['install', 'app', `${dir}/app`, '-n', ns(), '--wait'])).code).toBe(0);

  let stderr = '';
  const child = spawn(
    process.execPath,
    [resolve('bin/slipway.js'), 'upgrade', 'app', `${dir}/app`, '-n', ns(), '--set', `tag=2,gate=${gateKey()}`, '--wait', '--timeout', '120s'],
    { env: { ...process.env, KUBECONFIG: kubeconfig() }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  await eventually(async () => (await history()).some(([v, s]) => v === 2 && s === 'pending-upgrade'), 30_000, 'revision 2 pending');

  cluster('restart-apiserver');
  await eventually(async () => {
    try {
      await client().request('GET', '/version');
      return true;
    } catch {
      return false;
    }
  }, 60_000, 'the apiserver to be back');
  expect(await history()).toEqual([
    [1, 'deployed', 'Install complete'],
    [2, 'pending-upgrade', 'Preparing upgrade'],
  ]);
  await gate(true);

  expect(await exited).toBe(0);
  expect(stderr).toBe('');
  expect(await history()).toEqual([
    [1, 'superseded', 'Install complete'],
    [2, 'deployed', 'Upgrade complete'],
  ]);
  const next = await slipway(['upgrade', 'app', `${dir}/app`, '-n', ns(), '--set', 'tag=3', '--wait']);
  expect(next.code).toBe(0);
  expect((await history()).at(-1)).toEqual([3, 'deployed', 'Upgrade complete']);
}, 240_000);
