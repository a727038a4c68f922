// AppReconciler against the local cluster with Flux Kustomization + GitRepository objects:
// staged apply, prune by inventory, status (Ready, lastAppliedRevision, inventory), postBuild
// substitution, wait and healthChecks.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { AppSpec } from '../../src/gitops/models/index.js';
import { getObject } from '../../src/kube/index.js';
import { cm, configMap, deployment, type GitRepo, useGitops } from './gitops-helpers.js';

const s = useGitops();

const KS = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' } as const;
const GR = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository' } as const;

type Cond = { type: string; status: string; reason: string; message: string };
type FluxStatus = { conditions?: Cond[]; lastAppliedRevision?: string; lastAttemptedRevision?: string; inventory?: { entries: { id: string; v: string }[] } };

/**
 * Creates a GitRepository and a Kustomization and parses them. Flux only takes http(s)/ssh
 * URLs (models refuse a path, as Flux does), so the GitRepository names an https URL and the
 * parsed spec is pointed at the local repository.
 */
async function fluxApp(name: string, repo: GitRepo, spec: Record<string, unknown>, tweak: Partial<AppSpec> = {}): Promise<AppSpec> {
  await s.createApp({ ...GR, metadata: { name }, spec: { url: `https://git.example.invalid/${name}.git`, interval: '1m', ref: { branch: 'main' } } });
  await s.createApp({ ...KS, metadata: { name }, spec: { interval: '5m', sourceRef: { kind: 'GitRepository', name }, ...spec } });
  return load(name, repo, tweak);
}

async function load(name: string, repo: GitRepo, tweak: Partial<AppSpec> = {}): Promise<AppSpec> {
  const gr = (await getObject(s.client(), { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', namespace: s.ns(), name }))!;
  const { app } = await s.loadApp(KS.apiVersion, KS.kind, name, [gr]);
  const source = { ...app.source, url: repo.dir };
  return { ...app, source, sources: [source], ...tweak };
}

async function fluxStatus(name: string): Promise<FluxStatus> {
  const obj = await getObject(s.client(), { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', namespace: s.ns(), name });
  return (obj?.status ?? {}) as FluxStatus;
}

const ready = (st: FluxStatus) => st.conditions?.find((c) => c.type === 'Ready');

describe('AppReconciler with a Flux Kustomization', () => {
  it('rolls back to a history entry and suspends the Kustomization', async () => {
    const repo = s.repo();
    const dst = s.dest('fluxrb');
    const c1 = repo.commit({
      'deploy/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${dst}\n`,
      'deploy/a.yaml': configMap('a', { v: '1' }),
    });
    const app = await fluxApp('fluxrb', repo, { path: './deploy', prune: true, targetNamespace: dst });
    const r = s.reconciler();
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    const c2 = repo.commit({ 'deploy/a.yaml': configMap('a', { v: '2' }), 'deploy/b.yaml': configMap('b', { v: '2' }) });
    const st2 = await r.sync(app);
    expect(st2.history.map((h) => h.revision)).toEqual([`main@sha1:${c1}`, `main@sha1:${c2}`]);
    expect((await fluxStatus('fluxrb')).lastAppliedRevision).toBe(`main@sha1:${c2}`);

    const back = await r.rollback(app, 0);
    expect(back.operation?.phase, back.operation?.message).toBe('Succeeded');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
    await s.gone(cm(dst, 'b'));
    expect(await s.get(cm(dst, 'b'))).toBeUndefined();
    const obj = await getObject(s.client(), { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', namespace: s.ns(), name: 'fluxrb' });
    expect((obj?.spec as { suspend?: boolean }).suspend).toBe(true);
    const fs = await fluxStatus('fluxrb');
    expect(fs.lastAppliedRevision).toMatch(new RegExp(`sha1:${c1}$`));
    expect(fs.inventory?.entries.map((e) => e.id).sort()).toEqual([`_${dst}__Namespace`, `${dst}_a__ConfigMap`].sort());
    expect(back.history).toHaveLength(3);
    expect((await load('fluxrb', repo)).suspend).toBe(true);
  });

  it('applies, substitutes, writes Ready/lastAppliedRevision/inventory, and prunes by inventory', async () => {
    const repo = s.repo();
    const dst = s.dest('flux');
    const c1 = repo.commit({
      'deploy/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${dst}\n`,
      'deploy/a.yaml': configMap('a', { greeting: '${GREETING}', env: '${ENV:=dev}' }),
      'deploy/b.yaml': configMap('b', { v: '1' }),
      'deploy/keep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep\n  labels:\n    kustomize.toolkit.fluxcd.io/prune: disabled\ndata:\n  v: "1"\n`,
    });
    const app = await fluxApp('flux', repo, {
      path: './deploy',
      prune: true,
      targetNamespace: dst,
      postBuild: { substitute: { GREETING: 'hello' } },
      commonMetadata: { labels: { team: 'blue' }, annotations: { owner: 'ops' } },
    });
    expect(app.format).toBe('flux');
    const r = s.reconciler();
    const st = await r.sync(app);
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ greeting: 'hello', env: 'dev' });
    const a = (await s.get(cm(dst, 'a')))!;
    expect(a.metadata.labels).toMatchObject({ 'kustomize.toolkit.fluxcd.io/name': 'flux', 'kustomize.toolkit.fluxcd.io/namespace': s.ns(), team: 'blue' });
    expect(a.metadata.annotations).toMatchObject({ owner: 'ops' });

    const fs1 = await fluxStatus('flux');
    expect(ready(fs1)).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    expect(ready(fs1)?.message).toContain(`main@sha1:${c1}`);
    expect(fs1.lastAppliedRevision).toBe(`main@sha1:${c1}`);
    expect(fs1.lastAttemptedRevision).toBe(`main@sha1:${c1}`);
    expect(fs1.inventory?.entries.map((e) => e.id).sort()).toEqual(
      [`_${dst}__Namespace`, `${dst}_a__ConfigMap`, `${dst}_b__ConfigMap`, `${dst}_keep__ConfigMap`].sort(),
    );
    expect(fs1.inventory?.entries.every((e) => e.v === 'v1')).toBe(true);
    expect((await r.refresh(app)).phase).toBe('Synced');

    // b and keep leave Git: b is pruned, keep (prune: disabled) stays; both leave the inventory.
    const c2 = repo.commit({ 'deploy/b.yaml': null, 'deploy/keep.yaml': null });
    const st2 = await r.sync(app);
    expect(st2.operation?.phase, st2.operation?.message).toBe('Succeeded');
    await s.cache().watchKind('v1', 'ConfigMap');
    await s.gone(cm(dst, 'b'));
    expect(await s.get(cm(dst, 'b'))).toBeUndefined();
    expect(await s.get(cm(dst, 'keep'))).toBeDefined();
    const fs2 = await fluxStatus('flux');
    expect(fs2.lastAppliedRevision).toBe(`main@sha1:${c2}`);
    expect(fs2.inventory?.entries.map((e) => e.id).sort()).toEqual([`_${dst}__Namespace`, `${dst}_a__ConfigMap`].sort());
    expect(ready(fs2)?.status).toBe('True');
  });

  it('a broken commit: Ready=False with the file, objects untouched, a Warning event; a good commit recovers', async () => {
    const repo = s.repo();
    const dst = s.dest('fluxbad');
    const c1 = repo.commit({
      'deploy/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${dst}\n`,
      'deploy/a.yaml': configMap('a', { v: '1' }),
    });
    const app = await fluxApp('fluxbad', repo, { path: './deploy', prune: true, targetNamespace: dst });
    const r = s.reconciler();
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    repo.commit({ 'deploy/a.yaml': configMap('a', { v: '2' }), 'deploy/bad.yaml': 'kind: ConfigMap\nmetadata: [oops\n' });
    const failed = await r.sync(app, { retry: null });
    expect(failed.operation?.phase).toBe('Failed');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
    const fs = await fluxStatus('fluxbad');
    expect(ready(fs)).toMatchObject({ status: 'False', reason: 'BuildFailed' });
    expect(ready(fs)?.message).toMatch(/bad\.yaml/);
    expect(fs.lastAppliedRevision).toBe(`main@sha1:${c1}`);
    const warn = (await s.events('fluxbad')).find((e) => e.type === 'Warning');
    expect(warn?.reason).toBe('BuildFailed');
    expect(warn?.message).toMatch(/bad\.yaml/);

    const c3 = repo.commit({ 'deploy/bad.yaml': null });
    const ok = await r.sync(app);
    expect(ok.operation?.phase, ok.operation?.message).toBe('Succeeded');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '2' });
    const fs2 = await fluxStatus('fluxbad');
    expect(ready(fs2)).toMatchObject({ status: 'True', reason: 'ReconciliationSucceeded' });
    expect(fs2.lastAppliedRevision).toBe(`main@sha1:${c3}`);
    const normal = (await s.events('fluxbad')).find((e) => e.type === 'Normal');
    expect(normal?.reason).toBe('ReconciliationSucceeded');
  });

  it('without prune, objects that left Git stay', async () => {
    const repo = s.repo();
    const dst = s.dest('noprune');
    repo.commit({
      'deploy/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${dst}\n`,
      'deploy/a.yaml': configMap('a', { v: '1' }),
      'deploy/b.yaml': configMap('b', { v: '1' }),
    });
    const app = await fluxApp('noprune', repo, { path: './deploy', prune: false, targetNamespace: dst });
    const r = s.reconciler();
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    repo.commit({ 'deploy/b.yaml': null });
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    await new Promise((x) => setTimeout(x, 500));
    expect(await s.get(cm(dst, 'b'))).toBeDefined();
    // As kustomize-controller: the inventory is what was applied; b is let go, not pruned later.
    const fs = await fluxStatus('noprune');
    expect(fs.inventory?.entries.map((e) => e.id).sort()).toEqual([`_${dst}__Namespace`, `${dst}_a__ConfigMap`].sort());
    expect((await r.sync({ ...app, syncPolicy: { ...app.syncPolicy, prune: true } })).operation?.phase).toBe('Succeeded');
    await new Promise((x) => setTimeout(x, 500));
    expect(await s.get(cm(dst, 'b'))).toBeDefined();
  });

  it('wait: the sync returns when the Deployment is available; a failing health check makes Ready=False', async () => {
    const repo = s.repo();
    const dst = s.dest('wait');
    const c1 = repo.commit({
      'deploy/ns.yaml': `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${dst}\n`,
      'deploy/web.yaml': deployment({ name: 'web', replicas: 2 }),
    });
    const app = await fluxApp('wait', repo, { path: './deploy', prune: true, targetNamespace: dst, wait: true });
    expect(app.wait).toBe(true);
    const r = s.reconciler();
    const st = await r.sync(app);
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    const web = (await s.get({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: dst, name: 'web' }))!;
    expect((web.status as { availableReplicas?: number }).availableReplicas).toBe(2);
    expect(st.health.status).toBe('Healthy');
    const fs = await fluxStatus('wait');
    expect(ready(fs)?.status).toBe('True');
    expect(fs.lastAppliedRevision).toBe(`main@sha1:${c1}`);

    // healthChecks naming an object that never appears: HealthCheckFailed within the timeout.
    await s.createApp({
      ...KS,
      metadata: { name: 'wait' },
      spec: { interval: '5m', sourceRef: { kind: 'GitRepository', name: 'wait' }, path: './deploy', prune: true, targetNamespace: dst, healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'nope', namespace: dst }] },
    });
    // Flux's timeout is at least 30s; a short one keeps the test short.
    const checked = await load('wait', repo, { timeout: 3000 });
    expect(checked.wait).toBe(false);
    expect(checked.healthChecks).toHaveLength(1);
    const t0 = Date.now();
    const failed = await r.sync(checked, { retry: null });
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(failed.operation?.phase).toBe('Failed');
    expect(failed.operation?.message).toMatch(/nope/);
    const fs2 = await fluxStatus('wait');
    expect(ready(fs2)).toMatchObject({ status: 'False', reason: 'HealthCheckFailed' });
    expect(ready(fs2)?.message).toMatch(/nope/);
    // The last applied revision stays what it was.
    expect(fs2.lastAppliedRevision).toBe(`main@sha1:${c1}`);
  });
});

export type { KubeObject };
