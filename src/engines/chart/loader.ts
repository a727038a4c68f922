import { compareGoStrings, goQuote } from '../goruntime/index.js';
import { joinPath, type FileSystem, type SourceLocation } from '../../core/index.js';
import type { Chart, ChartFile, ChartLock } from './types.js';
import { ArchiveError, ensureArchive, loadArchiveFiles, stripBom, MAX_DECOMPRESSED_FILE_SIZE } from './archive.js';
import { emptyHelmignore, parseHelmignore, type HelmignoreRules } from './helmignore.js';
import { MetadataValidationError, decodeChartLock, decodeChartYaml, validateChartMetadata, type RawChartMetadata } from './metadata.js';
import { unmarshalValues } from './values.js';
import { ChartLoadError } from './internal/errors.js';
import { extName } from './internal/gopath.js';
import { GoYamlError } from './internal/goyaml.js';

/**
 * Loading a chart as helm's pkg/chart/loader does (load.go, directory.go, archive.go): a
 * directory (walked in sorted order, `.helmignore` plus the default `templates/.?*` rule
 * applied, a UTF-8 BOM stripped from every file) or a .tgz archive, then LoadFiles: Chart.yaml
 * first, Chart.lock, values.yaml, values.schema.json, the deprecated requirements.yaml /
 * requirements.lock, templates/, and subcharts from charts/ (directories and .tgz archives,
 * names starting with `_` or `.` skipped), each loaded the same way.
 *
 * Errors are ChartLoadError with helm's message. Subchart errors are wrapped as helm wraps them:
 * `error unpacking subchart NAME in PARENT: ...`.
 */

const decoder = new TextDecoder();

/** Errors thrown while loading, before they get a location. */
class LoadFailure extends Error {
  constructor(
    message: string,
    readonly at?: SourceLocation,
  ) {
    super(message);
  }
}

function fail(message: string, at?: SourceLocation): never {
  throw new LoadFailure(message, at);
}

function yamlFailure(prefix: string, e: unknown, file: string): never {
  if (e instanceof GoYamlError) {
    const at: SourceLocation = { file };
    if (e.line !== undefined) at.line = e.line;
    if (e.column !== undefined) at.column = e.column;
    // go-yaml's errors are YAML→JSON conversion errors; encoding/json's already say so.
    const msg = e.message.startsWith('error ') ? e.message : `error converting YAML to JSON: ${e.message}`;
    fail(`${prefix}: ${msg}`, at);
  }
  throw e;
}

function toLoadError(e: unknown, source: string): ChartLoadError {
  if (e instanceof ChartLoadError) return e;
  if (e instanceof LoadFailure) return new ChartLoadError(e.message, e.at ?? { file: source }, { cause: e });
  if (e instanceof ArchiveError || e instanceof MetadataValidationError) return new ChartLoadError(e.message, { file: source }, { cause: e });
  throw e;
}

/**
 * helm's LoadFiles: builds a chart from in-memory files named relative to the chart root.
 * `source` is where the files came from (for messages and `Chart.source`).
 */
export function loadChartFiles(files: readonly ChartFile[], source = ''): Chart {
  try {
    return loadFiles(files, source);
  } catch (e) {
    throw toLoadError(e, source);
  }
}

function loadFiles(files: readonly ChartFile[], source: string): Chart {
  const where = (name: string) => (source === '' ? name : `${source}/${name}`);
  let raw: RawChartMetadata | undefined;
  const warnings: string[] = [];
  const chart: Omit<Chart, 'metadata'> = { templates: [], values: {}, files: [], raw: [], dependencies: [], source };
  let lock: ChartLock | undefined;
  const subcharts = new Map<string, ChartFile[]>();

  // Chart.yaml first, wherever it is in the list (helm PR #8948).
  for (const f of files) {
    chart.raw.push({ name: f.name, data: f.data });
    if (f.name === 'Chart.yaml') {
      try {
        raw = decodeChartYaml(decoder.decode(f.data), raw ?? {});
      } catch (e) {
        yamlFailure('cannot load Chart.yaml', e, where(f.name));
      }
      // Helm 2 charts may lack apiVersion; helm reads them as v1.
      if (!raw.apiVersion) raw.apiVersion = 'v1';
    }
  }
  const apiVersion = () => (typeof raw?.apiVersion === 'string' ? raw.apiVersion : '');
  for (const f of files) {
    const name = f.name;
    if (name === 'Chart.yaml') continue;
    if (name === 'Chart.lock') {
      try {
        lock = decodeChartLock(decoder.decode(f.data));
      } catch (e) {
        yamlFailure('cannot load Chart.lock', e, where(name));
      }
    } else if (name === 'values.yaml') {
      try {
        chart.values = unmarshalValues(decoder.decode(f.data));
      } catch (e) {
        yamlFailure('cannot load values.yaml', e, where(name));
      }
    } else if (name === 'values.schema.json') {
      chart.schema = f.data;
    } else if (name === 'requirements.yaml') {
      raw ??= {};
      if (apiVersion() !== 'v1') {
        warnings.push('Warning: Dependencies are handled in Chart.yaml since apiVersion "v2". We recommend migrating dependencies to Chart.yaml.');
      }
      try {
        raw = decodeChartYaml(decoder.decode(f.data), raw);
      } catch (e) {
        yamlFailure('cannot load requirements.yaml', e, where(name));
      }
      if (apiVersion() === 'v1') chart.files.push({ name, data: f.data });
    } else if (name === 'requirements.lock') {
      try {
        lock = decodeChartLock(decoder.decode(f.data));
      } catch (e) {
        yamlFailure('cannot load requirements.lock', e, where(name));
      }
      raw ??= {};
      if (apiVersion() !== 'v1') {
        warnings.push('Warning: Dependency locking is handled in Chart.lock since apiVersion "v2". We recommend migrating to Chart.lock.');
      }
      if (apiVersion() === 'v1') chart.files.push({ name, data: f.data });
    } else if (name.startsWith('templates/')) {
      chart.templates.push({ name, data: f.data });
    } else if (name.startsWith('charts/')) {
      if (extName(name) === '.prov') {
        chart.files.push({ name, data: f.data });
        continue;
      }
      const fname = name.slice('charts/'.length);
      const cname = fname.split('/')[0]!;
      const group = subcharts.get(cname) ?? [];
      group.push({ name: fname, data: f.data });
      subcharts.set(cname, group);
    } else {
      chart.files.push({ name, data: f.data });
    }
  }

  if (!raw) fail('Chart.yaml file is missing', { file: where('Chart.yaml') });
  let metadata;
  try {
    metadata = validateChartMetadata(raw);
  } catch (e) {
    if (e instanceof MetadataValidationError) fail(e.message, { file: where('Chart.yaml') });
    throw e;
  }
  const out: Chart = { metadata, ...chart };
  if (lock) out.lock = lock;
  if (warnings.length > 0) out.warnings = warnings;

  // helm walks a Go map here (random order); we keep the order the files came in.
  for (const [n, group] of subcharts) {
    if (n.startsWith('_') || n.startsWith('.')) continue;
    let sub: Chart;
    const subSource = where(`charts/${n}`);
    try {
      if (extName(n) === '.tgz') {
        const file = group[0]!;
        if (file.name !== n) fail(`error unpacking subchart tar in ${metadata.name}: expected ${n}, got ${file.name}`);
        sub = loadFiles(loadArchiveFiles(file.data), subSource);
      } else {
        const buff: ChartFile[] = [];
        for (const f of group) {
          const slash = f.name.indexOf('/');
          if (slash < 0) continue;
          buff.push({ name: f.name.slice(slash + 1), data: f.data });
        }
        sub = loadFiles(buff, subSource);
      }
    } catch (e) {
      if (e instanceof LoadFailure && e.message.startsWith('error unpacking subchart tar in ')) throw e;
      const err = toLoadError(e, subSource);
      fail(`error unpacking subchart ${n} in ${metadata.name}: ${err.message}`, err.at);
    }
    out.dependencies.push(sub);
  }
  return out;
}

/** helm's LoadArchive: a chart from the bytes of a .tgz. */
export function loadChartArchive(data: Uint8Array, source = ''): Chart {
  try {
    return loadFiles(loadArchiveFiles(data), source);
  } catch (e) {
    throw toLoadError(e, source);
  }
}

/** The files of a chart directory as helm's LoadDir collects them (sorted walk, .helmignore applied, BOM stripped). */
export function readChartDirectory(dir: string, fs: FileSystem): ChartFile[] {
  let rules: HelmignoreRules;
  const ignoreFile = joinPath(dir, '.helmignore');
  if (fs.stat(ignoreFile) && !fs.stat(ignoreFile)!.isDirectory) {
    try {
      rules = parseHelmignore(decoder.decode(fs.readBytes(ignoreFile)), { addDefaults: true });
    } catch (e) {
      throw new ChartLoadError((e as Error).message, { file: ignoreFile }, { cause: e });
    }
  } else {
    rules = emptyHelmignore({ addDefaults: true });
  }
  const files: ChartFile[] = [];
  // Real paths of the directories being walked: a symlink back to one of them is a cycle
  // (helm's walk follows it for ever; two `x -> .` links make it exponential). Skipped.
  const open = new Set<string>();
  const walk = (abs: string, rel: string) => {
    const real = fs.realPath?.(abs);
    if (real !== undefined) {
      if (open.has(real)) return;
      open.add(real);
    }
    for (const entry of fs.readDir(abs).sort(compareGoStrings)) {
      const childAbs = joinPath(abs, entry);
      const childRel = rel === '' ? entry : `${rel}/${entry}`;
      const st = fs.stat(childAbs);
      if (!st) continue;
      if (st.isDirectory) {
        // A directory rule skips the whole subtree.
        if (!rules.ignores(childRel, true)) walk(childAbs, childRel);
        continue;
      }
      if (rules.ignores(childRel, false)) continue;
      let data: Uint8Array;
      try {
        data = fs.readBytes(childAbs);
      } catch (e) {
        throw new ChartLoadError(`error reading ${childRel}: ${(e as Error).message}`, { file: childAbs }, { cause: e });
      }
      if (data.length > MAX_DECOMPRESSED_FILE_SIZE) {
        throw new ChartLoadError(`chart file ${goQuote(entry)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`, { file: childAbs });
      }
      files.push({ name: childRel, data: stripBom(data) });
    }
    if (real !== undefined) open.delete(real);
  };
  walk(dir, '');
  return files;
}

/**
 * Loads the chart at `path`: a chart directory or a .tgz archive, as `helm template PATH`
 * reads it. Subcharts under charts/ are loaded too; no dependency processing is done.
 */
export async function loadChart(path: string, fs: FileSystem): Promise<Chart> {
  const st = fs.stat(path);
  if (!st) throw new ChartLoadError(`path ${goQuote(path)} not found`, { file: path });
  if (st.isDirectory) {
    return loadChartFiles(readChartDirectory(path, fs), path);
  }
  const data = fs.readBytes(path);
  try {
    ensureArchive(path, data);
  } catch (e) {
    throw toLoadError(e, path);
  }
  try {
    return loadFiles(loadArchiveFiles(data), path);
  } catch (e) {
    if (e instanceof ArchiveError && e.message === 'gzip: invalid header') {
      throw new ChartLoadError(`file '${path}' does not appear to be a valid chart file (details: ${e.message})`, { file: path }, { cause: e });
    }
    throw toLoadError(e, path);
  }
}
