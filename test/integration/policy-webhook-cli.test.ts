// `slipway webhook` as a user runs it: its own process, policies from a directory, --install
// pointing the real apiserver at it, and the configuration gone again after SIGTERM (a webhook
// outside the cluster that stopped must not keep failing requests). The configuration selects
// only this suite's labelled namespace, and afterAll deletes it whatever happened.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, type KubeObject } from '../../src/core/index.js';
import { getObject, deleteObject, type KubeClient } from '../../src/kube/index.js';
import { deleteWebhookConfiguration } from '../../src/server/index.js';
import { eventually, kubeClient, kubeconfig, tempTree } from './helpers.js';

const run = Math.random().toString(36).slice(2, 8);
const ns = `t-polc-${run}`;
const configName = `slipway-policy-cli-${run}`;
const cmPolicy = `configmap-owner-${run}`;
const TEST_LABEL = 'slipway.dev/policy-test';
let client: KubeClient;
let child: ChildProcess | undefined;
let stderr = '';
let exitCode: Promise<number | null> | undefined;

const policyYaml = readFileSync('/work/shared/corpus/kyverno/best-practices/require-labels/require-labels.yaml', 'utf8')
  .replace('validationFailureAction: Audit', 'validationFailureAction: Enforce')
  .replace('          kinds:\n          - Pod', `          kinds:\n          - Pod\n          namespaces:\n          - ${ns}`);

const pod = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

beforeAll(async () => {
  client = await kubeClient();
  await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [TEST_LABEL]: run } } } });
  const dir = tempTree({ 'policies/require-labels.yaml': policyYaml });
  child = spawn(
    process.execPath,
    [
      resolve('bin/slipway.js'),
      'webhook',
      '--listen', '127.0.0.1:0',
      '--policy', `${dir}/policies`,
      '--cert-dir', `${dir}/certs`,
      '--install',
      '--name', configName,
      '--namespace-selector', `${TEST_LABEL}=${run}`,
      '--timeout', '5',
    ],
    { env: { ...process.env, KUBECONFIG: kubeconfig() }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  exitCode = new Promise((r) => child!.on('exit', (code) => r(code)));
  await eventually(async () => stderr.includes(`ValidatingWebhookConfiguration ${configName}`) || (child!.exitCode !== null ? Promise.reject(new Error(stderr)) : false), 30_000, 'the webhook to install itself');
  await eventually(
    async () =>
      (await client
        .request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('probe'), query: { dryRun: 'All' } })
        .then(() => false, (e: unknown) => e instanceof ApiError && e.status === 400)) || undefined,
    20_000,
    'the apiserver to call the webhook',
  );
});

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  if (client) {
    await deleteWebhookConfiguration(client, configName).catch(() => undefined);
    await deleteObject(client, { group: 'kyverno.io', version: 'v1', kind: 'ClusterPolicy', namespace: '', name: cmPolicy }).catch(() => undefined);
    await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns }).catch(() => undefined);
    client.close();
  }
});

describe('slipway webhook', () => {
  test('denies a Pod without the label with the policy of the --policy directory, admits a labelled one', async () => {
    const refused = await client.request('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('bad') }).then(
      () => undefined,
      (e: unknown) => e as ApiError,
    );
    expect(refused?.message).toContain(`admission webhook "validate.slipway.dev" denied the request: \n\nresource Pod/${ns}/bad was blocked due to the following policies \n\nrequire-labels:\n  check-for-labels:`);
    const created = await client.request<KubeObject>('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('good', { 'app.kubernetes.io/name': 'web' }) });
    expect(created.metadata.name).toBe('good');
    expect(stderr).toMatch(/certificates created/);
    expect(stderr).toMatch(/policies: ClusterPolicy\/require-labels/);
    expect(stderr).toMatch(new RegExp(`denied CREATE Pod ${ns}/bad`));
  });

  test('a ClusterPolicy created while it runs is enforced, its kinds added to the configuration', async () => {
    const vwc = { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', namespace: '', name: configName };
    const resources = async () =>
      ((await getObject(client, vwc))?.webhooks as { name: string; rules: { resources: string[] }[] }[])[0]!.rules.flatMap((r) => r.resources);
    expect(await resources()).not.toContain('configmaps');
    await client.request('POST', '/apis/kyverno.io/v1/clusterpolicies', {
      body: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: cmPolicy },
        spec: {
          validationFailureAction: 'Enforce',
          rules: [
            {
              name: 'owner-required',
              match: { any: [{ resources: { kinds: ['ConfigMap'], namespaces: [ns] } }] },
              validate: { message: 'ConfigMaps need an owner annotation.', pattern: { metadata: { annotations: { owner: '?*' } } } },
            },
          ],
        },
      },
    });
    await eventually(async () => (await resources()).includes('configmaps'), 20_000, 'configmaps in the webhook rules');
    const cm = (name: string, annotations?: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...(annotations ? { annotations } : {}) }, data: {} });
    const refused = await eventually(
      async () =>
        client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: cm('plain'), query: { dryRun: 'All' } }).then(
          () => undefined,
          (e: unknown) => e as ApiError,
        ),
      20_000,
      'the ConfigMap to be refused',
    );
    expect(refused.message).toContain(`resource ConfigMap/${ns}/plain was blocked due to the following policies \n\n${cmPolicy}:\n  owner-required: 'validation error: ConfigMaps need an owner annotation.`);
    await client.request('POST', `/api/v1/namespaces/${ns}/configmaps`, { body: cm('owned', { owner: 'team-a' }) });
  });

  test('SIGTERM removes the configuration it installed and exits 0', async () => {
    const vwc = { group: 'admissionregistration.k8s.io', version: 'v1', kind: 'ValidatingWebhookConfiguration', namespace: '', name: configName };
    const live = await getObject(client, vwc);
    expect((live?.webhooks as { name: string; clientConfig: { url: string } }[]).map((w) => w.name)).toEqual(['validate.slipway.dev', 'reports.slipway.dev']);
    child!.kill('SIGTERM');
    expect(await exitCode).toBe(0);
    expect(await getObject(client, vwc)).toBeUndefined();
    expect(stderr).toMatch(/stopped after \d+ reviews/);
    // With the webhook gone, nothing refuses the Pod.
    const created = await client.request<KubeObject>('POST', `/api/v1/namespaces/${ns}/pods`, { body: pod('after') });
    expect(created.metadata.name).toBe('after');
  });
});
