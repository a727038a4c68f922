// parseApp on hand-written Flux Kustomizations (v1 and v1beta2) with their GitRepositories, and
// on Slipway's own Application: every field, the defaults of Flux's Get* methods, and bad input.
import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { AppSpecError, formatGoDuration, parseApp, parseArgoDuration, parseGitRepository, parseGoDuration, SourceNotFoundError, type RelatedObjects } from '../../../src/gitops/models/index.js';

type Spec = Record<string, unknown>;

function gitRepo(spec: Spec = {}, version = 'v1', name = 'podinfo', namespace = 'flux-system'): KubeObject {
  return {
    apiVersion: `source.toolkit.fluxcd.io/${version}`,
    kind: 'GitRepository',
    metadata: { name, namespace },
    spec: { interval: '5m', url: 'https://github.com/stefanprodan/podinfo', ...spec },
  };
}

function kustomization(spec: Spec = {}, version = 'v1', metadata: Partial<KubeObject['metadata']> = {}): KubeObject {
  return {
    apiVersion: `kustomize.toolkit.fluxcd.io/${version}`,
    kind: 'Kustomization',
    metadata: { name: 'podinfo', namespace: 'flux-system', ...metadata },
    spec: { interval: '10m', path: './kustomize', prune: true, sourceRef: { kind: 'GitRepository', name: 'podinfo' }, ...spec },
  };
}

const related = (...repos: KubeObject[]): RelatedObjects => ({ gitRepositories: repos.length ? repos : [gitRepo()] });

const parse = (obj: KubeObject, rel: RelatedObjects = related()) => parseApp(obj, rel);

function fails(obj: KubeObject, rel: RelatedObjects = related()): AppSpecError {
  try {
    parseApp(obj, rel);
  } catch (e) {
    if (e instanceof AppSpecError) return e;
    throw e;
  }
  throw new Error('expected an AppSpecError');
}

describe('Flux Kustomization', () => {
  test("the kustomize-controller docs' example", () => {
    const app = parse(kustomization({ targetNamespace: 'default', timeout: '1m' }, 'v1', { generation: 2 }), related(gitRepo({ ref: { branch: 'master' } })));
    expect(app.format).toBe('flux');
    expect(app.generation).toBe(2);
    expect(app.source).toEqual({
      url: 'https://github.com/stefanprodan/podinfo',
      ref: { branch: 'master' },
      path: 'kustomize',
      kind: 'kustomize',
      render: true,
      generateKustomization: true,
      kustomize: { namespace: 'default' },
    });
    expect(app.destination).toEqual({ namespace: 'default' });
    expect(app.interval).toBe(600_000);
    expect(app.retryInterval).toBe(600_000);
    expect(app.timeout).toBe(60_000);
    expect(app.syncPolicy).toMatchObject({ automated: true, prune: true, selfHeal: true, serverSideApply: true, applyOutOfSyncOnly: true, prunePropagationPolicy: 'background', force: false });
    expect(app.deletionPolicy).toBe('Delete');
    expect(app.gitRepository).toEqual({
      ref: { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', namespace: 'flux-system', name: 'podinfo' },
      source: { url: 'https://github.com/stefanprodan/podinfo', ref: { branch: 'master' } },
      interval: 300_000,
      timeout: 60_000,
      suspend: false,
    });
    expect(app.warnings).toEqual([]);
  });

  test('defaults: retryInterval = interval, timeout = interval − 30s (at least 30s), prune off, path root, no namespace', () => {
    const app = parse(kustomization({ interval: '5m', prune: undefined, path: undefined }));
    expect(app.retryInterval).toBe(300_000);
    expect(app.timeout).toBe(270_000);
    expect(app.syncPolicy.prune).toBe(false);
    expect(app.deletionPolicy).toBe('Orphan'); // MirrorPrune without prune
    expect(app.source.path).toBe('.');
    expect(app.destination.namespace).toBe('');
    expect(parse(kustomization({ interval: '40s' })).timeout).toBe(30_000);
    expect(parse(kustomization({ interval: '1h', timeout: '10s' })).timeout).toBe(30_000);
    expect(parse(kustomization({ interval: '1m30s', retryInterval: '15s', timeout: '2m' }))).toMatchObject({ interval: 90_000, retryInterval: 15_000, timeout: 120_000 });
  });

  test('every other field', () => {
    const app = parse(
      kustomization({
        targetNamespace: 'apps',
        dependsOn: [{ name: 'infra' }, { name: 'crds', namespace: 'kube-system' }],
        healthChecks: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'podinfo' }, { kind: 'HelmRelease', name: 'redis', namespace: 'data' }],
        wait: true,
        suspend: true,
        force: true,
        namePrefix: 'p-',
        nameSuffix: '-s',
        patches: [{ patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: podinfo}\nspec: {replicas: 2}', target: { kind: 'Deployment', labelSelector: 'app=podinfo' } }],
        images: [{ name: 'ghcr.io/stefanprodan/podinfo', newTag: '6.5.0' }, { name: 'redis', newName: 'mirror/redis', digest: 'sha256:abc' }, { name: 'nginx', newName: 'mirror/nginx' }],
        components: ['../components/ha'],
        ignoreMissingComponents: true,
        postBuild: { substitute: { cluster_env: 'prod', replicas: '3' }, substituteFrom: [{ kind: 'ConfigMap', name: 'vars' }, { kind: 'Secret', name: 'creds', optional: true }] },
        commonMetadata: { labels: { team: 'web' }, annotations: { owner: 'web' } },
        deletionPolicy: 'WaitForTermination',
      }, 'v1', { annotations: { 'reconcile.fluxcd.io/requestedAt': '2026-11-26T10:00:00Z' } }),
    );
    expect(app.dependsOn).toEqual([{ namespace: 'flux-system', name: 'infra' }, { namespace: 'kube-system', name: 'crds' }]);
    expect(app.healthChecks).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'flux-system', name: 'podinfo' },
      { apiVersion: '', kind: 'HelmRelease', namespace: 'data', name: 'redis' },
    ]);
    expect(app).toMatchObject({ wait: true, suspend: true, deletionPolicy: 'WaitForTermination', refreshRequest: '2026-11-26T10:00:00Z' });
    expect(app.syncPolicy.force).toBe(true);
    expect(app.source.kustomize).toEqual({
      namePrefix: 'p-',
      nameSuffix: '-s',
      namespace: 'apps',
      images: ['ghcr.io/stefanprodan/podinfo=ghcr.io/stefanprodan/podinfo:6.5.0', 'redis=mirror/redis@sha256:abc', 'nginx=mirror/nginx'],
      patches: [{ patch: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: podinfo}\nspec: {replicas: 2}', target: { kind: 'Deployment', labelSelector: 'app=podinfo' } }],
      components: ['../components/ha'],
      ignoreMissingComponents: true,
    });
    expect(app.source.postBuild).toEqual({ substitute: { cluster_env: 'prod', replicas: '3' } });
    expect(app.substituteFrom).toEqual([
      { kind: 'ConfigMap', namespace: 'flux-system', name: 'vars', optional: false },
      { kind: 'Secret', namespace: 'flux-system', name: 'creds', optional: true },
    ]);
    expect(app.commonMetadata).toEqual({ labels: { team: 'web' }, annotations: { owner: 'web' } });
  });

  test('v1beta2: patchesStrategicMerge and patchesJson6902 become patches; v1 ignores them with a warning', () => {
    const legacy = {
      patchesStrategicMerge: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'podinfo' }, spec: { replicas: 2 } }],
      patchesJson6902: [{ target: { kind: 'Deployment', name: 'podinfo' }, patch: [{ op: 'replace', path: '/spec/replicas', value: 3 }] }],
      validation: 'client',
    };
    const beta = parse(kustomization(legacy, 'v1beta2'), related(gitRepo({}, 'v1beta2')));
    expect(beta.ref.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1beta2');
    expect(beta.source.kustomize?.patches).toEqual([
      { patch: '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"podinfo"},"spec":{"replicas":2}}' },
      { patch: '[{"op":"replace","path":"/spec/replicas","value":3}]', target: { kind: 'Deployment', name: 'podinfo' } },
    ]);
    expect(beta.gitRepository?.ref.apiVersion).toBe('source.toolkit.fluxcd.io/v1beta2');
    const v1 = parse(kustomization(legacy, 'v1'));
    expect(v1.source.kustomize?.patches).toBeUndefined();
    expect(v1.warnings).toEqual([
      'Kustomization/flux-system/podinfo: spec.patchesStrategicMerge: not a field of v1, ignored',
      'Kustomization/flux-system/podinfo: spec.patchesJson6902: not a field of v1, ignored',
    ]);
    expect(fails(kustomization({ patchesJson6902: [{ patch: [] }] }, 'v1beta2')).message).toBe('Kustomization/flux-system/podinfo: spec.patchesJson6902[0].target: is required');
    expect(fails(kustomization({}, 'v1beta1')).message).toContain('unsupported version');
  });

  test('the source: cross-namespace, missing (SourceNotFoundError, retried), not a GitRepository', () => {
    const shared = gitRepo({}, 'v1', 'shared', 'infra');
    expect(parse(kustomization({ sourceRef: { kind: 'GitRepository', name: 'shared', namespace: 'infra' } }), related(shared)).gitRepository?.ref.namespace).toBe('infra');
    const e = fails(kustomization({ sourceRef: { kind: 'GitRepository', name: 'shared' } }), related(shared));
    expect(e).toBeInstanceOf(SourceNotFoundError);
    expect(e.code).toBe('SLW611');
    expect(e.message).toBe("Kustomization/flux-system/podinfo: spec.sourceRef: source 'GitRepository/flux-system/shared' not found");
    expect(fails(kustomization({ sourceRef: { kind: 'OCIRepository', name: 'podinfo' } })).message).toBe(
      'Kustomization/flux-system/podinfo: spec.sourceRef.kind: only GitRepository sources are supported, got "OCIRepository"',
    );
    expect(fails(kustomization({ sourceRef: undefined })).field).toBe('spec.sourceRef');
  });

  test('bad durations and unsupported features name the field', () => {
    const e = fails(kustomization({ interval: '5x' }));
    expect(e.message).toBe('Kustomization/flux-system/podinfo: spec.interval: expected a Go duration such as "5m" or "1m30s", got "5x"');
    expect(fails(kustomization({ interval: undefined })).message).toBe('Kustomization/flux-system/podinfo: spec.interval: is required');
    expect(fails(kustomization({ interval: '0s' })).message).toBe('Kustomization/flux-system/podinfo: spec.interval: expected a positive duration, got "0s"');
    expect(fails(kustomization({ retryInterval: '1d' })).field).toBe('spec.retryInterval');
    expect(fails(kustomization({ timeout: '-1m' })).field).toBe('spec.timeout');
    expect(fails(kustomization({ kubeConfig: { secretRef: { name: 'remote' } } })).message).toBe(
      'Kustomization/flux-system/podinfo: spec.kubeConfig: remote clusters (kubeConfig) is not supported, got {"secretRef":{"name":"remote"}}',
    );
    expect(fails(kustomization({ decryption: { provider: 'sops' } })).field).toBe('spec.decryption');
    expect(fails(kustomization({ prune: 'true' })).field).toBe('spec.prune');
    expect(fails(kustomization({ deletionPolicy: 'Keep' })).field).toBe('spec.deletionPolicy');
    expect(fails(kustomization({ postBuild: { substituteFrom: [{ kind: 'Pod', name: 'x' }] } })).field).toBe('spec.postBuild.substituteFrom[0].kind');
  });
});

describe('Flux GitRepository', () => {
  test('ref: each kind as written, default branch master; secretRef, timeout, ignore, suspend', () => {
    for (const ref of [{ branch: 'main' }, { tag: 'v1.0.0' }, { semver: '>=1.0.0' }, { name: 'refs/heads/main' }, { commit: 'a'.repeat(40) }]) {
      expect(parseGitRepository(gitRepo({ ref })).source.ref).toEqual(ref);
    }
    expect(parseGitRepository(gitRepo()).source.ref).toEqual({ branch: 'master' });
    const r = parseGitRepository(gitRepo({ secretRef: { name: 'git-creds' }, timeout: '2m', ignore: '/*\n!/deploy', suspend: true }));
    expect(r).toMatchObject({ secretRef: { namespace: 'flux-system', name: 'git-creds' }, timeout: 120_000, ignore: '/*\n!/deploy', suspend: true, interval: 300_000 });
    // The Kustomization's source carries them.
    const app = parse(kustomization(), related(gitRepo({ secretRef: { name: 'git-creds' }, ignore: '*.md' })));
    expect(app.source).toMatchObject({ secretRef: { namespace: 'flux-system', name: 'git-creds' }, ignore: '*.md' });
  });

  test('bad input names the GitRepository and the field', () => {
    const bad = (spec: Spec) => {
      try {
        parseGitRepository(gitRepo(spec));
      } catch (e) {
        return (e as AppSpecError).message;
      }
      throw new Error('parsed');
    };
    expect(bad({ url: undefined })).toBe('GitRepository/flux-system/podinfo: spec.url: is required');
    expect(bad({ url: 'git@github.com:x/y' })).toBe('GitRepository/flux-system/podinfo: spec.url: expected an http://, https:// or ssh:// URL, got "git@github.com:x/y"');
    expect(bad({ interval: '5x' })).toBe('GitRepository/flux-system/podinfo: spec.interval: expected a Go duration such as "5m" or "1m30s", got "5x"');
    expect(bad({ provider: 'github' })).toContain('spec.provider: only the generic provider');
    expect(bad({ verify: { mode: 'HEAD', secretRef: { name: 'pgp' } } })).toContain('spec.verify: commit signature verification is not supported');
    expect(bad({ recurseSubmodules: true })).toContain('spec.recurseSubmodules');
    // The error of the source reaches the Kustomization's parse as the GitRepository's.
    expect(fails(kustomization(), related(gitRepo({ url: 'ftp://x' }))).message).toBe('GitRepository/flux-system/podinfo: spec.url: expected an http://, https:// or ssh:// URL, got "ftp://x"');
  });
});

describe('Slipway Application', () => {
  const slipwayApp = (spec: Spec, metadata: Partial<KubeObject['metadata']> = {}): KubeObject => ({
    apiVersion: 'slipway.dev/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'shop', ...metadata },
    spec,
  });

  test('defaults: HEAD, root path, the app namespace, 3m, everything off', () => {
    const app = parseApp(slipwayApp({ source: { repoURL: 'https://g/web.git' } }));
    expect(app.format).toBe('slipway');
    expect(app.source).toEqual({ url: 'https://g/web.git', revision: 'HEAD', path: '.', render: true, helm: { releaseName: 'web', namespace: 'shop' } });
    expect(app.destination).toEqual({ namespace: 'shop' });
    expect(app.interval).toBe(180_000);
    expect(app.syncPolicy).toMatchObject({ automated: false, prune: false, selfHeal: false, createNamespace: false, serverSideApply: true, applyOutOfSyncOnly: true });
    expect(app.deletionPolicy).toBe('Orphan');
  });

  test('every field', () => {
    const app = parseApp(
      slipwayApp(
        {
          source: { repoURL: 'https://g/web.git', revision: 'v2', path: 'deploy', kind: 'kustomize', secretRef: { name: 'creds' }, kustomize: { namePrefix: 'x-' } },
          destination: { namespace: 'web-prod' },
          syncPolicy: { automated: true, prune: true, selfHeal: true, createNamespace: true },
          interval: '1m',
          suspend: true,
        },
        { annotations: { 'slipway.dev/requestedAt': 'now' } },
      ),
    );
    expect(app.source).toEqual({ url: 'https://g/web.git', revision: 'v2', path: 'deploy', render: true, kind: 'kustomize', kustomize: { namePrefix: 'x-' }, secretRef: { namespace: 'shop', name: 'creds' } });
    expect(app.destination.namespace).toBe('web-prod');
    expect(app.syncPolicy).toMatchObject({ automated: true, prune: true, selfHeal: true, createNamespace: true });
    expect(app).toMatchObject({ interval: 60_000, suspend: true, deletionPolicy: 'Delete', refreshRequest: 'now' });
  });

  test('bad input', () => {
    const msg = (spec: Spec) => {
      try {
        parseApp(slipwayApp(spec));
      } catch (e) {
        return (e as AppSpecError).message;
      }
      throw new Error('parsed');
    };
    expect(msg({ source: {} })).toBe('Application/shop/web: spec.source.repoURL: is required');
    expect(msg({ source: { repoURL: 'https://g/a', kind: 'jsonnet' } })).toBe('Application/shop/web: spec.source.kind: expected directory, kustomize or helm, got "jsonnet"');
    expect(msg({ source: { repoURL: 'https://g/a', kind: 'helm', kustomize: { namePrefix: 'a' } } })).toBe('Application/shop/web: spec.source.kustomize: does not go with kind helm');
    expect(msg({ source: { repoURL: 'https://g/a' }, interval: '5x' })).toBe('Application/shop/web: spec.interval: expected a Go duration such as "5m" or "1m30s", got "5x"');
    expect(parseApp(slipwayApp({ source: { repoURL: 'https://g/a', extra: 1 }, extra: 2 })).warnings).toEqual([
      'Application/shop/web: spec.extra: unknown field, ignored',
      'Application/shop/web: spec.source.extra: unknown field, ignored',
    ]);
  });
});

describe('durations', () => {
  test.each([
    ['0', 0],
    ['5m', 300_000],
    ['1m30s', 90_000],
    ['1h1m1.5s', 3_661_500],
    ['1.5h', 5_400_000],
    ['.5s', 500],
    ['5.s', 5_000],
    ['250ms', 250],
    ['1500us', 1.5],
    ['+5s', 5_000],
    ['-5s', -5_000],
  ])('Go duration %s = %d ms', (text, ms) => {
    expect(parseGoDuration(text)).toBe(ms);
  });

  test.each(['', '5', '00', '5x', '1d', '1e3s', '.s', 's', '5m ', ' 5m', '5.5'])('%j is not a Go duration', (text) => {
    expect(parseGoDuration(text)).toBeUndefined();
  });

  test('Argo CD backoff durations: a bare integer is seconds', () => {
    expect(parseArgoDuration('10')).toBe(10_000);
    expect(parseArgoDuration('2m')).toBe(120_000);
    expect(parseArgoDuration('5x')).toBeUndefined();
  });

  test.each([
    [0, '0s'],
    [250, '250ms'],
    [1_500, '1.5s'],
    [5_000, '5s'],
    [61_500, '1m1.5s'],
    [180_000, '3m0s'],
    [3_600_000, '1h0m0s'],
    [5_400_000, '1h30m0s'],
    [-90_000, '-1m30s'],
  ])('formatGoDuration(%d) = %s, as Go prints it', (ms, text) => {
    expect(formatGoDuration(ms)).toBe(text);
    expect(parseGoDuration(text)).toBe(ms);
  });
});
