import { describe, expect, test } from 'vitest';
import { autoSyncReason } from '../../../src/gitops/controller/index.js';
import type { AppSpec, AppStatus } from '../../../src/gitops/models/index.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

type App = Pick<AppSpec, 'format' | 'syncPolicy' | 'refreshRequest'>;
const app = (format: AppSpec['format'], automated: boolean, selfHeal: boolean, refreshRequest?: string): App =>
  ({ format, syncPolicy: { automated, selfHeal, prune: true } as AppSpec['syncPolicy'], ...(refreshRequest ? { refreshRequest } : {}) }) as App;

function status(phase: AppStatus['phase'], revision: string, extra: Partial<AppStatus> = {}): AppStatus {
  return { phase, revision: `main@sha1:${revision}`, health: { status: 'Healthy' }, resources: [], history: [], conditions: [], ...extra } as AppStatus;
}
const synced = (rev: string, automated = true) => ({
  operation: { phase: 'Succeeded' as const, message: '', startedAt: '', revision: rev, initiatedBy: { automated } },
  history: [{ id: 0, revision: rev, deployedAt: '', deployStartedAt: '', source: {} }],
});
const failed = (rev: string) => ({ operation: { phase: 'Failed' as const, message: 'boom', startedAt: '', revision: rev, initiatedBy: { automated: true } } });

describe('Argo CD automated sync', () => {
  test.each([
    ['not automated', app('argocd', false, true), status('OutOfSync', A), {}, undefined],
    ['Synced', app('argocd', true, true), status('Synced', A), {}, undefined],
    ['source failed (Unknown)', app('argocd', true, true), status('Unknown', A), {}, undefined],
    ['a new app', app('argocd', true, false), status('OutOfSync', A), {}, 'new revision'],
    ['a new revision after a synced one', app('argocd', true, false), status('OutOfSync', B, synced(A)), {}, 'new revision'],
    ['drift on a synced revision, no selfHeal', app('argocd', true, false), status('OutOfSync', A, synced(A)), { heal: true }, undefined],
    ['drift on a synced revision, selfHeal', app('argocd', true, true), status('OutOfSync', A, synced(A)), { heal: true }, 'self-heal'],
    ['drift after a manual sync, no selfHeal', app('argocd', true, false), status('OutOfSync', A, synced(A, false)), {}, undefined],
    ['drift after a restart (history only), selfHeal', app('argocd', true, true), status('OutOfSync', A, { history: synced(A).history }), {}, 'self-heal'],
    ['a failed revision is not synced again', app('argocd', true, true), status('OutOfSync', A, failed(A)), { heal: true }, undefined],
    ['a failed revision is retried when the retry is due', app('argocd', true, true), status('OutOfSync', A, failed(A)), { retryDue: true }, 'retry'],
    ['a new revision after a failed one', app('argocd', true, false), status('OutOfSync', B, failed(A)), {}, 'new revision'],
    ['Slipway apps follow the same rules', app('slipway', true, false), status('OutOfSync', A, synced(A)), { heal: true }, undefined],
  ] as const)('%s', (_what, a, s, trigger, want) => {
    expect(autoSyncReason(a, s, trigger)).toBe(want);
  });
});

describe('Flux reconcile', () => {
  test.each([
    ['OutOfSync applies', app('flux', true, true), status('OutOfSync', A, { lastAppliedRevision: `main@sha1:${A}` }), {}, 'out of sync'],
    ['drift applies', app('flux', true, true), status('OutOfSync', A, { lastAppliedRevision: `main@sha1:${A}` }), { heal: true }, 'drift'],
    ['a new revision applies even when nothing differs', app('flux', true, true), status('Synced', B, { lastAppliedRevision: `main@sha1:${A}` }), {}, 'new revision'],
    ['nothing new: no apply', app('flux', true, true), status('Synced', A, { lastAppliedRevision: `main@sha1:${A}` }), {}, undefined],
    ['a reconcile request re-applies', app('flux', true, true, '2026-01-01'), status('Synced', A, { lastAppliedRevision: `main@sha1:${A}` }), { force: true }, 'reconcile requested'],
    ['a build failure: no apply', app('flux', true, true), status('Unknown', A), { force: true }, undefined],
  ] as const)('%s', (_what, a, s, trigger, want) => {
    expect(autoSyncReason(a, s, trigger)).toBe(want);
  });
});
