import { afterAll, beforeAll, expect, test } from 'vitest';
import { applyManifests, defaultApplyOptions, type KubeClient } from '../../src/kube/index.js';
import { parseManifests } from '../../src/engines/yaml/index.js';
import { kubeClient } from './helpers.js';

let client: KubeClient;
beforeAll(async () => (client = await kubeClient()));
afterAll(() => client.close());

test('discovery maps built-in kinds to resources and scope', async () => {
  expect(await client.discovery.find('apps/v1', 'Deployment')).toMatchObject({ resource: 'deployments', namespaced: true });
  expect(await client.discovery.find('v1', 'Namespace')).toMatchObject({ resource: 'namespaces', namespaced: false });
  expect(await client.discovery.find('v1', 'NoSuchKind')).toBeUndefined();
  expect(await client.discovery.find('nosuch.example.com/v1', 'Thing')).toBeUndefined();
});

test('a kind defined by a CRD created after the first lookup is found without a restart', async () => {
  const group = `late${Math.random().toString(36).slice(2, 7)}.slipway.test`;
  expect(await client.discovery.find(`${group}/v1`, 'Late')).toBeUndefined();
  const crd = parseManifests(
    `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: lates.${group}}
spec:
  group: ${group}
  scope: Cluster
  names: {plural: lates, singular: late, kind: Late}
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
`,
    'crd.yaml',
  );
  await applyManifests(client, crd, defaultApplyOptions());
  // Established is asynchronous; discovery refetches a missing kind at most once a second.
  const deadline = Date.now() + 20_000;
  let found;
  while (!(found = await client.discovery.find(`${group}/v1`, 'Late')) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 300));
  }
  expect(found).toMatchObject({ group, version: 'v1', resource: 'lates', namespaced: false });
  await client.request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/lates.${group}`);
});
