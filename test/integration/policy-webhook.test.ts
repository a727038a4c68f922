// The policy admission webhook on the local control plane's real apiserver: the webhook runs in
// this process on a free port, the ValidatingWebhookConfiguration points the apiserver at it
// (https://127.0.0.1:PORT, the apiserver runs on the host), and the corpus's require-labels
// ClusterPolicy decides. The configuration only selects this suite's namespaces (label
// slipway.dev/policy-test=<run>), the policy only matches them, and afterAll always deletes the
// configuration: a failing webhook left behind could not touch anyone else's objects.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, type KubeObject } from '../../src/core/index.js';
import { parseManifests } from '../../src/engines/yaml/index.js';
import { WatchCache, deleteObject, getObject, type KubeClient } from '../../src/kube/index.js';
import {
  NamespaceLabels,
  PolicyReportWriter,
  PolicyStore,
  applyWebhookConfiguration,
  deleteWebhookConfiguration,
  directoryCertificateStore,
  ensureCertificates,
  installPolicyCrds,
  secretCertificateStore,
  policyKinds,
  servedResources,
  startAdmissionServer,
  webhookConfiguration,
  webhookRules,
  type ReportResult,
  type RunningAdmissionServer,
} from '../../src/server/index.js';
import { eventually, kubeClient, kubeconfig } from './helpers.js';

/** kubectl of the scripts/cluster toolchain (from `scripts/cluster env`). */
function kubectlPath(): string {
  const env = execFileSync(resolve('scripts/cluster'), ['env'], { encoding: 'utf8' });
  const bin = /export PATH=(.*):"\$PATH"/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  if (!bin) throw new Error(`cannot read the toolchain PATH from scripts/cluster env:\n${env}`);
  return join(bin, 'kubectl');
}

const CORPUS_POLICY = '/work/shared/corpus/kyverno/best-practices/require-labels/require-labels.yaml';
const run = Math.random().toString(36).slice(2, 8);
const TEST_LABEL = 'slipway.dev/policy-test';
const policyName = `require-labels-${run}`;
const nsPolicyName = `namespace-owner-${run}`;
const configName = `slipway-policy-test-${run}`;
const ns = `t-polw-${run}`;
const certDir = mkdtempSync(join(tmpdir(), 'slipway-webhook-certs-'));

let client: KubeClient;
let cache: WatchCache;
let store: PolicyStore;
let reports: PolicyReportWriter;
let server: RunningAdmissionServer;
let caCert = '';

/** Points the apiserver at the webhook for the kinds the suite's policies match, in the suite's namespaces only. */
async function installConfig(): Promise<void> {
  const rules = webhookRules(policyKinds(store.policies()), await servedResources(client), ['CREATE', 'UPDATE']);
  await applyWebhookConfiguration(
    client,
    webhookConfiguration({
      name: configName,
      target: { url: `${server.url}/validate` },
      caCert,
      rules,
      namespaceSelector: { matchLabels: { [TEST_LABEL]: run } },
      failurePolicy: 'Fail',
      timeoutSeconds: 5,
    }),
  );
}

/** The corpus policy, renamed for this run and matching only this suite's namespace. */
function requireLabels(action: 'Enforce' | 'Audit'): KubeObject {
  const obj = parseManifests(readFileSync(CORPUS_POLICY, 'utf8'), CORPUS_POLICY)[0]!.object;
  const spec = obj.spec as { rules: { match: { any: { resources: Record<string, unknown> }[] } }[] };
  const rules = spec.rules.map((r) => ({ ...r, match: { any: r.match.any.map((f) => ({ resources: { ...f.resources, namespaces: [ns] } })) } }));
  return { ...obj, metadata: { ...obj.metadata, name: policyName, labels: { [TEST_LABEL]: run } }, spec: { ...spec, validationFailureAction: action, rules } };
}

async function applyPolicy(action: 'Enforce' | 'Audit'): Promise<void> {
  const body = requireLabels(action);
  const live = await getObject(client, { group: 'kyverno.io', version: 'v1', kind: 'ClusterPolicy', namespace: '', name: policyName });
  if (live) await client.request('PUT', `/apis/kyverno.io/v1/clusterpolicies/${policyName}`, { body: { ...body, metadata: { ...body.metadata, resourceVersion: live.metadata.resourceVersion } } });
  else await client.request('POST', '/apis/kyverno.io/v1/clusterpolicies', { body });
  // The webhook decides with what its watch has seen.
  await eventually(async () => store.policies().find((p) => p.name === policyName)?.failureAction === action, 10_000, `the webhook to see ${action}`);
}

const pod = (name: string, labels?: Record<string, string>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, ...(labels ? { labels } : {}) },
  spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
});

const deployment = (name: string): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name },
  spec: { replicas: 1, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] } } },
});

async function create(obj: KubeObject, dryRun = false): Promise<KubeObject> {
  const path = obj.kind === 'Pod' ? `/api/v1/namespaces/${ns}/pods` : `/apis/apps/v1/namespaces/${ns}/deployments`;
  return client.request<KubeObject>('POST', path, { body: obj, query: dryRun ? { dryRun: 'All' } : undefined });
}

async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected the apiserver to refuse the request');
}

async function report(): Promise<{ summary: Record<string, number>; results: ReportResult[] } | undefined> {
  return getObject(client, { group: 'wgpolicyk8s.io', version: 'v1alpha2', kind: 'PolicyReport', namespace: ns, name: `polr-ns-${ns}` }) as Promise<
    ({ summary: Record<string, number>; results: ReportResult[] } & KubeObject) | undefined
  >;
}

beforeAll(async () => {
  client = await kubeClient();
  await installPolicyCrds(client);
  await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns, labels: { [TEST_LABEL]: run } } } });

  const { certs } = await ensureCertificates(directoryCertificateStore(certDir));
  cache = new WatchCache(client);
  store = new PolicyStore({ cache, select: (o) => o.metadata.labels?.[TEST_LABEL] === run });
  await store.start();
  const nsLabels = new NamespaceLabels(client, cache);
  await nsLabels.start();
  reports = new PolicyReportWriter(client, { flushMs: 200 });
  server = await startAdmissionServer({
    host: '127.0.0.1',
    port: 0,
    cert: certs.cert,
    key: certs.key,
    policies: () => store.policies(),
    namespaceLabels: (n) => nsLabels.labels(n),
    onDecision: (d) => {
      if (!d.resource || d.request?.dryRun) return;
      if (d.request?.operation === 'DELETE') reports.forget(d.resource);
      else if (d.review.response.allowed) reports.record(d.resource, d.results, store.policies());
    },
  });

  await applyPolicy('Enforce');
  caCert = certs.caCert;
  await installConfig();
  // The apiserver picks the configuration up through its own informer: wait until a dry run is refused.
  await eventually(async () => (await create(pod('probe'), true).then(() => false, (e: unknown) => e instanceof ApiError && e.status === 400)) || undefined, 20_000, 'the webhook to be active');
});

afterAll(async () => {
  // Always, and first: nothing may be left that refuses requests.
  if (client) {
    await deleteWebhookConfiguration(client, configName).catch(() => undefined);
    for (const name of [policyName, nsPolicyName]) await deleteObject(client, { group: 'kyverno.io', version: 'v1', kind: 'ClusterPolicy', namespace: '', name }).catch(() => undefined);
    await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: `${ns}-x` }).catch(() => undefined);
    // The cluster report is shared: remove it only when no results are left in it.
    const cpolr = await getObject(client, { group: 'wgpolicyk8s.io', version: 'v1alpha2', kind: 'ClusterPolicyReport', namespace: '', name: 'clusterpolicyreport' }).catch(() => undefined);
    if (cpolr && !((cpolr as { results?: unknown[] }).results ?? []).length) {
      await deleteObject(client, { group: 'wgpolicyk8s.io', version: 'v1alpha2', kind: 'ClusterPolicyReport', namespace: '', name: 'clusterpolicyreport' }).catch(() => undefined);
    }
    await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns }).catch(() => undefined);
  }
  await server?.close();
  await reports?.stop();
  store?.stop();
  cache?.stop();
  client?.close();
  rmSync(certDir, { recursive: true, force: true });
});

describe('the policy webhook on the real apiserver', () => {
  test('Enforce: a Pod without app.kubernetes.io/name is denied with Kyverno\'s message', async () => {
    const e = await refusal(create(pod('bad')));
    expect(e.status).toBe(400); // the apiserver turns a denial without a code into 400 BadRequest
    expect(e.message).toBe(
      `admission webhook "validate.slipway.dev" denied the request: \n\nresource Pod/${ns}/bad was blocked due to the following policies \n\n` +
        `${policyName}:\n` +
        "  check-for-labels: 'validation error: The label `app.kubernetes.io/name` is required.\n" +
        "    rule check-for-labels failed at path /metadata/labels/'\n (BadRequest)",
    );
    expect(await getObject(client, { group: '', version: 'v1', kind: 'Pod', namespace: ns, name: 'bad' })).toBeUndefined();
  });

  test('Enforce: a Deployment without the label is denied through autogen', async () => {
    const e = await refusal(create(deployment('web')));
    expect(e.status).toBe(400); // the apiserver turns a denial without a code into 400 BadRequest
    expect(e.message).toContain(`resource Deployment/${ns}/web was blocked due to the following policies`);
    expect(e.message).toContain('autogen-check-for-labels:');
    expect(e.message).toContain('/spec/template/metadata/labels/app.kubernetes.io/name/');
  });

  test('Enforce: a labelled Pod is admitted', async () => {
    const created = await create(pod('good', { 'app.kubernetes.io/name': 'web' }));
    expect(created.metadata.uid).toBeTruthy();
  });

  test('Audit: the Pod is admitted and a PolicyReport records the failure (and the earlier pass)', async () => {
    await applyPolicy('Audit');
    const created = await create(pod('bad'));
    expect(created.metadata.name).toBe('bad');
    const polr = await eventually(async () => {
      const r = await report();
      return r?.results?.some((x) => x.resources[0]?.name === 'bad' && x.result === 'fail') ? r : undefined;
    }, 15_000, 'the PolicyReport');
    const bad = polr.results.find((x) => x.resources[0]?.name === 'bad')!;
    expect(bad).toMatchObject({
      policy: policyName,
      rule: 'check-for-labels',
      result: 'fail',
      message: 'validation error: The label `app.kubernetes.io/name` is required. rule check-for-labels failed at path /metadata/labels/',
      resources: [{ apiVersion: 'v1', kind: 'Pod', name: 'bad', namespace: ns, uid: created.metadata.uid }],
      scored: true,
      source: 'slipway',
      category: 'Best Practices',
      severity: 'medium',
    });
    expect(polr.results.find((x) => x.resources[0]?.name === 'good')).toMatchObject({ result: 'pass' });
    expect(polr.summary).toMatchObject({ fail: 1, pass: 1 });
  });

  test('Audit: kubectl shows the failure as a warning', async () => {
    // Asynchronously: the webhook answering kubectl's request lives in this process.
    const out = await new Promise<{ status: number | null; stdout: string; stderr: string }>((done, fail) => {
      const p = spawn(kubectlPath(), ['--kubeconfig', kubeconfig(), '-n', ns, 'create', '--dry-run=server', '-f', '-']);
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('error', fail);
      p.on('close', (status) => done({ status, stdout, stderr }));
      p.stdin.end(JSON.stringify(pod('warned')));
    });
    expect(out.status).toBe(0);
    expect(out.stderr).toContain(
      `Warning: policy ${policyName}.check-for-labels: validation error: The label \`app.kubernetes.io/name\` is required. rule check-for-labels failed at path /metadata/labels/`,
    );
    expect(out.stdout).toContain('pod/warned created (server dry run)');
  });

  test('Audit: a burst of admissions is written in a few report writes, not one each', async () => {
    const before = reports.stats.writes;
    await Promise.all(Array.from({ length: 20 }, (_, i) => create(pod(`burst-${i}`))));
    const polr = await eventually(async () => {
      const r = await report();
      return r && r.results.filter((x) => x.resources[0]?.name.startsWith('burst-')).length === 20 ? r : undefined;
    }, 15_000, '20 burst results');
    expect(polr.summary.fail).toBe(21);
    const writes = reports.stats.writes - before;
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(4);
  });

  test('a deleted Pod leaves the report (the DELETE webhook)', async () => {
    await deleteObject(client, { group: '', version: 'v1', kind: 'Pod', namespace: ns, name: 'bad' }, { propagationPolicy: 'Background' });
    await eventually(async () => {
      const r = await report();
      return r && !r.results.some((x) => x.resources[0]?.name === 'bad');
    }, 15_000, 'the result of the deleted Pod to go');
  });

  test('Audit on a cluster-scoped kind: a Namespace lands in the ClusterPolicyReport, and leaves it when deleted', async () => {
    await client.request('POST', '/apis/kyverno.io/v1/clusterpolicies', {
      body: {
        apiVersion: 'kyverno.io/v1',
        kind: 'ClusterPolicy',
        metadata: { name: nsPolicyName, labels: { [TEST_LABEL]: run }, annotations: { 'policies.kyverno.io/severity': 'low' } },
        spec: {
          validationFailureAction: 'Audit',
          rules: [
            {
              name: 'owner-label',
              match: { any: [{ resources: { kinds: ['Namespace'], selector: { matchLabels: { [TEST_LABEL]: run } } } }] },
              validate: { message: 'Namespaces need an owner label.', pattern: { metadata: { labels: { owner: '?*' } } } },
            },
          ],
        },
      },
    });
    await eventually(async () => store.policies().some((p) => p.name === nsPolicyName), 10_000, 'the namespace policy');
    await installConfig();
    const nsObject = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [TEST_LABEL]: run } } });
    // Active once a dry-run Namespace reaches the webhook (for a Namespace the selector reads its own labels).
    await eventually(async () => {
      const before = server.stats().requests;
      await client.request('POST', '/api/v1/namespaces', { body: nsObject(`${ns}-probe`), query: { dryRun: 'All' } });
      return server.stats().requests > before;
    }, 20_000, 'Namespaces to reach the webhook');
    const created = await client.request<KubeObject>('POST', '/api/v1/namespaces', { body: nsObject(`${ns}-x`) });
    const cluster = () =>
      getObject(client, { group: 'wgpolicyk8s.io', version: 'v1alpha2', kind: 'ClusterPolicyReport', namespace: '', name: 'clusterpolicyreport' }) as Promise<
        ({ results?: ReportResult[] } & KubeObject) | undefined
      >;
    const ours = (r: { results?: ReportResult[] } | undefined) => (r?.results ?? []).filter((x) => x.policy === nsPolicyName);
    const cpolr = await eventually(async () => {
      const r = await cluster();
      return ours(r).length ? r : undefined;
    }, 15_000, 'the ClusterPolicyReport');
    expect(ours(cpolr)).toEqual([
      expect.objectContaining({
        rule: 'owner-label',
        result: 'fail',
        severity: 'low',
        resources: [{ apiVersion: 'v1', kind: 'Namespace', name: `${ns}-x`, uid: created.metadata.uid }],
      }),
    ]);
    await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: `${ns}-x` });
    await eventually(async () => ours(await cluster()).length === 0, 15_000, 'the deleted Namespace to leave the report');
  });

  test('admission latency over 100 requests through the apiserver', async () => {
    await applyPolicy('Enforce');
    const before = server.stats().requests;
    const roundTrips: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      // Alternate admitted and denied dry runs: both go through the webhook, neither is stored.
      if (i % 2 === 0) await create(pod(`lat-${i}`, { 'app.kubernetes.io/name': 'x' }), true);
      else await refusal(create(pod(`lat-${i}`), true));
      roundTrips.push(performance.now() - t);
    }
    const stats = server.stats();
    expect(stats.requests - before).toBe(100);
    const sorted = [...roundTrips].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.ceil(q * sorted.length) - 1]!;
    console.log(
      `policy webhook latency over 100 admissions: in the webhook p50 ${stats.p50Ms.toFixed(2)} ms, p99 ${stats.p99Ms.toFixed(2)} ms; ` +
        `apiserver round trip (dry-run create) p50 ${p(0.5).toFixed(1)} ms, p99 ${p(0.99).toFixed(1)} ms`,
    );
    expect(stats.p99Ms).toBeLessThan(100);
  });
});

test('certificates kept in a kubernetes.io/tls Secret are reused by the next start', async () => {
  const store = secretCertificateStore(client, ns, 'policy-webhook-tls');
  const first = await ensureCertificates(store);
  expect(first.action).toBe('created');
  const secret = await getObject(client, { group: '', version: 'v1', kind: 'Secret', namespace: ns, name: 'policy-webhook-tls' });
  expect(secret?.type).toBe('kubernetes.io/tls');
  expect(Object.keys(secret?.data as object).sort()).toEqual(['ca.crt', 'ca.key', 'tls.crt', 'tls.key']);
  const again = await ensureCertificates(secretCertificateStore(client, ns, 'policy-webhook-tls'));
  expect(again).toEqual({ action: 'reused', certs: first.certs });
});
