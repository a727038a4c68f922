import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { fingerprintOf, matchesPush, repoIdentity, revisionMatches, sameRepository, writtenBy } from '../../../src/gitops/controller/index.js';
import { parseApp } from '../../../src/gitops/models/index.js';

describe('repository URLs', () => {
  test.each([
    ['https://github.com/org/repo.git', 'github.com/org/repo'],
    ['https://GitHub.com/Org/Repo/', 'github.com/org/repo'],
    ['git@github.com:org/repo.git', 'github.com/org/repo'],
    ['ssh://git@github.com:22/org/repo', 'github.com/org/repo'],
    ['http://user@gitea.local:3000/org/repo', 'gitea.local/org/repo'],
    ['/tmp/repos/app', '/tmp/repos/app'],
    ['file:///tmp/repos/app', '/tmp/repos/app'],
  ])('%s is %s', (url, want) => {
    expect(repoIdentity(url)).toBe(want);
  });

  test('an app URL matches any of the URLs a payload gives for the repository', () => {
    const pushed = ['https://github.com/org/repo.git', 'git@github.com:org/repo.git', 'https://github.com/org/repo'];
    expect(sameRepository('ssh://git@github.com/org/repo', pushed)).toBe(true);
    expect(sameRepository('https://github.com/org/repo', pushed)).toBe(true);
    expect(sameRepository('https://github.com/org/repo-2', pushed)).toBe(false);
    expect(sameRepository('https://gitlab.com/org/repo', pushed)).toBe(false);
  });
});

describe('which revisions a push moves', () => {
  const main = { ref: 'refs/heads/main', defaultBranch: 'main' };
  const dev = { ref: 'refs/heads/dev', defaultBranch: 'main' };
  const tag = { ref: 'refs/tags/v1.2.0', defaultBranch: 'main' };
  test.each([
    ['Argo HEAD, push to the default branch', { revision: 'HEAD' }, main, true],
    ['Argo HEAD, push to another branch', { revision: 'HEAD' }, dev, false],
    ['Argo HEAD, default branch unknown', { revision: 'HEAD' }, { ref: 'refs/heads/dev' }, true],
    ['Argo no targetRevision', {}, main, true],
    ['Argo branch main', { revision: 'main' }, main, true],
    ['Argo branch main, push to dev', { revision: 'main' }, dev, false],
    ['Argo refs/heads/dev', { revision: 'refs/heads/dev' }, dev, true],
    ['Argo pinned SHA', { revision: '0123456789abcdef0123456789abcdef01234567' }, main, false],
    ['Argo tag v1.2.0', { revision: 'v1.2.0' }, tag, true],
    ['Argo semver constraint, tag push', { revision: '>=1.0.0' }, tag, true],
    ['Argo semver constraint, branch push', { revision: '1.*' }, main, false],
    ['Flux branch main', { ref: { branch: 'main' } }, main, true],
    ['Flux branch main, push to dev', { ref: { branch: 'main' } }, dev, false],
    ['Flux tag', { ref: { tag: 'v1.2.0' } }, tag, true],
    ['Flux other tag', { ref: { tag: 'v1.1.0' } }, tag, false],
    ['Flux semver', { ref: { semver: '>=1.0.0' } }, tag, true],
    ['Flux commit', { ref: { branch: 'main', commit: 'abc1234' } }, main, false],
    ['Flux name', { ref: { name: 'refs/heads/dev' } }, dev, true],
  ] as const)('%s: %s', (_what, source, push, want) => {
    expect(revisionMatches(source, push)).toBe(want);
  });
});

describe('matchesPush on parsed apps', () => {
  const argo = parseApp({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'web', namespace: 'argocd' },
    spec: {
      source: { repoURL: 'https://github.com/org/deploy.git', targetRevision: 'main', path: 'web' },
      destination: { server: 'https://kubernetes.default.svc', namespace: 'web' },
    },
  });
  const repo: KubeObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: 'deploy', namespace: 'flux-system' },
    spec: { url: 'ssh://git@github.com/org/deploy', interval: '1m', ref: { branch: 'prod' } },
  };
  const flux = parseApp(
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'web', namespace: 'flux-system' },
      spec: { interval: '5m', path: './web', prune: true, sourceRef: { kind: 'GitRepository', name: 'deploy' } },
    },
    { gitRepositories: [repo] },
  );
  const push = (ref: string) => ({ urls: ['https://github.com/org/deploy.git', 'git@github.com:org/deploy.git'], ref, defaultBranch: 'main' });
  test('a push to main moves the Argo CD app, not the Kustomization on prod', () => {
    expect(matchesPush(argo, push('refs/heads/main'))).toBe(true);
    expect(matchesPush(flux, push('refs/heads/main'))).toBe(false);
  });
  test('a push to prod moves the Kustomization only', () => {
    expect(matchesPush(argo, push('refs/heads/prod'))).toBe(false);
    expect(matchesPush(flux, push('refs/heads/prod'))).toBe(true);
  });
  test('another repository moves neither', () => {
    const other = { urls: ['https://github.com/org/other.git'], ref: 'refs/heads/main' };
    expect(matchesPush(argo, other)).toBe(false);
    expect(matchesPush(flux, other)).toBe(false);
  });
});

describe('watch events', () => {
  const obj = (managedFields: unknown[]): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'n', managedFields } });
  test.each([
    ['our apply is the newest write', [{ manager: 'kubectl-edit', time: '2026-01-01T00:00:00Z' }, { manager: 'slipway', time: '2026-01-01T00:00:05Z' }], true],
    ['a hand edit after our apply', [{ manager: 'slipway', time: '2026-01-01T00:00:05Z' }, { manager: 'kubectl-edit', time: '2026-01-01T00:00:06Z' }], false],
    ['a status write after our apply does not count', [{ manager: 'slipway', time: '2026-01-01T00:00:05Z' }, { manager: 'kube-controller-manager', time: '2026-01-01T00:00:09Z', subresource: 'status' }], true],
    ['kubectl scale after our apply', [{ manager: 'slipway', time: '2026-01-01T00:00:05Z' }, { manager: 'kubectl', time: '2026-01-01T00:00:07Z', subresource: 'scale' }], false],
    ['kubectl scale leaves an entry without a time', [{ manager: 'slipway', time: '2026-01-01T00:00:05Z' }, { manager: 'kubectl', operation: 'Update', subresource: 'scale' }], false],
    ['a tie with another manager is not ours', [{ manager: 'slipway', time: '2026-01-01T00:00:05Z' }, { manager: 'kubectl-edit', time: '2026-01-01T00:00:05Z' }], false],
    ['no managedFields', [], false],
  ])('%s', (_what, fields, want) => {
    expect(writtenBy(obj(fields), 'slipway')).toBe(want);
  });

  test("an app object's fingerprint ignores status, resourceVersion and Argo's refresh annotation", () => {
    const app: KubeObject = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'web', namespace: 'argocd', resourceVersion: '1', generation: 1 },
      spec: { source: { repoURL: 'x' } },
    };
    const base = fingerprintOf(app);
    expect(fingerprintOf({ ...app, status: { sync: { status: 'Synced' } }, metadata: { ...app.metadata, resourceVersion: '2', generation: 2 } })).toBe(base);
    expect(fingerprintOf({ ...app, metadata: { ...app.metadata, annotations: { 'argocd.argoproj.io/refresh': 'hard' } } })).toBe(base);
    expect(fingerprintOf({ ...app, spec: { source: { repoURL: 'y' } } })).not.toBe(base);
    expect(fingerprintOf({ ...app, metadata: { ...app.metadata, annotations: { 'reconcile.fluxcd.io/requestedAt': 'now' } } })).not.toBe(base);
    expect(fingerprintOf({ ...app, operation: { sync: {} } })).not.toBe(base);
  });
});
