import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { SlipwayError, type KubeObject } from '../../../src/core/index.js';
import { SourceRenderError, detectRenderKind, renderSource } from '../../../src/gitops/sources/index.js';
import { DEPLOYMENT, SERVICE, TempTrees, cm, ids, images, pick } from './sources-helpers.js';

// renderSource over real temp trees: how the kind is detected, what a plain directory yields,
// kustomize and helm with Argo CD / Flux overrides, Flux post-build substitution, and the
// errors (each names the file, and the line where there is one).

const trees = new TempTrees();
afterAll(() => trees.cleanup());

/** The error a function throws (fails the test when it does not throw). */
function thrown(fn: () => unknown): SlipwayError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SlipwayError);
    return e as SlipwayError;
  }
  throw new Error('expected an error, got none');
}

const KUSTOMIZATION = 'resources:\n  - cm.yaml\n';
const CHART = 'apiVersion: v2\nname: demo\nversion: 0.1.0\n';
const CHART_TEMPLATE = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-demo\ndata:\n  color: {{ .Values.color | quote }}\n';

describe('detection (as Argo CD discovery.AppType)', () => {
  test.each([
    ['kustomization.yaml', { 'kustomization.yaml': KUSTOMIZATION, 'cm.yaml': cm('a') }, 'kustomize'],
    ['kustomization.yml', { 'kustomization.yml': KUSTOMIZATION, 'cm.yaml': cm('a') }, 'kustomize'],
    ['Kustomization', { Kustomization: KUSTOMIZATION, 'cm.yaml': cm('a') }, 'kustomize'],
    ['Chart.yaml', { 'Chart.yaml': CHART, 'templates/cm.yaml': CHART_TEMPLATE, 'values.yaml': 'color: red\n' }, 'helm'],
    ['Chart.yaml and kustomization.yaml', { 'Chart.yaml': CHART, 'templates/cm.yaml': CHART_TEMPLATE, 'kustomization.yaml': KUSTOMIZATION, 'cm.yaml': cm('a') }, 'kustomize'],
    ['plain YAML', { 'cm.yaml': cm('a') }, 'directory'],
    ['a kustomization only in a sub-directory', { 'cm.yaml': cm('a'), 'sub/kustomization.yaml': KUSTOMIZATION, 'sub/cm.yaml': cm('b') }, 'directory'],
    ['a Chart.yaml only in a sub-directory', { 'cm.yaml': cm('a'), 'sub/Chart.yaml': CHART }, 'directory'],
    ['a directory named kustomization.yaml', { 'cm.yaml': cm('a'), 'kustomization.yaml/x.yaml': cm('x') }, 'directory'],
  ])('%s → %s', (_name, files, kind) => {
    const dir = trees.make(files);
    expect(detectRenderKind(dir, '.')).toBe(kind);
    const result = renderSource(dir, { path: '.' });
    expect(result.kind).toBe(kind);
  });

  test('the detected kind decides what is rendered', () => {
    const dir = trees.make({
      'Chart.yaml': CHART,
      'values.yaml': 'color: red\n',
      'templates/cm.yaml': CHART_TEMPLATE,
    });
    const helm = renderSource(dir, { path: '.' });
    expect(ids(helm.manifests)).toEqual(['ConfigMap/release-name-demo']);
    expect(helm.manifests[0]!.object.data).toEqual({ color: 'red' });
    // Forced to directory, the same tree is read as files: Chart.yaml and values.yaml are not
    // manifests (skipped), the template is not valid YAML and looks like a manifest (an error).
    expect(renderSource(dir, { path: '.', kind: 'directory', directory: { recurse: false } }).manifests).toEqual([]);
  });

  test('the app path selects the sub-directory that is detected', () => {
    const dir = trees.make({
      'apps/k/kustomization.yaml': KUSTOMIZATION,
      'apps/k/cm.yaml': cm('from-kustomize'),
      'apps/d/cm.yaml': cm('from-directory'),
    });
    expect(renderSource(dir, { path: 'apps/k' }).kind).toBe('kustomize');
    expect(ids(renderSource(dir, { path: 'apps/k' }).manifests)).toEqual(['ConfigMap/from-kustomize']);
    expect(renderSource(dir, { path: 'apps/d' }).kind).toBe('directory');
    expect(ids(renderSource(dir, { path: 'apps/d/' }).manifests)).toEqual(['ConfigMap/from-directory']);
  });
});

describe('directory sources', () => {
  const files = {
    'a.yaml': cm('a'),
    'b.yaml': cm('b'),
    'c.yml': cm('c'),
    'd.json': JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' } }),
    'notes.txt': cm('not-yaml-extension'),
    'sub/e.yaml': cm('e'),
    'sub/deeper/f.yaml': cm('f'),
  };

  test('without recurse: the YAML and JSON files of the directory itself, in name order', () => {
    const dir = trees.make(files);
    const r = renderSource(dir, { path: '.' });
    expect(r.kind).toBe('directory');
    expect(ids(r.manifests)).toEqual(['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c', 'ConfigMap/d']);
    expect(r.manifests.map((m) => m.origin.at?.file)).toEqual(['a.yaml', 'b.yaml', 'c.yml', 'd.json']);
  });

  test('with recurse: sub-directories too', () => {
    const dir = trees.make(files);
    expect(ids(renderSource(dir, { path: '.', directory: { recurse: true } }).manifests)).toEqual([
      'ConfigMap/a',
      'ConfigMap/b',
      'ConfigMap/c',
      'ConfigMap/d',
      'ConfigMap/f',
      'ConfigMap/e',
    ]);
  });

  test.each([
    [{ include: '{a.yaml,b.yaml}' }, ['ConfigMap/a', 'ConfigMap/b']],
    [{ include: '*.yaml' }, ['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/f', 'ConfigMap/e']],
    [{ include: '*.json' }, ['ConfigMap/d']],
    [{ exclude: '*.yaml' }, ['ConfigMap/c', 'ConfigMap/d']],
    [{ exclude: 'sub/*' }, ['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c', 'ConfigMap/d']],
    [{ include: 'sub/*' }, ['ConfigMap/f', 'ConfigMap/e']],
    [{ include: '*.yaml', exclude: '{b.yaml,sub/deeper/*}' }, ['ConfigMap/a', 'ConfigMap/e']],
    [{ include: '[ab].yaml' }, ['ConfigMap/a', 'ConfigMap/b']],
    [{ include: '?.y*ml' }, ['ConfigMap/a', 'ConfigMap/b', 'ConfigMap/c']],
    // exclusion wins over inclusion
    [{ include: 'a.yaml', exclude: 'a.yaml' }, []],
  ])('recurse with %j', (opts, expected) => {
    const dir = trees.make(files);
    expect(ids(renderSource(dir, { path: '.', directory: { recurse: true, ...opts } }).manifests)).toEqual(expected);
  });

  test('include/exclude match the path below the app path, not the repository root', () => {
    const dir = trees.make({ 'app/x.yaml': cm('x'), 'app/y.yaml': cm('y') });
    expect(ids(renderSource(dir, { path: 'app', directory: { include: 'x.yaml' } }).manifests)).toEqual(['ConfigMap/x']);
    expect(ids(renderSource(dir, { path: 'app', directory: { include: 'app/x.yaml' } }).manifests)).toEqual([]);
  });

  test('non-Kubernetes YAML files are skipped; multi-document files and Lists are split', () => {
    const dir = trees.make({
      '.gitlab-ci.yaml': 'stages:\n  - build\nbuild:\n  script: make\n',
      'values.yaml': 'replicaCount: 1\nimage:\n  tag: latest\n',
      'list-of-strings.yaml': '- a\n- b\n',
      'scalar.yaml': 'just a string\n',
      'empty.yaml': '',
      'only-comments.yaml': '# nothing here\n---\n# nor here\n',
      'multi.yaml': `${cm('m1')}---\n${cm('m2')}---\n`,
      'list.yaml': `apiVersion: v1\nkind: List\nitems:\n  - ${cm('l1').replace(/\n(?=.)/g, '\n    ')}  - ${cm('l2').replace(/\n(?=.)/g, '\n    ')}`,
      'null.json': 'null',
    });
    const r = renderSource(dir, { path: '.' });
    expect(ids(r.manifests)).toEqual(['ConfigMap/l1', 'ConfigMap/l2', 'ConfigMap/m1', 'ConfigMap/m2']);
    expect(r.manifests.map((m) => `${m.origin.at?.file}:${m.origin.at?.line}`)).toEqual(['list.yaml:4', 'list.yaml:8', 'multi.yaml:1', 'multi.yaml:6']);
  });

  test('JSON files: one object (a List is split); a second object is an error', () => {
    const list = { apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's1' } }, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' } }] };
    const dir = trees.make({ 'list.json': JSON.stringify(list, null, 2), 'one.json': '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}\n' });
    expect(ids(renderSource(dir, { path: '.' }).manifests)).toEqual(['Secret/s1', 'Secret/s2', 'Namespace/n']);

    const bad = trees.make({ 'two.json': '{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"b"}}\n' });
    const e = thrown(() => renderSource(bad, { path: '.' }));
    expect(e.message).toContain('Found multiple objects in "two.json"');
    expect(e.at?.file).toBe('two.json');

    const broken = trees.make({ 'broken.json': '{"apiVersion": "v1", "kind": ' });
    const e2 = thrown(() => renderSource(broken, { path: '.' }));
    expect(e2.message).toContain('Failed to unmarshal "broken.json"');
    expect(e2.at?.file).toBe('broken.json');
  });

  test('a document without kind is an error when the file looks like a manifest', () => {
    const dir = trees.make({ 'x.yaml': `${cm('ok')}---\napiVersion: v1\nmetadata:\n  name: nokind\n` });
    const e = thrown(() => renderSource(dir, { path: '.' }));
    expect(e.message).toMatch(/Failed to unmarshal "x.yaml".*Kind' is missing/);
    // the second document starts on line 6 (after the 4 lines of the first and the separator)
    expect(e.at).toMatchObject({ file: 'x.yaml', line: 6 });
  });

  test('invalid YAML that looks like a manifest names the file and the line', () => {
    const dir = trees.make({
      'ok.yaml': cm('ok'),
      'app/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: broken\ndata:\n  a: [unclosed\n  b: c\n',
    });
    const e = thrown(() => renderSource(dir, { path: '.', directory: { recurse: true } }));
    expect(e.message).toContain('broken.yaml');
    expect(e.at?.file).toBe('app/broken.yaml');
    expect(e.at?.line).toBeGreaterThanOrEqual(6);
    expect(e.at?.line).toBeLessThanOrEqual(8);
  });

  test('invalid YAML that does not look like a manifest is skipped', () => {
    const dir = trees.make({ 'ok.yaml': cm('ok'), 'weird.yaml': 'key: [unclosed\n' });
    expect(ids(renderSource(dir, { path: '.' }).manifests)).toEqual(['ConfigMap/ok']);
  });

  test('symlinked directories are not descended into (as filepath.Walk), symlinked files are read', () => {
    const dir = trees.make({
      'v2/a.yaml': cm('a'),
      current: { symlink: 'v2' },
      self: { symlink: '.' },
      'link.yaml': { symlink: 'v2/a.yaml' },
    });
    // v2 once (not again through `current`), no loop through `self`, and the file link read
    expect(ids(renderSource(dir, { path: '.', directory: { recurse: true } }).manifests)).toEqual(['ConfigMap/a', 'ConfigMap/a']);
    expect(renderSource(dir, { path: '.', directory: { recurse: true } }).manifests.map((m) => m.origin.at?.file)).toEqual(['link.yaml', 'v2/a.yaml']);
    // Flux's generated kustomization skips symlinked directories too
    const flux = trees.make({ 'v2/a.yaml': cm('a'), current: { symlink: 'v2' }, self: { symlink: '.' } });
    const r = renderSource(flux, { path: '.', kind: 'kustomize', kustomize: { generateKustomization: true, namePrefix: 'p-' } });
    expect(ids(r.manifests)).toEqual(['ConfigMap/p-a']);
  });

  test('a jsonnet file is refused with its name; excluding it works', () => {
    const dir = trees.make({ 'a.yaml': cm('a'), 'lib.jsonnet': '{}' });
    const e = thrown(() => renderSource(dir, { path: '.' }));
    expect(e).toBeInstanceOf(SourceRenderError);
    expect(e.message).toContain('lib.jsonnet');
    expect(ids(renderSource(dir, { path: '.', directory: { exclude: '*.jsonnet' } }).manifests)).toEqual(['ConfigMap/a']);
  });
});

describe('app path errors', () => {
  test('missing app path', () => {
    const dir = trees.make({ 'a.yaml': cm('a') });
    const e = thrown(() => renderSource(dir, { path: 'nope' }));
    expect(e).toBeInstanceOf(SourceRenderError);
    expect(e.message).toBe('nope: app path does not exist');
  });

  test('app path outside the root', () => {
    const parent = trees.make({ 'repo/a.yaml': cm('a'), 'secret/b.yaml': cm('b') });
    const e = thrown(() => renderSource(`${parent}/repo`, { path: '../secret' }));
    expect(e).toBeInstanceOf(SourceRenderError);
    expect(e.message).toBe('../secret: app path outside root');
    // a sibling directory whose name starts with the root's name is outside it too
    const e2 = thrown(() => renderSource(`${parent}/repo`, { path: '../repo-other' }));
    expect(e2.message).toContain('outside root');
  });

  test('absolute app path and a file as app path', () => {
    const dir = trees.make({ 'a.yaml': cm('a') });
    expect(thrown(() => renderSource(dir, { path: '/etc' })).message).toContain('absolute');
    expect(thrown(() => renderSource(dir, { path: 'a.yaml' })).message).toBe('a.yaml: app path is not a directory');
  });

  test('"" and "." and a trailing slash on the root mean the root', () => {
    const dir = trees.make({ 'a.yaml': cm('a') });
    expect(ids(renderSource(dir, { path: '' }).manifests)).toEqual(['ConfigMap/a']);
    expect(ids(renderSource(`${dir}/`, { path: '.' }).manifests)).toEqual(['ConfigMap/a']);
  });
});

describe('kustomize sources', () => {
  const overlayTree = () =>
    trees.make({
      'base/kustomization.yaml': 'resources:\n  - deployment.yaml\n  - service.yaml\n',
      'base/deployment.yaml': DEPLOYMENT,
      'base/service.yaml': SERVICE,
      'overlays/prod/kustomization.yaml': 'resources:\n  - ../../base\nnamePrefix: prod-\ncommonLabels:\n  env: prod\n',
    });

  test('an overlay builds as kustomize builds it; origins are relative to the checkout', () => {
    const dir = overlayTree();
    const r = renderSource(dir, { path: 'overlays/prod' });
    expect(r.kind).toBe('kustomize');
    expect(ids(r.manifests)).toEqual(['Service/prod-web', 'Deployment/prod-web']);
    const dep = r.manifests[1]!.object as KubeObject & { spec: { selector: { matchLabels: Record<string, string> } } };
    expect(dep.metadata.labels).toEqual({ app: 'web', env: 'prod' });
    expect(dep.spec.selector.matchLabels).toEqual({ app: 'web', env: 'prod' });
    for (const m of r.manifests) expect(m.origin.at?.file ?? m.origin.source).not.toContain(dir);
  });

  test('namePrefix, nameSuffix, namespace and images overrides (Argo string forms)', () => {
    const dir = overlayTree();
    const r = renderSource(dir, {
      path: 'overlays/prod',
      kustomize: { namePrefix: 'argo-', nameSuffix: '-x', namespace: 'shop', images: ['nginx=registry.local/nginx:1.27', 'busybox:1.36'] },
    });
    // Argo's namePrefix replaces the overlay's namePrefix (kustomize edit set nameprefix).
    expect(ids(r.manifests)).toEqual(['Service/shop/argo-web-x', 'Deployment/shop/argo-web-x']);
    expect(images(r.manifests[1]!.object)).toEqual(['registry.local/nginx:1.27', 'busybox:1.36']);
  });

  test('images: Flux object form, digest, and $VAR from the build environment', () => {
    const dir = overlayTree();
    const image = (overrides: (string | { name: string; newName?: string; newTag?: string; digest?: string })[], env?: Record<string, string>) => {
      const r = renderSource(dir, { path: 'overlays/prod', kustomize: { images: overrides }, ...(env ? { env } : {}) });
      return images(r.manifests[1]!.object);
    };
    expect(image([{ name: 'nginx', newName: 'ghcr.io/x/nginx', newTag: 'v2' }])).toEqual(['ghcr.io/x/nginx:v2', 'busybox']);
    expect(image(['nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'])).toEqual([
      'nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      'busybox',
    ]);
    expect(image(['nginx=nginx:$ARGOCD_APP_REVISION'], { ARGOCD_APP_REVISION: 'abc123' })).toEqual(['nginx:abc123', 'busybox']);
  });

  test('an image override merges into the kustomization’s own entry of that name', () => {
    const dir = trees.make({
      'kustomization.yaml': 'resources:\n  - deployment.yaml\nimages:\n  - name: nginx\n    newName: mirror/nginx\n    newTag: "1.0"\n',
      'deployment.yaml': DEPLOYMENT,
    });
    const plain = renderSource(dir, { path: '.' });
    expect(images(plain.manifests[0]!.object)).toEqual(['mirror/nginx:1.0', 'busybox']);
    // Argo: kustomize edit set image nginx:2.0 keeps newName, replaces the tag.
    expect(images(renderSource(dir, { path: '.', kustomize: { images: ['nginx:2.0'] } }).manifests[0]!.object)).toEqual(['mirror/nginx:2.0', 'busybox']);
    // Flux: the entry is replaced as a whole.
    expect(images(renderSource(dir, { path: '.', kustomize: { images: [{ name: 'nginx', newTag: '3.0' }] } }).manifests[0]!.object)).toEqual(['nginx:3.0', 'busybox']);
  });

  test('commonLabels, commonAnnotations, replicas and patches overrides', () => {
    const dir = overlayTree();
    const r = renderSource(dir, {
      path: 'overlays/prod',
      kustomize: {
        commonLabels: { team: 'a' },
        commonAnnotations: { owner: 'ops' },
        replicas: [{ name: 'prod-web', count: '3' }],
        // Patches run before the overlay's labels (kustomize's transformer order): the base Service has none yet.
        patches: [{ target: { kind: 'Service' }, patch: '- op: replace\n  path: /spec/ports/0/port\n  value: 8080\n' }],
      },
    });
    const [svc, dep] = r.manifests.map((m) => m.object);
    expect(svc!.metadata.labels).toEqual({ env: 'prod', team: 'a' });
    expect(pick(svc, 'spec.ports.0.port')).toBe(8080);
    expect(dep!.metadata.annotations).toEqual({ owner: 'ops' });
    expect(pick(dep, 'spec.replicas')).toBe(3);
  });

  test('a commonLabels override of a label the kustomization sets needs forceCommonLabels', () => {
    const dir = overlayTree();
    const e = thrown(() => renderSource(dir, { path: 'overlays/prod', kustomize: { commonLabels: { env: 'staging' } } }));
    expect(e.message).toContain('label env already in kustomization file');
    const r = renderSource(dir, { path: 'overlays/prod', kustomize: { commonLabels: { env: 'staging' }, forceCommonLabels: true } });
    expect(r.manifests[0]!.object.metadata.labels).toEqual({ env: 'staging' });
  });

  test('overrides never write into the checkout', async () => {
    const dir = overlayTree();
    const { readFileSync } = await import('node:fs');
    const before = readFileSync(`${dir}/overlays/prod/kustomization.yaml`, 'utf8');
    renderSource(dir, { path: 'overlays/prod', kustomize: { namePrefix: 'x-', namespace: 'n' } });
    expect(readFileSync(`${dir}/overlays/prod/kustomization.yaml`, 'utf8')).toBe(before);
  });

  test('overrides on a directory without a kustomization fail unless Flux generates one', () => {
    const dir = trees.make({ 'app/a.yaml': cm('a'), 'app/sub/kustomization.yaml': 'resources:\n  - b.yaml\n', 'app/sub/b.yaml': cm('b'), 'app/notes.txt': 'x' });
    const e = thrown(() => renderSource(dir, { path: 'app', kind: 'kustomize', kustomize: { namePrefix: 'p-' } }));
    expect(e.message).toContain('kustomization file not found in the path app');
    const r = renderSource(dir, { path: 'app', kind: 'kustomize', kustomize: { namePrefix: 'p-', generateKustomization: true, namespace: 'flux' } });
    expect(ids(r.manifests)).toEqual(['ConfigMap/flux/p-a', 'ConfigMap/flux/p-b']);
  });

  test('load restrictions: Argo builds root-only, Flux with LoadRestrictionsNone', () => {
    const dir = trees.make({ 'shared.yaml': cm('shared'), 'app/kustomization.yaml': 'resources:\n  - ../shared.yaml\n' });
    const e = thrown(() => renderSource(dir, { path: 'app' }));
    expect(e.message).toContain('is not in or below');
    expect(ids(renderSource(dir, { path: 'app', kustomize: { loadRestrictor: 'LoadRestrictionsNone' } }).manifests)).toEqual(['ConfigMap/shared']);
  });

  test('a broken kustomization names the file', () => {
    const dir = trees.make({ 'kustomization.yaml': 'resources:\n  - cm.yaml\n  bad: [\n', 'cm.yaml': cm('a') });
    const e = thrown(() => renderSource(dir, { path: '.' }));
    expect(e.message + JSON.stringify(e.at)).toContain('kustomization.yaml');
    expect(e.message + JSON.stringify(e.at)).not.toContain(dir);
  });

  test('invalid YAML in a resource names the file and the line, relative to the checkout', () => {
    const dir = trees.make({
      'k/kustomization.yaml': 'resources:\n  - broken.yaml\n',
      'k/broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: [1,\n  b: 2\n',
    });
    for (const kustomize of [{}, { namePrefix: 'p-' }]) {
      const e = thrown(() => renderSource(dir, { path: 'k', kustomize }));
      expect(e.message).toMatch(/line 7: .*File: broken\.yaml/);
      expect(e.at?.file).toBe('k/kustomization.yaml');
      expect(e.message).not.toContain(dir);
    }
  });
});

describe('helm sources', () => {
  const chartTree = () =>
    trees.make({
      'chart/Chart.yaml': CHART,
      'chart/values.yaml': 'color: red\nsize: 1\nlist: []\nnested:\n  a: 1\n  b: 2\n',
      'chart/values-prod.yaml': 'color: blue\nnested:\n  b: 20\n',
      'chart/env/one.yaml': 'size: 11\n',
      'chart/env/two.yaml': 'size: 22\n',
      'shared/common.yaml': 'color: green\n',
      'chart/templates/cm.yaml': `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-cfg
  namespace: {{ .Release.Namespace }}
data:
  color: {{ .Values.color | quote }}
  size: {{ .Values.size | quote }}
  nested: {{ .Values.nested | toJson | quote }}
  list: {{ .Values.list | toJson | quote }}
`,
    });
  const data = (dir: string, helm: Parameters<typeof renderSource>[1]['helm'], extra: Partial<Parameters<typeof renderSource>[1]> = {}) => {
    const r = renderSource(dir, { path: 'chart', helm, ...extra });
    expect(r.kind).toBe('helm');
    expect(r.manifests).toHaveLength(1);
    return { name: r.manifests[0]!.object.metadata.name, namespace: r.manifests[0]!.object.metadata.namespace, ...(r.manifests[0]!.object.data as Record<string, string>) };
  };

  test('defaults: release-name, namespace default, the chart values', () => {
    expect(data(chartTree(), {})).toEqual({ name: 'release-name-cfg', namespace: 'default', color: 'red', size: '1', nested: '{"a":1,"b":2}', list: '[]' });
  });

  test('releaseName and namespace', () => {
    expect(data(chartTree(), { releaseName: 'shop', namespace: 'prod' })).toMatchObject({ name: 'shop-cfg', namespace: 'prod' });
    expect(thrown(() => data(chartTree(), { releaseName: 'Bad_Name' })).message).toContain('invalid release name');
  });

  test('valueFiles in order, relative to the chart; absolute from the repository root', () => {
    expect(data(chartTree(), { valueFiles: ['values-prod.yaml'] })).toMatchObject({ color: 'blue', nested: '{"a":1,"b":20}' });
    expect(data(chartTree(), { valueFiles: ['values-prod.yaml', '/shared/common.yaml'] })).toMatchObject({ color: 'green' });
    expect(data(chartTree(), { valueFiles: ['../shared/common.yaml', 'values-prod.yaml'] })).toMatchObject({ color: 'blue' });
  });

  test('valueFiles globs expand in name order', () => {
    expect(data(chartTree(), { valueFiles: ['env/*.yaml'] })).toMatchObject({ size: '22' });
    expect(data(chartTree(), { valueFiles: ['env/t*.yaml', 'env/o*.yaml'] })).toMatchObject({ size: '11' });
  });

  test('valueFiles globs do not follow symlinked directories (as doublestar.FilepathGlob)', () => {
    // (outside the chart: helm's own loader follows symlinked directories in a chart)
    const dir = chartTree();
    writeFileSync(join(dir, 'shared/one.yaml'), 'size: 11\n');
    writeFileSync(join(dir, 'shared/two.yaml'), 'size: 22\n');
    symlinkSync('.', join(dir, 'shared/self'));
    symlinkSync('.', join(dir, 'shared/again'));
    symlinkSync('one.yaml', join(dir, 'shared/z-link.yaml'));
    const started = Date.now();
    // the file link is a file: z-link.yaml (size 11) comes after two.yaml (size 22)
    expect(data(dir, { valueFiles: ['/shared/**/*.yaml'] })).toMatchObject({ size: '11', color: 'green' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  test('a values file listed explicitly takes its own place, not the glob’s', () => {
    expect(data(chartTree(), { valueFiles: ['env/one.yaml', 'env/*.yaml'] })).toMatchObject({ size: '22' });
    expect(data(chartTree(), { valueFiles: ['env/*.yaml', 'env/one.yaml'] })).toMatchObject({ size: '11' });
  });

  test('valueFiles: $VAR expansion, missing files, files outside the repository', () => {
    expect(data(chartTree(), { valueFiles: ['values-$ENV.yaml'] }, { env: { ENV: 'prod' } })).toMatchObject({ color: 'blue' });
    const missing = thrown(() => data(chartTree(), { valueFiles: ['nope.yaml'] }));
    expect(missing.message).toContain('nope.yaml');
    expect(data(chartTree(), { valueFiles: ['nope.yaml', 'values-prod.yaml'], ignoreMissingValueFiles: true })).toMatchObject({ color: 'blue' });
    const outside = thrown(() => data(chartTree(), { valueFiles: ['../../etc/passwd'] }));
    expect(outside.message).toContain('outside repository root');
    expect(thrown(() => data(chartTree(), { valueFiles: ['https://example.com/v.yaml'] })).message).toContain('remote values files are not supported');
  });

  test('values (YAML text) come after valueFiles; valuesObject wins over values', () => {
    expect(data(chartTree(), { valueFiles: ['values-prod.yaml'], values: 'color: pink\n' })).toMatchObject({ color: 'pink', nested: '{"a":1,"b":20}' });
    expect(data(chartTree(), { values: 'color: pink\n', valuesObject: { color: 'black', list: [1, 2] } })).toMatchObject({ color: 'black', list: '[1,2]' });
    expect(data(chartTree(), { valuesObject: { nested: { a: 5 } } })).toMatchObject({ nested: '{"a":5,"b":2}' });
  });

  test('parameters (--set / --set-string) win over values; commas escaped; last one of a name wins', () => {
    expect(
      data(chartTree(), {
        values: 'color: pink\n',
        parameters: [
          { name: 'color', value: 'x,y' },
          { name: 'size', value: '5' },
          { name: 'size', value: '7' },
          { name: 'nested.a', value: '0010', forceString: true },
        ],
      }),
    ).toMatchObject({ color: 'x,y', size: '7', nested: '{"a":"0010","b":2}' });
    expect(data(chartTree(), { parameters: [{ name: 'list', value: '{a,b}' }] })).toMatchObject({ list: '["a","b"]' });
    expect(data(chartTree(), { parameters: [{ name: 'color', value: '$ARGOCD_APP_NAME' }] }, { env: { ARGOCD_APP_NAME: 'guestbook' } })).toMatchObject({ color: 'guestbook' });
  });

  test('$ref values files from another source, fileParameters, capabilities', () => {
    const other = trees.make({ 'env/values.yaml': 'color: from-ref\n' });
    const dir = chartTree();
    writeFileSync(join(dir, 'chart/size.txt'), 'from-file');
    expect(data(dir, { valueFiles: ['$values/env/values.yaml'], refSources: { $values: other } })).toMatchObject({ color: 'from-ref' });
    expect(thrown(() => data(dir, { valueFiles: ['$values/../../etc/passwd'], refSources: { $values: other } })).message).toContain('outside repository root');
    expect(data(dir, { fileParameters: [{ name: 'size', path: 'size.txt' }] })).toMatchObject({ size: 'from-file' });
    expect(thrown(() => data(dir, { fileParameters: [{ name: 'size', path: '../../x' }] })).message).toContain('outside repository root');
    const caps = trees.make({
      'Chart.yaml': CHART,
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caps\ndata:\n  kube: {{ .Capabilities.KubeVersion.Version | quote }}\n  has: {{ .Capabilities.APIVersions.Has "example.com/v1" | quote }}\n',
    });
    expect(renderSource(caps, { path: '.', kubeVersion: '1.29.3', apiVersions: ['example.com/v1'] }).manifests[0]!.object.data).toEqual({ kube: 'v1.29.3', has: 'true' });
    expect(renderSource(caps, { path: '.' }).manifests[0]!.object.data).toMatchObject({ has: 'false' });
  });

  test('hooks, CRDs and tests: order and skip options', () => {
    const dir = trees.make({
      'Chart.yaml': CHART,
      'crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n',
      'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'templates/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns\n',
      'templates/hook.yaml': 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: migrate\n  annotations:\n    helm.sh/hook: pre-install\n',
      'templates/tests/t.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: test\n  annotations:\n    helm.sh/hook: test\n',
    });
    // hooks after the manifests, sorted by kind in helm's install order (Pod before Job)
    expect(ids(renderSource(dir, { path: '.' }).manifests)).toEqual(['CustomResourceDefinition/things.example.com', 'Namespace/ns', 'ConfigMap/cm', 'Pod/test', 'Job/migrate']);
    expect(ids(renderSource(dir, { path: '.', helm: { skipCrds: true, skipTests: true } }).manifests)).toEqual(['Namespace/ns', 'ConfigMap/cm', 'Job/migrate']);
    const hook = renderSource(dir, { path: '.' }).manifests[4]!;
    expect(hook.object.metadata.annotations).toEqual({ 'helm.sh/hook': 'pre-install' });
    expect(hook.origin.at?.file).toBe('templates/hook.yaml');
  });

  test('an invalid values file names the file (relative to the checkout) and the line', () => {
    const dir = chartTree();
    writeFileSync(join(dir, 'chart/bad.yaml'), 'a: 1\nb: [\n');
    const e = thrown(() => data(dir, { valueFiles: ['bad.yaml'] }));
    expect(e.at).toEqual({ file: 'chart/bad.yaml', line: 2 });
    expect(e.message).toContain('failed to parse chart/bad.yaml');
    expect(e.message).not.toContain(dir);
    const inline = thrown(() => data(dir, { values: 'a: [\n' }));
    expect(inline.message).toContain('<spec.source.helm.values>');
  });

  test('Lists a chart renders are split into their items, as Argo does after helm template', () => {
    const item = (name: string) => `  - apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: ${name}\n`;
    const dir = trees.make({
      'Chart.yaml': CHART,
      'templates/list.yaml': `apiVersion: v1\nkind: List\nitems:\n${item('a')}${item('b')}`,
      'templates/typed.yaml': `apiVersion: v1\nkind: ConfigMapList\nitems:\n${item('c')}`,
      'templates/empty.yaml': 'apiVersion: v1\nkind: List\nitems:\n',
    });
    const r = renderSource(dir, { path: '.' });
    expect(ids(r.manifests)).toEqual(['ConfigMap/c', 'ConfigMap/a', 'ConfigMap/b']);
    expect(r.manifests.map((m) => [m.key.name, m.origin.at?.file, m.origin.at?.line])).toEqual([
      ['c', 'templates/typed.yaml', 4],
      ['a', 'templates/list.yaml', 4],
      ['b', 'templates/list.yaml', 8],
    ]);
  });

  test('a template error names the template', () => {
    const dir = trees.make({ 'Chart.yaml': CHART, 'templates/bad.yaml': 'kind: {{ .Values.x.y.z }}\n' });
    const e = thrown(() => renderSource(dir, { path: '.' }));
    expect(e.message).toContain('templates/bad.yaml');
  });
});

describe('Flux post-build substitution', () => {
  const tree = () =>
    trees.make({
      'kustomization.yaml': 'resources:\n  - cm.yaml\n  - keep.yaml\n  - deploy.yaml\n',
      'cm.yaml': cm('app-${cluster_env}', { region: '${region:=eu-west-1}', plain: '${plain}', escaped: '$${not_a_var}', dollar: '$region' }),
      'keep.yaml': cm('keep', { v: '${region}' }, '  annotations:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n'),
      'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: ${replicas:=2}\n  selector:\n    matchLabels: {app: d}\n  template:\n    metadata:\n      labels: {app: d}\n    spec:\n      containers: [{name: c, image: "img:${tag:-latest}"}]\n',
    });

  test('variables, defaults, escapes, and the disabled annotation', () => {
    const r = renderSource(tree(), { path: '.', postBuild: { substitute: { cluster_env: 'prod', plain: 'p', replicas: '5' } } });
    expect(ids(r.manifests)).toEqual(['ConfigMap/app-prod', 'ConfigMap/keep', 'Deployment/d']);
    expect(r.manifests[0]!.object.data).toEqual({ region: 'eu-west-1', plain: 'p', escaped: '${not_a_var}', dollar: '$region' });
    expect(r.manifests[1]!.object.data).toEqual({ v: '${region}' });
    expect(pick(r.manifests[2]!.object, 'spec.replicas')).toBe(5);
    expect(images(r.manifests[2]!.object)).toEqual(['img:latest']);
    expect(r.manifests[0]!.key.name).toBe('app-prod');
  });

  test('a set variable wins over the default; defaults apply with an empty substitute map too', () => {
    const r = renderSource(tree(), { path: '.', postBuild: { substitute: { region: 'us-east-1', tag: 'v9' } } });
    // As in Flux, the object is printed as YAML (where `"${plain}"` loses its quotes), then
    // substituted and read back: an unset variable there reads as null.
    expect(r.manifests[0]!.object.data).toMatchObject({ region: 'us-east-1', plain: null });
    expect(pick(r.manifests[2]!.object, 'spec.replicas')).toBe(2);
    // Flux only substitutes when there are variables: with none, the text stays as written.
    const none = renderSource(tree(), { path: '.', postBuild: { substitute: {} } });
    expect(none.manifests[0]!.object.data).toMatchObject({ region: '${region:=eu-west-1}' });
  });

  test('the disabled label works as the annotation does', () => {
    const dir = trees.make({ 'a.yaml': cm('a', { v: '${x}' }, '  labels:\n    kustomize.toolkit.fluxcd.io/substitute: disabled\n'), 'b.yaml': cm('b', { v: '${x}' }) });
    const r = renderSource(dir, { path: '.', postBuild: { substitute: { x: '1' } } });
    // (the substituted "1" is read back as YAML: a number, as Flux does)
    expect(r.manifests.map((m) => m.object.data)).toEqual([{ v: '${x}' }, { v: 1 }]);
  });

  test('substitution applies to helm and directory sources too', () => {
    const dir = trees.make({ 'a.yaml': cm('a', { v: '${x}' }) });
    expect(renderSource(dir, { path: '.', postBuild: { substitute: { x: 'dir' } } }).manifests[0]!.object.data).toEqual({ v: 'dir' });
  });

  test('a bad variable name and a bad substitution are errors naming the object', () => {
    const dir = trees.make({ 'a.yaml': cm('a', { v: '${x' }) });
    const e = thrown(() => renderSource(dir, { path: '.', postBuild: { substitute: { x: '1' } } }));
    expect(e.message).toContain('ConfigMap/a');
    expect(e.message).toContain('variable substitution failed');
    expect(e.at?.file).toBe('a.yaml');
    const ok = trees.make({ 'a.yaml': cm('a') });
    expect(thrown(() => renderSource(ok, { path: '.', postBuild: { substitute: { 'bad-name': '1' } } })).message).toContain("'bad-name' var name is invalid");
    // [:alpha:] in Go's regexp is ASCII: Flux refuses non-ASCII letters in names
    expect(thrown(() => renderSource(ok, { path: '.', postBuild: { substitute: { café: '1' } } })).message).toContain("'café' var name is invalid");
    expect(renderSource(ok, { path: '.', postBuild: { substitute: { _Var9: '1' } } }).manifests).toHaveLength(1);
  });

  test('values with newlines lose them (as Flux does)', () => {
    const dir = trees.make({ 'a.yaml': cm('a', { v: '${x}' }) });
    expect(renderSource(dir, { path: '.', postBuild: { substitute: { x: 'a\nb' } } }).manifests[0]!.object.data).toEqual({ v: 'ab' });
  });

  test('commonMetadata labels and annotations on every object', () => {
    const dir = trees.make({ 'a.yaml': cm('a', {}, '  labels:\n    own: x\n'), 'b.yaml': cm('b') });
    const r = renderSource(dir, { path: '.', commonMetadata: { labels: { team: 't' }, annotations: { note: 'n' } } });
    expect(r.manifests.map((m) => m.object.metadata)).toEqual([
      { name: 'a', labels: { own: 'x', team: 't' }, annotations: { note: 'n' } },
      { name: 'b', labels: { team: 't' }, annotations: { note: 'n' } },
    ]);
  });
});
