// AppReconciler against the local cluster, Argo CD operations: sync waves, hooks and their
// delete policies, failing syncs with retries, rollback.
import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { ARGO, argoApp, cm, configMap, hookJob, job, useGitops } from './gitops-helpers.js';

const s = useGitops();

type Op = { phase?: string; message?: string; retryCount?: number; finishedAt?: string; syncResult?: { resources?: { kind: string; name: string; status: string; hookType?: string; hookPhase?: string; syncPhase?: string }[] } };
const opOf = (o: KubeObject | undefined) => ((o?.status as { operationState?: Op } | undefined)?.operationState ?? {}) as Op;

describe('AppReconciler Argo CD operations', () => {
  it('applies sync waves in order, waiting for each', async () => {
    const repo = s.repo();
    const dst = s.dest('waves');
    repo.commit({
      // File names in reverse of the wave order, so that file order cannot explain the result.
      'app/1.yaml': configMap('w5', { v: '1' }, { 'argocd.argoproj.io/sync-wave': '5' }),
      'app/2.yaml': configMap('w0', { v: '1' }),
      'app/3.yaml': configMap('wminus1', { v: '1' }, { 'argocd.argoproj.io/sync-wave': '-1' }),
      // A plain Job in wave 0: Progressing until kwok completes it; wave 5 must wait for that.
      'app/4.yaml': hookJob('w0job', ''),
    });
    await s.createApp(argoApp('waves', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'waves');
    const log: string[] = [];
    const st = await s.reconciler((m) => log.push(m)).sync(app);
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    const rv = async (n: string) => Number((await s.get(cm(dst, n)))!.metadata.resourceVersion);
    const [a, b, c] = [await rv('wminus1'), await rv('w0'), await rv('w5')];
    expect(a).toBeLessThan(b);
    expect(b).toBeLessThan(c);
    // Wave 5 started after the wave 0 Job completed: created after the Job's last write (its completion).
    const w0job = (await s.get(job(dst, 'w0job')))!;
    expect(w0job.metadata.annotations?.['argocd.argoproj.io/hook']).toBeUndefined();
    expect((w0job.status as { succeeded?: number }).succeeded).toBe(1);
    expect(Number(w0job.metadata.resourceVersion)).toBeLessThan(c);
    // Operation results in execution order.
    const order = (st.operation?.resources ?? []).filter((r) => r.kind === 'ConfigMap').map((r) => r.name);
    expect(order).toEqual(['wminus1', 'w0', 'w5']);
    expect(log.filter((m) => / wave /.test(m)).map((m) => m.replace(/^.*?: /, ''))).toEqual(['Sync wave -1: 1 task(s)', 'Sync wave 0: 2 task(s)', 'Sync wave 5: 1 task(s)']);
    expect(st.resources.find((r) => r.name === 'w5')?.syncWave).toBe(5);
  });

  it('runs PreSync and PostSync hook Jobs and deletes them per policy', async () => {
    const repo = s.repo();
    const dst = s.dest('hooks');
    repo.commit({
      'app/pre.yaml': hookJob('pre', 'PreSync', 'HookSucceeded'),
      'app/post.yaml': hookJob('post', 'PostSync'), // default BeforeHookCreation: stays after success
      'app/a.yaml': configMap('a', { v: '1' }),
      'app/fail.yaml': hookJob('onfail', 'SyncFail', 'HookSucceeded'),
      // generateName: a new Job per sync.
      'app/gen.yaml': hookJob('gen', 'PostSync', 'HookSucceeded').replace('  name: gen\n', '  generateName: gen-\n'),
    });
    await s.createApp(argoApp('hooks', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'hooks');
    const r = s.reconciler();
    const t0 = Date.now();
    const st = await r.sync(app);
    const ms = Date.now() - t0;
    expect(st.operation?.phase, st.operation?.message).toBe('Succeeded');
    const gone = (n: string) => s.gone(job(dst, n), { deleting: true });
    const res = st.operation?.resources ?? [];
    const pre = res.find((x) => x.name === 'pre');
    const post = res.find((x) => x.name === 'post');
    expect(pre).toMatchObject({ kind: 'Job', hookType: 'PreSync', hookPhase: 'Succeeded', status: 'Synced' });
    expect(post).toMatchObject({ kind: 'Job', hookType: 'PostSync', hookPhase: 'Succeeded', status: 'Synced' });
    expect(res.some((x) => x.name === 'onfail')).toBe(false);
    const gen = res.filter((x) => x.name.startsWith('gen-'));
    expect(gen).toHaveLength(1);
    expect(gen[0]).toMatchObject({ hookType: 'PostSync', hookPhase: 'Succeeded' });
    expect(await gone(gen[0]!.name)).toBe(true);
    // PreSync ran before the ConfigMap was applied, PostSync after.
    const names = res.map((x) => x.name);
    expect(names.indexOf('pre')).toBeLessThan(names.indexOf('a'));
    expect(names.indexOf('a')).toBeLessThan(names.indexOf('post'));
    // HookSucceeded: deleted; BeforeHookCreation: left complete.
    expect(await gone('pre')).toBe(true);
    const postJob = await s.get(job(dst, 'post'));
    expect(postJob).toBeDefined();
    expect((postJob!.status as { succeeded?: number }).succeeded).toBe(1);
    expect(await s.get(job(dst, 'onfail'))).toBeUndefined();
    // Hooks are not app resources.
    expect(st.resources.map((x) => x.name)).toEqual(['a']);
    expect(st.phase).toBe('Synced');
    expect(ms).toBeLessThan(60_000);

    // Second sync: BeforeHookCreation recreates post (new uid). The app object shows the
    // operation Running (without the finishedAt and results of the first), then Succeeded.
    const seen: Op[] = [];
    await s.cache().watchKind(ARGO.apiVersion, ARGO.kind);
    const off = s.cache().subscribeKind('argoproj.io', 'Application', (e) => {
      if (e.object.metadata.name === 'hooks' && e.object.metadata.namespace === s.ns()) seen.push(opOf(e.object));
    });
    const uid = postJob!.metadata.uid;
    const st2 = await r.sync(app);
    expect(st2.operation?.phase, st2.operation?.message).toBe('Succeeded');
    await new Promise((x) => setTimeout(x, 500));
    off();
    const running = seen.filter((o) => o.phase === 'Running');
    expect(running.length).toBeGreaterThan(0);
    for (const o of running) {
      expect(o.finishedAt).toBeUndefined();
      expect(o.syncResult?.resources).toBeUndefined();
    }
    expect(seen.at(-1)?.phase).toBe('Succeeded');
    expect(seen.findIndex((o) => o.phase === 'Running')).toBeLessThan(seen.findLastIndex((o) => o.phase === 'Succeeded'));
    expect((await s.get(job(dst, 'post')))?.metadata.uid).not.toBe(uid);
  });

  it('a failing PreSync hook stops the sync before the Sync phase; HookFailed deletes it; SyncFail runs', async () => {
    const repo = s.repo();
    const dst = s.dest('hookfail');
    // No node matches, so the pod never runs; activeDeadlineSeconds fails the Job after 1s.
    const failing = hookJob('pre', 'PreSync', 'HookFailed')
      .replace('  backoffLimit: 0\n', '  backoffLimit: 0\n  activeDeadlineSeconds: 1\n')
      .replace('      restartPolicy: Never\n', '      restartPolicy: Never\n      nodeSelector: { no-such-node: "true" }\n');
    repo.commit({ 'app/pre.yaml': failing, 'app/a.yaml': configMap('a', { v: '1' }), 'app/fail.yaml': hookJob('onfail', 'SyncFail') });
    await s.createApp(argoApp('hookfail', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'] }));
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'hookfail');
    const t0 = Date.now();
    const st = await s.reconciler().sync(app, { retry: null });
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(st.operation?.phase).toBe('Failed');
    expect(st.operation?.message).toMatch(/pre/);
    const pre = (st.operation?.resources ?? []).find((x) => x.name === 'pre');
    expect(pre).toMatchObject({ hookType: 'PreSync', hookPhase: 'Failed', status: 'SyncFailed' });
    expect(await s.get(cm(dst, 'a'))).toBeUndefined();
    await s.gone(job(dst, 'pre'), { deleting: true });
    const left = await s.get(job(dst, 'pre'));
    expect(!left || !!left.metadata.deletionTimestamp).toBe(true);
    // The SyncFail hook ran to completion (default policy BeforeHookCreation keeps it).
    expect(((await s.get(job(dst, 'onfail')))?.status as { succeeded?: number } | undefined)?.succeeded).toBe(1);
    const events = await s.events('hookfail');
    expect(events.find((e) => e.type === 'Warning')?.reason).toBe('HookFailed');
  });

  it('a sync the server rejects fails with a message, runs SyncFail hooks, and retries with backoff', async () => {
    const repo = s.repo();
    const dst = s.dest('fail');
    repo.commit({
      'app/a.yaml': configMap('a', { v: '1' }),
      // Rejected by the server: a ConfigMap key may not contain '/'.
      'app/bad.yaml': configMap('bad', { 'no/slash': '1' }, { 'argocd.argoproj.io/sync-wave': '1' }),
      'app/fail.yaml': hookJob('onfail', 'SyncFail', 'HookSucceeded'),
    });
    await s.createApp(
      argoApp('fail', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'], retry: { limit: 2, backoff: { duration: '200ms', factor: 2, maxDuration: '1s' } } }),
    );
    const { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'fail');
    expect(app.syncPolicy.retry).toMatchObject({ limit: 2 });
    const log: string[] = [];
    const t0 = Date.now();
    const st = await s.reconciler((m) => log.push(m)).sync(app);
    const ms = Date.now() - t0;
    expect(st.operation?.phase).toBe('Failed');
    expect(st.operation?.message).toMatch(/bad/);
    expect(st.operation?.message).toMatch(/Invalid value|invalid/i);
    expect(st.operation?.retryCount).toBe(2);
    expect(log.filter((m) => /retry \d+ in/.test(m))).toHaveLength(2);
    expect(log.some((m) => /retry 1 in 200ms/.test(m))).toBe(true);
    expect(log.some((m) => /retry 2 in 400ms/.test(m))).toBe(true);
    expect(ms).toBeGreaterThanOrEqual(600);
    // Wave 0 was applied before wave 1 failed; the SyncFail hook ran (and was deleted).
    expect(await s.get(cm(dst, 'a'))).toBeDefined();
    expect(await s.get(cm(dst, 'bad'))).toBeUndefined();
    expect((st.operation?.resources ?? []).find((x) => x.name === 'onfail')).toMatchObject({ hookType: 'SyncFail', hookPhase: 'Succeeded' });
    expect(st.history).toEqual([]);
    const op = opOf((await s.loadApp(ARGO.apiVersion, ARGO.kind, 'fail')).obj);
    expect(op.phase).toBe('Failed');
    expect(op.retryCount).toBe(2);
    expect(op.message).toMatch(/bad/);
    expect(op.finishedAt).toBeDefined();

    // Fixed in Git: a plain sync succeeds and the object's operationState has no leftovers of
    // the failed one (a merge patch keeps what it leaves out).
    repo.commit({ 'app/bad.yaml': configMap('bad', { ok: '1' }, { 'argocd.argoproj.io/sync-wave': '1' }) });
    const ok = await s.reconciler().sync(app);
    expect(ok.operation?.phase, ok.operation?.message).toBe('Succeeded');
    const after = (await s.loadApp(ARGO.apiVersion, ARGO.kind, 'fail')).obj;
    const op2 = opOf(after);
    expect(op2.phase).toBe('Succeeded');
    expect(op2.retryCount).toBeUndefined();
    expect(op2.message).toMatch(/successfully synced/);
    expect((after.status as { conditions?: unknown }).conditions).toBeUndefined();
    expect((after.status as { health?: unknown }).health).toMatchObject({ status: 'Healthy' });
    expect((after.status as { health?: { message?: string } }).health?.message).toBeUndefined();
  });

  it('rolls back to a history entry, switching automated sync off', async () => {
    const repo = s.repo();
    const dst = s.dest('rollback');
    const c1 = repo.commit({ 'app/a.yaml': configMap('a', { v: '1' }), 'app/old.yaml': configMap('old', { v: '1' }) });
    await s.createApp(argoApp('rollback', repo, 'app', dst, { syncOptions: ['CreateNamespace=true'], automated: { prune: true, selfHeal: true } }));
    let { app } = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'rollback');
    expect(app.syncPolicy.automated).toBe(true);
    const r = s.reconciler();
    expect((await r.sync(app, { initiatedBy: { automated: true } })).operation?.phase).toBe('Succeeded');
    const c2 = repo.commit({ 'app/a.yaml': configMap('a', { v: '2' }), 'app/old.yaml': null, 'app/new.yaml': configMap('new', { v: '2' }) });
    const st2 = await r.sync(app, { initiatedBy: { automated: true } });
    expect(st2.operation?.phase).toBe('Succeeded');
    expect(await s.get(cm(dst, 'old'))).toBeUndefined();
    expect(st2.history.map((h) => h.revision.slice(-40))).toEqual([c1, c2]);

    const back = await r.rollback(app, 0);
    expect(back.operation?.phase, back.operation?.message).toBe('Succeeded');
    expect((await s.get(cm(dst, 'a')))?.data).toEqual({ v: '1' });
    expect((await s.get(cm(dst, 'old')))?.data).toEqual({ v: '1' });
    expect(back.history.map((h) => h.revision.slice(-40))).toEqual([c1, c2, c1]);
    expect(back.history[2]!.id).toBe(2);
    // As `argocd app rollback` without --prune: what c1 lacks stays, and requires pruning.
    expect(await s.get(cm(dst, 'new'))).toBeDefined();
    expect(back.resources.find((x) => x.name === 'new')).toMatchObject({ requiresPruning: true });
    expect(back.phase).toBe('OutOfSync');
    // Git is still at c2: the app is OutOfSync with its target.
    const reread = await s.loadApp(ARGO.apiVersion, ARGO.kind, 'rollback');
    app = reread.app;
    expect(app.syncPolicy.automated).toBe(false);
    expect((reread.obj.spec as { syncPolicy?: Record<string, unknown> }).syncPolicy?.automated).toBeUndefined();
    // Other syncPolicy fields stay.
    expect((reread.obj.spec as { syncPolicy?: { syncOptions?: string[] } }).syncPolicy?.syncOptions).toEqual(['CreateNamespace=true']);
    const st = (reread.obj.status ?? {}) as { sync?: { revision?: string }; history?: { revision: string }[] };
    expect(st.sync?.revision).toBe(c1);
    expect(st.history?.map((h) => h.revision)).toEqual([c1, c2, c1]);
    const rf = await r.refresh(app);
    expect(rf.phase).toBe('OutOfSync');
    expect(rf.revision).toContain(c2);

    await expect(r.rollback(app, 42)).rejects.toThrow(/no history entry with id 42/);

    // With prune: back to c2, and old (not in c2) goes.
    const again = await r.rollback(app, 1, undefined, { prune: true });
    expect(again.operation?.phase, again.operation?.message).toBe('Succeeded');
    await s.gone(cm(dst, 'old'));
    expect(await s.get(cm(dst, 'old'))).toBeUndefined();
    expect(again.phase).toBe('Synced');
  });
});
