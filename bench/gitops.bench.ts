/**
 * GitOps at scale: `slipway controller` (its own process, as in production) managing 100 and
 * then 1,000 Argo CD Applications of 10 objects each on the local control plane, all from one
 * Git repository (a directory per app). Figures, each against the issue's budget:
 *
 * - first sync: from creating the apps to every app Synced (every object applied);
 * - full reconcile pass: the controller restarted (cold caches: LIST+WATCH, git fetch) until
 *   every app has been compared again (status.reconciledAt after the start), nothing to apply —
 *   budget 60 s for 1,000 apps;
 * - drift-to-heal latency: a managed ConfigMap's data changed by another field manager, time
 *   until the controller has put it back, p50/p99 over 40 edits — budget p99 5 s;
 * - controller peak RSS (VmHWM from /proc) — budget 1 GiB.
 *
 * `npm run bench gitops` (or `npm run bench gitops 100` for the small size only).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KubeClient, WatchCache, listObjects, mergePatch, serverSideApply, type ObjectRef } from '../src/kube/index.js';
import { gitopsCrds } from '../src/gitops/models/index.js';
import { clusterEnv, fmt } from './lib.js';

const OBJECTS_PER_APP = 10;
const NAMESPACES = 10;
const HEAL_SAMPLES = 40;

function appFiles(i: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let k = 0; k < OBJECTS_PER_APP - 2; k++) {
    files[`apps/app-${i}/cm-${k}.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-${i}-cm-${k}\ndata:\n  index: "${k}"\n  app: app-${i}\n`;
  }
  files[`apps/app-${i}/secret.yaml`] = `apiVersion: v1\nkind: Secret\nmetadata:\n  name: app-${i}-secret\nstringData:\n  token: t-${i}\n`;
  files[`apps/app-${i}/sa.yaml`] = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-${i}\n`;
  return files;
}

function gitRepo(apps: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-git-'));
  const env = { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
  execFileSync('git', ['init', '-q', '-b', 'main', dir], { env });
  for (let i = 0; i < apps; i++) {
    for (const [path, text] of Object.entries(appFiles(i))) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  }
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', 'apps'], { cwd: dir, env });
  return dir;
}

interface Controller {
  child: ChildProcess;
  log: string[];
  peakRssMiB: () => number;
  stop: () => Promise<void>;
}

function startController(kubeconfig: string, cacheDir: string): Controller {
  const child = spawn(
    process.execPath,
    [resolve('bin/slipway.js'), 'controller', '--kubeconfig', kubeconfig, '--listen', '', '--cache-dir', cacheDir, '--app-resync', '30m', '--namespaces', 'bench-apps'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  child.stderr!.on('data', (c: Buffer) => {
    log.push(...c.toString().split('\n').filter(Boolean));
    if (log.length > 2000) log.splice(0, log.length - 1000);
  });
  let peak = 0;
  const sample = () => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) / 1024);
    } catch {
      // exited
    }
  };
  const timer = setInterval(sample, 500);
  return {
    child,
    log,
    peakRssMiB: () => (sample(), peak),
    stop: async () => {
      sample();
      clearInterval(timer);
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function waitApps(client: KubeClient, apps: number, done: (status: Record<string, unknown> | undefined) => boolean, controller: Controller, what: string, timeoutMs: number): Promise<number> {
  const t = Date.now();
  for (;;) {
    const { items } = await listObjects(client, 'argoproj.io/v1alpha1', 'Application', { namespace: 'bench-apps' });
    const n = items.filter((a) => done(a.status as Record<string, unknown> | undefined)).length;
    if (n >= apps) return Date.now() - t;
    if (controller.child.exitCode !== null) throw new Error(`controller exited ${controller.child.exitCode}: ${controller.log.slice(-20).join('\n')}`);
    if (Date.now() - t > timeoutMs) throw new Error(`${what}: ${n}/${apps} after ${fmt(timeoutMs)}; controller log tail:\n${controller.log.slice(-20).join('\n')}`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

async function scale(client: KubeClient, kubeconfig: string, apps: number): Promise<string[]> {
  const repo = gitRepo(apps);
  const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-bench-cache-'));
  const lines: string[] = [];
  let controller = startController(kubeconfig, cacheDir);
  try {
    const created = Date.now();
    for (let i = 0; i < apps; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, apps - i) }, (_, j) =>
          serverSideApply(
            client,
            {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Application',
              metadata: { name: `app-${i + j}`, namespace: 'bench-apps' },
              spec: {
                project: 'default',
                source: { repoURL: `file://${repo}`, targetRevision: 'main', path: `apps/app-${i + j}` },
                destination: { server: 'https://kubernetes.default.svc', namespace: `bench-dest-${(i + j) % NAMESPACES}` },
                syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
              },
            },
            { fieldManager: 'bench' },
          ),
        ),
      );
    }
    const synced = (s: Record<string, unknown> | undefined) => (s?.sync as { status?: string } | undefined)?.status === 'Synced';
    await waitApps(client, apps, synced, controller, 'first sync', 30 * 60_000);
    const first = Date.now() - created;
    lines.push(`${apps} apps × ${OBJECTS_PER_APP}: first sync (create apps → all Synced) ${fmt(first)}`);

    // Full pass from a cold start: every app compared again.
    await controller.stop();
    const restart = new Date();
    controller = startController(kubeconfig, cacheDir);
    const refreshed = (s: Record<string, unknown> | undefined) => synced(s) && typeof s?.reconciledAt === 'string' && new Date(s.reconciledAt).getTime() >= restart.getTime() - 1000;
    const pass = await waitApps(client, apps, refreshed, controller, 'full pass', 10 * 60_000);
    lines.push(`${apps} apps: full reconcile pass after a restart ${fmt(pass)} (budget for 1,000 apps: 60s${apps === 1000 ? `, ratio ${(pass / 60_000).toFixed(2)}` : ''})`);

    // Drift → heal latency, watched through a watch cache of our own.
    const cache = new WatchCache(client);
    await cache.watchKind('v1', 'ConfigMap');
    const latencies: number[] = [];
    for (let s = 0; s < HEAL_SAMPLES; s++) {
      const i = Math.floor(Math.random() * apps);
      const k = Math.floor(Math.random() * (OBJECTS_PER_APP - 2));
      const key: ObjectRef = { group: '', version: 'v1', kind: 'ConfigMap', namespace: `bench-dest-${i % NAMESPACES}`, name: `app-${i}-cm-${k}` };
      const healed = new Promise<number>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`${key.name} not healed within 60s`)), 60_000);
        const off = cache.subscribeKeys([key], (e) => {
          if ((e.object.data as Record<string, string> | undefined)?.index === String(k)) {
            clearTimeout(timer);
            off();
            res(Date.now());
          }
        });
      });
      const t = Date.now();
      await mergePatch(client, key, { data: { index: 'drifted' } });
      latencies.push((await healed) - t);
      await new Promise((r) => setTimeout(r, 100));
    }
    cache.stop();
    const p50 = percentile(latencies, 50);
    const p99 = percentile(latencies, 99);
    lines.push(`${apps} apps: drift → heal p50 ${fmt(p50)}, p99 ${fmt(p99)} over ${HEAL_SAMPLES} edits (budget p99 5s, ratio ${(p99 / 5000).toFixed(2)})`);
    const rss = controller.peakRssMiB();
    lines.push(`${apps} apps: controller peak RSS ${rss.toFixed(0)} MiB (budget 1024 MiB, ratio ${(rss / 1024).toFixed(2)})`);
  } finally {
    await controller.stop();
    await cleanup(client);
    rmSync(repo, { recursive: true, force: true });
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return lines;
}

async function cleanup(client: KubeClient): Promise<void> {
  // Apps first (the controller is stopped; no finalizers are set), then the namespaces.
  await client.request('DELETE', '/apis/argoproj.io/v1alpha1/namespaces/bench-apps/applications').catch(() => undefined);
  for (let n = 0; n < NAMESPACES; n++) {
    await client.request('DELETE', `/api/v1/namespaces/bench-dest-${n}`).catch(() => undefined);
  }
  for (const name of [...Array(NAMESPACES).keys()].map((n) => `bench-dest-${n}`)) {
    for (let t = 0; t < 240; t++) {
      const gone = await client.request('GET', `/api/v1/namespaces/${name}`).then(() => false, () => true);
      if (gone) break;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

export async function run(): Promise<string[]> {
  const { kubeconfig } = clusterEnv();
  const client = await KubeClient.load({ kubeconfig });
  try {
    for (const crd of gitopsCrds()) await serverSideApply(client, crd, { fieldManager: 'slipway-bench', force: true });
    await serverSideApply(client, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench-apps' } }, { fieldManager: 'slipway-bench' });
    await cleanup(client);
    const sizes = process.argv[3] ? [Number(process.argv[3])] : [100, 1000];
    const lines: string[] = [];
    for (const n of sizes) lines.push(...(await scale(client, kubeconfig, n)));
    return lines;
  } finally {
    client.close();
  }
}
