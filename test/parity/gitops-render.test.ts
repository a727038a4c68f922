import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { parseYamlStream } from '../../src/engines/yaml/index.js';
import { renderSource, type RenderSpec } from '../../src/gitops/sources/index.js';
import { toolchainBin } from './oracle.js';

// gitops/sources renderSource against the real tools, for the cases where a source's options
// map onto their flags: Argo CD's helm options are `helm template` flags (releaseName →
// the release name, valueFiles → -f in order, values/valuesObject → one more -f, parameters →
// --set/--set-string, namespace → --namespace, --include-crds); Argo's kustomize overrides are
// `kustomize edit` rewrites of the kustomization file, so the oracle builds a copy whose
// kustomization was edited by hand to what `kustomize edit` writes. A case passes when the
// documents are the same (parsed YAML deep-equal, same order).

const temp = mkdtempSync(join(tmpdir(), 'slipway-gitops-parity-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));

let n = 0;
function tree(files: Record<string, string>): string {
  const dir = join(temp, `case-${++n}`);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
  return dir;
}

function tool(name: string, args: string[]): string {
  const bin = toolchainBin();
  const r = spawnSync(join(bin, name), args, { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}`, HELM_DEBUG: '' } });
  if (r.status !== 0) throw new Error(`${name} ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

function docs(stream: string): unknown[] {
  return parseYamlStream(stream, '<stream>')
    .map((d) => d.value)
    .filter((v) => v !== null && v !== undefined);
}

const results: { name: string; same: boolean }[] = [];

function check(name: string, theirs: string, dir: string, spec: RenderSpec): void {
  const ours = renderSource(dir, spec).manifests.map((m) => m.object);
  const expected = docs(theirs);
  const same = isDeepStrictEqual(JSON.parse(JSON.stringify(ours)), expected);
  results.push({ name, same });
  expect(JSON.parse(JSON.stringify(ours)), name).toEqual(expected);
}

const CHART = {
  'Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.2.3\n',
  'values.yaml': 'replicas: 1\nimage:\n  repository: nginx\n  tag: "1.25"\nlabels: {}\nflags: []\n',
  'values-prod.yaml': 'replicas: 3\nlabels:\n  tier: prod\n',
  'env/a.yaml': 'labels:\n  a: "1"\n',
  'env/b.yaml': 'labels:\n  b: "2"\n',
  'crds/thing.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\nspec:\n  group: example.com\n  names: {kind: Thing, plural: things}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n',
  'templates/deployment.yaml': `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  namespace: {{ .Release.Namespace }}
  labels:
    {{- range $k, $v := .Values.labels }}
    {{ $k }}: {{ $v | quote }}
    {{- end }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
          args: {{ .Values.flags | toJson }}
`,
  'templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}-web\nspec:\n  ports: [{port: 80}]\n',
  'templates/hook.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: {{ .Release.Name }}-migrate\n  annotations:\n    helm.sh/hook: pre-install,pre-upgrade\n    helm.sh/hook-weight: "-1"\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers: [{name: m, image: busybox}]\n',
  'templates/tests/test.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}-test\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers: [{name: t, image: busybox}]\n',
};

test('helm: defaults (release-name, namespace default, CRDs included)', () => {
  const dir = tree(CHART);
  check('helm defaults', tool('helm', ['template', 'release-name', dir, '--include-crds']), dir, { path: '.' });
});

test('helm: releaseName, namespace, valueFiles, values, parameters', () => {
  const dir = tree(CHART);
  const inline = join(temp, `inline-${n}.yaml`);
  writeFileSync(inline, 'image:\n  tag: "1.27"\n');
  const theirs = tool('helm', [
    'template', 'shop', dir, '--include-crds', '--namespace', 'prod',
    '-f', join(dir, 'values-prod.yaml'), '-f', join(dir, 'env/a.yaml'), '-f', inline,
    '--set', 'replicas=5', '--set', 'flags={--a,--b}', '--set-string', 'labels.version=0010',
  ]);
  check('helm options', theirs, dir, {
    path: '.',
    helm: {
      releaseName: 'shop',
      namespace: 'prod',
      valueFiles: ['values-prod.yaml', 'env/a.yaml'],
      values: 'image:\n  tag: "1.27"\n',
      parameters: [
        { name: 'replicas', value: '5' },
        { name: 'flags', value: '{--a,--b}' },
        { name: 'labels.version', value: '0010', forceString: true },
      ],
    },
  });
});

test('helm: valuesObject and a values file glob (env/*.yaml is env/a.yaml, env/b.yaml)', () => {
  const dir = tree(CHART);
  const inline = join(temp, `inline-${n}.json`);
  writeFileSync(inline, JSON.stringify({ labels: { from: 'object' }, replicas: 2 }));
  const theirs = tool('helm', ['template', 'obj', dir, '--include-crds', '-f', join(dir, 'env/a.yaml'), '-f', join(dir, 'env/b.yaml'), '-f', inline]);
  check('helm valuesObject + glob', theirs, dir, { path: '.', helm: { releaseName: 'obj', valueFiles: ['env/*.yaml'], valuesObject: { labels: { from: 'object' }, replicas: 2 } } });
});

test('helm: skipCrds', () => {
  const dir = tree(CHART);
  check('helm skipCrds', tool('helm', ['template', 'release-name', dir]), dir, { path: '.', helm: { skipCrds: true } });
});

const KUSTOMIZE = {
  'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
  'base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.25\n',
  'base/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector: {app: web}\n  ports: [{port: 80}]\n',
  'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\nnamePrefix: prod-\ncommonLabels:\n  env: prod\nimages:\n  - name: nginx\n    newName: mirror/nginx\n',
};

test('kustomize: an overlay as it is', () => {
  const dir = tree(KUSTOMIZE);
  check('kustomize overlay', tool('kubectl', ['kustomize', join(dir, 'overlays/prod')]), dir, { path: 'overlays/prod' });
});

test('kustomize: Argo overrides (namePrefix, namespace, images, replicas, commonLabels) against the edited file', () => {
  const dir = tree(KUSTOMIZE);
  const edited = join(temp, `edited-${n}`);
  cpSync(dir, edited, { recursive: true });
  // what `kustomize edit set nameprefix argo- / set namespace shop / set image nginx:1.27 /
  // set replicas web=4 / add label team:a` leave in the file
  writeFileSync(
    join(edited, 'overlays/prod/kustomization.yaml'),
    'resources:\n  - ../../base\nnamePrefix: argo-\nnamespace: shop\ncommonLabels:\n  env: prod\n  team: a\nimages:\n  - name: nginx\n    newName: mirror/nginx\n    newTag: "1.27"\nreplicas:\n  - name: web\n    count: 4\n',
  );
  check('kustomize overrides', tool('kubectl', ['kustomize', join(edited, 'overlays/prod')]), dir, {
    path: 'overlays/prod',
    kustomize: { namePrefix: 'argo-', namespace: 'shop', images: ['nginx:1.27'], replicas: [{ name: 'web', count: 4 }], commonLabels: { team: 'a' } },
  });
});

test('kustomize: labelWithoutSelector with labelIncludeTemplates, against the edited file', () => {
  const dir = tree(KUSTOMIZE);
  const edited = join(temp, `edited-${n}`);
  cpSync(dir, edited, { recursive: true });
  // `kustomize edit add label team:a --without-selector --include-templates`
  writeFileSync(
    join(edited, 'overlays/prod/kustomization.yaml'),
    'resources:\n  - ../../base\nnamePrefix: prod-\ncommonLabels:\n  env: prod\nimages:\n  - name: nginx\n    newName: mirror/nginx\nlabels:\n  - pairs:\n      team: a\n    includeTemplates: true\n',
  );
  check('kustomize labels without selector', tool('kubectl', ['kustomize', join(edited, 'overlays/prod')]), dir, {
    path: 'overlays/prod',
    kustomize: { commonLabels: { team: 'a' }, labelWithoutSelector: true, labelIncludeTemplates: true },
  });
});

test('kustomize: helmCharts with enableHelm (kubectl kustomize --enable-helm with the toolchain helm)', () => {
  const dir = tree({
    'app/kustomization.yaml': 'helmCharts:\n  - name: shop\n    releaseName: rel\n    namespace: web\n    includeCRDs: true\n    valuesInline:\n      replicas: 2\n    additionalValuesFiles:\n      - values-extra.yaml\nresources:\n  - cm.yaml\nnamePrefix: k-\n',
    'app/values-extra.yaml': 'labels:\n  extra: "yes"\n',
    'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n',
    ...Object.fromEntries(Object.entries(CHART).map(([k, v]) => [`app/charts/shop/${k}`, v])),
  });
  check('kustomize helmCharts', tool('kubectl', ['kustomize', '--enable-helm', join(dir, 'app')]), dir, { path: 'app', kustomize: { enableHelm: true } });
});

test('summary', () => {
  const same = results.filter((r) => r.same).length;
  console.log(`gitops render parity: ${same}/${results.length} identical`);
  for (const r of results.filter((x) => !x.same)) console.log(`  different: ${r.name}`);
  expect(results.length).toBe(8);
});
