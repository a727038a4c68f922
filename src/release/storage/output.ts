/**
 * What helm prints about stored releases, byte for byte: the tables of `helm list` and
 * `helm history` (gosuri/uitable v0.0.4 with go-runewidth v0.0.9 widths, tab-separated,
 * every cell padded), their `-o json` (json.Encoder) and `-o yaml` (sigs.k8s.io/yaml) forms,
 * the status printer of `helm status`/`install`/`upgrade` (cmd/helm/status.go) and the
 * `helm get` outputs (cmd/helm/get_*.go).
 */
import { coalesceValues } from '../../engines/chart/index.js';
import { marshalGoJson } from '../../engines/gotemplate/index.js';
import { jsonToYaml } from '../../engines/yaml/index.js';
import { chartFromJson } from './chart-json.js';
import { encodeDependencyJson, encodeReleaseJson } from './codec.js';
import { ANSIC, RFC3339, RFC3339_NANO, TIME_STRING, ZERO_TIME, formatGoTime, isZeroTime, parseHelmTime, type GoTime } from './go-time.js';
import type { HelmChartJson, HelmHook, Release } from './types.js';

/** helm's -o values. */
export type OutputFormat = 'table' | 'json' | 'yaml';

// ---- go-runewidth v0.0.9 -----------------------------------------------------------------------

type Table = readonly (readonly [number, number])[];

const NONPRINT: Table = [
  [0x0000, 0x001f], [0x007f, 0x009f], [0x00ad, 0x00ad], [0x070f, 0x070f], [0x180b, 0x180e], [0x200b, 0x200f],
  [0x2028, 0x202e], [0x206a, 0x206f], [0xd800, 0xdfff], [0xfeff, 0xfeff], [0xfff9, 0xfffb], [0xfffe, 0xffff],
];
const COMBINING: Table = [
  [0x0300, 0x036f], [0x0483, 0x0489], [0x07eb, 0x07f3], [0x0c00, 0x0c00], [0x0c04, 0x0c04], [0x0d00, 0x0d01],
  [0x135d, 0x135f], [0x1a7f, 0x1a7f], [0x1ab0, 0x1ac0], [0x1b6b, 0x1b73], [0x1dc0, 0x1df9], [0x1dfb, 0x1dff],
  [0x20d0, 0x20f0], [0x2cef, 0x2cf1], [0x2de0, 0x2dff], [0x3099, 0x309a], [0xa66f, 0xa672], [0xa674, 0xa67d],
  [0xa69e, 0xa69f], [0xa6f0, 0xa6f1], [0xa8e0, 0xa8f1], [0xfe20, 0xfe2f], [0x101fd, 0x101fd], [0x10376, 0x1037a],
  [0x10eab, 0x10eac], [0x10f46, 0x10f50], [0x11300, 0x11301], [0x1133b, 0x1133c], [0x11366, 0x1136c], [0x11370, 0x11374],
  [0x16af0, 0x16af4], [0x1d165, 0x1d169], [0x1d16d, 0x1d172], [0x1d17b, 0x1d182], [0x1d185, 0x1d18b], [0x1d1aa, 0x1d1ad],
  [0x1d242, 0x1d244], [0x1e000, 0x1e006], [0x1e008, 0x1e018], [0x1e01b, 0x1e021], [0x1e023, 0x1e024], [0x1e026, 0x1e02a],
  [0x1e8d0, 0x1e8d6],
];
const DOUBLEWIDTH: Table = [
  [0x1100, 0x115f], [0x231a, 0x231b], [0x2329, 0x232a], [0x23e9, 0x23ec], [0x23f0, 0x23f0], [0x23f3, 0x23f3],
  [0x25fd, 0x25fe], [0x2614, 0x2615], [0x2648, 0x2653], [0x267f, 0x267f], [0x2693, 0x2693], [0x26a1, 0x26a1],
  [0x26aa, 0x26ab], [0x26bd, 0x26be], [0x26c4, 0x26c5], [0x26ce, 0x26ce], [0x26d4, 0x26d4], [0x26ea, 0x26ea],
  [0x26f2, 0x26f3], [0x26f5, 0x26f5], [0x26fa, 0x26fa], [0x26fd, 0x26fd], [0x2705, 0x2705], [0x270a, 0x270b],
  [0x2728, 0x2728], [0x274c, 0x274c], [0x274e, 0x274e], [0x2753, 0x2755], [0x2757, 0x2757], [0x2795, 0x2797],
  [0x27b0, 0x27b0], [0x27bf, 0x27bf], [0x2b1b, 0x2b1c], [0x2b50, 0x2b50], [0x2b55, 0x2b55], [0x2e80, 0x2e99],
  [0x2e9b, 0x2ef3], [0x2f00, 0x2fd5], [0x2ff0, 0x2ffb], [0x3000, 0x303e], [0x3041, 0x3096], [0x3099, 0x30ff],
  [0x3105, 0x312f], [0x3131, 0x318e], [0x3190, 0x31e3], [0x31f0, 0x321e], [0x3220, 0x3247], [0x3250, 0x4dbf],
  [0x4e00, 0xa48c], [0xa490, 0xa4c6], [0xa960, 0xa97c], [0xac00, 0xd7a3], [0xf900, 0xfaff], [0xfe10, 0xfe19],
  [0xfe30, 0xfe52], [0xfe54, 0xfe66], [0xfe68, 0xfe6b], [0xff01, 0xff60], [0xffe0, 0xffe6], [0x16fe0, 0x16fe4],
  [0x16ff0, 0x16ff1], [0x17000, 0x187f7], [0x18800, 0x18cd5], [0x18d00, 0x18d08], [0x1b000, 0x1b11e], [0x1b150, 0x1b152],
  [0x1b164, 0x1b167], [0x1b170, 0x1b2fb], [0x1f004, 0x1f004], [0x1f0cf, 0x1f0cf], [0x1f18e, 0x1f18e], [0x1f191, 0x1f19a],
  [0x1f200, 0x1f202], [0x1f210, 0x1f23b], [0x1f240, 0x1f248], [0x1f250, 0x1f251], [0x1f260, 0x1f265], [0x1f300, 0x1f320],
  [0x1f32d, 0x1f335], [0x1f337, 0x1f37c], [0x1f37e, 0x1f393], [0x1f3a0, 0x1f3ca], [0x1f3cf, 0x1f3d3], [0x1f3e0, 0x1f3f0],
  [0x1f3f4, 0x1f3f4], [0x1f3f8, 0x1f43e], [0x1f440, 0x1f440], [0x1f442, 0x1f4fc], [0x1f4ff, 0x1f53d], [0x1f54b, 0x1f54e],
  [0x1f550, 0x1f567], [0x1f57a, 0x1f57a], [0x1f595, 0x1f596], [0x1f5a4, 0x1f5a4], [0x1f5fb, 0x1f64f], [0x1f680, 0x1f6c5],
  [0x1f6cc, 0x1f6cc], [0x1f6d0, 0x1f6d2], [0x1f6d5, 0x1f6d7], [0x1f6eb, 0x1f6ec], [0x1f6f4, 0x1f6fc], [0x1f7e0, 0x1f7eb],
  [0x1f90c, 0x1f93a], [0x1f93c, 0x1f945], [0x1f947, 0x1f978], [0x1f97a, 0x1f9cb], [0x1f9cd, 0x1f9ff], [0x1fa70, 0x1fa74],
  [0x1fa78, 0x1fa7a], [0x1fa80, 0x1fa86], [0x1fa90, 0x1faa8], [0x1fab0, 0x1fab6], [0x1fac0, 0x1fac2], [0x1fad0, 0x1fad6],
  [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];
const NOTASSIGNED: Table = [[0x27e6, 0x27ed], [0x2985, 0x2986]];

function inTable(r: number, t: Table): boolean {
  if (r < t[0]![0]) return false;
  let bot = 0;
  let top = t.length - 1;
  while (top >= bot) {
    const mid = (bot + top) >> 1;
    if (t[mid]![1] < r) bot = mid + 1;
    else if (t[mid]![0] > r) top = mid - 1;
    else return true;
  }
  return false;
}

/** runewidth.RuneWidth outside East Asian locales. */
export function runeWidth(r: number): number {
  if (r < 0 || r > 0x10ffff || inTable(r, NONPRINT) || inTable(r, COMBINING) || inTable(r, NOTASSIGNED)) return 0;
  return inTable(r, DOUBLEWIDTH) ? 2 : 1;
}

// uitable's strutil.Strip: ANSI escape sequences do not count.
// eslint-disable-next-line no-control-regex -- matching terminal escapes is the point
const ANSI = /[\u001B\u009B][[\]()#;?]*(?:(?:(?:[a-zA-Z\d]*(?:;[a-zA-Z\d]*)*)?\u0007)|(?:(?:\d{1,4}(?:;\d{0,4})*)?[\dA-PRZcf-ntqry=><~]))/g;

/** strutil.StringWidth: terminal cells the text takes. */
export function stringWidth(s: string): number {
  let w = 0;
  for (const ch of s.replace(ANSI, '')) w += runeWidth(ch.codePointAt(0)!);
  return w;
}

// ---- gosuri/uitable v0.0.4 ---------------------------------------------------------------------

/** A table cell as fmt's %v prints it; null is uitable's nil cell. */
type Cell = string | number | bigint | null;

/** strutil.Resize: pad on the right, or cut with "..." when the text is wider. */
function resize(s: string, n: number): string {
  const slen = stringWidth(s);
  if (slen === n) return s;
  if (slen < n) return s + ' '.repeat(n - slen);
  let out = '';
  let w = 0;
  for (const ch of s) {
    out += ch;
    const rw = runeWidth(ch.codePointAt(0)!);
    if (w + rw >= n - 3) break;
    w += rw;
  }
  return out + '...';
}

function cellString(data: Cell, width: number): string {
  if (data === null) return width > 1 ? ' '.repeat(width) : ' ';
  const s = String(data);
  return width > 0 ? resize(s, width) : s;
}

function lineWidth(data: Cell): number {
  return Math.max(...cellString(data, 0).split('\n').map(stringWidth));
}

/**
 * uitable's Table.String plus helm's EncodeTable newline: columns as wide as their widest
 * cell, every cell padded (the last one too), separated by tabs; a multi-line cell spreads
 * over as many lines. An empty table is just "\n".
 */
export function formatTable(rows: readonly (readonly Cell[])[]): string {
  if (rows.length === 0) return '\n';
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, lineWidth(cell))));
  const lines = rows.map((row) => {
    const split = row.map((cell, i) => cellString(cell, widths[i]!).split('\n'));
    const count = Math.max(...split.map((l) => l.length));
    const out: string[] = [];
    for (let x = 0; x < count; x++) out.push(split.map((l, y) => cellString(l[x] ?? null, widths[y]!)).join('\t'));
    return out.join('\n');
  });
  return lines.join('\n') + '\n';
}

// ---- shared pieces -----------------------------------------------------------------------------

/** json.Encoder.Encode: the JSON and a newline. */
const encodeJson = (jsonText: string): string => `${jsonText}\n`;
/** output.EncodeYAML (sigs.k8s.io/yaml of the JSON). */
const encodeYaml = (jsonText: string): string => jsonToYaml(jsonText);

/** helm's strings.TrimSpace (Unicode white space, not JavaScript's trim: U+FEFF stays). */
export function goTrimSpace(s: string): string {
  return s.replace(/^\p{White_Space}+|\p{White_Space}+$/gu, '');
}

/** formatChartName: "name-version", or "MISSING" for a record without chart metadata. */
export function formatChartName(chart: HelmChartJson | null | undefined): string {
  if (!chart?.metadata) return 'MISSING';
  return `${chart.metadata.name ?? ''}-${chart.metadata.version ?? ''}`;
}

/** formatAppVersion: the chart's appVersion, or "MISSING". */
export function formatAppVersion(chart: HelmChartJson | null | undefined): string {
  if (!chart?.metadata) return 'MISSING';
  return chart.metadata.appVersion ?? '';
}

function timeOf(text: string | undefined): GoTime {
  return parseHelmTime(text) ?? ZERO_TIME;
}

// ---- helm history ------------------------------------------------------------------------------

/** One row of `helm history` (cmd/helm/history.go releaseInfo). */
export interface HistoryEntry {
  revision: number;
  updated: GoTime;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

/** getHistory: the newest `max` revisions (helm's --max, default 256), oldest first. */
export function historyEntries(history: readonly Release[], max = 256): HistoryEntry[] {
  const newestFirst = [...history].sort((a, b) => b.version - a.version).slice(0, Math.max(0, max));
  return newestFirst.reverse().map((r) => ({
    revision: r.version,
    updated: timeOf(r.info.last_deployed),
    status: r.info.status,
    chart: formatChartName(r.chart),
    app_version: formatAppVersion(r.chart),
    description: r.info.description ?? '',
  }));
}

function historyJson(entries: readonly HistoryEntry[]): string {
  const items = entries.map(
    (e) =>
      `{"revision":${e.revision},"updated":${marshalGoJson(isZeroTime(e.updated) ? '' : formatGoTime(e.updated, RFC3339_NANO))},` +
      `"status":${marshalGoJson(e.status)},"chart":${marshalGoJson(e.chart)},"app_version":${marshalGoJson(e.app_version)},` +
      `"description":${marshalGoJson(e.description)}}`,
  );
  return `[${items.join(',')}]`;
}

/** `helm history` output in one of its formats. */
export function formatHistory(entries: readonly HistoryEntry[], format: OutputFormat = 'table'): string {
  if (format === 'json') return encodeJson(historyJson(entries));
  if (format === 'yaml') return encodeYaml(historyJson(entries));
  const rows: Cell[][] = [['REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION', 'DESCRIPTION']];
  for (const e of entries) rows.push([e.revision, formatGoTime(e.updated, ANSIC), e.status, e.chart, e.app_version, e.description]);
  return formatTable(rows);
}

// ---- helm list ---------------------------------------------------------------------------------

/** One row of `helm list` (cmd/helm/list.go releaseElement); every field is text. */
export interface ListEntry {
  name: string;
  namespace: string;
  revision: string;
  updated: string;
  status: string;
  chart: string;
  app_version: string;
}

/** newReleaseListWriter: the rows, with UPDATED as Time.String() (or --time-format, a Go layout), "-" when never deployed. */
export function listEntries(releases: readonly Release[], timeFormat = ''): ListEntry[] {
  return releases.map((r) => {
    const t = timeOf(r.info.last_deployed);
    return {
      name: r.name,
      namespace: r.namespace,
      revision: String(r.version),
      updated: isZeroTime(t) ? '-' : formatGoTime(t, timeFormat !== '' ? timeFormat : TIME_STRING),
      status: r.info.status,
      chart: formatChartName(r.chart),
      app_version: formatAppVersion(r.chart),
    };
  });
}

function listJson(entries: readonly ListEntry[]): string {
  const items = entries.map(
    (e) =>
      `{"name":${marshalGoJson(e.name)},"namespace":${marshalGoJson(e.namespace)},"revision":${marshalGoJson(e.revision)},` +
      `"updated":${marshalGoJson(e.updated)},"status":${marshalGoJson(e.status)},"chart":${marshalGoJson(e.chart)},` +
      `"app_version":${marshalGoJson(e.app_version)}}`,
  );
  return `[${items.join(',')}]`;
}

/** `helm list` output; `noHeaders` is --no-headers (table only). */
export function formatList(entries: readonly ListEntry[], format: OutputFormat = 'table', noHeaders = false): string {
  if (format === 'json') return encodeJson(listJson(entries));
  if (format === 'yaml') return encodeYaml(listJson(entries));
  const rows: Cell[][] = noHeaders ? [] : [['NAME', 'NAMESPACE', 'REVISION', 'UPDATED', 'STATUS', 'CHART', 'APP VERSION']];
  for (const e of entries) rows.push([e.name, e.namespace, e.revision, e.updated, e.status, e.chart, e.app_version]);
  return formatTable(rows);
}

/** `helm list -q`: the names, one a line (table) or as a JSON/YAML list. */
export function formatListNames(releases: readonly Release[], format: OutputFormat = 'table'): string {
  if (format === 'table') return releases.map((r) => `${r.name}\n`).join('');
  const text = marshalGoJson(releases.map((r) => r.name));
  return format === 'json' ? encodeJson(text) : encodeYaml(text);
}

// ---- helm status and helm get ------------------------------------------------------------------

/** What the status printer shows (cmd/helm/status.go statusPrinter). */
export interface StatusOptions {
  /** --show-desc @default false */
  showDescription?: boolean;
  /** Chart name, version and app version (helm get all). @default false */
  showMetadata?: boolean;
  /** User-supplied and computed values, hooks and manifest (helm get all, --debug). @default false */
  debug?: boolean;
  /** Leave NOTES out (install/upgrade --hide-notes). @default false */
  hideNotes?: boolean;
}

/** The YAML helm prints for a values map; a nil map (no user values) prints "null". */
export function valuesYaml(values: Record<string, unknown> | null): string {
  return encodeYaml(values === null ? 'null' : marshalGoJson(values));
}

/** Config as helm holds it after decoding: nil when nothing was stored (helm omits an empty map). */
function configOf(r: Release): Record<string, unknown> | null {
  return Object.keys(r.config).length === 0 ? null : r.config;
}

/** chartutil.CoalesceValues(release chart, config): what `--all` and `get all` call computed values. */
export function computedValues(r: Release): Record<string, unknown> {
  return coalesceValues(chartFromJson(r.chart, `release ${r.name}`), configOf(r) ?? {});
}

function hooksText(hooks: readonly HelmHook[]): string {
  return hooks.map((h) => `---\n# Source: ${h.path ?? ''}\n${h.manifest ?? ''}\n`).join('');
}

/** The status printer's table form (helm status; install and upgrade print it too). */
export function formatStatusTable(r: Release, o: StatusOptions = {}): string {
  let out = `NAME: ${r.name}\n`;
  const last = timeOf(r.info.last_deployed);
  if (!isZeroTime(last)) out += `LAST DEPLOYED: ${formatGoTime(last, ANSIC)}\n`;
  out += `NAMESPACE: ${r.namespace}\nSTATUS: ${r.info.status}\nREVISION: ${r.version}\n`;
  if (o.showMetadata) {
    const m = r.chart.metadata ?? {};
    out += `CHART: ${m.name ?? ''}\nVERSION: ${m.version ?? ''}\nAPP_VERSION: ${m.appVersion ?? ''}\n`;
  }
  if (o.showDescription) out += `DESCRIPTION: ${r.info.description ?? ''}\n`;
  const tests = r.hooks.filter((h) => (h.events ?? []).includes('test'));
  if (tests.length === 0) {
    out += 'TEST SUITE: None\n';
  } else {
    for (const h of tests) {
      const started = timeOf(h.last_run?.started_at);
      if (isZeroTime(started)) continue;
      out +=
        `TEST SUITE:     ${h.name ?? ''}\n` +
        `Last Started:   ${formatGoTime(started, ANSIC)}\n` +
        `Last Completed: ${formatGoTime(timeOf(h.last_run?.completed_at), ANSIC)}\n` +
        `Phase:          ${h.last_run?.phase ?? ''}\n`;
    }
  }
  if (o.debug) {
    out += `USER-SUPPLIED VALUES:\n${valuesYaml(configOf(r))}\n`;
    out += `COMPUTED VALUES:\n${valuesYaml(computedValues(r))}\n`;
  }
  if ((r.info.description ?? '').toLowerCase() === 'dry run complete' || o.debug) {
    out += `HOOKS:\n${hooksText(r.hooks)}MANIFEST:\n${r.manifest}\n`;
  }
  if (!o.hideNotes && (r.info.notes ?? '').length > 0) out += `NOTES:\n${goTrimSpace(r.info.notes ?? '')}\n`;
  return out;
}

/** `helm status` output: the table, or the release without its chart as JSON/YAML. */
export function formatStatus(r: Release, format: OutputFormat = 'table', o: StatusOptions = {}): string {
  if (format === 'table') return formatStatusTable(r, o);
  const text = encodeReleaseJson(r, { omitChart: true });
  return format === 'json' ? encodeJson(text) : encodeYaml(text);
}

/** `helm get manifest`. */
export function formatManifest(r: Release): string {
  return `${r.manifest}\n`;
}

/** `helm get notes`: nothing at all when the release has no notes. */
export function formatNotes(r: Release): string {
  return (r.info.notes ?? '').length > 0 ? `NOTES:\n${r.info.notes}\n` : '';
}

/** `helm get hooks`. */
export function formatHooks(r: Release): string {
  return hooksText(r.hooks);
}

/** `helm get values [--all]`. */
export function formatValues(r: Release, format: OutputFormat = 'table', all = false): string {
  const values = all ? computedValues(r) : configOf(r);
  const text = values === null ? 'null' : marshalGoJson(values);
  if (format === 'json') return encodeJson(text);
  if (format === 'yaml') return encodeYaml(text);
  return `${all ? 'COMPUTED VALUES:' : 'USER-SUPPLIED VALUES:'}\n${encodeYaml(text)}`;
}

/** `helm get all` (without --template): the status printer with metadata and debug sections. */
export function formatGetAll(r: Release): string {
  return formatStatusTable(r, { debug: true, showMetadata: true });
}

/** `helm get metadata` (action.Metadata). */
export function formatMetadata(r: Release, format: OutputFormat = 'table'): string {
  const m = r.chart.metadata ?? {};
  const deployedAt = formatGoTime(timeOf(r.info.last_deployed), RFC3339);
  if (format === 'table') {
    const annotations = Object.keys(m.annotations ?? {})
      .sort()
      .map((k) => `${k}=${m.annotations![k]}`)
      .join(',');
    const deps = (m.dependencies ?? []).map((d) => d.name).sort().join(',');
    return (
      `NAME: ${r.name}\nCHART: ${m.name ?? ''}\nVERSION: ${m.version ?? ''}\nAPP_VERSION: ${m.appVersion ?? ''}\n` +
      `ANNOTATIONS: ${annotations}\nDEPENDENCIES: ${deps}\nNAMESPACE: ${r.namespace}\nREVISION: ${r.version}\n` +
      `STATUS: ${r.info.status}\nDEPLOYED_AT: ${deployedAt}\n`
    );
  }
  const deps = m.dependencies && m.dependencies.length > 0 ? `,"dependencies":[${m.dependencies.map(encodeDependencyJson).join(',')}]` : '';
  const annotations = m.annotations && Object.keys(m.annotations).length > 0 ? `,"annotations":${marshalGoJson(m.annotations)}` : '';
  const text =
    `{"name":${marshalGoJson(r.name)},"chart":${marshalGoJson(m.name ?? '')},"version":${marshalGoJson(m.version ?? '')},` +
    `"appVersion":${marshalGoJson(m.appVersion ?? '')}${annotations}${deps},"namespace":${marshalGoJson(r.namespace)},` +
    `"revision":${r.version},"status":${marshalGoJson(r.info.status)},"deployedAt":${marshalGoJson(deployedAt)}}`;
  return format === 'json' ? encodeJson(text) : encodeYaml(text);
}
