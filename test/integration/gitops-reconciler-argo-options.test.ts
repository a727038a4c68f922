// AppReconciler against the local cluster: Argo CD sync and compare options (Prune=false,
// IgnoreExtraneous, PruneLast, Force=true on an immutable field, FailOnSharedResource, Replace=true).
import { describe, expect, it } from 'vitest';
import { serverSideApply } from '../../src/kube/index.js';
import { ARGO, argoApp, cm, configMap, hookJob, job, useGitops } from './gitops-helpers.js';

const s = useGitops();

describe('AppReconciler Argo CD options', () => {
  it('Prune=false keeps an object that left Git; IgnoreExtraneous keeps the app Synced; PruneLast prunes after the last wave', async () => {
    const repo = s.repo();
    const dst = s.dest('opts');
    repo.commit({
      'app/keep.yaml': configMap('keep', { v: '1' }, { 'argocd.argoproj.io/sync-options': 'Prune=false', 'argocd.argoproj.io/compare-options': 'IgnoreExtraneous' }),
      'app/old.yaml': configMap('old', { v: '1' }),
      'app/a.yaml': configMap('a', { v: '1' }),
    });
    await s.createApp(argoApp('opts', repo, 'app', dst, { syncOptions: ['CreateNamespace=true', 'PruneLast=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'opts');
    const r = s.reconciler();
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    repo.commit({ 'app/keep.yaml': null, 'app/old.yaml': null, 'app/late.yaml': configMap('late', { v: '1' }, { 'argocd.argoproj.io/sync-wave': '3' }) });
    const st = await r.sync(app, { prune: true });
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    const res = st.operation?.resources ?? [];
    expect(res.find((x) => x.name === 'keep')).toMatchObject({ status: 'PruneSkipped' });
    expect(res.find((x) => x.name === 'old')).toMatchObject({ status: 'Pruned' });
    // PruneLast: the prune comes after the wave 3 apply.
    expect(res.findIndex((x) => x.name === 'old')).toBeGreaterThan(res.findIndex((x) => x.name === 'late'));
    expect(await s.get(cm(dst, 'keep'))).toBeDefined();
    expect(st.resources.find((x) => x.name === 'keep')).toMatchObject({ requiresPruning: true });
    // IgnoreExtraneous: keep does not make the app OutOfSync.
    expect(st.phase).toBe('Synced');
    expect((await r.refresh(app)).phase).toBe('Synced');
  });

  it('an immutable field change fails; with Force=true the object is recreated', async () => {
    const repo = s.repo();
    const dst = s.dest('force');
    const jobYaml = (image: string) => hookJob('j', '').replace('image: busybox', `image: ${image}`);
    repo.commit({ 'app/j.yaml': jobYaml('busybox:1') });
    await s.createApp(argoApp('force', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    let { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'force');
    const r = s.reconciler();
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    const uid = (await s.get(job(dst, 'j')))!.metadata.uid;
    repo.commit({ 'app/j.yaml': jobYaml('busybox:2') });
    const failed = await r.sync(app, { retry: null });
    expect(failed.operation?.phase).toBe('Failed');
    expect(failed.operation?.message).toMatch(/immutable/);

    await s.createApp(argoApp('force', repo, 'app', dst, { syncOptions: ['CreateNamespace=true', 'Force=true'] }));
    app = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'force')).app;
    expect(app.syncPolicy.force).toBe(true);
    const st = await r.sync(app, { retry: null });
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    const now = (await s.get(job(dst, 'j')))!;
    expect(now.metadata.uid).not.toBe(uid);
    expect(JSON.stringify(now.spec)).toContain('busybox:2');
  });

  it('Replace=true replaces the whole object (fields of other managers go); others are applied', async () => {
    const repo = s.repo();
    const dst = s.dest('replace');
    repo.commit({
      'app/r.yaml': configMap('r', { v: '1' }, { 'argocd.argoproj.io/sync-options': 'Replace=true' }),
      'app/a.yaml': configMap('a', { v: '1' }),
    });
    await s.createApp(argoApp('replace', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'replace');
    const r = s.reconciler();
    const st1 = await r.sync(app);
    expect(st1.operation?.phase, st1.operation?.message).toBe('Succeeded');
    expect((await s.get(cm(dst, 'r')))?.data).toEqual({ v: '1' });
    for (const n of ['r', 'a']) {
      await serverSideApply(s.client(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, namespace: dst, labels: { extra: 'yes' } } }, { fieldManager: 'someone-else' });
    }
    repo.commit({ 'app/r.yaml': configMap('r', { v: '2' }, { 'argocd.argoproj.io/sync-options': 'Replace=true' }), 'app/a.yaml': configMap('a', { v: '2' }) });
    const st = await r.sync(app);
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    const rr = (await s.get(cm(dst, 'r')))!;
    expect(rr.data).toEqual({ v: '2' });
    expect(rr.metadata.labels?.extra).toBeUndefined();
    const aa = (await s.get(cm(dst, 'a')))!;
    expect(aa.data).toEqual({ v: '2' });
    expect(aa.metadata.labels?.extra).toBe('yes');
    expect(st.phase).toBe('Synced');
    expect((await r.refresh(app)).phase).toBe('Synced');
  });

  it('FailOnSharedResource=true refuses an object another app tracks', async () => {
    const repo = s.repo();
    const dst = s.dest('shared');
    repo.commit({ 'first/x.yaml': configMap('x', { by: 'first' }), 'second/x.yaml': configMap('x', { by: 'second' }) });
    await s.createApp(argoApp('first', repo, 'first', dst, { syncOptions: ['CreateNamespace=true'] }));
    await s.createApp(argoApp('second', repo, 'second', dst, { syncOptions: ['CreateNamespace=true', 'FailOnSharedResource=true'] }));
    const first = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'first')).app;
    const second = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'second')).app;
    const r = s.reconciler();
    expect((await r.sync(first)).operation?.phase).toBe('Succeeded');
    const st = await r.sync(second, { retry: null });
    expect(st.operation?.phase).toBe('Failed');
    expect(st.operation?.message).toBe('Shared resource found: ConfigMap/x is part of applications second and first');
    expect((await s.get(cm(dst, 'x')))?.data).toEqual({ by: 'first' });
  });
});
