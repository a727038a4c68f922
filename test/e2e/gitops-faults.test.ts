import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { WEBHOOK_SECRET, kubectl, overlay, ref, timeUntil, useGitops } from './gitops-fixture.js';

// The controller keeps going through what breaks around it: an unreachable Git server (the
// status says why; the controller retries and catches up by itself once Git is back) and an
// apiserver restart (its watches reconnect; drift is healed and commits applied afterwards).

const cluster = (...args: string[]) => execFileSync(resolve('scripts/cluster'), args, { stdio: 'pipe', env: process.env });
const suffix = Math.random().toString(36).slice(2, 7);
const APP = `faults-${suffix}`;
const DEST = `e2e-faults-${suffix}`;
const { git, controller, get, createArgoApp } = useGitops(`faults-${suffix}`, ['--app-resync', '10m', '--namespaces', 'argocd']);
// Our own client's kept-alive connections break with the apiserver too: a failed read is "not yet".
const replicasOf = async () => ((await get(ref('Deployment', DEST, 'web')).catch(() => undefined))?.spec as { replicas?: number } | undefined)?.replicas;
const appStatus = async () => (await get(ref('Application', 'argocd', APP)))?.status as
  | { sync?: { status?: string; revision?: string }; conditions?: { type: string; message: string }[] }
  | undefined;
const figures: string[] = [];

afterAll(() => {
  // Whatever happened, leave the apiserver running for the suites after this one.
  try {
    cluster('start-apiserver');
  } catch {
    // already running
  }
});

test('setup: an automated Application is synced', async () => {
  await createArgoApp(APP, DEST);
  await timeUntil(async () => (await replicasOf()) === 2, 60_000, 'the first sync');
});

test('an unreachable Git server: the status says why, the live state stays, and the controller catches up by itself', async () => {
  await git().pause();
  const sha = git().commit({ 'k8s/overlays/production/kustomization.yaml': overlay(3) }, 'scale to 3 while the server is down');
  const res = await controller().githubPush(git().url, WEBHOOK_SECRET, sha);
  expect(res.status).toBe(200);
  await timeUntil(async () => (await appStatus())?.conditions?.some((c) => c.type === 'ComparisonError' && c.message.includes(git().url)), 30_000, 'a ComparisonError naming the Git URL');
  expect(await replicasOf()).toBe(2);
  const down = Date.now();
  await git().resume();
  // No webhook now: the controller's own retries must find the server again.
  await timeUntil(async () => (await replicasOf()) === 3, 60_000, 'the commit applied after Git came back');
  figures.push(`git back → applied ${Date.now() - down} ms (retry with backoff)`);
  await timeUntil(async () => {
    const s = await appStatus();
    return s?.sync?.revision === sha && !s.conditions?.some((c) => c.type === 'ComparisonError');
  }, 30_000, 'the error condition cleared');
});

test.skipIf(!!process.env.SLIPWAY_TEST_KUBECONFIG)('an apiserver restart: watches reconnect, drift is healed and pushes applied afterwards', async () => {
  cluster('restart-apiserver');
  const back = Date.now();
  kubectl(['scale', 'deployment/web', '-n', DEST, '--replicas=8']);
  const heal = await timeUntil(async () => (await replicasOf()) === 3, 30_000, 'replicas healed back to 3 after the restart');
  figures.push(`heal after restart ${heal} ms (restart done ${Date.now() - back - heal} ms before the edit)`);
  const sha = git().commit({ 'k8s/overlays/production/kustomization.yaml': overlay(4) }, 'scale to 4 after the restart');
  await controller().githubPush(git().url, WEBHOOK_SECRET, sha);
  await timeUntil(async () => (await replicasOf()) === 4, 30_000, 'replicas 4 after the restart');
  expect((await fetch(`${controller().baseUrl}/readyz`)).status).toBe(200);
  console.log(`e2e gitops faults: ${figures.join('; ')}`);
});
