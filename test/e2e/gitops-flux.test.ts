import { expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { serverSideApply } from '../../src/kube/index.js';
import { deployment, kubectl, overlay, ref, timeUntil, useGitops } from './gitops-fixture.js';

// A Flux GitRepository + Kustomization, as written for Flux (v1 APIs), run by `slipway
// controller` against the local control plane with the source on a real Git server (git
// daemon). Intervals are Flux's usual 5m (source) and 10m (kustomization): a commit is not
// seen before them, but at once on demand — the reconcile.fluxcd.io/requestedAt annotation
// `flux reconcile kustomization --with-source` sets.

const suffix = Math.random().toString(36).slice(2, 7);
const NAME = `web-${suffix}`;
const DEST = `e2e-flux-${suffix}`;
const { client, git, get, cleanup } = useGitops(`flux-${suffix}`, ['--namespaces', 'flux-system']);

const replicasOf = async () => ((await get(ref('Deployment', DEST, 'web')))?.spec as { replicas?: number } | undefined)?.replicas;
interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
}
const ksStatus = async () => (await get(ref('Kustomization', 'flux-system', NAME)))?.status as
  | { conditions?: Condition[]; lastAppliedRevision?: string; inventory?: { entries?: { id: string; v: string }[] }; lastHandledReconcileAt?: string }
  | undefined;
const ready = (s: Awaited<ReturnType<typeof ksStatus>>) => s?.conditions?.find((c) => c.type === 'Ready');
const figures: string[] = [];

/** What `flux reconcile kustomization NAME --with-source` does: annotate both objects. */
function reconcileNow(): string {
  const at = new Date().toISOString();
  kubectl(['annotate', '--overwrite', '-n', 'flux-system', `gitrepository.source.toolkit.fluxcd.io/${NAME}`, `reconcile.fluxcd.io/requestedAt=${at}`]);
  kubectl(['annotate', '--overwrite', '-n', 'flux-system', `kustomization.kustomize.toolkit.fluxcd.io/${NAME}`, `reconcile.fluxcd.io/requestedAt=${at}`]);
  return at;
}

test('a GitRepository and a Kustomization (prune, targetNamespace) are applied, and Ready with the revision', async () => {
  for (const name of ['flux-system', DEST]) {
    await serverSideApply(client(), { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { fieldManager: 'slipway-e2e' });
  }
  cleanup(ref('Namespace', '', DEST));
  cleanup(ref('GitRepository', 'flux-system', NAME));
  cleanup(ref('Kustomization', 'flux-system', NAME));
  const repo: KubeObject = {
    apiVersion: 'source.toolkit.fluxcd.io/v1',
    kind: 'GitRepository',
    metadata: { name: NAME, namespace: 'flux-system' },
    spec: { interval: '5m', url: git().httpUrl, ref: { branch: 'main' } },
  };
  const ks: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: NAME, namespace: 'flux-system' },
    spec: {
      interval: '10m',
      path: './k8s/overlays/production',
      prune: true,
      wait: true,
      timeout: '2m',
      targetNamespace: DEST,
      sourceRef: { kind: 'GitRepository', name: NAME },
    },
  };
  await serverSideApply(client(), repo, { fieldManager: 'slipway-e2e' });
  await serverSideApply(client(), ks, { fieldManager: 'slipway-e2e' });
  const ms = await timeUntil(async () => (await replicasOf()) === 2, 60_000, 'the Deployment from the overlay');
  figures.push(`first apply ${ms} ms`);
  await timeUntil(async () => ready(await ksStatus())?.status === 'True', 60_000, 'Ready=True');
  const s = await ksStatus();
  expect(s?.lastAppliedRevision).toMatch(/^main@sha1:[0-9a-f]{40}$/);
  expect(ready(s)?.reason).toBe('ReconciliationSucceeded');
  const ids = (s?.inventory?.entries ?? []).map((e) => e.id).sort();
  expect(ids).toEqual([`${DEST}_web-extra__ConfigMap`, `${DEST}_web-settings__ConfigMap`, `${DEST}_web__Service`, `${DEST}_web_apps_Deployment`].sort());
});

test('the intervals are honoured: a new commit waits, and is applied at once on demand', async () => {
  const sha = git().commit({ 'k8s/overlays/production/kustomization.yaml': overlay(3) }, 'scale to 3');
  await new Promise((r) => setTimeout(r, 8_000));
  expect(await replicasOf()).toBe(2);
  const at = reconcileNow();
  const ms = await timeUntil(async () => (await replicasOf()) === 3, 20_000, 'replicas 3 on demand');
  figures.push(`on demand ${ms} ms`);
  await timeUntil(async () => {
    const s = await ksStatus();
    return s?.lastAppliedRevision === `main@sha1:${sha}` && s.lastHandledReconcileAt === at;
  }, 20_000, 'lastAppliedRevision and lastHandledReconcileAt');
});

test('kubectl scale and delete by hand are corrected from watch events', async () => {
  kubectl(['scale', 'deployment/web', '-n', DEST, '--replicas=9']);
  const heal = await timeUntil(async () => (await replicasOf()) === 3, 10_000, 'replicas back to 3');
  kubectl(['delete', 'service/web', '-n', DEST, '--wait=false']);
  const recreate = await timeUntil(async () => {
    const svc = await get(ref('Service', DEST, 'web'));
    return svc && !svc.metadata.deletionTimestamp;
  }, 10_000, 'service recreated');
  figures.push(`heal scale ${heal} ms, heal delete ${recreate} ms`);
  expect(heal).toBeLessThan(5_000);
  expect(recreate).toBeLessThan(5_000);
});

test('a file removed from Git is pruned; a bad commit keeps the last good state and says why', async () => {
  const pruned = git().commit({ 'k8s/overlays/production/extra.yaml': null, 'k8s/overlays/production/kustomization.yaml': overlay(3, []) }, 'drop extra');
  reconcileNow();
  await timeUntil(async () => !(await get(ref('ConfigMap', DEST, 'web-extra'))), 20_000, 'web-extra pruned');
  const good = `main@sha1:${pruned}`;
  await timeUntil(async () => (await ksStatus())?.lastAppliedRevision === good, 20_000, `lastAppliedRevision ${good}`);

  git().commit({ 'k8s/base/deployment.yaml': deployment().replace('replicas: 1', 'replicas: [1') }, 'broken yaml');
  reconcileNow();
  await timeUntil(async () => {
    const r = ready(await ksStatus());
    return r?.status === 'False' && r.message.includes('deployment.yaml');
  }, 20_000, 'Ready=False naming deployment.yaml');
  const s = await ksStatus();
  expect(ready(s)?.reason).toBe('BuildFailed');
  expect(s?.lastAppliedRevision).toBe(good);
  expect(await replicasOf()).toBe(3);
  expect(await get(ref('ConfigMap', DEST, 'web-settings'))).toBeDefined();
  console.log(`e2e flux: ${figures.join('; ')}`);
});
