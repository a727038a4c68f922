// Shared setup of the gitops reconciler integration tests (gitops-reconciler-*.test.ts): a
// git repository made with the git CLI, the gitops CRDs, app objects in the suite's namespace
// and an AppReconciler over the real cluster.
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
import { useNamespace } from './helpers.js';

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

export function configMap(name: string, data: Record<string, string>, annotations?: Record<string, string>): string {
  const ann = annotations ? `\n  annotations:\n${Object.entries(annotations).map(([k, v]) => `    ${k}: "${v}"`).join('\n')}` : '';
  const d = Object.entries(data).map(([k, v]) => `  ${k}: "${v}"`).join('\n');
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}${ann}\ndata:\n${d || '  {}'}\n`;
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
    for (const crd of gitopsCrds()) await serverSideApply(client, crd, { fieldManager: 'slipway-test-crds', force: true });
    for (const crd of gitopsCrds()) {
      const name = crd.metadata.name!;
      for (let i = 0; i < 100; i++) {
        const live = await getObject(client, { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name });
        const conds = ((live?.status as { conditions?: { type: string; status: string }[] } | undefined)?.conditions ?? []);
        if (conds.some((c) => c.type === 'Established' && c.status === 'True')) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    client.discovery.invalidate();
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
    createApp: async (obj) => {
      const withNs = { ...obj, metadata: { ...obj.metadata, namespace: base.ns() } };
      return serverSideApply(base.client(), withNs, { fieldManager: 'slipway-test', force: true });
    },
    loadApp: async (apiVersion, kind, name, gitRepositories = []) => {
      const [group, version] = apiVersion.split('/') as [string, string];
      const obj = await getObject(base.client(), { group, version, kind, namespace: base.ns(), name });
      if (!obj) throw new Error(`${kind} ${name} not found`);
      return { obj, app: parseApp(obj, { gitRepositories }) };
    },
    get: (ref) => getObject(base.client(), ref),
    events: async (name) => {
      const { items } = await listObjects(base.client(), 'v1', 'Event', { namespace: base.ns() });
      return items.filter((e) => (e.involvedObject as { name?: string } | undefined)?.name === name);
    },
  };
  return suite;
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
export const job = (namespace: string, name: string): ObjectRef => ({ group: 'batch', version: 'v1', kind: 'Job', namespace, name });
export const ARGO = { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application' } as const;
