import { describe, expect, test } from 'vitest';
import type { KubeObject, ResourceKey } from '../../../src/core/index.js';
import { hookDeletePolicies, isHook, syncPhases, syncWave } from '../../../src/gitops/reconciler/hooks.js';
import { defaultPlanOptions, describePlan, planSync, type PlanOptions, type PlanResource } from '../../../src/gitops/reconciler/plan.js';

function obj(kind: string, name: string, annotations: Record<string, string> = {}, apiVersion = 'v1'): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace: 'shop', annotations } };
}
const key = (o: KubeObject): ResourceKey => ({
  group: o.apiVersion.includes('/') ? o.apiVersion.split('/')[0]! : '',
  kind: o.kind,
  namespace: o.metadata.namespace ?? '',
  name: o.metadata.name ?? o.metadata.generateName ?? '',
});
const desired = (o: KubeObject, status: 'Synced' | 'OutOfSync' = 'OutOfSync', live?: KubeObject): PlanResource => ({ key: key(o), desired: o, live, status });
const extraneous = (o: KubeObject): PlanResource => ({ key: key(o), live: o, status: 'OutOfSync' });
const plan = (resources: PlanResource[], options: Partial<PlanOptions> = {}) => describePlan(planSync(resources, { ...defaultPlanOptions(), ...options }));

describe('hook and wave annotations', () => {
  test.each([
    [{}, ['Sync'], false],
    [{ 'argocd.argoproj.io/hook': 'PreSync' }, ['PreSync'], true],
    [{ 'argocd.argoproj.io/hook': 'PostSync, PreSync' }, ['PreSync', 'PostSync'], true],
    [{ 'argocd.argoproj.io/hook': 'Skip' }, [], false],
    [{ 'argocd.argoproj.io/hook': 'SyncFail' }, ['SyncFail'], true],
    [{ 'helm.sh/hook': 'pre-install,pre-upgrade' }, ['PreSync'], true],
    [{ 'helm.sh/hook': 'post-install' }, ['PostSync'], true],
    [{ 'helm.sh/hook': 'test' }, [], true],
    [{ 'helm.sh/hook': 'crd-install' }, ['Sync'], false],
    // Argo's annotation wins over Helm's.
    [{ 'argocd.argoproj.io/hook': 'Sync', 'helm.sh/hook': 'pre-install' }, ['Sync'], true],
  ])('%j runs in %j (hook: %s)', (annotations, phases, hook) => {
    const o = obj('Job', 'j', annotations as Record<string, string>, 'batch/v1');
    expect(syncPhases(o)).toEqual(phases);
    expect(isHook(o)).toBe(hook);
  });

  test.each([
    [{}, 0],
    [{ 'argocd.argoproj.io/sync-wave': '-2' }, -2],
    [{ 'helm.sh/hook-weight': '5' }, 5],
    [{ 'argocd.argoproj.io/sync-wave': '1', 'helm.sh/hook-weight': '5' }, 1],
    [{ 'argocd.argoproj.io/sync-wave': 'x' }, 0],
  ])('%j is wave %i', (annotations, wave) => {
    expect(syncWave(obj('ConfigMap', 'c', annotations as Record<string, string>))).toBe(wave);
  });

  test.each([
    [{}, ['BeforeHookCreation']],
    [{ 'argocd.argoproj.io/hook-delete-policy': 'HookSucceeded,HookFailed' }, ['HookSucceeded', 'HookFailed']],
    [{ 'helm.sh/hook-delete-policy': 'hook-succeeded,before-hook-creation' }, ['HookSucceeded', 'BeforeHookCreation']],
  ])('delete policies of %j are %j', (annotations, policies) => {
    expect(hookDeletePolicies(obj('Job', 'j', annotations as Record<string, string>, 'batch/v1'))).toEqual(policies);
  });
});

describe('planSync (Argo CD)', () => {
  test('phases, then waves, then kind order, then name', () => {
    const lines = plan([
      desired(obj('Deployment', 'web', {}, 'apps/v1')),
      desired(obj('Service', 'web')),
      desired(obj('ConfigMap', 'b', { 'argocd.argoproj.io/sync-wave': '-1' })),
      desired(obj('ConfigMap', 'a', { 'argocd.argoproj.io/sync-wave': '-1' })),
      desired(obj('Job', 'migrate', { 'argocd.argoproj.io/hook': 'PreSync' }, 'batch/v1')),
      desired(obj('Job', 'notify', { 'argocd.argoproj.io/hook': 'PostSync' }, 'batch/v1')),
      desired(obj('Job', 'cleanup', { 'argocd.argoproj.io/hook': 'SyncFail' }, 'batch/v1')),
      desired(obj('Secret', 'late', { 'argocd.argoproj.io/sync-wave': '3' })),
      desired(obj('ServiceAccount', 'sa')),
    ]);
    expect(lines).toEqual([
      'PreSync/0 hook Job/shop/migrate',
      'Sync/-1 apply ConfigMap/shop/a',
      'Sync/-1 apply ConfigMap/shop/b',
      'Sync/0 apply ServiceAccount/shop/sa',
      'Sync/0 apply Service/shop/web',
      'Sync/0 apply Deployment/shop/web',
      'Sync/3 apply Secret/shop/late',
      'PostSync/0 hook Job/shop/notify',
      'SyncFail/0 hook Job/shop/cleanup',
    ]);
  });

  test('helm hooks and weights map to Argo phases and waves', () => {
    const lines = plan([
      desired(obj('Job', 'second', { 'helm.sh/hook': 'pre-install', 'helm.sh/hook-weight': '2' }, 'batch/v1')),
      desired(obj('Job', 'first', { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-weight': '-1' }, 'batch/v1')),
      desired(obj('Pod', 'test', { 'helm.sh/hook': 'test' })),
      desired(obj('ConfigMap', 'after', { 'helm.sh/hook': 'post-upgrade' })),
    ]);
    expect(lines).toEqual(['PreSync/-1 hook Job/shop/first', 'PreSync/2 hook Job/shop/second', 'PostSync/0 hook ConfigMap/shop/after']);
  });

  test('a hook with generateName is named per sync from the revision, phase and start time', () => {
    const job: KubeObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'migrate-', namespace: 'shop', annotations: { 'argocd.argoproj.io/hook': 'PreSync,PostSync' } } };
    const p = planSync([desired(job)], { ...defaultPlanOptions(), revision: 'abcdef0123456789', startedAt: new Date(1_700_000_000_000) });
    expect(p.steps.map((s) => s.tasks[0]!.object.metadata.name)).toEqual(['migrate-abcdef0-presync-1700000000', 'migrate-abcdef0-postsync-1700000000']);
    expect(p.steps[0]!.tasks[0]!.object.metadata.generateName).toBeUndefined();
    expect(p.steps[0]!.tasks[0]!.deletePolicies).toEqual(['BeforeHookCreation']);
  });

  test('Skip hooks are not applied', () => {
    const p = planSync([desired(obj('ConfigMap', 'x', { 'argocd.argoproj.io/hook': 'Skip' }))], defaultPlanOptions());
    expect(p.steps).toEqual([]);
    expect(p.skipped).toEqual([{ key: expect.objectContaining({ name: 'x' }), message: 'skipped (hook Skip)' }]);
  });

  test('ApplyOutOfSyncOnly leaves Synced resources out; hooks always run', () => {
    const lines = plan(
      [
        desired(obj('ConfigMap', 'same'), 'Synced'),
        desired(obj('ConfigMap', 'changed'), 'OutOfSync'),
        desired(obj('Job', 'hook', { 'argocd.argoproj.io/hook': 'Sync' }, 'batch/v1'), 'OutOfSync'),
      ],
      { applyOutOfSyncOnly: true },
    );
    expect(lines).toEqual(['Sync/0 apply ConfigMap/shop/changed', 'Sync/0 hook Job/shop/hook']);
    expect(plan([desired(obj('ConfigMap', 'same'), 'Synced')])).toEqual(['Sync/0 apply ConfigMap/shop/same']);
  });
});

describe('prune selection', () => {
  const gone = obj('ConfigMap', 'gone');
  test('without prune, extraneous objects are reported, not deleted', () => {
    const p = planSync([extraneous(gone)], defaultPlanOptions());
    expect(p.prune).toEqual([]);
    expect(describePlan(p)).toEqual(['skip ConfigMap/shop/gone: ignored (requires pruning)']);
  });

  test('with prune they are deleted first within their wave', () => {
    expect(plan([desired(obj('ConfigMap', 'a')), extraneous(gone)], { prune: true })).toEqual([
      'Sync/0 prune ConfigMap/shop/gone',
      'Sync/0 apply ConfigMap/shop/a',
    ]);
  });

  test.each([
    [{ 'argocd.argoproj.io/sync-options': 'Prune=false' }],
    [{ 'helm.sh/resource-policy': 'keep' }],
    [{ 'slipway.dev/prune': 'disabled' }],
  ])('%j protects an object from prune', (annotations) => {
    expect(plan([extraneous(obj('ConfigMap', 'kept', annotations))], { prune: true })).toEqual(['skip ConfigMap/shop/kept: ignored (no prune)']);
  });

  test('objects only in the inventory and already gone need nothing', () => {
    expect(planSync([{ key: key(gone), status: 'OutOfSync' }], { ...defaultPlanOptions(), prune: true })).toEqual({ steps: [], prune: [], skipped: [] });
  });

  test('prune waves are mirrored: the last wave created is pruned first', () => {
    const lines = plan(
      [
        extraneous(obj('ConfigMap', 'w0')),
        extraneous(obj('ConfigMap', 'w1', { 'argocd.argoproj.io/sync-wave': '1' })),
        extraneous(obj('ConfigMap', 'w5', { 'argocd.argoproj.io/sync-wave': '5' })),
      ],
      { prune: true },
    );
    expect(lines).toEqual(['Sync/0 prune ConfigMap/shop/w5', 'Sync/1 prune ConfigMap/shop/w1', 'Sync/5 prune ConfigMap/shop/w0']);
  });

  test('PruneLast (app option or annotation) prunes after the last Sync wave', () => {
    const resources = [
      desired(obj('ConfigMap', 'a', { 'argocd.argoproj.io/sync-wave': '2' })),
      extraneous(obj('ConfigMap', 'old')),
      extraneous(obj('ConfigMap', 'older', { 'argocd.argoproj.io/sync-options': 'PruneLast=true' })),
    ];
    expect(plan(resources, { prune: true })).toEqual(['Sync/0 prune ConfigMap/shop/old', 'Sync/2 apply ConfigMap/shop/a', 'Sync/3 prune ConfigMap/shop/older']);
    expect(plan(resources, { prune: true, pruneLast: true })).toEqual([
      'Sync/2 apply ConfigMap/shop/a',
      'Sync/3 prune ConfigMap/shop/old',
      'Sync/3 prune ConfigMap/shop/older',
    ]);
  });
});

describe('planSync (Flux)', () => {
  test('one staged apply of everything, hooks included as plain objects, then prune', () => {
    const p = planSync(
      [
        desired(obj('Deployment', 'web', { 'argocd.argoproj.io/sync-wave': '5' }, 'apps/v1')),
        desired(obj('Job', 'hook', { 'helm.sh/hook': 'pre-install' }, 'batch/v1')),
        desired(obj('Namespace', 'shop')),
        extraneous(obj('ConfigMap', 'gone')),
      ],
      { ...defaultPlanOptions(), format: 'flux', prune: true },
    );
    expect(describePlan(p)).toEqual(['Sync/0 apply Namespace/shop/shop', 'Sync/0 apply Deployment/shop/web', 'Sync/0 apply Job/shop/hook', 'Sync/1 prune ConfigMap/shop/gone']);
    expect(p.prune).toEqual([key(obj('ConfigMap', 'gone'))]);
  });
});
