// The `directory`, `kustomize` and `helm` blocks of an Argo CD source, which Slipway's own
// Application uses too, read into the render options of an AppSource.
import type { AppSource, RenderKind } from '../types.js';
import { at, type Fields, type Obj } from './fields.js';
import { isZero } from './common.js';

type Blocks = Pick<AppSource, 'directory' | 'kustomize' | 'helm'>;

/**
 * Reads the render blocks of `src` (at `path`) and the kind they name. As in Argo CD, a block
 * with nothing set counts as absent, and two blocks that both say something are an error.
 */
export function readRenderBlocks(f: Fields, src: Obj, path: string): Blocks & { kind?: RenderKind } {
  const named = (['helm', 'kustomize', 'directory'] as const).filter((k) => !isZero(src[k]));
  if (named.length > 1) f.fail(path, `only one of helm, kustomize and directory may be set, found ${named.join(', ')}`);
  const out: Blocks & { kind?: RenderKind } = {};
  if (named[0]) out.kind = named[0];
  const dir = f.obj(src.directory, at(path, 'directory'));
  if (dir) out.directory = readDirectory(f, dir, at(path, 'directory'));
  const kus = f.obj(src.kustomize, at(path, 'kustomize'));
  if (kus) out.kustomize = readKustomize(f, kus, at(path, 'kustomize'));
  const helm = f.obj(src.helm, at(path, 'helm'));
  if (helm) out.helm = readHelm(f, helm, at(path, 'helm'));
  return out;
}

function readDirectory(f: Fields, d: Obj, path: string): NonNullable<AppSource['directory']> {
  if (!isZero(d.jsonnet)) f.fail(at(path, 'jsonnet'), 'jsonnet is not supported', d.jsonnet);
  if (f.bool(d.disableExtensionFilter, at(path, 'disableExtensionFilter'))) {
    f.warn(at(path, 'disableExtensionFilter'), 'not supported; only .yaml, .yml and .json files are read');
  }
  return dropUndefined({
    recurse: f.bool(d.recurse, at(path, 'recurse')),
    include: f.str(d.include, at(path, 'include')),
    exclude: f.str(d.exclude, at(path, 'exclude')),
  });
}

function readKustomize(f: Fields, k: Obj, path: string): NonNullable<AppSource['kustomize']> {
  for (const key of ['forceCommonLabels', 'forceCommonAnnotations', 'commonAnnotationsEnvsubst', 'labelIncludeTemplates', 'version', 'kubeVersion', 'apiVersions']) {
    if (!isZero(k[key])) f.warn(at(path, key), 'not supported, ignored');
  }
  const replicas = f.objList(k.replicas, at(path, 'replicas')).map((r, i) => {
    const p = at(at(path, 'replicas'), i);
    const raw = r.count;
    // Argo CD's count is an int-or-string.
    const count = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 0) f.fail(at(p, 'count'), 'expected a non-negative integer', raw);
    return { name: f.reqStr(r.name, at(p, 'name')), count };
  });
  return dropUndefined({
    namePrefix: f.str(k.namePrefix, at(path, 'namePrefix')),
    nameSuffix: f.str(k.nameSuffix, at(path, 'nameSuffix')),
    images: f.strList(k.images, at(path, 'images')),
    commonLabels: f.strMap(k.commonLabels, at(path, 'commonLabels')),
    commonAnnotations: f.strMap(k.commonAnnotations, at(path, 'commonAnnotations')),
    namespace: f.str(k.namespace, at(path, 'namespace')),
    patches: readPatches(f, k.patches, at(path, 'patches')),
    components: f.strList(k.components, at(path, 'components')),
    ignoreMissingComponents: f.bool(k.ignoreMissingComponents, at(path, 'ignoreMissingComponents')),
    replicas: replicas.length ? replicas : undefined,
    labelWithoutSelector: f.bool(k.labelWithoutSelector, at(path, 'labelWithoutSelector')),
  });
}

/** kustomize `patches` entries ({patch | path, target, options}) as Argo CD and Flux write them. */
export function readPatches(f: Fields, v: unknown, path: string): Obj[] | undefined {
  const list = f.objList(v, path);
  for (const [i, p] of list.entries()) {
    const patch = f.str(p.patch, at(at(path, i), 'patch'));
    const file = f.str(p.path, at(at(path, i), 'path'));
    if (!patch && !file) f.fail(at(path, i), 'needs a patch or a path');
    f.obj(p.target, at(at(path, i), 'target'));
  }
  return list.length ? list : undefined;
}

function readHelm(f: Fields, h: Obj, path: string): NonNullable<AppSource['helm']> {
  const version = f.str(h.version, at(path, 'version'));
  if (version && version !== 'v3') f.fail(at(path, 'version'), 'only Helm v3 is supported', version);
  const parameters = f.objList(h.parameters, at(path, 'parameters')).map((p, i) => {
    const pp = at(at(path, 'parameters'), i);
    const forceString = f.bool(p.forceString, at(pp, 'forceString'));
    return { name: f.reqStr(p.name, at(pp, 'name')), value: f.str(p.value, at(pp, 'value')) ?? '', ...(forceString ? { forceString } : {}) };
  });
  const fileParameters = f.objList(h.fileParameters, at(path, 'fileParameters')).map((p, i) => {
    const pp = at(at(path, 'fileParameters'), i);
    return { name: f.reqStr(p.name, at(pp, 'name')), path: f.reqStr(p.path, at(pp, 'path')) };
  });
  return dropUndefined({
    releaseName: f.str(h.releaseName, at(path, 'releaseName')) || undefined,
    valueFiles: f.strList(h.valueFiles, at(path, 'valueFiles')),
    values: f.str(h.values, at(path, 'values')),
    valuesObject: f.obj(h.valuesObject, at(path, 'valuesObject')),
    parameters: parameters.length ? parameters : undefined,
    namespace: f.str(h.namespace, at(path, 'namespace')) || undefined,
    fileParameters: fileParameters.length ? fileParameters : undefined,
    ignoreMissingValueFiles: f.bool(h.ignoreMissingValueFiles, at(path, 'ignoreMissingValueFiles')),
    skipCrds: f.bool(h.skipCrds, at(path, 'skipCrds')),
    skipSchemaValidation: f.bool(h.skipSchemaValidation, at(path, 'skipSchemaValidation')),
    skipTests: f.bool(h.skipTests, at(path, 'skipTests')),
    kubeVersion: f.str(h.kubeVersion, at(path, 'kubeVersion')),
    apiVersions: f.strList(h.apiVersions, at(path, 'apiVersions')),
  });
}

/** The object without its undefined fields, so parsed specs compare and print cleanly. */
export function dropUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
