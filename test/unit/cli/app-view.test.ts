import { describe, expect, test } from 'vitest';
import { UsageError, type KubeObject } from '../../../src/core/index.js';
import { AppSpecError, parseApp, type ResourceStatus } from '../../../src/gitops/index.js';
import {
  appRow,
  buildAppObjects,
  defaultAppNamespace,
  fluxRef,
  formatAppList,
  fluxInventoryResources,
  formatColumns,
  formatHistoryTable,
  formatResources,
  formatSummary,
  formatSyncResults,
  goTime,
  historyRevision,
  parseKind,
  previousEntry,
  syncStatusLine,
  type AppCreateFlags,
} from '../../../src/cli/commands/app-view.js';
import { fieldLine, gitCacheDir } from '../../../src/cli/commands/app.js';

const SHA = '94b54c2a9412a77c34708291cc3a45a39f3307c1';
const flags = (f: Partial<AppCreateFlags> = {}): AppCreateFlags => ({ repo: 'https://git.example/repo.git', path: 'apps/web', syncOption: [], ...f });

describe('app create: flags to objects', () => {
  test('argocd: an Application as argocd app create writes it', () => {
    const [app, ...rest] = buildAppObjects('argocd', 'web', 'argocd', flags({ revision: 'v1.2', destNamespace: 'shop', syncPolicy: 'automated', autoPrune: true, selfHeal: true, syncOption: ['CreateNamespace=true'] }));
    expect(rest).toEqual([]);
    expect(app).toEqual({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web', namespace: 'argocd' },
      spec: {
        project: 'default',
        source: { repoURL: 'https://git.example/repo.git', path: 'apps/web', targetRevision: 'v1.2' },
        destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' },
        syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
      },
    });
    const spec = parseApp(app!);
    expect(spec.syncPolicy).toMatchObject({ automated: true, prune: true, selfHeal: true, createNamespace: true });
    expect(spec.source.revision).toBe('v1.2');
  });

  test('argocd without a sync policy is manual and targets HEAD', () => {
    const [app] = buildAppObjects('argocd', 'web', 'argocd', flags());
    expect((app!.spec as Record<string, unknown>).syncPolicy).toBeUndefined();
    expect(parseApp(app!).syncPolicy.automated).toBe(false);
    expect(parseApp(app!).source.revision).toBe('HEAD');
  });

  test('flux: a GitRepository and a Kustomization of the same name, read back together', () => {
    const objects = buildAppObjects('flux', 'web', 'flux-system', flags({ destNamespace: 'shop', autoPrune: true }));
    expect(objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual(['source.toolkit.fluxcd.io/v1 GitRepository', 'kustomize.toolkit.fluxcd.io/v1 Kustomization']);
    expect(objects[0]!.spec).toEqual({ url: 'https://git.example/repo.git', interval: '1m0s', ref: { branch: 'main' } });
    expect(objects[1]!.spec).toMatchObject({ path: './apps/web', prune: true, targetNamespace: 'shop', sourceRef: { kind: 'GitRepository', name: 'web' } });
    const spec = parseApp(objects[1]!, { gitRepositories: [objects[0]!] });
    expect(spec.format).toBe('flux');
    expect(spec.syncPolicy.prune).toBe(true);
    expect(spec.suspend).toBe(false);
  });

  test('flux: --sync-policy none suspends; sync options are refused', () => {
    const objects = buildAppObjects('flux', 'web', 'flux-system', flags({ syncPolicy: 'none' }));
    expect((objects[1]!.spec as Record<string, unknown>).suspend).toBe(true);
    expect(() => buildAppObjects('flux', 'web', 'flux-system', flags({ syncOption: ['CreateNamespace=true'] }))).toThrow(UsageError);
  });

  test('flux refs from --revision', () => {
    expect(fluxRef(undefined)).toEqual({ branch: 'main' });
    expect(fluxRef('release')).toEqual({ branch: 'release' });
    expect(fluxRef(SHA)).toEqual({ commit: SHA });
    expect(fluxRef('refs/tags/v1')).toEqual({ name: 'refs/tags/v1' });
  });

  test('slipway: an Application with CreateNamespace from --sync-option', () => {
    const [app] = buildAppObjects('slipway', 'web', 'team', flags({ destNamespace: 'shop', syncPolicy: 'automated', syncOption: ['CreateNamespace=true'] }));
    expect(app!.apiVersion).toBe('slipway.dev/v1alpha1');
    expect(app!.spec).toEqual({
      source: { repoURL: 'https://git.example/repo.git', path: 'apps/web' },
      destination: { namespace: 'shop' },
      syncPolicy: { automated: true, prune: false, selfHeal: false, createNamespace: true },
    });
  });

  test('bad flags are usage errors', () => {
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ repo: undefined }))).toThrow(/--repo is required/);
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ path: undefined }))).toThrow(/--path is required/);
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ syncPolicy: 'sometimes' }))).toThrow(/invalid --sync-policy/);
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ autoPrune: true }))).toThrow(/need --sync-policy automated/);
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ syncOption: ['Bogus=1'] }))).toThrow(/invalid --sync-option "Bogus=1"/);
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ destServer: 'https://10.0.0.1' }))).toThrow(/in-cluster/);
  });

  test('what parseApp refuses is refused before anything is written', () => {
    expect(() => buildAppObjects('argocd', 'web', 'argocd', flags({ path: '../outside' }))).toThrow(AppSpecError);
  });

  test('--kind and default namespaces', () => {
    expect(parseKind('argo')).toBe('argocd');
    expect(parseKind('Flux')).toBe('flux');
    expect(parseKind(undefined)).toBeUndefined();
    expect(() => parseKind('helm')).toThrow(/unknown --kind "helm"/);
    expect(defaultAppNamespace('argocd', 'ctx')).toBe('argocd');
    expect(defaultAppNamespace('flux', 'ctx')).toBe('flux-system');
    expect(defaultAppNamespace('slipway', 'ctx')).toBe('ctx');
  });
});

function argoApp(status?: Record<string, unknown>): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: { project: 'default', source: { repoURL: 'https://git.example/r', path: 'p', targetRevision: 'HEAD' }, destination: { server: 'https://kubernetes.default.svc', namespace: 'shop' } },
    ...(status ? { status } : {}),
  };
}

describe('app list rows and tables', () => {
  test('argocd status: sync, health, short revision', () => {
    expect(appRow(argoApp({ sync: { status: 'Synced', revision: SHA }, health: { status: 'Healthy' } }))).toEqual({
      namespace: 'argocd',
      name: 'web',
      format: 'argocd',
      sync: 'Synced',
      health: 'Healthy',
      revision: '94b54c2',
    });
  });

  test('no status yet: Unknown', () => {
    expect(appRow(argoApp())).toMatchObject({ sync: 'Unknown', health: 'Unknown', revision: '' });
  });

  test('flux: Ready and Healthy conditions, lastAppliedRevision', () => {
    const ks: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { suspend: true },
      status: {
        lastAppliedRevision: `main@sha1:${SHA}`,
        conditions: [
          { type: 'Ready', status: 'True', reason: 'ReconciliationSucceeded' },
          { type: 'Healthy', status: 'False', reason: 'HealthCheckFailed' },
        ],
      },
    };
    expect(appRow(ks)).toMatchObject({ format: 'flux', sync: 'Synced (suspended)', health: 'Degraded', revision: '94b54c2' });
  });

  test('flux inventory entries as resource rows', () => {
    const ks: KubeObject = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      status: { inventory: { entries: [{ id: 'shop_web_apps_Deployment', v: 'v1' }, { id: '_shop__Namespace', v: 'v1' }, { id: 'bad', v: 'v1' }] } },
    };
    expect(fluxInventoryResources(ks)).toEqual([
      { namespace: 'shop', name: 'web', group: 'apps', kind: 'Deployment', version: 'v1', status: '' },
      { namespace: '', name: 'shop', group: '', kind: 'Namespace', version: 'v1', status: '' },
    ]);
  });

  test('the table has argocd-style columns; -A adds NAMESPACE', () => {
    const rows = [appRow(argoApp({ sync: { status: 'OutOfSync' }, health: { status: 'Missing' } }))];
    expect(formatAppList(rows, false)).toBe('NAME  KIND    SYNC STATUS  HEALTH   REVISION\nweb   argocd  OutOfSync    Missing\n');
    expect(formatAppList(rows, true).split('\n')[0]).toBe('NAMESPACE  NAME  KIND    SYNC STATUS  HEALTH   REVISION');
  });

  test('columns: padded by two, the last not, no trailing blanks', () => {
    expect(formatColumns([['A', 'BB', 'C'], ['long', '', '']])).toBe('A     BB  C\nlong\n');
  });
});

describe('app get, sync, history output', () => {
  test('summary: argocd labels, "Synced to HEAD (sha)" and operation', () => {
    const text = formatSummary(argoApp({ sync: { status: 'Synced', revision: SHA }, health: { status: 'Healthy' } }), {
      operation: { phase: 'Succeeded', message: 'successfully synced (2 synced)', startedAt: '2026-01-01T00:00:00Z', finishedAt: '2026-01-01T00:00:01Z', revision: SHA },
    });
    expect(text).toContain('Name:               argocd/web\n');
    expect(text).toContain('Sync Policy:        Manual\n');
    expect(text).toContain('Sync Status:        Synced to HEAD (94b54c2)\n');
    expect(text).toContain('Health Status:      Healthy\n');
    expect(text).toContain('Phase:              Succeeded\n');
    expect(text).toContain(`Sync Revision:      ${SHA}\n`);
  });

  test('sync status line', () => {
    expect(syncStatusLine('OutOfSync', 'HEAD', 'abc1234')).toBe('OutOfSync from HEAD (abc1234)');
    expect(syncStatusLine('Synced', '', 'abc1234')).toBe('Synced to abc1234');
    expect(syncStatusLine('Unknown', 'HEAD', '')).toBe('Unknown');
  });

  test('resources and sync results tables', () => {
    const resources: ResourceStatus[] = [
      { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg', status: 'Synced', health: { status: 'Healthy', message: '' } },
      { group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'shop', name: 'old', status: 'OutOfSync', requiresPruning: true },
    ];
    expect(formatResources(resources)).toBe(
      'GROUP  KIND        NAMESPACE  NAME  STATUS     HEALTH   MESSAGE\n' +
        '       ConfigMap   shop       cfg   Synced     Healthy\n' +
        'apps   Deployment  shop       old   OutOfSync           requires pruning\n',
    );
    const results = [{ group: '', version: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'cfg', status: 'Synced' as const, message: 'configmap/cfg created' }];
    expect(formatSyncResults(results, resources)).toBe(
      'GROUP  KIND       NAMESPACE  NAME  STATUS  HEALTH   HOOK  MESSAGE\n       ConfigMap  shop       cfg   Synced  Healthy        configmap/cfg created\n',
    );
  });

  test('history: ID, DATE in Go time format, REVISION', () => {
    const history = [
      { id: 0, revision: `HEAD@sha1:${SHA}`, deployedAt: '2026-11-26T19:42:14.191Z', deployStartedAt: '', source: {} },
      { id: 1, revision: SHA, deployedAt: '2026-11-26T19:43:00Z', deployStartedAt: '', source: {} },
    ];
    expect(formatHistoryTable(history)).toBe(
      'ID  DATE                           REVISION\n0   2026-11-26 19:42:14 +0000 UTC  HEAD (94b54c2)\n1   2026-11-26 19:43:00 +0000 UTC  94b54c2\n',
    );
    expect(historyRevision('main@sha1:' + SHA)).toBe('main (94b54c2)');
    expect(goTime('not a date')).toBe('not a date');
  });

  test('rollback without an ID goes to the entry before the newest', () => {
    const e = (id: number) => ({ id, revision: SHA, deployedAt: '', deployStartedAt: '', source: {} });
    expect(previousEntry([e(2), e(0), e(1)])?.id).toBe(1);
    expect(previousEntry([e(0)])).toBeUndefined();
  });
});

describe('app create -f: the line of a field', () => {
  const text = ['apiVersion: v1', 'kind: X', '---', 'apiVersion: argoproj.io/v1alpha1', 'kind: Application', 'spec:', '  sources:', '    - repoURL: a', '      path: ../x', '  destination:', '    server: https://10.0.0.1', ''].join('\n');
  test('a nested field in the second document', () => {
    expect(fieldLine(text, 4, 'spec.destination.server')).toBe(11);
    expect(fieldLine(text, 4, 'spec.sources[0].path')).toBe(9);
  });
  test('a missing field: its nearest parent; no field: the document line', () => {
    expect(fieldLine(text, 4, 'spec.destination.namespace')).toBe(11);
    expect(fieldLine(text, 4, '')).toBe(4);
  });
});

test('git cache directory', () => {
  expect(gitCacheDir({ SLIPWAY_CACHE: '/c' })).toBe('/c/git');
  expect(gitCacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/slipway/git');
});
