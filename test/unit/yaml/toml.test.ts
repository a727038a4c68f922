/**
 * Small inline cases for marshalToml: a value and the exact text BurntSushi/toml v1.6.0
 * writes for it (taken from the Go library). Numbers are float64, bigints are int64, as in
 * the template engine's value model. The Helm-backed parity test is toml-parity.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { TomlEncodeError, marshalToml } from '../../../src/engines/yaml/index.js';

describe('marshalToml writes what BurntSushi/toml writes', () => {
  test.each([
    [
      'plain keys sorted, floats always with a point, ints without',
      { name: 'app', port: 80, replicas: 3n, ratio: 0.5, enabled: true },
      'enabled = true\nname = "app"\nport = 80.0\nratio = 0.5\nreplicas = 3\n',
    ],
    [
      'plain keys before tables, nested tables indented and not separated',
      { server: { host: 'h', tls: { on: false } }, z: 1.5 },
      'z = 1.5\n\n[server]\n  host = "h"\n  [server.tls]\n    on = false\n',
    ],
    [
      'a list of maps is an array of tables, each after a blank line',
      { plugins: [{ name: 'a' }, { name: 'b', opts: { x: 1n } }] },
      '[[plugins]]\n  name = "a"\n\n[[plugins]]\n  name = "b"\n  [plugins.opts]\n    x = 1\n',
    ],
    [
      'keys that are not bare are quoted; strings escape quotes and controls',
      { 'a b': 1n, '': 2n, é: 3n, 'x.y': { q: '"\\\n\u0001\u007f' } },
      '"" = 2\n"a b" = 1\n"é" = 3\n\n["x.y"]\n  q = "\\"\\\\\\n\\u0001\\u007f"\n',
    ],
    [
      'mixed arrays are inline, nil map values are skipped',
      { list: [1n, 'two', [3], { k: null, v: [{ w: 1n }] }] },
      'list = [1, "two", [3.0], {v = [{w = 1}]}]\n',
    ],
    ['nil is skipped, empty maps are empty tables', { n: null, e: {}, l: [] }, 'l = []\n\n[e]\n'],
    ['float formats', { f: 1e21, g: 1e6, h: -0, i: 100000, j: 1e-7 }, 'f = 1e+21\ng = 1e+06\nh = -0.0\ni = 100000.0\nj = 1e-07\n'],
    ['a top-level scalar is written bare', 'str', '"str"'],
  ])('%s', (_name, value, want) => {
    expect(marshalToml(value)).toBe(want);
  });

  test.each([
    ['a top-level list of maps', [{ a: 1 }], 'toml: top-level values must be Go maps or structs'],
    ['a nil array element', { a: [1, null] }, 'toml: cannot encode array with nil element'],
  ])('%s is an error with Go\'s text', (_name, value, message) => {
    expect(() => marshalToml(value)).toThrow(TomlEncodeError);
    expect(() => marshalToml(value)).toThrow(message);
  });
});
