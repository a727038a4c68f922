import { describe, expect, test } from 'vitest';
import { coalesceTables } from '../../../src/engines/chart/coalesce.js';
import { formatTemplateOutput, loadChartFiles, renderLoadedChart, type Chart, type GoMap } from '../../../src/engines/chart/index.js';
import { LookupError, MAX_LOOKUP_PASSES, chartToJson, renderRelease, sortHooks, toHelmHook, type HelmHook } from '../../../src/release/index.js';
import { reuseValues } from '../../../src/release/actions/upgrade.js';

const enc = new TextEncoder();
function chartOf(files: Record<string, string>): Chart {
  return loadChartFiles(Object.entries(files).map(([name, text]) => ({ name, data: enc.encode(text) })), 'test');
}
const base = { name: 'rel', namespace: 'ns', revision: 1, isUpgrade: false, capabilities: {} };

describe('renderRelease answers lookup from the cluster by rendering until no lookup is new', () => {
  const CHAIN = {
    'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
    'templates/cm.yaml': `{{- $a := lookup "v1" "ConfigMap" "ns" "a" }}
{{- $b := dict }}
{{- if $a }}{{ $b = lookup "v1" "ConfigMap" "ns" $a.data.next }}{{ end }}
apiVersion: v1
kind: ConfigMap
metadata: {name: out}
data: {a: {{ dig "data" "next" "-" $a | quote }}, b: {{ dig "data" "v" "-" $b | quote }}, n: {{ len (dig "items" list (lookup "v1" "ConfigMap" "ns" "")) | quote }}}
`,
  };
  const cluster: Record<string, GoMap> = {
    '["v1","ConfigMap","ns","a"]': { data: { next: 'b' } },
    '["v1","ConfigMap","ns","b"]': { data: { v: 'deep' } },
    '["v1","ConfigMap","ns",""]': { kind: 'ConfigMapList', items: [{}, {}] },
  };

  test('a chain of lookups takes one pass per level, and each question is asked once', async () => {
    const asked: string[] = [];
    const r = await renderRelease(chartOf(CHAIN), {}, {
      ...base,
      lookup: async (...args) => {
        asked.push(JSON.stringify(args));
        return cluster[JSON.stringify(args)] ?? {};
      },
    });
    expect(r.manifest).toBe('---\n# Source: c/templates/cm.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: out}\ndata: {a: "b", b: "deep", n: "2"}\n');
    expect(r.passes).toBe(3);
    expect(asked.sort()).toEqual(Object.keys(cluster).sort());
  });

  test('without a lookup function lookup is empty, as in helm template and --dry-run=client', async () => {
    const r = await renderRelease(chartOf(CHAIN), {}, base);
    expect(r.manifest).toContain('data: {a: "-", b: "-", n: "0"}');
    expect(r.passes).toBe(1);
  });

  test('a pass that failed on a placeholder answer is rendered again with the real one', async () => {
    const chart = chartOf({
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'templates/s.yaml': '{{ $s := lookup "v1" "Secret" "ns" "must" }}{{ if not $s }}{{ fail "the secret must exist" }}{{ end }}kind: Secret\napiVersion: v1\nmetadata: {name: {{ $s.metadata.name }}}\n',
    });
    const r = await renderRelease(chart, {}, { ...base, lookup: async () => ({ metadata: { name: 'must' } }) });
    expect(r.manifest).toContain('metadata: {name: must}');
    await expect(renderRelease(chart, {}, { ...base, lookup: async () => ({}) })).rejects.toThrow('the secret must exist');
  });

  test('a cluster error reaches the template as helm reports it', async () => {
    const chart = chartOf({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'templates/x.yaml': '{{ lookup "nope/v1" "Thing" "" "x" }}' });
    const lookup = async (): Promise<GoMap> => {
      throw new LookupError('unable to get apiresource from unstructured: nope/v1, Kind=Thing: the server could not find the requested resource');
    };
    await expect(renderRelease(chart, {}, { ...base, lookup })).rejects.toThrow(/error calling lookup: unable to get apiresource from unstructured: nope\/v1, Kind=Thing/);
  });

  test('lookups that never settle stop after MAX_LOOKUP_PASSES', async () => {
    const chart = chartOf({
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'templates/x.yaml': '{{ $n := 0 }}{{ range until 100 }}{{ $r := lookup "v1" "ConfigMap" "ns" (printf "c%d" $n) }}{{ if $r }}{{ $n = add $n 1 }}{{ end }}{{ end }}',
    });
    await expect(renderRelease(chart, {}, { ...base, lookup: async () => ({ data: {} }) })).rejects.toThrow(`did not settle after ${MAX_LOOKUP_PASSES} rendering passes`);
  });

  test('the manifest is helm template\'s stream of the same render, untrimmed, without hooks', async () => {
    const files = {
      'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'templates/a.yaml': 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
      'templates/hook.yaml': 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: test-success}\n',
    };
    const r = await renderRelease(chartOf(files), {}, base);
    const helmTemplate = formatTemplateOutput(renderLoadedChart(chartOf(files), {}, { releaseName: 'rel', namespace: 'ns' }), { noHooks: true });
    expect(r.manifest).toBe(helmTemplate);
    expect(r.hooks).toEqual([
      {
        name: 't',
        kind: 'Pod',
        path: 'c/templates/hook.yaml',
        manifest: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations: {helm.sh/hook: test-success}',
        events: ['test'],
        last_run: { started_at: '', completed_at: '', phase: '' },
        weight: 0,
        delete_policies: [],
        output_log_policies: [],
      },
    ]);
  });
});

describe('sortHooks (helm hookByWeight)', () => {
  const h = (name: string, kind: string, weight = 0): HelmHook => ({ name, kind, weight, path: '', manifest: '', events: [], last_run: { phase: '' } });
  test('by weight, then name; equal ones keep their (kind) order', () => {
    const hooks = [h('b', 'ConfigMap', 0), h('a', 'Job', 0), h('z', 'Job', -5), h('a', 'ConfigMap'), h('m', 'Job', 10), h('a', 'Secret', 0)];
    expect(sortHooks(hooks).map((x) => `${x.weight}:${x.name}:${x.kind}`)).toEqual([
      '-5:z:Job',
      '0:a:Job',
      '0:a:ConfigMap',
      '0:a:Secret',
      '0:b:ConfigMap',
      '10:m:Job',
    ]);
  });

  test('toHelmHook maps helm 2\'s test-success to test', () => {
    expect(toHelmHook({ name: 'x', kind: 'Pod', path: 'p', manifest: 'm', events: ['test-success', 'pre-install'], weight: 3, deletePolicies: ['hook-succeeded'], outputLogPolicies: [] }).events).toEqual(['test', 'pre-install']);
  });
});

describe('upgrade values (helm reuseValues)', () => {
  const chart = chartOf({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 2.0.0\n', 'values.yaml': 'a: new-default\nnested: {x: 1, y: 2}\nfresh: true\n' });
  const oldChart = chartOf({ 'Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'values.yaml': 'a: old-default\nnested: {x: 0}\n' });
  const current = { name: 'rel', version: 4, config: { nested: { x: 5 }, gone: 'yes' }, chart: chartToJson(oldChart) };
  const ctx = { log: () => undefined };
  const opts = (values: GoMap, flag?: 'resetValues' | 'reuseValues' | 'resetThenReuseValues') => ({
    values,
    resetValues: flag === 'resetValues',
    reuseValues: flag === 'reuseValues',
    resetThenReuseValues: flag === 'resetThenReuseValues',
  });

  test('no flag: new values alone, or the current ones when none are given', () => {
    expect(reuseValues(ctx, chart, current, opts({ b: 1 })).values).toEqual({ b: 1 });
    expect(reuseValues(ctx, chart, current, opts({})).values).toEqual({ nested: { x: 5 }, gone: 'yes' });
  });

  test('--reset-values: the new values only', () => {
    expect(reuseValues(ctx, chart, current, opts({}, 'resetValues')).values).toEqual({});
  });

  test('--reuse-values: new over current (CoalesceTables), and the old computed values become the defaults', () => {
    const r = reuseValues(ctx, chart, current, opts({ nested: { y: 9 }, gone: null }, 'reuseValues'));
    expect(r.values).toEqual(coalesceTables({ nested: { y: 9 }, gone: null }, structuredClone(current.config)));
    expect(r.values).toEqual({ nested: { x: 5, y: 9 } });
    expect(r.chart.values).toEqual({ a: 'old-default', nested: { x: 5 }, gone: 'yes' });
  });

  test('--reset-then-reuse-values: new over current, with the new chart\'s defaults', () => {
    const r = reuseValues(ctx, chart, current, opts({ a: 'mine' }, 'resetThenReuseValues'));
    expect(r.values).toEqual({ a: 'mine', nested: { x: 5 }, gone: 'yes' });
    expect(r.chart.values).toEqual(chart.values);
  });
});
