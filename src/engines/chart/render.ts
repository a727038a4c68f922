import {
  GoFuncError,
  TemplateExecError,
  TemplateParseError,
  TemplateSet,
  defineFunc,
  sprintf,
  type FuncMap,
  type GoMap,
} from '../gotemplate/index.js';
import { capabilities, type CapabilitiesOptions } from './capabilities.js';
import { ChartRenderError } from './errors.js';
import { newFiles } from './files.js';
import { helmFunctions, toYamlText, type LookupFunction } from './helm-funcs.js';
import { sortManifests, type RenderedHook, type RenderedManifest } from './manifests.js';
import { chartMetadataStruct } from './metadata-struct.js';
import type { Chart } from './types.js';

/** Options of {@link renderChart}; the defaults are `helm template`'s. */
export interface RenderOptions {
  /** @default 'release-name' */
  releaseName?: string;
  /** @default 'default' */
  namespace?: string;
  /** @default 1 */
  revision?: number;
  /** `.Release.IsUpgrade` (and not IsInstall). @default false */
  isUpgrade?: boolean;
  capabilities?: CapabilitiesOptions;
  /** missingkey=error instead of zero (helm lint --strict). @default false */
  strict?: boolean;
  /** Keep NOTES.txt of subcharts too. @default false */
  subNotes?: boolean;
  /** Answers `lookup`; without it lookup returns an empty map, as `helm template` does. */
  lookup?: LookupFunction;
  /** Random source for sprig (randAlpha, uuidv4…). @default Math.random */
  random?: () => number;
  /** Clock for sprig's now/date. @default () => new Date() */
  clock?: () => Date;
}

/** What rendering a chart produces. */
export interface RenderResult {
  /** Plain manifests in install order. */
  manifests: RenderedManifest[];
  /** Hooks in install order of their kinds. */
  hooks: RenderedHook[];
  /** NOTES.txt, rendered. */
  notes: string;
  /** crds/ files of the chart and its enabled subcharts: name is the path helm prints. */
  crds: { name: string; content: string }[];
  /** Every rendered template by path (partials excluded), before sorting. */
  files: Map<string, string>;
}

const WARN = /HELM_ERR_START([\s\S]*)HELM_ERR_END/;
/** helm pkg/engine: include depth at which rendering stops. */
const RECURSION_MAX = 1000;

interface Renderable {
  text: string;
  vals: GoMap;
  basePath: string;
}

/**
 * Renders a chart whose dependencies are already processed (enabled subcharts only, aliases
 * applied) against fully coalesced values, as helm's engine.Render and action
 * renderResources do: every template of the chart tree parsed into one namespace (deeper
 * paths first, so a parent's `define` wins), each non-partial executed with its chart's scope,
 * `<no value>` blanked, NOTES.txt set apart, documents split and sorted into manifests and hooks.
 */
export function renderChart(chart: Chart, values: GoMap, options: RenderOptions = {}): RenderResult {
  const caps = capabilities(options.capabilities);
  const isUpgrade = options.isUpgrade ?? false;
  const release: GoMap = {
    Name: options.releaseName ?? 'release-name',
    Namespace: options.namespace ?? 'default',
    IsUpgrade: isUpgrade,
    IsInstall: !isUpgrade,
    Revision: BigInt(options.revision ?? 1),
    Service: 'Helm',
  };
  const top: GoMap = { Chart: chartMetadataStruct(chart, true), Capabilities: caps, Release: release, Values: values };

  const templates = new Map<string, Renderable>();
  collectTemplates(chart, top, chart.fullPath ?? chart.metadata.name, true, templates);

  const set = new TemplateSet({ funcs: new Map(), missingKey: options.strict ? 'error' : 'zero' });
  installFunctions(set, options);

  const order = sortTemplatePaths([...templates.keys()]);
  for (const name of order) {
    try {
      set.parse(name, templates.get(name)!.text);
    } catch (e) {
      throw cleanupParseError(name, e);
    }
  }
  const files = new Map<string, string>();
  for (const name of order) {
    if (basename(name).startsWith('_')) continue;
    const r = templates.get(name)!;
    r.vals.Template = { Name: name, BasePath: r.basePath };
    let out: string;
    try {
      out = set.execute(name, r.vals);
    } catch (e) {
      throw cleanupExecError(name, e);
    }
    files.set(name, out.replaceAll('<no value>', ''));
  }

  let notes = '';
  const rootNotes = `${chart.metadata.name}/templates/NOTES.txt`;
  for (const [name, text] of [...files]) {
    if (!name.endsWith('NOTES.txt')) continue;
    if (options.subNotes || name === rootNotes) notes = notes ? `${notes}\n${text}` : text;
    files.delete(name);
  }
  const { manifests, hooks } = sortManifests(files);
  return { manifests, hooks, notes, crds: crdObjects(chart, chart.fullPath ?? chart.metadata.name), files };
}

/** engine.recAllTpls: each chart's templates with its own scope (Values, Chart, Files, Subcharts). */
function collectTemplates(chart: Chart, parent: GoMap, fullPath: string, isRoot: boolean, out: Map<string, Renderable>): GoMap {
  const subcharts: GoMap = {};
  const parentValues = parent.Values as GoMap;
  let values: GoMap = {};
  if (isRoot) values = parentValues;
  else {
    const own = parentValues?.[chart.metadata.name];
    if (typeof own === 'object' && own !== null && !Array.isArray(own)) values = own as GoMap;
  }
  const next: GoMap = {
    Chart: chartMetadataStruct(chart, isRoot),
    Files: newFiles(chart.files, toYamlText),
    Release: parent.Release,
    Capabilities: parent.Capabilities,
    Values: values,
    Subcharts: subcharts,
  };
  for (const dep of chart.dependencies) {
    // processDependencies records helm's ChartFullPath; a subchart shared by two aliases keeps
    // its original path there, so the later alias's templates replace the earlier's, as in helm.
    subcharts[dep.metadata.name] = collectTemplates(dep, next, dep.fullPath ?? `${fullPath}/charts/${dep.metadata.name}`, false, out);
  }
  const library = chart.metadata.type?.toLowerCase() === 'library';
  for (const t of chart.templates) {
    if (library && !basename(t.name).startsWith('_')) continue;
    out.set(`${fullPath}/${t.name}`, { text: new TextDecoder().decode(t.data), vals: next, basePath: `${fullPath}/templates` });
  }
  return next;
}

/** engine.sortTemplates: most slashes first; equal depth in reverse byte order. */
export function sortTemplatePaths(paths: string[]): string[] {
  const depth = (p: string) => p.split('/').length;
  return [...paths].sort((a, b) => depth(b) - depth(a) || (a < b ? 1 : a > b ? -1 : 0));
}

function installFunctions(set: TemplateSet, options: RenderOptions): void {
  const included = new Map<string, number>();
  const funcs: FuncMap = helmFunctions({ random: options.random, clock: options.clock, lookup: options.lookup });
  set.addFuncs(funcs);
  addIncludeAndTpl(set, included, !!options.strict);
}

/** include and tpl close over the template set they run in (engine.go includeFun/tplFun). */
function addIncludeAndTpl(set: TemplateSet, included: Map<string, number>, strict: boolean): void {
  const include = defineFunc('include', ['string', 'any'], (name: string, data: unknown) => {
    const depth = (included.get(name) ?? 0) + 1;
    if (depth > RECURSION_MAX + 1) {
      throw new GoFuncError(`rendering template has a nested reference name: ${name}: unable to execute template`);
    }
    included.set(name, depth);
    try {
      return set.execute(name, data);
    } catch (e) {
      throw new GoFuncError((e as Error).message, { cause: e });
    } finally {
      included.set(name, (included.get(name) ?? 1) - 1);
    }
  });
  const tpl = defineFunc('tpl', ['string', 'any'], (text: string, vals: unknown) => {
    const clone = set.clone();
    clone.setMissingKey(strict ? 'error' : 'zero');
    addIncludeAndTpl(clone, included, strict);
    // helm names the text after its root template, which is always "gotpl".
    try {
      return clone.parseAndExecute('gotpl', text, vals).replaceAll('<no value>', '');
    } catch (e) {
      if (e instanceof TemplateParseError) {
        throw new GoFuncError(`cannot parse template ${sprintf('%q', text)}: ${e.message}`, { cause: e });
      }
      throw new GoFuncError(`error during tpl function execution for ${sprintf('%q', text)}: ${(e as Error).message}`, { cause: e });
    }
  });
  set.addFuncs(new Map([['include', include], ['tpl', tpl]]));
}

/** engine.cleanupParseError: "parse error at (FILE:LINE): MESSAGE". */
function cleanupParseError(name: string, e: unknown): Error {
  if (!(e instanceof TemplateParseError)) return e as Error;
  const tokens = e.message.split(': ');
  if (tokens.length === 1) return new ChartRenderError(`parse error in (${name}): ${e.message}`, e.at, { cause: e });
  return new ChartRenderError(`parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`, e.at, { cause: e });
}

/** engine.cleanupExecError: `required` and `fail` messages come out as "execution error at (FILE:LINE:COL): MESSAGE". */
function cleanupExecError(name: string, e: unknown): Error {
  if (!(e instanceof TemplateExecError)) return e as Error;
  const tokens = splitN(e.message, ': ', 3);
  if (tokens.length !== 3) return new ChartRenderError(`execution error in (${name}): ${e.message}`, e.at, { cause: e });
  const warn = WARN.exec(tokens[2]!);
  if (warn) return new ChartRenderError(`execution error at (${tokens[1]}): ${warn[1]}`, e.at, { cause: e });
  return new ChartRenderError(e.message, e.at, { cause: e });
}

function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** chart.CRDObjects: crds/*.yaml|yml|json of the chart, then of each subchart. */
function crdObjects(chart: Chart, fullPath: string): { name: string; content: string }[] {
  const out: { name: string; content: string }[] = [];
  for (const f of chart.files) {
    if (f.name.startsWith('crds/') && /\.(ya?ml|json)$/.test(f.name)) {
      out.push({ name: `${fullPath}/${f.name}`, content: new TextDecoder().decode(f.data) });
    }
  }
  for (const dep of chart.dependencies) out.push(...crdObjects(dep, dep.fullPath ?? `${fullPath}/charts/${dep.metadata.name}`));
  return out;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
