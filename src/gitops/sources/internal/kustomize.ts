/**
 * Kustomize sources: the kustomization file edited in memory the way Argo CD edits it
 * (util/kustomize/kustomize.go Build: `kustomize edit set nameprefix|namesuffix|image|replicas|
 * namespace`, `edit add label|annotation|component`, patches appended to the file) and the way
 * Flux's generator does (fluxcd/pkg kustomize/kustomize_generator.go: targetNamespace, patches,
 * images by name, components, a kustomization generated when there is none), then built with
 * Slipway's kustomize engine over an overlay FileSystem, so the checkout is never written.
 * The `kustomize edit` rules are those of kustomize/commands/edit (set/setimage.go,
 * add/addmetadata.go, add/addcomponent.go).
 */
import { posix } from 'node:path';
import type { FileSystem, Manifest } from '../../../core/index.js';
import { kustomize, type HelmRenderer } from '../../../engines/kustomize/index.js';
import { compareGoStrings } from '../../../engines/goruntime/index.js';
import { parseYamlStream, yamlToJson } from '../../../engines/yaml/index.js';
import { SourceRenderError } from '../errors.js';
import type { KustomizeImage, KustomizeRenderOptions } from '../types.js';
import { isSymlink } from './checkout-fs.js';
import { KUSTOMIZATION_NAMES } from './directory.js';
import { argoEnvsubst } from './go-expand.js';
import { overlayFileSystem } from './overlay-fs.js';

type Kustomization = Record<string, unknown>;

/** The kustomization file of `dir` (Argo's findKustomizeFile order), or undefined. */
export function findKustomizationFile(dir: string, fs: FileSystem): string | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const path = posix.join(dir, name);
    if (fs.stat(path)?.isDirectory === false) return path;
  }
  return undefined;
}

function hasEdits(o: KustomizeRenderOptions): boolean {
  return !!(
    o.namePrefix ||
    o.nameSuffix ||
    o.images?.length ||
    o.replicas?.length ||
    (o.commonLabels && Object.keys(o.commonLabels).length > 0) ||
    (o.commonAnnotations && Object.keys(o.commonAnnotations).length > 0) ||
    o.namespace ||
    o.patches?.length ||
    o.components?.length
  );
}

function readKustomization(path: string, fs: FileSystem): Kustomization {
  const text = fs.readFile(path);
  let value: unknown;
  try {
    value = JSON.parse(yamlToJson(text, path));
  } catch (e) {
    throw new SourceRenderError(`cannot read the kustomization to apply overrides: ${(e as Error).message}`, { file: path }, { cause: e });
  }
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new SourceRenderError('the kustomization is not a YAML map', { file: path });
  return value as Kustomization;
}

/** setimage.go parse: `name=new:tag`, `name=new@digest`, `name=new`, `name:tag`, `name@digest`. */
export function parseImageArg(arg: string): KustomizeImage {
  const overwrite = (s: string, allowBare: boolean): { name: string; tag?: string; digest?: string } => {
    const at = s.split('@');
    if (at.length > 1) return { name: at[0]!, digest: at[1]! };
    const m = /^(.*):([a-zA-Z0-9._-]*|\*)$/.exec(s);
    if (m) return { name: m[1]!, tag: m[2]! };
    if (s.length > 0 && allowBare) return { name: s };
    throw new SourceRenderError(`invalid format of image "${arg}", use one of: <image>=<newimage>:<newtag>, <image>=<newimage>@<digest>, <image>=<newimage>, <image>:<newtag>, <image>@<digest>`);
  };
  const eq = arg.split('=');
  if (eq.length === 2) {
    const p = overwrite(eq[1]!, true);
    return clean({ name: eq[0]!, newName: p.name, newTag: p.tag, digest: p.digest });
  }
  const p = overwrite(arg, false);
  return clean({ name: p.name, newTag: p.tag, digest: p.digest });
}

function clean(img: { name: string; newName?: string | undefined; newTag?: string | undefined; digest?: string | undefined }): KustomizeImage {
  const out: KustomizeImage = { name: img.name };
  if (img.newName) out.newName = img.newName;
  if (img.newTag) out.newTag = img.newTag;
  if (img.digest) out.digest = img.digest;
  return out;
}

/** `kustomize edit set image`: fields merged into an entry of the same name, entries sorted by name. */
function setImages(k: Kustomization, args: KustomizeImage[]): void {
  const existing = (Array.isArray(k.images) ? k.images : []) as KustomizeImage[];
  const pending = new Map(args.map((a) => [a.name, a]));
  const byName = new Map<string, KustomizeImage>();
  for (const im of existing) {
    const arg = pending.get(im.name);
    if (arg) {
      const merged: KustomizeImage = { ...im };
      if (arg.newName) merged.newName = arg.newName;
      if (arg.newTag) {
        merged.newTag = arg.newTag;
        delete merged.digest;
      }
      if (arg.digest) {
        merged.digest = arg.digest;
        delete merged.newTag;
      }
      byName.set(im.name, merged);
      pending.delete(im.name);
    } else {
      byName.set(im.name, im);
    }
  }
  for (const [name, im] of pending) byName.set(name, im);
  k.images = [...byName.values()].sort((a, b) => compareGoStrings(a.name, b.name));
}

/** Flux: an image replaces the entry of the same name, or is appended. */
function replaceImage(k: Kustomization, img: KustomizeImage): void {
  const images = (Array.isArray(k.images) ? [...k.images] : []) as KustomizeImage[];
  const i = images.findIndex((im) => im.name === img.name);
  const entry = clean(img);
  if (i >= 0) images[i] = entry;
  else images.push(entry);
  k.images = images;
}

/** addmetadata.go writeToMap. */
function addMetadata(map: Record<string, string>, values: Record<string, string>, force: boolean, kind: 'label' | 'annotation'): void {
  for (const [key, value] of Object.entries(values)) {
    if (Object.hasOwn(map, key) && !force) {
      throw new SourceRenderError(`${kind} ${key} already in kustomization file. Use --force to override.`);
    }
    map[key] = value;
  }
}

function stringMap(v: unknown): Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, string>) } : {};
}

/** Argo's KustomizeReplica.GetIntCount. */
function replicaCount(count: number | string): number {
  if (typeof count === 'number' && Number.isInteger(count)) return count;
  if (typeof count === 'string' && /^[+-]?[0-9]+$/.test(count)) return Number.parseInt(count, 10);
  throw new SourceRenderError(`expected integer value for count. Received: ${count}`);
}

/** Applies the overrides to a parsed kustomization, in Argo's order. */
function applyEdits(k: Kustomization, o: KustomizeRenderOptions, env: Readonly<Record<string, string>> | undefined, dir: string, fs: FileSystem): void {
  if (o.namePrefix) k.namePrefix = o.namePrefix;
  if (o.nameSuffix) k.nameSuffix = o.nameSuffix;
  const argoImages: KustomizeImage[] = [];
  for (const image of o.images ?? []) {
    if (typeof image === 'string') argoImages.push(parseImageArg(argoEnvsubst(image, env)));
    else replaceImage(k, image);
  }
  if (argoImages.length > 0) setImages(k, argoImages);
  if (o.replicas?.length) {
    const replicas = (Array.isArray(k.replicas) ? [...k.replicas] : []) as { name: string; count: number }[];
    for (const r of o.replicas) {
      const entry = { name: r.name, count: replicaCount(r.count) };
      const i = replicas.findIndex((x) => x.name === r.name);
      if (i >= 0) replicas[i] = entry;
      else replicas.push(entry);
    }
    k.replicas = replicas;
  }
  if (o.commonLabels && Object.keys(o.commonLabels).length > 0) {
    const values = Object.fromEntries(Object.entries(o.commonLabels).map(([key, v]) => [key, argoEnvsubst(v, env)]));
    if (o.labelWithoutSelector) {
      const pairs: Record<string, string> = {};
      addMetadata(pairs, values, !!o.forceCommonLabels, 'label');
      const labels = Array.isArray(k.labels) ? [...k.labels] : [];
      labels.push({ pairs, ...(o.labelIncludeTemplates ? { includeTemplates: true } : {}) });
      k.labels = labels;
    } else {
      const map = stringMap(k.commonLabels);
      addMetadata(map, values, !!o.forceCommonLabels, 'label');
      k.commonLabels = map;
    }
  }
  if (o.commonAnnotations && Object.keys(o.commonAnnotations).length > 0) {
    const values = o.commonAnnotationsEnvsubst
      ? Object.fromEntries(Object.entries(o.commonAnnotations).map(([key, v]) => [key, argoEnvsubst(v, env)]))
      : o.commonAnnotations;
    const map = stringMap(k.commonAnnotations);
    addMetadata(map, values, !!o.forceCommonAnnotations, 'annotation');
    k.commonAnnotations = map;
  }
  if (o.namespace) k.namespace = o.namespace;
  if (o.patches?.length) {
    if (k.patches !== undefined && k.patches !== null && !Array.isArray(k.patches)) throw new SourceRenderError('kustomization file not valid: patches is not a list');
    k.patches = [...((k.patches as unknown[] | null | undefined) ?? []), ...o.patches];
  }
  if (o.components?.length) {
    const components = (Array.isArray(k.components) ? [...k.components] : []) as string[];
    for (const c of o.components) {
      const isRemote = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(c);
      if (!isRemote && !fs.stat(posix.join(dir, c))) {
        if (o.ignoreMissingComponents) continue;
        throw new SourceRenderError(`component ${c} has no match in ${dir}`);
      }
      if (!components.includes(c)) components.push(c);
    }
    k.components = components;
  }
}

/**
 * kustomize-controller's generateKustomization: every .yaml/.yml file below `dir` (which must
 * decode as Kubernetes YAML) and every sub-directory holding a kustomization (not descended
 * into), as `./`-relative resources.
 */
export function generateKustomization(dir: string, fs: FileSystem): Kustomization {
  const resources: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const name of fs.readDir(d).sort(compareGoStrings)) {
      const path = posix.join(d, name);
      const childRel = `${rel}/${name}`;
      const st = fs.stat(path);
      if (!st) continue;
      if (st.isDirectory) {
        // filepath.Walk lstats: symlinked directories are neither listed nor descended into.
        if (name === '.git' || isSymlink(fs, path)) continue;
        if (findKustomizationFile(path, fs)) resources.push(childRel);
        else walk(path, childRel);
        continue;
      }
      const ext = posix.extname(name);
      if (ext !== '.yaml' && ext !== '.yml') continue;
      try {
        for (const doc of parseYamlStream(fs.readFile(path), path)) {
          if (doc.value !== null && (typeof doc.value !== 'object' || Array.isArray(doc.value))) throw new Error('a document is not a YAML map');
        }
      } catch (e) {
        throw new SourceRenderError(`failed to decode Kubernetes YAML from ${path}: ${(e as Error).message}`, { file: path }, { cause: e });
      }
      resources.push(childRel);
    }
  };
  walk(dir, '.');
  return { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources };
}

/** Options of a kustomize render beyond the kustomization overrides. */
export interface KustomizeBuildContext {
  env?: Readonly<Record<string, string>>;
  /** Renders helmCharts entries (with enableHelm). */
  helmRenderer?: HelmRenderer;
  warn: (message: string) => void;
}

/** Builds `dir` with the overrides applied; origins point at files relative to `relTo`. */
export function renderKustomize(dir: string, relTo: string, fs: FileSystem, o: KustomizeRenderOptions, ctx: KustomizeBuildContext): Manifest[] {
  const overlay = new Map<string, string>();
  const file = findKustomizationFile(dir, fs);
  let k: Kustomization | undefined;
  let target = file;
  if (!file && o.generateKustomization) {
    k = generateKustomization(dir, fs);
    target = posix.join(dir, 'kustomization.yaml');
  }
  if (hasEdits(o)) {
    if (!target) throw new SourceRenderError(`kustomization file not found in the path ${posix.relative(relTo, dir) || '.'}`, { file: dir });
    k ??= readKustomization(target, fs);
    applyEdits(k, o, ctx.env, dir, fs);
  }
  // JSON is YAML: the edited kustomization is handed over as JSON text.
  if (k && target) overlay.set(target, `${JSON.stringify(k, null, 2)}\n`);
  const result = kustomize(dir, overlayFileSystem(fs, overlay), {
    loadRestrictor: o.loadRestrictor ?? 'LoadRestrictionsRootOnly',
    enableHelm: !!o.enableHelm,
    ...(ctx.helmRenderer ? { helmRenderer: ctx.helmRenderer } : {}),
    warn: ctx.warn,
  });
  return result.resources.map((m) => relativeOrigin(m, relTo));
}

/** Origins of built objects name files relative to the checkout. */
function relativeOrigin(m: Manifest, relTo: string): Manifest {
  const rel = (p: string) => (p === relTo ? '.' : p.startsWith(`${relTo}/`) ? posix.relative(relTo, p) : p);
  const at = m.origin.at ? { ...m.origin.at, file: rel(m.origin.at.file) } : undefined;
  const source = m.origin.source.startsWith('kustomize:') ? `kustomize:${rel(m.origin.source.slice('kustomize:'.length))}` : m.origin.source;
  return { ...m, origin: { ...m.origin, source, ...(at ? { at } : {}) } };
}

