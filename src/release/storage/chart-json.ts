/**
 * A loaded chart (src/engines/chart's Chart) as helm's chart.Chart JSON, and back. helm stores
 * the chart of a release as JSON (pkg/chart/chart.go): metadata, lock, templates, values,
 * schema and files, with every []byte in base64, and no subcharts and no raw files (both are
 * unexported or `json:"-"`). Nil slices and maps are `null` in that JSON: a chart without
 * templates has `"templates":null`, one without values.yaml (and without dependencies)
 * `"values":null`, and this conversion writes the same.
 */
import type { Chart, ChartDependency, ChartFile, ChartLock, ChartMetadata } from '../../engines/chart/index.js';
import { RFC3339_NANO, ZERO_TIME, formatGoTime, parseRfc3339 } from './go-time.js';
import type { HelmChartJson, HelmDependencyJson, HelmFileJson, HelmLockJson, HelmMetadataJson } from './types.js';

/** Charts made by chartFromJson from JSON whose `values` was null (Go's nil map). */
const NIL_VALUES = new WeakSet<Chart>();
/** Charts made by chartFromJson from JSON whose `metadata` was null. */
const NIL_METADATA = new WeakSet<Chart>();

/** Base64 of bytes, as encoding/json writes a []byte. */
export function base64Of(data: Uint8Array): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** The bytes of base64 text (helm's []byte fields). */
export function bytesOf(base64: string): Uint8Array {
  return new Uint8Array(Buffer.from(base64, 'base64'));
}

function filesToJson(files: readonly ChartFile[]): HelmFileJson[] | null {
  return files.length === 0 ? null : files.map((f) => ({ name: f.name, data: base64Of(f.data) }));
}

function filesFromJson(files: readonly HelmFileJson[] | null | undefined): ChartFile[] {
  return (files ?? []).filter((f) => f !== null).map((f) => ({ name: f.name ?? '', data: bytesOf(f.data ?? '') }));
}

/** chart.Dependency as JSON. */
export function dependencyToJson(d: ChartDependency): HelmDependencyJson {
  const out: HelmDependencyJson = { name: d.name, repository: d.repository ?? '' };
  if (d.version) out.version = d.version;
  if (d.condition) out.condition = d.condition;
  if (d.tags && d.tags.length > 0) out.tags = [...d.tags];
  if (d.enabled) out.enabled = true;
  if (d.importValues && d.importValues.length > 0) out['import-values'] = d.importValues;
  if (d.alias) out.alias = d.alias;
  return out;
}

function dependencyFromJson(d: HelmDependencyJson): ChartDependency {
  const out: ChartDependency = { name: d.name ?? '' };
  if (d.version !== undefined) out.version = d.version;
  if (d.repository !== undefined) out.repository = d.repository;
  if (d.condition !== undefined) out.condition = d.condition;
  if (d.tags !== undefined) out.tags = [...d.tags];
  if (d.enabled !== undefined) out.enabled = d.enabled;
  if (d['import-values'] !== undefined) out.importValues = d['import-values'];
  if (d.alias !== undefined) out.alias = d.alias;
  return out;
}

/** chart.Metadata as JSON: empty fields left out, as `omitempty` does. */
export function metadataToJson(m: ChartMetadata): HelmMetadataJson {
  const out: HelmMetadataJson = {};
  if (m.name) out.name = m.name;
  if (m.home) out.home = m.home;
  if (m.sources && m.sources.length > 0) out.sources = [...m.sources];
  if (m.version) out.version = m.version;
  if (m.description) out.description = m.description;
  if (m.keywords && m.keywords.length > 0) out.keywords = [...m.keywords];
  if (m.maintainers && m.maintainers.length > 0) out.maintainers = m.maintainers.map((x) => ({ ...x }));
  if (m.icon) out.icon = m.icon;
  if (m.apiVersion) out.apiVersion = m.apiVersion;
  if (m.condition) out.condition = m.condition;
  if (m.tags) out.tags = m.tags;
  if (m.appVersion) out.appVersion = m.appVersion;
  if (m.deprecated) out.deprecated = true;
  if (m.annotations && Object.keys(m.annotations).length > 0) out.annotations = { ...m.annotations };
  if (m.kubeVersion) out.kubeVersion = m.kubeVersion;
  if (m.dependencies && m.dependencies.length > 0) out.dependencies = m.dependencies.map(dependencyToJson);
  if (m.type) out.type = m.type;
  return out;
}

function metadataFromJson(m: HelmMetadataJson): ChartMetadata {
  const out: ChartMetadata = { apiVersion: m.apiVersion ?? '', name: m.name ?? '', version: m.version ?? '' };
  if (m.kubeVersion !== undefined) out.kubeVersion = m.kubeVersion;
  if (m.description !== undefined) out.description = m.description;
  if (m.type !== undefined) out.type = m.type;
  if (m.keywords !== undefined) out.keywords = [...m.keywords];
  if (m.home !== undefined) out.home = m.home;
  if (m.sources !== undefined) out.sources = [...m.sources];
  if (m.dependencies !== undefined) out.dependencies = m.dependencies.map(dependencyFromJson);
  if (m.maintainers !== undefined) out.maintainers = m.maintainers.map((x) => ({ ...x }));
  if (m.icon !== undefined) out.icon = m.icon;
  if (m.appVersion !== undefined) out.appVersion = m.appVersion;
  if (m.deprecated !== undefined) out.deprecated = m.deprecated;
  if (m.annotations !== undefined) out.annotations = { ...m.annotations };
  if (m.condition !== undefined) out.condition = m.condition;
  if (m.tags !== undefined) out.tags = m.tags;
  return out;
}

/** Chart.lock's `generated` as encoding/json writes the time.Time helm parsed it into. */
function generatedText(text: string | undefined): string {
  if (text === undefined || text === '') return formatGoTime(ZERO_TIME, RFC3339_NANO);
  const t = parseRfc3339(text);
  return t ? formatGoTime(t, RFC3339_NANO) : text;
}

function lockToJson(lock: ChartLock): HelmLockJson {
  return {
    generated: generatedText(lock.generated),
    digest: lock.digest ?? '',
    dependencies: lock.dependencies ? lock.dependencies.map((d) => dependencyToJson(d)) : null,
  };
}

function lockFromJson(lock: HelmLockJson): ChartLock {
  const out: ChartLock = { generated: lock.generated ?? '', digest: lock.digest ?? '' };
  if (lock.dependencies) out.dependencies = lock.dependencies.map((d) => ({ name: d.name ?? '', version: d.version ?? '', repository: d.repository ?? '' }));
  return out;
}

/**
 * helm's chart.Chart JSON for a loaded chart. Pass the chart as helm would store it: after
 * dependency processing (`processDependencies` of src/engines/chart), whose values then hold
 * the subcharts' defaults and whose dependency entries are marked `enabled`. The returned
 * `values` is the chart's own object, not a copy.
 */
export function chartToJson(chart: Chart): HelmChartJson {
  const noValuesFile =
    NIL_VALUES.has(chart) ||
    (chart.raw.length > 0 && !chart.raw.some((f) => f.name === 'values.yaml') && chart.metadata.dependencies === undefined);
  return {
    metadata: NIL_METADATA.has(chart) ? null : metadataToJson(chart.metadata),
    lock: chart.lock ? lockToJson(chart.lock) : null,
    templates: filesToJson(chart.templates),
    // helm leaves Values nil without a values.yaml (loader) unless dependency processing set it.
    values: noValuesFile && Object.keys(chart.values).length === 0 ? null : chart.values,
    schema: chart.schema ? base64Of(chart.schema) : null,
    files: filesToJson(chart.files),
  };
}

/**
 * A Chart from helm's chart JSON (a stored release's chart): no subcharts and no raw files,
 * since helm stores neither; `source` names the release it came from when given.
 */
export function chartFromJson(json: HelmChartJson, source = ''): Chart {
  const chart: Chart = {
    metadata: json.metadata ? metadataFromJson(json.metadata) : { apiVersion: '', name: '', version: '' },
    templates: filesFromJson(json.templates),
    values: json.values ?? {},
    files: filesFromJson(json.files),
    raw: [],
    dependencies: [],
    source,
  };
  if (json.lock) chart.lock = lockFromJson(json.lock);
  if (json.schema !== null && json.schema !== undefined) chart.schema = bytesOf(json.schema);
  if (json.values === null || json.values === undefined) NIL_VALUES.add(chart);
  if (!json.metadata) NIL_METADATA.add(chart);
  return chart;
}
