import { SlipwayError } from '../../../core/index.js';

/**
 * A chart that cannot be loaded: a missing or invalid Chart.yaml, values.yaml that does not
 * parse, a broken archive, an illegal path in a tarball. The message is helm's own
 * (pkg/chart/loader), e.g. `validation: chart.metadata.name is required`; `at` names the file
 * (and line, for YAML errors).
 */
export class ChartLoadError extends SlipwayError {
  readonly code = 'SLW210' as const;
}

/**
 * User values that cannot be read or parsed: a `-f` file, or a `--set`/`--set-string`/
 * `--set-json`/`--set-file`/`--set-literal` expression. Messages are helm's
 * (pkg/cli/values/options.go, pkg/strvals), e.g.
 * `failed parsing --set data: key "a" has no value (cannot end with ,)`.
 */
export class ValuesError extends SlipwayError {
  readonly code = 'SLW211' as const;
}

/**
 * Chart dependencies that cannot be satisfied or processed, e.g. `found in Chart.yaml, but
 * missing in charts/ directory: redis` (helm pkg/action/install.go CheckDependencies), or a
 * subchart value that is not a table.
 */
export class ChartDependencyError extends SlipwayError {
  readonly code = 'SLW212' as const;
}

/**
 * Values that do not meet a chart's values.schema.json. The message is helm's
 * (pkg/chartutil/jsonschema.go): `values don't meet the specifications of the schema(s) in
 * the following chart(s):` and one block per chart.
 */
export class SchemaValidationError extends SlipwayError {
  readonly code = 'SLW213' as const;
}
