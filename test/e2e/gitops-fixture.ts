import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { deleteObject, getObject, serverSideApply, type KubeClient, type ObjectRef } from '../../src/kube/index.js';
import { toolchainBin } from '../parity/oracle.js';
import { installGitopsCrds } from '../integration/gitops-helpers.js';
import { eventually, kubeClient, kubeconfig } from '../integration/helpers.js';
import { ControllerProcess } from './controller-process.js';
import { GitServer } from './git-server.js';

/** A deployment whose replica count the overlay patches; the base as a platform team writes it. */
export const deployment = (image = 'nginx:1.27') => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: ${image}
        ports: [{containerPort: 80}]
`;

export const overlay = (replicas: number, extra: string[] = ['extra.yaml']) => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../base
${extra.map((f) => `- ${f}`).join('\n')}
labels:
- pairs: {env: production}
patches:
- target: {kind: Deployment, name: web}
  patch: |-
    - op: replace
      path: /spec/replicas
      value: ${replicas}
`;

/** base + overlays per environment, as in the issue: the app points at k8s/overlays/production. */
export const REPO_FILES: Record<string, string> = {
  'README.md': '# web\n',
  'k8s/base/kustomization.yaml': 'resources:\n- deployment.yaml\n- service.yaml\n- configmap.yaml\n',
  'k8s/base/deployment.yaml': deployment(),
  'k8s/base/service.yaml': `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
`,
  'k8s/base/configmap.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-settings}\ndata: {greeting: hello}\n',
  'k8s/overlays/staging/kustomization.yaml': 'resources:\n- ../../base\nnamePrefix: staging-\n',
  'k8s/overlays/production/kustomization.yaml': overlay(2),
  'k8s/overlays/production/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web-extra}\ndata: {tier: gold}\n',
};

export const WEBHOOK_SECRET = 'e2e-webhook-secret';

export const ref = (kind: string, namespace: string, name: string): ObjectRef => {
  const known: Record<string, [string, string]> = {
    Deployment: ['apps', 'v1'],
    ConfigMap: ['', 'v1'],
    Service: ['', 'v1'],
    Namespace: ['', 'v1'],
    Application: ['argoproj.io', 'v1alpha1'],
    Kustomization: ['kustomize.toolkit.fluxcd.io', 'v1'],
    GitRepository: ['source.toolkit.fluxcd.io', 'v1'],
  };
  const [group, version] = known[kind]!;
  return { group, version, kind, namespace, name };
};

/** kubectl of the toolchain, as a person at a terminal would run it. */
export function kubectl(args: string[]): string {
  return execFileSync(join(toolchainBin(), 'kubectl'), ['--kubeconfig', kubeconfig(), ...args], { encoding: 'utf8' });
}

/** Milliseconds until `fn` holds (polled every 200 ms), or a timeout error naming `what`. */
export async function timeUntil(fn: () => Promise<unknown>, timeoutMs: number, what: string): Promise<number> {
  const t = Date.now();
  await eventually(async () => !!(await fn()), timeoutMs, what);
  return Date.now() - t;
}

export interface GitopsSuite {
  client: () => KubeClient;
  git: () => GitServer;
  controller: () => ControllerProcess;
  /** Starts (again) the controller with extra flags, stopping the running one. */
  restartController: (args: string[]) => Promise<void>;
  get: (r: ObjectRef) => Promise<KubeObject | undefined>;
  /**
   * Creates (in namespace argocd) an automated Argo CD Application — prune, selfHeal,
   * CreateNamespace — of k8s/overlays/production on `main`, into namespace `dest`; both are
   * deleted after the suite.
   */
  createArgoApp: (name: string, dest: string) => Promise<void>;
  /** Objects to delete after the suite. */
  cleanup: (r: ObjectRef) => void;
}

/** The setup of an e2e suite: the CRDs, a Git server with REPO_FILES, and a running controller. */
export function useGitops(repo: string, controllerArgs: string[]): GitopsSuite {
  let client: KubeClient | undefined;
  let git: GitServer | undefined;
  let controller: ControllerProcess | undefined;
  const cacheDir = mkdtempSync(join(tmpdir(), 'slipway-e2e-cache-'));
  const toDelete: ObjectRef[] = [];
  beforeAll(async () => {
    client = await kubeClient();
    await installGitopsCrds(client, 'slipway-e2e');
    git = await GitServer.start(repo, REPO_FILES);
    controller = await ControllerProcess.start({ kubeconfig: kubeconfig(), cacheDir, secret: WEBHOOK_SECRET, args: controllerArgs });
  });
  afterEach((ctx) => {
    if (ctx.task.result?.state === 'fail' && controller) console.error(`controller log (last 60 lines):\n${controller.log.slice(-60).join('\n')}`);
  });
  afterAll(async () => {
    const code = await controller?.stop();
    if (code !== 0 && controller) console.error(`controller exited ${code}; its log:\n${controller.log.slice(-80).join('\n')}`);
    git?.stop();
    for (const r of toDelete.reverse()) await deleteObject(client!, r).catch(() => undefined);
    client?.close();
    rmSync(cacheDir, { recursive: true, force: true });
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useGitops: the suite is not set up');
    return v;
  };
  return {
    client: () => ready(client),
    git: () => ready(git),
    controller: () => ready(controller),
    restartController: async (args) => {
      await controller?.stop();
      controller = await ControllerProcess.start({ kubeconfig: kubeconfig(), cacheDir, secret: WEBHOOK_SECRET, args });
    },
    get: (r) => getObject(ready(client), r),
    cleanup: (r) => toDelete.push(r),
    createArgoApp: async (name, dest) => {
      const c = ready(client);
      await serverSideApply(c, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'argocd' } }, { fieldManager: 'slipway-e2e' });
      const app: KubeObject = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name, namespace: 'argocd' },
        spec: {
          project: 'default',
          source: { repoURL: ready(git).url, targetRevision: 'main', path: 'k8s/overlays/production' },
          destination: { server: 'https://kubernetes.default.svc', namespace: dest },
          syncPolicy: { automated: { prune: true, selfHeal: true }, syncOptions: ['CreateNamespace=true'] },
        },
      };
      toDelete.push(ref('Namespace', '', dest), ref('Application', 'argocd', name));
      await serverSideApply(c, app, { fieldManager: 'slipway-e2e' });
    },
  };
}
