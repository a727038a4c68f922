import { describe, expect, test } from 'vitest';
import { memoryFileSystem } from '../../../src/core/index.js';
import { KustomizeError, kustomize, toKustomizeYaml, type HelmChartRenderArgs } from '../../../src/engines/kustomize/index.js';
import { isImageMatched, splitImage } from '../../../src/engines/kustomize/builtins/images.js';
import { doReplacements } from '../../../src/engines/kustomize/builtins/vars.js';
import { parseLabelSelector } from '../../../src/engines/kustomize/internal/label-selector.js';
import { FAST_HOOKS, decodeWithLibrary, readYamlNodes, resolvePlain, splitDocuments } from '../../../src/engines/kustomize/internal/yaml-read.js';
import { BAIL, fastDecode } from '../../../src/engines/kustomize/internal/yaml-fast.js';
import { parseKustomization } from '../../../src/engines/kustomize/kustomization.js';
import { isRepoUrl } from '../../../src/engines/kustomize/loader.js';

const cm = (name: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${extra}`;

function build(files: Record<string, string>, dir = '/app', options: Parameters<typeof kustomize>[2] = {}) {
  return kustomize(dir, memoryFileSystem(files), options);
}

function buildError(files: Record<string, string>, dir = '/app', options: Parameters<typeof kustomize>[2] = {}): KustomizeError {
  try {
    build(files, dir, options);
  } catch (e) {
    if (e instanceof KustomizeError) return e;
    throw e;
  }
  throw new Error('the build did not fail');
}

describe('scalars are read as yaml.v3 reads them', () => {
  test.each([
    ['017', 15],
    ['0o17', 15],
    ['0x1F', 31],
    ['0b101', 5],
    ['1_000', 1000],
    ['+12', 12],
    ['.5', 0.5],
    ['1e3', 1000],
    ['08', 8],
    ['12345678901234567890', 12345678901234567890n],
    ['9007199254740993', 9007199254740993n],
    ['1e400', '1e400'],
    ['yes', 'yes'],
    ['on', 'on'],
    ['True', true],
    ['~', null],
    ['', null],
    ['2020-01-01', '2020-01-01T00:00:00Z'],
    ['2001-12-14t21:59:43.10-05:00', '2001-12-14T21:59:43.1-05:00'],
    ['2001-12-14 21:59:43.10', '2001-12-14T21:59:43.1Z'],
    ['2001-02-30', '2001-02-30'],
    ['.inf', Infinity],
  ])('%s resolves as yaml.v3 resolves it', (text, value) => {
    expect(resolvePlain(text)).toStrictEqual(value);
  });

  test('documents split on --- lines as kio splits them, even inside block scalars', () => {
    expect(splitDocuments('a: 1\n---\nb: 2\n--- # comment\nc: 3')).toEqual(['a: 1', 'b: 2', 'c: 3']);
    expect(() => splitDocuments('a: 1\n--- b: 2\n')).toThrow('invalid document separator: --- b: 2');
    expect(readYamlNodes('x: |\n  one\n---\ny: 2\n')).toEqual([{ x: 'one\n' }, { y: 2 }]);
  });

  test('a block scalar running into the end of the file has no final line break', () => {
    expect(readYamlNodes('x: |\n  a\n  b')).toEqual([{ x: 'a\nb' }]);
    expect(readYamlNodes('x: |\n  a\n  b\n')).toEqual([{ x: 'a\nb\n' }]);
  });

  test('anchors, aliases and merge keys are expanded into independent copies', () => {
    const [doc] = readYamlNodes('base: &b {k: 1, l: 2}\nuse:\n  <<: *b\n  l: 3\nagain: *b\n') as [Record<string, Record<string, number>>];
    expect(doc.use).toEqual({ k: 1, l: 3 });
    doc.again!.k = 9;
    expect(doc.base!.k).toBe(1);
  });

  test('a single List document is unwrapped into its items', () => {
    expect(readYamlNodes('apiVersion: v1\nkind: List\nitems:\n- a: 1\n- b: 2\n')).toEqual([{ a: 1 }, { b: 2 }]);
  });
});

describe('the fast reading path gives what the full path gives, or steps aside', () => {
  const samples = [
    'a: 1\nb: [x, "y", {c: d}]\ne: {f: [1, 2], g: }\n',
    'cmd: ["/hello",\n      "--port=8080",\n      "--x=$(Y)"]\n',
    'plain: this is\n  a multi-line\n\n  plain scalar\nq: "double\n  quoted \\t line"\ns: \'it\'\'s\n  two\'\n',
    'lit: |2-\n    indented\n  two\nfold: >+\n  a\n  b\n\n',
    '# comment\nk: v # trailing\nlist:\n# between\n- a\n-   b\n- - nested\n  - seq\n- k: v\n  l: w\n',
    'base: &b {x: 1}\nuse:\n  <<: [*b, {y: 2}]\n  x: 3\nref: *b\n',
    'tagged: !!str 123\nint: !!int "7"\ncustom: !thing value\nbin: !!binary aGk=\nnull: ~\nempty:\n',
    '---\nkey: after-marker\n',
    '? complex\n: key\n',
    'k: v\n  bad: indent\n',
    'a: b\n c: d\n',
    'dup: 1\ndup: 2\n',
    '{flow: map, at: root}\n',
    '- top\n- level\n- sequence\n',
    'x: "unterminated\n',
    'k:\tv\n',
  ];
  test.each(samples)('%j', (text) => {
    const dup: string[] = [];
    const fast = fastDecode(text, FAST_HOOKS, dup);
    let full: unknown;
    let fullError: unknown;
    try {
      full = decodeWithLibrary(text);
    } catch (e) {
      fullError = e;
    }
    if (fast === BAIL) return;
    expect(fullError).toBeUndefined();
    expect(fast).toEqual(full);
  });

  test('ordinary manifests take the fast path', () => {
    expect(fastDecode(cm('c', 'data:\n  a: "1"\n  b: |\n    text\n'), FAST_HOOKS, [])).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1', b: 'text\n' } });
  });
});

describe('output is resource.AsYAML: Go JSON then go-yaml v2', () => {
  test('keys are sorted, numbers printed as Go prints them, strings quoted where go-yaml would misread them', () => {
    const out = toKustomizeYaml([{ kind: 'X', b: 1e21, a: 1.5, c: 'yes', d: 12345678901234567890n, e: '2020-01-01' }]);
    expect(out).toBe('a: 1.5\nb: 1e+21\nc: "yes"\nd: 12345678901234567890\ne: "2020-01-01"\nkind: X\n');
  });

  test('documents are separated by --- lines', () => {
    expect(toKustomizeYaml([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });

  test('NaN cannot be printed, as json.Marshal refuses it', () => {
    expect(() => toKustomizeYaml([{ a: NaN }])).toThrow('json: unsupported value: NaN');
  });
});

describe('the kustomization file is decoded as Go decodes it', () => {
  test.each([
    ['commonLabels:\n  version: 1.10\n', 'invalid Kustomization: json: cannot unmarshal number into Go struct field Kustomization.commonLabels of type string'],
    ['replicas:\n- name: x\n  count: "3"\n', 'invalid Kustomization: json: cannot unmarshal string into Go struct field Replica.replicas.count of type int64'],
    ['replicas:\n- name: x\n  count: 3.5\n', 'invalid Kustomization: json: cannot unmarshal number 3.5 into Go struct field Replica.replicas.count of type int64'],
    ['images:\n- name: a\n  newTag: 1.0\n', 'invalid Kustomization: json: cannot unmarshal number into Go struct field Image.images.newTag of type string'],
    ['namePrefx: a\n', 'invalid Kustomization: json: unknown field "namePrefx"'],
    ['- a\n', 'invalid Kustomization: json: cannot unmarshal array into Go value of type types.Kustomization'],
    ['a: [\n', 'invalid Kustomization: yaml: line 1: did not find expected node content'],
  ])('%j fails with %j', (text, message) => {
    expect(() => parseKustomization(text)).toThrow(message);
  });

  test('field names match case-insensitively, and yes is a boolean (YAML 1.1)', () => {
    expect(parseKustomization('NamePrefix: p-\n')).toEqual({ namePrefix: 'p-' });
    expect(() => parseKustomization('commonLabels:\n  enabled: yes\n')).toThrow('cannot unmarshal bool');
  });
});

describe('selectors', () => {
  test.each([
    ['app=web', { app: 'web' }, true],
    ['app==web,tier', { app: 'web', tier: 'x' }, true],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['!app', { app: 'x' }, false],
    ['env in (prod,stage)', { env: 'stage' }, true],
    ['env notin (prod)', { env: 'prod' }, false],
    ['n > 3', { n: '5' }, true],
    ['', { any: 'thing' }, true],
  ])('%j matches %j: %s', (selector, labels, want) => {
    expect(parseLabelSelector(selector).matches(labels)).toBe(want);
  });

  test.each([
    ['app=', 'unable to parse requirement'],
    ['a,,b', "found ',', expected: identifier after ','"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
  ])('%j is refused: %s', (selector, message) => {
    expect(() => parseLabelSelector(selector === 'app=' ? 'app=-bad-' : selector)).toThrow(message);
  });
});

describe('images', () => {
  test.each([
    ['nginx', { name: 'nginx', tag: '', digest: '' }],
    ['nginx:1.25', { name: 'nginx', tag: '1.25', digest: '' }],
    ['localhost:5000/app:v1', { name: 'localhost:5000/app', tag: 'v1', digest: '' }],
    ['repo/tool@sha256:abc', { name: 'repo/tool', tag: '', digest: 'sha256:abc' }],
    ['repo/tool:1@sha256:abc', { name: 'repo/tool', tag: '1', digest: 'sha256:abc' }],
  ])('%s splits into %j', (image, parts) => {
    expect(splitImage(image)).toEqual(parts);
  });

  test('a name matches with any tag or digest but not a longer name; it is a regular expression', () => {
    expect(isImageMatched('nginx:1.0', 'nginx')).toBe(true);
    expect(isImageMatched('nginx@sha256:00', 'nginx')).toBe(true);
    expect(isImageMatched('nginxx', 'nginx')).toBe(false);
    expect(isImageMatched('dockerXio/app', 'docker.io/app')).toBe(true);
  });
});

describe('vars', () => {
  const values: Record<string, unknown> = { A: 'x', N: 3, F: 1.25 };
  const mapping = (k: string) => (k in values ? values[k] : `$(${k})`);
  test.each([
    ['$(A)', 'x'],
    ['$(N)', 3],
    ['n=$(N)', 'n=3'],
    ['f=$(F)', 'f=1.25'],
    ['$$(A)', '$(A)'],
    ['$(B) and $(A)', '$(B) and x'],
    ['$(unclosed', '$(unclosed'],
    ['cost $5', 'cost $5'],
  ])('%j becomes %j', (input, out) => {
    expect(doReplacements(input, mapping)).toStrictEqual(out);
  });
});

describe('remote bases are recognised as kustomize recognises them, and never fetched', () => {
  test.each([
    ['github.com/org/repo//path?ref=v1', true],
    ['https://github.com/org/repo.git//dir', true],
    ['git@github.com:org/repo.git', true],
    ['ssh://git@host/org/repo', true],
    ['https://example.com/x.yaml', false],
    ['../base', false],
    ['base', false],
  ])('%s: %s', (path, remote) => {
    expect(isRepoUrl(path)).toBe(remote);
  });

  test('a remote base fails with a clear error', () => {
    const e = buildError({ '/app/kustomization.yaml': 'resources:\n- github.com/org/repo//deploy?ref=v1\n' });
    expect(e.kustomizeMessage).toContain('slipway builds kustomizations offline');
  });
});

describe('builds', () => {
  test('errors name the kustomization file and entry, with kustomize message inside', () => {
    const e = buildError({
      '/app/kustomization.yaml': 'resources:\n- ../base\n',
      '/base/kustomization.yaml': 'resources:\n- cm.yaml\n- missing.yaml\n',
      '/base/cm.yaml': cm('c'),
    });
    expect(e.at).toEqual({ file: '/base/kustomization.yaml' });
    expect(e.entry).toBe('resources[1] (missing.yaml)');
    expect(e.kustomizeMessage).toBe(
      "accumulating resources: accumulation err='accumulating resources from '../base': '/base' must resolve to a file': recursed accumulation of path '/base': " +
        "accumulating resources: accumulation err='accumulating resources from 'missing.yaml': evalsymlink failure on '/base/missing.yaml' : lstat /base/missing.yaml: no such file or directory': " +
        "must build at directory: not a valid directory: evalsymlink failure on '/base/missing.yaml' : lstat /base/missing.yaml: no such file or directory",
    );
    expect(e.message).toBe(`resources[1] (missing.yaml): ${e.kustomizeMessage}`);
  });

  test('a file outside the root is refused unless the restrictor allows it', () => {
    const files = { '/app/kustomization.yaml': 'resources:\n- ../shared/cm.yaml\n', '/shared/cm.yaml': cm('c') };
    expect(buildError(files).kustomizeMessage).toContain("security; file '/shared/cm.yaml' is not in or below '/app'");
    expect(build(files, '/app', { loadRestrictor: 'LoadRestrictionsNone' }).resources.map((r) => r.key.name)).toEqual(['c']);
  });

  test('bases that include each other are a cycle', () => {
    const e = buildError({ '/a/kustomization.yaml': 'resources:\n- ../b\n', '/b/kustomization.yaml': 'resources:\n- ../a\n' }, '/a');
    expect(e.kustomizeMessage).toContain("cycle detected: candidate root '/a' contains visited root '/a'");
  });

  test('deprecated fields warn as kustomize does', () => {
    const warnings: string[] = [];
    const r = build({ '/app/kustomization.yaml': 'bases:\n- ../b\ncommonLabels:\n  a: b\n', '/b/kustomization.yaml': 'resources:\n- cm.yaml\n', '/b/cm.yaml': cm('c') }, '/app', { warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([
      "# Warning: 'bases' is deprecated. Please use 'resources' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
      "# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. Run 'kustomize edit fix' to update your Kustomization automatically.",
    ]);
    expect(r.warnings).toEqual(warnings);
  });

  test('manifests carry their key and the file they were read from', () => {
    const r = build({ '/app/kustomization.yaml': 'resources:\n- cm.yaml\nnamespace: ns\n', '/app/cm.yaml': cm('c') });
    expect(r.resources[0]!.key).toEqual({ group: '', kind: 'ConfigMap', namespace: 'ns', name: 'c' });
    expect(r.resources[0]!.origin).toEqual({ source: 'kustomize:/app', at: { file: '/app/cm.yaml' } });
  });

  test('reorder none keeps the build order, legacy sorts by kind', () => {
    const files = {
      '/app/kustomization.yaml': 'resources:\n- r.yaml\n',
      '/app/r.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\n---\n${cm('c')}---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: n\n`,
    };
    expect(build(files).resources.map((r) => r.key.kind)).toEqual(['Namespace', 'ConfigMap', 'Deployment']);
    expect(build(files, '/app', { reorder: 'none' }).resources.map((r) => r.key.kind)).toEqual(['Deployment', 'ConfigMap', 'Namespace']);
  });

  test('helmCharts go to the renderer with the values kustomize would hand helm', () => {
    const seen: HelmChartRenderArgs[] = [];
    const r = build(
      {
        '/app/kustomization.yaml': 'namespace: ns\nhelmCharts:\n- name: c\n  releaseName: rel\n  valuesInline:\n    a: inline\n',
        '/app/charts/c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
        '/app/charts/c/values.yaml': 'a: chart\nb: chart\n',
      },
      '/app',
      {
        enableHelm: true,
        helmRenderer: (args) => {
          seen.push(args);
          return `---\n# Source: c/templates/cm.yaml\n${cm('rendered')}`;
        },
      },
    );
    expect(seen).toEqual([
      {
        chartPath: '/app/charts/c',
        releaseName: 'rel',
        namespace: 'ns',
        nameTemplate: '',
        values: ['a: inline\nb: chart\n'],
        apiVersions: [],
        kubeVersion: '',
        includeCRDs: false,
        skipTests: false,
        skipHooks: false,
      },
    ]);
    // Objects a chart rendered keep the namespace helm gave them: the namespace transformer skips them.
    expect(r.resources.map((x) => `${x.key.namespace}/${x.key.name}`)).toEqual(['/rendered']);
  });

  test('a chart that is not present locally is an error, never a pull', () => {
    const e = buildError({ '/app/kustomization.yaml': 'helmCharts:\n- name: c\n  repo: https://charts.example.com\n  version: 1.0.0\n' }, '/app', { enableHelm: true, helmRenderer: () => '' });
    expect(e.kustomizeMessage).toContain('slipway does not pull charts');
  });

  test('repeated keys fail the build the way kustomize fails printing it', () => {
    const e = buildError({ '/app/kustomization.yaml': 'resources:\n- cm.yaml\n', '/app/cm.yaml': cm('c', 'data:\n  k: 1\n  k: 2\n') });
    expect(e.kustomizeMessage).toBe('map[string]interface {}(nil): yaml: unmarshal errors:\n  line 7: mapping key "k" already defined at line 6');
  });

  test('a thousand objects with a prefix, labels and references build in well under a second', () => {
    let resources = '';
    for (let i = 0; i < 1000; i++) {
      resources += `${cm(`c${i}`)}---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p${i}\nspec:\n  containers:\n  - name: c\n    image: x\n    envFrom:\n    - configMapRef:\n        name: c${i}\n---\n`;
    }
    const t = performance.now();
    const r = build({ '/app/kustomization.yaml': 'resources:\n- r.yaml\nnamePrefix: p-\nnamespace: ns\ncommonLabels:\n  a: b\n', '/app/r.yaml': resources });
    expect(performance.now() - t).toBeLessThan(3000);
    expect(r.resources).toHaveLength(2000);
    const pod = r.resources.find((x) => x.key.name === 'p-p999')!.object as unknown as { spec: { containers: { envFrom: { configMapRef: { name: string } }[] }[] } };
    expect(pod.spec.containers[0]!.envFrom[0]!.configMapRef.name).toBe('p-c999');
  });
});
