/** A Go map[string]interface{} (see gotemplate's value model). */
export type GoMap = Record<string, unknown>;

/** One file of a chart; `name` is its path inside the chart, '/'-separated ("templates/deployment.yaml"). */
export interface ChartFile {
  name: string;
  data: Uint8Array;
}

/** A dependency entry of Chart.yaml (or requirements.yaml for apiVersion v1 charts). */
export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  /** A values path (or comma-separated paths) that enables the chart, e.g. "redis.enabled". */
  condition?: string;
  tags?: string[];
  /** Set while processing dependencies: whether the chart is in. */
  enabled?: boolean;
  /** `import-values`: strings (child export names) or {child, parent} maps. */
  importValues?: unknown[];
  alias?: string;
}

export interface ChartMaintainer {
  name?: string;
  email?: string;
  url?: string;
}

/** Chart.yaml, with Helm's field names (chart.Metadata). */
export interface ChartMetadata {
  apiVersion: string;
  name: string;
  version: string;
  kubeVersion?: string;
  description?: string;
  type?: string;
  keywords?: string[];
  home?: string;
  sources?: string[];
  dependencies?: ChartDependency[];
  maintainers?: ChartMaintainer[];
  icon?: string;
  appVersion?: string;
  deprecated?: boolean;
  annotations?: Record<string, string>;
  condition?: string;
  tags?: string;
}

/** Chart.lock / requirements.lock. */
export interface ChartLock {
  generated?: string;
  digest?: string;
  dependencies?: { name: string; version: string; repository: string }[];
}

/**
 * A loaded chart, as Helm's chart.Chart: metadata, templates, default values, schema, other
 * files, and its subcharts (from charts/, directories and archives). Loading does no
 * rendering and no dependency processing; `enabled` subcharts are decided at render time.
 */
export interface Chart {
  metadata: ChartMetadata;
  lock?: ChartLock;
  /** templates/** in the order Helm loads them. */
  templates: ChartFile[];
  /** values.yaml, parsed as Helm parses it (numbers are float64). */
  values: GoMap;
  /** values.schema.json, raw. */
  schema?: Uint8Array;
  /** Every other file (README, files/…, crds/…, NOTES are templates) — what `.Files` serves. */
  files: ChartFile[];
  /** All files as loaded, for `helm show`-like uses. */
  raw: ChartFile[];
  /** Subcharts found under charts/. */
  dependencies: Chart[];
  /** Where it was loaded from (a directory or archive path), for messages. */
  source: string;
  /**
   * Set by processDependencies: helm's chart.ChartFullPath() for this chart object after
   * dependency processing ("parent/charts/alias"), which prefixes its template names. It follows
   * helm's parent pointers, so a subchart shared by two aliased copies of a chart that lists
   * no dependencies keeps the path under the original chart name, as in helm.
   */
  fullPath?: string;
  /**
   * What helm logs while loading this chart (e.g. a requirements.yaml in an apiVersion v2
   * chart), in helm's words; absent when there is nothing to say.
   */
  warnings?: string[];
}
