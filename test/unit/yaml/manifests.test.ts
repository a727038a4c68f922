import { describe, expect, test } from 'vitest';
import {
  InputError,
  ManifestError,
  formatError,
  memoryFileSystem,
  type FileSystem,
  type SlipwayError,
} from '../../../src/core/index.js';
import { loadManifests, parseManifests } from '../../../src/engines/yaml/index.js';

/** The error of class `cls` that `fn` throws; fails the test when it throws nothing or something else. */
function errorOf<E extends SlipwayError>(cls: abstract new (...args: never[]) => E, fn: () => unknown): E {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(cls);
    return e as E;
  }
  throw new Error(`expected a ${cls.name}, but nothing was thrown`);
}

/** A ConfigMap document named `name`, four lines long. */
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('parseManifests', () => {
  test('gives each object its key, the object itself and the file and line it came from', () => {
    const text = ['# web tier', 'apiVersion: apps/v1', 'kind: Deployment', 'metadata:', '  name: web', '  namespace: shop', 'spec:', '  replicas: 2', ''].join('\n');
    const [m, ...rest] = parseManifests(text, 'deploy/web.yaml');
    expect(rest).toEqual([]);
    expect(m?.key).toEqual({ group: 'apps', kind: 'Deployment', namespace: 'shop', name: 'web' });
    expect(m?.object).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' }, spec: { replicas: 2 } });
    expect(m?.origin).toEqual({ source: 'file:deploy/web.yaml', at: { file: 'deploy/web.yaml', line: 2, column: 1 } });
  });

  test('a cluster-scoped core object has an empty group and namespace', () => {
    const [m] = parseManifests('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n', 'ns.yaml');
    expect(m?.key).toEqual({ group: '', kind: 'Namespace', namespace: '', name: 'shop' });
  });

  test("keeps stream order and each document's own start line", () => {
    const text = `${configMap('a')}---\n${configMap('b')}---\n# third\n${configMap('c')}`;
    expect(parseManifests(text, 'all.yaml').map((m) => [m.key.name, m.origin.at?.line])).toEqual([
      ['a', 1],
      ['b', 6],
      ['c', 12],
    ]);
  });

  test('skips empty documents and documents holding only a comment', () => {
    const text = `---\n---\n# nothing here\n---\n${configMap('only')}---\n`;
    expect(parseManifests(text, 'f.yaml').map((m) => [m.key.name, m.origin.at?.line])).toEqual([['only', 5]]);
  });

  test('an empty file has no manifests', () => {
    expect(parseManifests('', 'empty.yaml')).toEqual([]);
  });

  test('a kind: List is flattened into its items, each at the line where the item starts', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: List', // 2
      'items:', // 3
      '- apiVersion: v1', // 4
      '  kind: ConfigMap', // 5
      '  metadata:', // 6
      '    name: a', // 7
      '- apiVersion: v1', // 8
      '  kind: Secret', // 9
      '  metadata:', // 10
      '    name: b', // 11
      '',
    ].join('\n');
    expect(parseManifests(text, 'list.yaml').map((m) => [m.key.kind, m.key.name, m.origin.at])).toEqual([
      ['ConfigMap', 'a', { file: 'list.yaml', line: 4, column: 3 }],
      ['Secret', 'b', { file: 'list.yaml', line: 8, column: 3 }],
    ]);
  });

  test('a typed list such as ConfigMapList is flattened too, and lists nest', () => {
    const text = [
      'apiVersion: v1', // 1
      'kind: ConfigMapList', // 2
      'items:', // 3
      '- apiVersion: v1', // 4
      '  kind: List', // 5
      '  items:', // 6
      '  - apiVersion: v1', // 7
      '    kind: ConfigMap', // 8
      '    metadata: {name: deep}', // 9
      '',
    ].join('\n');
    expect(parseManifests(text, 'l.yaml').map((m) => [m.key.name, m.origin.at?.line])).toEqual([['deep', 7]]);
  });

  test('an empty List gives no manifests', () => {
    expect(parseManifests('apiVersion: v1\nkind: List\nitems: []\n', 'l.yaml')).toEqual([]);
  });

  test('a JSON document parses as YAML', () => {
    const [m] = parseManifests('{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j"}}', 'cm.json');
    expect(m?.key).toEqual({ group: '', kind: 'ConfigMap', namespace: '', name: 'j' });
  });

  test('an empty labels map written as null is accepted', () => {
    expect(parseManifests(`${configMap('a')}  labels:\n`, 'f.yaml')).toHaveLength(1);
  });
});

describe('parseManifests errors name file, line and field', () => {
  // Each case puts a valid ConfigMap first (lines 1-4, then --- on line 5), so the line
  // has to come from the bad document, not from the start of the file.
  const after = (bad: string) => `${configMap('ok')}---\n${bad}`;

  test.each([
    ['a scalar document', after('just a string\n'), 6, 'found string "just a string"'],
    ['a number document', after('42\n'), 6, 'found number 42'],
    ['a list document', after('- a\n- b\n'), 6, 'found a list'],
    ['a missing apiVersion', after('kind: ConfigMap\nmetadata:\n  name: x\n'), 6, 'missing required field "apiVersion"'],
    ['an apiVersion that is a number', after('apiVersion: 1\nkind: ConfigMap\nmetadata:\n  name: x\n'), 6, 'field "apiVersion" must be a string, found number 1'],
    ['a missing kind', after('apiVersion: v1\nmetadata:\n  name: x\n'), 6, 'missing required field "kind"'],
    ['a missing metadata', after('apiVersion: v1\nkind: ConfigMap\ndata: {}\n'), 6, 'missing required field "metadata"'],
    ['a metadata that is a list', after('apiVersion: v1\nkind: ConfigMap\nmetadata: []\n'), 8, 'field "metadata" must be a map'],
    ['a missing metadata.name', after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n'), 9, 'missing required field "metadata.name"'],
    ['an empty metadata.name', after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: x\n  name: ""\n'), 10, 'missing required field "metadata.name"'],
    ['a metadata.name that is a number', after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 42\n'), 9, 'field "metadata.name" must be a string, found number 42'],
    ['a metadata.name that YAML 1.1 reads as a boolean', after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yes\n'), 9, 'field "metadata.name" must be a string, found boolean true'],
    ['labels that are a list', after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels: [a]\n'), 10, 'field "metadata.labels" must be a map'],
    [
      'a label value that is a number',
      after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  labels:\n    app: web\n    tier: 3\n'),
      12,
      'metadata.labels["tier"] must be a string, found number 3',
    ],
    [
      'an annotation value that is a boolean',
      after('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  annotations:\n    enabled: true\n'),
      11,
      'metadata.annotations["enabled"] must be a string, found boolean true',
    ],
  ])('%s', (_name, text, line, message) => {
    const err = errorOf(ManifestError, () => parseManifests(text, 'apps/bad.yaml'));
    expect(err.message).toContain(message);
    expect(err.at?.file).toBe('apps/bad.yaml');
    expect(err.at?.line).toBe(line);
    expect(formatError(err)).toMatch(new RegExp(`^apps/bad\\.yaml:${line}:\\d+: `));
  });

  test.each([
    ['an item that is a number', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- 3\n', 7, 'found number 3'],
    [
      'an item without a name',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    labels: {}\n',
      10,
      'missing required field "metadata.name"',
    ],
    [
      'an item with a numeric label',
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  metadata:\n    name: s\n    labels:\n      port: 1\n',
      9,
      'metadata.labels["port"] must be a string, found number 1',
    ],
  ])('in a List, %s is reported at the item line', (_name, text, line, message) => {
    const err = errorOf(ManifestError, () => parseManifests(text, 'list.yaml'));
    expect(err.message).toContain(message);
    expect(err.at).toMatchObject({ file: 'list.yaml', line });
  });

  test('a YAML syntax error is an InputError, not a ManifestError', () => {
    const err = errorOf(InputError, () => parseManifests('a: [\n', 'broken.yaml'));
    expect(err).not.toBeInstanceOf(ManifestError);
    expect(err.at?.file).toBe('broken.yaml');
  });
});

describe('loadManifests', () => {
  const tree = memoryFileSystem({
    'apps/b.yaml': configMap('b'),
    'apps/a.yml': configMap('a'),
    'apps/A.yaml': configMap('upper'),
    'apps/c.json': '{\n  "apiVersion": "v1",\n  "kind": "ConfigMap",\n  "metadata": {"name": "c"}\n}\n',
    'apps/b-sub/x.yaml': configMap('b-sub'),
    'apps/sub/deeper/z.yaml': `${configMap('z1')}---\n${configMap('z2')}`,
    'apps/readme.md': 'not: [yaml',
    'apps/b.yaml.bak': 'not: [yaml',
    'apps/kustomization.txt': 'not: [yaml',
    'apps/.git/config.yaml': 'not: [yaml',
    'apps/sub/.cache/x.yaml': 'not: [yaml',
    'single.yaml': configMap('single'),
    'notes.txt': configMap('explicit'),
    'bad/x.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 7\n',
    '/abs/dir/x.yaml': configMap('abs'),
  });
  const names = (paths: string[], fs: FileSystem = tree) => loadManifests(paths, fs).map((m) => m.key.name);

  test('reads a directory recursively, in byte order of names, .yaml/.yml/.json only, skipping dot-directories', () => {
    expect(loadManifests(['apps'], tree).map((m) => `${m.key.name} ${m.origin.at?.file}:${m.origin.at?.line}`)).toEqual([
      'upper apps/A.yaml:1',
      'a apps/a.yml:1',
      'b-sub apps/b-sub/x.yaml:1',
      'b apps/b.yaml:1',
      'c apps/c.json:1',
      'z1 apps/sub/deeper/z.yaml:1',
      'z2 apps/sub/deeper/z.yaml:6',
    ]);
  });

  test('the origin source names the file', () => {
    expect(loadManifests(['single.yaml'], tree)[0]?.origin.source).toBe('file:single.yaml');
  });

  test('reads the paths in the order given', () => {
    expect(names(['single.yaml', 'apps/sub', '/abs'])).toEqual(['single', 'z1', 'z2', 'abs']);
  });

  test('reads a file named on its own whatever its extension', () => {
    expect(names(['notes.txt'])).toEqual(['explicit']);
  });

  test.each(['nope', 'apps/missing.yaml', 'apps/sub/nothing'])('a missing path %s is an InputError naming it', (path) => {
    const err = errorOf(InputError, () => loadManifests([path], tree));
    expect(err.at?.file).toBe(path);
    expect(formatError(err)).toBe(`${path}: no such file or directory`);
  });

  test('a file that cannot be read is an InputError naming the file', () => {
    const failing: FileSystem = { ...tree, readFile: () => { throw new Error('EACCES: permission denied'); } };
    const err = errorOf(InputError, () => loadManifests(['single.yaml'], failing));
    expect(err.at?.file).toBe('single.yaml');
    expect(err.message).toContain('EACCES');
  });

  test('a bad manifest inside a directory names the file it is in', () => {
    const err = errorOf(ManifestError, () => loadManifests(['single.yaml', 'bad'], tree));
    expect(err.at).toMatchObject({ file: 'bad/x.yaml', line: 4 });
  });

  test('a syntax error in a .json file names the file and line', () => {
    const fs = memoryFileSystem({ 'x.json': '{\n  "apiVersion": "v1",\n  "kind": [\n}\n' });
    const err = errorOf(InputError, () => loadManifests(['x.json'], fs));
    expect(err.at?.file).toBe('x.json');
    expect(err.at?.line).toBe(4);
  });

  test('- reads the stdin text when a reader is given', () => {
    const [m] = loadManifests(['-'], tree, () => configMap('piped'));
    expect(m?.key.name).toBe('piped');
    expect(m?.origin.at?.file).toBe('<stdin>');
  });

  test('- without a stdin reader is an InputError', () => {
    expect(() => loadManifests(['-'], tree)).toThrow(InputError);
  });
});
