// statusPatch and gitRepositoryStatusPatch: the exact shape each tool writes (Argo CD
// pkg/apis/application/v1alpha1 types.go ApplicationStatus; Flux kustomize-controller api/v1
// KustomizationStatus with fluxcd/pkg meta conditions; source-controller GitRepositoryStatus),
// checked field by field and against the upstream Argo CD CRD from the corpus; condition times
// kept while a condition's status holds; and a patch applied as a merge patch over the previous
// status leaves nothing stale.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import {
  fluxInventoryId,
  gitopsCrds,
  gitRepositoryStatusPatch,
  parseApp,
  parseGitRepository,
  statusPatch,
  type AppSpec,
  type AppStatus,
} from '../../../src/gitops/models/index.js';
import { CORPUS, checkSchema, loadDocs, subSchema, versionSchema, specOf } from './models-helpers.js';

const SHA = '6f1e8b7c2a9d4e5f60718293a4b5c6d7e8f90123';
const SHA2 = '0123456789abcdef0123456789abcdef01234567';
const T0 = '2026-11-26T10:00:00Z';
const T1 = '2026-11-26T10:05:00Z';
const T2 = '2026-11-26T10:10:00Z';

/** RFC 7386 applied as the apiserver applies a merge patch. */
function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = applyMergePatch(out[k], v);
  }
  return out;
}

const argoSource = { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' };
const argoDestination = { server: 'https://kubernetes.default.svc', namespace: 'guestbook' };
function argoApp(spec: Record<string, unknown> = {}): AppSpec {
  return parseApp({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'argocd', generation: 3 },
    spec: { project: 'default', source: argoSource, destination: argoDestination, ...spec },
  });
}

const gitRepo: KubeObject = {
  apiVersion: 'source.toolkit.fluxcd.io/v1',
  kind: 'GitRepository',
  metadata: { name: 'podinfo', namespace: 'flux-system', generation: 1 },
  spec: { interval: '1m', url: 'https://github.com/stefanprodan/podinfo', ref: { branch: 'master' } },
};
function fluxApp(spec: Record<string, unknown> = {}): AppSpec {
  return parseApp(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'podinfo', namespace: 'flux-system', generation: 2 },
      spec: { interval: '10m', path: './kustomize', prune: true, sourceRef: { kind: 'GitRepository', name: 'podinfo' }, targetNamespace: 'default', ...spec },
    },
    { gitRepositories: [gitRepo] },
  );
}

const deployment = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'guestbook', name: 'guestbook-ui' };
const service = { group: '', version: 'v1', kind: 'Service', namespace: 'guestbook', name: 'guestbook-ui' };

function synced(extra: Partial<AppStatus> = {}): AppStatus {
  return {
    phase: 'Synced',
    revision: `master@sha1:${SHA}`,
    health: { status: 'Healthy', message: '' },
    resources: [
      { ...service, status: 'Synced', health: { status: 'Healthy', message: '' } },
      { ...deployment, status: 'Synced', health: { status: 'Healthy', message: '' }, syncWave: 1 },
    ],
    history: [],
    conditions: [],
    reconciledAt: T1,
    ...extra,
  };
}

// The upstream Application CRD (argo-cd manifests/crds, rendered by kustomize in the corpus).
const upstreamArgoCrd = loadDocs(join(CORPUS, 'kustomize/argo-cd-manifests/EXPECTED/manifests__crds.yaml')).find((d) => d.metadata.name === 'applications.argoproj.io')!;
const upstreamArgoStatus = subSchema(versionSchema(upstreamArgoCrd, 'v1alpha1'), 'status');
const ours = (name: string) => gitopsCrds().find((c) => c.metadata.name === name)!;

describe('Argo CD Application status', () => {
  test('a synced, healthy app: the whole patch', () => {
    const patch = statusPatch(argoApp(), synced({ sourceTypes: ['directory'], summary: { images: ['gcr.io/heptio-images/ks-guestbook-demo:0.2'] } }));
    expect(patch).toEqual({
      status: {
        sync: { status: 'Synced', revision: SHA, comparedTo: { source: argoSource, destination: argoDestination } },
        health: { status: 'Healthy', lastTransitionTime: T1 },
        resources: [
          { version: 'v1', kind: 'Service', namespace: 'guestbook', name: 'guestbook-ui', status: 'Synced', health: { status: 'Healthy' } },
          { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'guestbook', name: 'guestbook-ui', status: 'Synced', health: { status: 'Healthy' }, syncWave: 1 },
        ],
        conditions: null,
        reconciledAt: T1,
        sourceType: 'Directory',
        summary: { images: ['gcr.io/heptio-images/ks-guestbook-demo:0.2'] },
      },
    });
    expect(checkSchema(upstreamArgoStatus, patch.status)).toEqual([]);
  });

  test('after a sync the app health loses the message it had while a resource was missing (merge patch sets it to null)', () => {
    const app = argoApp();
    const missing = synced({
      phase: 'OutOfSync',
      health: { status: 'Missing', message: 'ConfigMap/guestbook/settings: Resource does not exist' },
      resources: [{ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'guestbook', name: 'settings', status: 'OutOfSync', health: { status: 'Missing', message: 'Resource does not exist' } }],
      reconciledAt: T0,
    });
    const before = applyMergePatch({}, statusPatch(app, missing).status) as Record<string, unknown>;
    expect(before.health).toEqual({ status: 'Missing', message: 'ConfigMap/guestbook/settings: Resource does not exist', lastTransitionTime: T0 });
    const after = statusPatch(app, synced({ reconciledAt: T1 }), { previous: before });
    expect(after.status.health).toEqual({ status: 'Healthy', message: null, lastTransitionTime: T1 });
    const stored = applyMergePatch(before, after.status) as Record<string, unknown>;
    expect(stored.health).toEqual({ status: 'Healthy', lastTransitionTime: T1 });
    expect((stored.resources as unknown[]).length).toBe(2);
  });

  test('fields dropped inside written objects are removed; top-level ones not written this time are kept', () => {
    const app = argoApp();
    const previous = {
      sync: { status: 'OutOfSync', revision: SHA2, comparedTo: { source: { ...argoSource, helm: { valueFiles: ['old.yaml'] } }, destination: argoDestination } },
      health: { status: 'Healthy', lastTransitionTime: T0 },
      history: [{ id: 1, revision: SHA2, deployedAt: T0, deployStartedAt: T0, source: argoSource }],
      operationState: { phase: 'Succeeded', startedAt: T0, operation: { sync: { revision: SHA2 } } },
    };
    const patch = statusPatch(app, synced({ revision: undefined }), { previous });
    expect(patch.status.sync).toEqual({ status: 'Synced', revision: null, comparedTo: { source: { ...argoSource, helm: null }, destination: argoDestination } });
    expect(patch.status.history).toBeUndefined();
    expect(patch.status.operationState).toBeUndefined();
    const stored = applyMergePatch(previous, patch.status) as Record<string, unknown>;
    expect(stored.sync).toEqual({ status: 'Synced', comparedTo: { source: argoSource, destination: argoDestination } });
    expect(stored.history).toEqual(previous.history);
    expect(stored.operationState).toEqual(previous.operationState);
    // health.lastTransitionTime is kept while the status holds.
    expect(stored.health).toEqual({ status: 'Healthy', lastTransitionTime: T0 });
  });

  test('a new operation running after a finished one: finishedAt, message and results of the old one are removed', () => {
    const app = argoApp();
    const done = statusPatch(
      app,
      synced({
        reconciledAt: T0,
        operation: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: T0, finishedAt: T0, resources: [{ ...service, status: 'Synced', message: 'created' }] },
        sourceTypes: ['directory'],
        summary: { images: ['nginx:1.27'] },
      }),
    ).status;
    const stored = applyMergePatch({}, done);
    const running = statusPatch(app, synced({ revision: `master@sha1:${SHA2}`, operation: { phase: 'Running', message: '', startedAt: T1 } }), { previous: stored }).status;
    const after = applyMergePatch(stored, running) as Record<string, unknown>;
    expect(after.operationState).toEqual({
      operation: { sync: { revision: SHA2 }, initiatedBy: {}, retry: {} },
      phase: 'Running',
      startedAt: T1,
      syncResult: { revision: SHA2, source: argoSource },
    });
    // The latest reconcile had no source type or images: the old ones go too.
    expect(after.sourceType).toBeUndefined();
    expect(after.summary).toBeUndefined();
    expect(running.sourceType).toBeNull();
  });

  test('health.lastTransitionTime: kept while the status holds, the new time when it changes', () => {
    const app = argoApp();
    const first = statusPatch(app, synced({ reconciledAt: T0 })).status;
    expect(first.health).toEqual({ status: 'Healthy', lastTransitionTime: T0 });
    expect(statusPatch(app, synced({ reconciledAt: T1 }), { previous: first }).status.health).toEqual({ status: 'Healthy', lastTransitionTime: T0 });
    const degraded = statusPatch(app, synced({ reconciledAt: T2, health: { status: 'Degraded', message: 'Deployment/guestbook/guestbook-ui: Deployment exceeded its progress deadline' } }), { previous: first });
    expect(degraded.status.health).toEqual({ status: 'Degraded', message: 'Deployment/guestbook/guestbook-ui: Deployment exceeded its progress deadline', lastTransitionTime: T2 });
  });

  test('a finished sync: operationState and history in Argo CD shape', () => {
    const app = argoApp({ syncPolicy: { automated: {}, retry: { limit: 2 } } });
    const patch = statusPatch(
      app,
      synced({
        history: [{ id: 1, revision: `master@sha1:${SHA}`, deployedAt: T1, deployStartedAt: T0, source: argoSource, initiatedBy: { automated: true } }],
        operation: {
          phase: 'Succeeded',
          message: 'successfully synced (all tasks run)',
          startedAt: T0,
          finishedAt: T1,
          initiatedBy: { automated: true },
          syncOptions: ['CreateNamespace=true'],
          prune: true,
          resources: [
            { ...service, status: 'Synced', message: 'service/guestbook-ui created', syncPhase: 'Sync', hookPhase: 'Running' },
            { group: 'batch', version: 'v1', kind: 'Job', namespace: 'guestbook', name: 'migrate', status: 'Synced', message: 'job.batch/migrate created', hookType: 'PreSync', hookPhase: 'Succeeded', syncPhase: 'PreSync' },
          ],
        },
      }),
    ).status;
    expect(patch.history).toEqual([{ id: 1, revision: SHA, deployedAt: T1, deployStartedAt: T0, source: argoSource, initiatedBy: { automated: true } }]);
    expect(patch.operationState).toEqual({
      operation: {
        sync: { revision: SHA, prune: true, syncOptions: ['CreateNamespace=true'] },
        initiatedBy: { automated: true },
        retry: { limit: 2, backoff: { duration: '5s', factor: 2, maxDuration: '3m0s' } },
      },
      phase: 'Succeeded',
      message: 'successfully synced (all tasks run)',
      startedAt: T0,
      finishedAt: T1,
      syncResult: {
        revision: SHA,
        resources: [
          { group: '', version: 'v1', kind: 'Service', namespace: 'guestbook', name: 'guestbook-ui', status: 'Synced', message: 'service/guestbook-ui created', hookPhase: 'Running', syncPhase: 'Sync' },
          { group: 'batch', version: 'v1', kind: 'Job', namespace: 'guestbook', name: 'migrate', status: 'Synced', message: 'job.batch/migrate created', hookType: 'PreSync', hookPhase: 'Succeeded', syncPhase: 'PreSync' },
        ],
        source: argoSource,
      },
    });
    expect(checkSchema(upstreamArgoStatus, patch)).toEqual([]);
  });

  test('history is cut to revisionHistoryLimit, newest kept', () => {
    const h = (id: number) => ({ id, revision: SHA, deployedAt: T1, deployStartedAt: T0, source: argoSource });
    const patch = statusPatch(argoApp({ revisionHistoryLimit: 2 }), synced({ history: [h(1), h(2), h(3)] })).status;
    expect((patch.history as { id: number }[]).map((e) => e.id)).toEqual([2, 3]);
  });

  test('multi-source: revisions and sourceTypes, no single revision', () => {
    const sources = [
      { repoURL: 'https://g/values.git', targetRevision: 'main', ref: 'values' },
      { repoURL: 'https://g/chart.git', targetRevision: 'main', path: 'chart', helm: { valueFiles: ['$values/prod.yaml'] } },
    ];
    const app = argoApp({ source: undefined, sources });
    const patch = statusPatch(
      app,
      synced({
        revision: `main@sha1:${SHA}`,
        revisions: [`main@sha1:${SHA}`, `main@sha1:${SHA2}`],
        sourceTypes: ['directory', 'helm'],
        history: [{ id: 1, revision: SHA, revisions: [SHA, SHA2], deployedAt: T1, deployStartedAt: T0, source: undefined, sources }],
      }),
    ).status;
    expect(patch.sync).toEqual({ status: 'Synced', revisions: [SHA, SHA2], comparedTo: { sources, destination: argoDestination } });
    expect(patch.sourceTypes).toEqual(['Directory', 'Helm']);
    expect(patch.sourceType).toBeUndefined();
    expect(patch.history).toEqual([{ id: 1, revisions: [SHA, SHA2], deployedAt: T1, deployStartedAt: T0, sources }]);
    expect(checkSchema(upstreamArgoStatus, patch)).toEqual([]);
  });

  test('conditions: a failed Ready becomes an Argo CD condition type; the time is kept while type and message hold', () => {
    const app = argoApp();
    const failing = (message: string, at: string) =>
      synced({ phase: 'Unknown', conditions: [{ type: 'Ready', status: 'False', reason: 'BuildFailed', message, lastTransitionTime: at }], error: message, reconciledAt: at });
    const first = statusPatch(app, failing('kustomize build failed: missing resource', T0)).status;
    expect(first.conditions).toEqual([{ type: 'ComparisonError', message: 'kustomize build failed: missing resource', lastTransitionTime: T0 }]);
    expect(statusPatch(app, failing('kustomize build failed: missing resource', T1), { previous: first }).status.conditions).toEqual([
      { type: 'ComparisonError', message: 'kustomize build failed: missing resource', lastTransitionTime: T0 },
    ]);
    expect(statusPatch(app, failing('other', T1), { previous: first }).status.conditions).toEqual([{ type: 'ComparisonError', message: 'other', lastTransitionTime: T1 }]);
    const apply = synced({ conditions: [{ type: 'Ready', status: 'False', reason: 'ApplyFailed', message: 'denied', lastTransitionTime: T1 }] });
    expect(statusPatch(app, apply).status.conditions).toEqual([{ type: 'SyncError', message: 'denied', lastTransitionTime: T1 }]);
    expect(statusPatch(app, synced({ error: 'boom' })).status.conditions).toEqual([{ type: 'UnknownError', message: 'boom', lastTransitionTime: T1 }]);
    // Once fixed, the list is cleared.
    expect(statusPatch(app, synced(), { previous: first }).status.conditions).toBeNull();
  });
});

describe('Flux Kustomization status', () => {
  test('a successful reconcile: the whole patch', () => {
    const patch = statusPatch(fluxApp(), synced({ inventory: [service, deployment] }));
    expect(patch).toEqual({
      status: {
        observedGeneration: 2,
        conditions: [
          {
            type: 'Ready',
            status: 'True',
            observedGeneration: 2,
            lastTransitionTime: T1,
            reason: 'ReconciliationSucceeded',
            message: `Applied revision: master@sha1:${SHA}`,
          },
        ],
        lastAppliedRevision: `master@sha1:${SHA}`,
        lastAttemptedRevision: `master@sha1:${SHA}`,
        inventory: {
          entries: [
            { id: 'guestbook_guestbook-ui__Service', v: 'v1' },
            { id: 'guestbook_guestbook-ui_apps_Deployment', v: 'v1' },
          ],
        },
      },
    });
    expect(checkSchema(subSchema(versionSchema(ours('kustomizations.kustomize.toolkit.fluxcd.io'), 'v1'), 'status'), patch.status)).toEqual([]);
  });

  test('inventory ids: "<namespace>_<name>_<group>_<kind>"; cluster-scoped objects have no namespace; colons in names doubled', () => {
    expect(fluxInventoryId({ namespace: 'default', name: 'podinfo', group: '', kind: 'Service' })).toBe('default_podinfo__Service');
    expect(fluxInventoryId({ namespace: 'default', name: 'podinfo', group: 'autoscaling', kind: 'HorizontalPodAutoscaler' })).toBe('default_podinfo_autoscaling_HorizontalPodAutoscaler');
    expect(fluxInventoryId({ namespace: '', name: 'podinfo', group: '', kind: 'Namespace' })).toBe('_podinfo__Namespace');
    expect(fluxInventoryId({ namespace: '', name: 'system:metrics', group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' })).toBe('_system__metrics_rbac.authorization.k8s.io_ClusterRole');
  });

  test('a bare SHA is written with the ref in front; a tag ref, a commit ref', () => {
    expect(statusPatch(fluxApp(), synced({ revision: SHA })).status.lastAppliedRevision).toBe(`master@sha1:${SHA}`);
    const tagged = parseApp(
      { ...fluxAppObject(), spec: { ...specOf(fluxAppObject()), sourceRef: { kind: 'GitRepository', name: 'tagged' } } },
      { gitRepositories: [{ ...gitRepo, metadata: { name: 'tagged', namespace: 'flux-system' }, spec: { ...specOf(gitRepo), ref: { tag: 'v6.5.0' } } }] },
    );
    expect(statusPatch(tagged, synced({ revision: SHA })).status.lastAttemptedRevision).toBe(`v6.5.0@sha1:${SHA}`);
  });

  test('Ready/Reconciling while running; lastAppliedRevision only once applied', () => {
    const running = statusPatch(fluxApp(), synced({ phase: 'OutOfSync', revision: `master@sha1:${SHA2}`, operation: { phase: 'Running', message: '', startedAt: T1 } })).status;
    expect(running.conditions).toEqual([
      { type: 'Ready', status: 'Unknown', observedGeneration: 2, lastTransitionTime: T1, reason: 'Progressing', message: 'Reconciliation in progress' },
      { type: 'Reconciling', status: 'True', observedGeneration: 2, lastTransitionTime: T1, reason: 'Progressing', message: 'Reconciliation in progress' },
    ]);
    expect(running.lastAppliedRevision).toBeUndefined();
    expect(running.lastAttemptedRevision).toBe(`master@sha1:${SHA2}`);
  });

  test('a failure: Ready=False ReconciliationFailed with the error; the last applied revision stays', () => {
    const patch = statusPatch(
      fluxApp(),
      synced({ revision: `master@sha1:${SHA2}`, lastAppliedRevision: `master@sha1:${SHA}`, error: 'Deployment/default/podinfo dry-run failed: field is immutable' }),
    ).status;
    expect(patch.conditions).toEqual([
      { type: 'Ready', status: 'False', observedGeneration: 2, lastTransitionTime: T1, reason: 'ReconciliationFailed', message: 'Deployment/default/podinfo dry-run failed: field is immutable' },
    ]);
    expect(patch.lastAppliedRevision).toBe(`master@sha1:${SHA}`);
    expect(patch.lastAttemptedRevision).toBe(`master@sha1:${SHA2}`);
  });

  test('wait: a Healthy condition; a failed health check is Ready=False HealthCheckFailed', () => {
    const app = fluxApp({ wait: true });
    expect(statusPatch(app, synced()).status.conditions).toEqual([
      { type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: T1, reason: 'ReconciliationSucceeded', message: `Applied revision: master@sha1:${SHA}` },
      { type: 'Healthy', status: 'True', observedGeneration: 2, lastTransitionTime: T1, reason: 'Succeeded', message: 'Health check passed' },
    ]);
    const degraded = statusPatch(app, synced({ health: { status: 'Degraded', message: 'Deployment/default/podinfo: Progress deadline exceeded' } })).status;
    expect(degraded.conditions).toEqual([
      { type: 'Ready', status: 'False', observedGeneration: 2, lastTransitionTime: T1, reason: 'HealthCheckFailed', message: 'Deployment/default/podinfo: Progress deadline exceeded' },
      { type: 'Healthy', status: 'False', observedGeneration: 2, lastTransitionTime: T1, reason: 'HealthCheckFailed', message: 'Deployment/default/podinfo: Progress deadline exceeded' },
    ]);
    // Without wait or healthChecks health is not Flux's business.
    expect((statusPatch(fluxApp(), synced({ health: { status: 'Degraded', message: 'x' } })).status.conditions as { type: string; status: string }[]).map((c) => [c.type, c.status])).toEqual([['Ready', 'True']]);
  });

  test('lastTransitionTime is kept while a condition status holds, and moves when it changes', () => {
    const app = fluxApp();
    const first = statusPatch(app, synced({ reconciledAt: T0 })).status;
    const again = statusPatch(app, synced({ reconciledAt: T1, revision: `master@sha1:${SHA2}` }), { previous: first }).status;
    expect(again.conditions).toEqual([
      { type: 'Ready', status: 'True', observedGeneration: 2, lastTransitionTime: T0, reason: 'ReconciliationSucceeded', message: `Applied revision: master@sha1:${SHA2}` },
    ]);
    const failed = statusPatch(app, synced({ reconciledAt: T2, error: 'boom' }), { previous: again }).status;
    expect((failed.conditions as { lastTransitionTime: string }[])[0]!.lastTransitionTime).toBe(T2);
    // Conditions the reconciler reports pass through, with times kept the same way.
    const own = { type: 'Ready', status: 'False' as const, reason: 'ArtifactFailed', message: "source 'GitRepository/flux-system/podinfo' not found", lastTransitionTime: T2 };
    const art = statusPatch(app, synced({ conditions: [own] }), { previous: failed }).status;
    expect(art.conditions).toEqual([{ ...own, observedGeneration: 2, lastTransitionTime: T2 }]);
    const art2 = statusPatch(app, synced({ conditions: [{ ...own, lastTransitionTime: '2026-11-26T11:00:00Z' }] }), { previous: art }).status;
    expect((art2.conditions as { lastTransitionTime: string }[])[0]!.lastTransitionTime).toBe(T2);
  });
});

function fluxAppObject(): KubeObject {
  return {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: 'podinfo', namespace: 'flux-system', generation: 2 },
    spec: { interval: '10m', path: './kustomize', prune: true, sourceRef: { kind: 'GitRepository', name: 'podinfo' } },
  };
}

describe('Flux GitRepository status', () => {
  const repo = parseGitRepository(gitRepo);

  test('a fetched revision: artifact, Ready and ArtifactInStorage', () => {
    const patch = gitRepositoryStatusPatch(repo, { revision: SHA, fetchedAt: T1 });
    expect(patch.status).toEqual({
      observedGeneration: 1,
      artifact: { path: `gitrepository/flux-system/podinfo/${SHA}.tar.gz`, url: '', revision: `master@sha1:${SHA}`, digest: `sha1:${SHA}`, lastUpdateTime: T1 },
      conditions: [
        { type: 'Ready', status: 'True', observedGeneration: 1, lastTransitionTime: T1, reason: 'Succeeded', message: `stored artifact for revision 'master@sha1:${SHA}'` },
        { type: 'ArtifactInStorage', status: 'True', observedGeneration: 1, lastTransitionTime: T1, reason: 'Succeeded', message: `stored artifact for revision 'master@sha1:${SHA}'` },
      ],
    });
    expect(checkSchema(subSchema(versionSchema(ours('gitrepositories.source.toolkit.fluxcd.io'), 'v1'), 'status'), patch.status)).toEqual([]);
  });

  test('a new artifact replaces every field of the old one; observedIgnore follows the spec', () => {
    const withIgnore = parseGitRepository({ ...gitRepo, spec: { ...specOf(gitRepo), ignore: '/*\n!/deploy' } });
    const first = gitRepositoryStatusPatch(withIgnore, { revision: SHA2, fetchedAt: T0, artifact: { size: 1234 } }).status;
    expect(first.observedIgnore).toBe('/*\n!/deploy');
    const stored = applyMergePatch({}, { ...first, artifact: { ...(first.artifact as object), metadata: { 'org.opencontainers.image.revision': SHA2 } } });
    const next = gitRepositoryStatusPatch(repo, { revision: SHA, fetchedAt: T1 }, { previous: stored }).status;
    const after = applyMergePatch(stored, next) as Record<string, unknown>;
    expect(after.artifact).toEqual({ path: `gitrepository/flux-system/podinfo/${SHA}.tar.gz`, url: '', revision: `master@sha1:${SHA}`, digest: `sha1:${SHA}`, lastUpdateTime: T1 });
    expect(after.observedIgnore).toBeUndefined();
    // Ready held: its time is kept.
    expect((after.conditions as { type: string; lastTransitionTime: string }[]).map((c) => [c.type, c.lastTransitionTime])).toEqual([
      ['Ready', T0],
      ['ArtifactInStorage', T0],
    ]);
  });

  test('a failed fetch: Ready=False and FetchFailed, GitOperationFailed; the artifact is left alone', () => {
    const patch = gitRepositoryStatusPatch(repo, { error: 'authentication required', fetchedAt: T2 });
    expect(patch.status).toEqual({
      observedGeneration: 1,
      conditions: [
        { type: 'Ready', status: 'False', observedGeneration: 1, lastTransitionTime: T2, reason: 'GitOperationFailed', message: 'authentication required' },
        { type: 'FetchFailed', status: 'True', observedGeneration: 1, lastTransitionTime: T2, reason: 'GitOperationFailed', message: 'authentication required' },
      ],
    });
  });
});

describe('Slipway Application status', () => {
  const app = parseApp({ apiVersion: 'slipway.dev/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'shop', generation: 4 }, spec: { source: { repoURL: 'https://g/web.git' } } });
  test('the whole patch, valid for its CRD', () => {
    const patch = statusPatch(app, synced({ sourceTypes: ['kustomize'], history: [{ id: 1, revision: SHA, deployedAt: T1, deployStartedAt: T0, source: { repoURL: 'https://g/web.git' } }] }));
    expect(patch.status).toEqual({
      observedGeneration: 4,
      sync: { status: 'Synced', revision: `master@sha1:${SHA}` },
      health: { status: 'Healthy' },
      conditions: [
        { type: 'Ready', status: 'True', observedGeneration: 4, lastTransitionTime: T1, reason: 'ReconciliationSucceeded', message: `Applied revision: master@sha1:${SHA}` },
        { type: 'Healthy', status: 'True', observedGeneration: 4, lastTransitionTime: T1, reason: 'Succeeded', message: 'Health check passed' },
      ],
      resources: [
        { version: 'v1', kind: 'Service', namespace: 'guestbook', name: 'guestbook-ui', status: 'Synced', health: { status: 'Healthy' } },
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'guestbook', name: 'guestbook-ui', status: 'Synced', health: { status: 'Healthy' }, syncWave: 1 },
      ],
      history: [{ id: 1, revision: SHA, deployedAt: T1, deployStartedAt: T0, source: { repoURL: 'https://g/web.git' } }],
      lastAppliedRevision: `master@sha1:${SHA}`,
      sourceType: 'kustomize',
      error: null,
      reconciledAt: T1,
    });
    expect(checkSchema(subSchema(versionSchema(ours('applications.slipway.dev'), 'v1alpha1'), 'status'), patch.status)).toEqual([]);
  });

  test('the health message is cleared once healthy', () => {
    const before = statusPatch(app, synced({ health: { status: 'Progressing', message: 'Deployment/shop/web: Waiting for rollout' } })).status;
    expect(before.health).toEqual({ status: 'Progressing', message: 'Deployment/shop/web: Waiting for rollout' });
    const stored = applyMergePatch(before, statusPatch(app, synced(), { previous: before }).status) as Record<string, unknown>;
    expect(stored.health).toEqual({ status: 'Healthy' });
  });
});
