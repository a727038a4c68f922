import { describe, expect, test } from 'vitest';
import { getObject, listObjects } from '../../src/kube/index.js';
import { ReleaseStore } from '../../src/release/index.js';
import { slipway, useNamespace } from './helpers.js';

// Hooks as helm runs them: by weight, then name, then kind order; each Job waited on until it
// completes (kwok completes Job pods); delete policies; a failing hook Job fails the release;
// `slipway test` runs the test Jobs. A Job that cannot run (its pod fits no node) with
// activeDeadlineSeconds is how a hook fails here: kwok completes every pod it runs.

const { client, ns, tree } = useNamespace();

const job = (name: string, annotations: Record<string, string>, extra = '') => `---
apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}
  annotations: ${JSON.stringify(annotations)}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: busybox}]${extra}
`;
const failing = '\n      nodeSelector: {nobody: has-this-label}\n  activeDeadlineSeconds: 2';

const CHART = {
  'hk/Chart.yaml': 'apiVersion: v2\nname: hk\nversion: 1.0.0\n',
  'hk/values.yaml': 'failPreUpgrade: false\nfailTest: false\n',
  'hk/templates/app.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: app}\ndata: {x: "1"}\n',
  'hk/templates/hooks.yaml': [
    job('w5', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '5', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
    job('b-w0', { 'helm.sh/hook': 'pre-install,pre-upgrade' }),
    job('a-w0', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '0', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-failed' }),
    job('wm3', { 'helm.sh/hook': 'pre-install,pre-upgrade', 'helm.sh/hook-weight': '-3' }),
    '---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a-w0\n  annotations: {helm.sh/hook: "pre-install,pre-upgrade", helm.sh/hook-weight: "0"}\ndata: {hook: "yes"}\n',
    job('post', { 'helm.sh/hook': 'post-install,post-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded' }),
    '{{- if .Values.failPreUpgrade }}',
    job('broken', { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': '10', 'helm.sh/hook-delete-policy': 'hook-failed' }, failing),
    '{{- end }}',
    job('pre-delete', { 'helm.sh/hook': 'pre-delete', 'helm.sh/hook-delete-policy': 'hook-succeeded' }),
    job('after-rollback', { 'helm.sh/hook': 'post-rollback' }),
    job('smoke', { 'helm.sh/hook': 'test' }),
    '{{- if .Values.failTest }}',
    job('smoke-broken', { 'helm.sh/hook': 'test', 'helm.sh/hook-weight': '1' }, failing),
    '{{- end }}',
  ].join('\n'),
};

const jobNames = async () => (await listObjects(client(), 'batch/v1', 'Job', { namespace: ns() })).items.map((j) => j.metadata.name).sort();

describe('hooks', () => {
  test('run by weight, then name, then kind; Jobs complete before the next starts; delete policies apply', async () => {
    const dir = tree(CHART);
    const created: string[] = [];
    const abort = new AbortController();
    // record creations as they happen: one watch per kind, merged by resourceVersion
    const events: { key: string; rv: number }[] = [];
    const watches = (['jobs', 'configmaps'] as const).map((res) =>
      client()
        .watch(res === 'jobs' ? `/apis/batch/v1/namespaces/${ns()}/jobs` : `/api/v1/namespaces/${ns()}/configmaps`, {}, (e) => {
          if (e.type === 'ADDED') events.push({ key: `${e.object.kind || (res === 'jobs' ? 'Job' : 'ConfigMap')}/${e.object.metadata.name}`, rv: Number(e.object.metadata.resourceVersion) });
        }, abort.signal)
        .catch(() => undefined),
    );
    await new Promise((r) => setTimeout(r, 300));
    try {
      const r = await slipway(['install', 'hk', `${dir}/hk`, '-n', ns(), '--timeout', '60s']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      await new Promise((res) => setTimeout(res, 300));
    } finally {
      abort.abort();
      await Promise.all(watches);
    }
    created.push(...events.filter((e) => e.key !== 'ConfigMap/kube-root-ca.crt').sort((a, b) => a.rv - b.rv).map((e) => e.key));
    expect(created).toEqual(['Job/wm3', 'ConfigMap/a-w0', 'Job/a-w0', 'Job/b-w0', 'Job/w5', 'ConfigMap/app', 'Job/post']);
    // w5 and post said hook-succeeded; the others stay (before-hook-creation is the default)
    expect(await jobNames()).toEqual(['a-w0', 'b-w0', 'wm3']);
    const rel = await new ReleaseStore(client(), ns()).last('hk');
    const byName = Object.fromEntries(rel!.hooks.map((h) => [`${h.kind}/${h.name}`, h]));
    expect(byName['Job/b-w0']?.delete_policies).toEqual(['before-hook-creation']);
    expect(byName['Job/b-w0']?.last_run?.phase).toBe('Succeeded');
    expect(byName['Job/smoke']?.last_run?.phase ?? '').toBe('');
  });

  test('an upgrade deletes and re-creates before-hook-creation hooks', async () => {
    const dir = tree(CHART);
    const before = await getObject(client(), { group: 'batch', version: 'v1', kind: 'Job', namespace: ns(), name: 'b-w0' });
    const r = await slipway(['upgrade', 'hk', `${dir}/hk`, '-n', ns()]);
    expect(r.code).toBe(0);
    const after = await getObject(client(), { group: 'batch', version: 'v1', kind: 'Job', namespace: ns(), name: 'b-w0' });
    expect(after?.metadata.uid).not.toBe(before?.metadata.uid);
  });

  test('a failed hook Job fails the upgrade; hook-failed hooks are deleted, hook-succeeded ones that ran too', async () => {
    const dir = tree(CHART);
    const r = await slipway(['upgrade', 'hk', `${dir}/hk`, '-n', ns(), '--set', 'failPreUpgrade=true', '--timeout', '60s']);
    expect(r).toMatchObject({ code: 1, stdout: '', stderr: 'error: UPGRADE FAILED: pre-upgrade hooks failed: job broken failed: DeadlineExceeded\n' });
    const history = await new ReleaseStore(client(), ns()).history('hk');
    expect(history.map((h) => [h.version, h.info.status, h.info.description])).toEqual([
      [1, 'superseded', 'Install complete'],
      [2, 'deployed', 'Upgrade complete'],
      [3, 'failed', 'Upgrade "hk" failed: pre-upgrade hooks failed: job broken failed: DeadlineExceeded'],
    ]);
    expect(await jobNames()).toEqual(['a-w0', 'b-w0', 'wm3']);
    expect(history[2]!.hooks.find((h) => h.name === 'broken')?.last_run?.phase).toBe('Failed');
  });

  test('slipway test runs the test Jobs and reports them as helm does', async () => {
    const r = await slipway(['test', 'hk', '-n', ns(), '--logs']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^NAME: hk\nLAST DEPLOYED: .*\nNAMESPACE: t-\w+\nSTATUS: failed\nREVISION: 3\nTEST SUITE: {5}smoke\nLast Started: {3}.*\nLast Completed: .*\nPhase: {10}Succeeded\n\nPOD LOGS: smoke\n/,
    );
    expect(await jobNames()).toContain('smoke');
  });

  test('a failing test fails `slipway test` with exit 1 and shows its phase', async () => {
    const dir = tree(CHART);
    expect((await slipway(['upgrade', 'hk', `${dir}/hk`, '-n', ns(), '--set', 'failTest=true'])).code).toBe(0);
    const r = await slipway(['test', 'hk', '-n', ns(), '--timeout', '60s']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: job smoke-broken failed: DeadlineExceeded\n');
    expect(r.stdout).toMatch(/TEST SUITE: {5}smoke\n.*\n.*\nPhase: {10}Succeeded\nTEST SUITE: {5}smoke-broken\n.*\n.*\nPhase: {10}Failed\n$/);
    const only = await slipway(['test', 'hk', '-n', ns(), '--filter', 'name=smoke']);
    expect(only.code).toBe(0);
  });

  test('rollback runs the rollback hooks of the revision it goes back to', async () => {
    expect(await jobNames()).not.toContain('after-rollback');
    const r = await slipway(['rollback', 'hk', '2', '-n', ns()]);
    expect(r).toMatchObject({ code: 0, stdout: 'Rollback was a success! Happy Helming!\n' });
    expect(await jobNames()).toContain('after-rollback');
    const last = await new ReleaseStore(client(), ns()).last('hk');
    expect(last?.info).toMatchObject({ status: 'deployed', description: 'Rollback to 2' });
    expect(last?.hooks.find((h) => h.name === 'after-rollback')?.last_run.phase).toBe('Succeeded');
  });

  test('uninstall runs pre-delete hooks, then deletes the objects', async () => {
    const r = await slipway(['uninstall', 'hk', '-n', ns(), '--wait']);
    expect(r).toMatchObject({ code: 0, stdout: 'release "hk" uninstalled\n' });
    expect(await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'app' })).toBeUndefined();
    expect(await jobNames()).not.toContain('pre-delete'); // ran and was deleted (hook-succeeded)
  });
});
