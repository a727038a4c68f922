// gitopsCrds() on the real apiserver: server-side applied (idempotent: the CRDs may exist),
// then real-world Argo CD Applications, Flux GitRepositories and Kustomizations (v1 and
// v1beta2) and Slipway Applications are accepted as written (nothing pruned), wrong-typed fields
// are rejected by the schema, and statusPatch() results written to the status subresource read
// back unchanged — including the nulls that clear a stale health message.
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApiError, nodeFileSystem, type KubeObject } from '../../src/core/index.js';
import { templateChart } from '../../src/engines/chart/index.js';
import { gitopsCrds, gitRepositoryStatusPatch, parseApp, parseGitRepository, statusPatch, type AppStatus } from '../../src/gitops/models/index.js';
import { getObject, mergePatch, patchStatus, refOf, serverSideApply, type ObjectRef } from '../../src/kube/index.js';
import { CORPUS, loadDocs, specOf } from '../unit/gitops/models-helpers.js';
import { waitForCrdsEstablished } from './gitops-helpers.js';
import { useNamespace } from './helpers.js';

const { client, ns } = useNamespace();
const MANAGER = 'slipway-test-crds';
const SHA = '6f1e8b7c2a9d4e5f60718293a4b5c6d7e8f90123';

beforeAll(async () => {
  const c = client();
  for (const crd of gitopsCrds()) {
    const applied = await serverSideApply(c, crd, { fieldManager: MANAGER, force: true });
    // Applying the same CRD again changes nothing.
    const again = await serverSideApply(c, crd, { fieldManager: MANAGER, force: true });
    expect(again.metadata.generation).toBe(applied.metadata.generation);
  }
  await waitForCrdsEstablished(c, gitopsCrds());
  c.discovery.invalidate();
});

/** Objects stored with finalizers (Argo's resources-finalizer): nothing here would remove them. */
const finalized: ObjectRef[] = [];

/** The object in the suite's namespace, applied; returns what the server stored. */
async function apply(obj: KubeObject): Promise<KubeObject> {
  const { status: _s, ...rest } = obj as KubeObject & { status?: unknown };
  const stored = await serverSideApply(client(), { ...rest, metadata: { ...obj.metadata, namespace: ns() } } as KubeObject, { fieldManager: MANAGER });
  if ((stored.metadata.finalizers as string[] | undefined)?.length) finalized.push(refOf(stored));
  return stored;
}

// Drop the finalizers first, or the suite's namespace would stay Terminating for ever.
afterAll(async () => {
  for (const r of finalized) await mergePatch(client(), r, { metadata: { finalizers: null } }).catch(() => undefined);
});

/** The patch as the server stores it: null means "remove". */
function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null).map(([k, x]) => [k, withoutNulls(x)]));
}

async function rejected(obj: KubeObject): Promise<ApiError> {
  try {
    await apply(obj);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error(`${obj.kind}/${obj.metadata.name} was accepted`);
}

async function chartApplications(file: string): Promise<KubeObject[]> {
  const chart = join(CORPUS, 'helm/argocd-apps');
  const r = await templateChart(chart, nodeFileSystem, { releaseName: 'apps', values: { valueFiles: [join(chart, 'ci', file)] } });
  return r.manifests.map((m) => parseAllDocuments(m.content)[0]!.toJS() as KubeObject);
}

const healthy = (reconciledAt: string, extra: Partial<AppStatus> = {}): AppStatus => ({
  phase: 'Synced',
  revision: `main@sha1:${SHA}`,
  health: { status: 'Healthy', message: '' },
  resources: [{ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'guestbook', name: 'guestbook-ui', status: 'Synced', health: { status: 'Healthy', message: '' } }],
  history: [],
  conditions: [],
  reconciledAt,
  ...extra,
});

describe('Argo CD Applications', () => {
  test('the argocd-apps chart Applications and the corpus examples are stored as written', async () => {
    const objs = [
      ...(await chartApplications('applications-values.yaml')),
      ...(await chartApplications('applications-multiple-sources-values.yaml')),
      ...loadDocs(join(CORPUS, 'kyverno/argo/application-prevent-default-project/.chainsaw-test/good-application.yaml')),
      ...loadDocs(join(CORPUS, 'kyverno/argo/application-field-validation/.chainsaw-test/bad-application.yaml')),
      ...loadDocs(join(CORPUS, 'kustomize/argo-cd-testdata/test/e2e/testdata/self-managed-app/resources.yaml')),
    ];
    expect(objs).toHaveLength(6);
    for (const o of objs) {
      const stored = await apply(o);
      expect(stored.spec, `${o.metadata.name}`).toEqual(o.spec);
      expect(stored.metadata.finalizers).toEqual(o.metadata.finalizers);
    }
  });

  test('a wrong-typed field is rejected by the schema', async () => {
    const [o] = await chartApplications('applications-values.yaml');
    const bad = { ...o!, metadata: { name: 'bad-prune' }, spec: { ...specOf(o!), syncPolicy: { automated: { prune: 'yes' } } } };
    const e = await rejected(bad);
    expect(e.message).toContain('spec.syncPolicy.automated.prune');
    expect(e.message).toContain('expected boolean, got');
    const noRepo = { ...o!, metadata: { name: 'bad-repo' }, spec: { ...specOf(o!), source: { path: 'guestbook' } } };
    expect((await rejected(noRepo)).message).toContain('spec.source.repoURL: Required value');
  });

  test('statusPatch: written to the status subresource and read back unchanged; a stale health message is cleared', async () => {
    const [o] = await chartApplications('applications-values.yaml');
    const obj = { ...o!, metadata: { ...o!.metadata, name: 'status-argo' } };
    const stored = await apply(obj);
    const app = parseApp(stored);
    const missing = statusPatch(
      app,
      healthy('2026-11-26T10:00:00Z', {
        phase: 'OutOfSync',
        health: { status: 'Missing', message: 'ConfigMap/guestbook/settings: Resource does not exist' },
        operation: { phase: 'Running', message: 'waiting for completion of hook batch/Job/migrate', startedAt: '2026-11-26T09:59:00Z', initiatedBy: { automated: true } },
        conditions: [{ type: 'Ready', status: 'False', reason: 'ApplyFailed', message: 'one or more objects failed to apply', lastTransitionTime: '2026-11-26T10:00:00Z' }],
      }),
    );
    const first = await patchStatus(client(), refOf(stored), missing as unknown as Record<string, unknown>);
    expect(first.status).toEqual(withoutNulls(missing.status));
    expect(first.spec).toEqual(stored.spec);

    const syncedPatch = statusPatch(
      app,
      healthy('2026-11-26T10:05:00Z', {
        history: [{ id: 1, revision: SHA, deployedAt: '2026-11-26T10:05:00Z', deployStartedAt: '2026-11-26T09:59:00Z', source: app.declared.source, initiatedBy: { automated: true } }],
        operation: { phase: 'Succeeded', message: 'successfully synced (all tasks run)', startedAt: '2026-11-26T09:59:00Z', finishedAt: '2026-11-26T10:05:00Z', initiatedBy: { automated: true } },
        sourceTypes: ['directory'],
      }),
      { previous: first.status },
    );
    expect(syncedPatch.status.health).toEqual({ status: 'Healthy', message: null, lastTransitionTime: '2026-11-26T10:05:00Z' });
    const second = await patchStatus(client(), refOf(stored), syncedPatch as unknown as Record<string, unknown>);
    const status = second.status as Record<string, unknown>;
    expect(status.health).toEqual({ status: 'Healthy', lastTransitionTime: '2026-11-26T10:05:00Z' });
    expect(status.conditions).toBeUndefined();
    expect(status).toEqual(withoutNulls(syncedPatch.status));
  });
});

describe('Flux GitRepositories and Kustomizations', () => {
  const kyvernoRepos = () => loadDocs(join(CORPUS, 'kyverno/flux/verify-flux-sources/.chainsaw-test/repo-good-git.yaml'));
  const exampleKs = () =>
    ['production/apps.yaml', 'production/infrastructure.yaml'].flatMap((f) => loadDocs(join(CORPUS, 'kustomize/flux2-kustomize-helm-example/clusters', f)));

  test('corpus GitRepositories and Kustomizations are stored as written (with the schema defaults)', async () => {
    for (const r of kyvernoRepos()) {
      const stored = await apply(r);
      expect(stored.spec).toEqual({ ...specOf(r), timeout: '60s' });
    }
    for (const k of exampleKs()) {
      const stored = await apply(k);
      expect(stored.spec).toEqual({ ...specOf(k), force: false });
    }
  });

  test('v1beta2: the legacy patch fields are kept and read back through v1beta2', async () => {
    const beta: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1beta2',
      kind: 'Kustomization',
      metadata: { name: 'legacy' },
      spec: {
        interval: '10m',
        path: './kustomize',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'good-gitrepo-01' },
        patchesStrategicMerge: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'podinfo' }, spec: { replicas: 2 } }],
        patchesJson6902: [{ target: { kind: 'Deployment', name: 'podinfo' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }] }],
        validation: 'client',
      },
    };
    const stored = await apply(beta);
    expect(stored.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
    expect(stored.spec).toEqual({ ...specOf(beta), force: false });
    const repo = await getObject(client(), { group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', namespace: ns(), name: 'good-gitrepo-01' });
    const app = parseApp(stored, { gitRepositories: [repo!] });
    expect(app.source.kustomize?.patches).toHaveLength(2);
  });

  test('wrong-typed fields are rejected by the schema', async () => {
    const [k] = exampleKs();
    const e = await rejected({ ...k!, metadata: { name: 'bad-prune' }, spec: { ...specOf(k!), prune: 'yes' } });
    expect(e.message).toContain('spec.prune');
    expect(e.message).toContain('expected boolean, got');
    expect((await rejected({ ...k!, metadata: { name: 'bad-interval' }, spec: { ...specOf(k!), interval: '5x' } })).message).toContain('spec.interval');
    const [r] = kyvernoRepos();
    expect((await rejected({ ...r!, metadata: { name: 'bad-url' }, spec: { ...specOf(r!), url: 'git@github.com:x/y' } })).message).toContain('spec.url');
  });

  test('statusPatch and gitRepositoryStatusPatch: read back unchanged; condition times kept across writes', async () => {
    const repoObj = await apply({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'podinfo' },
      spec: { interval: '1m', url: 'https://github.com/stefanprodan/podinfo', ref: { branch: 'main' } },
    });
    const repo = parseGitRepository(repoObj);
    const repoPatch = gitRepositoryStatusPatch(repo, { revision: SHA, fetchedAt: '2026-11-26T10:00:00Z' });
    const repoLive = await patchStatus(client(), refOf(repoObj), repoPatch as unknown as Record<string, unknown>);
    expect(repoLive.status).toEqual(repoPatch.status);

    const ksObj = await apply({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'podinfo' },
      spec: { interval: '10m', path: './kustomize', prune: true, wait: true, targetNamespace: 'default', sourceRef: { kind: 'GitRepository', name: 'podinfo' } },
    });
    const app = parseApp(ksObj, { gitRepositories: [repoObj] });
    const inventory = [
      { group: '', version: 'v1', kind: 'Service', namespace: 'default', name: 'podinfo' },
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'default', name: 'podinfo' },
      { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespace: '', name: 'podinfo:reader' },
    ];
    const p1 = statusPatch(app, healthy('2026-11-26T10:00:00Z', { inventory }));
    const live1 = await patchStatus(client(), refOf(ksObj), p1 as unknown as Record<string, unknown>);
    expect(live1.status).toEqual(p1.status);
    expect((live1.status as { inventory: unknown }).inventory).toEqual({
      entries: [
        { id: 'default_podinfo__Service', v: 'v1' },
        { id: 'default_podinfo_apps_Deployment', v: 'v1' },
        { id: '_podinfo__reader_rbac.authorization.k8s.io_ClusterRole', v: 'v1' },
      ],
    });
    const p2 = statusPatch(app, healthy('2026-11-26T10:05:00Z', { inventory }), { previous: live1.status });
    const live2 = await patchStatus(client(), refOf(ksObj), p2 as unknown as Record<string, unknown>);
    const conds = (live2.status as { conditions: { type: string; status: string; lastTransitionTime: string }[] }).conditions;
    expect(conds.map((c) => [c.type, c.status, c.lastTransitionTime])).toEqual([
      ['Ready', 'True', '2026-11-26T10:00:00Z'],
      ['Healthy', 'True', '2026-11-26T10:00:00Z'],
    ]);
    expect(live2.status).toEqual(withoutNulls(p2.status));
  });

  test('a condition with a reason the metav1.Condition pattern refuses is rejected', async () => {
    const ksObj = await getObject(client(), { group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', namespace: ns(), name: 'podinfo' });
    const bad = { status: { conditions: [{ type: 'Ready', status: 'True', reason: 'not a reason', message: '', lastTransitionTime: '2026-11-26T10:00:00Z' }] } };
    await expect(patchStatus(client(), refOf(ksObj!), bad)).rejects.toThrow(/reason/);
  });
});

describe('Slipway Applications', () => {
  const sapp = (name: string, spec: Record<string, unknown>): KubeObject => ({ apiVersion: 'slipway.dev/v1alpha1', kind: 'Application', metadata: { name }, spec });

  test('stored with the schema defaults; unknown fields pruned; wrong types rejected', async () => {
    const stored = await apply(sapp('web', { source: { repoURL: 'https://github.com/stefanprodan/podinfo', path: 'kustomize', kind: 'kustomize' }, syncPolicy: { automated: true } }));
    expect(stored.spec).toEqual({
      source: { repoURL: 'https://github.com/stefanprodan/podinfo', path: 'kustomize', kind: 'kustomize' },
      syncPolicy: { automated: true, prune: false, selfHeal: false, createNamespace: false },
      interval: '3m',
      suspend: false,
    });
    const app = parseApp(stored);
    expect(app.interval).toBe(180_000);
    expect((await rejected(sapp('bad-kind', { source: { repoURL: 'https://g/a', kind: 'jsonnet' } }))).message).toContain('spec.source.kind');
    expect((await rejected(sapp('bad-auto', { source: { repoURL: 'https://g/a' }, syncPolicy: { automated: 'yes' } }))).message).toContain('spec.syncPolicy.automated');
  });

  test('every render option parseApp reads is stored, none pruned', async () => {
    const helm = { releaseName: 'web', valueFiles: ['values.yaml'], fileParameters: [{ name: 'cfg', path: 'files/cfg' }], ignoreMissingValueFiles: true, skipCrds: true, skipSchemaValidation: true, skipTests: true, kubeVersion: '1.30.0', apiVersions: ['monitoring.coreos.com/v1'], version: 'v3' };
    const stored = await apply(sapp('helm-opts', { source: { repoURL: 'https://g/web.git', kind: 'helm', helm } }));
    expect((specOf(stored).source as { helm: unknown }).helm).toEqual(helm);
    expect(parseApp(stored).source.helm).toMatchObject({ skipCrds: true, skipTests: true, fileParameters: [{ name: 'cfg', path: 'files/cfg' }] });
    const kustomize = { components: ['../c'], ignoreMissingComponents: true, replicas: [{ name: 'web', count: 2 }, { name: 'api', count: '3' }], labelWithoutSelector: true };
    const k = await apply(sapp('kustomize-opts', { source: { repoURL: 'https://g/web.git', kind: 'kustomize', kustomize } }));
    expect((specOf(k).source as { kustomize: unknown }).kustomize).toEqual(kustomize);
  });

  test('statusPatch read back unchanged; the health message cleared once healthy', async () => {
    const stored = await apply(sapp('status-web', { source: { repoURL: 'https://github.com/stefanprodan/podinfo', path: 'kustomize' } }));
    const app = parseApp(stored);
    const p1 = statusPatch(app, healthy('2026-11-26T10:00:00Z', { health: { status: 'Progressing', message: 'Deployment/x/podinfo: Waiting for rollout' }, sourceTypes: ['kustomize'] }));
    const live1 = await patchStatus(client(), refOf(stored), p1 as unknown as Record<string, unknown>);
    expect(live1.status).toEqual(withoutNulls(p1.status));
    const p2 = statusPatch(app, healthy('2026-11-26T10:05:00Z', { sourceTypes: ['kustomize'] }), { previous: live1.status });
    const live2 = await patchStatus(client(), refOf(stored), p2 as unknown as Record<string, unknown>);
    expect(live2.status).toEqual(withoutNulls(p2.status));
    expect((live2.status as { health: unknown }).health).toEqual({ status: 'Healthy' });
  });
});
