import { expect, test } from 'vitest';
import { WEBHOOK_SECRET, deployment, kubectl, overlay, ref, timeUntil, useGitops } from './gitops-fixture.js';

// An Argo CD Application, as written for Argo CD, run by `slipway controller` (its own
// process) against the local control plane, with its source on a real Git server
// (git daemon on loopback): path k8s/overlays/production over base + overlays; automated
// prune + selfHeal + CreateNamespace. Argo's app-resync is long here (10m), so anything that
// happens within seconds was done by the webhook or the watch, not by the interval; the last
// test restarts the controller with a 5 s resync to see the interval at work.

const suffix = Math.random().toString(36).slice(2, 7);
const APP = `web-${suffix}`;
const DEST = `e2e-argo-${suffix}`;
const { git, controller, restartController, get, createArgoApp } = useGitops(`web-${suffix}`, ['--app-resync', '10m', '--namespaces', 'argocd']);

const replicasOf = async () => ((await get(ref('Deployment', DEST, 'web')))?.spec as { replicas?: number } | undefined)?.replicas;
const appStatus = async () => (await get(ref('Application', 'argocd', APP)))?.status as
  | { sync?: { status?: string; revision?: string }; health?: { status?: string }; conditions?: { type: string; message: string }[]; operationState?: { phase?: string; message?: string } }
  | undefined;
const figures: string[] = [];

test('an automated Application over a kustomize overlay is synced into a namespace it creates', async () => {
  await createArgoApp(APP, DEST);
  const synced = await timeUntil(async () => (await replicasOf()) === 2, 60_000, 'the Deployment from the overlay');
  figures.push(`first sync ${synced} ms`);
  expect(await get(ref('Namespace', '', DEST))).toBeDefined();
  expect((await get(ref('ConfigMap', DEST, 'web-extra')))?.data).toEqual({ tier: 'gold' });
  expect((await get(ref('Service', DEST, 'web')))?.metadata.labels).toMatchObject({ env: 'production' });
  await timeUntil(async () => {
    const s = await appStatus();
    return s?.sync?.status === 'Synced' && s.health?.status === 'Healthy';
  }, 60_000, 'the Application to be Synced and Healthy');
});

test('a commit announced by a signed GitHub webhook is applied within seconds; a bad signature is refused', async () => {
  const sha = git().commit({ 'k8s/overlays/production/kustomization.yaml': overlay(3) }, 'scale to 3');
  const bad = await fetch(`${controller().baseUrl}/api/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' },
    body: JSON.stringify({ ref: 'refs/heads/main', repository: { clone_url: git().url } }),
  });
  expect(bad.status).toBe(401);
  const t = Date.now();
  const res = await controller().githubPush(git().url, WEBHOOK_SECRET, sha);
  expect(res.status).toBe(200);
  expect(res.body).toContain(APP);
  await timeUntil(async () => (await replicasOf()) === 3, 20_000, 'replicas 3 from the pushed commit');
  figures.push(`webhook to applied ${Date.now() - t} ms`);
  await timeUntil(async () => (await appStatus())?.sync?.revision === sha, 20_000, `status.sync.revision ${sha}`);
});

test('kubectl scale and kubectl delete by hand are undone within seconds (self-heal from watch events)', async () => {
  kubectl(['scale', 'deployment/web', '-n', DEST, '--replicas=7']);
  const heal = await timeUntil(async () => (await replicasOf()) === 3, 10_000, 'replicas back to 3');
  kubectl(['delete', 'configmap/web-settings', '-n', DEST, '--wait=false']);
  const recreate = await timeUntil(async () => {
    const cm = await get(ref('ConfigMap', DEST, 'web-settings'));
    return cm && !cm.metadata.deletionTimestamp;
  }, 10_000, 'web-settings recreated');
  figures.push(`heal scale ${heal} ms, heal delete ${recreate} ms`);
  expect(heal).toBeLessThan(5_000);
  expect(recreate).toBeLessThan(5_000);
});

test('a file removed from Git is pruned', async () => {
  const sha = git().commit({ 'k8s/overlays/production/extra.yaml': null, 'k8s/overlays/production/kustomization.yaml': overlay(3, []) }, 'drop extra');
  await controller().githubPush(git().url, WEBHOOK_SECRET, sha);
  await timeUntil(async () => !(await get(ref('ConfigMap', DEST, 'web-extra'))), 20_000, 'web-extra pruned');
  expect(await get(ref('ConfigMap', DEST, 'web-settings'))).toBeDefined();
});

test('a bad commit (invalid YAML) leaves the last good state running and the status says why', async () => {
  const good = (await appStatus())?.sync?.revision;
  const sha = git().commit({ 'k8s/base/deployment.yaml': deployment().replace('replicas: 1', 'replicas: [1') }, 'broken yaml');
  await controller().githubPush(git().url, WEBHOOK_SECRET, sha);
  await timeUntil(async () => {
    const s = await appStatus();
    return s?.conditions?.some((c) => c.type === 'ComparisonError' && c.message.includes('deployment.yaml'));
  }, 20_000, 'a ComparisonError naming deployment.yaml');
  const s = await appStatus();
  expect(s?.conditions?.find((c) => c.type === 'ComparisonError')?.message).toMatch(/line 7\b.*deployment\.yaml|deployment\.yaml:7\b/);
  expect(s?.sync?.revision === good || s?.sync?.status === 'Unknown').toBe(true);
  expect(await replicasOf()).toBe(3);
  expect(await get(ref('Service', DEST, 'web'))).toBeDefined();

  const fixed = git().commit({ 'k8s/base/deployment.yaml': deployment('nginx:1.28') }, 'fix yaml, new image');
  await controller().githubPush(git().url, WEBHOOK_SECRET, fixed);
  await timeUntil(async () => {
    const d = await get(ref('Deployment', DEST, 'web'));
    return (d?.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec.containers[0]!.image === 'nginx:1.28';
  }, 20_000, 'the fixed commit applied');
  await timeUntil(async () => {
    const s2 = await appStatus();
    return s2?.sync?.revision === fixed && !s2.conditions?.some((c) => c.type === 'ComparisonError');
  }, 20_000, 'the error condition cleared');
});

test('without a webhook, a commit is applied at the next resync interval', async () => {
  await restartController(['--app-resync', '5s', '--namespaces', 'argocd']);
  const sha = git().commit({ 'k8s/overlays/production/kustomization.yaml': overlay(4, []) }, 'scale to 4');
  const ms = await timeUntil(async () => (await replicasOf()) === 4, 30_000, 'replicas 4 by interval');
  figures.push(`interval (5s resync) commit to applied ${ms} ms`);
  await timeUntil(async () => (await appStatus())?.sync?.revision === sha, 20_000, `status.sync.revision ${sha}`);
  console.log(`e2e argocd: ${figures.join('; ')}`);
});
