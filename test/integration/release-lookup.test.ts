import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getObject, serverSideApply } from '../../src/kube/index.js';
import { toolchainBin } from '../parity/oracle.js';
import { kubeconfig, slipway, useNamespace } from './helpers.js';

// `lookup` answered from the live cluster during install and upgrade (and --dry-run=server),
// lookups that depend on other lookups included; empty with --dry-run (client), as in helm.

const { client, ns, tree } = useNamespace();

const CHART = {
  'lk/Chart.yaml': 'apiVersion: v2\nname: lk\nversion: 1.0.0\n',
  'lk/templates/secret.yaml': `{{- $old := lookup "v1" "Secret" .Release.Namespace (printf "%s-password" .Release.Name) }}
apiVersion: v1
kind: Secret
metadata: {name: {{ .Release.Name }}-password}
data:
  password: {{ if $old }}{{ index $old.data "password" }}{{ else }}{{ randAlphaNum 16 | b64enc }}{{ end }}
`,
  'lk/templates/seen.yaml': `{{- $pointer := lookup "v1" "ConfigMap" .Release.Namespace "pointer" }}
{{- $target := dict }}
{{- if $pointer }}{{ $target = lookup "v1" "ConfigMap" .Release.Namespace $pointer.data.next }}{{ end }}
apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-seen}
data:
  pointer: {{ dig "data" "next" "none" $pointer | quote }}
  target: {{ dig "data" "value" "none" $target | quote }}
  namespaceUid: {{ dig "metadata" "uid" "none" (lookup "v1" "Namespace" "" .Release.Namespace) | quote }}
  secrets: {{ len (dig "items" list (lookup "v1" "Secret" .Release.Namespace "")) | quote }}
`,
};

const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns() }, data });
const seen = async () => (await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'lk-seen' }))?.data as Record<string, string> | undefined;
const password = async () => ((await getObject(client(), { group: '', version: 'v1', kind: 'Secret', namespace: ns(), name: 'lk-password' }))?.data as Record<string, string>)?.password;

describe('lookup', () => {
  test('is answered from the cluster, including lookups that depend on earlier ones', async () => {
    await serverSideApply(client(), cm('pointer', { next: 'target' }), { fieldManager: 'test' });
    await serverSideApply(client(), cm('target', { value: 'found it' }), { fieldManager: 'test' });
    const dir = tree(CHART);
    const r = await slipway(['install', 'lk', `${dir}/lk`, '-n', ns()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const ns0 = await getObject(client(), { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns() });
    expect(await seen()).toEqual({ pointer: 'target', target: 'found it', namespaceUid: ns0?.metadata.uid, secrets: '0' });
  });

  test('keeps a generated password across upgrades (the usual lookup idiom)', async () => {
    const dir = tree(CHART);
    const first = await password();
    expect(first).toMatch(/^[A-Za-z0-9+/=]{24}$/);
    expect((await slipway(['upgrade', 'lk', `${dir}/lk`, '-n', ns()])).code).toBe(0);
    expect(await password()).toBe(first);
    expect((await seen())?.secrets).toBe('2'); // the password and helm's record of revision 1
  });

  test('is empty with --dry-run (client) and answered with --dry-run=server', async () => {
    const dir = tree(CHART);
    const client_ = await slipway(['upgrade', 'lk', `${dir}/lk`, '-n', ns(), '--dry-run']);
    expect(client_.code).toBe(0);
    expect(client_.stdout).toContain('pointer: "none"');
    const server = await slipway(['upgrade', 'lk', `${dir}/lk`, '-n', ns(), '--dry-run=server']);
    expect(server.code).toBe(0);
    expect(server.stdout).toContain('pointer: "target"');
    expect(server.stdout).toContain(`password: ${await password()}`);
  });

  test('renders what helm renders against the same cluster (upgrade --dry-run=server)', async () => {
    const dir = tree(CHART);
    const manifest = (out: string) => out.slice(out.indexOf('MANIFEST:'));
    const helm = spawnSync(join(toolchainBin(), 'helm'), ['upgrade', 'lk', `${dir}/lk`, '-n', ns(), '--dry-run=server'], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: kubeconfig() },
    });
    expect(helm.status).toBe(0);
    const ours = await slipway(['upgrade', 'lk', `${dir}/lk`, '-n', ns(), '--dry-run=server']);
    expect(manifest(ours.stdout)).toBe(manifest(helm.stdout));
    expect(manifest(ours.stdout)).toContain('target: "found it"');
  });
});
