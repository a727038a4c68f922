import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { memoryFileSystem, nodeFileSystem, type FileSystem } from '../../../src/core/index.js';
import { loadChart, loadChartArchive, loadChartFiles, readChartDirectory } from '../../../src/engines/chart/loader.js';
import { ChartLoadError } from '../../../src/engines/chart/internal/errors.js';
import type { Chart, ChartFile } from '../../../src/engines/chart/types.js';

// pkg/chart/loader: directories, archives, Chart.yaml / values.yaml reading and validation.
// Expected messages come from helm's load_test.go or from running the real helm v3.22.0.

const CORPUS = '/work/shared/corpus/helm';
const text = (f: ChartFile | undefined) => new TextDecoder().decode(f?.data);
const enc = (s: string) => new TextEncoder().encode(s);

/** A tiny tar writer: USTAR headers, PAX or GNU long names, any typeflag. */
function tarEntry(name: string, data: Uint8Array | string, opts: { type?: string; mode?: number; long?: 'pax' | 'gnu' } = {}): Uint8Array[] {
  const body = typeof data === 'string' ? enc(data) : data;
  const blocks: Uint8Array[] = [];
  if (opts.long === 'pax') {
    const record = (k: string, v: string) => {
      let len = k.length + v.length + 3;
      len += String(len).length;
      if (String(len).length !== String(len - String(len).length).length) len++;
      return `${len} ${k}=${v}\n`;
    };
    blocks.push(...tarEntry('PaxHeader', record('path', name), { type: 'x' }));
  } else if (opts.long === 'gnu') {
    blocks.push(...tarEntry('././@LongLink', `${name}\0`, { type: 'L' }));
  }
  const h = new Uint8Array(512);
  const put = (s: string, off: number, len: number) => h.set(enc(s).subarray(0, len), off);
  const octal = (n: number, len: number) => `${n.toString(8).padStart(len - 1, '0')}\0`;
  put(opts.long ? name.slice(0, 99) : name, 0, 100);
  put(octal(opts.mode ?? 0o644, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(body.length, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put(opts.type ?? '0', 156, 1);
  put('ustar\u0000', 257, 6);
  put('00', 263, 2);
  h.fill(0x20, 148, 156);
  const sum = h.reduce((a, b) => a + b, 0);
  put(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8);
  blocks.push(h, body, new Uint8Array((512 - (body.length % 512)) % 512));
  return blocks;
}

function tgz(...entries: Uint8Array[][]): Uint8Array {
  const parts = [...entries.flat(), new Uint8Array(1024)];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return gzipSync(out);
}

/** An archive of a corpus chart directory, every file under `top/`, in walk order. */
function archiveOf(dir: string, top: string, sep = '/'): Uint8Array {
  const walk = (abs: string, rel: string): Uint8Array[][] =>
    nodeFileSystem
      .readDir(abs)
      .sort()
      .flatMap((e) => {
        const path = `${abs}/${e}`;
        const name = `${rel}${sep}${e}`;
        return nodeFileSystem.stat(path)!.isDirectory ? [tarEntry(`${name}/`, '', { type: '5', mode: 0o755 }), ...walk(path, name)] : [tarEntry(name, nodeFileSystem.readBytes(path))];
      });
  return tgz(...walk(dir, top));
}

async function loadError(path: string, fs: FileSystem): Promise<ChartLoadError> {
  try {
    await loadChart(path, fs);
  } catch (e) {
    expect(e).toBeInstanceOf(ChartLoadError);
    return e as ChartLoadError;
  }
  throw new Error(`expected ${path} to fail`);
}

function chartFs(chartYaml: string, extra: Record<string, string | Uint8Array> = {}): FileSystem {
  return memoryFileSystem({ 'c/Chart.yaml': chartYaml, 'c/templates/t.yaml': 'x: 1\n', ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`c/${k}`, v])) });
}

/** Each corpus chart, with metadata checked against `helm show chart`; counts are of chart.Templates / chart.Files. */
const CORPUS_CHARTS: [string, { name: string; version: string; apiVersion: string; templates: number; files: number; subcharts: string[] }][] = [
  ["alertmanager", { name: "alertmanager", version: "1.42.0", apiVersion: "v2", templates: 14, files: 2, subcharts: [] }],
  ["argo-cd", { name: "argo-cd", version: "10.1.1", apiVersion: "v2", templates: 136, files: 2, subcharts: ["redis-ha"] }],
  ["argo-events", { name: "argo-events", version: "2.4.22", apiVersion: "v2", templates: 19, files: 2, subcharts: [] }],
  ["argo-rollouts", { name: "argo-rollouts", version: "2.41.0", apiVersion: "v2", templates: 28, files: 2, subcharts: [] }],
  ["argocd-apps", { name: "argocd-apps", version: "2.0.5", apiVersion: "v2", templates: 5, files: 9, subcharts: [] }],
  ["argocd-image-updater", { name: "argocd-image-updater", version: "1.2.4", apiVersion: "v2", templates: 16, files: 2, subcharts: [] }],
  ["helm-testdata/chart-util/import-values-from-enabled-subchart/parent-chart", { name: "parent-chart", version: "v0.1.0", apiVersion: "v2", templates: 1, files: 4, subcharts: ["dev","prod"] }],
  ["helm-testdata/chart-util/three-level-dependent-chart/umbrella", { name: "umbrella", version: "0.1.0", apiVersion: "v2", templates: 0, files: 0, subcharts: ["app1","app1/library","app2","app2/library","app3","app3/library","app4","app4/library"] }],
  ["helm-testdata/chart-loader/albatross", { name: "albatross", version: "0.1.0", apiVersion: "v1", templates: 0, files: 0, subcharts: [] }],
  ["helm-testdata/chart-loader/frobnitz", { name: "frobnitz", version: "1.2.3", apiVersion: "v1", templates: 1, files: 5, subcharts: ["alpine","alpine/mast1","alpine/mast2","mariner","mariner/albatross"] }],
  ["helm-testdata/chart-loader/frobnitz_with_bom", { name: "frobnitz", version: "1.2.3", apiVersion: "v1", templates: 1, files: 5, subcharts: ["alpine","alpine/mast1","alpine/mast2","mariner","mariner/albatross"] }],
  ["helm-testdata/chart-loader/mariner", { name: "mariner", version: "4.3.2", apiVersion: "v1", templates: 1, files: 0, subcharts: ["albatross"] }],
  ["helm-testdata/chart-util/chart-with-dependency-aliased-twice", { name: "chart-with-dependency-aliased-twice", version: "1.0.0", apiVersion: "v2", templates: 0, files: 0, subcharts: ["child","child/grandchild"] }],
  ["helm-testdata/chart-util/chart-with-import-from-aliased-dependencies", { name: "chart-with-dependency-aliased-twice", version: "1.0.0", apiVersion: "v2", templates: 1, files: 0, subcharts: ["child","child/grandchild"] }],
  ["helm-testdata/chart-util/dependent-chart-alias", { name: "frobnitz", version: "1.2.3", apiVersion: "v1", templates: 1, files: 5, subcharts: ["alpine","alpine/mast1","alpine/mast2","mariner","mariner/albatross"] }],
  ["helm-testdata/chart-util/dependent-chart-no-requirements-yaml", { name: "frobnitz", version: "1.2.3", apiVersion: "v1", templates: 1, files: 5, subcharts: ["alpine","alpine/mast1","alpine/mast2","mariner","mariner/albatross"] }],
  ["helm-testdata/chart-util/dependent-chart-with-all-in-requirements-yaml", { name: "frobnitz", version: "1.2.3", apiVersion: "v1", templates: 1, files: 5, subcharts: ["alpine","alpine/mast1","alpine/mast2","mariner","mariner/albatross"] }],
  ["helm-testdata/chart-util/dependent-chart-with-mixed-requirements-yaml", { name: "frobnitz", version: "1.2.3", apiVersion: "v1", templates: 1, files: 5, subcharts: ["alpine","alpine/mast1","alpine/mast2","mariner","mariner/albatross"] }],
  ["helm-testdata/chart-util/joonix", { name: "joonix", version: "1.2.3", apiVersion: "v1", templates: 0, files: 0, subcharts: [] }],
  ["helm-testdata/chart-util/subpop", { name: "parentchart", version: "0.1.0", apiVersion: "v1", templates: 0, files: 4, subcharts: ["subchart1","subchart1/subcharta","subchart1/subchartb","subchart2","subchart2/subchartb","subchart2/subchartc"] }],
  ["helm-testdata/testcharts/alpine", { name: "alpine", version: "0.1.0", apiVersion: "v1", templates: 1, files: 3, subcharts: [] }],
  ["helm-testdata/testcharts/chart-missing-deps", { name: "chart-missing-deps", version: "0.1.0", apiVersion: "v1", templates: 0, files: 1, subcharts: ["reqsubchart"] }],
  ["helm-testdata/testcharts/chart-with-deprecated-api", { name: "chart-with-deprecated-api", version: "1.0.0", apiVersion: "v2", templates: 1, files: 0, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-lib-dep", { name: "chart-with-lib-dep", version: "0.1.0", apiVersion: "v1", templates: 5, files: 1, subcharts: ["common"] }],
  ["helm-testdata/testcharts/chart-with-only-crds", { name: "crd-test", version: "0.1.0", apiVersion: "v2", templates: 0, files: 2, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-schema", { name: "empty", version: "0.1.0", apiVersion: "v1", templates: 1, files: 1, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-schema-and-subchart", { name: "chart-without-schema", version: "0.1.0", apiVersion: "v1", templates: 1, files: 0, subcharts: ["subchart-with-schema"] }],
  ["helm-testdata/testcharts/chart-with-schema-negative", { name: "empty", version: "0.1.0", apiVersion: "v1", templates: 1, files: 0, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-schema-negative-skip-validation", { name: "empty", version: "0.1.0", apiVersion: "v1", templates: 1, files: 0, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-secret", { name: "chart-with-secret", version: "0.0.1", apiVersion: "v2", templates: 2, files: 0, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-subchart-notes", { name: "chart-with-subchart-notes", version: "0.0.1", apiVersion: "v2", templates: 1, files: 0, subcharts: ["subchart-with-notes"] }],
  ["helm-testdata/testcharts/chart-with-subchart-update", { name: "chart-with-subchart-update", version: "0.0.1", apiVersion: "v2", templates: 1, files: 0, subcharts: ["subchart-with-notes"] }],
  ["helm-testdata/testcharts/chart-with-template-lib-archive-dep", { name: "chart-with-template-lib-archive-dep", version: "0.1.0", apiVersion: "v1", templates: 5, files: 1, subcharts: ["common"] }],
  ["helm-testdata/testcharts/chart-with-template-lib-dep", { name: "chart-with-template-lib-dep", version: "0.1.0", apiVersion: "v1", templates: 5, files: 1, subcharts: ["common"] }],
  ["helm-testdata/testcharts/chart-with-template-with-invalid-template-expr", { name: "chart-with-template-with-invalid-template-expr", version: "0.1.0", apiVersion: "v1", templates: 1, files: 1, subcharts: [] }],
  ["helm-testdata/testcharts/chart-with-template-with-invalid-yaml", { name: "chart-with-template-with-invalid-yaml", version: "0.1.0", apiVersion: "v1", templates: 1, files: 1, subcharts: [] }],
  ["helm-testdata/testcharts/deprecated", { name: "deprecated", version: "0.1.0", apiVersion: "v1", templates: 0, files: 1, subcharts: [] }],
  ["helm-testdata/testcharts/empty", { name: "empty", version: "0.1.0", apiVersion: "v1", templates: 1, files: 1, subcharts: [] }],
  ["helm-testdata/testcharts/issue-7233", { name: "issue-7233", version: "0.1.0", apiVersion: "v1", templates: 1, files: 3, subcharts: [] }],
  ["helm-testdata/testcharts/issue-9027", { name: "issue-9027", version: "0.1.0", apiVersion: "v2", templates: 1, files: 0, subcharts: ["subchart"] }],
  ["helm-testdata/testcharts/issue1979", { name: "alpine", version: "0.1.0", apiVersion: "v1", templates: 1, files: 3, subcharts: [] }],
  ["helm-testdata/testcharts/object-order", { name: "object-order", version: "0.1.0", apiVersion: "v2", templates: 2, files: 0, subcharts: [] }],
  ["helm-testdata/testcharts/reqtest", { name: "reqtest", version: "0.1.0", apiVersion: "v1", templates: 0, files: 1, subcharts: ["reqsubchart","reqsubchart2","reqsubchart3"] }],
  ["helm-testdata/testcharts/signtest", { name: "signtest", version: "0.1.0", apiVersion: "v1", templates: 1, files: 5, subcharts: [] }],
  ["helm-testdata/testcharts/subchart", { name: "subchart", version: "0.1.0", apiVersion: "v1", templates: 8, files: 2, subcharts: ["subcharta","subchartb"] }],
  ["helm-testdata/testcharts/test", { name: "test", version: "0.1.0", apiVersion: "v1", templates: 0, files: 0, subcharts: [] }],
  ["helm-testdata/testcharts/test1", { name: "test1", version: "0.1.0", apiVersion: "v1", templates: 0, files: 0, subcharts: [] }],
  ["kube-state-metrics", { name: "kube-state-metrics", version: "8.4.0", apiVersion: "v2", templates: 19, files: 11, subcharts: [] }],
  ["kubebuilder-project-v4-with-plugins", { name: "project-v4-with-plugins", version: "0.1.0", apiVersion: "v2", templates: 32, files: 1, subcharts: [] }],
  ["prometheus", { name: "prometheus", version: "29.27.0", apiVersion: "v2", templates: 17, files: 2, subcharts: ["alertmanager","kube-state-metrics","prometheus-node-exporter","prometheus-pushgateway"] }],
  ["prometheus-adapter", { name: "prometheus-adapter", version: "5.3.0", apiVersion: "v1", templates: 24, files: 4, subcharts: [] }],
  ["prometheus-blackbox-exporter", { name: "prometheus-blackbox-exporter", version: "11.17.2", apiVersion: "v2", templates: 18, files: 11, subcharts: [] }],
  ["prometheus-node-exporter", { name: "prometheus-node-exporter", version: "4.56.1", apiVersion: "v2", templates: 14, files: 2, subcharts: [] }],
  ["prometheus-pushgateway", { name: "prometheus-pushgateway", version: "3.8.0", apiVersion: "v2", templates: 14, files: 2, subcharts: [] }],
];

describe('every chart of the corpus loads', () => {
  test.each(CORPUS_CHARTS)('%s', async (dir, want) => {
    const chart = await loadChart(`${CORPUS}/${dir}`, nodeFileSystem);
    const subcharts = (c: Chart, prefix = ''): string[] =>
      c.dependencies.flatMap((s) => [`${prefix}${s.metadata.name}`, ...subcharts(s, `${prefix}${s.metadata.name}/`)]);
    expect({
      name: chart.metadata.name,
      version: chart.metadata.version,
      apiVersion: chart.metadata.apiVersion,
      templates: chart.templates.length,
      files: chart.files.length,
      subcharts: subcharts(chart),
    }).toEqual(want);
    expect(chart.source).toBe(`${CORPUS}/${dir}`);
  });
});

describe('the broken charts of helm testdata fail with helm message', () => {
  test.each([
    ['chart-bad-type', 'validation: chart.metadata.type must be application or library', 'chart-bad-type/Chart.yaml'],
    ['lib-chart', 'validation: chart.metadata.type must be application or library', 'lib-chart/Chart.yaml'],
    ['upgradetest', 'Chart.yaml file is missing', 'upgradetest/Chart.yaml'],
    [
      'chart-with-bad-subcharts',
      'error unpacking subchart bad-subchart in chart-with-bad-subcharts: validation: chart.metadata.name is required',
      'chart-with-bad-subcharts/charts/bad-subchart/Chart.yaml',
    ],
  ])('%s', async (name, message, file) => {
    const err = await loadError(`${CORPUS}/helm-testdata/testcharts/${name}`, nodeFileSystem);
    expect(err.message).toBe(message);
    expect(err.at?.file).toBe(`${CORPUS}/helm-testdata/testcharts/${file}`);
    expect(err.code).toBe('SLW210');
  });

  test('chart-bad-requirements: a YAML error in Chart.yaml names the file and line', async () => {
    // helm's exact text; go-yaml names line 6 (the start of the mapping that line 7 breaks), and
    // the location follows the message so the two never disagree.
    const err = await loadError(`${CORPUS}/helm-testdata/testcharts/chart-bad-requirements`, nodeFileSystem);
    expect(err.message).toBe("cannot load Chart.yaml: error converting YAML to JSON: yaml: line 6: did not find expected '-' indicator");
    expect(err.at).toMatchObject({ file: `${CORPUS}/helm-testdata/testcharts/chart-bad-requirements/Chart.yaml`, line: 6 });
  });
});

/** load_test.go verifyFrobnitz / verifyChart / verifyDependencies (the corpus copy lacks icon.svg, so 5 files, not 6). */
function verifyFrobnitz(c: Chart, fromArchive = false): void {
  const name = 'frobnitz';
  expect(c.metadata.name).toBe(name);
  expect(c.templates.map((t) => t.name)).toEqual(['templates/template.tpl']);
  expect(c.templates[0]!.data.length).toBeGreaterThan(0);
  // .helmignore is not applied to archives, so ignore/me.txt is there (helm package would have left it out).
  const ignored = fromArchive ? ['ignore/me.txt'] : [];
  expect(c.files.map((f) => f.name)).toEqual(['.helmignore', 'INSTALL.txt', 'LICENSE', 'README.md', 'docs/README.md', ...ignored]);
  expect(c.dependencies.map((d) => [d.metadata.name, d.metadata.version]).sort()).toEqual([
    ['alpine', '0.1.0'],
    ['mariner', '4.3.2'],
  ]);
  const deps = [
    { name: 'alpine', version: '0.1.0', repository: 'https://example.com/charts' },
    { name: 'mariner', version: '4.3.2', repository: 'https://example.com/charts' },
  ];
  expect(c.metadata.dependencies?.map((d) => ({ name: d.name, version: d.version, repository: d.repository }))).toEqual(deps);
  expect(c.lock?.dependencies).toEqual(deps);
  const alpine = c.dependencies.find((d) => d.metadata.name === 'alpine')!;
  expect(alpine.templates.map((t) => t.name)).toEqual(['templates/alpine-pod.yaml']);
  expect(alpine.files.map((f) => f.name)).toEqual(['README.md']);
  expect(alpine.dependencies.map((d) => d.metadata.name).sort()).toEqual(['mast1', 'mast2']);
  for (const f of [...c.files, ...c.templates, ...c.raw]) expect(Array.from(f.data.subarray(0, 3))).not.toEqual([0xef, 0xbb, 0xbf]);
}

describe('frobnitz (load_test.go)', () => {
  test('from a directory (TestLoadDir)', async () => {
    verifyFrobnitz(await loadChart(`${CORPUS}/helm-testdata/chart-loader/frobnitz`, nodeFileSystem));
  });

  test('with UTF-8 BOMs in its files (TestLoadDirWithUTFBOM)', async () => {
    const dir = `${CORPUS}/helm-testdata/chart-loader/frobnitz_with_bom`;
    expect(Array.from(readFileSync(`${dir}/Chart.yaml`).subarray(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const c = await loadChart(dir, nodeFileSystem);
    verifyFrobnitz(c);
    expect(text(c.templates[0]).startsWith('\uFEFF')).toBe(false);
  });

  test('from an archive (TestLoadFile, TestLoadArchiveWithUTFBOM)', async () => {
    for (const dir of ['frobnitz', 'frobnitz_with_bom']) {
      const archive = archiveOf(`${CORPUS}/helm-testdata/chart-loader/${dir}`, 'frobnitz');
      verifyFrobnitz(await loadChart('frobnitz-1.2.3.tgz', memoryFileSystem({ 'frobnitz-1.2.3.tgz': archive })), true);
      verifyFrobnitz(loadChartArchive(archive, 'mem.tgz'), true);
    }
  });

  test('the top directory of an archive can have any name (helm strips it)', () => {
    verifyFrobnitz(loadChartArchive(archiveOf(`${CORPUS}/helm-testdata/chart-loader/frobnitz`, 'whatever-0.0.1')), true);
  });

  test('an archive made on Windows, with backslashes (TestLoadFileBackslash)', () => {
    verifyFrobnitz(loadChartArchive(archiveOf(`${CORPUS}/helm-testdata/chart-loader/frobnitz`, 'frobnitz_backslash', '\\')), true);
  });

  test('a .tgz subchart under charts/ is loaded from the archive bytes', async () => {
    const c = await loadChart(`${CORPUS}/helm-testdata/chart-loader/frobnitz`, nodeFileSystem);
    const mariner = c.dependencies.find((d) => d.metadata.name === 'mariner')!;
    expect(mariner.source).toBe(`${CORPUS}/helm-testdata/chart-loader/frobnitz/charts/mariner-4.3.2.tgz`);
    expect(mariner.templates.map((t) => t.name)).toEqual(['templates/placeholder.tpl']);
    expect(mariner.dependencies.map((d) => d.metadata.name)).toEqual(['albatross']);
  });

  test('a corpus .tgz loads as a chart on its own', async () => {
    const c = await loadChart(`${CORPUS}/helm-testdata/testcharts/chart-with-lib-dep/charts/common-0.0.5.tgz`, nodeFileSystem);
    expect(c.metadata).toMatchObject({ name: 'common', version: '0.0.5' });
  });
});

describe('archives', () => {
  test('PAX and GNU long names, directories and a global header', () => {
    const long = `mychart/templates/${'x'.repeat(120)}.yaml`;
    const archive = tgz(
      tarEntry('pax_global_header', '52 comment=0000000000000000000000000000000000000000\n', { type: 'g' }),
      tarEntry('mychart/', '', { type: '5', mode: 0o755 }),
      tarEntry('mychart/Chart.yaml', 'apiVersion: v2\nname: mychart\nversion: 1.0.0\n'),
      tarEntry(long, 'a: 1\n', { long: 'pax' }),
      tarEntry(`mychart/files/${'y'.repeat(110)}.txt`, 'gnu', { long: 'gnu' }),
      tarEntry('mychart/templates/sub/', '', { type: '5', mode: 0o755 }),
      tarEntry('mychart/link.txt', '', { type: '2' }),
    );
    const c = loadChartArchive(archive);
    expect(c.templates.map((t) => t.name)).toEqual([long.slice('mychart/'.length)]);
    // A symlink member becomes an empty file, as helm reads it.
    expect(c.files.map((f) => [f.name, text(f)])).toEqual([
      [`files/${'y'.repeat(110)}.txt`, 'gnu'],
      ['link.txt', ''],
    ]);
  });

  const body = enc('hello: world');
  test.each([
    ['../../malformed-helm-test', 'chart illegally references parent directory'],
    ['/foo/../../malformed-helm-test', 'chart illegally references parent directory'],
    ['/../../malformed-helm-test', 'chart illegally references parent directory'],
    ['./../../malformed-helm-test', 'chart illegally references parent directory'],
    ['./.', 'chart illegally contains content outside the base directory: "./."'],
    ['/./.', 'chart illegally contains content outside the base directory: "/./."'],
    ['missing-leading-slash', 'chart illegally contains content outside the base directory: "missing-leading-slash"'],
    ['/missing-leading-slash', 'Chart.yaml file is missing'],
    ['//foo', 'chart illegally contains absolute paths'],
    ['///foo', 'chart illegally contains absolute paths'],
    ['\\\\foo', 'chart illegally contains absolute paths'],
    ['\\..\\..\\foo', 'chart illegally references parent directory'],
    ['\\.\\c:\\\\foo', 'chart contains illegally named files'],
    ['/./c://foo', 'chart contains illegally named files'],
    ['\\\\?\\Some\\windows\\magic', 'chart illegally contains absolute paths'],
    ['/Chart.yaml', 'validation: chart.metadata.name is required'],
    ['files/whatever.yaml', 'Chart.yaml file is missing'],
    ['c:\\Chart.yaml', 'validation: chart.metadata.name is required'],
    ['Chart.yaml', 'chart illegally contains content outside the base directory: "Chart.yaml"'],
  ])('member %j: %s (TestLoadInvalidArchive)', async (member, message) => {
    const err = await loadError('illegal.tgz', memoryFileSystem({ 'illegal.tgz': tgz(tarEntry(member, body)) }));
    expect(err.message).toBe(message);
  });

  test.each([
    ['vals.yaml', enc('a: 1\n'), "file 'vals.yaml' seems to be a YAML file, but expected a gzipped archive"],
    ['plain.txt', enc('hello\n'), "file 'plain.txt' does not appear to be a gzipped archive; got 'application/octet-stream'"],
    ['long.txt', enc('hello\n'.repeat(100)), "file 'long.txt' does not appear to be a gzipped archive; got 'text/plain; charset=utf-8'"],
    ['empty.tgz', new Uint8Array(0), "file 'empty.tgz' does not appear to be a gzipped archive; got 'application/octet-stream'"],
    ['badgz.tgz', Uint8Array.from([0x1f, 0x8b, 0x08, 0x00, ...enc('garbage')]), 'unexpected EOF'],
    ['empty-archive.tgz', tgz(), 'no files in chart archive'],
    ['dirs-only.tgz', tgz(tarEntry('c/', '', { type: '5' })), 'no files in chart archive'],
  ])('%s is refused as helm does (ensureArchive)', async (name, data, message) => {
    const err = await loadError(name, memoryFileSystem({ [name]: data }));
    expect(err.message).toBe(message);
  });

  test('a file over 5 MiB is refused', () => {
    const archive = tgz(tarEntry('c/Chart.yaml', 'apiVersion: v2\nname: c\nversion: 1.0.0\n'), tarEntry('c/big.bin', new Uint8Array(5 * 1024 * 1024 + 1)));
    expect(() => loadChartArchive(archive)).toThrow('decompressed chart file "c/big.bin" is larger than the maximum file size 5242880');
  });

  test('a Chart.yaml at the top of the archive is refused', () => {
    expect(() => loadChartArchive(tgz(tarEntry('Chart.yaml/x', 'a')))).toThrow('chart yaml not in base directory');
  });

  test('a corrupt tar header fails with archive/tar message', () => {
    const bad = tarEntry('c/Chart.yaml', 'a')[0]!;
    bad[148] = 0x39;
    expect(() => loadChartArchive(gzipSync(new Uint8Array([...bad, ...new Uint8Array(1024)])))).toThrow('archive/tar: invalid tar header');
  });

  test('the archive name is the source', async () => {
    const c = await loadChart('x/renamed.tgz', memoryFileSystem({ 'x/renamed.tgz': tgz(tarEntry('mychart/Chart.yaml', 'apiVersion: v2\nname: other-name\nversion: 1.0.0\n')) }));
    expect(c.metadata.name).toBe('other-name');
    expect(c.source).toBe('x/renamed.tgz');
  });
});

describe('LoadFiles (load_test.go)', () => {
  const chartYaml = `apiVersion: v1
name: frobnitz
description: This is a frobnitz.
version: "1.2.3"
keywords:
  - frobnitz
  - sprocket
  - dodad
maintainers:
  - name: The Helm Team
    email: helm@example.com
  - name: Someone Else
    email: nobody@example.com
sources:
  - https://example.com/foo/bar
home: http://example.com
icon: https://example.com/64x64.png
`;
  const f = (name: string, data: string): ChartFile => ({ name, data: enc(data) });

  test('a chart from in-memory files (TestLoadFiles)', () => {
    const c = loadChartFiles([
      f('Chart.yaml', chartYaml),
      f('values.yaml', 'var: some values'),
      f('values.schema.json', 'type: Values'),
      f('templates/deployment.yaml', 'some deployment'),
      f('templates/service.yaml', 'some service'),
    ]);
    expect(c.metadata).toEqual({
      apiVersion: 'v1',
      name: 'frobnitz',
      version: '1.2.3',
      description: 'This is a frobnitz.',
      keywords: ['frobnitz', 'sprocket', 'dodad'],
      maintainers: [
        { name: 'The Helm Team', email: 'helm@example.com' },
        { name: 'Someone Else', email: 'nobody@example.com' },
      ],
      sources: ['https://example.com/foo/bar'],
      home: 'http://example.com',
      icon: 'https://example.com/64x64.png',
    });
    expect(c.values).toEqual({ var: 'some values' });
    expect(c.raw).toHaveLength(5);
    expect(new TextDecoder().decode(c.schema)).toBe('type: Values');
    expect(c.templates).toHaveLength(2);
    expect(c.files).toHaveLength(0);
    expect(() => loadChartFiles([])).toThrow('Chart.yaml file is missing');
  });

  test('only requirements.lock: apiVersion is required (TestLoadFiles_BadCases)', () => {
    expect(() => loadChartFiles([f('requirements.lock', '')])).toThrow('validation: chart.metadata.apiVersion is required');
  });

  test('Chart.yaml need not come first, and then no warning is logged (TestLoadFilesOrder)', () => {
    const c = loadChartFiles([
      f('requirements.yaml', 'dependencies:'),
      f('values.yaml', 'var: some values'),
      f('templates/deployment.yaml', 'some deployment'),
      f('templates/service.yaml', 'some service'),
      f('Chart.yaml', chartYaml),
    ]);
    expect(c.warnings).toBeUndefined();
    expect(c.files.map((x) => x.name)).toEqual(['requirements.yaml']);
  });

  test('requirements.yaml in a v2 chart is read, with helm warning, and is not a file', () => {
    const c = loadChartFiles([
      f('Chart.yaml', 'apiVersion: v2\nname: c\nversion: 1.0.0\n'),
      f('requirements.yaml', 'dependencies:\n- name: sub\n  version: 0.1.0\n'),
      f('requirements.lock', 'dependencies: []\n'),
    ]);
    expect(c.metadata.dependencies).toEqual([{ name: 'sub', version: '0.1.0' }]);
    expect(c.files).toEqual([]);
    expect(c.warnings).toEqual([
      'Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". We recommend migrating dependencies to Chart.yaml.',
      'Warning: Dependency locking is handled in Chart.lock since apiVersion "v2". We recommend migrating to Chart.lock.',
    ]);
  });

  test('an apiVersion-less Chart.yaml is a v1 chart', () => {
    expect(loadChartFiles([f('Chart.yaml', 'name: c\nversion: 1.2.3\n')]).metadata.apiVersion).toBe('v1');
  });
});

describe('directories', () => {
  test('files are walked in Go sort order (byte order), so templates keep helm load order', async () => {
    const fs = chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', {
      'templates/a.yaml': '',
      'templates/a/b.yaml': '',
      'templates/B.yaml': '',
      'templates/_helpers.tpl': '',
      'templates/ä.yaml': '',
      'templates/z.yaml': '',
    });
    const c = await loadChart('c', fs);
    expect(c.templates.map((t) => t.name)).toEqual([
      'templates/B.yaml',
      'templates/_helpers.tpl',
      'templates/a/b.yaml',
      'templates/a.yaml',
      'templates/t.yaml',
      'templates/z.yaml',
      'templates/ä.yaml',
    ]);
    expect(readChartDirectory('c', fs).map((x) => x.name)[0]).toBe('Chart.yaml');
  });

  test('a stray file in charts/ fails as in helm', async () => {
    const err = await loadError('c', chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', { 'charts/README.md': 'x' }));
    expect(err.message).toBe('error unpacking subchart README.md in c: Chart.yaml file is missing');
  });

  test('charts/_x and charts/.x are skipped; .prov files are kept as files', async () => {
    const c = await loadChart(
      'c',
      chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', {
        'charts/_skip/values.yaml': 'x: 1',
        'charts/.dot/Chart.yaml': 'bad: [',
        'charts/sub-0.1.0.tgz.prov': 'signature',
      }),
    );
    expect(c.dependencies).toEqual([]);
    expect(c.files.map((x) => x.name)).toEqual(['charts/sub-0.1.0.tgz.prov']);
    expect(c.raw.map((x) => x.name)).toContain('charts/_skip/values.yaml');
  });

  test('a subchart directory error is wrapped with the subchart and parent names', async () => {
    const err = await loadError(
      'c',
      chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', { 'charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n', 'charts/sub/values.yaml': 'a: [\n' }),
    );
    expect(err.message).toMatch(/^error unpacking subchart sub in c: cannot load values\.yaml: error converting YAML to JSON: yaml: line \d+: /);
    expect(err.at?.file).toBe('c/charts/sub/values.yaml');
  });

  test('a subchart archive whose bytes are not gzip', async () => {
    const err = await loadError('c', chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', { 'charts/sub-1.0.0.tgz': 'not gzip' }));
    expect(err.message).toBe('error unpacking subchart sub-1.0.0.tgz in c: unexpected EOF');
  });

  test('a missing path', async () => {
    expect((await loadError('nope', memoryFileSystem({}))).message).toBe('path "nope" not found');
  });
});

/**
 * Chart.yaml as helm v3.22.0 reads it (oracle: `helm template` of a chart with that Chart.yaml
 * and a template printing `toJson .Chart`, or its error).
 */
describe('Chart.yaml decoding and validation, against helm v3.22.0', () => {
  const JSON_ERR = 'cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: ';
  test.each([
    ['numbers and booleans in string fields become strings (float32 formatting)', 'apiVersion: v2\nname: c1\nversion: 1.10\nappVersion: 3.14159265\nkeywords: [1, true, 1.5]\nannotations: {a: 1, b: true}\n', { version: '1.1', appVersion: '3.1415927', keywords: ['1', 'true', '1.5'], annotations: { a: '1', b: 'true' } }],
    ['field names match case-insensitively; unknown fields are ignored', 'apiVersion: v2\nName: c8\nVERSION: 1.0.0\nfoo: bar\n', { name: 'c8', version: '1.0.0' }],
    ['a coerced semver is valid', 'apiVersion: v2\nname: c11\nversion: v1.2\n', { version: 'v1.2' }],
    ['whitespace is cleaned and unprintable characters dropped', 'apiVersion: v2\nname: "c16\\t x\\u0001"\nversion: 1.2.3\ndescription: "a\\nb"\n', { name: 'c16  x', description: 'a b' }],
    ['no apiVersion means v1', 'name: c18\nversion: 1.2.3\n', { apiVersion: 'v1' }],
    ['deprecated', 'apiVersion: v2\nname: c23\nversion: 1.2.3\ndeprecated: true\n', { deprecated: true }],
    ['an integer version', 'apiVersion: v2\nname: c\nversion: 1\n', { version: '1' }],
  ])('%s', async (_name, yaml, want) => {
    const c = await loadChart('c', chartFs(yaml));
    expect(c.metadata).toMatchObject(want);
  });

  test.each([
    ['a string where a struct is', 'apiVersion: v2\nname: c2\nversion: 1.0.0\nmaintainers: [bob]\n', `${JSON_ERR}cannot unmarshal string into Go struct field Metadata.maintainers of type chart.Maintainer`],
    ['a list in a nested string field', 'apiVersion: v2\nname: c3\nversion: 1.0.0\nmaintainers: [{name: [1]}]\n', `${JSON_ERR}cannot unmarshal array into Go struct field Maintainer.maintainers.name of type string`],
    ['a string where tags are', 'apiVersion: v2\nname: c4\nversion: 1.0.0\ndependencies: [{name: a, tags: x}]\n', `${JSON_ERR}cannot unmarshal string into Go struct field Dependency.dependencies.tags of type []string`],
    ['the first error in key order wins', 'apiVersion: v2\nname: c5\nversion: 1.0.0\ndeprecated: "yes"\nsources: x\n', `${JSON_ERR}cannot unmarshal string into Go struct field Metadata.deprecated of type bool`],
    ['a list document', '- a\n', `${JSON_ERR}cannot unmarshal array into Go value of type chart.Metadata`],
    ['a map annotation', 'apiVersion: v2\nname: c7\nversion: 1.0.0\nannotations: {a: {b: 1}}\n', `${JSON_ERR}cannot unmarshal object into Go struct field Metadata.annotations of type string`],
    ['a null maintainer', 'apiVersion: v2\nname: c9\nversion: 1.0.0\nmaintainers: [null]\n', 'validation: maintainers must not contain empty or null nodes'],
    ['a null dependency', 'apiVersion: v2\nname: c10\nversion: 1.0.0\ndependencies: [null]\n', 'validation: dependencies must not contain empty or null nodes'],
    ['a bad version', 'apiVersion: v2\nname: c12\nversion: 1.2.3.4\n', 'validation: chart.metadata.version "1.2.3.4" is invalid'],
    ['a name with a slash', 'apiVersion: v2\nname: "a/b"\nversion: 1.2.3\n', 'validation: chart.metadata.name "a/b" is invalid'],
    ['a bad alias', 'apiVersion: v2\nname: c14\nversion: 1.2.3\ndependencies: [{name: a, alias: "a.b"}]\n', 'validation: dependency "a" has disallowed characters in the alias'],
    ['an alias equal to another name', 'apiVersion: v2\nname: c15\nversion: 1.2.3\ndependencies: [{name: a}, {name: b, alias: a}]\n', 'validation: more than one dependency with name or alias "a"'],
    ['name ..', 'apiVersion: v2\nname: ..\nversion: 1.2.3\n', 'validation: chart.metadata.name ".." is not allowed'],
    ['no version', 'apiVersion: v2\nname: c22\n', 'validation: chart.metadata.version is required'],
    ['no name', 'apiVersion: v2\nversion: 1.0.0\n', 'validation: chart.metadata.name is required'],
    ['a null key', 'apiVersion: v2\nname: c\nversion: 1.0.0\n~: x\n', 'cannot load Chart.yaml: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "x"'],
    ['an infinite number', 'apiVersion: v2\nname: c\nversion: 1.0.0\nx: .inf\n', 'cannot load Chart.yaml: error converting YAML to JSON: json: unsupported value: +Inf'],
  ])('%s', async (_name, yaml, message) => {
    const err = await loadError('c', chartFs(yaml));
    expect(err.message).toBe(message);
    expect(err.at?.file).toBe('c/Chart.yaml');
  });
});

describe('values.yaml, against helm v3.22.0', () => {
  const values = async (yaml: string) => (await loadChart('c', chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', { 'values.yaml': yaml }))).values;

  test('duplicate keys: the last wins', async () => {
    expect(await values('a: 1\na: 2\nb: {x: 1}\n')).toEqual({ a: 2, b: { x: 1 } });
  });

  test('keys YAML 1.1 reads as booleans or numbers become strings (floats as float32)', async () => {
    expect(await values('1: a\ntrue: b\n1.5: c\n0x10: d\nyes: e\n3.14159265: f\n1e3: g\n')).toEqual({ '1': 'a', '1.5': 'c', '1000': 'g', '16': 'd', '3.1415927': 'f', true: 'e' });
  });

  test('scalars resolve as go-yaml v2 resolves them, numbers as float64', async () => {
    expect(
      await values('a: 1e3\nb: 0x10\nc: 0777\nd: 1_000\ne: 12345678901234567890\nf: 0o17\ng: +1\nh: .5\ni: 1.0\nj: 2019-01-01\nk: 1:20\nl: !!str 1\nm: !!binary aGVsbG8=\nn: 0b101\n'),
    ).toEqual({ a: 1000, b: 16, c: 511, d: 1000, e: 12345678901234567000, f: 15, false: 5, g: 1, h: 0.5, i: 1, j: '2019-01-01', k: '1:20', l: '1', m: 'hello' });
  });

  test('merge keys and anchors', async () => {
    expect(await values('base: &b {p: 1, q: 2}\nother:\n  <<: *b\n  q: 3\nlist: [*b, *b]\n')).toEqual({ base: { p: 1, q: 2 }, other: { p: 1, q: 3 }, list: [{ p: 1, q: 2 }, { p: 1, q: 2 }] });
    // go-yaml v2 applies a merge where it stands: keys after it win, keys before it lose.
    expect(await values('b: &b {p: 1}\no:\n  p: 0\n  <<: *b\n')).toEqual({ b: { p: 1 }, o: { p: 1 } });
  });

  test('an empty file and only the first document', async () => {
    expect(await values('')).toEqual({});
    expect(await values('a: 1\n---\nb: 2\n---\n: : :\n')).toEqual({ a: 1 });
  });

  test('a UTF-8 BOM is dropped', async () => {
    expect(await values('\uFEFFa: 1\n')).toEqual({ a: 1 });
  });

  test.each([
    ['.inf', 'a: .inf\n', 'cannot load values.yaml: error converting YAML to JSON: json: unsupported value: +Inf'],
    ['a list', '- a\n', 'cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}'],
    ['a string', 'hello\n', 'cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}'],
    ['a null key', '~: h\n', 'cannot load values.yaml: error converting YAML to JSON: unsupported map key of type: %!s(<nil>), key: <nil>, value: "h"'],
  ])('%s fails as in helm', async (_name, yaml, message) => {
    const err = await loadError('c', chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', { 'values.yaml': yaml }));
    expect(err.message).toBe(message);
  });

  test('a syntax error names the file and line', async () => {
    // helm: "cannot load values.yaml: error converting YAML to JSON: yaml: line 2: mapping values
    // are not allowed in this context"; the wording after the line differs (another parser).
    const err = await loadError('c', chartFs('apiVersion: v2\nname: c\nversion: 1.0.0\n', { 'values.yaml': 'a: 1\nb: [1, 2\nc: 3\n' }));
    expect(err.message).toMatch(/^cannot load values\.yaml: error converting YAML to JSON: yaml: line \d+: /);
    expect(err.at).toMatchObject({ file: 'c/values.yaml' });
    expect(err.at?.line).toBeGreaterThanOrEqual(2);
  });
});

describe('symlinks in a chart directory', () => {
  test('a link to another directory is followed as helm does; links back to an open directory (cycles) are skipped', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, symlinkSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const root = mkdtempSync(join(tmpdir(), 'slipway-chart-links-'));
    try {
      const chart = join(root, 'c');
      mkdirSync(join(chart, 'templates'), { recursive: true });
      mkdirSync(join(root, 'shared'));
      writeFileSync(join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: c\nversion: 1.0.0\n');
      writeFileSync(join(chart, 'templates', 'cm.yaml'), 'kind: ConfigMap\n');
      writeFileSync(join(root, 'shared', 'extra.yaml'), 'kind: Secret\n');
      symlinkSync('../../shared', join(chart, 'templates', 'shared'));
      // Helm walks these for ever: a -> . and b -> . double the paths at every level.
      symlinkSync('.', join(chart, 'a'));
      symlinkSync('.', join(chart, 'b'));
      symlinkSync('..', join(chart, 'templates', 'up'));
      const names = readChartDirectory(chart, nodeFileSystem).map((f) => f.name);
      expect(names).toEqual(['Chart.yaml', 'templates/cm.yaml', 'templates/shared/extra.yaml']);
      // A tree that cannot resolve links (no realPath) is walked as before.
      const flat = memoryFileSystem({ 'c/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n', 'c/templates/x.yaml': 'a: 1\n' });
      expect(readChartDirectory('c', flat).map((f) => f.name)).toEqual(['Chart.yaml', 'templates/x.yaml']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
