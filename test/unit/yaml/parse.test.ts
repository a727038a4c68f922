import { describe, expect, test } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import { parseYamlStream, toYaml } from '../../../src/engines/yaml/index.js';

/** The InputError `fn` throws; fails the test when it throws nothing or something else. */
function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError, but nothing was thrown');
}

/** The value of `v` in a one-line document `v: <scalar>`. */
function scalar(text: string): unknown {
  const [doc] = parseYamlStream(`v: ${text}\n`, 'scalar.yaml');
  return (doc?.value as { v: unknown }).v;
}

describe('parseYamlStream: where each document starts', () => {
  test.each([
    ['a single document', 'a: 1\n', [1]],
    ['leading comments before the first document', '# one\n# two\na: 1\n---\nb: 2\n', [3, 5]],
    ['leading blank lines', '\n\n\na: 1\n', [4]],
    ['a stream that opens with ---', '---\na: 1\n---\nb: 2\n', [2, 4]],
    ['a comment after the separator', 'a: 1\n--- # second\nb: 2\n', [1, 3]],
    ['content on the separator line itself', 'a: 1\n--- {b: 2}\n', [1, 2]],
    ['blank lines and a ... end marker between documents', 'a: 1\n--- \n\n\nb: 2\n...\n---\nc: 3', [1, 5, 8]],
    ['CRLF line endings', 'a: 1\r\n---\r\nb: 2\r\n', [1, 3]],
    ['a %YAML directive', '%YAML 1.1\n---\na: 1\n', [3]],
  ])('%s', (_name, text, lines) => {
    expect(parseYamlStream(text, 'f.yaml').map((d) => d.at.line)).toEqual(lines);
  });

  test('an empty document between two separators is kept as null at its separator line', () => {
    const docs = parseYamlStream('---\na: 1\n---\n---\n# comment\nb: 2\n', 'f.yaml');
    expect(docs.map((d) => [d.index, d.value, d.at.line])).toEqual([
      [0, { a: 1 }, 2],
      [1, null, 3],
      [2, { b: 2 }, 6],
    ]);
  });

  test('a trailing separator yields a last, empty document', () => {
    expect(parseYamlStream('a: 1\n---\n', 'f.yaml').map((d) => d.value)).toEqual([{ a: 1 }, null]);
  });

  test('an empty text has no documents', () => {
    expect(parseYamlStream('', 'f.yaml')).toEqual([]);
  });

  test('every document carries the file name it came from', () => {
    expect(parseYamlStream('a: 1\n---\nb: 2\n', 'deploy/app.yaml').map((d) => d.at.file)).toEqual(['deploy/app.yaml', 'deploy/app.yaml']);
  });
});

describe('parseYamlStream: YAML 1.1 scalars as go-yaml v2 resolves them', () => {
  test.each([
    ['yes', true],
    ['Yes', true],
    ['YES', true],
    ['no', false],
    ['NO', false],
    ['on', true],
    ['On', true],
    ['off', false],
    ['OFF', false],
    ['y', true],
    ['Y', true],
    ['n', false],
    ['N', false],
    ['True', true],
    ['FALSE', false],
    ['0777', 511],
    ['0x1F', 31],
    ['-0x1F', -31],
    ['0b101', 5],
    ['1_000', 1000],
    ['+12', 12],
    ['1e3', 1000],
    ['08', 8],
    ['1.0', 1],
    ['1:20', '1:20'],
    ['1:20:30', '1:20:30'],
    ['2001-12-14', '2001-12-14'],
    ['2001-12-14T21:59:43.10-05:00', '2001-12-14T21:59:43.10-05:00'],
    ['~', null],
    ['null', null],
    ['Null', null],
    ['NULL', null],
    ['', null],
    ['.inf', Infinity],
    ['+.inf', Infinity],
    ['-.Inf', -Infinity],
    ['.nan', NaN],
    ['"yes"', 'yes'],
    ["'0777'", '0777'],
    ['!!str 0777', '0777'],
    ['!!int "12"', 12],
  ])('%s is read as %s', (text, want) => {
    expect(scalar(text)).toEqual(want);
  });

  test('a merge key copies the aliased map and lets the explicit keys win', () => {
    const [doc] = parseYamlStream('base: &base {cpu: 1, mem: 2}\nlarge:\n  <<: *base\n  mem: 8\n', 'f.yaml');
    expect(doc?.value).toEqual({ base: { cpu: 1, mem: 2 }, large: { cpu: 1, mem: 8 } });
  });

  test('a merge key with a list of maps takes each key from the first map that has it', () => {
    const [doc] = parseYamlStream('m: {<<: [{a: 1}, {a: 2, b: 2}], c: 3}\n', 'f.yaml');
    expect(doc?.value).toEqual({ m: { a: 1, b: 2, c: 3 } });
  });

  test('a merge key inside a sequence item works on an aliased flow map', () => {
    const [doc] = parseYamlStream('list:\n- &a {p: 1}\n- {<<: *a, q: 2}\n', 'f.yaml');
    expect(doc?.value).toEqual({ list: [{ p: 1 }, { p: 1, q: 2 }] });
  });
});

describe('parseYamlStream: errors', () => {
  test.each([
    ['a key repeated at the top level', 'a: 1\na: 2\n', 2, 1],
    ['a key repeated in a nested map', 'a:\n  b: 1\n  b: 2\n', 3, 3],
    ['the same key once quoted and once not', '"a": 1\n\'a\': 2\n', 2, 1],
  ])('%s is an error at the second occurrence', (_name, text, line, column) => {
    const err = inputErrorOf(() => parseYamlStream(text, 'dup.yaml'));
    expect(err.message).toMatch(/unique/);
    expect(err.at).toEqual({ file: 'dup.yaml', line, column });
  });

  test.each([
    ['a map key indented less than its siblings', 'a:\n  b: 1\n c: 2\n', 3],
    ['a map key after a sequence at the same indentation', 'a:\n  - 1\n  b: 2\n', 3],
    ['a flow sequence that is never closed', 'a: 1\nb: [1, 2\nc: 3\n', 3],
    ['a flow map that is never closed', 'a: {x: 1\nb: 2\n', 2],
    ['a tab used to indent a map', 'a: 1\nb:\n\tc: 1\n', 3],
    ['a tab used to indent a sequence', 'a:\n\t- 1\n', 2],
    ['a tab in the second document', 'a: 1\n---\nb:\n  c: 1\n\td: 2\n', 5],
    ['a double quote left open on the last line', 'a: 1\nb: "abc', 2],
    ['a single quote left open on the last line', "a: 1\nb: 'abc", 2],
    ['a sequence entry followed by a map key', '- a\nb: 1\n', 2],
    ['two mappings on one line', 'a: b: c\n', 1],
  ])('%s throws InputError at the bad line', (_name, text, line) => {
    const err = inputErrorOf(() => parseYamlStream(text, 'bad.yaml'));
    expect(err.message).toMatch(/^invalid YAML: /);
    expect(err.at?.file).toBe('bad.yaml');
    expect(err.at?.line).toBe(line);
    expect(err.at?.column).toBeGreaterThanOrEqual(1);
  });

  test('an alias to an anchor that does not exist is an InputError naming the anchor', () => {
    const err = inputErrorOf(() => parseYamlStream('a: 1\nb: *nope\n', 'alias.yaml'));
    expect(err.message).toContain('nope');
    expect(err.at?.file).toBe('alias.yaml');
  });

  test('a syntax error in a later document rejects the whole stream', () => {
    expect(() => parseYamlStream('a: 1\n---\nb: [\n', 'f.yaml')).toThrow(InputError);
  });

  test('the message is one line, without the library position suffix', () => {
    const err = inputErrorOf(() => parseYamlStream('a:\n  b: 1\n c: 2\n', 'f.yaml'));
    expect(err.message).not.toContain('\n');
    expect(err.message).not.toMatch(/at line \d+/);
  });
});

describe('YamlDocument.locate', () => {
  const text = [
    '# header', // 1
    '---', // 2
    'apiVersion: v1', // 3
    'kind: ConfigMap', // 4
    'metadata:', // 5
    '  name: settings', // 6
    '  labels:', // 7
    '    app: web', // 8
    'data:', // 9
    '  empty:', // 10
    '  list:', // 11
    '  - x', // 12
    '  - y', // 13
    '---', // 14
    'apiVersion: v1', // 15
    'kind: Secret', // 16
    'metadata:', // 17
    '  name: token', // 18
  ].join('\n');
  const [first, second] = parseYamlStream(text, 'cm.yaml');

  test.each([
    [['metadata', 'name'], 6],
    [['metadata', 'labels', 'app'], 8],
    [['kind'], 4],
    [['data', 'empty'], 10],
    [['data', 'list', 1], 13],
  ])('%j is on line %i', (path, line) => {
    expect(first?.locate(path)).toMatchObject({ file: 'cm.yaml', line });
  });

  test('metadata.name in the second document is found on the line inside that document', () => {
    expect(second?.locate(['metadata', 'name'])).toMatchObject({ file: 'cm.yaml', line: 18 });
  });

  test.each([
    ['a missing top-level field falls back to the document start', ['missing'], 3],
    ['a missing nested field falls back to the nearest parent that exists', ['data', 'nope', 'deeper'], 10],
    ['an index past the end of a list falls back to the list', ['data', 'list', 5], 12],
    ['the empty path is the document start', [], 3],
  ])('%s', (_name, path, line) => {
    expect(first?.locate(path).line).toBe(line);
  });
});

describe('toYaml', () => {
  test('prints map keys sorted at every level', () => {
    expect(toYaml({ spec: { replicas: 2, paused: false }, kind: 'Deployment', apiVersion: 'apps/v1' })).toBe(
      ['apiVersion: apps/v1', 'kind: Deployment', 'spec:', '  paused: false', '  replicas: 2', ''].join('\n'),
    );
  });

  test('keeps insertion order when sortKeys is false', () => {
    expect(toYaml({ b: 1, a: 2 }, { sortKeys: false })).toBe('b: 1\na: 2\n');
  });

  test('indents maps by two spaces and does not indent a sequence under its key', () => {
    expect(toYaml({ spec: { containers: [{ name: 'web', ports: [{ containerPort: 80 }] }] } })).toBe(
      ['spec:', '  containers:', '  - name: web', '    ports:', '    - containerPort: 80', ''].join('\n'),
    );
  });

  test('prints a nested sequence with the inner dash after the outer one', () => {
    expect(toYaml({ m: [[1, 2], { a: [3] }] })).toBe(['m:', '- - 1', '  - 2', '- a:', '  - 3', ''].join('\n'));
  });

  test('does not fold a long string onto several lines', () => {
    const long = Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ');
    const out = toYaml({ description: long });
    expect(out).toBe(`description: ${long}\n`);
    expect(out.split('\n')).toHaveLength(2);
  });

  test('prints empty maps and lists in flow style and null as null', () => {
    expect(toYaml({ a: {}, b: [], c: null })).toBe('a: {}\nb: []\nc: null\n');
  });

  test.each([
    'yes', 'no', 'on', 'off', 'y', 'n', 'Y', 'N', 'On', 'NO', 'true', 'False', 'null', 'Null', '~', '',
    '1.0', '0.1', '123', '0777', '08', '0x1F', '+0x1F', '0b101', '1_000', '1e3', '+12', '-0', '.5', '.inf', '-.inf',
    '1:20', '12:30:00', '2001-12-14', '2001-12-14 21:59:43.10',
  ])('quotes the string %j so that it reads back as a string', (s) => {
    const out = toYaml({ v: s });
    expect(out).toMatch(/^v: ["']/);
    expect(parseYamlStream(out, 'out.yaml')[0]?.value).toEqual({ v: s });
  });

  test.each(['web', 'nginx:1.27', "it's", 'a=b', 'http://example.com/x'])('leaves the plain string %j unquoted', (s) => {
    expect(toYaml({ v: s })).toBe(`v: ${s}\n`);
  });

  test.each([
    ['a string with a newline', 'a\nb\n'],
    ['a string that starts with #', '#c'],
    ['a string that looks like a sequence entry', '- a'],
    ['a string with a comment marker', 'x #y'],
    ['a string in double quotes', '"q"'],
  ])('%s reads back unchanged', (_name, s) => {
    expect(parseYamlStream(toYaml({ v: s }), 'out.yaml')[0]?.value).toEqual({ v: s });
  });
});
