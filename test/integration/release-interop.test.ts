import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getObject } from '../../src/kube/index.js';
import { ReleaseStore } from '../../src/release/index.js';
import { toolchainBin } from '../parity/oracle.js';
import { kubeconfig, slipway, useNamespace } from './helpers.js';

// helm and slipway taking turns on one release in one namespace: each reads and continues
// the other's history, and `slipway history` prints exactly what `helm history` prints.

const { client, ns, tree } = useNamespace();

const CHART = {
  'app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.3.0\nappVersion: "1.16"\n',
  'app/values.yaml': 'image: nginx\ntag: "1.0"\nextraLabel: false\n',
  'app/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    app: {{ .Release.Name }}
    {{- if .Values.extraLabel }}
    extra: "yes"
    {{- end }}
spec:
  replicas: 1
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers: [{name: app, image: "{{ .Values.image }}:{{ .Values.tag }}"}]
`,
  'app/templates/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-config}\ndata: {tag: {{ .Values.tag | quote }}}\n',
};

function helm(...args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(join(toolchainBin(), 'helm'), args, { encoding: 'utf8', env: { ...process.env, KUBECONFIG: kubeconfig(), HELM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const image = async (name: string) =>
  ((await getObject(client(), { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns(), name }))?.spec as {
    template: { spec: { containers: { image: string }[] } };
  }).template.spec.containers[0]!.image;
const labels = async (name: string) =>
  (await getObject(client(), { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns(), name }))?.metadata.labels;

describe('interop with helm 3.22', () => {
  test('helm install, slipway upgrade, helm rollback: both histories list all three revisions, byte for byte', async () => {
    const dir = tree(CHART);
    const installed = helm('install', 'web', join(dir, 'app'), '-n', ns(), '--set', 'tag=1.0,extraLabel=true', '--wait');
    expect(installed.stderr).toBe('');
    expect(installed.code).toBe(0);

    const upgraded = await slipway(['upgrade', 'web', join(dir, 'app'), '-n', ns(), '--set', 'tag=2.0', '--wait']);
    expect(upgraded.stderr).toBe('');
    expect(upgraded.code).toBe(0);
    expect(await image('web')).toBe('nginx:2.0');
    // the label helm set and the chart dropped is gone, as after a helm upgrade
    expect(await labels('web')).toEqual({ app: 'web', 'app.kubernetes.io/managed-by': 'Helm' });

    const afterUpgrade = helm('history', 'web', '-n', ns());
    expect(afterUpgrade.code).toBe(0);
    expect(afterUpgrade.stdout.split('\n').slice(1, 3).map((l) => l.split('\t').map((c) => c.trim()))).toEqual([
      ['1', expect.any(String), 'superseded', 'app-0.3.0', '1.16', 'Install complete'],
      ['2', expect.any(String), 'deployed', 'app-0.3.0', '1.16', 'Upgrade complete'],
    ]);
    expect(helm('get', 'values', 'web', '-n', ns()).stdout).toBe('USER-SUPPLIED VALUES:\ntag: "2.0"\n');

    const rolledBack = helm('rollback', 'web', '1', '-n', ns(), '--wait');
    expect(rolledBack).toMatchObject({ code: 0, stdout: 'Rollback was a success! Happy Helming!\n' });
    expect(await image('web')).toBe('nginx:1.0');

    const helmHistory = helm('history', 'web', '-n', ns());
    const ours = await slipway(['history', 'web', '-n', ns()]);
    expect(ours.code).toBe(0);
    expect(ours.stdout).toBe(helmHistory.stdout);
    expect(ours.stdout).toMatch(/^REVISION\tUPDATED +\tSTATUS +\tCHART +\tAPP VERSION\tDESCRIPTION +\n1 +\t.*\tsuperseded\t.*\n2 +\t.*\tsuperseded\t.*Upgrade complete *\n3 +\t.*\tdeployed +\t.*Rollback to 1 *\n$/);
    for (const format of ['json', 'yaml']) {
      expect((await slipway(['history', 'web', '-n', ns(), '-o', format])).stdout).toBe(helm('history', 'web', '-n', ns(), '-o', format).stdout);
    }
  });

  test('slipway install, helm upgrade, slipway rollback, helm uninstall', async () => {
    const dir = tree(CHART);
    const installed = await slipway(['install', 'api', join(dir, 'app'), '-n', ns(), '--set', 'tag=1.0', '--wait']);
    expect(installed.code).toBe(0);
    expect(helm('status', 'api', '-n', ns()).stdout).toBe((await slipway(['status', 'api', '-n', ns()])).stdout);
    expect(helm('get', 'manifest', 'api', '-n', ns()).stdout).toBe(
      (await new ReleaseStore(client(), ns()).get('api', 1))!.manifest + '\n',
    );

    const upgraded = helm('upgrade', 'api', join(dir, 'app'), '-n', ns(), '--set', 'tag=2.0,extraLabel=true', '--wait');
    expect(upgraded.code).toBe(0);
    expect(await image('api')).toBe('nginx:2.0');
    expect((await labels('api'))?.extra).toBe('yes');

    const rolledBack = await slipway(['rollback', 'api', '-n', ns(), '--wait']);
    expect(rolledBack).toMatchObject({ code: 0, stdout: 'Rollback was a success! Happy Helming!\n' });
    expect(await image('api')).toBe('nginx:1.0');
    expect((await labels('api'))?.extra).toBeUndefined();

    const history = helm('history', 'api', '-n', ns(), '-o', 'json');
    expect((JSON.parse(history.stdout) as { revision: number; status: string; description: string }[]).map((h) => [h.revision, h.status, h.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Rollback to 1'],
    ]);
    expect((await slipway(['history', 'api', '-n', ns()])).stdout).toBe(helm('history', 'api', '-n', ns()).stdout);

    // helm upgrades what slipway rolled back, then uninstalls it: the records are helm's own
    expect(helm('upgrade', 'api', join(dir, 'app'), '-n', ns(), '--reuse-values', '--set', 'tag=3.0').code).toBe(0);
    expect(await image('api')).toBe('nginx:3.0');
    expect(helm('uninstall', 'api', '-n', ns())).toMatchObject({ code: 0, stdout: 'release "api" uninstalled\n' });
    expect(await new ReleaseStore(client(), ns()).history('api')).toEqual([]);
  });

  test('slipway uninstall --keep-history, then helm sees it uninstalled and install --replace reuses the name', async () => {
    const dir = tree(CHART);
    expect((await slipway(['install', 'kept', join(dir, 'app'), '-n', ns()])).code).toBe(0);
    expect(await slipway(['uninstall', 'kept', '-n', ns(), '--keep-history'])).toMatchObject({ code: 0, stdout: 'release "kept" uninstalled\n' });
    const listed = helm('list', '-n', ns(), '--uninstalled', '-o', 'json');
    expect((JSON.parse(listed.stdout) as { name: string; status: string }[]).map((r) => [r.name, r.status])).toEqual([['kept', 'uninstalled']]);
    const again = await slipway(['upgrade', '--install', 'kept', join(dir, 'app'), '-n', ns()]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('STATUS: deployed\nREVISION: 2\n');
    expect(helm('history', 'kept', '-n', ns()).stdout).toBe((await slipway(['history', 'kept', '-n', ns()])).stdout);
  });
});
