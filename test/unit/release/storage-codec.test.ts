import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { nodeFileSystem } from '../../../src/core/index.js';
import { loadChart, processDependencies } from '../../../src/engines/chart/index.js';
import {
  ReleaseDecodeError,
  chartFromJson,
  chartToJson,
  decodeRelease,
  decodeReleaseJson,
  encodeChartJson,
  encodeRelease,
  encodeReleaseJson,
  type Release,
} from '../../../src/release/index.js';
import { FIXTURE_CHART, VERSIONS, recordData, recordJson } from './storage-fixtures.js';

describe('records written by helm 3.22', () => {
  test.each(VERSIONS)('revision %i decodes and encodes back to the very JSON helm wrote', (v) => {
    const r = decodeRelease(recordData(v));
    expect(r.name).toBe('shop');
    expect(r.version).toBe(v);
    expect(encodeReleaseJson(r)).toBe(recordJson(v));
  });

  test('the decoded record has helm fields: statuses, times, hooks with their last run, typed config', () => {
    const [r1, , r3, r4] = VERSIONS.map((v) => decodeRelease(recordData(v)));
    expect(r1!.info.status).toBe('superseded');
    expect(r3!.info.status).toBe('failed');
    expect(r3!.info.description).toMatch(/^Upgrade "shop" failed: /);
    expect(r4!.info.description).toBe('Rollback to 2');
    expect(r1!.info.deleted).toBe('');
    expect(r1!.info.first_deployed).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    expect(r1!.config).toEqual({ obj: { a: [1, 2], b: '<x>' }, ratio: '0.5', replicas: 3, version: '007' });
    const test = r1!.hooks.find((h) => h.events.includes('test'))!;
    expect(test.last_run.phase).toBe('Succeeded');
    expect(test.last_run.started_at).not.toBe('');
    const migrate = r1!.hooks.find((h) => h.name === 'shop-shop-migrate')!;
    expect(migrate).toMatchObject({ kind: 'Job', weight: -5, events: ['pre-install', 'pre-upgrade'], delete_policies: ['before-hook-creation', 'hook-succeeded'] });
    expect(r1!.chart.metadata?.dependencies?.[0]).toMatchObject({ name: 'sub', enabled: true, 'import-values': [{ child: 'exported', parent: 'imported' }, { child: 'exports.data', parent: '.' }] });
    expect(r1!.chart.lock?.generated).toBe('2024-05-06T07:08:09.123456789+02:00');
  });

  test('encodeRelease is gzip (best compression, Go header bytes) of the JSON, in standard base64', () => {
    const r = decodeRelease(recordData(2));
    const bytes = Buffer.from(encodeRelease(r), 'base64');
    expect([...bytes.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 0xff]);
    expect(gunzipSync(bytes).toString('utf8')).toBe(recordJson(2));
    expect(decodeRelease(encodeRelease(r))).toEqual(r);
  });

  test('the fixture chart, loaded and processed as helm install does, is the chart helm stored', async () => {
    const stored = decodeRelease(recordData(1));
    const chart = await loadChart(FIXTURE_CHART, nodeFileSystem);
    const processed = processDependencies(chart, stored.config);
    expect(encodeChartJson(chartToJson(processed))).toBe(encodeChartJson(stored.chart));
  });

  test('chartFromJson then chartToJson gives the stored chart back', () => {
    const stored = decodeRelease(recordData(1)).chart;
    const chart = chartFromJson(stored);
    expect(chart.templates.map((t) => t.name)).toEqual(['templates/NOTES.txt', 'templates/_helpers.tpl', 'templates/configmap.yaml', 'templates/pre-install-job.yaml', 'templates/test-job.yaml']);
    expect(Buffer.from(chart.files.find((f) => f.name === 'files/blob.bin')!.data)).toEqual(Buffer.from('binary\x00\x01\x02\xff data\n', 'latin1'));
    expect(chart.dependencies).toEqual([]);
    expect(chartToJson(chart)).toEqual(stored);
  });
});

/** A minimal release; `over` replaces fields. */
function release(over: Partial<Release> = {}): Release {
  return {
    name: 'web',
    namespace: 'shop',
    version: 1,
    info: { deleted: '', status: 'deployed' },
    chart: { metadata: { name: 'web', version: '0.1.0', apiVersion: 'v2' }, lock: null, templates: null, values: null, schema: null, files: null },
    config: {},
    manifest: '',
    hooks: [],
    ...over,
  };
}

describe('json.Marshal of a release, as Go writes it', () => {
  test('zero times are "", empty fields are left out, nil chart slices and maps are null', () => {
    expect(encodeReleaseJson(release())).toBe(
      '{"name":"web","info":{"first_deployed":"","last_deployed":"","deleted":"","status":"deployed"},' +
        '"chart":{"metadata":{"name":"web","version":"0.1.0","apiVersion":"v2"},"lock":null,"templates":null,"values":null,"schema":null,"files":null},' +
        '"version":1,"namespace":"shop"}',
    );
  });

  test('strings get Go escapes, maps sorted keys, ints and floats Go number text', () => {
    const r = release({
      config: { z: 1n, a: 1.5, big: 1e21, tiny: 1e-7, s: '<a> & "b"\u2028\n\t\u0001é' },
      manifest: '---\n# Source: web/templates/a.yaml\n',
    });
    expect(encodeReleaseJson(r)).toContain(
      '"config":{"a":1.5,"big":1e+21,"s":"\\u003ca\\u003e \\u0026 \\"b\\"\\u2028\\n\\t\\u0001é","tiny":1e-7,"z":1},' +
        '"manifest":"---\\n# Source: web/templates/a.yaml\\n"',
    );
  });

  test('hooks: always a last_run, weight and policies only when set', () => {
    const r = release({
      hooks: [{ name: 'h', kind: 'Job', path: 'web/templates/h.yaml', manifest: 'x', events: ['post-install'], last_run: { phase: '' }, weight: 0 }],
    });
    expect(encodeReleaseJson(r)).toContain(
      '"hooks":[{"name":"h","kind":"Job","path":"web/templates/h.yaml","manifest":"x","events":["post-install"],"last_run":{"started_at":"","completed_at":"","phase":""}}]',
    );
  });

  test('times are written as time.Time.MarshalJSON writes them', () => {
    const r = release({ info: { first_deployed: '2026-01-02T03:04:05.100Z', last_deployed: '2026-01-02T03:04:05.000000001+05:30', deleted: '', status: 'deployed' } });
    expect(encodeReleaseJson(r)).toContain('"first_deployed":"2026-01-02T03:04:05.1Z","last_deployed":"2026-01-02T03:04:05.000000001+05:30"');
  });

  test('a time helm could not read back is refused', () => {
    expect(() => encodeReleaseJson(release({ info: { first_deployed: 'yesterday', deleted: '', status: 'deployed' } }))).toThrow(/not an RFC 3339 time/);
  });

  test('the status output leaves the chart out', () => {
    expect(encodeReleaseJson(release(), { omitChart: true })).not.toContain('"chart"');
  });

  test('chart metadata fields come in Go struct order, a lock with its full zero time', () => {
    const r = release({
      chart: {
        metadata: { type: 'application', name: 'web', annotations: { b: '2', a: '1' }, deprecated: true, version: '1.0.0', keywords: ['k'], dependencies: [{ name: 'd', repository: '', alias: 'x', enabled: true }] },
        lock: { generated: '', digest: 'sha256:x', dependencies: null },
        templates: [{ name: 'templates/a.yaml', data: 'YQ==' }],
        values: {},
        schema: '',
        files: null,
      },
    });
    expect(encodeReleaseJson(r)).toContain(
      '"chart":{"metadata":{"name":"web","version":"1.0.0","keywords":["k"],"deprecated":true,"annotations":{"a":"1","b":"2"},' +
        '"dependencies":[{"name":"d","repository":"","enabled":true,"alias":"x"}],"type":"application"},' +
        '"lock":{"generated":"0001-01-01T00:00:00Z","digest":"sha256:x","dependencies":null},' +
        '"templates":[{"name":"templates/a.yaml","data":"YQ=="}],"values":{},"schema":"","files":null}',
    );
  });
});

describe('decodeRelease', () => {
  test('a record from before helm compressed them (plain JSON in base64) decodes', () => {
    const json = encodeReleaseJson(release());
    expect(decodeRelease(Buffer.from(json).toString('base64'))).toEqual(decodeReleaseJson(json));
  });

  test('an empty config is {} and encodes back to no config at all', () => {
    const r = decodeReleaseJson('{"name":"a","info":{"first_deployed":"","last_deployed":"","deleted":"","status":"deployed"},"version":1}');
    expect(r.config).toEqual({});
    expect(r.hooks).toEqual([]);
    expect(encodeReleaseJson(r)).not.toContain('config');
  });

  test.each([
    ['not base64', '%%%', /illegal base64/],
    ['gzip magic without gzip', Buffer.from([0x1f, 0x8b, 8, 0, 1, 2, 3]).toString('base64'), /does not gunzip/],
    ['not JSON', gzipSync('{').toString('base64'), /does not parse/],
    ['a field of the wrong type', gzipSync('{"name":1}').toString('base64'), /cannot unmarshal number into Go struct field Release.name/],
    ['a time Go cannot parse', gzipSync('{"info":{"last_deployed":"May 1"}}').toString('base64'), /parsing time "May 1"/],
  ])('%s fails with ReleaseDecodeError', (_what, data, message) => {
    expect(() => decodeRelease(data)).toThrow(ReleaseDecodeError);
    expect(() => decodeRelease(data)).toThrow(message);
  });
});

describe('chartToJson', () => {
  test('a chart without values.yaml and templates has null values and templates, as helm loads it', () => {
    const enc = new TextEncoder();
    const json = chartToJson({
      metadata: { apiVersion: 'v2', name: 'bare', version: '0.1.0' },
      templates: [],
      values: {},
      files: [{ name: 'README.md', data: enc.encode('hi') }],
      raw: [{ name: 'Chart.yaml', data: enc.encode('') }, { name: 'README.md', data: enc.encode('hi') }],
      dependencies: [],
      source: 'bare',
    });
    expect(json).toEqual({ metadata: { apiVersion: 'v2', name: 'bare', version: '0.1.0' }, lock: null, templates: null, values: null, schema: null, files: [{ name: 'README.md', data: 'aGk=' }] });
  });

  test('an empty values.yaml gives {}', () => {
    const json = chartToJson({
      metadata: { apiVersion: 'v2', name: 'bare', version: '0.1.0' },
      templates: [],
      values: {},
      files: [],
      raw: [{ name: 'values.yaml', data: new Uint8Array() }],
      dependencies: [],
      source: 'bare',
    });
    expect(json.values).toEqual({});
  });
});
