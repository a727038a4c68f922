import { goTypeName } from '../gotemplate/index.js';
import type { Chart, GoMap } from './types.js';
import { SchemaValidationError } from './internal/errors.js';
import { JsonSyntaxError, parseJsonWithNumbers } from './internal/jsonschema/json.js';
import { SchemaCompileError, SchemaCompiler, draftOf, formatValidationError, metaschema, validateWithSchema } from './internal/jsonschema/validator.js';
import { isTable } from './values.js';

/**
 * values.schema.json checks as helm v3.22 runs them (pkg/chartutil/jsonschema.go
 * ValidateAgainstSchema, with santhosh-tekuri/jsonschema v6): the chart's schema against its
 * coalesced values, then every subchart that has values under its name, recursively. Errors of
 * all charts are collected into one message:
 *
 *     values don't meet the specifications of the schema(s) in the following chart(s):
 *     mychart:
 *     - at '/replicaCount': got string, want integer
 *
 * The validator itself lives in internal/jsonschema (see validator.ts for what it does not do).
 */

const HEADER = "values don't meet the specifications of the schema(s) in the following chart(s):\n";
const ROOT_URL = 'file:///values.schema.json';
const SCHEMA_PREFIX = `jsonschema validation failed with '${ROOT_URL}#'\n`;

/** Options for schema validation. */
export interface SchemaValidationOptions {
  /** Receives what helm logs while compiling schemas (unresolved `urn:` references). @default discarded */
  warnings?: string[];
}

/**
 * helm's ValidateAgainstSingleSchema: undefined when `values` meet the schema, else the error
 * text helm puts under the chart's name (validation errors end with a newline, schema errors
 * such as bad JSON or a bad regex do not).
 */
export function validateAgainstSingleSchema(values: GoMap, schemaJson: Uint8Array | string, options: SchemaValidationOptions = {}): string | undefined {
  const text = typeof schemaJson === 'string' ? schemaJson : new TextDecoder().decode(schemaJson);
  let doc: unknown;
  if (text.trim() === '') return 'EOF';
  try {
    doc = parseJsonWithNumbers(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) return e.message;
    throw e;
  }
  // The library first checks the document against its draft's metaschema.
  const draft = typeof doc === 'object' && doc !== null && !Array.isArray(doc) ? draftOf((doc as Record<string, unknown>).$schema) : 2020;
  const metaErr = validateWithSchema(metaschema(draft), doc);
  if (metaErr) return `"${ROOT_URL}#" is not valid against metaschema: ${formatValidationError(metaErr)}`;
  let err;
  try {
    const compiler = new SchemaCompiler();
    compiler.addRoot(ROOT_URL, doc);
    const schema = compiler.compile(ROOT_URL);
    options.warnings?.push(...compiler.warnings);
    err = validateWithSchema(schema, values ?? {});
  } catch (e) {
    if (e instanceof SchemaCompileError) return e.message;
    throw e;
  }
  if (!err) return undefined;
  let msg = formatValidationError(err);
  if (msg.startsWith(SCHEMA_PREFIX)) msg = msg.slice(SCHEMA_PREFIX.length);
  return `${msg}\n`;
}

/**
 * helm's ValidateAgainstSchema: the text of every failing chart ("name:\n" + errors), or
 * undefined when all pass. `values` are the chart's coalesced values; subcharts are checked
 * with the values under their (aliased) names, as the chart tree given has them.
 */
export function schemaErrors(chart: Chart, values: GoMap, options: SchemaValidationOptions = {}): string | undefined {
  let sb = '';
  if (chart.schema) {
    const err = validateAgainstSingleSchema(values, chart.schema, options);
    if (err !== undefined) sb += `${chart.metadata.name}:\n${err}`;
  }
  for (const sub of chart.dependencies) {
    const name = sub.metadata.name;
    const raw = Object.hasOwn(values, name) ? values[name] : undefined;
    if (raw === undefined || raw === null) continue;
    if (!isTable(raw)) {
      sb += `${name}:\ninvalid type for values: expected object (map), got ${goTypeName(raw)}\n`;
      continue;
    }
    const err = schemaErrors(sub, raw, options);
    if (err !== undefined) sb += err;
  }
  return sb === '' ? undefined : sb;
}

/**
 * The schema check of helm's ToRenderValuesWithSchemaValidation: throws SchemaValidationError
 * with helm's message when the coalesced `values` do not meet the schemas of `chart` (after
 * dependency processing, so only enabled subcharts are checked) or of its subcharts.
 */
export function validateValues(chart: Chart, values: GoMap, options: SchemaValidationOptions = {}): void {
  const errors = schemaErrors(chart, values, options);
  if (errors !== undefined) {
    const file = chart.source === '' ? 'values.schema.json' : `${chart.source}/values.schema.json`;
    throw new SchemaValidationError(`${HEADER}${errors}`, { file });
  }
}
