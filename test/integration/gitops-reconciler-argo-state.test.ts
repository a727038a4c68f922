// AppReconciler against the local cluster: what survives a restart (inventory, history in the
// app's state ConfigMap) and what two apps in one namespace may do to each other's objects.
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARGO, argoApp, cm, configMap, deployment, useGitops } from './gitops-helpers.js';
import { eventually } from './helpers.js';

const s = useGitops();

describe('AppReconciler state', () => {
  it('a new reconciler (a restart) prunes by the stored inventory and continues the history', async () => {
    const repo = s.repo();
    const dst = s.dest('restart');
    const c1 = repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }), 'app/b.yaml': configMap('b', { v: '1' }) });
    await s.createApp(argoApp('restart', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'restart');
    expect((await s.reconciler().sync(app)).operation?.phase).toBe('Succeeded');
    const state = await s.get(cm(s.ns(), 'slipway-app.application.restart'));
    expect(state).toBeDefined();
    expect(JSON.parse((state!.data as Record<string, string>).history!)).toHaveLength(1);

    const c2 = repo.commit({ 'app/b.yaml': null });
    const fresh = s.reconciler();
    const rf = await fresh.refresh(app);
    expect(rf.resources.find((x) => x.name === 'b')).toMatchObject({ requiresPruning: true, status: 'OutOfSync' });
    expect(rf.history.map((h) => h.revision.slice(-40))).toEqual([c1]);
    const st = await fresh.sync(app, { prune: true });
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    await s.gone(cm(dst, 'b'));
    expect(await s.get(cm(dst, 'b'))).toBeUndefined();
    expect(st.history.map((h) => [h.id, h.revision.slice(-40)])).toEqual([
      [0, c1],
      [1, c2],
    ]);
  });

  it('keeps revisionHistoryLimit entries; a restart with Git broken shows the inventory and why', async () => {
    const repo = s.repo();
    const dst = s.dest('limit');
    await s.createApp(argoApp('limit', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }, { revisionHistoryLimit: 2 }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'limit');
    const r = s.reconciler();
    const shas: string[] = [];
    for (let i = 1; i <= 3; i++) {
      shas.push(repo.commit({ 'app/a.yaml': configMap('a', { v: String(i) }) }));
      expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    }
    const obj = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'limit')).obj;
    const hist = (obj.status as { history?: { id: number; revision: string }[] }).history;
    expect(hist?.map((h) => [h.id, h.revision])).toEqual([
      [1, shas[1]],
      [2, shas[2]],
    ]);

    const bad = repo.commit({ 'app/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a\n' });
    const fresh = s.reconciler();
    const st = await fresh.refresh(app);
    expect(st.phase).toBe('Unknown');
    expect(st.error).toMatch(/a\.yaml/);
    expect(st.error).toContain(bad.slice(0, 7));
    expect(st.resources.map((x) => `${x.kind}/${x.name}`)).toEqual(['ConfigMap/a']);
    expect(st.health.status).toBe('Healthy');
    expect(st.history.map((h) => h.id)).toEqual([1, 2]);
    const after = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'limit')).obj;
    expect((after.status as { sync?: { status?: string } }).sync?.status).toBe('Unknown');
    expect((after.status as { conditions?: { type: string }[] }).conditions?.map((c) => c.type)).toEqual(['ComparisonError']);
  });

  it('renders through sources\' checkout file system: a symlinked directory is not walked twice', async () => {
    const repo = s.repo();
    const dst = s.dest('symlink');
    repo.commit({ 'app/v2/a.yaml': configMap('a', { v: '2' }) });
    symlinkSync('v2', join(repo.dir, 'app', 'current'));
    repo.commit({});
    expect(repo.git('ls-files', '-s', 'app/current')).toMatch(/^120000 /);
    await s.createApp(
      argoApp('symlink', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }, {
        source: { repoURL: repo.dir, targetRevision: 'main', path: 'app', directory: { recurse: true } },
      }),
    );
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'symlink');
    const st = await s.reconciler().sync(app);
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    expect(st.resources.map((x) => x.name)).toEqual(['a']);
  });

  it('a dry run changes nothing: no objects, no history, no status', async () => {
    const repo = s.repo();
    const dst = s.dest('dry');
    repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }) });
    await s.createApp(argoApp('dry', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'dry');
    const r = s.reconciler();
    const st = await r.sync(app, { dryRun: true });
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    expect(st.operation?.message).toMatch(/dry run/);
    expect(st.history).toEqual([]);
    expect(await s.get({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: dst })).toBeUndefined();
    expect(await s.get(cm(dst, 'a'))).toBeUndefined();
    const obj = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'dry')).obj;
    expect((obj.status as { operationState?: unknown } | undefined)?.operationState).toBeUndefined();
    expect(await s.get(cm(s.ns(), 'slipway-app.application.dry'))).toBeUndefined();
    const created = (st.operation?.resources ?? []).find((x) => x.name === 'a');
    expect(created?.message).toMatch(/not checked by the server/);

    // Once the namespace exists the server checks: a rejected object fails the dry run, and
    // neither the cluster nor the status changes.
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    repo.commit({ 'app/a.yaml': configMap('a', { v: '2' }), 'app/bad.yaml': configMap('bad', { 'no/slash': '1' }) });
    const dry = await r.sync(app, { dryRun: true, retry: null });
    expect(dry.operation?.phase).toBe('Failed');
    expect(dry.operation?.message).toMatch(/bad/);
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
    const after = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'dry')).obj;
    expect((after.status as { operationState?: { phase?: string; dryRun?: boolean } }).operationState).toMatchObject({ phase: 'Succeeded' });
    expect(await s.events('dry')).toHaveLength(1);
  });

  it('health follows a Deployment from Progressing to Healthy; the status keeps no stale message', async () => {
    const repo = s.repo();
    const dst = s.dest('health');
    repo.commit({ 'app/web.yaml': deployment() });
    await s.createApp(argoApp('health', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'health');
    const r = s.reconciler();
    const st = await r.sync(app);
    expect(st.operation?.phase).toBe('Succeeded');
    // The last wave is not waited for (as Argo CD): right after the sync the rollout is under way.
    expect(['Progressing', 'Healthy']).toContain(st.health.status);
    const healthy = await eventually(async () => {
      const rf = await r.refresh(app);
      return rf.health.status === 'Healthy' ? rf : undefined;
    }, 30_000, 'Healthy');
    expect(healthy.health.message ?? '').toBe('');
    const obj = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'health')).obj;
    expect((obj.status as { health?: unknown }).health).toEqual({ status: 'Healthy', lastTransitionTime: expect.any(String) });
    expect((obj.status as { sync?: { status?: string } }).sync?.status).toBe('Synced');
  });

  it("prune never deletes an object another app has taken over", async () => {
    const repo = s.repo();
    const dst = s.dest('two');
    repo.commit({ 'one/shared.yaml': configMap('shared', { by: 'one' }), 'one/own.yaml': configMap('own1', { v: '1' }), 'two/own.yaml': configMap('own2', { v: '1' }) });
    await s.createApp(argoApp('one', repo, 'one', dst, { syncOptions: ['CreateNamespace=true'] }));
    await s.createApp(argoApp('two', repo, 'two', dst, { syncOptions: ['CreateNamespace=true'] }));
    const one = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'one')).app;
    const two = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'two')).app;
    const r = s.reconciler();
    expect((await r.sync(one)).operation?.phase).toBe('Succeeded');
    // The object moves from app one to app two in Git.
    repo.commit({ 'one/shared.yaml': null, 'two/shared.yaml': configMap('shared', { by: 'two' }) });
    expect((await r.sync(two)).operation?.phase).toBe('Succeeded');
    expect((await s.get(cm(dst, 'shared')))?.metadata.annotations?.['argocd.argoproj.io/tracking-id']).toBe(`two:/ConfigMap:${dst}/shared`);
    const st = await r.sync(one, { prune: true });
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    expect((st.operation?.resources ?? []).filter((x) => x.name === 'shared' && x.status === 'Pruned')).toEqual([]);
    await new Promise((x) => setTimeout(x, 500));
    expect((await s.get(cm(dst, 'shared')))?.data).toEqual({ by: 'two' });
    // App one no longer owns it: not listed, not requiring pruning, the app Synced.
    expect(st.resources.map((x) => x.name)).toEqual(['own1']);
    expect(st.phase).toBe('Synced');
    expect((await r.refresh(one)).phase).toBe('Synced');
    expect(r.appsOwning({ group: '', kind: 'ConfigMap', namespace: dst, name: 'shared' })).not.toContain(`argoproj.io/Application/${s.ns()}/one`);
    expect(r.appsOwning({ group: '', kind: 'ConfigMap', namespace: dst, name: 'shared' })).toContain(`argoproj.io/Application/${s.ns()}/two`);
  });
});
