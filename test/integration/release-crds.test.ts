import { afterAll, expect, test } from 'vitest';
import { deleteObject, getObject } from '../../src/kube/index.js';
import { slipway, useNamespace } from './helpers.js';

// crds/ as helm treats it: created before anything else on install (then the chart's custom
// resources can be applied in the same run), never changed by an upgrade, never deleted.

const { client, ns, tree } = useNamespace();
const group = `t${Math.random().toString(36).slice(2, 8)}.slipway.test`;
const crdRef = { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', namespace: '', name: `widgets.${group}` };

const crd = (extraField: string) => `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.${group}}
spec:
  group: ${group}
  names: {kind: Widget, plural: widgets, singular: widget}
  scope: Namespaced
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
                size: {type: string}
                ${extraField}: {type: string}
`;
const chart = (extraField: string) => ({
  'w/Chart.yaml': 'apiVersion: v2\nname: w\nversion: 1.0.0\n',
  'w/crds/widget.yaml': crd(extraField),
  'w/templates/widget.yaml': `apiVersion: ${group}/v1\nkind: Widget\nmetadata: {name: {{ .Release.Name }}}\nspec: {size: {{ .Values.size | default "m" | quote }}}\n`,
});

afterAll(async () => {
  await deleteObject(client(), crdRef).catch(() => undefined);
});

const fieldsOf = async () =>
  Object.keys(
    ((await getObject(client(), crdRef))?.spec as { versions: { schema: { openAPIV3Schema: { properties: { spec: { properties: object } } } } }[] })
      .versions[0]!.schema.openAPIV3Schema.properties.spec.properties,
  ).sort();

test('crds/ is installed first on install, left alone by upgrade and uninstall', async () => {
  const first = tree(chart('color'));
  const r = await slipway(['install', 'w', `${first}/w`, '-n', ns()]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(await fieldsOf()).toEqual(['color', 'size']);
  const widget = { group, version: 'v1', kind: 'Widget', namespace: ns(), name: 'w' };
  expect(((await getObject(client(), widget))?.spec as { size: string }).size).toBe('m');

  const second = tree(chart('shape'));
  expect((await slipway(['upgrade', 'w', `${second}/w`, '-n', ns(), '--set', 'size=l'])).code).toBe(0);
  expect(await fieldsOf()).toEqual(['color', 'size']); // helm does not upgrade CRDs
  expect(((await getObject(client(), widget))?.spec as { size: string }).size).toBe('l');

  expect((await slipway(['uninstall', 'w', '-n', ns()])).code).toBe(0);
  expect(await getObject(client(), widget)).toBeUndefined();
  expect(await getObject(client(), crdRef)).toBeDefined();

  // an existing CRD is left as it is by a second install
  expect((await slipway(['install', 'w2', `${second}/w`, '-n', ns()])).code).toBe(0);
  expect(await fieldsOf()).toEqual(['color', 'size']);
});
