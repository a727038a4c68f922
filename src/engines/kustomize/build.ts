/**
 * A whole build (api/krusty/kustomizer.go Run and kusttarget.go makeCustomizedResMap):
 * accumulate the root kustomization, then the steps kustomize runs once at the top: name
 * hashes, name references, vars, local-config objects dropped, sort order, the
 * managed-by label and the buildMetadata annotations.
 */
import type { FileSystem, Manifest, KubeObject } from '../../core/index.js';
import { fixNameReferences } from './builtins/name-reference.js';
import { hashTransformer } from './builtins/hash.js';
import type { HelmRenderer } from './builtins/helm-charts.js';
import { setMapEntries } from './builtins/labels.js';
import { sortOrderTransformer } from './builtins/sort-order.js';
import { resolveVars } from './builtins/vars.js';
import { KustomizeError, asKustomizeError } from './errors.js';
import { validateMetadata } from './factory.js';
import { FileLoader, type LoadRestrictor } from './loader.js';
import { resolvePlain } from './internal/yaml-read.js';
import { objectToYaml } from './output.js';
import { parseGroupVersion } from './resid.js';
import type { Resource, ResourceOrigin } from './resource.js';
import { KustTarget, setSchema, type BuildContext } from './target.js';

/** Options of a build, as `kubectl kustomize` flags. */
export interface KustomizeOptions {
  /**
   * `--load-restrictor`: whether files outside the kustomization's directory may be read.
   * @default 'LoadRestrictionsRootOnly'
   */
  loadRestrictor?: LoadRestrictor;
  /** `--enable-helm`: allow `helmCharts`. @default false */
  enableHelm?: boolean;
  /** Renders `helmCharts` entries (required with enableHelm when a kustomization has charts). */
  helmRenderer?: HelmRenderer;
  /**
   * Without `sortOptions` in the kustomization: 'legacy' sorts as `kubectl kustomize` does,
   * 'none' keeps the build order (krusty.Options.Reorder, kustomize's deprecated --reorder).
   * @default 'legacy'
   */
  reorder?: 'legacy' | 'none';
  /** Called with each warning kustomize prints on stderr (deprecated fields, unused vars). */
  warn?: (message: string) => void;
}

/** The result of a build. */
export interface KustomizeResult {
  /** The objects in output order. */
  resources: Manifest[];
  /** The warnings kustomize prints on stderr, in order. */
  warnings: string[];
}

/** The version kubectl's built-in kustomize reports, used by buildMetadata's managedByLabel. */
export const KUSTOMIZE_VERSION = 'v5.8.1';

const ORIGIN_ANNOTATION = 'config.kubernetes.io/origin';
const TRANSFORMATIONS_ANNOTATION = 'alpha.config.kubernetes.io/transformations';
const LOCAL_CONFIG_ANNOTATION = 'config.kubernetes.io/local-config';

/** The fields kyaml.Marshal writes for an Origin (kyaml's encoder: indent 2). */
function originFields(o: ResourceOrigin): [string, unknown][] {
  const fields: [string, unknown][] = [];
  if (o.path) fields.push(['path', o.path]);
  if (o.repo) fields.push(['repo', o.repo]);
  if (o.ref) fields.push(['ref', o.ref]);
  if (o.configuredIn) fields.push(['configuredIn', o.configuredIn]);
  const by = o.configuredBy;
  if (by && (by.apiVersion || by.kind || by.name || by.namespace)) {
    const sub: [string, unknown][] = [];
    if (by.apiVersion) sub.push(['apiVersion', by.apiVersion]);
    if (by.kind) sub.push(['kind', by.kind]);
    if (by.name) sub.push(['name', by.name]);
    if (by.namespace) sub.push(['namespace', by.namespace]);
    fields.push(['configuredBy', sub]);
  }
  return fields;
}

/** How yaml.v3 writes a string scalar: plain unless it would read back as something else. */
function yamlScalar(s: string): string {
  const plain =
    s !== '' &&
    typeof resolvePlain(s) === 'string' &&
    !/^[-?:,[\]{}#&*!|>'"%@`\s]/.test(s) &&
    !/[\s]$/.test(s) &&
    !/: |:$| #|[\n\r\t]/.test(s) &&
    !/^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/.test(s);
  return plain ? s : JSON.stringify(s);
}

function writeFields(fields: [string, unknown][], indent: string): string {
  let out = '';
  for (const [k, v] of fields) {
    if (Array.isArray(v)) out += `${indent}${k}:\n${writeFields(v as [string, unknown][], `${indent}  `)}`;
    else out += `${indent}${k}: ${yamlScalar(String(v))}\n`;
  }
  return out;
}

export function originString(o: ResourceOrigin): string {
  const f = originFields(o);
  return f.length === 0 ? '{}\n' : writeFields(f, '');
}

export function transformationsString(list: readonly ResourceOrigin[]): string {
  let out = '';
  for (const o of list) {
    const body = writeFields(originFields(o), '  ');
    out += `- ${body.slice(2)}`;
  }
  return out;
}

/** What kustomizer.Run does after accumulation to each object's annotations (build, origin and transformer annotations removed or written). */
function finishAnnotations(r: Resource, buildMetadata: readonly string[]): void {
  const keepOrigin = buildMetadata.includes('originAnnotations');
  const keepTransformations = buildMetadata.includes('transformerAnnotations');
  const a = r.annotations();
  if (keepOrigin && r.origin) a[ORIGIN_ANNOTATION] = originString(r.origin);
  if (keepTransformations && r.transformations.length > 0) a[TRANSFORMATIONS_ANNOTATION] = transformationsString(r.transformations);
  // SetOrigin(nil) and ClearTransformations rewrite the map (string values, dropped when
  // empty); with both kept, only RemoveBuildAnnotations does, and only when the map
  // (build annotations included) was not empty.
  const hadBuildAnnotations = r.hasPrevIds() || r.prefixes.length > 0 || r.suffixes.length > 0 || r.refBy.length > 0 || r.behavior !== undefined || r.needsHash || r.helmGenerated;
  if (!keepOrigin || !keepTransformations || Object.keys(a).length > 0 || hadBuildAnnotations) r.setAnnotations(a);
}

function toManifest(r: Resource, source: string): Manifest {
  const obj = r.obj as unknown as KubeObject;
  return {
    key: { group: parseGroupVersion(r.apiVersion).group, kind: r.kind, namespace: r.namespace, name: r.name },
    object: obj,
    origin: { source, ...(r.source ? { at: { file: r.source } } : {}) },
  };
}

/**
 * Builds the kustomization in `dir` as `kubectl kustomize DIR` does. Files are read only
 * through `fs`. Throws KustomizeError with kustomize's message, placed at the
 * kustomization file and entry at fault.
 */
export function kustomize(dir: string, fs: FileSystem, options: KustomizeOptions = {}): KustomizeResult {
  const warnings: string[] = [];
  const warn = (m: string) => {
    warnings.push(m);
    options.warn?.(m);
  };
  const ctx: BuildContext = { fs, warn, enableHelm: !!options.enableHelm, helmRenderer: options.helmRenderer, buildMetadata: [], schemaSet: false };
  const ldr = FileLoader.at(dir, fs, options.loadRestrictor ?? 'LoadRestrictionsRootOnly');
  const kt = KustTarget.load(ldr, ctx);
  const buildMetadata = kt.k.buildMetadata ?? [];
  ctx.buildMetadata = buildMetadata;
  setSchema(kt, true);
  if (buildMetadata.length > 0) kt.origin = {};
  const ra = kt.accumulateTarget();
  const m = ra.resMap;
  const atTop = (step: () => void, entry?: string) => {
    try {
      step();
    } catch (e) {
      throw asKustomizeError(e).locate(kt.file, entry);
    }
  };
  atTop(() => hashTransformer().transform(m));
  atTop(() => fixNameReferences(m, ra.tConfig.nameReference));
  atTop(() => {
    const unused = resolveVars(m, ra.vars, ra.tConfig.varReference);
    if (unused.length > 0) warn(`well-defined vars that were never replaced: ${unused.join(',')}`);
  }, 'vars');
  atTop(() => {
    const keep = new Set<Resource>();
    for (const r of m.resources()) {
      if (r.isEmpty()) continue;
      validateMetadata(r.obj);
      const a = r.annotations();
      if (!Object.prototype.hasOwnProperty.call(a, LOCAL_CONFIG_ANNOTATION) || a[LOCAL_CONFIG_ANNOTATION] === 'false') keep.add(r);
    }
    m.keepOnly(keep);
  });
  if (kt.k.sortOptions || options.reorder !== 'none') {
    atTop(() => sortOrderTransformer(kt.k.sortOptions ?? { order: 'legacy' }).transform(m), 'sortOptions');
  }
  if (buildMetadata.includes('managedByLabel')) {
    for (const r of m.resources()) setMapEntries(r.obj, { 'app.kubernetes.io/managed-by': `kustomize-${KUSTOMIZE_VERSION}` }, [{ path: 'metadata/labels', create: true }]);
  }
  const source = `kustomize:${dir}`;
  const resources: Manifest[] = [];
  for (const r of m.resources()) {
    // resmap AsYaml: a document yaml.v3 cannot decode fails the whole output.
    if (r.deferredError) throw new KustomizeError(`map[string]interface {}(nil): ${r.deferredError}`, { file: kt.file });
    finishAnnotations(r, buildMetadata);
    resources.push(toManifest(r, source));
  }
  return { resources, warnings };
}

/** Each object as kustomize prints it, for callers that want the pieces. */
export function resourceYaml(r: Manifest): string {
  return objectToYaml(r.object);
}
