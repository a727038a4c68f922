import { goQuote } from '../goruntime/index.js';
import { sprint } from '../gotemplate/index.js';
import type { Chart, ChartDependency, GoMap } from './types.js';
import { coalesceTables, coalesceValues, deepCopyValues, mergeChartValues, mergeTables, type CoalesceOptions } from './coalesce.js';
import { isCompatibleRange } from './compatible.js';
import { ChartDependencyError } from './internal/errors.js';
import { setKey } from './internal/goyaml.js';
import { isTable, valuesPathValue } from './values.js';

/**
 * Chart dependencies as `helm template` / `helm install` process them
 * (pkg/chartutil/dependencies.go ProcessDependenciesWithMerge, called from pkg/action/install.go
 * before values are coalesced for rendering):
 *
 * 1. processDependencyEnabled, recursively from the top chart: subcharts listed in Chart.yaml
 *    are matched to the charts under charts/ by name and version range; an `alias` renames the
 *    subchart (a copy of it, so one chart can be used twice); the chart's values are coalesced
 *    with the values given (the user's values at the top; a parent's coalesced values below,
 *    with conditions looked up under the subchart's path); `tags` then `condition` (the first
 *    comma-separated path that resolves to a bool wins) switch dependencies off; disabled ones are
 *    dropped. Charts under charts/ that Chart.yaml does not list (or whose version is not in
 *    range) are always kept.
 * 2. processDependencyImportValues, bottom-up: `import-values` copy values from a child to its
 *    parent (strings name tables under the child's `exports`; `{child, parent}` maps name any
 *    table and where it goes); the parent's own values win over imported ones; each chart's
 *    values become its defaults merged with its subcharts' (nulls kept).
 *
 * Helm changes the loaded chart in place; processDependencies works on a copy and returns it.
 * Warnings helm logs (non-bool conditions or tags, missing import tables, coalesce conflicts)
 * are collected in `options.warnings`.
 */

/** Marks an import-values entry helm rewrote into a map[string]string (its type switch skips those). */
const STRING_MAP = Symbol('chart.importValues.stringMap');

function stringMap(entries: { child: string; parent: string }): Record<string, string> {
  Object.defineProperty(entries, STRING_MAP, { value: true, enumerable: false });
  return entries;
}

function isStringMap(v: unknown): boolean {
  return typeof v === 'object' && v !== null && (v as { [STRING_MAP]?: boolean })[STRING_MAP] === true;
}

/**
 * helm's action.CheckDependencies as `helm template` reports it: every dependency Chart.yaml
 * lists must have a chart of that name under charts/. Only the top chart is checked (as helm).
 * Throws ChartDependencyError.
 */
export function checkDependencies(chart: Chart): void {
  const reqs = chart.metadata.dependencies;
  if (!reqs) return;
  const missing = reqs.filter((r) => !chart.dependencies.some((d) => d.metadata.name === r.name)).map((r) => r.name);
  if (missing.length > 0) {
    throw new ChartDependencyError(
      'An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: ' +
        `found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
      { file: chart.source === '' ? 'Chart.yaml' : `${chart.source}/Chart.yaml` },
    );
  }
}

/**
 * Helm's chart.parent pointers during processing: set when a chart is added as a dependency
 * (AddDependency / SetDependencies), copied along with a chart (getAliasDependency copies the
 * struct). They decide ChartFullPath, hence template names.
 */
type Parents = WeakMap<Chart, Chart>;

/** A copy of the chart tree whose metadata, dependency entries and subchart lists can be changed freely. */
function cloneTree(c: Chart, parents: Parents, parent?: Chart): Chart {
  const metadata = { ...c.metadata };
  if (c.metadata.dependencies) metadata.dependencies = c.metadata.dependencies.map((d) => ({ ...d }));
  const out: Chart = { ...c, metadata, values: c.values, dependencies: [] };
  delete out.fullPath;
  if (parent) parents.set(out, parent);
  out.dependencies = c.dependencies.map((d) => cloneTree(d, parents, out));
  return out;
}

/** chart.SetDependencies: the new list, each chart's parent pointing here. */
function setDependencies(c: Chart, charts: Chart[], parents?: Parents): void {
  c.dependencies = charts;
  for (const x of charts) parents?.set(x, c);
}

/** Stamps chart.ChartFullPath() on every chart of the processed tree. */
function stampFullPaths(root: Chart, parents: Parents): void {
  const fullPath = (c: Chart): string => {
    const p = parents.get(c);
    return p ? `${fullPath(p)}/charts/${c.metadata.name}` : c.metadata.name;
  };
  const walk = (c: Chart) => {
    c.fullPath = fullPath(c);
    c.dependencies.forEach(walk);
  };
  walk(root);
}

/**
 * chartutil.ProcessDependenciesWithMerge on a copy of `chart`: returns the chart with only the
 * enabled subcharts (aliased ones renamed), each chart's `values` replaced by its defaults
 * merged with its subcharts' and imported values, and each dependency entry marked `enabled`.
 * `values` are the user's values (as mergeValueOptions gives them).
 */
export function processDependencies(chart: Chart, values: GoMap, options?: CoalesceOptions): Chart {
  const parents: Parents = new WeakMap();
  const c = cloneTree(chart, parents);
  enabled(c, values, '', options, parents);
  processDependencyImportValues(c, true, options);
  stampFullPaths(c, parents);
  return c;
}

/** chartutil.ProcessDependencies (import values coalesced rather than merged: nulls removed), on a copy. */
export function processDependenciesCoalesced(chart: Chart, values: GoMap, options?: CoalesceOptions): Chart {
  const parents: Parents = new WeakMap();
  const c = cloneTree(chart, parents);
  enabled(c, values, '', options, parents);
  processDependencyImportValues(c, false, options);
  stampFullPaths(c, parents);
  return c;
}

function warn(options: CoalesceOptions | undefined, message: string): void {
  options?.warnings?.push(message);
}

/** processDependencyConditions: the first condition path that holds a bool decides. */
function processDependencyConditions(reqs: ChartDependency[] | undefined, cvals: GoMap, cpath: string, options?: CoalesceOptions): void {
  for (const r of reqs ?? []) {
    for (const c of (r.condition ?? '').trim().split(',')) {
      if (c.length === 0) continue;
      const found = valuesPathValue(cvals, cpath + c);
      if (!found.found) continue;
      if (typeof found.value === 'boolean') {
        r.enabled = found.value;
        break;
      }
      warn(options, `Warning: Condition path '${c}' for chart ${r.name} returned non-bool value`);
    }
  }
}

/** processDependencyTags: any true tag enables, all-false tags disable, no tags leave the chart on. */
function processDependencyTags(reqs: ChartDependency[] | undefined, cvals: GoMap, options?: CoalesceOptions): void {
  if (!reqs) return;
  if (!Object.hasOwn(cvals, 'tags') || !isTable(cvals.tags)) return;
  const vt = cvals.tags;
  for (const r of reqs) {
    let hasTrue = false;
    let hasFalse = false;
    for (const k of r.tags ?? []) {
      if (!Object.hasOwn(vt, k)) continue;
      const b = vt[k];
      if (typeof b === 'boolean') {
        if (b) hasTrue = true;
        else hasFalse = true;
      } else {
        warn(options, `Warning: Tag '${k}' for chart ${r.name} returned non-bool value`);
      }
    }
    if (!hasTrue && hasFalse) r.enabled = false;
    else if (hasTrue || (!hasTrue && !hasFalse)) r.enabled = true;
  }
}

/** getAliasDependency: a copy of the first loaded subchart that matches the entry, renamed to its alias. */
function getAliasDependency(charts: Chart[], dep: ChartDependency, parents?: Parents): Chart | undefined {
  for (const c of charts) {
    if (c.metadata.name !== dep.name) continue;
    if (!isCompatibleRange(dep.version ?? '', c.metadata.version)) continue;
    // A shallow copy as helm's `out := *c; md := *c.Metadata`: dependency entries stay shared,
    // and so does the parent pointer.
    const md = { ...c.metadata };
    if (dep.alias) md.name = dep.alias;
    const out = { ...c, metadata: md };
    const parent = parents?.get(c);
    if (parent) parents?.set(out, parent);
    return out;
  }
  return undefined;
}

/** processDependencyEnabled: drops disabled subcharts, recursively. Changes `c`. */
export function processDependencyEnabled(c: Chart, v: GoMap, path: string, options?: CoalesceOptions): void {
  enabled(c, v, path, options);
}

function enabled(c: Chart, v: GoMap, path: string, options: CoalesceOptions | undefined, parents?: Parents): void {
  const reqs = c.metadata.dependencies;
  if (!reqs) return;
  const chartDependencies: Chart[] = [];
  for (const existing of c.dependencies) {
    const listed = reqs.some((req) => existing.metadata.name === req.name && isCompatibleRange(req.version ?? '', existing.metadata.version));
    if (!listed) chartDependencies.push(existing);
  }
  for (const req of reqs) {
    const dep = getAliasDependency(c.dependencies, req, parents);
    if (dep) chartDependencies.push(dep);
    if (req.alias) req.name = req.alias;
  }
  setDependencies(c, chartDependencies, parents);
  for (const lr of reqs) lr.enabled = true;
  const cvals = coalesceValues(c, v, options);
  processDependencyTags(reqs, cvals, options);
  processDependencyConditions(reqs, cvals, path, options);
  const rm = new Set(reqs.filter((r) => !r.enabled).map((r) => r.name));
  const cd = c.dependencies.filter((n) => !rm.has(n.metadata.name));
  const cdMetadata = reqs.filter((n) => !rm.has(n.name));
  for (const t of cd) enabled(t, cvals, `${path}${t.metadata.name}.`, options, parents);
  c.metadata.dependencies = [...cdMetadata];
  setDependencies(c, cd, parents);
}

/** pathToMap: `data` nested under a dotted path ("." is the top). */
function pathToMap(path: string, data: GoMap): GoMap {
  if (path === '.') return data;
  let cur: GoMap = data;
  const parts = path.split('.');
  for (let i = parts.length - 1; i >= 0; i--) {
    const next: GoMap = {};
    setKey(next, parts[i]!, cur);
    cur = next;
  }
  return cur;
}

/** Values.Table with helm's error: the table, or the name at which the lookup failed. */
function tableOrMissing(values: GoMap, path: string): { table: GoMap } | { missing: string } {
  let table = values;
  for (const n of path.split('.')) {
    const next = Object.hasOwn(table, n) ? table[n] : undefined;
    if (!isTable(next)) return { missing: n };
    table = next;
  }
  return { table };
}

/** processImportValues: copies the child values named by import-values into the chart's values. Changes `c`. */
export function processImportValues(c: Chart, merge: boolean, options?: CoalesceOptions): void {
  const reqs = c.metadata.dependencies;
  if (!reqs) return;
  let cvals = merge ? mergeChartValues(c, null, options) : coalesceValues(c, null, options);
  let b: GoMap = {};
  const combine = (dst: GoMap, src: GoMap): GoMap => (merge ? mergeTables(dst, src, options) : coalesceTables(dst, src, options)) ?? {};
  for (const r of reqs) {
    let outiv: unknown[] | undefined;
    for (const riv of r.importValues ?? []) {
      if (typeof riv === 'string') {
        const child = `exports.${riv}`;
        (outiv ??= []).push(stringMap({ child, parent: '.' }));
        const found = tableOrMissing(cvals, `${r.name}.${child}`);
        if ('missing' in found) {
          warn(options, `Warning: ImportValues missing table: ${goQuote(found.missing)} is not a table`);
          continue;
        }
        b = combine(b, found.table);
      } else if (isTable(riv) && !isStringMap(riv)) {
        const child = sprint(riv.child);
        const parent = sprint(riv.parent);
        (outiv ??= []).push(stringMap({ child, parent }));
        const found = tableOrMissing(cvals, `${r.name}.${child}`);
        if ('missing' in found) {
          warn(options, `Warning: ImportValues missing table from chart ${r.name}: ${goQuote(found.missing)} is not a table`);
          continue;
        }
        b = combine(b, pathToMap(parent, found.table));
      }
    }
    if (outiv) r.importValues = outiv;
    else delete r.importValues;
  }
  if (merge) {
    // helm deep-copies here: pointers into cvals can end up in b.
    cvals = deepCopyValues(cvals);
    c.values = mergeTables(cvals, b, options) ?? {};
  } else {
    c.values = coalesceTables(trimNilValues(cvals), b, options) ?? {};
  }
}

/** trimNilValues: a copy without null values, at every depth. */
function trimNilValues(vals: GoMap): GoMap {
  const copy = deepCopyValues(vals);
  const trim = (m: GoMap): GoMap => {
    for (const key of Object.keys(m)) {
      const v = m[key];
      if (v === null) delete m[key];
      else if (isTable(v)) setKey(m, key, trim(v));
    }
    return m;
  };
  return trim(copy);
}

/** processDependencyImportValues: import values bottom-up, through the whole tree. Changes `c`. */
export function processDependencyImportValues(c: Chart, merge: boolean, options?: CoalesceOptions): void {
  for (const d of c.dependencies) processDependencyImportValues(d, merge, options);
  processImportValues(c, merge, options);
}
