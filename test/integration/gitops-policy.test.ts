// GitOps syncs checked against the cluster's Kyverno policies: an Argo CD Application whose Git
// content has a Deployment without the required label applies nothing and says why (SyncError,
// operationState, per-resource results, a PolicyViolation Event); fixed in Git, it syncs; Audit
// failures sync and show as a PolicyWarning condition and Event; a Flux Kustomization gets
// Ready=False with reason PolicyViolation. The policies match only this suite's namespaces, so
// other suites on the shared cluster are not affected.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { AppReconciler } from '../../src/gitops/reconciler/reconciler.js';
import { GitSourceCache } from '../../src/gitops/sources/index.js';
import { getObject, serverSideApply, deleteObject, type KubeClient } from '../../src/kube/index.js';
import { installPolicyCrds } from '../../src/server/admission-install.js';
import { ARGO, argoApp, cm, configMap, deployment, useGitops } from './gitops-helpers.js';

const s = useGitops();

/** The kyverno.io CRDs as Slipway installs them (a cluster with Kyverno's own keeps those). */
async function ensureKyvernoCrds(client: KubeClient): Promise<void> {
  await installPolicyCrds(client);
  client.discovery.invalidate('kyverno.io/v1');
}

const suffix = Math.random().toString(36).slice(2, 7);
const policyNames: string[] = [];
const namespaces: string[] = [];
const gitDir = mkdtempSync(join(tmpdir(), 'slipway-gitops-policy-'));

/** A ClusterPolicy on the suite's destination namespaces only. */
function clusterPolicy(name: string, action: 'Enforce' | 'Audit', kinds: string[], message: string, pattern: unknown): KubeObject {
  return {
    apiVersion: 'kyverno.io/v1',
    kind: 'ClusterPolicy',
    metadata: { name },
    spec: {
      validationFailureAction: action,
      background: true,
      rules: [{ name: `check-${name.split('-')[0]}`, match: { any: [{ resources: { kinds, namespaces } }] }, validate: { message, pattern } }],
    },
  };
}

type ArgoStatus = {
  conditions?: { type: string; message: string }[];
  operationState?: { phase?: string; message?: string; syncResult?: { resources?: { kind: string; name: string; status: string; message?: string }[] } };
  sync?: { status?: string };
};

beforeAll(async () => {
  const client = s.client();
  await ensureKyvernoCrds(client);
  namespaces.push(s.dest('pol-argo'), s.dest('pol-flux'), s.dest('pol-off'));
  const labels = clusterPolicy(`labels-${suffix}`, 'Enforce', ['Pod'], 'The label `app.kubernetes.io/name` is required.', { metadata: { labels: { 'app.kubernetes.io/name': '?*' } } });
  const nodePort = clusterPolicy(`nodeport-${suffix}`, 'Audit', ['Service'], 'Services of type NodePort are not allowed.', { spec: { '=(type)': '!NodePort' } });
  for (const p of [labels, nodePort]) {
    await serverSideApply(client, p, { fieldManager: 'slipway-test' });
    policyNames.push(p.metadata.name!);
  }
});

afterAll(async () => {
  rmSync(gitDir, { recursive: true, force: true });
  for (const name of policyNames) await deleteObject(s.client(), { group: 'kyverno.io', version: 'v1', kind: 'ClusterPolicy', namespace: '', name }).catch(() => undefined);
});

const labelled = (name: string) =>
  deployment({ name }).replace(`labels: { app: ${name} }\n    spec:`, `labels: { app: ${name}, app.kubernetes.io/name: ${name} }\n    spec:`);
const service = (name: string, type: string) => `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  type: ${type}\n  selector: {app: web}\n  ports:\n  - port: 80\n`;
const deploymentRef = (namespace: string, name: string) => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace, name });

describe('GitOps sync with Kyverno policies on the cluster', () => {
  it('Argo CD: an Enforce violation applies nothing and says which resource, policy and rule; fixed in Git it syncs; Audit failures sync with a warning', async () => {
    const dst = namespaces[0]!;
    const repo = s.repo();
    repo.commit({ 'app/web.yaml': deployment({ name: 'web' }), 'app/cm.yaml': configMap('settings', { v: '1' }) });
    await s.createApp(argoApp('pol', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'pol');
    const r = s.reconciler();

    const refused = await r.sync(app, { retry: null });
    expect(refused.operation?.phase).toBe('Failed');
    const message = refused.operation?.message ?? '';
    expect(message).toMatch(/^policy violation: 1 Enforce rule failed, nothing applied: /);
    expect(message).toContain(`Deployment/${dst}/web: labels-${suffix}/autogen-check-labels: validation error: The label \`app.kubernetes.io/name\` is required.`);
    // Nothing applied: not the violating Deployment, not the ConfigMap next to it.
    expect(await s.get(deploymentRef(dst, 'web'))).toBeUndefined();
    expect(await s.get(cm(dst, 'settings'))).toBeUndefined();

    const st = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'pol')).obj.status as ArgoStatus;
    expect(st.conditions).toEqual([expect.objectContaining({ type: 'SyncError', message })]);
    expect(st.operationState?.phase).toBe('Failed');
    expect(st.operationState?.message).toBe(message);
    expect(st.operationState?.syncResult?.resources).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'web', status: 'SyncFailed', message: expect.stringContaining(`labels-${suffix}/autogen-check-labels: validation error:`) }),
    ]);
    expect(st.sync?.status).toBe('OutOfSync');
    const events = await s.events('pol');
    expect(events.some((e) => e.reason === 'PolicyViolation' && String(e.message).includes('policy violation: 1 Enforce rule failed'))).toBe(true);

    // A dry run says the same and changes nothing.
    const dry = await r.sync(app, { dryRun: true, retry: null });
    expect(dry.operation?.message).toBe(message);

    // Fixed in Git, plus a NodePort Service that only an Audit policy objects to: it syncs.
    repo.commit({ 'app/web.yaml': labelled('web'), 'app/svc.yaml': service('web', 'NodePort') });
    const synced = await r.sync(app, { retry: null });
    expect(synced.operation?.phase, synced.operation?.message).toBe('Succeeded');
    expect(await s.get(deploymentRef(dst, 'web'))).toBeDefined();
    expect(await s.get(cm(dst, 'settings'))).toBeDefined();
    expect(await s.get({ group: '', version: 'v1', kind: 'Service', namespace: dst, name: 'web' })).toBeDefined();
    const warned = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'pol')).obj.status as ArgoStatus;
    expect(warned.conditions).toEqual([
      expect.objectContaining({ type: 'PolicyWarning', message: `1 Audit rule failed (applied anyway): Service/${dst}/web: nodeport-${suffix}/check-nodeport: validation error: Services of type NodePort are not allowed. rule check-nodeport failed at path /spec/type/` }),
    ]);
    const after = await s.events('pol');
    expect(after.some((e) => e.reason === 'PolicyWarning' && String(e.message).startsWith('1 Audit rule failed'))).toBe(true);

    // Audit fixed too: the warning goes.
    repo.commit({ 'app/svc.yaml': service('web', 'ClusterIP') });
    expect((await r.sync(app, { retry: null })).operation?.phase).toBe('Succeeded');
    const clean = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'pol')).obj.status as ArgoStatus;
    expect(clean.conditions ?? []).toEqual([]);
  });

  it('Flux: a violation is Ready=False with reason PolicyViolation and nothing is applied', async () => {
    const dst = namespaces[1]!;
    const repo = s.repo();
    repo.commit({
      'deploy/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${dst}\n`,
      'deploy/web.yaml': deployment({ name: 'web' }),
      'deploy/cm.yaml': configMap('settings', { v: '1' }),
    });
    const name = 'polflux';
    await s.createApp({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name }, spec: { url: `https://git.example.invalid/${name}.git`, interval: '1m', ref: { branch: 'main' } } });
    await s.createApp({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name }, spec: { interval: '5m', path: './deploy', prune: true, targetNamespace: dst, sourceRef: { kind: 'GitRepository', name } } });
    const gr = (await getObject(s.client(), { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', namespace: s.ns(), name }))!;
    const loaded = (await s.loadApp('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', name, [gr])).app;
    const app = { ...loaded, source: { ...loaded.source, url: repo.dir }, sources: [{ ...loaded.source, url: repo.dir }] };
    const r = s.reconciler();

    const refused = await r.sync(app, { retry: null });
    expect(refused.operation?.phase).toBe('Failed');
    expect(await s.get(cm(dst, 'settings'))).toBeUndefined();
    expect(await s.get({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: dst })).toBeUndefined();
    const obj = await getObject(s.client(), { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', namespace: s.ns(), name });
    const ready = ((obj?.status as { conditions?: { type: string; status: string; reason: string; message: string }[] }).conditions ?? []).find((c) => c.type === 'Ready');
    expect(ready).toMatchObject({ status: 'False', reason: 'PolicyViolation' });
    expect(ready?.message).toContain(`Deployment/${dst}/web: labels-${suffix}/autogen-check-labels: validation error: The label \`app.kubernetes.io/name\` is required.`);
  });

  it('a reconciler with policies off applies what the policies would refuse', async () => {
    const dst = namespaces[2]!;
    const repo = s.repo();
    repo.commit({ 'app/web.yaml': deployment({ name: 'web' }) });
    await s.createApp(argoApp('poloff', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'poloff');
    expect((await s.reconciler().sync(app, { retry: null })).operation?.message).toMatch(/^policy violation: /);
    const off = new AppReconciler({ client: s.client(), cache: s.cache(), sources: new GitSourceCache(gitDir), clock: () => new Date(), policies: false });
    expect((await off.sync(app, { retry: null })).operation?.phase).toBe('Succeeded');
    expect(await s.get(deploymentRef(dst, 'web'))).toBeDefined();
  });
});
