// parseApp on hand-written Argo CD Applications: every field Slipway reads, Argo CD's defaults,
// and bad input failing with an AppSpecError that names the object and the field.
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { AppSpecError, IN_CLUSTER_SERVER, parseApp, type RelatedObjects } from '../../../src/gitops/models/index.js';
import { HELM_OPTIONS, KUSTOMIZE_OPTIONS } from './models-helpers.js';

type Spec = Record<string, unknown>;

function argoApp(spec: Spec = {}, metadata: Partial<KubeObject['metadata']> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'guestbook', namespace: 'argocd', ...metadata },
    spec: {
      project: 'default',
      source: { repoURL: 'https://github.com/argoproj/argocd-example-apps.git', targetRevision: 'HEAD', path: 'guestbook' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'guestbook' },
      ...spec,
    },
    ...extra,
  };
}

const withSync = (syncPolicy: unknown) => argoApp({ syncPolicy });

function fails(obj: KubeObject, related?: RelatedObjects): AppSpecError {
  try {
    parseApp(obj, related);
  } catch (e) {
    if (e instanceof AppSpecError) return e;
    throw e;
  }
  throw new Error('expected an AppSpecError');
}

describe('source', () => {
  test('defaults: targetRevision HEAD, path ".", helm release = app name in the destination namespace', () => {
    const app = parseApp(argoApp({ source: { repoURL: 'https://git.example.com/a.git' } }));
    expect(app.source).toEqual({
      url: 'https://git.example.com/a.git',
      revision: 'HEAD',
      path: '.',
      render: true,
      helm: { releaseName: 'guestbook', namespace: 'guestbook' },
    });
    expect(app.sources).toEqual([app.source]);
  });

  test('path is normalized; a path out of the repository fails', () => {
    expect(parseApp(argoApp({ source: { repoURL: 'https://g/a', path: './apps/web/' } })).source.path).toBe('apps/web');
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', path: '../x' } })).message).toBe(
      'Application/argocd/guestbook: spec.source.path: must stay inside the repository, got "../x"',
    );
  });

  test('missing repoURL names spec.source.repoURL', () => {
    const e = fails(argoApp({ source: { path: 'guestbook' } }));
    expect(e.field).toBe('spec.source.repoURL');
    expect(e.message).toBe('Application/argocd/guestbook: spec.source.repoURL: is required');
    expect(e.code).toBe('SLW610');
    expect(fails(argoApp({ sources: [{ repoURL: 'https://g/a', path: 'a' }, { path: 'b' }] })).field).toBe('spec.sources[1].repoURL');
  });

  test('no source at all', () => {
    const obj = argoApp();
    delete (obj.spec as Spec).source;
    expect(fails(obj).message).toBe('Application/argocd/guestbook: spec.source: is required (or spec.sources)');
  });

  test('helm block: every field', () => {
    const app = parseApp(
      argoApp({
        source: {
          repoURL: 'https://g/a',
          path: 'chart',
          targetRevision: 'v1.2.0',
          helm: { ...HELM_OPTIONS, version: 'v3' },
        },
      }),
    );
    expect(app.source.kind).toBe('helm');
    expect(app.source.revision).toBe('v1.2.0');
    // Every option as written; the release namespace defaults to the destination's.
    expect(app.source.helm).toEqual({ ...HELM_OPTIONS, namespace: 'guestbook' });
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', helm: { version: 'v2' } } })).message).toBe(
      'Application/argocd/guestbook: spec.source.helm.version: only Helm v3 is supported, got "v2"',
    );
  });

  test('kustomize block: every field; replicas count as int or string', () => {
    const app = parseApp(
      argoApp({
        source: {
          repoURL: 'https://g/a',
          path: 'overlays/prod',
          kustomize: { ...KUSTOMIZE_OPTIONS, replicas: [{ name: 'web', count: 3 }, { name: 'api', count: '2' }] },
        },
      }),
    );
    expect(app.source.kind).toBe('kustomize');
    expect(app.source.helm).toBeUndefined();
    expect(app.source.kustomize).toEqual({ ...KUSTOMIZE_OPTIONS, replicas: [{ name: 'web', count: 3 }, { name: 'api', count: 2 }] });
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', kustomize: { replicas: [{ name: 'w', count: 'three' }] } } })).field).toBe('spec.source.kustomize.replicas[0].count');
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', kustomize: { patches: [{ target: { kind: 'X' } }] } } })).message).toBe(
      'Application/argocd/guestbook: spec.source.kustomize.patches[0]: needs a patch or a path',
    );
  });

  test('directory block; two render blocks fail; jsonnet, plugins, OCI and Helm repositories fail', () => {
    expect(parseApp(argoApp({ source: { repoURL: 'https://g/a', directory: { recurse: true, include: '*.yaml', exclude: 'test/*' } } })).source).toMatchObject({
      kind: 'directory',
      directory: { recurse: true, include: '*.yaml', exclude: 'test/*' },
    });
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', helm: { values: 'a: 1' }, directory: { recurse: true } } })).message).toBe(
      'Application/argocd/guestbook: spec.source: only one of helm, kustomize and directory may be set, found helm, directory',
    );
    // An empty block says nothing (Argo CD's IsZero).
    expect(parseApp(argoApp({ source: { repoURL: 'https://g/a', helm: {}, directory: { recurse: true } } })).source.kind).toBe('directory');
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', directory: { jsonnet: { tlas: [{ name: 'a', value: 'b' }] } } } })).field).toBe('spec.source.directory.jsonnet');
    expect(fails(argoApp({ source: { repoURL: 'https://g/a', plugin: { name: 'cmp' } } })).field).toBe('spec.source.plugin');
    expect(fails(argoApp({ source: { repoURL: 'oci://ghcr.io/x/y', path: '.' } })).message).toBe(
      'Application/argocd/guestbook: spec.source.repoURL: OCI sources are not supported, only git repositories, got "oci://ghcr.io/x/y"',
    );
  });

  test('multi-source: sources wins over source; ref-only sources lend value files and do not render', () => {
    const app = parseApp(
      argoApp({
        sources: [
          { repoURL: 'https://g/values.git', targetRevision: 'main', ref: 'values' },
          { repoURL: 'https://g/chart.git', path: 'chart', helm: { valueFiles: ['$values/prod.yaml'] }, name: 'chart' },
        ],
      }),
    );
    expect(app.sources).toHaveLength(2);
    expect(app.sources[0]).toEqual({ url: 'https://g/values.git', revision: 'main', path: '.', render: false, refName: 'values' });
    expect(app.sources[1]).toMatchObject({ url: 'https://g/chart.git', path: 'chart', render: true, name: 'chart', kind: 'helm' });
    expect(app.source).toBe(app.sources[1]);
    expect(app.declared.source).toBeUndefined();
    expect(app.declared.sources).toHaveLength(2);
    expect(fails(argoApp({ sources: [{ repoURL: 'https://g/v', ref: 'v' }] })).message).toBe(
      'Application/argocd/guestbook: spec.sources: no source has a path to render (sources with only a ref serve value files)',
    );
  });
});

describe('destination and project', () => {
  test('server https://kubernetes.default.svc (trailing slash too)', () => {
    expect(parseApp(argoApp({ destination: { server: 'https://kubernetes.default.svc/', namespace: 'web' } })).destination).toEqual({ server: IN_CLUSTER_SERVER, namespace: 'web' });
  });

  test('name "in-cluster" is the local cluster', () => {
    expect(parseApp(argoApp({ destination: { name: 'in-cluster', namespace: 'web' } })).destination).toEqual({ server: IN_CLUSTER_SERVER, name: 'in-cluster', namespace: 'web' });
  });

  test('no namespace: "" (objects must name theirs)', () => {
    expect(parseApp(argoApp({ destination: { server: IN_CLUSTER_SERVER } })).destination.namespace).toBe('');
  });

  test('a remote server fails naming spec.destination.server', () => {
    const e = fails(argoApp({ destination: { server: 'https://10.0.0.1:6443', namespace: 'web' } }));
    expect(e.field).toBe('spec.destination.server');
    expect(e.message).toBe(
      'Application/argocd/guestbook: spec.destination.server: only the in-cluster server is supported ("https://kubernetes.default.svc", or name "in-cluster"), got "https://10.0.0.1:6443"',
    );
  });

  test('a remote cluster name, no server or name, and no destination all fail', () => {
    expect(fails(argoApp({ destination: { name: 'prod-eu', namespace: 'web' } })).field).toBe('spec.destination.name');
    expect(fails(argoApp({ destination: { namespace: 'web' } })).message).toBe('Application/argocd/guestbook: spec.destination: needs a server or a name');
    const obj = argoApp();
    delete (obj.spec as Spec).destination;
    expect(fails(obj).message).toBe('Application/argocd/guestbook: spec.destination: is required');
  });

  test('project: "" and absent mean "default"', () => {
    expect(parseApp(argoApp({ project: '' })).project).toBe('default');
    const obj = argoApp();
    delete (obj.spec as Spec).project;
    expect(parseApp(obj).project).toBe('default');
  });

  test('AppProjects, when given, must exist and permit the repository and destination', () => {
    const project = (spec: Spec): KubeObject => ({ apiVersion: 'argoproj.io/v1alpha1', kind: 'AppProject', metadata: { name: 'shop', namespace: 'argocd' }, spec });
    const app = argoApp({ project: 'shop' });
    const ok = project({ sourceRepos: ['https://github.com/argoproj/*'], destinations: [{ server: '*', namespace: 'guest*' }] });
    expect(parseApp(app, { gitRepositories: [], appProjects: [ok] }).project).toBe('shop');
    expect(fails(app, { gitRepositories: [], appProjects: [] }).message).toBe('Application/argocd/guestbook: spec.project: no such AppProject, got "shop"');
    // The default project is made by Argo CD when missing.
    expect(parseApp(argoApp(), { gitRepositories: [], appProjects: [] }).project).toBe('default');
    const denyRepo = project({ sourceRepos: ['*', '!https://github.com/argoproj/argocd-example-apps.git'], destinations: [{ server: '*', namespace: '*' }] });
    expect(fails(app, { gitRepositories: [], appProjects: [denyRepo] }).field).toBe('spec.source.repoURL');
    const otherNs = project({ sourceRepos: ['*'], destinations: [{ name: 'in-cluster', namespace: 'prod' }] });
    expect(fails(app, { gitRepositories: [], appProjects: [otherNs] }).message).toBe(
      'Application/argocd/guestbook: spec.destination: destination is not permitted in project "shop", got {"server":"https://kubernetes.default.svc","namespace":"guestbook"}',
    );
  });
});

describe('syncPolicy', () => {
  test('no syncPolicy: manual, everything off', () => {
    const p = parseApp(argoApp()).syncPolicy;
    expect(p).toEqual({
      automated: false,
      prune: false,
      selfHeal: false,
      allowEmpty: false,
      createNamespace: false,
      pruneLast: false,
      serverSideApply: false,
      applyOutOfSyncOnly: false,
      validate: true,
      replace: false,
      force: false,
      prunePropagationPolicy: 'foreground',
      failOnSharedResource: false,
      respectIgnoreDifferences: false,
      skipDryRunOnMissingResource: false,
    });
  });

  test('automated: {} switches on automation only; prune, selfHeal, allowEmpty each as written', () => {
    expect(parseApp(withSync({ automated: {} })).syncPolicy).toMatchObject({ automated: true, prune: false, selfHeal: false, allowEmpty: false });
    expect(parseApp(withSync({ automated: { prune: true, selfHeal: true, allowEmpty: true } })).syncPolicy).toMatchObject({
      automated: true,
      prune: true,
      selfHeal: true,
      allowEmpty: true,
    });
    // Argo CD 3: enabled: false keeps the settings but stops automated syncs.
    expect(parseApp(withSync({ automated: { enabled: false, prune: true } })).syncPolicy).toMatchObject({ automated: false, prune: true });
    expect(fails(withSync({ automated: { prune: 'yes' } })).message).toBe('Application/argocd/guestbook: spec.syncPolicy.automated.prune: expected true or false, got "yes"');
  });

  test('syncOptions: each boolean option and PrunePropagationPolicy', () => {
    const p = parseApp(
      withSync({
        syncOptions: [
          'CreateNamespace=true',
          'PruneLast=true',
          'ServerSideApply=true',
          'ApplyOutOfSyncOnly=true',
          'Validate=false',
          'Replace=true',
          'Force=true',
          'FailOnSharedResource=true',
          'RespectIgnoreDifferences=true',
          'SkipDryRunOnMissingResource=true',
          'PrunePropagationPolicy=background',
        ],
      }),
    ).syncPolicy;
    expect(p).toMatchObject({
      createNamespace: true,
      pruneLast: true,
      serverSideApply: true,
      applyOutOfSyncOnly: true,
      validate: false,
      replace: true,
      force: true,
      failOnSharedResource: true,
      respectIgnoreDifferences: true,
      skipDryRunOnMissingResource: true,
      prunePropagationPolicy: 'background',
      automated: false,
    });
    expect(parseApp(withSync({ syncOptions: ['CreateNamespace=false', 'PrunePropagationPolicy=orphan'] })).syncPolicy).toMatchObject({
      createNamespace: false,
      prunePropagationPolicy: 'orphan',
    });
  });

  test('an unknown value of a known option fails naming the list entry', () => {
    const e = fails(withSync({ syncOptions: ['PruneLast=true', 'CreateNamespace=yes'] }));
    expect(e.field).toBe('spec.syncPolicy.syncOptions[1]');
    expect(e.message).toBe('Application/argocd/guestbook: spec.syncPolicy.syncOptions[1]: expected CreateNamespace=true or CreateNamespace=false, got "CreateNamespace=yes"');
    expect(fails(withSync({ syncOptions: ['ServerSideApply'] })).field).toBe('spec.syncPolicy.syncOptions[0]');
    expect(fails(withSync({ syncOptions: ['PrunePropagationPolicy=later'] })).message).toContain('expected PrunePropagationPolicy=foreground, background or orphan');
  });

  test('unknown options and per-object options are warnings, not errors', () => {
    const app = parseApp(withSync({ syncOptions: ['Prune=false', 'ClientSideApplyMigration=false'] }));
    expect(app.warnings).toEqual([
      'Application/argocd/guestbook: spec.syncPolicy.syncOptions[0]: Prune=false applies to single objects (annotation argocd.argoproj.io/sync-options), ignored here',
      'Application/argocd/guestbook: spec.syncPolicy.syncOptions[1]: unknown sync option "ClientSideApplyMigration=false", ignored',
    ]);
  });

  test('managedNamespaceMetadata', () => {
    expect(parseApp(withSync({ syncOptions: ['CreateNamespace=true'], managedNamespaceMetadata: { labels: { a: 'b' }, annotations: { c: 'd' } } })).syncPolicy.managedNamespaceMetadata).toEqual({
      labels: { a: 'b' },
      annotations: { c: 'd' },
    });
  });

  test('retry: Argo CD defaults (limit 0, backoff 5s × 2 up to 3m)', () => {
    expect(parseApp(withSync({ retry: {} })).syncPolicy.retry).toEqual({ limit: 0, backoff: { duration: 5_000, factor: 2, maxDuration: 180_000 }, refresh: false });
    expect(parseApp(withSync({ retry: { limit: 5, backoff: {} } })).syncPolicy.retry).toEqual({ limit: 5, backoff: { duration: 5_000, factor: 2, maxDuration: 180_000 }, refresh: false });
  });

  test('retry: durations as Go durations or bare seconds; factor; unlimited; refresh', () => {
    expect(parseApp(withSync({ retry: { limit: -1, refresh: true, backoff: { duration: '10', factor: 3, maxDuration: '1h30m' } } })).syncPolicy.retry).toEqual({
      limit: -1,
      backoff: { duration: 10_000, factor: 3, maxDuration: 5_400_000 },
      refresh: true,
    });
    expect(parseApp(withSync({ retry: { backoff: { duration: '500ms', maxDuration: '2m' } } })).syncPolicy.retry?.backoff).toEqual({ duration: 500, factor: 2, maxDuration: 120_000 });
  });

  test('retry: a bad duration "5x" names the field', () => {
    const e = fails(withSync({ retry: { limit: 2, backoff: { duration: '5x' } } }));
    expect(e.field).toBe('spec.syncPolicy.retry.backoff.duration');
    expect(e.message).toBe('Application/argocd/guestbook: spec.syncPolicy.retry.backoff.duration: expected seconds or a duration such as "5s" or "3m", got "5x"');
    expect(fails(withSync({ retry: { backoff: { maxDuration: '-1m' } } })).field).toBe('spec.syncPolicy.retry.backoff.maxDuration');
    expect(fails(withSync({ retry: { backoff: { factor: 0 } } })).message).toBe('Application/argocd/guestbook: spec.syncPolicy.retry.backoff.factor: must be at least 1, got 0');
    expect(fails(withSync({ retry: { limit: '3' } })).field).toBe('spec.syncPolicy.retry.limit');
  });
});

describe('the rest of the spec', () => {
  test('ignoreDifferences, every field; kind required', () => {
    const entries = [
      { group: 'apps', kind: 'Deployment', name: 'web', namespace: 'shop', jsonPointers: ['/spec/replicas'], jqPathExpressions: ['.spec.template.spec.containers[].image'], managedFieldsManagers: ['kube-controller-manager'] },
      { kind: 'ConfigMap' },
    ];
    const app = parseApp(argoApp({ ignoreDifferences: entries }));
    expect(app.ignoreDifferences).toEqual(entries);
    expect(app.declared.ignoreDifferences).toEqual(entries);
    expect(fails(argoApp({ ignoreDifferences: [{ group: 'apps' }] })).message).toBe('Application/argocd/guestbook: spec.ignoreDifferences[0].kind: is required');
  });

  test('revisionHistoryLimit: default 10, as written, negative fails', () => {
    expect(parseApp(argoApp()).revisionHistoryLimit).toBe(10);
    expect(parseApp(argoApp({ revisionHistoryLimit: 3 })).revisionHistoryLimit).toBe(3);
    expect(fails(argoApp({ revisionHistoryLimit: -1 })).field).toBe('spec.revisionHistoryLimit');
  });

  test('deletion follows the resources finalizer', () => {
    expect(parseApp(argoApp()).deletionPolicy).toBe('Orphan');
    expect(parseApp(argoApp({}, { finalizers: ['resources-finalizer.argocd.argoproj.io/background'] })).deletionPolicy).toBe('Delete');
  });

  test('sourceHydrator fails; the Argo CD formats share nothing else with Flux (no wait, interval or dependsOn)', () => {
    expect(fails(argoApp({ sourceHydrator: { drySource: { repoURL: 'https://g/a' } } })).field).toBe('spec.sourceHydrator');
    const app = parseApp(argoApp());
    expect(app).toMatchObject({ suspend: false, wait: false, dependsOn: [], healthChecks: [], substituteFrom: [] });
    expect(app.interval).toBeUndefined();
  });

  test('generation, the refresh annotation and a requested operation', () => {
    const app = parseApp(
      argoApp(
        {},
        { generation: 7, annotations: { 'argocd.argoproj.io/refresh': 'hard' } },
        {
          operation: {
            initiatedBy: { username: 'admin' },
            sync: { revision: 'abc123', prune: true, syncStrategy: { hook: { force: true } }, syncOptions: ['ServerSideApply=true'], resources: [{ group: 'apps', kind: 'Deployment', name: 'web' }] },
            retry: { limit: 2 },
          },
        },
      ),
    );
    expect(app.generation).toBe(7);
    expect(app.refreshRequest).toBe('hard');
    expect(app.requestedOperation).toEqual({
      sync: { revision: 'abc123', prune: true, dryRun: false, force: true, resources: [{ group: 'apps', kind: 'Deployment', name: 'web', namespace: '' }], syncOptions: ['ServerSideApply=true'] },
      initiatedBy: { username: 'admin', automated: false },
      retry: { limit: 2, backoff: { duration: 5_000, factor: 2, maxDuration: 180_000 }, refresh: false },
    });
  });

  test('the object: metadata.name required; a wrong version or kind is not an app', () => {
    expect(fails(argoApp({}, { name: '' })).message).toBe('Application/argocd: metadata.name: is required');
    expect(fails({ ...argoApp(), apiVersion: 'argoproj.io/v1beta1' }).message).toContain('Application/argocd/guestbook: unsupported version (Slipway reads');
    expect(fails({ ...argoApp(), spec: 'x' } as unknown as KubeObject).message).toBe('Application/argocd/guestbook: spec: expected an object, got "x"');
  });
});
