/**
 * renderSource: a checked-out directory to manifests, as Argo CD's repo-server
 * (GenerateManifests) or Flux's kustomize-controller (build, then post-build substitution and
 * common metadata) would produce them. Reads files only through the FileSystem it is given.
 */
import { posix } from 'node:path';
import { SlipwayError, keyOf, type FileSystem, type KubeObject, type Manifest, type SourceLocation } from '../../core/index.js';
import { objectToYaml } from '../../engines/kustomize/index.js';
import { yamlToJson } from '../../engines/yaml/index.js';
import { SourceRenderError } from './errors.js';
import { checkoutFileSystem } from './internal/checkout-fs.js';
import { detectSourceKind, renderDirectory } from './internal/directory.js';
import { EnvsubstError, envsubst } from './internal/envsubst.js';
import { kustomizeHelmRenderer, renderHelm } from './internal/helm.js';
import { renderKustomize } from './internal/kustomize.js';
import type { RenderKind, RenderSourceResult, RenderSpec } from './types.js';

/** argopath.Path: the app directory inside the checkout, which must exist and be a directory. */
export function appDirectory(dir: string, path: string, fs: FileSystem): string {
  const root = posix.normalize(dir);
  const rel = path === '' ? '.' : path;
  if (posix.isAbsolute(rel)) throw new SourceRenderError(`${path}: app path is absolute`);
  const appDir = posix.join(root, rel);
  if (appDir !== root && !appDir.startsWith(root.endsWith('/') ? root : `${root}/`)) throw new SourceRenderError(`${path}: app path outside root`);
  const st = fs.stat(appDir);
  if (!st) throw new SourceRenderError(`${path}: app path does not exist`);
  if (!st.isDirectory) throw new SourceRenderError(`${path}: app path is not a directory`);
  return appDir;
}

/**
 * How Argo CD would render the directory: a kustomization file makes it kustomize, a file
 * ending in `Chart.yaml` helm (kustomize wins when both are there), anything else a directory.
 */
export function detectRenderKind(dir: string, path: string, fs: FileSystem = checkoutFileSystem): RenderKind {
  return detectSourceKind(appDirectory(dir, path, fs), fs);
}

/** Flux's varsubRegex `^[_[:alpha:]][_[:alpha:][:digit:]]*$`: Go's POSIX classes are ASCII only. */
const VAR_NAME = /^[_A-Za-z][_A-Za-z0-9]*$/;
const SUBSTITUTE_KEY = 'kustomize.toolkit.fluxcd.io/substitute';

/**
 * kustomize_varsub.go SubstituteVariables for every object: skipped for objects labelled or
 * annotated `kustomize.toolkit.fluxcd.io/substitute: disabled` and when there are no variables;
 * values lose their newlines; the object is printed as kustomize prints it, substituted, and
 * read back as YAML (so `replicas: ${N}` becomes a number).
 */
export function substituteVariables(manifests: Manifest[], substitute: Readonly<Record<string, string>>): Manifest[] {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(substitute)) vars[k] = v.replace(/\n/g, '');
  if (Object.keys(vars).length === 0) return manifests;
  for (const name of Object.keys(vars)) {
    if (!VAR_NAME.test(name)) throw new SourceRenderError(`'${name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'`);
  }
  return manifests.map((m) => {
    const meta = m.object.metadata ?? {};
    if (meta.labels?.[SUBSTITUTE_KEY] === 'disabled' || meta.annotations?.[SUBSTITUTE_KEY] === 'disabled') return m;
    let text: string;
    try {
      text = envsubst(objectToYaml(m.object), vars);
    } catch (e) {
      if (e instanceof EnvsubstError) {
        throw new SourceRenderError(`${describe(m)}: envsubst error: variable substitution failed: ${e.message}`, m.origin.at, { cause: e });
      }
      throw e;
    }
    let object: KubeObject;
    try {
      object = JSON.parse(yamlToJson(text)) as KubeObject;
    } catch (e) {
      throw new SourceRenderError(`${describe(m)}: YAMLToJSON: ${(e as Error).message}`, m.origin.at, { cause: e });
    }
    return { ...m, key: keyOf(object), object };
  });
}

function describe(m: Manifest): string {
  return [m.key.kind, m.key.namespace, m.key.name].filter(Boolean).join('/');
}

/** ssautil.SetCommonMetadata: labels and annotations merged into every object's metadata (not selectors or templates). */
export function setCommonMetadata(manifests: Manifest[], labels: Readonly<Record<string, string>> = {}, annotations: Readonly<Record<string, string>> = {}): void {
  for (const m of manifests) {
    const meta = (m.object.metadata ??= {});
    if (Object.keys(labels).length > 0) meta.labels = { ...(meta.labels ?? {}), ...labels };
    if (Object.keys(annotations).length > 0) meta.annotations = { ...(meta.annotations ?? {}), ...annotations };
  }
}

/**
 * Errors name files as the manifests' origins do, relative to the checkout: the engines see
 * absolute paths (for a Git source, somewhere in the cache), which mean nothing to the user.
 */
function relativeToCheckout(e: unknown, root: string): unknown {
  if (!(e instanceof SlipwayError) || root === '/') return e;
  const prefix = root.endsWith('/') ? root : `${root}/`;
  const err = e as SlipwayError & { at?: SourceLocation };
  if (err.at?.file.startsWith(prefix)) err.at = { ...err.at, file: err.at.file.slice(prefix.length) };
  else if (err.at?.file === root) err.at = { ...err.at, file: '.' };
  if (err.message.includes(prefix)) err.message = err.message.split(prefix).join('');
  return err;
}

/**
 * Renders `spec.path` of the checkout `dir`. The kind is detected as Argo CD detects it when
 * `spec.kind` is absent. Flux's post-build steps (`postBuild.substitute`, `commonMetadata`)
 * run on the result whatever the kind. Throws SlipwayErrors: SourceRenderError for the app path
 * and overrides, the engines' own errors (KustomizeError, ChartRenderError, ManifestError …)
 * for what they find.
 */
export function renderSource(dir: string, spec: RenderSpec, fs: FileSystem = checkoutFileSystem): RenderSourceResult {
  const root = posix.normalize(dir).replace(/(.)\/$/, '$1');
  const appDir = appDirectory(root, spec.path ?? '.', fs);
  const kind = spec.kind ?? detectSourceKind(appDir, fs);
  const warnings: string[] = [];
  const warn = (m: string) => warnings.push(m);
  const helmCtx = { ...(spec.env ? { env: spec.env } : {}), ...(spec.kubeVersion ? { kubeVersion: spec.kubeVersion } : {}), ...(spec.apiVersions ? { apiVersions: spec.apiVersions } : {}), warn };
  let manifests: Manifest[];
  try {
    switch (kind) {
      case 'directory':
        manifests = renderDirectory(appDir, root, fs, spec.directory ?? {});
        break;
      case 'kustomize':
        manifests = renderKustomize(appDir, root, fs, spec.kustomize ?? {}, {
          ...(spec.env ? { env: spec.env } : {}),
          helmRenderer: kustomizeHelmRenderer(fs, helmCtx),
          warn,
        });
        break;
      case 'helm':
        manifests = renderHelm(appDir, root, fs, spec.helm ?? {}, helmCtx);
        break;
      default:
        throw new SourceRenderError(`unknown source kind "${String(kind)}" (directory, kustomize or helm)`);
    }
  } catch (e) {
    throw relativeToCheckout(e, root);
  }
  if (spec.postBuild?.substitute) manifests = substituteVariables(manifests, spec.postBuild.substitute);
  if (spec.commonMetadata) setCommonMetadata(manifests, spec.commonMetadata.labels, spec.commonMetadata.annotations);
  return { manifests, kind, warnings };
}
