// Shared setup of the gitops integration tests (gitops-*.test.ts, cli-app.test.ts) and the
// gitops e2e fixture: a git repository made with the git CLI, the gitops CRDs installed and
// Established, manifests and app objects to commit and apply, and for the reconciler suites
// (useGitops) app objects in the suite's namespace and an AppReconciler over the real cluster.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { GitSourceCache } from '../../src/gitops/sources/index.js';
import { gitopsCrds, parseApp, type AppSpec } from '../../src/gitops/models/index.js';
import { AppReconciler } from '../../src/gitops/reconciler/reconciler.js';
import { WatchCache, deleteObject, getObject, listObjects, serverSideApply, type KubeClient, type ObjectRef } from '../../src/kube/index.js';
import { eventually, useNamespace } from './helpers.js';

/** Polls until the apiserver serves each of these CRDs (condition Established), or throws after `timeoutMs` each. */
export async function waitForCrdsEstablished(client: KubeClient, crds: readonly KubeObject[], timeoutMs = 30_000): Promise<void> {
  for (const crd of crds) {
    const name = crd.metadata.name!;
    await eventually(async () => {
      const live = await getObject(client, { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name });
      const conditions = (live?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? [];
      return conditions.some((c) => c.type === 'Established' && c.status === 'True');
    }, timeoutMs, `CRD ${name} established`);
  }
}

/** Server-side applies gitopsCrds() (forced: they may exist), waits until they are Established and drops the client's discovery cache. */
export async function installGitopsCrds(client: KubeClient, fieldManager = 'slipway-test-crds'): Promise<void> {
  const crds = gitopsCrds();
  for (const crd of crds) await serverSideApply(client, crd, { fieldManager, force: true });
  await waitForCrdsEstablished(client, crds);
  client.discovery.invalidate();
}

/** A git repository in a temp dir, on branch main. */
export class GitRepo {
  readonly dir = mkdtempSync(join(tmpdir(), 'slipway-gitops-repo-'));

  constructor() {
    this.git('init', '-q', '-b', 'main');
    this.git('config', 'user.email', 'test@example.com');
    this.git('config', 'user.name', 'test');
    this.git('config', 'commit.gpgsign', 'false');
  }

  git(...args: string[]): string {
    return execFileSync('git', args, { cwd: this.dir, encoding: 'utf8' }).trim();
  }

  /** Writes files (null removes one) and commits them; returns the commit SHA. */
  commit(files: Record<string, string | null>, message = 'change'): string {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.dir, path);
      if (text === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
    this.git('add', '-A');
    this.git('commit', '-q', '--allow-empty', '-m', message);
    return this.git('rev-parse', 'HEAD');
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** A ConfigMap manifest, values quoted. */
export function configMap(name: string, data: Record<string, string>, annotations?: Record<string, string>): string {
  const ann = annotations ? `\n  annotations:\n${Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}` : '';
  const d = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}${ann}\ndata:\n${d || '  {}'}\n`;
}

/** A Deployment manifest (pods labelled app: <name>, one container). */
export function deployment({ name = 'web', replicas = 2, container = 'main', image = 'nginx' } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: ${replicas}
  selector:
    matchLabels: { app: ${name} }
  template:
    metadata:
      labels: { app: ${name} }
    spec:
      containers:
        - name: ${container}
          image: ${image}
`;
}

/** A Job hook that kwok completes (its pod runs on a fake node); hook '' for a plain Job. */
export function hookJob(name: string, hook: string, deletePolicy?: string, extra: Record<string, string> = {}): string {
  const ann = { ...(hook ? { 'argocd.argoproj.io/hook': hook } : {}), ...(deletePolicy ? { 'argocd.argoproj.io/hook-delete-policy': deletePolicy } : {}), ...extra };
  const annotations = Object.keys(ann).length ? `\n  annotations:\n${Object.entries(ann).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}` : '';
  return `apiVersion: batch/v1
kind: Job
metadata:
  name: ${name}${annotations}
spec:
  backoffLimit: 0
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: main
          image: busybox
          command: ["true"]
`;
}

export interface GitopsSuite {
  client: () => KubeClient;
  /** The namespace the app objects live in. */
  ns: () => string;
  cache: () => WatchCache;
  /** A new reconciler (each shares the suite's cache). */
  reconciler: (log?: (m: string) => void) => AppReconciler;
  /** A fresh destination namespace name (deleted after the suite; not created). */
  dest: (suffix: string) => string;
  repo: () => GitRepo;
  /** Creates (server-side applies) an app object in the suite namespace and returns it as read back. */
  createApp: (obj: KubeObject) => Promise<KubeObject>;
  /** Reads the app object and parses it. */
  loadApp: (apiVersion: string, kind: string, name: string, gitRepositories?: KubeObject[]) => Promise<{ obj: KubeObject; app: AppSpec }>;
  get: (ref: ObjectRef) => Promise<KubeObject | undefined>;
  /** Polls (every 200 ms, for 10 s at most) until the object is gone, or with `deleting` at least being deleted; says whether it is. */
  gone: (ref: ObjectRef, options?: { deleting?: boolean }) => Promise<boolean>;
  events: (name: string) => Promise<KubeObject[]>;
}

/** Suite setup: CRDs, namespaces, a watch cache and a git source cache; all removed afterwards. */
export function useGitops(): GitopsSuite {
  const base = useNamespace();
  let cache: WatchCache | undefined;
  let gitRoot: string | undefined;
  const repos: GitRepo[] = [];
  const dests: string[] = [];
  beforeAll(async () => {
    const client = base.client();
    await installGitopsCrds(client);
    cache = new WatchCache(client);
    gitRoot = mkdtempSync(join(tmpdir(), 'slipway-gitops-cache-'));
  });
  afterAll(async () => {
    cache?.stop();
    const client = base.client();
    for (const d of dests) await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: d }).catch(() => undefined);
    for (const r of repos) r.remove();
    if (gitRoot) rmSync(gitRoot, { recursive: true, force: true });
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useGitops: not set up');
    return v;
  };
  const suite: GitopsSuite = {
    client: base.client,
    ns: base.ns,
    cache: () => ready(cache),
    reconciler: (log) =>
      new AppReconciler({ client: base.client(), cache: ready(cache), sources: new GitSourceCache(ready(gitRoot)), clock: () => new Date(), log, defaultTimeoutMs: 60_000 }),
    dest: (suffix) => {
      const name = `${base.ns()}-${suffix}`;
      dests.push(name);
      return name;
    },
    repo: () => {
      const r = new GitRepo();
      repos.push(r);
      return r;
    },
    createApp: async (obj) => serverSideApply(base.client(), inNamespace(obj, base.ns()), { fieldManager: 'slipway-test', force: true }),
    loadApp: async (apiVersion, kind, name, gitRepositories = []) => {
      const [group, version] = apiVersion.split('/') as [string, string];
      const obj = await getObject(base.client(), { group, version, kind, namespace: base.ns(), name });
      if (!obj) throw new Error(`${kind} ${name} not found`);
      return { obj, app: parseApp(obj, { gitRepositories }) };
    },
    get: (ref) => getObject(base.client(), ref),
    gone: async (ref, { deleting = false } = {}) => {
      for (let i = 0; i < 50; i++) {
        const live = await getObject(base.client(), ref);
        if (!live || (deleting && live.metadata.deletionTimestamp)) return true;
        await new Promise((r) => setTimeout(r, 200));
      }
      return false;
    },
    events: async (name) => {
      const { items } = await listObjects(base.client(), 'v1', 'Event', { namespace: base.ns() });
      return items.filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name);
    },
  };
  return suite;
}

/** The object with its metadata.namespace set. */
export function inNamespace(obj: KubeObject, namespace: string): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, namespace } };
}

/** An Argo CD Application over `path` of a local repository. */
export function argoApp(name: string, repo: GitRepo, path: string, destination: string, syncPolicy: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name },
    spec: {
      project: 'default',
      source: { repoURL: repo.dir, targetRevision: 'main', path },
      destination: { server: 'https://kubernetes.default.svc', namespace: destination },
      syncPolicy,
      ...extra,
    },
  };
}

export const cm = (namespace: string, name: string): ObjectRef => ({ group: '', version: 'v1', kind: 'ConfigMap', namespace, name });
export const argoAppRef = (namespace: string, name: string): ObjectRef => ({ group: 'argoproj.io', version: 'v1alpha1', kind: 'Application', namespace, name });
export const job = (namespace: string, name: string): ObjectRef => ({ group: 'batch', version: 'v1', kind: 'Job', namespace, name });
export const ARGO = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
