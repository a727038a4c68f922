/**
 * Small inline cases for the go-yaml port: input and the exact text go-yaml v2 /
 * sigs.k8s.io/yaml v1.6.0 give for it (taken from the Go libraries), side by side. The
 * Helm-backed parity test (go-yaml-parity.test.ts) covers hundreds more.
 */
import { describe, expect, test } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import { GoYamlError, jsonToYaml, yamlToJson } from '../../../src/engines/yaml/index.js';

const JSON_TO_YAML: [string, string, string][] = [
  ["a long plain string folds at the first space past column 80", "{\"description\":\"Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\"}", "description: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n  tempor incididunt ut labore et dolore magna aliqua.\n"],
  ["a long string that needs quotes folds inside the double quotes", "{\"description\":\"\\tLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.\"}", "description: \"\\tLorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n  tempor incididunt ut labore et dolore magna aliqua.\"\n"],
  ["a run of spaces at the fold point is kept with a backslash", "{\"k\":\"\\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  b\"}", "k: \"\\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n  \\ b\"\n"],
  ["a string with a line break becomes a literal block", "{\"script\":\"echo hi\\necho there\\n\"}", "script: |\n  echo hi\n  echo there\n"],
  ["no trailing line break gives |- and two give |+", "{\"a\":\"x\\ny\",\"b\":\"x\\ny\\n\\n\"}", "a: |-\n  x\n  y\nb: |+\n  x\n  y\n\n"],
  ["a first line starting with a space needs an indentation indicator", "{\"a\":\"  indented\\nnext\\n\"}", "a: |2\n    indented\n  next\n"],
  ["a line break next to a trailing space falls back to double quotes", "{\"a\":\"x \\ny\"}", "a: \"x \\ny\"\n"],
  ["a tab in a multi-line string falls back to double quotes", "{\"a\":\"x\\ty\\nz\"}", "a: \"x\\ty\\nz\"\n"],
  ["strings that read as other types are double-quoted", "{\"a\":\"true\",\"b\":\"yes\",\"c\":\"null\",\"d\":\"1.5\",\"e\":\"0x1F\",\"f\":\"2001-01-01\",\"g\":\"1:20\",\"h\":\"\",\"i\":\"~\"}", "a: \"true\"\nb: \"yes\"\nc: \"null\"\nd: \"1.5\"\ne: \"0x1F\"\nf: \"2001-01-01\"\ng: \"1:20\"\nh: \"\"\ni: \"~\"\n"],
  ["strings that only look odd stay plain", "{\"a\":\"2001-02-30\",\"b\":\"1e400\",\"c\":\"08x\",\"d\":\"a: \",\"e\":\"-x\",\"f\":\"http://h/p#f\"}", "a: 2001-02-30\nb: 1e400\nc: 08x\nd: 'a: '\ne: -x\nf: http://h/p#f\n"],
  ["indicator characters at the start get single quotes", "{\"a\":\"-\",\"b\":\"*x\",\"c\":\"& y\",\"d\":\"@x\",\"e\":\"`x`\",\"f\":\"it's\",\"g\":\"\\\"q\\\"\",\"h\":\": x\",\"i\":\"#c\"}", "a: '-'\nb: '*x'\nc: '& y'\nd: '@x'\ne: '`x`'\nf: it's\ng: '\"q\"'\nh: ': x'\ni: '#c'\n"],
  ["keys sort with digit runs compared as numbers", "{\"9\":1,\"10\":1,\"a10\":1,\"a9\":1,\"a1\":1,\"b\":1,\"B\":1,\"-\":1,\"é\":1}", "'-': 1\n\"9\": 1\n\"10\": 1\nB: 1\na1: 1\na9: 1\na10: 1\nb: 1\né: 1\n"],
  ["a key over 128 bytes becomes a complex key", "{\"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\":1}", "? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n: 1\n"],
  ["emoji are escaped and CJK is not", "{\"a\":\"🙂 ok\",\"b\":\"日本語\"}", "a: \"\\U0001F642 ok\"\nb: 日本語\n"],
  ["a string starting with a BOM has every character escaped", "{\"a\":\"﻿ab\"}", "a: \"\\uFEFF\\x61\\x62\"\n"],
  ["control characters are escaped", "{\"a\":\"\\u0001\\u0007\\u001b\",\"b\":\"\\t\"}", "a: \"\\x01\\a\\e\"\nb: \"\\t\"\n"],
  ["a raw NEL in the JSON is a line break to go-yaml, folded to a space", "{\"c\":\"ab\"}", "c: a b\n"],
  ["a raw DEL or C1 character is refused by go-yaml's reader", "{\"a\":\"x\"}", "ERR:yaml: control characters are not allowed"],
  ["empty collections are written in flow style", "{\"a\":{},\"b\":[],\"c\":[{},[]]}", "a: {}\nb: []\nc:\n- {}\n- []\n"],
  ["sequences in a mapping are not indented", "{\"list\":[{\"name\":\"a\",\"v\":[1,2]},\"x\"]}", "list:\n- name: a\n  v:\n  - 1\n  - 2\n- x\n"],
  ["numbers keep their Go types", "{\"int\":1,\"float\":1.5,\"whole\":1.0,\"big\":12345678901234567890,\"huge\":100000000000000000000,\"exp\":1e+21,\"small\":1e-7,\"negzero\":-0,\"million\":1000000.0}", "big: 12345678901234567890\nexp: 1e+21\nfloat: 1.5\nhuge: 1e+20\nint: 1\nmillion: 1e+06\nnegzero: 0\nsmall: 1e-07\nwhole: 1\n"],
  ["top-level values", "\"hello\"", "hello\n"],
  ["a top-level null", "null", "null\n"],
  ["a top-level multi-line string", "\"a\\nb\\n\"", "|\n  a\n  b\n"],
];
const YAML_TO_JSON: [string, string, string][] = [
  ["YAML 1.1 booleans", "a: yes\nb: Off\nc: y\nd: N\ne: \"yes\"\n", "{\"a\":true,\"b\":false,\"c\":true,\"d\":false,\"e\":\"yes\"}"],
  ["ints in every base, with underscores", "a: 0777\nb: 0x1F\nc: 0o17\nd: 0b101\ne: 1_000\nf: 08\n", "{\"a\":511,\"b\":31,\"c\":15,\"d\":5,\"e\":1000,\"f\":8}"],
  ["big integers are kept exactly", "a: 12345678901234567890\nb: -9223372036854775808\nc: 18446744073709551616\n", "{\"a\":12345678901234567890,\"b\":-9223372036854775808,\"c\":18446744073709552000}"],
  ["floats, and 1e400 which overflows and so stays a string", "a: 1.5\nb: .5\nc: 1e3\nd: -.5e-3\ne: 1e400\n", "{\"a\":1.5,\"b\":0.5,\"c\":1000,\"d\":-0.0005,\"e\":\"1e400\"}"],
  ["infinity cannot be written as JSON", "a: .inf\n", "ERR:json: unsupported value: +Inf"],
  ["NaN cannot be written as JSON", "a: .nan\n", "ERR:json: unsupported value: NaN"],
  ["timestamps and base-60 numbers stay strings", "a: 2001-12-14\nb: 2001-12-14 21:59:43.10\nc: 1:20\n", "{\"a\":\"2001-12-14\",\"b\":\"2001-12-14 21:59:43.10\",\"c\":\"1:20\"}"],
  ["non-string keys become strings", "true: a\n1: b\n1.5: c\n3.14159265358979: d\n", "{\"1\":\"b\",\"1.5\":\"c\",\"3.1415927\":\"d\",\"true\":\"a\"}"],
  ["a null key cannot be converted", "~: a\n", "ERR:unsupported map key of type: %!s(<nil>), key: <nil>, value: \"a\""],
  ["merge keys, earlier sequence entries winning", "a: &a {p: 1, q: 1}\nb: &b {q: 2, r: 2}\nc:\n  <<: [*a, *b]\n", "{\"a\":{\"p\":1,\"q\":1},\"b\":{\"q\":2,\"r\":2},\"c\":{\"p\":1,\"q\":1,\"r\":2}}"],
  ["a merge overrides keys written before it (go-yaml v2)", "base: &base {a: 1}\nd:\n  a: 0\n  <<: *base\n", "{\"base\":{\"a\":1},\"d\":{\"a\":1}}"],
  ["an unknown anchor", "a: *nope\n", "ERR:yaml: unknown anchor 'nope' referenced"],
  ["an alias inside its own anchor", "a: &a [*a]\n", "ERR:yaml: anchor 'a' value contains itself"],
  ["a bad indentation names the line", "a:\n  b: 1\n c: 2\n", "ERR:yaml: line 2: did not find expected key"],
  ["a scanner error names the line after the 0-based mark", "a: b\n  c: d\n", "ERR:yaml: line 2: mapping values are not allowed in this context"],
  ["an unclosed quote", "a: \"x\n", "ERR:yaml: line 2: found unexpected end of stream"],
  ["tabs for indentation", "a:\n\tb: 1\n", "ERR:yaml: line 2: found character that cannot start any token"],
  ["a control character", "a: \u0001\n", "ERR:yaml: control characters are not allowed"],
  ["only the first document is read", "a: 1\n---\nb: [\n", "{\"a\":1}"],
  ["!!binary is decoded", "a: !!binary aGVsbG8=\n", "{\"a\":\"hello\"}"],
  ["explicit tags that do not fit", "a: !!int x\n", "ERR:yaml: cannot decode !!str `x` as a !!int"],
  ["HTML characters are escaped as Go does", "a: <b>&</b>\n", "{\"a\":\"\\u003cb\\u003e\\u0026\\u003c/b\\u003e\"}"],
  ["an empty document", "", "null"],
];

/** The text, or 'ERR:' and the error message without the Unmarshal prefix. */
function run(f: (s: string) => string, input: string): string {
  try {
    return f(input);
  } catch (e) {
    return `ERR:${(e as Error).message.replace(/^error converting YAML to JSON: /, '')}`;
  }
}

describe('jsonToYaml writes what sigs.k8s.io/yaml JSONToYAML writes', () => {
  test.each(JSON_TO_YAML)('%s', (_name, json, want) => {
    expect(run(jsonToYaml, json)).toBe(want);
  });

  test('an error is a GoYamlError with go-yaml\'s message', () => {
    expect(() => jsonToYaml('{"a": "\\q"}')).toThrow(GoYamlError);
    expect(() => jsonToYaml('{"a": "\\q"}')).toThrow('yaml: found unknown escape character');
  });
});

describe('yamlToJson gives what sigs.k8s.io/yaml YAMLToJSON gives', () => {
  test.each(YAML_TO_JSON)('%s', (_name, yaml, want) => {
    expect(run(yamlToJson, yaml)).toBe(want);
  });

  test('errors are InputErrors with the text of Helm\'s fromYaml and the file and line', () => {
    let err: unknown;
    try {
      yamlToJson('a: 1\nb: [\n', 'values.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toBe('error converting YAML to JSON: yaml: line 2: did not find expected node content');
    expect((err as InputError).at).toEqual({ file: 'values.yaml', line: 2 });
  });
});
