import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { deleteObject, getObject, type KubeClient } from '../../src/kube/index.js';
import { ReleaseStore } from '../../src/release/index.js';
import { kubeClient, slipway, tempTree } from './helpers.js';

// The classic deploy flow of a CI/CD pipeline, through the built CLI against the local
// control plane: a fresh namespace created by --create-namespace, `upgrade --install` with a
// values file, --set and an ingress host, --wait until the rollout is complete (kwok makes
// the Deployment's pods Ready), upgrades, rollbacks to the previous and to a given revision,
// objects dropped from the chart deleted unless kept, --history-max, --dry-run, uninstall.

const CHART = {
  'shop/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.2.3\nappVersion: "2.0"\n',
  'shop/values.yaml': [
    'replicas: 1',
    'image: {repository: registry.example.com/shop, tag: latest}',
    'ingress: {host: ""}',
    'extras: {enabled: true}',
    '',
  ].join('\n'),
  'shop/templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels: {app: {{ .Release.Name }}}
spec:
  replicas: {{ .Values.replicas }}
  selector: {matchLabels: {app: {{ .Release.Name }}}}
  template:
    metadata: {labels: {app: {{ .Release.Name }}}}
    spec:
      containers:
        - name: shop
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          ports: [{containerPort: 8080}]
`,
  'shop/templates/service.yaml': `apiVersion: v1
kind: Service
metadata: {name: {{ .Release.Name }}}
spec:
  selector: {app: {{ .Release.Name }}}
  ports: [{port: 80, targetPort: 8080}]
`,
  'shop/templates/ingress.yaml': `{{- if .Values.ingress.host }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: {{ .Release.Name }}}
spec:
  rules:
    - host: {{ .Values.ingress.host | quote }}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend: {service: {name: {{ .Release.Name }}, port: {number: 80}}}
{{- end }}
`,
  'shop/templates/extras.yaml': `{{- if .Values.extras.enabled }}
apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-extra}
data: {a: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-kept
  annotations: {helm.sh/resource-policy: keep}
data: {b: "2"}
{{- end }}
`,
  'shop/templates/NOTES.txt': 'Open https://{{ .Values.ingress.host }}/\n',
  'values-production.yaml': 'replicas: 2\ningress:\n  host: shop.example.com\n',
};

let client: KubeClient;
let dir: string;
const ns = `t-rel-${Math.random().toString(36).slice(2, 8)}`;
const chart = () => `${dir}/shop`;
const values = () => `${dir}/values-production.yaml`;

beforeAll(async () => {
  client = await kubeClient();
  dir = tempTree(CHART);
});
afterAll(async () => {
  await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns }).catch(() => undefined);
  client.close();
});

const deployment = async (): Promise<KubeObject | undefined> =>
  getObject(client, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'shop' });
const image = async () => ((await deployment())?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image;
const configMap = (name: string) => getObject(client, { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns, name });
const history = async () => (await new ReleaseStore(client, ns).history('shop')).map((r) => [r.version, r.info.status, r.info.description]);

/** The rollout --wait waited for: every replica updated and available, and the controller caught up. */
function rolledOut(d: KubeObject | undefined, replicas: number): boolean {
  const s = (d?.status ?? {}) as { observedGeneration?: number; updatedReplicas?: number; availableReplicas?: number; replicas?: number };
  return s.observedGeneration === d?.metadata.generation && s.updatedReplicas === replicas && s.availableReplicas === replicas && s.replicas === replicas;
}

describe('the classic deploy flow', () => {
  test('upgrade --install creates the namespace and the release, and waits for the rollout', async () => {
    const r = await slipway([
      'upgrade', '--install', 'shop', chart(), '-n', ns, '--create-namespace',
      '-f', values(), '--set', 'image.tag=1.0.0', '--wait', '--timeout', '300s',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Release "shop" does not exist\. Installing it now\.\nNAME: shop\nLAST DEPLOYED: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\nNAMESPACE: t-rel-\w+\nSTATUS: deployed\nREVISION: 1\nTEST SUITE: None\nNOTES:\nOpen https:\/\/shop\.example\.com\/\n$/,
    );
    const namespace = await getObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns });
    expect(namespace?.metadata.labels?.name).toBe(ns);
    const d = await deployment();
    expect(rolledOut(d, 2)).toBe(true);
    expect(await image()).toBe('registry.example.com/shop:1.0.0');
    expect(d?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'Helm' });
    expect(d?.metadata.annotations).toMatchObject({ 'meta.helm.sh/release-name': 'shop', 'meta.helm.sh/release-namespace': ns });
    const fields = (d?.metadata.managedFields ?? []) as { manager: string; operation: string }[];
    expect(fields.some((f) => f.manager === 'slipway' && f.operation === 'Apply')).toBe(true);
    const ingress = await getObject(client, { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', namespace: ns, name: 'shop' });
    expect((ingress?.spec as { rules: { host: string }[] }).rules[0]!.host).toBe('shop.example.com');
    expect(await history()).toEqual([[1, 'deployed', 'Install complete']]);
  });

  test('a second upgrade --install upgrades, keeping the values file and --set as given', async () => {
    const r = await slipway(['upgrade', '--install', 'shop', chart(), '-n', ns, '-f', values(), '--set', 'image.tag=1.1.0', '--wait', '--timeout', '300s']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Release "shop" has been upgraded\. Happy Helming!\nNAME: shop\n[\s\S]*STATUS: deployed\nREVISION: 2\n/);
    expect(await image()).toBe('registry.example.com/shop:1.1.0');
    expect(rolledOut(await deployment(), 2)).toBe(true);
    const r3 = await slipway(['upgrade', 'shop', chart(), '-n', ns, '-f', values(), '--set', 'image.tag=1.2.0', '--wait']);
    expect(r3.code).toBe(0);
    expect(await image()).toBe('registry.example.com/shop:1.2.0');
    expect(await history()).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'superseded', 'Upgrade complete'],
      [3, 'deployed', 'Upgrade complete'],
    ]);
  });

  test('rollback without a revision goes to the previous one, and the image really changes back', async () => {
    const r = await slipway(['rollback', 'shop', '-n', ns, '--wait', '--timeout', '300s']);
    expect(r).toMatchObject({ code: 0, stdout: 'Rollback was a success! Happy Helming!\n', stderr: '' });
    expect(await image()).toBe('registry.example.com/shop:1.1.0');
    expect(rolledOut(await deployment(), 2)).toBe(true);
    expect((await history()).slice(-2)).toEqual([
      [3, 'superseded', 'Upgrade complete'],
      [4, 'deployed', 'Rollback to 2'],
    ]);
  });

  test('rollback to a given revision restores its manifest and values', async () => {
    const r = await slipway(['rollback', 'shop', '1', '-n', ns, '--wait']);
    expect(r.code).toBe(0);
    expect(await image()).toBe('registry.example.com/shop:1.0.0');
    const rel = await new ReleaseStore(client, ns).get('shop', 5);
    const first = await new ReleaseStore(client, ns).get('shop', 1);
    expect(rel?.info).toMatchObject({ status: 'deployed', description: 'Rollback to 1', first_deployed: first?.info.first_deployed });
    expect(rel?.manifest).toBe(first?.manifest);
    expect(rel?.config).toEqual(first?.config);
    expect((await history()).filter(([, s]) => s === 'deployed')).toEqual([[5, 'deployed', 'Rollback to 1']]);
  });

  test('rollback to a revision that does not exist fails as helm does', async () => {
    const r = await slipway(['rollback', 'shop', '42', '-n', ns]);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'error: release has no 42 version\n' });
  });

  test('--dry-run prints the manifest and changes nothing', async () => {
    const before = await history();
    const r = await slipway(['upgrade', 'shop', chart(), '-n', ns, '-f', values(), '--set', 'image.tag=9.9.9', '--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('STATUS: pending-upgrade\nREVISION: 6\n');
    expect(r.stdout).toContain('MANIFEST:\n---\n# Source: shop/templates/extras.yaml\n');
    expect(r.stdout).toContain('image: "registry.example.com/shop:9.9.9"');
    expect(await history()).toEqual(before);
    expect(await image()).toBe('registry.example.com/shop:1.0.0');
  });

  test('an object dropped from the chart is deleted, one marked keep is not', async () => {
    expect(await configMap('shop-extra')).toBeDefined();
    const r = await slipway(['upgrade', 'shop', chart(), '-n', ns, '-f', values(), '--set', 'image.tag=1.3.0,extras.enabled=false']);
    expect(r.code).toBe(0);
    expect(await configMap('shop-extra')).toBeUndefined();
    expect((await configMap('shop-kept'))?.data).toEqual({ b: '2' });
  });

  test('--history-max keeps that many revisions, never dropping the deployed one', async () => {
    const r = await slipway(['upgrade', 'shop', chart(), '-n', ns, '-f', values(), '--set', 'image.tag=1.4.0,extras.enabled=false', '--history-max', '3']);
    expect(r.code).toBe(0);
    expect((await history()).map(([v, s]) => [v, s])).toEqual([
      [5, 'superseded'],
      [6, 'superseded'],
      [7, 'deployed'],
    ]);
  });

  test('without new values an upgrade keeps the current ones; --reuse-values merges new ones over them', async () => {
    expect((await slipway(['upgrade', 'shop', chart(), '-n', ns])).code).toBe(0);
    expect(await image()).toBe('registry.example.com/shop:1.4.0');
    expect((await slipway(['upgrade', 'shop', chart(), '-n', ns, '--reuse-values', '--set', 'replicas=3', '--wait'])).code).toBe(0);
    expect(await image()).toBe('registry.example.com/shop:1.4.0');
    expect(rolledOut(await deployment(), 3)).toBe(true);
    const last = await new ReleaseStore(client, ns).last('shop');
    expect(last?.config).toMatchObject({ replicas: 3, image: { tag: '1.4.0' }, ingress: { host: 'shop.example.com' } });
  });

  test('uninstall deletes the objects and the history, and says what it kept', async () => {
    expect((await slipway(['upgrade', 'shop', chart(), '-n', ns, '--reuse-values', '--set', 'extras.enabled=true'])).code).toBe(0);
    const r = await slipway(['uninstall', 'shop', '-n', ns, '--wait']);
    expect(r).toMatchObject({
      code: 0,
      stdout: 'These resources were kept due to the resource policy:\n[ConfigMap] shop-kept\n\nrelease "shop" uninstalled\n',
    });
    expect(await deployment()).toBeUndefined();
    expect(await configMap('shop-kept')).toBeDefined();
    expect(await history()).toEqual([]);
    const again = await slipway(['uninstall', 'shop', '-n', ns]);
    expect(again).toMatchObject({ code: 1, stderr: 'error: uninstall: Release not loaded: shop: release: not found\n' });
  });
});
