import { expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import { comparableObject, getObject, mergePatch, refOf, serverSideApply, stableJson, unchangedByApply } from '../../src/kube/index.js';
import { useNamespace } from './helpers.js';

// unchangedByApply lets a comparison skip the server-side dry run when the live object alone
// proves an apply would change nothing. It must never say "unchanged" when the server would
// change something: each case below asks the real server (a dry-run apply) and checks both.

const { client, ns } = useNamespace();
const MANAGER = 'slipway';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test fixtures patched freely
type Loose = Record<string, any>;

const deployment = (patch: (d: Loose) => void = () => {}): KubeObject => {
  const d: Loose = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: ns(), labels: { app: 'web', tier: 'front' }, annotations: { owner: 'team-a' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            { name: 'web', image: 'nginx:1.27', args: ['-g', 'daemon off;'], ports: [{ containerPort: 80 }], resources: { limits: { cpu: '500m', memory: '64Mi' } } },
            { name: 'sidecar', image: 'busybox:1.36', command: ['sleep', 'infinity'] },
          ],
          tolerations: [{ key: 'k', operator: 'Exists' }],
        },
      },
    },
  };
  patch(d);
  return d as KubeObject;
};

/**
 * Both verdicts on one live object: ours from the object, the server's from a dry-run apply
 * (read again until no controller changed the object meanwhile, e.g. the Deployment
 * controller's revision annotation).
 */
async function verdicts(desired: KubeObject): Promise<{ fast: boolean; server: boolean }> {
  for (;;) {
    const live = (await getObject(client(), refOf(desired)))!;
    const predicted = await serverSideApply(client(), desired, { fieldManager: MANAGER, force: true, dryRun: true });
    const after = (await getObject(client(), refOf(desired)))!;
    if (after.metadata.resourceVersion !== live.metadata.resourceVersion) continue;
    return { fast: unchangedByApply(desired, live, MANAGER), server: stableJson(comparableObject(predicted)) === stableJson(comparableObject(live)) };
  }
}

test('the object as last applied: unchanged without asking; and the server agrees', async () => {
  await serverSideApply(client(), deployment(), { fieldManager: MANAGER, force: true });
  expect(await verdicts(deployment())).toEqual({ fast: true, server: true });
});

test('changes the server would make are never called unchanged', async () => {
  await serverSideApply(client(), deployment(), { fieldManager: MANAGER, force: true });
  const cases: [string, KubeObject][] = [
    ['a value changed', deployment((d) => (d.spec.replicas = 3))],
    ['a label removed', deployment((d) => delete d.metadata.labels.tier)],
    ['an annotation added', deployment((d) => (d.metadata.annotations.extra = 'x'))],
    ['a container removed', deployment((d) => d.spec.template.spec.containers.pop())],
    ['an arg changed (atomic list)', deployment((d) => (d.spec.template.spec.containers[0].args = ['-g']))],
    ['a toleration removed (atomic list)', deployment((d) => (d.spec.template.spec.tolerations = []))],
  ];
  for (const [what, desired] of cases) {
    expect(await verdicts(desired), what).toEqual({ fast: false, server: false });
  }
});

test('equal content the object alone cannot prove is left to the server', async () => {
  await serverSideApply(client(), deployment(), { fieldManager: MANAGER, force: true });
  // "0.5" is "500m" to the server; containers in another order are the same map-list.
  const cpu = deployment((d) => (d.spec.template.spec.containers[0].resources.limits.cpu = '0.5'));
  expect(await verdicts(cpu)).toEqual({ fast: false, server: true });
  const reordered = deployment((d) => d.spec.template.spec.containers.reverse());
  const r = await verdicts(reordered);
  expect(r.fast).toBe(false);

  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: ns() }, stringData: { token: 't' } } as KubeObject;
  await serverSideApply(client(), secret, { fieldManager: MANAGER, force: true });
  expect((await verdicts(secret)).fast).toBe(false);
});

test('a field another manager changed is drift, and one it took over is not proven', async () => {
  await serverSideApply(client(), deployment(), { fieldManager: MANAGER, force: true });
  await mergePatch(client(), refOf(deployment()), { spec: { replicas: 5 } });
  expect(await verdicts(deployment())).toEqual({ fast: false, server: false });
  await serverSideApply(client(), deployment(), { fieldManager: MANAGER, force: true });
  // Another applier sets the same value: shared ownership, nothing would change.
  await serverSideApply(client(), { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns(), labels: { tier: 'front' } } } as KubeObject, { fieldManager: 'other', force: true });
  const v = await verdicts(deployment());
  expect(v.server).toBe(true);
  expect(v.fast).toBe(true);
});
