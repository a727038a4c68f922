// AppReconciler against the local cluster: what survives a restart (inventory, history in the
// app's state ConfigMap) and what two apps in one namespace may do to each other's objects.
import { describe, expect, it } from 'vitest';
import { ARGO, argoApp, cm, configMap, useGitops } from './gitops-reconciler-helpers.js';

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
    for (let i = 0; i < 50 && (await s.get(cm(dst, 'b'))); i++) await new Promise((x) => setTimeout(x, 200));
    expect(await s.get(cm(dst, 'b'))).toBeUndefined();
    expect(st.history.map((h) => [h.id, h.revision.slice(-40)])).toEqual([
      [0, c1],
      [1, c2],
    ]);
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
