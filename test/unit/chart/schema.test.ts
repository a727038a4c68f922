import { describe, expect, test } from 'vitest';
import { memoryFileSystem } from '../../../src/core/index.js';
import { coalesceValues } from '../../../src/engines/chart/coalesce.js';
import { checkDependencies, processDependencies } from '../../../src/engines/chart/dependencies.js';
import { SchemaValidationError } from '../../../src/engines/chart/internal/errors.js';
import { loadChart } from '../../../src/engines/chart/loader.js';
import { schemaErrors, validateAgainstSingleSchema, validateValues } from '../../../src/engines/chart/schema.js';
import type { Chart, GoMap } from '../../../src/engines/chart/types.js';
import { mergeValueOptions, unmarshalValues } from '../../../src/engines/chart/values.js';

// values.schema.json checks (pkg/chartutil/jsonschema.go with santhosh-tekuri/jsonschema v6),
// with the cases of jsonschema_test.go and runs of the real helm v3.22.0.

const HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):\n";

function chart(name: string, schema: string | undefined, ...dependencies: Chart[]): Chart {
  const c: Chart = { metadata: { apiVersion: 'v2', name, version: '0.1.0' }, values: {}, templates: [], files: [], raw: [], dependencies, source: name };
  if (schema !== undefined) c.schema = new TextEncoder().encode(schema);
  return c;
}

// chartutil/testdata/test-values.schema.json and test-values*.yaml
const TEST_SCHEMA = JSON.stringify({
  $schema: 'http://json-schema.org/draft-07/schema#',
  properties: {
    addresses: { description: 'List of addresses', items: { properties: { city: { type: 'string' }, number: { type: 'number' }, street: { type: 'string' } }, type: 'object' }, type: 'array' },
    age: { description: 'Age', minimum: 0, type: 'integer' },
    employmentInfo: { properties: { salary: { minimum: 0, type: 'number' }, title: { type: 'string' } }, required: ['salary'], type: 'object' },
    firstname: { description: 'First name', type: 'string' },
    lastname: { type: 'string' },
    likesCoffee: { type: 'boolean' },
    phoneNumbers: { items: { type: 'string' }, type: 'array' },
  },
  required: ['firstname', 'lastname', 'addresses', 'employmentInfo'],
  title: 'Values',
  type: 'object',
});
const TEST_VALUES = `firstname: John
lastname: Doe
age: 25
likesCoffee: true
employmentInfo:
  title: Software Developer
  salary: 100000
addresses:
  - city: Springfield
    street: Main
    number: 12345
  - city: New York
    street: Broadway
    number: 67890
phoneNumbers:
  - "(888) 888-8888"
  - "(555) 555-5555"
`;
const TEST_VALUES_NEGATIVE = `firstname: John
lastname: Doe
age: -5
likesCoffee: true
addresses:
  - city: Springfield
    street: Main
    number: 12345
  - city: New York
    street: Broadway
    number: 67890
phoneNumbers:
  - "(888) 888-8888"
  - "(555) 555-5555"
`;

const SUBCHART_SCHEMA = `{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "title": "Values",
  "type": "object",
  "properties": {
    "age": {
      "description": "Age",
      "minimum": 0,
      "type": "integer"
    }
  },
  "required": [
    "age"
  ]
}
`;

const SUBCHART_SCHEMA_2020 = `{
	"$schema": "https://json-schema.org/draft/2020-12/schema",
	"title": "Values",
	"type": "object",
	"properties": {
		"data": {
			"type": "array",
			"contains": { "type": "string" },
			"unevaluatedItems": { "type": "number" }
		}
	},
	"required": ["data"]
}
`;

describe('jsonschema_test.go', () => {
  test('valid values (TestValidateAgainstSingleSchema)', () => {
    expect(validateAgainstSingleSchema(unmarshalValues(TEST_VALUES), TEST_SCHEMA)).toBeUndefined();
  });

  test('invalid values (TestValidateAgainstSingleSchemaNegative)', () => {
    expect(validateAgainstSingleSchema(unmarshalValues(TEST_VALUES_NEGATIVE), TEST_SCHEMA)).toBe("- at '': missing property 'employmentInfo'\n- at '/age': minimum: got -5, want 0\n");
  });

  test('a schema that is not a schema (TestValidateAgainstInvalidSingleSchema)', () => {
    expect(validateAgainstSingleSchema(unmarshalValues(TEST_VALUES), '   1E1111111           \n')).toBe(
      `"file:///values.schema.json#" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': got number, want boolean or object`,
    );
  });

  test('a subchart schema, met (TestValidateAgainstSchema)', () => {
    expect(schemaErrors(chart('chrt', undefined, chart('subchart', SUBCHART_SCHEMA)), { name: 'John', subchart: { age: 25 } })).toBeUndefined();
  });

  test('a subchart schema, not met (TestValidateAgainstSchemaNegative)', () => {
    expect(schemaErrors(chart('chrt', undefined, chart('subchart', SUBCHART_SCHEMA)), { name: 'John', subchart: {} })).toBe("subchart:\n- at '': missing property 'age'\n");
  });

  test('draft 2020-12 with unevaluatedItems (TestValidateAgainstSchema2020)', () => {
    expect(schemaErrors(chart('chrt', undefined, chart('subchart', SUBCHART_SCHEMA_2020)), { name: 'John', subchart: { data: ['hello', 12] } })).toBeUndefined();
  });

  test('draft 2020-12, not met (TestValidateAgainstSchema2020Negative)', () => {
    expect(schemaErrors(chart('chrt', undefined, chart('subchart', SUBCHART_SCHEMA_2020)), { name: 'John', subchart: { data: [12] } })).toBe(
      "subchart:\n- at '/data': no items match contains schema\n  - at '/data/0': got number, want string\n",
    );
  });

  test('missing or null subchart values are not checked; other non-maps are an error (issue 31202)', () => {
    const c = chart('chrt', undefined, chart('subchart', SUBCHART_SCHEMA));
    expect(schemaErrors(c, { name: 'John' })).toBeUndefined();
    expect(schemaErrors(c, { name: 'John', subchart: null })).toBeUndefined();
    expect(schemaErrors(c, { name: 'John', subchart: 'oops' })).toBe('subchart:\ninvalid type for values: expected object (map), got string\n');
  });

  test('an unresolved urn: $ref is a permissive schema, with a warning', () => {
    const warnings: string[] = [];
    const schema = '{"$schema": "https://json-schema.org/draft-07/schema#", "$ref": "urn:example:helm:schemas:v1:helm-schema-validation-conditions:v1/helmSchemaValidation-true"}';
    expect(validateAgainstSingleSchema({ any: 'value' }, schema, { warnings })).toBeUndefined();
    expect(warnings).toEqual(['WARNING: unresolved URN reference ignored; using permissive schema: urn:example:helm:schemas:v1:helm-schema-validation-conditions:v1/helmSchemaValidation-true']);
  });

  test('validateValues throws SchemaValidationError with helm message', () => {
    const c = chart('chrt', undefined, chart('subchart', SUBCHART_SCHEMA));
    expect(() => validateValues(c, { subchart: {} })).toThrow(SchemaValidationError);
    expect(() => validateValues(c, { subchart: {} })).toThrow(`${HEADER}subchart:\n- at '': missing property 'age'\n`);
  });
});

describe('keywords and messages', () => {
  const check = (schema: object, value: unknown) => validateAgainstSingleSchema({ v: value } as GoMap, JSON.stringify({ properties: { v: schema } }));
  test.each([
    [{ type: 'integer' }, 1.5, "- at '/v': got number, want integer\n"],
    [{ type: 'integer' }, 2, undefined],
    [{ type: 'integer' }, 3n, undefined],
    [{ type: ['string', 'null'] }, 1, "- at '/v': got number, want null or string\n"],
    [{ enum: ['x', 1, null] }, 'y', "- at '/v': value must be one of 'x', 1, <nil>\n"],
    [{ enum: [[1]] }, 'y', "- at '/v': 'enum' failed\n"],
    [{ const: 'x' }, 'y', "- at '/v': value must be 'x'\n"],
    [{ const: { a: 1 } }, 'y', "- at '/v': 'const' failed\n"],
    [{ minimum: 1000.5 }, 12, "- at '/v': minimum: got 12, want 1,000.5\n"],
    [{ maximum: 10 }, 123456789, "- at '/v': maximum: got 1.23456789×10⁰⁸, want 10\n"],
    [{ minimum: 1 }, 0.00001, "- at '/v': minimum: got 1×10⁻⁰⁵, want 1\n"],
    [{ exclusiveMinimum: 5 }, 5, "- at '/v': exclusiveMinimum: got 5, want 5\n"],
    [{ multipleOf: 0.1 }, 0.35, "- at '/v': multipleOf: got 0.35, want 0.1\n"],
    [{ multipleOf: 0.1 }, 0.3, undefined],
    [{ maxLength: 2 }, 'abcé', "- at '/v': maxLength: got 4, want 2\n"],
    [{ pattern: '^a+$' }, 'bbb', "- at '/v': 'bbb' does not match pattern '^a+$'\n"],
    [{ pattern: "it's" }, 'x', "- at '/v': 'x' does not match pattern 'it\\'s'\n"],
    [{ uniqueItems: true }, [1, { a: 1 }, 1.0], "- at '/v': items at 0 and 2 are equal\n"],
    [{ additionalProperties: false, properties: { k: {} } }, { k: 1, z: 2, y: 3 }, "- at '/v': additional properties 'y', 'z' not allowed\n"],
    [{ required: ['a', 'b'] }, {}, "- at '/v': missing properties 'a', 'b'\n"],
    [{ minProperties: 2 }, { a: 1 }, "- at '/v': minProperties: got 1, want 2\n"],
    [{ maxItems: 1 }, [1, 2], "- at '/v': maxItems: got 2, want 1\n"],
    [{ oneOf: [{ type: 'string' }, { minLength: 1 }] }, 'abc', "- at '/v': 'oneOf' failed, subschemas 0, 1 matched\n"],
    [{ oneOf: [{ type: 'string' }, { type: 'boolean' }] }, 1, "- at '/v': 'oneOf' failed, none matched\n  - at '/v': got number, want string\n  - at '/v': got number, want boolean\n"],
    [{ anyOf: [{ type: 'string' }, { type: 'integer' }] }, 1.5, "- at '/v': 'anyOf' failed\n  - at '/v': got number, want string\n  - at '/v': got number, want integer\n"],
    [{ allOf: [{ type: 'string' }, { minLength: 5 }] }, 12, "- at '/v': 'allOf' failed\n  - at '/v': got number, want string\n"],
    [{ not: { type: 'string' } }, 'x', "- at '/v': 'not' failed\n"],
    [{ if: { type: 'integer' }, then: { minimum: 100 }, else: { maxLength: 1 } }, 5, "- at '/v': minimum: got 5, want 100\n"],
    [{ contains: { type: 'string' }, minContains: 2 }, ['a', 1], "- at '/v': min 2 items required to match contains schema, but matched 1 items at 0\n  - at '/v/1': got number, want string\n"],
    // Alone, a property's group of errors is flattened into the top (as the library does).
    [{ minLength: 5, pattern: '^z' }, 'abc', "- at '/v': minLength: got 3, want 5\n- at '/v': 'abc' does not match pattern '^z'\n"],
    [{ dependentRequired: { a: ['b'] } }, { a: 1 }, "- at '/v': properties 'b' required, if 'a' exists\n"],
    [{ propertyNames: { maxLength: 2 } }, { abc: 1 }, "- at '/v': invalid propertyName 'abc'\n  - at '': maxLength: got 3, want 2\n"],
    [{ prefixItems: [{ type: 'integer' }], items: { type: 'integer' } }, [1, 'a', 2], "- at '/v/1': got string, want integer\n"],
    [{ format: 'email' }, 'not-an-email', undefined],
    [false, 1, "- at '/v': false schema\n"],
  ])('%j with %s', (schema, value, want) => {
    expect(check(schema as object, value)).toBe(want);
  });

  test('draft-07: formats are checked, $ref siblings ignored, definitions used', () => {
    const schema = JSON.stringify({
      $schema: 'http://json-schema.org/draft-07/schema#',
      properties: { f: { format: 'email' }, p: { format: 'date-time' }, k: { $ref: '#/definitions/pos', type: 'string' } },
      definitions: { pos: { type: 'integer', minimum: 0 } },
    });
    expect(validateAgainstSingleSchema({ f: 'not-an-email', p: '2020-01-01', k: -1.5 }, schema)).toBe(
      "- at '/f': 'not-an-email' is not valid email: missing @\n- at '/k': got number, want integer\n- at '/p': '2020-01-01' is not valid date-time: less than 20 characters long\n",
    );
  });

  test.each([
    ['email', 'a@b.co', undefined],
    ['email', 'a@-b', 'invalid domain: label starts with hyphen'],
    ['hostname', 'a_b', "invalid character '_'"],
    ['ipv4', '1.2.3.256', 'decimal must be between 0 and 255'],
    ['ipv4', '01.2.3.4', 'leading zeros'],
    ['ipv6', '::1', undefined],
    ['ipv6', '1.2.3.4', 'missing colon'],
    ['uuid', '123e4567-e89b-12d3-a456-42661417400', 'element 5 must be 12 characters long'],
    ['date', '2020-02-30', 'parsing time "2020-02-30": day out of range'],
    ['date-time', '2020-01-01T10:00:00Z', undefined],
    ['date-time', '2020-01-01 10:00:00Z', '11th character must be t or T'],
    ['time', '25:00:00Z', 'hour/min/sec out of range'],
    ['duration', 'P1Y2M', undefined],
    ['duration', 'PT', 'no time elements'],
    ['json-pointer', 'a/b', 'not starting with /'],
    ['uri', 'relative/path', 'relative url'],
    ['uri', 'https://example.com/x', undefined],
    ['regex', '(?=x)', 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`'],
    ['semver', '1.2', 'versionCore must have 3 numbers separated by dot'],
    ['unknown-format', 'anything', undefined],
  ])('format %s: %j', (format, value, why) => {
    const got = validateAgainstSingleSchema({ v: value }, JSON.stringify({ $schema: 'http://json-schema.org/draft-07/schema#', properties: { v: { format } } }));
    expect(got).toBe(why === undefined ? undefined : `- at '/v': '${value}' is not valid ${format}: ${why}\n`);
  });

  test('schema errors are returned as they are, without a trailing newline', () => {
    expect(validateAgainstSingleSchema({}, '')).toBe('EOF');
    expect(validateAgainstSingleSchema({}, '{"a": }')).toBe("invalid character '}' looking for beginning of value");
    expect(validateAgainstSingleSchema({}, '{"$ref": "#/definitions/nope"}')).toBe('json-pointer in "file:///values.schema.json#/definitions/nope" not found');
    expect(validateAgainstSingleSchema({}, '{"$ref": "#nope"}')).toBe('anchor in "file:///values.schema.json#nope" not found in schema "file:///values.schema.json"');
  });

  test('$id, $anchor, $defs and recursive $ref', () => {
    const schema = JSON.stringify({
      $id: 'https://example.com/root.json',
      $defs: { node: { $anchor: 'node', type: 'object', properties: { child: { $ref: '#node' }, n: { type: 'integer' } } } },
      $ref: '#/$defs/node',
    });
    expect(validateAgainstSingleSchema({ child: { child: { n: 'x' } } }, schema)).toBe("- at '/child/child/n': got string, want integer\n");
  });
});

type Files = Record<string, string>;

/**
 * `helm template` runs of helm v3.22.0 whose schema check failed (values against schemas, and
 * schemas against their metaschema): the chart tree, the --set flags, and helm's error. Helm lists sibling property errors in Go map order (random); ours
 * are sorted, so lines are compared as sets, and the order is checked where it is fixed.
 */
const HELM_RUNS: [string, Files, string[], string][] = [
  ["s1", {"chart/Chart.yaml":"apiVersion: v2\nname: s1\nversion: 0.1.0\n","chart/values.yaml":"a: 12\nb: 123456789\nc: 1\nd: y\ne: bbb\nf: \"not-an-email\"\ng: 1.5\nh: [a, 1]\ni: {k: 1, z: 2, y: 3}\nj: abc\nk: -1.5\nl: 0.35\nm: y\nn: str\no: abcé\np: \"2020-01-01\"\nq: 12\nr: [1, {a: 1}, 1.0]\ns: 2.5\nt: 5\n","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"type\": \"object\", \"required\": [\"zz\", \"yy\"],\n \"properties\": {\n  \"a\": {\"minimum\": 1000.5}, \"b\": {\"maximum\": 10}, \"c\": {\"type\": [\"string\", \"null\"]}, \"d\": {\"enum\": [\"x\", 1, null]},\n  \"e\": {\"pattern\": \"^a+$\"}, \"f\": {\"format\": \"email\"}, \"g\": {\"anyOf\": [{\"type\": \"string\"}, {\"type\": \"integer\"}]},\n  \"h\": {\"items\": {\"type\": \"string\"}}, \"i\": {\"additionalProperties\": false, \"properties\": {\"k\": {}}},\n  \"j\": {\"oneOf\": [{\"type\": \"string\"}, {\"minLength\": 1}]}, \"k\": {\"$ref\": \"#/definitions/pos\"}, \"l\": {\"multipleOf\": 0.1},\n  \"m\": {\"const\": \"x\"}, \"n\": {\"not\": {\"type\": \"string\"}}, \"o\": {\"maxLength\": 2}, \"p\": {\"format\": \"date-time\"}, \"q\": {\"allOf\": [{\"type\":\"string\"}, {\"minLength\": 5}]},\n  \"r\": {\"uniqueItems\": true}, \"s\": {\"type\": \"integer\"}, \"t\": {\"exclusiveMinimum\": 5}\n },\n \"definitions\": {\"pos\": {\"type\": \"integer\", \"minimum\": 0}}}\n","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\ns1:\n- at '': missing properties 'zz', 'yy'\n- at '/k': got number, want integer\n- at '/m': value must be 'x'\n- at '/a': minimum: got 12, want 1,000.5\n- at '/q': 'allOf' failed\n  - at '/q': got number, want string\n- at '/f': 'not-an-email' is not valid email: missing @\n- at '/o': maxLength: got 4, want 2\n- at '/l': multipleOf: got 0.35, want 0.1\n- at '/t': exclusiveMinimum: got 5, want 5\n- at '/b': maximum: got 1.23456789×10⁰⁸, want 10\n- at '/d': value must be one of 'x', 1, <nil>\n- at '/h/1': got number, want string\n- at '/c': got number, want null or string\n- at '/r': items at 0 and 2 are equal\n- at '/g': 'anyOf' failed\n  - at '/g': got number, want string\n  - at '/g': got number, want integer\n- at '/p': '2020-01-01' is not valid date-time: less than 20 characters long\n- at '/j': 'oneOf' failed, subschemas 0, 1 matched\n- at '/s': got number, want integer\n- at '/e': 'bbb' does not match pattern '^a+$'\n- at '/i': additional properties 'true', 'z' not allowed"],
  ["s2", {"chart/Chart.yaml":"apiVersion: v2\nname: s2\nversion: 0.1.0\n","chart/values.yaml":"a: 0.00001\nb: 1234567\nc: -1e-7\nd: 123456\ne: 1000000\nf: abc\ng: [1,2,3]\nh: {}\n","chart/values.schema.json":"{\"properties\":{\"a\":{\"minimum\":1},\"b\":{\"maximum\":10},\"c\":{\"minimum\":0},\"d\":{\"maximum\":1},\"e\":{\"multipleOf\":7},\"f\":{\"minLength\":5,\"pattern\":\"^z\",\"format\":\"email\"},\"g\":{\"maxItems\":1,\"contains\":{\"type\":\"string\"}},\"h\":{\"minProperties\":1,\"required\":[\"x\"]}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\ns2:\n- at '/a': minimum: got 1×10⁻⁰⁵, want 1\n- at '/b': maximum: got 1.234567×10⁰⁶, want 10\n- at '/c': minimum: got -1×10⁻⁰⁷, want 0\n- at '/d': maximum: got 123,456, want 1\n- at '/e': multipleOf: got 1×10⁰⁶, want 7\n- at '/f': validation failed\n  - at '/f': minLength: got 3, want 5\n  - at '/f': 'abc' does not match pattern '^z'\n- at '/g': validation failed\n  - at '/g': maxItems: got 3, want 1\n  - at '/g': no items match contains schema\n    - at '/g/0': got number, want string\n    - at '/g/1': got number, want string\n    - at '/g/2': got number, want string\n- at '/h': validation failed\n  - at '/h': minProperties: got 0, want 1\n  - at '/h': missing property 'x'"],
  ["s3-sub", {"chart/Chart.yaml":"apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n  alias: al\n- name: sub\n  version: 0.1.0\n","chart/values.yaml":"al: {port: \"x\"}\nsub: {port: 5}\n","chart/templates/t.yaml":"","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"properties\": {\"al\": {\"$ref\": \"#/definitions/p\"}}, \"definitions\": {\"p\": {\"type\": \"object\", \"properties\": {\"port\": {\"type\": \"integer\", \"minimum\": 10}}}}}","chart/charts/sub/Chart.yaml":"apiVersion: v2\nname: sub\nversion: 0.1.0\n","chart/charts/sub/templates/t.yaml":"","chart/charts/sub/values.schema.json":"{\"type\": \"object\", \"properties\": {\"port\": {\"type\": \"integer\", \"maximum\": 3}}, \"required\": [\"port\", \"other\"]}"}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\ntop:\n- at '/al/port': got string, want integer\nal:\n- at '': missing property 'other'\n- at '/port': got string, want integer\nsub:\n- at '': missing property 'other'\n- at '/port': maximum: got 5, want 3"],
  ["s4-bad-json", {"chart/Chart.yaml":"apiVersion: v2\nname: s4\nversion: 0.1.0\n","chart/values.schema.json":"{\"a\": }","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\ns4:\ninvalid character '}' looking for beginning of value"],
  ["s5-bad-regex", {"chart/Chart.yaml":"apiVersion: v2\nname: s5\nversion: 0.1.0\n","chart/values.yaml":"a: x\n","chart/values.schema.json":"{\"properties\": {\"a\": {\"pattern\": \"(?=x)\"}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\ns5:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/pattern': '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
  ["s6-set", {"chart/Chart.yaml":"apiVersion: v2\nname: s6\nversion: 0.1.0\n","chart/values.yaml":"n: 1\n","chart/values.schema.json":"{\"properties\": {\"n\": {\"type\": \"string\"}, \"m\": {\"type\": \"integer\", \"maximum\": 2}, \"o\": {\"enum\": [1.0, \"a\", [1]]}, \"p\": {\"const\": 1.50}, \"q\": {\"oneOf\": [{\"type\":\"integer\"}, {\"type\":\"string\"}]}, \"r\": {\"not\": {\"type\":\"boolean\"}}, \"s\": {\"if\": {\"type\":\"integer\"}, \"then\": {\"minimum\": 100}, \"else\": {\"maxLength\": 1}}, \"t\": {\"anyOf\": [{\"maxLength\": 1}, {\"pattern\": \"^q\"}]} }}","chart/templates/t.yaml":""}, ["--set","m=3,o=2,p=1.5,q=1.5,r=true,s=5,t=abc"], "values don't meet the specifications of the schema(s) in the following chart(s):\ns6:\n- at '/s': minimum: got 5, want 100\n- at '/t': 'anyOf' failed\n  - at '/t': maxLength: got 3, want 1\n  - at '/t': 'abc' does not match pattern '^q'\n- at '/m': maximum: got 3, want 2\n- at '/o': 'enum' failed\n- at '/p': value must be 1.50\n- at '/r': 'not' failed"],
  ["s7-nested", {"chart/Chart.yaml":"apiVersion: v2\nname: s7\nversion: 0.1.0\n","chart/values.yaml":"a: {b: {c: [1, \"x\", {d: 1}]}}\nlst: \"str\"\n","chart/values.schema.json":"{\"type\":\"object\",\"properties\":{\"a\":{\"properties\":{\"b\":{\"properties\":{\"c\":{\"items\":{\"type\":\"integer\"}}}}}}, \"lst\": {\"type\": \"array\"}}, \"additionalProperties\": false}","chart/templates/t.yaml":""}, ["--set","zzz=1"], "values don't meet the specifications of the schema(s) in the following chart(s):\ns7:\n- at '/lst': got string, want array\n- at '/a/b/c': validation failed\n  - at '/a/b/c/1': got string, want integer\n  - at '/a/b/c/2': got object, want integer\n- at '': additional properties 'zzz' not allowed"],
  ["s8-2020", {"chart/Chart.yaml":"apiVersion: v2\nname: s8\nversion: 0.1.0\n","chart/values.yaml":"x: [1, \"a\", 2]\ny: {a: 1, b: 2}\n","chart/values.schema.json":"{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"properties\":{\"x\":{\"prefixItems\":[{\"type\":\"integer\"}],\"items\":{\"type\":\"integer\"}},\"y\":{\"properties\":{\"a\":{}},\"unevaluatedProperties\":false}, \"z\": {\"format\": \"email\"}}}","chart/templates/t.yaml":""}, ["--set","z=notanemail"], "values don't meet the specifications of the schema(s) in the following chart(s):\ns8:\n- at '/x/1': got string, want integer"],
  ["s9-sub-nonmap", {"chart/Chart.yaml":"apiVersion: v2\nname: top\nversion: 0.1.0\ndependencies:\n- name: sub\n  version: 0.1.0\n","chart/templates/t.yaml":"","chart/charts/sub/Chart.yaml":"apiVersion: v2\nname: sub\nversion: 0.1.0\n","chart/charts/sub/templates/t.yaml":"","chart/charts/sub/values.schema.json":"{\"required\": [\"x\"]}"}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nsub:\n- at '': missing property 'x'"],
  ["m07-regex", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"properties\": {\"a\": {\"properties\": {\"b\": {\"pattern\": \"(?=x)\"}}}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'http://json-schema.org/draft-07/schema#'\n- at '/properties/a/properties/b/pattern': '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
  ["m20-regex", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"properties\": {\"a\": {\"properties\": {\"b\": {\"pattern\": \"(?=x)\"}}}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/properties/b': 'allOf' failed\n      - at '/properties/a/properties/b/pattern': '(?=x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"],
  ["m20-type", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"properties\": {\"a\": {\"type\": \"foo\"}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/type': 'anyOf' failed\n      - at '/properties/a/type': value must be one of 'array', 'boolean', 'integer', 'null', 'number', 'object', 'string'\n      - at '/properties/a/type': got string, want array"],
  ["m07-required", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"required\": \"x\"}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'http://json-schema.org/draft-07/schema#'\n- at '/required': got string, want array"],
  ["m20-defs-regex", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"definitions\": {\"x\": {\"pattern\": \"(\"}}, \"properties\": {\"a\": {\"$ref\": \"#/definitions/x\"}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '/definitions/x': 'allOf' failed\n  - at '/definitions/x/pattern': '(' is not valid regex: error parsing regexp: missing closing ): `(`"],
  ["m20-patprop", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"patternProperties\": {\"(?!x)\": {}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '/patternProperties': invalid propertyName '(?!x)'\n    - at '': '(?!x)' is not valid regex: error parsing regexp: invalid or unsupported Perl syntax: `(?!`"],
  ["m20-number", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"1E1111111","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': got number, want boolean or object"],
  ["m04", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-04/schema#\", \"properties\": {\"a\": {\"minimum\": \"5\", \"exclusiveMinimum\": 3}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'http://json-schema.org/draft-04/schema#'\n- at '/properties/a': validation failed\n  - at '/properties/a/minimum': got string, want number\n  - at '/properties/a/exclusiveMinimum': got number, want boolean"],
  ["m06", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-06/schema#\", \"properties\": {\"a\": {\"enum\": []}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'http://json-schema.org/draft-06/schema#'\n- at '/properties/a/enum': minItems: got 0, want 1"],
  ["m19", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"$schema\": \"https://json-schema.org/draft/2019-09/schema\", \"properties\": {\"a\": {\"minItems\": -1, \"items\": [true, 3]}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2019-09/schema#'\n- at '': 'allOf' failed\n  - at '/properties/a': 'allOf' failed\n    - at '/properties/a/items': 'anyOf' failed\n      - at '/properties/a/items': got array, want boolean or object\n      - at '/properties/a/items/1': got number, want boolean or object\n    - at '/properties/a/minItems': minimum: got -1, want 0"],
  ["m20-many", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"type\": \"object\", \"required\": [\"a\", \"a\"], \"properties\": {\"a\": {\"maxLength\": 1.5, \"uniqueItems\": \"yes\", \"$ref\": 5}}, \"additionalProperties\": \"no\"}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n\"file:///values.schema.json#\" is not valid against metaschema: jsonschema validation failed with 'https://json-schema.org/draft/2020-12/schema#'\n- at '': 'allOf' failed\n  - at '': validation failed\n    - at '/properties/a': 'allOf' failed\n      - at '/properties/a/$ref': got number, want string\n      - at '/properties/a': validation failed\n        - at '/properties/a/maxLength': got number, want integer\n        - at '/properties/a/uniqueItems': got string, want boolean\n    - at '/additionalProperties': got string, want boolean or object\n  - at '/required': items at 0 and 1 are equal"],
  ["m07-id", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: \"s\"\n","chart/values.schema.json":"{\"$schema\": \"http://json-schema.org/draft-07/schema#\", \"$id\": \"http://example.com/x.json\", \"definitions\": {\"y\": {\"type\": \"integer\"}}, \"properties\": {\"a\": {\"$ref\": \"#/definitions/y\"}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n- at '/a': got string, want integer"],
  ["m20-anchor", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: 1\n","chart/values.schema.json":"{\"$defs\": {\"y\": {\"$anchor\": \"yy\", \"type\": \"string\"}}, \"properties\": {\"a\": {\"$ref\": \"#yy\"}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n- at '/a': got number, want string"],
  ["m20-valid-complex", {"chart/Chart.yaml":"apiVersion: v2\nname: m1\nversion: 0.1.0\n","chart/values.yaml":"a: {kids: [{kids: 1}]}\n","chart/values.schema.json":"{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$defs\":{\"node\":{\"$dynamicAnchor\":\"node\",\"type\":\"object\",\"properties\":{\"kids\":{\"type\":\"array\",\"items\":{\"$dynamicRef\":\"#node\"}}}}},\"properties\":{\"a\":{\"$ref\":\"#/$defs/node\"}}}","chart/templates/t.yaml":""}, [], "values don't meet the specifications of the schema(s) in the following chart(s):\nm1:\n- at '/a/kids/0/kids': got number, want array"],
];

/** Lines as a set; helm's captured stderr lost the final newline. */
const lines = (s: string) => s.trimEnd().split('\n').sort();

async function ourError(files: Files, args: string[]): Promise<string> {
  const user = mergeValueOptions({ values: args.filter((_, i) => i % 2 === 1) }, memoryFileSystem({}));
  const c = await loadChart('chart', memoryFileSystem(files));
  checkDependencies(c);
  const processed = processDependencies(c, user);
  try {
    validateValues(processed, coalesceValues(processed, user));
  } catch (e) {
    expect(e).toBeInstanceOf(SchemaValidationError);
    return (e as Error).message;
  }
  return '';
}

describe('schema errors against helm template v3.22.0', () => {
  test.each(HELM_RUNS)('%s', async (_name, files, args, helm) => {
    const ours = await ourError(files, args);
    expect(lines(ours)).toEqual(lines(helm));
  });

  test('the order of nested errors is helm order', async () => {
    const [, files, args, helm] = HELM_RUNS.find(([n]) => n === 's3-sub')!;
    expect((await ourError(files, args)).trimEnd()).toBe(helm);
  });

  test('the schema itself is checked against its metaschema first, with the library message', async () => {
    for (const name of ['s5-bad-regex', 'm20-regex', 'm20-type', 'm07-required']) {
      const [, files, args, helm] = HELM_RUNS.find(([n]) => n === name)!;
      expect((await ourError(files, args)).trimEnd()).toBe(helm);
    }
  });
});

describe('the corpus charts with schemas, as helm template reports them', () => {
  const CORPUS = '/work/shared/corpus/helm/helm-testdata/testcharts';
  test.each([
    ['chart-with-schema', ''],
    ['chart-with-schema-and-subchart', `${HEADER}chart-without-schema:\n- at '': missing property 'lastname'\nsubchart-with-schema:\n- at '': missing property 'age'\n`],
    ['chart-with-schema-negative', `${HEADER}empty:\n- at '': missing property 'employmentInfo'\n- at '/age': minimum: got -5, want 0\n`],
  ])('%s', async (name, want) => {
    const { nodeFileSystem } = await import('../../../src/core/index.js');
    const c = processDependencies(await loadChart(`${CORPUS}/${name}`, nodeFileSystem), {});
    let got = '';
    try {
      validateValues(c, coalesceValues(c, {}));
    } catch (e) {
      got = (e as Error).message;
    }
    expect(got).toBe(want);
  });
});
