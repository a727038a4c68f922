import { describe, expect, test } from 'vitest';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getObject } from '../../src/kube/index.js';
import { slipway, useNamespace } from './helpers.js';

function deployment(name: string, image: string, extra = ''): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
spec:
  replicas: 2
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: app
        image: ${image}
${extra}`;
}

function configMap(name: string, value: string, annotations = ''): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${annotations}data:
  value: "${value}"
`;
}

const { client, ns, tree } = useNamespace();

const deploymentRef = (name: string) => ({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: ns(), name });

describe('apply and wait', () => {
  test('a Deployment is applied and --wait returns once kwok has rolled it out', async () => {
    const dir = tree({ 'web.yaml': deployment('web', 'nginx:1.27') });
    const r = await slipway(['apply', '-f', dir, '-n', ns(), '--wait', '--timeout', '90s']);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('deployment.apps/web created');
    expect(r.stdout).toContain('1 object healthy');
    const live = await getObject(client(), deploymentRef('web'));
    expect(live?.status).toMatchObject({ availableReplicas: 2, updatedReplicas: 2 });
  });

  test('applying the same files again changes nothing', async () => {
    const before = await getObject(client(), deploymentRef('web'));
    const dir = tree({ 'web.yaml': deployment('web', 'nginx:1.27') });
    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('deployment.apps/web unchanged');
    const after = await getObject(client(), deploymentRef('web'));
    expect(after?.metadata.resourceVersion).toBe(before?.metadata.resourceVersion);
  });

  test('diff shows a changed image and exits 1 without changing the cluster; after apply it exits 0', async () => {
    const dir = tree({ 'web.yaml': deployment('web', 'nginx:1.28') });
    const d = await slipway(['diff', '-f', dir, '-n', ns()]);
    expect(d.code).toBe(1);
    expect(d.stdout).toContain(`diff -u -N live/apps.v1.Deployment.${ns()}.web merged/apps.v1.Deployment.${ns()}.web`);
    expect(d.stdout).toMatch(/^- {6}- image: nginx:1\.27$/m);
    expect(d.stdout).toMatch(/^\+ {6}- image: nginx:1\.28$/m);
    expect(d.stdout).not.toContain('managedFields');
    const live = await getObject(client(), deploymentRef('web'));
    expect(JSON.stringify(live)).toContain('nginx:1.27');

    const a = await slipway(['apply', '-f', dir, '-n', ns(), '--wait', '--timeout', '90s']);
    expect(a.code).toBe(0);
    expect(a.stdout).toContain('deployment.apps/web configured');
    const again = await slipway(['diff', '-f', dir, '-n', ns()]);
    expect(again).toMatchObject({ code: 0, stdout: '' });
  });

  test('a Job is applied and --wait returns when it has completed', async () => {
    const dir = tree({
      'job.yaml': `apiVersion: batch/v1
kind: Job
metadata:
  name: migrate
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
      - name: migrate
        image: busybox
        command: ["true"]
`,
    });
    const r = await slipway(['apply', '-f', dir, '-n', ns(), '--wait', '--timeout', '90s']);
    expect(r.code).toBe(0);
    const job = await getObject(client(), { group: 'batch', version: 'v1', kind: 'Job', namespace: ns(), name: 'migrate' });
    const conditions = (job?.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
    expect(conditions).toContainEqual(expect.objectContaining({ type: 'Complete', status: 'True' }));
  });

  test('--wait gives up at the timeout and names each object that is not ready, with its reason', async () => {
    const dir = tree({
      'stuck.yaml': deployment('stuck', 'nginx', '      nodeSelector: {no-such-node: "true"}\n'),
    });
    const r = await slipway(['apply', '-f', dir, '-n', ns(), '--wait', '--timeout', '3s']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('deployment.apps/stuck created');
    expect(r.stderr).toContain('error: timed out after 3s waiting for 1 of 1 objects:');
    expect(r.stderr).toContain(`Deployment/${ns()}/stuck: Progressing`);
  });
});

describe('objects of every scope', () => {
  test('cluster-scoped and namespaced objects apply together; namespaced ones get the -n namespace', async () => {
    const role = `crole-${ns()}`;
    const dir = tree({
      'rbac.yaml': `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: ${role}
rules:
- apiGroups: [""]
  resources: [configmaps]
  verbs: [get]
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: reader
`,
    });
    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`serviceaccount/reader created\nclusterrole.rbac.authorization.k8s.io/${role} created\n`);
    const sa = await getObject(client(), { group: '', version: 'v1', kind: 'ServiceAccount', namespace: ns(), name: 'reader' });
    expect(sa?.metadata.namespace).toBe(ns());
    const cr = await getObject(client(), { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', namespace: '', name: role });
    expect(cr?.metadata.namespace).toBeUndefined();
    await slipway(['apply', '-f', dir, '-n', ns()]); // idempotent
    await client().request('DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterroles/${role}`);
  });

  test('an object naming another namespace than -n is refused before anything changes', async () => {
    const dir = tree({
      'a.yaml': configMap('fine', '1'),
      'b.yaml': configMap('elsewhere', '1').replace('metadata:\n', 'metadata:\n  namespace: kube-system\n'),
    });
    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${join(dir, 'b.yaml')}:1:1: the namespace from the object "kube-system" does not match the namespace "${ns()}" given with -n\n`,
    );
    expect(await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'fine' })).toBeUndefined();
  });

  test('a CRD and custom resources of it apply in one call', async () => {
    const group = `${ns()}.slipway.test`;
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.${group}
spec:
  group: ${group}
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              size: {type: integer}
`;
    const cr = `apiVersion: ${group}/v1
kind: Widget
metadata:
  name: small
spec:
  size: 3
`;
    // The custom resource comes first in the stream; staging must still apply the CRD first.
    const dir = tree({ 'a-widget.yaml': cr, 'b-crd.yaml': crd });
    const dry = await slipway(['apply', '-f', dir, '-n', ns(), '--dry-run=server']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain(`widget.${group}/small created (pending definition) (server dry run)`);

    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`customresourcedefinition.apiextensions.k8s.io/widgets.${group} created\nwidget.${group}/small created\n`);
    const live = await getObject(client(), { group, version: 'v1', kind: 'Widget', namespace: ns(), name: 'small' });
    expect(live?.spec).toEqual({ size: 3 });
    await client().request('DELETE', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.${group}`);
  });
});

describe('prune by inventory', () => {
  test('an object dropped from the files is deleted; one marked to be kept is left alone and forgotten', async () => {
    const dir = tree({
      'a.yaml': configMap('keep-me', '1'),
      'b.yaml': configMap('drop-me', '1'),
      'c.yaml': configMap('protected', '1', '  annotations:\n    helm.sh/resource-policy: keep\n'),
    });
    const first = await slipway(['apply', '-f', dir, '-n', ns(), '--prune', '--inventory', 'prune-test']);
    expect(first.code).toBe(0);
    const inv = await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'prune-test' });
    expect(Object.keys((inv?.data ?? {}) as object).sort()).toEqual(
      [`${ns()}_drop-me__ConfigMap`, `${ns()}_keep-me__ConfigMap`, `${ns()}_protected__ConfigMap`],
    );

    unlinkSync(join(dir, 'b.yaml'));
    unlinkSync(join(dir, 'c.yaml'));
    writeFileSync(join(dir, 'a.yaml'), configMap('keep-me', '2'));
    const second = await slipway(['apply', '-f', dir, '-n', ns(), '--prune', '--inventory', 'prune-test']);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(
      'configmap/keep-me configured\nconfigmap/drop-me pruned\nconfigmap/protected skipped (prune protected by annotation)\n',
    );
    const cm = (name: string) => getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name });
    expect(await cm('drop-me')).toBeUndefined();
    expect(await cm('protected')).toBeDefined();
    expect((await cm('keep-me'))?.data).toEqual({ value: '2' });
    const after = await cm('prune-test');
    expect(Object.keys((after?.data ?? {}) as object)).toEqual([`${ns()}_keep-me__ConfigMap`]);
  });

  test('a dry run reports what would be pruned and deletes nothing', async () => {
    const dir = tree({ 'a.yaml': configMap('one', '1'), 'b.yaml': configMap('two', '1') });
    expect((await slipway(['apply', '-f', dir, '-n', ns(), '--prune', '--inventory', 'dry'])).code).toBe(0);
    unlinkSync(join(dir, 'b.yaml'));
    const r = await slipway(['apply', '-f', dir, '-n', ns(), '--prune', '--inventory', 'dry', '--dry-run']);
    expect(r.stdout).toBe('configmap/one unchanged (server dry run)\nconfigmap/two pruned (server dry run)\n');
    expect(await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'two' })).toBeDefined();
  });

  test('--prune without --inventory is a usage error', async () => {
    const dir = tree({ 'a.yaml': configMap('x', '1') });
    const r = await slipway(['apply', '-f', dir, '--prune']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: --prune needs --inventory NAME, which records what earlier applies created\n');
  });
});

describe('input and output forms', () => {
  test('manifests from stdin, results as a JSON List', async () => {
    const r = await slipway(['apply', '-f', '-', '-n', ns(), '-o', 'json'], { input: configMap('from-stdin', 'x') });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as { kind: string; items: { metadata: { name: string; uid?: string; namespace?: string } }[] };
    expect(list.kind).toBe('List');
    expect(list.items).toHaveLength(1);
    expect(list.items[0]!.metadata).toMatchObject({ name: 'from-stdin', namespace: ns() });
    expect(list.items[0]!.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an unknown output format is a usage error', async () => {
    const dir = tree({ 'a.yaml': configMap('x', '1') });
    const r = await slipway(['apply', '-f', dir, '-o', 'xml']);
    expect(r).toMatchObject({ code: 1, stderr: 'error: unknown output format "xml": use yaml or json\n' });
  });
});

describe('field ownership', () => {
  test('a field owned by another manager is a conflict unless --force-conflicts', async () => {
    const dir = tree({ 'cm.yaml': configMap('owned', 'mine') });
    expect((await slipway(['apply', '-f', dir, '-n', ns()])).code).toBe(0);
    const other = await slipway(['apply', '-f', tree({ 'cm.yaml': configMap('owned', 'theirs') }), '-n', ns(), '--field-manager', 'someone-else']);
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(`ConfigMap/${ns()}/owned:`);
    expect(other.stderr).toContain('conflict');
    const forced = await slipway(['apply', '-f', tree({ 'cm.yaml': configMap('owned', 'theirs') }), '-n', ns(), '--field-manager', 'someone-else', '--force-conflicts']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toBe('configmap/owned configured\n');
  });
});
