/**
 * configMapGenerator and secretGenerator: objects, key order and errors, with the
 * expectations of kustomize's own tests (api/internal/generators/*_test.go, api/krusty).
 */
import { describe, expect, test } from 'vitest';
import {
  GeneratorError,
  generateConfigMap,
  generateSecret,
  mergeGeneratorOptions,
  type ConfigMapArgs,
  type GeneratorFileReader,
} from '../../../src/engines/kustomize/generators/index.js';

/** An in-memory kustomization root; a missing file fails with kustomize's loader message. */
function files(tree: Record<string, string | Uint8Array> = {}): GeneratorFileReader {
  return {
    read(path: string): Uint8Array {
      const content = tree[path.replace(/^\.\//, '')];
      if (content === undefined) throw new Error(`evalsymlink failure on '/app/${path}' : lstat /app/${path}: no such file or directory`);
      return typeof content === 'string' ? new TextEncoder().encode(content) : content;
    },
  };
}
const hellos = (n: number) => new Uint8Array(Array.from({ length: n }, () => [0xff, 0x68, 0x65, 0x6c, 0x6c, 0x6f]).flat());
const fixture = files({
  'configmap/app.env': 'DB_USERNAME=admin\nDB_PASSWORD=qwerty\n',
  'configmap/app-init.ini': 'FOO=bar\nBAR=baz\n',
  'configmap/app.bin': hellos(30),
  'secret/app.bin': new Uint8Array([0xff, 0xfd]),
});
const cmData = (args: ConfigMapArgs, reader = files()) => generateConfigMap({ name: 'cm', ...args }, reader).object.data;
const secretData = (args: ConfigMapArgs, reader = files()) => generateSecret({ name: 's', ...args }, reader).object.data;
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(GeneratorError);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('generateConfigMap (kustomize TestMakeConfigMap)', () => {
  test('an env file becomes sorted data', () => {
    const { object } = generateConfigMap({ name: 'envConfigMap', envs: ['configmap/app.env'] }, fixture);
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'envConfigMap' }, data: { DB_PASSWORD: 'qwerty', DB_USERNAME: 'admin' } }),
    );
  });

  test('a text file is keyed by its basename', () => {
    expect(generateConfigMap({ name: 'fileConfigMap1', files: ['configmap/app-init.ini'] }, fixture).object.data).toEqual({ 'app-init.ini': 'FOO=bar\nBAR=baz\n' });
  });

  test('binary content goes to binaryData in 70-column base64 lines', () => {
    const { object } = generateConfigMap({ name: 'fileConfigMap2', files: ['configmap/app-init.ini', 'configmap/app.bin'] }, fixture);
    expect(Object.keys(object)).toEqual(['apiVersion', 'kind', 'metadata', 'data', 'binaryData']);
    expect(object.binaryData).toEqual({
      'app.bin':
        '/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbG\n' +
        'xv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hl\n' +
        'bGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv/2\n' +
        'hlbGxv/2hlbGxv/2hlbGxv/2hlbGxv\n',
    });
  });

  test('binaryData comes first when the first sorted key is binary', () => {
    const { object } = generateConfigMap({ name: 'cm', files: ['a=configmap/app.bin', 'b=configmap/app-init.ini'] }, fixture);
    expect(Object.keys(object)).toEqual(['apiVersion', 'kind', 'metadata', 'binaryData', 'data']);
  });

  test('literals lose one pair of surrounding quotes; labels come sorted', () => {
    const { object } = generateConfigMap(
      { name: 'literalConfigMap1', literals: ['a=x', 'b=y', 'c="Hello World"', "d='true'"], options: { labels: { foo: 'bar' } } },
      fixture,
    );
    expect(object).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'literalConfigMap1', labels: { foo: 'bar' } },
      data: { a: 'x', b: 'y', c: 'Hello World', d: 'true' },
    });
  });

  test('options give labels, annotations (both sorted) and immutable, in that order', () => {
    const { object } = generateConfigMap(
      {
        name: 'literalConfigMap2',
        namespace: 'ns',
        literals: ['a=x'],
        options: { labels: { veggie: 'celery', dog: 'beagle', cat: 'annoying' }, annotations: { river: 'Missouri', city: 'Iowa City' }, immutable: true },
      },
      fixture,
    );
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'literalConfigMap2',
          namespace: 'ns',
          labels: { cat: 'annoying', dog: 'beagle', veggie: 'celery' },
          annotations: { city: 'Iowa City', river: 'Missouri' },
        },
        data: { a: 'x' },
        immutable: true,
      }),
    );
  });

  test('no sources give no data field at all', () => {
    expect(generateConfigMap({ name: 'cm' }, files()).object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  });

  test('empty option maps and false flags add nothing', () => {
    const { object } = generateConfigMap({ name: 'cm', options: { labels: {}, annotations: {}, immutable: false } }, files());
    expect(object).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } });
  });

  test('a key named __proto__ is an ordinary key', () => {
    const data = cmData({ literals: ['__proto__=x'] }) as Record<string, unknown>;
    expect(Object.keys(data)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
  });
});

describe('generateSecret (kustomize TestMakeSecret)', () => {
  test('type comes before data, values are base64', () => {
    const { object } = generateSecret({ name: 'envSecret', envs: ['configmap/app.env'] }, fixture);
    expect(JSON.stringify(object)).toBe(
      JSON.stringify({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'envSecret' }, type: 'Opaque', data: { DB_PASSWORD: 'cXdlcnR5', DB_USERNAME: 'YWRtaW4=' } }),
    );
  });

  test('text and binary files are both base64 in data', () => {
    expect(secretData({ files: ['configmap/app-init.ini', 'secret/app.bin'] }, fixture)).toEqual({ 'app-init.ini': 'Rk9PPWJhcgpCQVI9YmF6Cg==', 'app.bin': '//0=' });
  });

  test('literals after quote removal', () => {
    expect(secretData({ literals: ['a=x', 'b=y', 'c="Hello World"', "d='true'"] })).toEqual({ a: 'eA==', b: 'eQ==', c: 'SGVsbG8gV29ybGQ=', d: 'dHJ1ZQ==' });
  });

  test.each([
    [undefined, 'Opaque'],
    ['', 'Opaque'],
    ['foobar', 'foobar'],
    ['kubernetes.io/tls', 'kubernetes.io/tls'],
  ])('type %j gives %s', (type, want) => {
    expect(generateSecret({ name: 's', type, literals: ['a=x'] }, files()).object.type).toBe(want);
  });

  test('a Secret always has data, even empty', () => {
    expect(generateSecret({ name: 's' }, files()).object).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: {} });
  });

  test.each([
    [51, 68, false],
    [52, 72, true],
    [105, 140, true],
  ])('a %d-byte value is %d base64 characters, broken into lines: %s', (n, chars, broken) => {
    const value = (secretData({ literals: [`a=${'x'.repeat(n)}`] }) as Record<string, string>).a!;
    expect(value.replaceAll('\n', '')).toHaveLength(chars);
    expect(value.endsWith('\n')).toBe(broken);
    for (const line of value.split('\n')) expect(line.length).toBeLessThanOrEqual(70);
  });

  test('options apply to Secrets too', () => {
    const { object } = generateSecret({ name: 's', literals: ['a=x'], options: { labels: { l: 'v' }, immutable: true } }, files());
    expect(Object.keys(object)).toEqual(['apiVersion', 'kind', 'metadata', 'type', 'data', 'immutable']);
    expect(object.metadata).toEqual({ name: 's', labels: { l: 'v' } });
  });
});

describe('sources', () => {
  test.each([
    ['a=b=c', { a: 'b=c' }],
    ['a=', { a: '' }],
    ['a b=1', { 'a b': '1' }],
    [' k = v ', { ' k ': ' v ' }],
    ['e="x\'', { e: '"x\'' }],
    ['q="', { q: '"' }],
    ["TEST='", { TEST: "'" }],
    ["t=this is a 'test'", { t: "this is a 'test'" }],
    ['u="a"b"', { u: 'a"b' }],
    ['m=\'\'', { m: '' }],
    ['grüße=日本', { grüße: '日本' }],
  ])('literal %j', (literal, want) => {
    expect(cmData({ literals: [literal] })).toEqual(want);
  });

  test.each([
    ['myfile', 'myfile'],
    ['./path/myfile', 'myfile'],
    ['dir/sub/', 'sub'],
    ['newName.ini=oldName', 'newName.ini'],
  ])('file source %j has key %j', (source, key) => {
    const reader: GeneratorFileReader = { read: () => new TextEncoder().encode('x') };
    expect(Object.keys(cmData({ files: [source] }, reader) as object)).toEqual([key]);
  });

  test('a key=path source reads the path', () => {
    const seen: string[] = [];
    const reader: GeneratorFileReader = { read: (p) => (seen.push(p), new Uint8Array()) };
    cmData({ files: ['k=conf/a.txt', 'b.txt'] }, reader);
    expect(seen).toEqual(['conf/a.txt', 'b.txt']);
  });

  test('env files, then literals, then files; the singular env after envs', () => {
    const seen: string[] = [];
    const reader: GeneratorFileReader = { read: (p) => (seen.push(p), new TextEncoder().encode(`${p.replace(/\W/g, '')}=1\n`)) };
    const data = cmData({ files: ['f.txt'], literals: ['l=1'], env: 'c.env', envs: ['a.env', 'b.env'] }, reader);
    expect(seen).toEqual(['a.env', 'b.env', 'c.env', 'f.txt']);
    expect(Object.keys(data as object)).toEqual(['aenv', 'benv', 'cenv', 'f.txt', 'l']);
  });

  test('keys are not validated (kustomize FieldValidator is a no-op)', () => {
    expect(cmData({ literals: ['a b=1', 'x/y:z=2', '-=3'] })).toEqual({ '-': '3', 'a b': '1', 'x/y:z': '2' });
  });
});

describe('errors carry kustomize words', () => {
  test.each<[string, ConfigMapArgs, string]>([
    ['no name', { literals: ['a=1'] }, 'a configmap must have a name'],
    ['repeated literal', { name: 'cm', literals: ['a=1', 'a=2'] }, 'configmap cm illegally repeats the key `a`'],
    ['literal without =', { name: 'cm', literals: ['ok=1', 'abc'] }, 'loading KV pairs: literal sources [ok=1 abc]: invalid literal source abc, expected key=value'],
    ['literal with leading =', { name: 'cm', literals: ['=abc'] }, 'loading KV pairs: literal sources [=abc]: invalid literal source =abc, expected key=value'],
    ['two = in a file source', { name: 'cm', files: ['a==b'] }, `loading KV pairs: file sources: [a==b]: source "a==b" key name or file path contains '='`],
    ['file source without key', { name: 'cm', files: ['=f'] }, 'loading KV pairs: file sources: [=f]: missing key name for file path "f" in source "=f"'],
    ['file source without path', { name: 'cm', files: ['k='] }, 'loading KV pairs: file sources: [k=]: missing file path for key name "k" in source "k="'],
    [
      'missing file',
      { name: 'cm', files: ['nope.txt'] },
      "loading KV pairs: file sources: [nope.txt]: evalsymlink failure on '/app/nope.txt' : lstat /app/nope.txt: no such file or directory",
    ],
    [
      'missing env file',
      { name: 'cm', envs: ['a.env'], env: 'nope.env' },
      "loading KV pairs: env source files: [a.env nope.env]: evalsymlink failure on '/app/nope.env' : lstat /app/nope.env: no such file or directory",
    ],
    ['key repeated across sources', { name: 'cm', envs: ['a.env'], files: ['A=f'] }, 'configmap cm illegally repeats the key `A`'],
    ['env file with invalid UTF-8', { name: 'cm', envs: ['bad.env'] }, 'loading KV pairs: env source files: [bad.env]: line [98 61 255] has invalid utf8 bytes : b=\ufffd'],
    ['a data key read back as an int', { name: 'cm', literals: ['1=x'] }, 'ConfigMap cm: kustomize writes the data key "1" unquoted and reads it back as !!int: json: unsupported type: map[interface {}]interface {}'],
    ['a merge key', { name: 'cm', literals: ['<<=x'] }, 'ConfigMap cm: kustomize writes the data key "<<" unquoted and reads it back as !!merge: yaml: map merge requires map or sequence of maps as the value'],
    ['a label key read back as a bool', { name: 'cm', options: { labels: { true: 'x' } } }, 'ConfigMap cm: kustomize writes the label key "true" unquoted and reads it back as !!bool: json: unsupported type: map[interface {}]interface {}'],
  ])('%s', (_, args, message) => {
    const reader = files({ 'a.env': 'A=1\n', f: 'x', 'bad.env': new Uint8Array([0x61, 0x3d, 0x31, 0x0a, 0x62, 0x3d, 0xff, 0x0a]) });
    expect(errorOf(() => generateConfigMap(args, reader))).toBe(message);
  });

  test('Secrets use the same words, "configmap" included', () => {
    expect(errorOf(() => generateSecret({ literals: ['a=1'] }, files()))).toBe('a configmap must have a name');
    expect(errorOf(() => generateSecret({ name: 's', literals: ['a=1', 'a=1'] }, files()))).toBe('configmap s illegally repeats the key `a`');
  });

  test("the reader's error is kept as the cause", () => {
    const cause = new Error('security; file \'/x\' is not in or below \'/app\'');
    try {
      generateConfigMap({ name: 'cm', files: ['../x'] }, { read: () => { throw cause; } });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toBe("loading KV pairs: file sources: [../x]: security; file '/x' is not in or below '/app'");
      expect((e as Error).cause).toBe(cause);
      expect((e as GeneratorError).code).toMatch(/^SLW\d+$/);
    }
  });
});

describe('behavior and hash suffix', () => {
  test.each([
    [undefined, 'create'],
    ['', 'create'],
    ['create', 'create'],
    ['merge', 'merge'],
    ['replace', 'replace'],
    ['sideways', 'create'],
  ])('behavior %j is %s', (behavior, want) => {
    expect(generateConfigMap({ name: 'cm', behavior: behavior as ConfigMapArgs['behavior'] }, files()).behavior).toBe(want);
  });

  test('a hash suffix unless disabled', () => {
    expect(generateConfigMap({ name: 'cm' }, files()).hashSuffix).toBe(true);
    expect(generateSecret({ name: 's', options: { disableNameSuffixHash: false } }, files()).hashSuffix).toBe(true);
    expect(generateSecret({ name: 's', options: { disableNameSuffixHash: true } }, files()).hashSuffix).toBe(false);
  });
});

describe('mergeGeneratorOptions (kustomize MergeGlobalOptionsIntoLocal)', () => {
  test('no global options: the local ones, as they are', () => {
    const local = { labels: { a: '1' } };
    expect(mergeGeneratorOptions(local, undefined)).toBe(local);
    expect(mergeGeneratorOptions(undefined, undefined)).toBeUndefined();
  });

  test('local labels and annotations win; global ones fill in', () => {
    expect(
      mergeGeneratorOptions({ labels: { a: 'local', l: '1' } }, { labels: { a: 'global', g: '2' }, annotations: { x: 'y' } }),
    ).toEqual({ labels: { a: 'local', l: '1', g: '2' }, annotations: { x: 'y' } });
  });

  test('a global true cannot be undone locally', () => {
    expect(mergeGeneratorOptions({ disableNameSuffixHash: false, immutable: false }, { disableNameSuffixHash: true, immutable: true })).toEqual({
      disableNameSuffixHash: true,
      immutable: true,
    });
    expect(mergeGeneratorOptions({ immutable: true }, {})).toEqual({ immutable: true });
  });

  test('inputs are not changed', () => {
    const local = { labels: { a: '1' } };
    const global = { labels: { b: '2' } };
    mergeGeneratorOptions(local, global);
    expect(local).toEqual({ labels: { a: '1' } });
    expect(global).toEqual({ labels: { b: '2' } });
  });
});
