// The GitOps controller in-process against the local cluster: an automated Argo CD
// Application (prune, selfHeal) over a local git repository; a signed GitHub webhook through
// the real HTTP server; self-heal of a ConfigMap deleted by hand; the resources finalizer;
// two controllers electing a leader on a Lease.
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { GitSourceCache, GitopsController } from '../../src/gitops/index.js';
import { KubeClient as Client, WatchCache, deleteObject, getObject, mergePatch, serverSideApply, type KubeClient } from '../../src/kube/index.js';
import { startServer, type RunningServer } from '../../src/server/index.js';
import { GitRepo, argoApp as argoAppOf, argoAppRef as appRef, cm, configMap as cmManifest, deployment, installGitopsCrds } from './gitops-helpers.js';
import { eventually, kubeClient, kubeconfig, tempNamespace } from './helpers.js';

const SECRET = 'it-is-a-secret';

/** A ConfigMap with one value. */
const configMap = (name: string, value: string) => cmManifest(name, { value });

/** An automated Argo CD Application (prune, selfHeal, CreateNamespace) over app/ of `repo`. */
function argoApp(name: string, namespace: string, repo: GitRepo, dest: string, finalizer = false): KubeObject {
  const app = argoAppOf(name, repo, 'app', dest, { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] });
  return { ...app, metadata: { name, namespace, ...(finalizer ? { finalizers: ['resources-finalizer.argocd.argoproj.io'] } : {}) } };
}

/** The status of an Argo CD Application, as far as these tests read it. */
type AppStatus = { sync?: { status?: string }; conditions?: { type: string; message: string }[] };
async function appStatus(namespace: string, name: string): Promise<AppStatus | undefined> {
  return (await getObject(client, appRef(namespace, name)))?.status as AppStatus | undefined;
}

let client: KubeClient;
let cache: WatchCache;
let ns: { name: string; remove: () => Promise<void> };
let ns2: { name: string; remove: () => Promise<void> };
let gitRoot: string;
const dests: string[] = [];
const repos: GitRepo[] = [];
const cleanups: (() => Promise<void>)[] = [];
const logs: string[] = [];

function newRepo(files: Record<string, string>): GitRepo {
  const r = new GitRepo();
  r.commit(files, 'initial');
  repos.push(r);
  return r;
}

function newController(namespace: string, extra: Partial<ConstructorParameters<typeof GitopsController>[0]> = {}): GitopsController {
  const c = new GitopsController({
    client,
    cache,
    sources: new GitSourceCache(gitRoot),
    namespaces: [namespace],
    defaultIntervalMs: 600_000,
    log: (l) => logs.push(`${new Date().toISOString()} ${l}`),
    reconciler: { defaultTimeoutMs: 60_000 },
    ...extra,
  });
  cleanups.push(() => c.stop());
  return c;
}

beforeAll(async () => {
  client = await kubeClient();
  await installGitopsCrds(client);
  cache = new WatchCache(client);
  gitRoot = mkdtempSync(join(tmpdir(), 'slipway-ctl-cache-'));
  ns = await tempNamespace(client, 'tctl');
  ns2 = await tempNamespace(client, 'tctl');
});

afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  cache?.stop();
  for (const d of dests) await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: d }).catch(() => undefined);
  // Apps first: a finalizer with no controller left would hold the namespace.
  for (const n of [ns, ns2]) {
    if (!n) continue;
    for (const name of ['web', 'fin', 'elected']) {
      await mergePatch(client, appRef(n.name, name), { metadata: { finalizers: null } }).catch(() => undefined);
    }
    await n.remove().catch(() => undefined);
  }
  for (const r of repos) r.remove();
  if (gitRoot) rmSync(gitRoot, { recursive: true, force: true });
  client?.close();
  if (process.env.SLIPWAY_TEST_LOG) console.log(logs.join('\n'));
});

let repo: GitRepo;
let dest: string;
let controller: GitopsController;
let server: RunningServer;

test('an automated Argo CD Application is synced by the controller', async () => {
  repo = newRepo({ 'app/a.yaml': configMap('a', 'one'), 'app/b.yaml': configMap('b', 'one') });
  dest = `${ns.name}-dest`;
  dests.push(dest);
  controller = newController(ns.name);
  await controller.start();
  server = await startServer({ host: '127.0.0.1', port: 0, controller, webhookSecret: SECRET });
  cleanups.push(() => server.close());
  const ready = await fetch(`${server.url}/readyz`);
  expect(ready.status).toBe(200);

  const t = Date.now();
  await serverSideApply(client, argoApp('web', ns.name, repo, dest), { fieldManager: 'slipway-test' });
  await eventually(async () => (await getObject(client, cm(dest, 'b')))?.data, 30_000, 'ConfigMaps applied');
  expect((await getObject(client, cm(dest, 'a')))?.data).toEqual({ value: 'one' });
  await eventually(async () => (await appStatus(ns.name, 'web'))?.sync?.status === 'Synced', 20_000, 'status Synced');
  console.log(`controller: app created to synced ${Date.now() - t} ms`);
  expect(controller.metrics().syncs).toBeGreaterThanOrEqual(1);
});

test('a push announced by a signed GitHub webhook is applied within seconds; a bad signature is 401', async () => {
  const sha = repo.commit({ 'app/a.yaml': configMap('a', 'two') }, 'a=two');
  const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repo.dir, default_branch: 'main' } });
  const bad = await fetch(`${server.url}/api/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${createHmac('sha256', 'wrong').update(body).digest('hex')}` },
    body,
  });
  expect(bad.status).toBe(401);
  const t = Date.now();
  const res = await fetch(`${server.url}/api/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}` },
    body,
  });
  expect(res.status).toBe(200);
  const answer = (await res.json()) as { apps: { name: string; namespace: string }[] };
  expect(answer.apps).toEqual([expect.objectContaining({ kind: 'Application', namespace: ns.name, name: 'web' })]);
  await eventually(async () => ((await getObject(client, cm(dest, 'a')))?.data as { value?: string } | undefined)?.value === 'two', 15_000, 'a=two applied');
  const ms = Date.now() - t;
  console.log(`controller: webhook to applied ${ms} ms`);
  expect(ms).toBeLessThan(10_000);
});

test('a ConfigMap deleted by hand is put back within seconds (self-heal from the watch)', async () => {
  await eventually(async () => {
    await controller.idle();
    return true;
  });
  const t = Date.now();
  await deleteObject(client, cm(dest, 'b'));
  await eventually(async () => {
    const live = await getObject(client, cm(dest, 'b'));
    return live && !live.metadata.deletionTimestamp;
  }, 10_000, 'b recreated');
  const ms = Date.now() - t;
  console.log(`controller: heal after delete ${ms} ms`);
  expect(ms).toBeLessThan(5_000);
  expect(controller.metrics().heals).toBeGreaterThanOrEqual(1);

  // An edit by hand is undone too.
  const t2 = Date.now();
  await mergePatch(client, cm(dest, 'b'), { data: { value: 'tampered' } });
  await eventually(async () => ((await getObject(client, cm(dest, 'b')))?.data as { value?: string } | undefined)?.value === 'one', 10_000, 'b restored');
  console.log(`controller: heal after edit ${Date.now() - t2} ms`);
});

test('a Deployment scaled by hand is scaled back within seconds', async () => {
  const sha = repo.commit({ 'app/deployment.yaml': deployment({ replicas: 2, container: 'web', image: 'nginx:1.27' }) }, 'add deployment');
  expect(controller.trigger({ namespace: ns.name, name: 'web' })).toBeDefined();
  const dep = { group: 'apps', version: 'v1', kind: 'Deployment', namespace: dest, name: 'web' };
  await eventually(async () => ((await getObject(client, dep))?.spec as { replicas?: number } | undefined)?.replicas === 2, 20_000, `deployment from ${sha}`);
  await controller.idle();
  const t = Date.now();
  await client.request('PATCH', `/apis/apps/v1/namespaces/${dest}/deployments/web/scale`, {
    contentType: 'application/merge-patch+json',
    body: { spec: { replicas: 7 } },
    query: { fieldManager: 'kubectl' },
  });
  await eventually(async () => ((await getObject(client, dep))?.spec as { replicas?: number } | undefined)?.replicas === 2, 15_000, 'replicas back to 2');
  const ms = Date.now() - t;
  console.log(`controller: heal after scale ${ms} ms`);
  expect(ms).toBeLessThan(5_000);
});

test('the refresh annotation is handled and removed, as Argo CD does', async () => {
  await mergePatch(client, appRef(ns.name, 'web'), { metadata: { annotations: { 'argocd.argoproj.io/refresh': 'hard' } } });
  await eventually(async () => (await getObject(client, appRef(ns.name, 'web')))?.metadata.annotations?.['argocd.argoproj.io/refresh'] === undefined, 15_000, 'annotation removed');
});

test('an app with an invalid spec gets a status saying why, and the controller goes on', async () => {
  const bad = argoApp('broken', ns.name, repo, dest);
  (bad.spec as { destination: { server: string } }).destination.server = 'https://10.0.0.1';
  await serverSideApply(client, bad, { fieldManager: 'slipway-test' });
  await eventually(
    async () => (await appStatus(ns.name, 'broken'))?.conditions?.some((c) => c.type === 'InvalidSpecError' && c.message.includes('spec.destination.server')),
    15_000,
    'InvalidSpecError condition',
  );
  await deleteObject(client, appRef(ns.name, 'broken'));
});

test('an unreachable Git server: the status says why, and the controller keeps trying', async () => {
  const app = argoApp('nogit', ns.name, repo, dest);
  (app.spec as { source: { repoURL: string } }).source.repoURL = 'http://127.0.0.1:9/nothing/here.git';
  await serverSideApply(client, app, { fieldManager: 'slipway-test' });
  await eventually(async () => (await appStatus(ns.name, 'nogit'))?.conditions?.some((c) => c.message.includes('127.0.0.1:9')), 20_000, 'a condition naming the unreachable repository');
  await deleteObject(client, appRef(ns.name, 'nogit'));
});

test('deleting an app with the resources finalizer deletes its objects, then the finalizer', async () => {
  const r = newRepo({ 'app/f.yaml': configMap('f', 'x') });
  const d = `${ns.name}-fin`;
  dests.push(d);
  await serverSideApply(client, argoApp('fin', ns.name, r, d, true), { fieldManager: 'slipway-test' });
  await eventually(async () => getObject(client, cm(d, 'f')), 30_000, 'f applied');
  await eventually(async () => (await appStatus(ns.name, 'fin'))?.sync?.status === 'Synced', 20_000, 'fin Synced');
  await deleteObject(client, appRef(ns.name, 'fin'));
  await eventually(async () => !(await getObject(client, appRef(ns.name, 'fin'))), 20_000, 'app gone');
  expect(await getObject(client, cm(d, 'f'))).toBeUndefined();
});

test('two controllers with leader election: only the leader works, and the other takes over when it stops', async () => {
  const r = newRepo({ 'app/e.yaml': configMap('e', 'x') });
  const d = `${ns2.name}-dest`;
  dests.push(d);
  const lease = { namespace: ns2.name, name: 'slipway-controller', leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 };
  const one = newController(ns2.name, { leaderElection: { ...lease, identity: 'one' } });
  const two = newController(ns2.name, { leaderElection: { ...lease, identity: 'two' } });
  await Promise.all([one.start(), two.start()]);
  await eventually(async () => one.isLeader || two.isLeader, 15_000, 'a leader');
  const [leader, follower] = one.isLeader ? [one, two] : [two, one];
  await serverSideApply(client, argoApp('elected', ns2.name, r, d), { fieldManager: 'slipway-test' });
  await eventually(async () => getObject(client, cm(d, 'e')), 30_000, 'e applied by the leader');
  expect(one.isLeader && two.isLeader).toBe(false);
  expect(leader.metrics().reconciles).toBeGreaterThan(0);
  expect(follower.metrics().reconciles).toBe(0);
  const held = await client.request<{ spec: { holderIdentity: string } }>('GET', `/apis/coordination.k8s.io/v1/namespaces/${ns2.name}/leases/slipway-controller`);
  expect(held.spec.holderIdentity).toBe(leader === one ? 'one' : 'two');

  // The leader stops (and releases the Lease): the follower takes over and heals.
  const t = Date.now();
  await leader.stop();
  await eventually(async () => follower.isLeader, 10_000, 'the follower leads');
  console.log(`controller: leadership handed over in ${Date.now() - t} ms`);
  await deleteObject(client, cm(d, 'e'));
  await eventually(async () => getObject(client, cm(d, 'e')), 20_000, 'e healed by the new leader');
});

/** A TCP proxy in front of the apiserver that the test can cut and restore: an outage for one client only. */
class Outage {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;
  constructor(
    private readonly host: string,
    private readonly target: number,
  ) {}
  async up(): Promise<void> {
    this.server = net.createServer((c) => {
      const u = net.connect(this.target, this.host);
      for (const sock of [c, u]) {
        this.sockets.add(sock);
        sock.on('close', () => this.sockets.delete(sock));
        sock.on('error', () => (c.destroy(), u.destroy()));
      }
      c.pipe(u);
      u.pipe(c);
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
    this.port = (this.server.address() as net.AddressInfo).port;
  }
  async down(): Promise<void> {
    for (const sock of this.sockets) sock.destroy();
    await new Promise((r) => this.server?.close(r));
  }
}

test('an apiserver outage: the controller reconnects, heals what changed meanwhile and applies a new commit', async () => {
  const text = readFileSync(kubeconfig(), 'utf8');
  const m = /server: https:\/\/([\d.]+):(\d+)/.exec(text);
  expect(m).toBeTruthy();
  const outage = new Outage(m![1]!, Number(m![2]));
  await outage.up();
  cleanups.push(() => outage.down());
  const dir = mkdtempSync(join(tmpdir(), 'slipway-ctl-kubeconfig-'));
  cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'config'), text.replace(/server: https:\/\/[\d.]+:\d+/, `server: https://127.0.0.1:${outage.port}`));
  const proxied = await Client.load({ kubeconfig: join(dir, 'config') });
  const proxiedCache = new WatchCache(proxied, { maxBackoffMs: 1000 });
  cleanups.push(async () => (proxiedCache.stop(), proxied.close()));
  const ns3 = await tempNamespace(client, 'tctl');
  cleanups.push(() => ns3.remove());
  const r = newRepo({ 'app/o.yaml': configMap('o', 'one') });
  const d = `${ns3.name}-dest`;
  dests.push(d);
  const c = newController(ns3.name, { client: proxied, cache: proxiedCache });
  await c.start();
  await serverSideApply(client, argoApp('outage', ns3.name, r, d), { fieldManager: 'slipway-test' });
  await eventually(async () => getObject(client, cm(d, 'o')), 30_000, 'o applied');
  await eventually(async () => {
    await c.idle();
    return true;
  });

  await outage.down();
  // While the controller cannot reach the apiserver: an object is deleted by hand and a commit lands.
  await deleteObject(client, cm(d, 'o'));
  r.commit({ 'app/p.yaml': configMap('p', 'new') }, 'add p');
  expect(c.trigger({ namespace: ns3.name, name: 'outage' })).toBeDefined();
  await new Promise((res) => setTimeout(res, 3000));
  const t = Date.now();
  await outage.up();
  await eventually(async () => (await getObject(client, cm(d, 'o'))) && (await getObject(client, cm(d, 'p'))), 30_000, 'o healed and p applied after the outage');
  console.log(`controller: caught up ${Date.now() - t} ms after the apiserver came back`);
  expect(c.metrics().failures).toBeGreaterThan(0);
  await mergePatch(client, appRef(ns3.name, 'outage'), { metadata: { finalizers: null } }).catch(() => undefined);
});
