/**
 * Argo CD's source type detection and its plain-directory source
 * (reposerver/repository/repository.go: findManifests, getPotentiallyValidManifestFile,
 * getObjsFromYAMLOrJson; util/app/discovery Discover).
 */
import { posix } from 'node:path';
import { ManifestError, keyOf, type FileSystem, type KubeObject, type Manifest } from '../../../core/index.js';
import { compareGoStrings } from '../../../engines/goruntime/index.js';
import { parseYamlStream, type YamlDocument } from '../../../engines/yaml/index.js';
import { SourceRenderError } from '../errors.js';
import type { DirectoryRenderOptions, RenderKind } from '../types.js';
import { isSymlink } from './checkout-fs.js';
import { matchArgoGlob } from './glob.js';

/** kustomize.IsKustomization. */
export const KUSTOMIZATION_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * discovery.AppType for the app directory itself: its files in name order, a name ending in
 * `Chart.yaml` making it helm and a kustomization file making it kustomize, the later file
 * winning (so kustomize beats helm, as `Chart.yaml` sorts first); otherwise a directory.
 */
export function detectSourceKind(appDir: string, fs: FileSystem): RenderKind {
  let kind: RenderKind = 'directory';
  for (const name of fs.readDir(appDir).sort(compareGoStrings)) {
    if (fs.stat(posix.join(appDir, name))?.isDirectory !== false) continue;
    if (name.endsWith('Chart.yaml')) kind = 'helm';
    if (KUSTOMIZATION_NAMES.includes(name)) kind = 'kustomize';
  }
  return kind;
}

const MANIFEST_FILE = /^.*\.(yaml|yml|json|jsonnet)$/;

/** The files findManifests reads, in filepath.Walk order, with their paths below the app dir. */
function candidateFiles(appDir: string, fs: FileSystem, opts: DirectoryRenderOptions): { path: string; rel: string }[] {
  const out: { path: string; rel: string }[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of fs.readDir(dir).sort(compareGoStrings)) {
      const path = posix.join(dir, name);
      const childRel = rel === '' ? name : `${rel}/${name}`;
      const st = fs.stat(path);
      if (!st) continue; // a symlink to nowhere is skipped, as in Argo
      if (st.isDirectory) {
        // filepath.Walk lstats: a symlinked directory is not descended into, and (not being a
        // file with a manifest name, in practice) not read either.
        if (opts.recurse && !isSymlink(fs, path)) walk(path, childRel);
        continue;
      }
      if (!MANIFEST_FILE.test(name)) continue;
      if (opts.exclude && matchArgoGlob(opts.exclude, childRel)) continue;
      if (opts.include && !matchArgoGlob(opts.include, childRel)) continue;
      out.push({ path, rel: childRel });
    }
  };
  walk(appDir, '');
  return out;
}

/** What unstructured.UnmarshalJSON accepts: a map with a kind (Slipway also wants an apiVersion). */
function toObject(value: unknown, at: { file: string; line?: number }, json: () => string): KubeObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ManifestError(`failed to unmarshal manifest: expected a Kubernetes object, found ${Array.isArray(value) ? 'a list' : typeof value}`, at);
  }
  const obj = value as Record<string, unknown>;
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new ManifestError(`failed to unmarshal manifest: Object 'Kind' is missing in '${json()}'`, at);
  return obj as unknown as KubeObject;
}

/**
 * Splits Lists as Argo's GenerateManifests does for every source type: any object whose
 * `items` is a list (IsList); `items: null` Lists without spec/status are dropped.
 */
export function flatten(obj: KubeObject, doc: YamlDocument | undefined, base: (string | number)[], file: string, source: string, out: Manifest[]): void {
  const items = obj.items;
  const locate = (path: (string | number)[]) => doc?.locate(path) ?? { file, line: 1 };
  if (Array.isArray(items)) {
    items.forEach((item, i) => {
      const at = locate([...base, 'items', i]);
      if (typeof item !== 'object' || item === null || Array.isArray(item)) throw new ManifestError('items member is not an object', at);
      const child = item as KubeObject;
      out.push(withKey(child, { source, at }));
    });
    return;
  }
  if (items === null && !('spec' in obj) && !('status' in obj)) return;
  out.push(withKey(obj, { source, at: locate(base) }));
}

function withKey(object: KubeObject, origin: Manifest['origin']): Manifest {
  if (object.metadata === undefined || object.metadata === null) object.metadata = {};
  return { key: keyOf(object), object, origin };
}

/** Reads one YAML file the way getObjsFromYAMLOrJson does, including its "irrelevant YAML" rule. */
function readYamlFile(text: string, file: string, name: string, out: Manifest[]): void {
  const source = `file:${file}`;
  const looksLikeManifest = () => text.includes('apiVersion:') && text.includes('kind:') && text.includes('metadata:');
  let docs: YamlDocument[];
  try {
    docs = parseYamlStream(text, file);
  } catch (e) {
    if (!looksLikeManifest()) return;
    throw new ManifestError(`Failed to unmarshal "${name}": ${(e as Error).message}`, (e as ManifestError).at ?? { file }, { cause: e });
  }
  const found: Manifest[] = [];
  for (const doc of docs) {
    if (doc.value === null || doc.value === undefined) continue;
    let obj: KubeObject;
    try {
      obj = toObject(doc.value, doc.at, () => JSON.stringify(doc.value));
    } catch (e) {
      // A file of other YAML (values files, CI config) is skipped unless it looks like a manifest
      // or some documents before the bad one were objects.
      if (found.length === 0 && !looksLikeManifest()) return;
      throw new ManifestError(`Failed to unmarshal "${name}": ${(e as Error).message}`, (e as ManifestError).at, { cause: e });
    }
    if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') {
      throw new ManifestError(`Failed to unmarshal "${name}": missing required field "apiVersion"`, doc.locate([]));
    }
    flatten(obj, doc, [], file, source, found);
  }
  out.push(...found);
}

/** The end of the first JSON value in `text`, or -1 when it does not end (a syntax error). */
function firstJsonValueEnd(text: string): number {
  let i = 0;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  let depth = 0;
  let inString = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && /\s/.test(c)) return i;
  }
  return depth === 0 ? text.length : -1;
}

/** A .json file: exactly one object (Lists split). */
function readJsonFile(text: string, file: string, name: string, out: Manifest[]): void {
  const at = { file, line: 1 };
  const end = firstJsonValueEnd(text);
  let value: unknown;
  try {
    value = JSON.parse(end > 0 ? text.slice(0, end) : text);
  } catch (e) {
    throw new ManifestError(`Failed to unmarshal "${name}": ${(e as Error).message}`, at, { cause: e });
  }
  if (end > 0 && text.slice(end).trim() !== '') {
    throw new ManifestError(`Found multiple objects in "${name}". Only single objects are allowed in JSON files.`, at);
  }
  if (value === null) return;
  let obj: KubeObject;
  try {
    obj = toObject(value, at, () => JSON.stringify(value));
  } catch (e) {
    throw new ManifestError(`Failed to unmarshal "${name}": ${(e as Error).message}`, at, { cause: e });
  }
  if (typeof obj.apiVersion !== 'string' || obj.apiVersion === '') throw new ManifestError(`Failed to unmarshal "${name}": missing required field "apiVersion"`, at);
  flatten(obj, undefined, [], file, `file:${file}`, out);
}

/**
 * findManifests: the YAML and JSON files of the app directory (and below it with `recurse`),
 * filtered by `include`/`exclude`, every document an object. `relTo` is the checkout root:
 * origins name files relative to it.
 */
export function renderDirectory(appDir: string, relTo: string, fs: FileSystem, opts: DirectoryRenderOptions = {}): Manifest[] {
  const out: Manifest[] = [];
  for (const { path } of candidateFiles(appDir, fs, opts)) {
    const file = posix.relative(relTo, path) || path;
    const name = posix.basename(path);
    if (name.endsWith('.jsonnet')) {
      throw new SourceRenderError(`jsonnet is not supported: ${name} would need a Jsonnet evaluator (exclude it with directory.exclude)`, { file });
    }
    let text: string;
    try {
      text = fs.readFile(path);
    } catch (e) {
      throw new SourceRenderError(`Failed to open "${file}": ${(e as Error).message}`, { file }, { cause: e });
    }
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (name.endsWith('.json')) readJsonFile(text, file, name, out);
    else readYamlFile(text, file, name, out);
  }
  return out;
}
