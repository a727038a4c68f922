// AppReconciler against the local cluster with Argo CD Applications: create, change, prune,
// CreateNamespace, history, diff, drift (server defaults, other managers, ignoreDifferences),
// a broken commit and its recovery, Events, and the owned-object watch self-heal builds on.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { mergePatch, serverSideApply, deleteObject, type CacheEvent } from '../../src/kube/index.js';
import { ARGO, argoApp, cm, configMap, deployment, useGitops } from './gitops-helpers.js';
import { eventually } from './helpers.js';

const s = useGitops();

type Status = { sync?: { status?: string; revision?: string }; health?: { status?: string; message?: string }; resources?: { kind: string; name: string; status: string; requiresPruning?: boolean }[]; history?: { id: number; revision: string; deployedAt: string }[]; operationState?: { phase?: string; message?: string }; conditions?: { type: string; message: string }[] };
const statusOf = (o: KubeObject | undefined) => (o?.status ?? {}) as Status;
const dataOf = (o: KubeObject | undefined) => o?.data as Record<string, string> | undefined;

describe('AppReconciler with an Argo CD Application', () => {
  it('syncs: creates the namespace and objects, follows a new commit, prunes only with prune, keeps history', async () => {
    const repo = s.repo();
    const dst = s.dest('basic');
    const c1 = repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }), 'app/b.yaml': configMap('b', { v: '1' }) });
    await s.createApp(argoApp('basic', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'basic');
    const r = s.reconciler();

    const refreshed = await r.refresh(app);
    expect(refreshed.phase).toBe('OutOfSync');
    expect(refreshed.revision).toContain(c1);
    expect(refreshed.resources.map((x) => `${x.kind}/${x.name}:${x.status}`).sort()).toEqual(['ConfigMap/a:OutOfSync', 'ConfigMap/b:OutOfSync']);
    expect(refreshed.health.status).toBe('Missing');

    const t0 = Date.now();
    const synced = await r.sync(app);
    const syncMs = Date.now() - t0;
    expect(synced.operation?.phase, synced.operation?.message).toBe('Succeeded');
    expect(synced.phase).toBe('Synced');
    expect(synced.health.status).toBe('Healthy');
    expect(synced.health.message ?? '').toBe('');
    // CreateNamespace once made every sync wait 5s for the namespace to show in a cache that does not watch namespaces.
    expect(syncMs).toBeLessThan(4000);
    expect(await s.get({ group: '', version: 'v1', kind: 'Namespace', namespace: '', name: dst })).toBeDefined();
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
    const tracking = (await s.get(cm(dst, 'a')))?.metadata.annotations?.['argocd.argoproj.io/tracking-id'];
    expect(tracking).toBe(`basic:/ConfigMap:${dst}/a`);

    // The status on the object: Synced, Healthy without the stale Missing message, one history entry.
    const obj1 = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'basic');
    const st1 = statusOf(obj1.obj);
    expect(st1.sync).toMatchObject({ status: 'Synced', revision: c1 });
    expect(st1.health?.status).toBe('Healthy');
    expect(st1.health?.message).toBeUndefined();
    expect(st1.operationState?.phase).toBe('Succeeded');
    expect(st1.history?.map((h) => h.revision)).toEqual([c1]);

    // A refresh right after the sync: Synced (server defaults and managedFields are no drift).
    expect((await r.refresh(app)).phase).toBe('Synced');

    // New commit: a changes, b leaves Git.
    const c2 = repo.commit({ 'app/a.yaml': configMap('a', { v: '2' }), 'app/b.yaml': null });
    const r2 = await r.refresh(app);
    expect(r2.phase).toBe('OutOfSync');
    expect(r2.revision).toContain(c2);
    const b = r2.resources.find((x) => x.name === 'b');
    expect(b).toMatchObject({ status: 'OutOfSync', requiresPruning: true });
    expect(r2.resources.find((x) => x.name === 'a')?.status).toBe('OutOfSync');

    // Sync without prune: a changes, b stays and still requires pruning.
    const s2 = await r.sync(app);
    expect(s2.operation?.phase).toBe('Succeeded');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '2' });
    expect(await s.get(cm(dst, 'b'))).toBeDefined();
    expect(s2.phase).toBe('OutOfSync');
    expect(s2.resources.find((x) => x.name === 'b')).toMatchObject({ requiresPruning: true });
    const st2 = statusOf((await s.loadApp(ARGO.apiVersion, ARGO.kind, 'basic')).obj);
    expect(st2.sync?.status).toBe('OutOfSync');
    expect(st2.resources?.find((x) => x.name === 'b')).toMatchObject({ status: 'OutOfSync', requiresPruning: true });
    // diff shows the deletion.
    const pruneDiff = (await r.diff(app)).find((d) => d.key.name === 'b');
    expect(pruneDiff?.text).toMatch(/^-kind: ConfigMap$/m);
    expect(pruneDiff?.text).not.toMatch(/^\+[^+]/m);

    // Sync with prune: b goes.
    const s3 = await r.sync(app, { prune: true });
    expect(s3.operation?.phase).toBe('Succeeded');
    await eventually(async () => (await s.get(cm(dst, 'b'))) === undefined, 10_000, 'b pruned');
    expect(s3.phase).toBe('Synced');
    expect(s3.resources.map((x) => x.name)).toEqual(['a']);

    // An automated sync refuses to prune everything unless allowEmpty.
    repo.commit({ 'app/a.yaml': null, 'app/README.md': 'nothing to deploy\n' });
    const wipe = await r.sync(app, { prune: true, retry: null, initiatedBy: { automated: true } });
    expect(wipe.operation?.phase).toBe('Failed');
    expect(wipe.operation?.message).toMatch(/auto-sync will wipe out all resources/);
    expect(await s.get(cm(dst, 'a'))).toBeDefined();
    expect(wipe.history).toHaveLength(3);

    // History: one entry per successful sync, ids increasing, revision and times set.
    const hist = s3.history;
    expect(hist.map((h) => h.id)).toEqual([0, 1, 2]);
    expect(hist.map((h) => h.revision).map((x) => x.slice(-40))).toEqual([c1, c2, c2]);
    for (const h of hist) expect(Date.parse(h.deployedAt)).toBeGreaterThanOrEqual(Date.parse(h.deployStartedAt));
    const st3 = statusOf((await s.loadApp(ARGO.apiVersion, ARGO.kind, 'basic')).obj);
    expect(st3.history?.length).toBe(3);
  });

  it('diff shows a hand change as a unified diff, nothing after sync; ignoreDifferences hides a field', async () => {
    const repo = s.repo();
    const dst = s.dest('diff');
    repo.commit({ 'app/a.yaml': configMap('a', { v: '1', w: '1' }) });
    await s.createApp(
      argoApp('diff', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }, {
        ignoreDifferences: [{ kind: 'ConfigMap', name: 'a', jsonPointers: ['/data/w'] }],
      }),
    );
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'diff');
    const r = s.reconciler();
    // Before the first sync: a creation from nothing.
    const created = await r.diff(app);
    expect(created).toHaveLength(1);
    expect(created[0]!.text).toMatch(/^\+kind: ConfigMap$/m);
    expect(created[0]!.text).not.toMatch(/^-[^-]/m);
    expect((await r.sync(app)).phase).toBe('Synced');
    expect(await r.diff(app)).toEqual([]);

    // A hand edit of an ignored field: still Synced, no diff.
    await mergePatch(s.client(), cm(dst, 'a'), { data: { w: 'hand' } });
    await eventually(async () => dataOf(s.cache().get(cm(dst, 'a')))?.w === 'hand', 5000, 'cache sees w');
    expect((await r.refresh(app)).phase).toBe('Synced');
    expect(await r.diff(app)).toEqual([]);

    // A hand edit of a compared field: OutOfSync and a unified diff.
    await mergePatch(s.client(), cm(dst, 'a'), { data: { v: 'hand' } });
    await eventually(async () => dataOf(s.cache().get(cm(dst, 'a')))?.v === 'hand', 5000, 'cache sees v');
    expect((await r.refresh(app)).phase).toBe('OutOfSync');
    const d = await r.diff(app);
    expect(d).toHaveLength(1);
    expect(d[0]!.key).toEqual({ group: '', kind: 'ConfigMap', namespace: dst, name: 'a' });
    expect(d[0]!.text).toContain(`--- live/v1.ConfigMap.${dst}.a`);
    expect(d[0]!.text).toContain(`+++ merged/v1.ConfigMap.${dst}.a`);
    expect(d[0]!.text).toMatch(/^-\s+v: hand$/m);
    expect(d[0]!.text).toMatch(/^\+\s+v: "1"$/m);
    expect(d[0]!.text).not.toMatch(/^[-+]\s+w:/m);

    // Argo CD applies the whole object (no RespectIgnoreDifferences): the ignored field is reset too.
    expect((await r.sync(app)).phase).toBe('Synced');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1', w: '1' });
    expect(await r.diff(app)).toEqual([]);
  });

  it('RespectIgnoreDifferences=true: a sync keeps the live values of ignored fields', async () => {
    const repo = s.repo();
    const dst = s.dest('respect');
    repo.commit({ 'app/a.yaml': configMap('a', { v: '1', w: '1' }), 'app/web.yaml': deployment({ replicas: 1, image: 'nginx:1' }) });
    await s.createApp(
      argoApp('respect', repo, 'app', dst, { syncOptions: ['CreateNamespace=true', 'RespectIgnoreDifferences=true'] }, {
        ignoreDifferences: [
          { kind: 'ConfigMap', name: 'a', jsonPointers: ['/data/w'] },
          { group: 'apps', kind: 'Deployment', jsonPointers: ['/spec/replicas'] },
        ],
      }),
    );
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'respect');
    expect(app.syncPolicy.respectIgnoreDifferences).toBe(true);
    const r = s.reconciler();
    // First sync creates the objects with Git's values (nothing live to respect).
    expect((await r.sync(app)).operation?.phase).toBe('Succeeded');
    const web = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: dst, name: 'web' };
    expect((await s.get(web))?.spec).toMatchObject({ replicas: 1 });
    // Someone (an HPA, a person) scales and edits; Git changes other fields.
    await mergePatch(s.client(), web, { spec: { replicas: 3 } });
    await mergePatch(s.client(), cm(dst, 'a'), { data: { w: 'hand' } });
    repo.commit({ 'app/a.yaml': configMap('a', { v: '2', w: '1' }), 'app/web.yaml': deployment({ replicas: 1, image: 'nginx:2' }) });
    const st = await r.sync(app);
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '2', w: 'hand' });
    const live = (await s.get(web))!;
    expect(live.spec).toMatchObject({ replicas: 3 });
    expect((live.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image).toBe('nginx:2');
    expect(st.phase).toBe('Synced');
  });

  it('fields of other managers and server defaults are no drift', async () => {
    const repo = s.repo();
    const dst = s.dest('managers');
    repo.commit({
      'app/a.yaml': configMap('a', { v: '1' }),
      'app/svc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n    - port: 80\n`,
    });
    await s.createApp(argoApp('managers', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'managers');
    const r = s.reconciler();
    expect((await r.sync(app)).phase).toBe('Synced');
    // Service got clusterIP, targetPort, protocol, sessionAffinity… from the server.
    expect((await s.get({ group: '', version: 'v1', kind: 'Service', namespace: dst, name: 'web' }))?.spec).toHaveProperty('clusterIP');
    expect((await r.refresh(app)).phase).toBe('Synced');

    await serverSideApply(s.client(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: dst, labels: { team: 'other' } } }, { fieldManager: 'someone-else' });
    await eventually(async () => s.cache().get(cm(dst, 'a'))?.metadata.labels?.team === 'other', 5000, 'cache sees the label');
    const after = await r.refresh(app);
    expect(after.phase).toBe('Synced');
    expect(await r.diff(app)).toEqual([]);
  });

  it('a bad commit leaves live objects alone and says where; a good commit recovers', async () => {
    const repo = s.repo();
    const dst = s.dest('badyaml');
    const good = repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }) });
    await s.createApp(argoApp('badyaml', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'badyaml');
    const r = s.reconciler();
    expect((await r.sync(app)).phase).toBe('Synced');

    const bad = repo.commit({ 'app/a.yaml': configMap('a', { v: '2' }), 'app/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  k: [unclosed\n' });
    const rf = await r.refresh(app);
    expect(rf.error).toMatch(/broken\.yaml/);
    expect(rf.error).toMatch(/line \d+|:\d+/);
    expect(rf.error).toContain(bad.slice(0, 7));
    await expect(r.diff(app)).rejects.toThrow(/broken\.yaml/);
    const so = await r.sync(app, { retry: null });
    expect(so.operation?.phase).toBe('Failed');
    expect(so.operation?.message).toMatch(/broken\.yaml/);
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
    const st = statusOf((await s.loadApp(ARGO.apiVersion, ARGO.kind, 'badyaml')).obj);
    expect(st.conditions?.some((c) => c.type === 'ComparisonError' && /broken\.yaml/.test(c.message))).toBe(true);
    expect(st.operationState?.phase).toBe('Failed');
    // The last good revision still shows.
    expect(st.sync?.revision).toBe(good);

    const fixed = repo.commit({ 'app/broken.yaml': null });
    const ok = await r.sync(app);
    expect(ok.operation?.phase).toBe('Succeeded');
    expect(ok.phase).toBe('Synced');
    expect(ok.revision).toContain(fixed);
    expect(ok.error).toBeUndefined();
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '2' });
    const st2 = statusOf((await s.loadApp(ARGO.apiVersion, ARGO.kind, 'badyaml')).obj);
    expect(st2.conditions ?? []).toEqual([]);
    expect(st2.sync?.revision).toBe(fixed);
  });

  it('records Events on the app object for sync results', async () => {
    const repo = s.repo();
    const dst = s.dest('events');
    const c1 = repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }) });
    await s.createApp(argoApp('events', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { obj, app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'events');
    const r = s.reconciler();
    await r.sync(app);
    repo.commit({ 'app/bad.yaml': 'apiVersion: v1\nkind: NoSuchKind\nmetadata:\n  name: x\n' });
    const failed = await r.sync(app, { retry: null });
    expect(failed.operation?.phase).toBe('Failed');
    const events = await eventually(async () => {
      const list = await s.events('events');
      return list.length >= 2 ? list : undefined;
    }, 10_000, 'two events');
    const ok = events.find((e) => e.reason === 'ReconciliationSucceeded');
    expect(ok).toMatchObject({ type: 'Normal', involvedObject: { kind: 'Application', name: 'events', uid: obj.metadata.uid } });
    expect(ok?.message).toContain(c1.slice(0, 7));
    const warn = events.find((e) => e.type === 'Warning');
    expect(warn?.message).toMatch(/NoSuchKind/);
  });

  it('onOwnedChange subscribed before the first sync sees the kinds the sync brings', async () => {
    const repo = s.repo();
    const dst = s.dest('early');
    repo.commit({ 'app/s.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\nstringData:\n  k: v\n` });
    await s.createApp(argoApp('early', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'early');
    const r = s.reconciler();
    const seen: CacheEvent[] = [];
    const off = r.onOwnedChange((_id, e) => seen.push(e));
    try {
      expect((await r.sync(app)).phase).toBe('Synced');
      const secret = { group: '', version: 'v1', kind: 'Secret', namespace: dst, name: 's' };
      await mergePatch(s.client(), secret, { metadata: { labels: { touched: 'yes' } } });
      await eventually(async () => seen.find((e) => e.type === 'MODIFIED' && e.object.metadata.labels?.touched === 'yes'), 5000, 'Secret MODIFIED');
    } finally {
      off();
    }
  });

  it('onOwnedChange fires when an owned object is edited or deleted by hand', async () => {
    const repo = s.repo();
    const dst = s.dest('heal');
    repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }), 'app/b.yaml': configMap('b', { v: '1' }) });
    await s.createApp(argoApp('heal', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'], automated: { selfHeal: true } }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'heal');
    const r = s.reconciler();
    expect((await r.sync(app)).phase).toBe('Synced');
    const seen: { app: string; event: CacheEvent }[] = [];
    const off = r.onOwnedChange((id, event) => seen.push({ app: id, event }));
    try {
      const id = `argoproj.io/Application/${s.ns()}/heal`;
      expect(r.ownedKeys(app).map((k) => k.name).sort()).toEqual(['a', 'b']);
      const t0 = Date.now();
      await mergePatch(s.client(), cm(dst, 'a'), { data: { v: 'hand' } });
      await eventually(async () => seen.find((x) => x.event.type === 'MODIFIED' && x.event.object.metadata.name === 'a'), 5000, 'MODIFIED a');
      expect(Date.now() - t0).toBeLessThan(5000);
      await deleteObject(s.client(), cm(dst, 'b'));
      const del = await eventually(async () => seen.find((x) => x.event.type === 'DELETED' && x.event.object.metadata.name === 'b'), 5000, 'DELETED b');
      expect(del.app).toBe(id);
      expect(seen.every((x) => x.app === id)).toBe(true);
      // Heal: a sync puts both back.
      const healed = await r.sync(app);
      expect(healed.phase).toBe('Synced');
      expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
      expect(await s.get(cm(dst, 'b'))).toBeDefined();
      // Objects nobody owns raise nothing.
      const before = seen.length;
      await serverSideApply(s.client(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stranger', namespace: dst }, data: { x: '1' } }, { fieldManager: 'someone' });
      await new Promise((res) => setTimeout(res, 1000));
      expect(seen.slice(before).some((x) => x.event.object.metadata.name === 'stranger')).toBe(false);
    } finally {
      off();
    }
  });
});
