import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { memoryFileSystem, nodeFileSystem } from '../../../src/core/index.js';
import { coalesceValues } from '../../../src/engines/chart/coalesce.js';
import { isCompatibleRange, isValidSemver } from '../../../src/engines/chart/compatible.js';
import {
  checkDependencies,
  processDependencies,
  processDependenciesCoalesced,
  processDependencyEnabled,
  processDependencyImportValues,
} from '../../../src/engines/chart/dependencies.js';
import { ChartDependencyError } from '../../../src/engines/chart/internal/errors.js';
import { loadChart } from '../../../src/engines/chart/loader.js';
import type { Chart, GoMap } from '../../../src/engines/chart/types.js';
import { mergeValueOptions, valuesPathValue } from '../../../src/engines/chart/values.js';

// pkg/chartutil/dependencies.go (ProcessDependenciesWithMerge) and action.CheckDependencies,
// with the cases of dependencies_test.go on helm's own test charts, and whole
// `helm template` runs of helm v3.22.0 as the oracle.

const UTIL = '/work/shared/corpus/helm/helm-testdata/chart-util';
const load = (path: string) => loadChart(path.startsWith('/') ? path : `${UTIL}/${path}`, nodeFileSystem);

/** chart.ChartPath() of every chart in the tree, sorted (dependencies_test.go extractChartNames). */
function chartPaths(c: Chart, prefix = ''): string[] {
  const path = prefix === '' ? c.metadata.name : `${prefix}.${c.metadata.name}`;
  return [path, ...c.dependencies.flatMap((d) => chartPaths(d, path))].sort();
}

describe('processDependencyEnabled on subpop (dependencies_test.go TestDependencyEnabled)', () => {
  test.each([
    ['tags with no effect', { tags: { nothinguseful: false } }, ['parentchart', 'parentchart.subchart1', 'parentchart.subchart1.subcharta', 'parentchart.subchart1.subchartb']],
    ['tags disabling a group', { tags: { 'front-end': false } }, ['parentchart']],
    [
      'tags disabling a group and enabling a different group',
      { tags: { 'front-end': false, 'back-end': true } },
      ['parentchart', 'parentchart.subchart2', 'parentchart.subchart2.subchartb', 'parentchart.subchart2.subchartc'],
    ],
    [
      'tags disabling only children, children still enabled since tag front-end=true in values.yaml',
      { tags: { subcharta: false, subchartb: false } },
      ['parentchart', 'parentchart.subchart1', 'parentchart.subchart1.subcharta', 'parentchart.subchart1.subchartb'],
    ],
    ['tags disabling all parents/children with additional tag re-enabling a parent', { tags: { 'front-end': false, subchart1: true, 'back-end': false } }, ['parentchart', 'parentchart.subchart1']],
    [
      'conditions enabling the parent charts, but back-end (b, c) is still disabled via values.yaml',
      { subchart1: { enabled: true }, subchart2: { enabled: true } },
      ['parentchart', 'parentchart.subchart1', 'parentchart.subchart1.subcharta', 'parentchart.subchart1.subchartb', 'parentchart.subchart2'],
    ],
    ['conditions disabling the parent charts, effectively disabling children', { subchart1: { enabled: false }, subchart2: { enabled: false } }, ['parentchart']],
    ["conditions a child using the second condition path of child's condition", { subchart1: { subcharta: { enabled: false } } }, ['parentchart', 'parentchart.subchart1', 'parentchart.subchart1.subchartb']],
    [
      'tags enabling a parent/child group with condition disabling one child',
      { subchart2: { subchartc: { enabled: false } }, tags: { 'back-end': true } },
      ['parentchart', 'parentchart.subchart1', 'parentchart.subchart1.subcharta', 'parentchart.subchart1.subchartb', 'parentchart.subchart2', 'parentchart.subchart2.subchartb'],
    ],
    ['tags will not enable a child if parent is explicitly disabled with condition', { subchart1: { enabled: false }, tags: { 'front-end': true } }, ['parentchart']],
    [
      'subcharts with alias also respect conditions',
      { subchart1: { enabled: false }, subchart2alias: { enabled: true, subchartb: { enabled: true } } },
      ['parentchart', 'parentchart.subchart2alias', 'parentchart.subchart2alias.subchartb'],
    ],
  ])('%s', async (_name, values, want) => {
    const c = await load('subpop');
    processDependencyEnabled(c, values as GoMap, '');
    expect(chartPaths(c)).toEqual(want);
  });
});

describe('import-values (dependencies_test.go)', () => {
  const SUBPOP_IMPORTS: Record<string, string | number | boolean> = {
    'imported-chart1.SC1bool': true,
    'imported-chart1.SC1float': 3.14,
    'imported-chart1.SC1int': 100,
    'imported-chart1.SC1string': 'dollywood',
    'imported-chart1.SC1extra1': 11,
    'imported-chart1.SPextra1': 'helm rocks',
    'imported-chartA.SCAbool': false,
    'imported-chartA.SCAfloat': 3.1,
    'imported-chartA.SCAint': 55,
    'imported-chartA.SCAstring': 'jabba',
    'imported-chartA.SPextra3': 1.337,
    'imported-chartA.SC1extra2': 1.337,
    'imported-chartA.SCAnested1.SCAnested2': true,
    'imported-chartA-B.SCAbool': false,
    'imported-chartA-B.SCAfloat': 3.1,
    'imported-chartA-B.SCAint': 55,
    'imported-chartA-B.SCAstring': 'jabba',
    'imported-chartA-B.SCBbool': true,
    'imported-chartA-B.SCBfloat': 7.77,
    'imported-chartA-B.SCBint': 33,
    'imported-chartA-B.SCBstring': 'boba',
    'imported-chartA-B.SPextra5': 'k8s',
    'imported-chartA-B.SC1extra5': 'tiller',
    'overridden-chart1.SC1bool': false,
    'overridden-chart1.SC1float': 3.141592,
    'overridden-chart1.SC1int': 99,
    'overridden-chart1.SC1string': 'pollywog',
    'overridden-chart1.SPextra2': 42,
    'overridden-chartA.SCAbool': true,
    'overridden-chartA.SCAfloat': 41.3,
    'overridden-chartA.SCAint': 808,
    'overridden-chartA.SCAstring': 'jabberwocky',
    'overridden-chartA.SPextra4': true,
    'overridden-chartA-B.SCAbool': true,
    'overridden-chartA-B.SCAfloat': 41.3,
    'overridden-chartA-B.SCAint': 808,
    'overridden-chartA-B.SCAstring': 'jabberwocky',
    'overridden-chartA-B.SCBbool': false,
    'overridden-chartA-B.SCBfloat': 1.99,
    'overridden-chartA-B.SCBint': 77,
    'overridden-chartA-B.SCBstring': 'jango',
    'overridden-chartA-B.SPextra6': 111,
    'overridden-chartA-B.SCAextra1': 23,
    'overridden-chartA-B.SCBextra1': 13,
    'overridden-chartA-B.SC1extra6': 77,
    SCBexported1B: 1965,
    SC1extra7: true,
    SCBexported2A: 'blaster',
    'global.SC1exported2.all.SC1exported3': 'SC1expstr',
  };

  test('subpop, coalesced: every import lands, parent values win, no nulls (TestProcessDependencyImportValues)', async () => {
    const c = await load('subpop');
    processDependencyImportValues(c, false);
    for (const [path, want] of Object.entries(SUBPOP_IMPORTS)) expect(valuesPathValue(c.values, path), path).toEqual({ found: true, value: want });
    expect(valuesPathValue(c.values, 'ensurenull').found).toBe(false);
  });

  test('subpop, merged: nulls are kept', async () => {
    const c = await load('subpop');
    processDependencyImportValues(c, true);
    expect(valuesPathValue(c.values, 'ensurenull')).toEqual({ found: true, value: null });
  });

  test('the import-values entries are rewritten to child/parent maps', async () => {
    const c = await load('subpop');
    processDependencyImportValues(c, true);
    const sub1 = c.metadata.dependencies!.find((d) => d.name === 'subchart1')!;
    expect(sub1.importValues?.[0]).toEqual({ child: 'SC1data', parent: 'imported-chart1' });
    expect(sub1.importValues).toContainEqual({ child: 'exports.SC1exported1', parent: '.' });
  });

  test('precedence across three levels (TestProcessDependencyImportValuesMultiLevelPrecedence)', async () => {
    const c = await load('three-level-dependent-chart/umbrella');
    processDependencyImportValues(c, true);
    expect(valuesPathValue(c.values, 'app1.service.port').value).toBe(3456);
    expect(valuesPathValue(c.values, 'app2.service.port').value).toBe(8080);
    expect(valuesPathValue(c.values, 'app3.service.port').value).toBe(9090);
    expect(valuesPathValue(c.values, 'app4.service.port').value).toBe(1234);
  });

  test('only enabled charts are imported from (TestProcessDependencyImportValuesForEnabledCharts)', async () => {
    const c = await load('import-values-from-enabled-subchart/parent-chart');
    processDependencyImportValues(c, true);
    expect(c.dependencies).toHaveLength(2);
    processDependencyEnabled(c, c.values, '');
    expect(c.dependencies).toHaveLength(1);
    expect(c.metadata.dependencies).toHaveLength(1);
    expect(c.dependencies[0]!.values.nameOverride).toBe('parent-chart-prod');
  });

  test('a missing table is a warning, with helm text', async () => {
    const fs = memoryFileSystem({
      'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\ndependencies:\n- name: sub\n  version: 0.1.0\n  import-values: [nope, {child: a.b, parent: x}, {parent: y}]\n',
      'c/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 0.1.0\n',
      'c/charts/sub/values.yaml': 'a: {b: 1}\n',
    });
    const warnings: string[] = [];
    processDependencies(await loadChart('c', fs), {}, { warnings });
    expect(warnings).toEqual([
      'Warning: ImportValues missing table: "exports" is not a table',
      'Warning: ImportValues missing table from chart sub: "b" is not a table',
      'Warning: ImportValues missing table from chart sub: "<nil>" is not a table',
    ]);
  });
});

describe('aliases and charts Chart.yaml does not list (dependencies_test.go)', () => {
  test('an alias adds a renamed copy (TestDependentChartAliases)', async () => {
    const c = await load('dependent-chart-alias');
    expect(c.dependencies).toHaveLength(2);
    processDependencyEnabled(c, c.values, '');
    expect(c.dependencies).toHaveLength(3);
    expect(c.dependencies).toHaveLength(c.metadata.dependencies!.length);
    expect(c.dependencies.map((d) => d.metadata.name).sort()).toEqual(['alpine', 'mariners1', 'mariners2']);
    expect(c.metadata.dependencies!.map((d) => d.name)).toEqual(['alpine', 'mariners2', 'mariners1']);
  });

  test('charts under charts/ that Chart.yaml does not list stay (TestDependentChartWithSubChartsAbsentInDependency)', async () => {
    const c = await load('dependent-chart-no-requirements-yaml');
    expect(c.dependencies).toHaveLength(2);
    processDependencyEnabled(c, c.values, '');
    expect(c.dependencies).toHaveLength(2);
  });

  test('all listed (TestDependentChartsWithSubchartsAllSpecifiedInDependency)', async () => {
    const c = await load('dependent-chart-with-all-in-requirements-yaml');
    processDependencyEnabled(c, c.values, '');
    expect(c.dependencies).toHaveLength(2);
    expect(c.metadata.dependencies).toHaveLength(2);
  });

  test('some listed (TestDependentChartsWithSomeSubchartsSpecifiedInDependency)', async () => {
    const c = await load('dependent-chart-with-mixed-requirements-yaml');
    processDependencyEnabled(c, c.values, '');
    expect(c.dependencies).toHaveLength(2);
    expect(c.metadata.dependencies).toHaveLength(1);
  });

  test('processDependencies works on a copy', async () => {
    const c = await load('dependent-chart-alias');
    const before = JSON.stringify(c, (_k, v) => (v instanceof Uint8Array ? v.length : v));
    const p = processDependencies(c, {});
    expect(JSON.stringify(c, (_k, v) => (v instanceof Uint8Array ? v.length : v))).toBe(before);
    expect(p.dependencies).toHaveLength(3);
    expect(p.metadata.dependencies!.every((d) => d.enabled)).toBe(true);
  });
});

describe('checkDependencies (action.CheckDependencies as helm template reports it)', () => {
  const prefix = 'An error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: ';
  test.each([
    ['chart-missing-deps', 'found in Chart.yaml, but missing in charts/ directory: reqsubchart2'],
    ['issue-7233', 'found in Chart.yaml, but missing in charts/ directory: alpine'],
  ])('%s', async (name, message) => {
    const c = await load(`/work/shared/corpus/helm/helm-testdata/testcharts/${name}`);
    expect(() => checkDependencies(c)).toThrow(ChartDependencyError);
    expect(() => checkDependencies(c)).toThrow(prefix + message);
  });

  test('complete charts pass', async () => {
    for (const name of ['subpop', 'dependent-chart-alias', 'three-level-dependent-chart/umbrella']) {
      const c = await load(name);
      expect(() => checkDependencies(c)).not.toThrow();
    }
  });

  test('the template path of a subchart shared by two aliased copies stays under the original name', async () => {
    const p = processDependencies(await load('chart-with-dependency-aliased-twice'), {});
    const paths = (c: Chart): string[] => [c.fullPath!, ...c.dependencies.flatMap(paths)];
    expect(paths(p)).toEqual([
      'chart-with-dependency-aliased-twice',
      'chart-with-dependency-aliased-twice/charts/foo',
      'chart-with-dependency-aliased-twice/charts/child/charts/grandchild',
      'chart-with-dependency-aliased-twice/charts/bar',
      'chart-with-dependency-aliased-twice/charts/child/charts/grandchild',
    ]);
  });
});

describe('semver ranges (chartutil.IsCompatibleRange, Masterminds/semver v3)', () => {
  test.each([
    ['1.2.3', '1.2.3', true],
    ['~1.2', '1.2.9', true],
    ['~1.2', '1.3.0', false],
    ['^1.2', '1.9.0', true],
    ['^1.2', '2.0.0', false],
    ['^0.2.3', '0.2.9', true],
    ['^0.2.3', '0.3.0', false],
    ['>=1.0.0, <2.0.0', '1.5.0', true],
    ['>=1.0.0 <2.0.0', '2.0.0', false],
    ['1.x', '1.9.9', true],
    ['1.2.*', '1.2.7', true],
    ['*', '3.0.0', true],
    ['>1.2', '1.2.5', false],
    ['>1.2', '1.3.0', true],
    ['<=1.2', '1.2.9', true],
    ['1.0.0 - 2.0.0', '1.5.0', true],
    ['1.0.0 - 2.0.0', '2.0.1', false],
    ['!=1.2.3', '1.2.3', false],
    ['1.2.3 || 2.x', '2.1.0', true],
    ['>=1.0.0', '1.1.0-beta', false],
    ['>=1.0.0-0', '1.1.0-beta', true],
    ['~0.1', '0.1.0', true],
    ['', '1.0.0', false],
    ['not a range', '1.0.0', false],
    ['1.0.0', 'v1', true],
    ['>=1', 'not-a-version', false],
  ])('%j accepts %j: %s', (constraint, version, want) => {
    expect(isCompatibleRange(constraint, version)).toBe(want);
  });

  test.each([
    ['1.2.3', true],
    ['v1.2', true],
    ['1', true],
    ['1.2.3-beta.1+build.5', true],
    ['1.2.3.4', false],
    ['01.2.3', true],
    ['1.2.3-01', false],
    ['1.2.3-', false],
    ['', false],
  ])('%j is a version: %s', (v, want) => {
    expect(isValidSemver(v)).toBe(want);
  });
});

/**
 * The values each chart of a processed tree renders with, by helm's template path prefix: the
 * top's coalesced values, a subchart's under its name; a chart reached twice keeps the last.
 */
function valuesByChart(c: Chart, values: GoMap, out: Record<string, unknown> = {}): Record<string, unknown> {
  out[c.fullPath ?? c.metadata.name] = values;
  for (const d of c.dependencies) valuesByChart(d, (values[d.metadata.name] ?? {}) as GoMap, out);
  return out;
}

function canonical(v: unknown): string {
  const sort = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sort);
    if (x !== null && typeof x === 'object') {
      const m = x as GoMap;
      return Object.fromEntries(
        Object.keys(m)
          .sort()
          .map((k) => [k, sort(m[k])]),
      );
    }
    return typeof x === 'bigint' ? Number(x) : x;
  };
  return JSON.stringify(sort(v));
}

/**
 * Whole runs of the real helm v3.22.0 (`helm template` with a template printing
 * `toJson .Values` in every chart): the values each rendered chart got. Large values are
 * compared by the sha256 of their canonical JSON.
 */
const HELM_RUNS: [string, string[], Record<string, unknown>][] = [
  ["helm-testdata/chart-util/subpop", [], {
    "parentchart/charts/subchart1/charts/subcharta": {"SCAdata":{"SCAbool":false,"SCAfloat":3.1,"SCAint":55,"SCAnested1":{"SCAnested2":true},"SCAstring":"jabba","SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}}},"service":{"externalPort":80,"internalPort":80,"name":"apache","type":"ClusterIP"}},
    "parentchart/charts/subchart1/charts/subchartb": {"SCBdata":{"SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"exports":{"SCBexported1":{"SCBexported1A":{"SCBexported1B":1965}},"SCBexported2":{"SCBexported2A":"blaster"}},"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}},"kolla":{"nova":{"api":{"all":{"port":8774}},"metadata":{"all":{"port":8775}}}}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "parentchart/charts/subchart1": { sha256: "6d403bd85872e3a80866838deae0a82dea7232230f133f27921d98da5c6ccfc8" },
    "parentchart": { sha256: "114e148ef278a7f1b5dcf9c92058775e40a967f5e44412a90b8d99817c81791f" },
  }],
  ["helm-testdata/chart-util/subpop", ["--set","tags.front-end=false,tags.back-end=true"], {
    "parentchart/charts/subchart2/charts/subchartb": {"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "parentchart/charts/subchart2/charts/subchartc": {"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "parentchart/charts/subchart2": {"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"},"subchartb":{"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},"subchartc":{"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}}},
    "parentchart": {"ensurenull":null,"imported-chart1":{"SPextra1":"helm rocks"},"imported-chartA":{"SPextra3":1.337},"imported-chartA-B":{"SPextra5":"k8s"},"overridden-chart1":{"SC1bool":false,"SC1float":3.141592,"SC1int":99,"SC1string":"pollywog","SPextra2":42},"overridden-chartA":{"SCAbool":true,"SCAfloat":41.3,"SCAint":808,"SCAstring":"jabberwocky","SPextra4":true},"overridden-chartA-B":{"SCAbool":true,"SCAfloat":41.3,"SCAint":808,"SCAstring":"jabberwocky","SCBbool":false,"SCBfloat":1.99,"SCBint":77,"SCBstring":"jango","SPextra6":111},"subchart2":{"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"},"subchartb":{"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},"subchartc":{"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}}},"subchart2alias":{"enabled":false},"tags":{"back-end":true,"front-end":false}},
  }],
  ["helm-testdata/chart-util/subpop", ["--set","subchart1.enabled=false,subchart2alias.enabled=true,subchart2alias.subchartb.enabled=true"], {
    "parentchart/charts/subchart2alias/charts/subchartb": {"enabled":true,"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "parentchart/charts/subchart2alias": {"enabled":true,"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"},"subchartb":{"enabled":true,"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}}},
    "parentchart": {"ensurenull":null,"imported-chart1":{"SPextra1":"helm rocks"},"imported-chartA":{"SPextra3":1.337},"imported-chartA-B":{"SPextra5":"k8s"},"overridden-chart1":{"SC1bool":false,"SC1float":3.141592,"SC1int":99,"SC1string":"pollywog","SPextra2":42},"overridden-chartA":{"SCAbool":true,"SCAfloat":41.3,"SCAint":808,"SCAstring":"jabberwocky","SPextra4":true},"overridden-chartA-B":{"SCAbool":true,"SCAfloat":41.3,"SCAint":808,"SCAstring":"jabberwocky","SCBbool":false,"SCBfloat":1.99,"SCBint":77,"SCBstring":"jango","SPextra6":111},"subchart1":{"enabled":false},"subchart2alias":{"enabled":true,"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"},"subchartb":{"enabled":true,"global":{},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}}},"tags":{"back-end":false,"front-end":true}},
  }],
  ["helm-testdata/chart-util/subpop", ["--set","subchart2.subchartc.enabled=false,tags.back-end=true"], {
    "parentchart/charts/subchart1/charts/subcharta": {"SCAdata":{"SCAbool":false,"SCAfloat":3.1,"SCAint":55,"SCAnested1":{"SCAnested2":true},"SCAstring":"jabba","SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}}},"service":{"externalPort":80,"internalPort":80,"name":"apache","type":"ClusterIP"}},
    "parentchart/charts/subchart1/charts/subchartb": {"SCBdata":{"SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"exports":{"SCBexported1":{"SCBexported1A":{"SCBexported1B":1965}},"SCBexported2":{"SCBexported2A":"blaster"}},"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}},"kolla":{"nova":{"api":{"all":{"port":8774}},"metadata":{"all":{"port":8775}}}}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "parentchart/charts/subchart1": { sha256: "6d403bd85872e3a80866838deae0a82dea7232230f133f27921d98da5c6ccfc8" },
    "parentchart/charts/subchart2/charts/subchartb": {"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}}},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "parentchart/charts/subchart2": {"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}}},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"},"subchartb":{"global":{"SC1exported2":{"all":{"SC1exported3":"SC1expstr"}}},"image":{"pullPolicy":"IfNotPresent","repository":"nginx","tag":"stable"},"replicaCount":1,"resources":{"limits":{"cpu":"100m","memory":"128Mi"},"requests":{"cpu":"100m","memory":"128Mi"}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},"subchartc":{"enabled":false}},
    "parentchart": { sha256: "84c0708444796ea17d3d344b2e21528013c39f0084049f60b31fa09465ddffed" },
  }],
  ["helm-testdata/chart-util/three-level-dependent-chart/umbrella", [], {
    "umbrella/charts/app1": {"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":3456,"type":"ClusterIP"}},
    "umbrella/charts/app2": {"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":8080,"type":"ClusterIP"}},
    "umbrella/charts/app3": {"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":9090,"type":"ClusterIP"}},
    "umbrella/charts/app4": {"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":1234,"type":"ClusterIP"}},
    "umbrella": {"app1":{"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":3456,"type":"ClusterIP"}},"app2":{"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":8080,"type":"ClusterIP"}},"app3":{"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":9090,"type":"ClusterIP"}},"app4":{"enabled":true,"global":{},"library":{"exports":{"defaults":{"service":{"port":9090,"type":"ClusterIP"}}},"global":{}},"service":{"port":1234,"type":"ClusterIP"}}},
  }],
  ["helm-testdata/chart-util/import-values-from-enabled-subchart/parent-chart", [], {
    "parent-chart": {"nameOverride":"parent-chart","prod":{"exports":{"data":{"resources":{"autoscaler":{"maxReplicas":5,"minReplicas":2,"targetCPUUtilizationPercentage":90}}}},"global":{},"nameOverride":"parent-chart-prod"},"resources":{"autoscaler":{"maxReplicas":0,"minReplicas":0,"targetCPUUtilizationPercentage":99}},"tags":{"dev":false,"prod":true}},
  }],
  ["helm-testdata/chart-util/chart-with-dependency-aliased-twice", [], {
    "chart-with-dependency-aliased-twice/charts/bar": {"global":{},"grandchild":{"from":"bar","global":{}}},
    "chart-with-dependency-aliased-twice/charts/child/charts/grandchild": {"from":"bar","global":{}},
    "chart-with-dependency-aliased-twice/charts/foo": {"global":{},"grandchild":{"from":"foo","global":{}}},
    "chart-with-dependency-aliased-twice": {"bar":{"global":{},"grandchild":{"from":"bar","global":{}}},"foo":{"global":{},"grandchild":{"from":"foo","global":{}}}},
  }],
  ["helm-testdata/chart-util/chart-with-import-from-aliased-dependencies", [], {
    "chart-with-dependency-aliased-twice/charts/bar/charts/grandchild": {"defaults":{"defaultValue":"42"},"global":{}},
    "chart-with-dependency-aliased-twice/charts/bar": {"global":{},"grandchild":{"defaults":{"defaultValue":"42"},"global":{}}},
    "chart-with-dependency-aliased-twice/charts/foo/charts/grandchild": {"defaults":{"defaultValue":"42"},"global":{}},
    "chart-with-dependency-aliased-twice/charts/foo": {"defaults":{"defaultValue":"42"},"global":{},"grandchild":{"defaults":{"defaultValue":"42"},"global":{}}},
    "chart-with-dependency-aliased-twice": {"bar":{"global":{},"grandchild":{"defaults":{"defaultValue":"42"},"global":{}}},"foo":{"defaults":{"defaultValue":"42"},"global":{},"grandchild":{"defaults":{"defaultValue":"42"},"global":{}}},"foo-defaults":{"defaultValue":"42"}},
  }],
  ["helm-testdata/chart-util/dependent-chart-alias", [], {
    "frobnitz/charts/alpine/charts/mast1": {"global":{}},
    "frobnitz/charts/alpine": {"global":{},"mast1":{"global":{}},"mast2":{"global":{}},"name":"my-alpine"},
    "frobnitz": {"alpine":{"global":{},"mast1":{"global":{}},"mast2":{"global":{}},"name":"my-alpine"},"mariners1":{"<CHARTNAME>":{"test":true},"albatross":{"albatross":"true","global":{"author":"Coleridge"}},"global":{}},"mariners2":{"<CHARTNAME>":{"test":true},"albatross":{"albatross":"true","global":{"author":"Coleridge"}},"global":{}},"name":"Some Name","section":{"name":"Name in a section"}},
  }],
  ["helm-testdata/chart-util/dependent-chart-with-mixed-requirements-yaml", [], {
    "frobnitz/charts/alpine/charts/mast1": {"global":{}},
    "frobnitz/charts/alpine": {"global":{},"mast1":{"global":{}},"mast2":{"global":{}},"name":"my-alpine"},
    "frobnitz": {"alpine":{"global":{},"mast1":{"global":{}},"mast2":{"global":{}},"name":"my-alpine"},"mariner":{"<CHARTNAME>":{"test":true},"albatross":{"albatross":"true","global":{"author":"Coleridge"}},"global":{}},"name":"Some Name","section":{"name":"Name in a section"}},
  }],
  ["helm-testdata/testcharts/subchart", ["--set","configmap.enabled=true,subchartb.enabled=true"], {
    "subchart/charts/subcharta": {"SCAdata":{"SCAbool":false,"SCAfloat":3.1,"SCAint":55,"SCAnested1":{"SCAnested2":true},"SCAstring":"jabba","SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"global":{},"service":{"externalPort":80,"internalPort":80,"name":"apache","type":"ClusterIP"}},
    "subchart/charts/subchartb": {"SCBdata":{"SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"enabled":true,"exports":{"SCBexported1":{"SCBexported1A":{"SCBexported1B":1965}},"SCBexported2":{"SCBexported2A":"blaster"},"configmap":{"configmap":{"value":"bar"}}},"global":{"kolla":{"nova":{"api":{"all":{"port":8774}},"metadata":{"all":{"port":8775}}}}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "subchart": { sha256: "fcfe4659249c7f94e4e1c04a29c07a7aa8ed3aa4a50fe88a8d8fc5f679e8b872" },
  }],
  ["helm-testdata/testcharts/subchart", [], {
    "subchart/charts/subcharta": {"SCAdata":{"SCAbool":false,"SCAfloat":3.1,"SCAint":55,"SCAnested1":{"SCAnested2":true},"SCAstring":"jabba","SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"global":{},"service":{"externalPort":80,"internalPort":80,"name":"apache","type":"ClusterIP"}},
    "subchart/charts/subchartb": {"SCBdata":{"SCBbool":true,"SCBfloat":7.77,"SCBint":33,"SCBstring":"boba"},"exports":{"SCBexported1":{"SCBexported1A":{"SCBexported1B":1965}},"SCBexported2":{"SCBexported2A":"blaster"},"configmap":{"configmap":{"value":"bar"}}},"global":{"kolla":{"nova":{"api":{"all":{"port":8774}},"metadata":{"all":{"port":8775}}}}},"service":{"externalPort":80,"internalPort":80,"name":"nginx","type":"ClusterIP"}},
    "subchart": { sha256: "029a963cc364b0fb3531103733ac03ba124ab96d3e5ae86af2a2e295de74ae8b" },
  }],
  ["helm-testdata/testcharts/reqtest", [], {
    "reqtest/charts/reqsubchart": {"global":{}},
    "reqtest/charts/reqsubchart2": {"global":{}},
    "reqtest": {"reqsubchart":{"global":{}},"reqsubchart2":{"global":{}},"reqsubchart3":{"global":{}}},
  }],
  ["helm-testdata/testcharts/issue-9027", [], {
    "issue-9027/charts/subchart": {"global":{"hash":{"key3":13,"key4":4,"key5":5,"key6":6}},"hash":{"key3":13,"key4":4,"key5":5,"key6":6}},
    "issue-9027": {"global":{"hash":{"key1":null,"key2":null,"key3":13}},"subchart":{"global":{"hash":{"key3":13,"key4":4,"key5":5,"key6":6}},"hash":{"key3":13,"key4":4,"key5":5,"key6":6}}},
  }],
  ["prometheus", [], {
    "prometheus/charts/alertmanager": { sha256: "a3f6e0c68b9a241cf655b3337c5df3b4cba0b0024a9e1a74ce27230c2815de42" },
    "prometheus/charts/kube-state-metrics": { sha256: "81b6e398029fbe92a54c97322a6bc772b05f50385cc4f094acf6f88f9aabc3d0" },
    "prometheus/charts/prometheus-node-exporter": { sha256: "b9112968eb001cdd8e01a6f28d9b54e0e46df50d5250205fa6b3a06b3a18c47c" },
    "prometheus/charts/prometheus-pushgateway": { sha256: "dd66e0d6f134c202ff3e3dc6146c58947a798234347b5530aa79fe1491493c6f" },
    "prometheus": { sha256: "619a81595deb7fd92c82a2db613e705638c976d248c56ece3eb213c6eefb7490" },
  }],
  ["argo-cd", [], {
    "argo-cd": { sha256: "9a90b25fb3aa122cc68c80fbb123f425df702989745aade58a70c513bffaa18b" },
  }],
];

describe('the whole values pipeline against helm template v3.22.0', () => {
  test.each(HELM_RUNS)('%s %j', async (dir, args, want) => {
    const chart = await loadChart(`/work/shared/corpus/helm/${dir}`, nodeFileSystem);
    const user = mergeValueOptions(args.length > 0 ? { values: [args[1]!] } : {}, memoryFileSystem({}));
    checkDependencies(chart);
    const processed = processDependencies(chart, user);
    const got = valuesByChart(processed, coalesceValues(processed, user));
    for (const [path, expected] of Object.entries(want)) {
      expect(Object.keys(got), path).toContain(path);
      if (expected !== null && typeof expected === 'object' && 'sha256' in expected) {
        expect(createHash('sha256').update(canonical(got[path])).digest('hex'), path).toBe((expected as { sha256: string }).sha256);
      } else {
        expect(canonical(got[path]), path).toBe(canonical(expected));
      }
    }
  });
});

describe('helm template runs built for the rules of dependencies.go', () => {
  const chartYaml = (name: string, extra = '') => `apiVersion: v2\nname: ${name}\nversion: 0.1.0\n${extra}`;

  async function pipeline(files: Record<string, string>, set: string[] = []) {
    const user = mergeValueOptions({ values: set }, memoryFileSystem({}));
    const chart = await loadChart('chart', memoryFileSystem(files));
    checkDependencies(chart);
    const warnings: string[] = [];
    const processed = processDependencies(chart, user, { warnings });
    return { values: valuesByChart(processed, coalesceValues(processed, user, { warnings })), warnings };
  }

  test('aliases with conditions: the first path holding a bool decides; non-bools warn', async () => {
    const { values, warnings } = await pipeline({
      'chart/Chart.yaml': chartYaml('c', 'dependencies:\n- name: sub\n  version: 0.1.0\n  alias: one\n  condition: one.enabled\n- name: sub\n  version: 0.1.0\n  alias: two\n  condition: two.enabled,global.two\n'),
      'chart/values.yaml': 'one: {enabled: true}\ntwo: {enabled: "yes"}\nglobal: {two: false}\n',
      'chart/charts/sub/Chart.yaml': chartYaml('sub'),
      'chart/charts/sub/values.yaml': 'enabled: false\nk: v\n',
    });
    // helm: only "one" renders.
    expect(canonical(values)).toBe(
      canonical({
        c: { global: { two: false }, one: { enabled: true, global: { two: false }, k: 'v' }, two: { enabled: 'yes' } },
        'c/charts/one': { enabled: true, global: { two: false }, k: 'v' },
      }),
    );
    expect(warnings).toEqual(["Warning: Condition path 'two.enabled' for chart two returned non-bool value"]);
  });

  test('tags: one true tag enables, all-false disables', async () => {
    const { values } = await pipeline(
      {
        'chart/Chart.yaml': chartYaml('c', 'dependencies:\n- name: a\n  version: 0.1.0\n  tags: [front]\n- name: b\n  version: 0.1.0\n  tags: [back, front]\n'),
        'chart/values.yaml': 'tags: {front: false}\n',
        'chart/charts/a/Chart.yaml': chartYaml('a'),
        'chart/charts/b/Chart.yaml': chartYaml('b'),
      },
      ['tags.back=true'],
    );
    expect(canonical(values)).toBe(canonical({ c: { b: { global: {} }, tags: { back: true, front: false } }, 'c/charts/b': { global: {} } }));
  });

  test('a dependency without a version is never matched, so its alias and condition do not apply', async () => {
    const { values } = await pipeline({
      'chart/Chart.yaml': chartYaml('c', 'dependencies:\n- name: sub\n  alias: renamed\n  condition: sub.off\n'),
      'chart/values.yaml': 'sub: {off: false}\n',
      'chart/charts/sub/Chart.yaml': chartYaml('sub'),
      'chart/charts/sub/values.yaml': 'x: 1\n',
    });
    // `off` is YAML 1.1 false, so the key is "false" and the condition path finds nothing.
    expect(canonical(values)).toBe(canonical({ c: { sub: { false: false, global: {}, x: 1 } }, 'c/charts/sub': { false: false, global: {}, x: 1 } }));
  });

  test('conditions below the top see the parent values under the subchart path', async () => {
    const { values } = await pipeline(
      {
        'chart/Chart.yaml': chartYaml('c', 'dependencies:\n- name: mid\n  version: ~0.1\n'),
        'chart/values.yaml': 'mid: {leaf: {v: fromtop}, global: {g: mid-from-top}}\nglobal: {g: top}\n',
        'chart/charts/mid/Chart.yaml': chartYaml('mid', 'dependencies:\n- name: leaf\n  version: ">=0.1.0"\n  condition: leaf.enabled\n'),
        'chart/charts/mid/values.yaml': 'leaf: {v: frommid, enabled: true}\n',
        'chart/charts/mid/charts/leaf/Chart.yaml': chartYaml('leaf'),
        'chart/charts/mid/charts/leaf/values.yaml': 'v: own\nw: own\n',
      },
      ['mid.leaf.enabled=true'],
    );
    expect(canonical(values['c/charts/mid/charts/leaf'])).toBe(canonical({ enabled: true, global: { g: 'top' }, v: 'fromtop', w: 'own' }));
  });

  test('import-values: strings from exports, maps from anywhere; parent values win', async () => {
    const { values, warnings } = await pipeline({
      'chart/Chart.yaml': chartYaml('c', 'dependencies:\n- name: sub\n  version: 0.1.0\n  import-values:\n  - data\n  - child: deep.x\n    parent: imported.here\n  - child: missing\n    parent: nope\n'),
      'chart/values.yaml': 'imported: {here: {keep: parent}}\nfromexport: 0\n',
      'chart/charts/sub/Chart.yaml': chartYaml('sub'),
      'chart/charts/sub/values.yaml': 'exports: {data: {fromexport: 1, other: 2}}\ndeep: {x: {keep: child, more: 3, nul: null}}\n',
    });
    expect(canonical(values.c)).toBe(
      canonical({
        fromexport: 0,
        imported: { here: { keep: 'parent', more: 3, nul: null } },
        other: 2,
        sub: { deep: { x: { keep: 'child', more: 3, nul: null } }, exports: { data: { fromexport: 1, other: 2 } }, global: {} },
      }),
    );
    expect(warnings).toEqual(['Warning: ImportValues missing table from chart sub: "missing" is not a table']);
  });

  test('ProcessDependencies (coalescing imports) drops nulls where ProcessDependenciesWithMerge keeps them', async () => {
    const chart = await load('subpop');
    expect(valuesPathValue(processDependenciesCoalesced(chart, {}).values, 'ensurenull').found).toBe(false);
    expect(valuesPathValue(processDependencies(chart, {}).values, 'ensurenull')).toEqual({ found: true, value: null });
  });
});
