/**
 * Helm sources rendered as Argo CD renders them (reposerver/repository/repository.go
 * helmTemplate, util/helm/cmd.go template, reposerver/repository/value_files.go): the chart in
 * the app directory, values files resolved against it (`$VAR` expanded, paths kept inside the
 * repository, globs expanded in name order, `$ref/…` from other sources, missing files skipped
 * only with ignoreMissingValueFiles), inline values as the last `-f`, parameters as `--set` /
 * `--set-string` with Argo's comma escaping, `--include-crds` unless skipCrds; then the stream
 * `helm template` prints (CRDs, manifests, hooks), each document an object (Lists split). Hooks keep their
 * `helm.sh/hook*` annotations: the reconciler maps them to sync phases.
 */
import { posix } from 'node:path';
import { ManifestError, type FileSystem, type KubeObject, type Manifest } from '../../../core/index.js';
import {
  ChartRenderError,
  formatTemplateOutput,
  loadChartFiles,
  mergeMaps,
  mergeValueOptions,
  readChartDirectory,
  releaseNameFromTemplate,
  renderLoadedChart,
  unmarshalValues,
  type RenderResult,
} from '../../../engines/chart/index.js';
import type { HelmChartRenderArgs } from '../../../engines/kustomize/index.js';
import { compareGoStrings } from '../../../engines/goruntime/index.js';
import { parseYamlStream } from '../../../engines/yaml/index.js';
import { SourceRenderError } from '../errors.js';
import type { HelmRenderOptions } from '../types.js';
import { isSymlink } from './checkout-fs.js';
import { flatten } from './directory.js';
import { isGlobPath, matchDoublestar } from './glob.js';
import { argoEnvsubst } from './go-expand.js';
import { overlayFileSystem } from './overlay-fs.js';

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The name inline values go by in messages (Argo writes them to a temp file). */
const INLINE_VALUES = '<spec.source.helm.values>';

/** What a helm render needs besides the chart's options. */
export interface HelmContext {
  env?: Readonly<Record<string, string>>;
  kubeVersion?: string;
  apiVersions?: readonly string[];
  warn: (message: string) => void;
}

function inside(path: string, root: string): boolean {
  return path === root || path.startsWith(root.endsWith('/') ? root : `${root}/`);
}

/**
 * pathutil.ResolveValueFilePathOrUrl: relative paths from the app dir, absolute ones from the
 * repository root, never outside it; URLs refused (engines do not fetch).
 */
function resolveLocal(raw: string, appDir: string, root: string, what: string): string {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(raw)?.[1];
  if (scheme) {
    if (scheme === 'http' || scheme === 'https') throw new SourceRenderError(`${what} '${raw}': remote values files are not supported (Slipway renders without a network)`);
    throw new SourceRenderError(`${what} '${raw}': the URL scheme '${scheme}' is not allowed`);
  }
  const path = posix.isAbsolute(raw) ? posix.join(root, raw) : posix.join(appDir, raw);
  if (!inside(path, root)) throw new SourceRenderError(`${what} '${raw}' resolved to outside repository root`);
  return path;
}

/** Every file under `root` whose path matches the doublestar pattern `pattern` (absolute), in name order. */
function globFiles(pattern: string, fs: FileSystem): string[] {
  const segments = pattern.split('/');
  const firstMagic = segments.findIndex((s) => isGlobPath(s) || s.includes('{'));
  const base = segments.slice(0, firstMagic).join('/') || '/';
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = fs.readDir(dir);
    } catch {
      return;
    }
    for (const name of names.sort(compareGoStrings)) {
      const path = posix.join(dir, name);
      const st = fs.stat(path);
      if (!st) continue;
      // doublestar.FilepathGlob lstats: symlinked directories are not descended into (two
      // `x -> .` links would otherwise make `**` walk 2^40 paths).
      if (st.isDirectory) {
        if (!isSymlink(fs, path)) walk(path);
      } else if (matchDoublestar(pattern, path)) out.push(path);
    }
  };
  if (fs.stat(base)?.isDirectory) walk(base);
  return out.sort(compareGoStrings);
}

/** value_files.go ResolveValueFiles. */
export function resolveValueFiles(o: HelmRenderOptions, appDir: string, root: string, fs: FileSystem, env: HelmContext['env']): string[] {
  const resolveRaw = (raw: string): { path: string; root: string } => {
    const refName = raw.startsWith('$') ? raw.split('/')[0]! : '';
    const refRoot = refName ? o.refSources?.[refName] : undefined;
    if (refRoot !== undefined) {
      const rest = raw.slice(refName.length);
      if (rest.replace(/\//g, '') === '') throw new SourceRenderError(`invalid value file path "${raw}": no file path after the ref name`);
      return { path: resolveLocal(argoEnvsubst(`/${rest.replace(/^\/+/, '')}`, env), refRoot, refRoot, 'value file'), root: refRoot };
    }
    return { path: resolveLocal(argoEnvsubst(raw, env), appDir, root, 'value file'), root };
  };
  const raws = o.valueFiles ?? [];
  const explicit = new Set<string>();
  for (const raw of raws) {
    try {
      const r = resolveRaw(raw);
      if (!isGlobPath(r.path)) explicit.add(r.path);
    } catch {
      // reported in the main loop
    }
  }
  const out: string[] = [];
  const add = (p: string) => {
    if (!out.includes(p)) out.push(p);
  };
  for (const raw of raws) {
    const r = resolveRaw(raw);
    if (isGlobPath(r.path)) {
      const matches = globFiles(r.path, fs).filter((m) => inside(m, r.root));
      if (matches.length === 0) {
        if (o.ignoreMissingValueFiles) continue;
        throw new SourceRenderError(`values file glob "${raw}" matched no files`);
      }
      for (const m of matches) if (!explicit.has(m)) add(m);
      continue;
    }
    if (!fs.stat(r.path) && o.ignoreMissingValueFiles) continue;
    add(r.path);
  }
  return out;
}

/** cleanSetParameters: commas escaped (unless already escaped), except in `{a,b}` list syntax. */
export function cleanSetParameter(value: string): string {
  if (value.startsWith('{') && value.endsWith('}')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === ',' && (i === 0 || value[i - 1] !== '\\')) out += '\\,';
    else out += c;
  }
  return out;
}

/** Argo's `ValuesYAML()`: valuesObject wins over values; undefined when both are empty. */
function inlineValues(o: HelmRenderOptions): string | undefined {
  if (o.valuesObject !== undefined && o.valuesObject !== null) return JSON.stringify(o.valuesObject);
  return o.values && o.values.trim() !== '' ? o.values : undefined;
}

/** Documents of rendered chart text as manifests; `file` is the template path relative to the checkout. */
function documents(text: string, file: string, source: string, out: Manifest[]): void {
  for (const doc of parseYamlStream(text, file)) {
    const v = doc.value;
    if (v === null || v === undefined) continue;
    if (typeof v !== 'object' || Array.isArray(v) || typeof (v as Record<string, unknown>).kind !== 'string') {
      throw new ManifestError(`failed to unmarshal manifest: expected a Kubernetes object with a kind`, doc.at);
    }
    // `kind: List` (or any object with `items`) is split, as Argo does after `helm template`.
    flatten(v as KubeObject, doc, [], file, source, out);
  }
}

/** Manifests in `helm template` order: CRDs (unless skipCrds), manifests, hooks (test hooks unless skipTests). */
function toManifests(result: RenderResult, chartName: string, chartVersion: string, appRel: string, o: HelmRenderOptions): Manifest[] {
  const source = `chart:${chartName}@${chartVersion}`;
  // Template paths start with the chart name; origins name the file in the checkout.
  const fileOf = (name: string) => posix.join(appRel, name.split('/').slice(1).join('/'));
  const out: Manifest[] = [];
  if (!o.skipCrds) for (const c of result.crds) documents(c.content, fileOf(c.name), source, out);
  for (const m of result.manifests) documents(m.content, fileOf(m.name), source, out);
  for (const h of result.hooks) {
    if (o.skipTests && (h.events.includes('test') || h.events.includes('test-success'))) continue;
    documents(h.manifest, fileOf(h.path), source, out);
  }
  return out;
}

/** Renders the chart in `appDir`; origins are relative to `root`. */
export function renderHelm(appDir: string, root: string, fs: FileSystem, o: HelmRenderOptions, ctx: HelmContext): Manifest[] {
  const releaseName = o.releaseName || 'release-name';
  if (!RELEASE_NAME.test(releaseName) || releaseName.length > 53) {
    throw new ChartRenderError(
      `release name "${releaseName}": invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`,
    );
  }
  const valueFiles = resolveValueFiles(o, appDir, root, fs, ctx.env);
  const overlay = new Map<string, string>();
  const inline = inlineValues(o);
  if (inline !== undefined) {
    overlay.set(INLINE_VALUES, inline);
    valueFiles.push(INLINE_VALUES);
  }
  // Parameters are a map in Argo: the last value of a name wins.
  const sets = new Map<string, string>();
  const stringSets = new Map<string, string>();
  for (const p of o.parameters ?? []) (p.forceString ? stringSets : sets).set(p.name, cleanSetParameter(argoEnvsubst(p.value, ctx.env)));
  const fileSets = (o.fileParameters ?? []).map((p) => `${p.name}=${cleanSetParameter(resolveLocal(argoEnvsubst(p.path, ctx.env), appDir, root, 'file parameter'))}`);
  const vfs = overlayFileSystem(fs, overlay);
  const userValues = mergeValueOptions(
    {
      valueFiles,
      values: [...sets].map(([k, v]) => `${k}=${v}`),
      stringValues: [...stringSets].map(([k, v]) => `${k}=${v}`),
      fileValues: fileSets,
    },
    vfs,
  );
  const chart = loadChartFiles(readChartDirectory(appDir, fs), appDir);
  const result = renderLoadedChart(chart, userValues, {
    releaseName,
    namespace: o.namespace || 'default',
    capabilities: { ...(ctx.kubeVersion ? { kubeVersion: ctx.kubeVersion } : {}), ...(ctx.apiVersions ? { apiVersions: ctx.apiVersions } : {}) },
    skipSchemaValidation: !!o.skipSchemaValidation,
    warn: ctx.warn,
  });
  return toManifests(result, chart.metadata.name, chart.metadata.version ?? '', posix.relative(root, appDir) || '.', o);
}

/**
 * The renderer kustomize's helmCharts generator calls: the chart from its directory through
 * `fs`, the values files merged in order, `helm template` output as text. Capabilities the
 * kustomization does not set come from the source (Argo's --helm-kube-version/--helm-api-versions).
 */
export function kustomizeHelmRenderer(fs: FileSystem, ctx: HelmContext): (args: HelmChartRenderArgs) => string {
  return (args) => {
    const chart = loadChartFiles(readChartDirectory(args.chartPath, fs), args.chartPath);
    let values = {};
    for (const text of args.values) values = mergeMaps(values, unmarshalValues(text));
    let releaseName = args.releaseName;
    if (releaseName === '') releaseName = args.nameTemplate ? releaseNameFromTemplate(args.nameTemplate) : `${chart.metadata.name}-release`;
    const apiVersions = args.apiVersions.length > 0 ? args.apiVersions : (ctx.apiVersions ?? []);
    const kubeVersion = args.kubeVersion || ctx.kubeVersion;
    const result = renderLoadedChart(chart, values, {
      releaseName,
      namespace: args.namespace || 'default',
      capabilities: { apiVersions, ...(kubeVersion ? { kubeVersion } : {}) },
      warn: ctx.warn,
    });
    return formatTemplateOutput(result, { includeCrds: args.includeCRDs, noHooks: args.skipHooks, skipTests: args.skipTests });
  };
}
