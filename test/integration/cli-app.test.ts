// `slipway app` and `slipway install` (no chart) end to end: the built CLI against the local
// cluster, apps from git repositories made with the git CLI. Run `npm run build` first.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { crdInstallAction, installCrds } from '../../src/gitops/index.js';
import { deleteObject, getObject, mergePatch, serverSideApply, type ObjectRef } from '../../src/kube/index.js';
import { serveGitHttp } from '../support/git-http.js';
import { GitRepo, argoAppRef as appRef, cm, configMap as cmManifest, deployment as deploymentManifest, waitForCrdsEstablished } from './gitops-helpers.js';
import { slipway, useNamespace, type CliResult } from './helpers.js';

/** Serves a repository's .git over smart HTTP: Flux sources must be http(s) or ssh URLs. */
async function serveHttp(repoDir: string): Promise<{ url: string; server: Server }> {
  const { server, url } = await serveGitHttp(repoDir);
  return { server, url: `${url}/.git` };
}

const configMap = (color: string) => cmManifest('web-config', { color });
const deployment = deploymentManifest({ replicas: 1, container: 'web', image: 'nginx:1.25' });

const suite = useNamespace();
let cacheDir = '';
const repos: GitRepo[] = [];
const extraNamespaces: string[] = [];

function cli(args: string[]): Promise<CliResult> {
  return slipway(args, { env: { SLIPWAY_CACHE: cacheDir } });
}

/** The table row of an app in `app list`, split on runs of blanks. */
async function listRow(name: string): Promise<string[] | undefined> {
  const r = await cli(['app', 'list', '-n', suite.ns()]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.split('\n').map((l) => l.trim().split(/\s{2,}/)).find((cols) => cols[0] === name);
}

const cmRef = (ns: string): ObjectRef => cm(ns, 'web-config');
const depRef = (ns: string): ObjectRef => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'web' });
const color = async (ns: string) => ((await getObject(suite.client(), cmRef(ns)))?.data as Record<string, string> | undefined)?.color;

beforeAll(async () => {
  cacheDir = mkdtempSync(join(tmpdir(), 'slipway-cli-app-cache-'));
  // The app CRDs, where the cluster lacks them (never replacing Argo CD's or Flux's).
  const client = suite.client();
  const crds = installCrds();
  for (const crd of crds) {
    const ref = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name: crd.metadata.name! };
    if (crdInstallAction(await getObject(client, ref)) === 'create') await serverSideApply(client, crd, { fieldManager: 'slipway-install', force: true });
  }
  await waitForCrdsEstablished(client, crds);
});

afterAll(async () => {
  for (const ns of extraNamespaces) await deleteObject(suite.client(), { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns }).catch(() => undefined);
  for (const r of repos) r.remove();
  if (cacheDir) rmSync(cacheDir, { recursive: true, force: true });
});

describe('slipway app: an Argo CD Application from create to delete', () => {
  const repo = new GitRepo();
  repos.push(repo);
  let first = '';
  let dest = '';

  test('create makes the Application and refreshes it: list shows OutOfSync / Missing', async () => {
    first = repo.commit({ 'app/cm.yaml': configMap('blue'), 'app/deploy.yaml': deployment });
    dest = `${suite.ns()}-dest`;
    extraNamespaces.push(dest);
    // Manual sync: e2e suites may run a controller over every namespace of the shared cluster.
    const r = await cli(['app', 'create', 'web', '-n', suite.ns(), '--repo', repo.dir, '--path', 'app', '--dest-namespace', dest, '--sync-option', 'CreateNamespace=true']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('application.argoproj.io/web created\n');
    const app = await getObject(suite.client(), appRef(suite.ns(), 'web'));
    expect(app?.spec).toEqual({
      project: 'default',
      source: { repoURL: repo.dir, path: 'app', targetRevision: 'HEAD' },
      destination: { server: 'https://kubernetes.default.svc', namespace: dest },
      syncPolicy: { syncOptions: ['CreateNamespace=true'] },
    });
    expect(await listRow('web')).toEqual(['web', 'argocd', 'OutOfSync', 'Missing', first.slice(0, 7)]);
  });

  test('create refuses an app that exists, unless --upsert', async () => {
    const args = ['app', 'create', 'web', '-n', suite.ns(), '--repo', repo.dir, '--path', 'app', '--dest-namespace', dest, '--sync-option', 'CreateNamespace=true', '--no-refresh'];
    const refused = await cli(args);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: application\.argoproj\.io\/web already exists in namespace ".*" \(use --upsert to update it\)\n$/);
    const upsert = await cli([...args, '--upsert']);
    expect(upsert.code, upsert.stderr).toBe(0);
    expect(upsert.stdout).toBe('application.argoproj.io/web configured\n');
  });

  test('sync applies the objects: Synced / Healthy', async () => {
    const r = await cli(['app', 'sync', 'web', '-n', suite.ns()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Phase:\s+Succeeded$/m);
    expect(r.stdout).toMatch(/^\s+ConfigMap\s+\S+\s+web-config\s+Synced\s+Healthy\s+configmap\/web-config created$/m);
    expect(await color(dest)).toBe('blue');
    expect(await getObject(suite.client(), depRef(dest))).toBeDefined();
    expect(await listRow('web')).toEqual(['web', 'argocd', 'Synced', 'Healthy', first.slice(0, 7)]);
  });

  test('get shows the summary and the resources', async () => {
    const r = await cli(['app', 'get', 'web', '-n', suite.ns()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Sync Status:        Synced to HEAD (${first.slice(0, 7)})\n`);
    expect(r.stdout).toMatch(/^apps\s+Deployment\s+\S+\s+web\s+Synced\s+Healthy/m);
    const y = await cli(['app', 'get', 'web', '-n', suite.ns(), '-o', 'json']);
    expect((JSON.parse(y.stdout) as KubeObject).metadata.name).toBe('web');
  });

  test('a hand edit shows in diff (exit 1); sync undoes it; then diff exits 0', async () => {
    await mergePatch(suite.client(), cmRef(dest), { data: { color: 'red' } });
    const d = await cli(['app', 'diff', 'web', '-n', suite.ns()]);
    expect(d.code, d.stderr).toBe(1);
    expect(d.stdout).toContain(`--- live/v1.ConfigMap.${dest}.web-config\n`);
    expect(d.stdout).toContain('-  color: red\n+  color: blue\n');
    expect(d.stdout).not.toContain('Deployment');
    const s = await cli(['app', 'sync', 'web', '-n', suite.ns()]);
    expect(s.code, s.stderr).toBe(0);
    expect(await color(dest)).toBe('blue');
    const again = await cli(['app', 'diff', 'web', '-n', suite.ns()]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toBe('');
  });

  test('diff of an app that does not exist exits 2', async () => {
    const r = await cli(['app', 'diff', 'nosuch', '-n', suite.ns()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: app "nosuch" not found/);
  });

  let second = '';
  test('a new commit syncs; history lists every sync with its revision', async () => {
    second = repo.commit({ 'app/cm.yaml': configMap('green') });
    const s = await cli(['app', 'sync', 'web', '-n', suite.ns()]);
    expect(s.code, s.stderr).toBe(0);
    expect(await color(dest)).toBe('green');
    const h = await cli(['app', 'history', 'web', '-n', suite.ns()]);
    expect(h.code, h.stderr).toBe(0);
    const lines = h.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+DATE\s+REVISION$/);
    // One entry per successful sync, as Argo CD records them: two of the first commit, one of the second.
    const rows = lines.slice(1).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r[0])).toEqual(['0', '1', '2']);
    expect(rows.map((r) => r[2])).toEqual([`HEAD (${first.slice(0, 7)})`, `HEAD (${first.slice(0, 7)})`, `HEAD (${second.slice(0, 7)})`]);
    expect(rows[0]![1]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
  });

  test('rollback ID goes back to that revision and turns automated sync off', async () => {
    // Automated on now, when the app is synced to the newest commit (nothing for a controller to do).
    await mergePatch(suite.client(), appRef(suite.ns(), 'web'), { spec: { syncPolicy: { automated: { prune: false, selfHeal: false } } } });
    const r = await cli(['app', 'rollback', 'web', '1', '-n', suite.ns()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('Auto-sync is now off for web');
    expect(r.stdout).toMatch(/^Sync Policy:\s+Manual$/m);
    expect(await color(dest)).toBe('blue');
    const app = await getObject(suite.client(), appRef(suite.ns(), 'web'));
    expect((app?.spec as { syncPolicy?: { automated?: unknown } }).syncPolicy?.automated).toBeUndefined();
    const h = await cli(['app', 'history', 'web', '-n', suite.ns(), '-o', 'json']);
    const history = JSON.parse(h.stdout) as { id: number; revision: string }[];
    expect(history.map((e) => e.id)).toEqual([0, 1, 2, 3]);
    expect(history[3]!.revision).toContain(first);
  });

  test('rollback without an ID goes to the entry before the newest', async () => {
    const r = await cli(['app', 'rollback', 'web', '-n', suite.ns()]);
    expect(r.code, r.stderr).toBe(0);
    expect(await color(dest)).toBe('green');
  });

  test('delete --cascade removes the objects, the app and its bookkeeping', async () => {
    const r = await cli(['app', 'delete', 'web', '-n', suite.ns()]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')).toEqual(expect.arrayContaining(['deployment.apps/web deleted', 'configmap/web-config deleted', 'application.argoproj.io/web deleted']));
    expect(await getObject(suite.client(), cmRef(dest))).toBeUndefined();
    expect(await getObject(suite.client(), depRef(dest))).toBeUndefined();
    expect(await getObject(suite.client(), appRef(suite.ns(), 'web'))).toBeUndefined();
    expect(await getObject(suite.client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: suite.ns(), name: 'slipway-app.application.web' })).toBeUndefined();
    expect(await listRow('web')).toBeUndefined();
  });
});

describe('slipway app: other kinds and failures', () => {
  const repo = new GitRepo();
  repos.push(repo);

  test('a Slipway Application: sync, then delete --cascade=false keeps its objects', async () => {
    repo.commit({ 'app/cm.yaml': configMap('blue') });
    const r = await cli(['app', 'create', 'keep', '--kind', 'slipway', '-n', suite.ns(), '--repo', repo.dir, '--path', 'app']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('application.slipway.dev/keep created\n');
    expect(await listRow('keep')).toEqual(expect.arrayContaining(['keep', 'slipway', 'OutOfSync', 'Missing']));
    const s = await cli(['app', 'sync', 'keep', '-n', suite.ns()]);
    expect(s.code, s.stderr).toBe(0);
    expect(await color(suite.ns())).toBe('blue');
    const d = await cli(['app', 'delete', 'keep', '-n', suite.ns(), '--cascade=false']);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toBe('application.slipway.dev/keep deleted\n');
    expect(await color(suite.ns())).toBe('blue');
    await deleteObject(suite.client(), cmRef(suite.ns()));
  });

  test('a sync the server refuses exits non-zero and says why', async () => {
    repo.commit({ 'bad/deploy.yaml': deployment.replace('  selector:\n    matchLabels: { app: web }\n', '') });
    const c = await cli(['app', 'create', 'bad', '--kind', 'slipway', '-n', suite.ns(), '--repo', repo.dir, '--path', 'bad', '--no-refresh']);
    expect(c.code, c.stderr).toBe(0);
    const s = await cli(['app', 'sync', 'bad', '-n', suite.ns()]);
    expect(s.code).toBe(1);
    expect(s.stderr).toMatch(/^error: sync of application\.slipway\.dev\/bad failed: /);
    expect(s.stdout).toMatch(/^Phase:\s+Failed$/m);
    const d = await cli(['app', 'delete', 'bad', '-n', suite.ns()]);
    expect(d.code, d.stderr).toBe(0);
  });

  test('create -f validates first: the error names file, line and field, and nothing is created', async () => {
    const dir = suite.tree({
      'apps.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: fine
spec:
  project: default
  source: {repoURL: ${repo.dir}, path: app}
  destination: {server: https://kubernetes.default.svc, namespace: ${suite.ns()}}
---
apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: remote
spec:
  project: default
  source:
    repoURL: ${repo.dir}
    path: app
  destination:
    server: https://10.1.2.3
`,
    });
    const file = join(dir, 'apps.yaml');
    const r = await cli(['app', 'create', '-f', file, '-n', suite.ns()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${file}:20: Application/${suite.ns()}/remote: spec.destination.server: only the in-cluster server is supported ("https://kubernetes.default.svc", or name "in-cluster"), got "https://10.1.2.3"\n`,
    );
    expect(await getObject(suite.client(), appRef(suite.ns(), 'fine'))).toBeUndefined();
    writeFileSync(file, readFileSync(file, 'utf8').split('---')[0]!);
    const ok = await cli(['app', 'create', '-f', file, '-n', suite.ns(), '--no-refresh']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('application.argoproj.io/fine created\n');
    const del = await cli(['app', 'delete', 'fine', '-n', suite.ns()]);
    expect(del.code, del.stderr).toBe(0);
  });
});

describe('slipway app: a Flux GitRepository + Kustomization', () => {
  const repo = new GitRepo();
  repos.push(repo);
  let server: Server | undefined;
  let url = '';
  beforeAll(async () => ({ url, server } = await serveHttp(repo.dir)));
  afterAll(() => void server?.close());
  const ksRef = (): ObjectRef => ({ group: 'kustomize.toolkit.fluxcd.io', version: 'v1', kind: 'Kustomization', namespace: suite.ns(), name: 'fweb' });
  const grRef = (): ObjectRef => ({ group: 'source.toolkit.fluxcd.io', version: 'v1', kind: 'GitRepository', namespace: suite.ns(), name: 'fweb' });

  test('create, sync with prune as the Kustomization says, delete with its GitRepository', async () => {
    const sha = repo.commit({ 'apps/cm.yaml': configMap('blue'), 'apps/deploy.yaml': deployment });
    // Suspended (--sync-policy none), so that no controller on the shared cluster syncs it: app sync still does.
    const c = await cli(['app', 'create', 'fweb', '--kind', 'flux', '-n', suite.ns(), '--repo', url, '--path', 'apps', '--dest-namespace', suite.ns(), '--auto-prune', '--sync-policy', 'none']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toBe('gitrepository.source.toolkit.fluxcd.io/fweb created\nkustomization.kustomize.toolkit.fluxcd.io/fweb created\n');
    expect((await getObject(suite.client(), ksRef()))?.spec).toMatchObject({ path: './apps', prune: true, suspend: true, targetNamespace: suite.ns(), sourceRef: { kind: 'GitRepository', name: 'fweb' } });
    expect(await listRow('fweb')).toEqual(['fweb', 'flux', 'OutOfSync (suspended)', 'Unknown']);

    const s = await cli(['app', 'sync', 'fweb', '-n', suite.ns()]);
    expect(s.code, s.stderr).toBe(0);
    expect(await color(suite.ns())).toBe('blue');
    expect(await listRow('fweb')).toEqual(['fweb', 'flux', 'Synced (suspended)', 'Healthy', sha.slice(0, 7)]);
    const g = await cli(['app', 'get', 'fweb', '-n', suite.ns()]);
    expect(g.code, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/^Ready:\s+True \(ReconciliationSucceeded\): /m);
    expect(g.stdout).toMatch(/^apps\s+Deployment\s+\S+\s+web$/m);

    repo.git('rm', '-q', 'apps/cm.yaml');
    repo.git('commit', '-q', '-m', 'drop the ConfigMap');
    const s2 = await cli(['app', 'sync', 'fweb', '-n', suite.ns()]);
    expect(s2.code, s2.stderr).toBe(0);
    expect(s2.stdout).toMatch(/^\s+ConfigMap\s+\S+\s+web-config\s+Pruned/m);
    expect(await getObject(suite.client(), cmRef(suite.ns()))).toBeUndefined();

    const d = await cli(['app', 'delete', 'fweb', '-n', suite.ns()]);
    expect(d.code, d.stderr).toBe(0);
    expect(d.stdout).toBe('deployment.apps/web deleted\nkustomization.kustomize.toolkit.fluxcd.io/fweb deleted\ngitrepository.source.toolkit.fluxcd.io/fweb deleted\n');
    expect(await getObject(suite.client(), depRef(suite.ns()))).toBeUndefined();
    expect(await getObject(suite.client(), ksRef())).toBeUndefined();
    expect(await getObject(suite.client(), grRef())).toBeUndefined();
  });
});

describe('slipway install (no chart): Slipway itself', () => {
  const ns = `slipway-it-${Math.random().toString(36).slice(2, 8)}`;
  const roleName = `slipway-controller-${ns}`;
  afterAll(async () => {
    const client = suite.client();
    await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns }).catch(() => undefined);
    await deleteObject(client, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', namespace: '', name: roleName }).catch(() => undefined);
    await deleteObject(client, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespace: '', name: roleName }).catch(() => undefined);
  });

  test('--dry-run prints the objects and changes nothing', async () => {
    const r = await cli(['install', '--dry-run', '-n', ns, '--image', 'registry.local/slipway:test']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('kind: CustomResourceDefinition');
    expect(r.stdout).toContain('image: registry.local/slipway:test');
    expect(r.stdout).toContain(`name: ${roleName}`);
    expect(await getObject(suite.client(), { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: ns })).toBeUndefined();
  });

  test('installs the CRDs it may, RBAC and a controller Deployment that becomes ready (--wait)', async () => {
    const r = await cli(['install', '-n', ns, '--image', 'registry.local/slipway:test', '--wait', '--timeout', '90s']);
    expect(r.code, r.stderr).toBe(0);
    for (const name of ['applications.argoproj.io', 'kustomizations.kustomize.toolkit.fluxcd.io', 'applications.slipway.dev']) {
      expect(r.stdout).toMatch(new RegExp(`^customresourcedefinition\\.apiextensions\\.k8s\\.io/${name.replace(/\./g, '\\.')} (created|configured|unchanged|skipped \\(.*\\))$`, 'm'));
    }
    expect(r.stdout).toContain(`namespace/${ns} created\n`);
    expect(r.stdout).toContain(`clusterrole.rbac.authorization.k8s.io/${roleName} created\n`);
    expect(r.stdout).toContain('deployment.apps/slipway-controller created\n');
    expect(r.stdout).toContain(`slipway controller is ready in namespace ${ns}\n`);
    const client = suite.client();
    const dep = await getObject(client, { group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns, name: 'slipway-controller' });
    const c = (dep?.spec as { template: { spec: { containers: { image: string; args: string[] }[] } } }).template.spec.containers[0]!;
    expect(c).toMatchObject({ image: 'registry.local/slipway:test', args: ['controller', '--leader-elect', '--listen', '0.0.0.0:8080', '--lease-namespace', '$(POD_NAMESPACE)'] });
    expect((dep?.status as { readyReplicas?: number }).readyReplicas).toBe(1);
    const role = await getObject(client, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespace: '', name: roleName });
    expect(role?.rules).toContainEqual({ apiGroups: ['*'], resources: ['*'], verbs: ['*'] });
    const binding = await getObject(client, { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', namespace: '', name: roleName });
    expect(binding?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'slipway-controller', namespace: ns }]);
    expect(await getObject(client, { group: '', version: 'v1', kind: 'Service', namespace: ns, name: 'slipway-controller' })).toBeDefined();
  });

  test('installing again changes nothing', async () => {
    const r = await cli(['install', '-n', ns, '--image', 'registry.local/slipway:test']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/ (created|configured)$/m);
    expect(r.stdout).toContain('deployment.apps/slipway-controller unchanged\n');
  });

  test('a chart install still needs its arguments', async () => {
    const r = await cli(['install', '--generate-name']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('"slipway install" requires at least 1 argument');
  });
});
