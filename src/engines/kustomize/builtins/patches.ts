/**
 * The patch builtins: PatchTransformer (`patches`), PatchStrategicMergeTransformer
 * (`patchesStrategicMerge`) and PatchJson6902Transformer (`patchesJson6902`), from
 * api/internal/builtins/Patch*.go, api/resource.ApplySmPatch and resWrangler.ApplySmPatch.
 * The merge itself and RFC 6902 come from ../smp.
 */
import { KustomizeError, asKustomizeError } from '../errors.js';
import { handleYamlError, resourcesFromText } from '../factory.js';
import { isPlainObject } from '../internal/yaml-read.js';
import type { PatchSpec, SelectorSpec } from '../kustomization.js';
import { objectToYaml } from '../output.js';
import type { ResMap, Selector } from '../resmap.js';
import { selectorString } from '../resmap.js';
import { resIdString } from '../resid.js';
import type { Resource } from '../resource.js';
import { applyJson6902, decodeJson6902, strategicMerge } from '../smp/index.js';
import { goQuote } from '../../goruntime/index.js';
import type { BuiltinContext, Transformer } from './types.js';

/** The selector as types.Selector for ResMap.select. */
export function toSelector(s: SelectorSpec): Selector {
  return {
    group: s.group,
    version: s.version,
    kind: s.kind,
    name: s.name,
    namespace: s.namespace,
    labelSelector: s.labelSelector,
    annotationSelector: s.annotationSelector,
  };
}

/** sigs.k8s.io/yaml Marshal of a plugin config (empty fields left out), for "trouble configuring" messages. */
export function configYaml(c: Record<string, unknown>): string {
  const prune = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.length === 0 ? undefined : v.map(prune);
    if (isPlainObject(v)) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const p = prune(x);
        if (p !== undefined && p !== '' && p !== false) out[k] = p;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    return v;
  };
  const p = prune(c);
  return p === undefined ? '{}\n' : objectToYaml(p);
}

/** The wrapping configureBuiltinPlugin puts around a builtin's configuration error. */
export function configError(e: unknown, builtin: string, config: Record<string, unknown>): KustomizeError {
  return asKustomizeError(e).wrap(`trouble configuring builtin ${builtin} with config: \`\n${configYaml(config)}\``);
}

/**
 * Resource.ApplySmPatch: merges the patch into the resource; the name, namespace and kind
 * come back afterwards unless the patch allows a change. An empty result deletes the resource.
 */
export function applySmPatchToResource(r: Resource, patch: Resource): void {
  const n = r.name;
  const ns = r.namespace;
  const k = r.kind;
  if (patch.allowNameChange || patch.allowKindChange) r.storePreviousId();
  let merged: Record<string, unknown> | undefined;
  try {
    merged = strategicMerge(r.obj, patch.obj, undefined);
  } catch (e) {
    throw asKustomizeError(e);
  }
  if (merged === undefined || Object.keys(merged).length === 0) {
    r.obj = {};
    return;
  }
  r.obj = merged;
  if (!patch.allowKindChange) r.setKind(k);
  if (!patch.allowNameChange) r.setName(n);
  r.setNamespace(ns);
}

/** resWrangler.ApplySmPatch: the patch, fitted to each selected resource, merged into it. */
export function applySmPatchToSelected(m: ResMap, selected: ReadonlySet<Resource>, patch: Resource): void {
  const keep: Resource[] = [];
  for (const res of m.resources()) {
    if (selected.has(res)) {
      const copy = patch.deepCopy();
      // CopyMergeMetaDataFieldsFrom(patch): labels and annotations become string maps, name and namespace are set again.
      copy.setLabels({ ...patch.labels(), ...copy.labels() });
      copy.setAnnotations({ ...patch.annotations(), ...copy.annotations() });
      copy.setName(patch.name);
      copy.setNamespace(patch.namespace);
      copy.setGvk(res.gvk());
      copy.setKind(patch.kind);
      applySmPatchToResource(res, copy);
    }
    if (!res.isEmpty()) keep.push(res);
  }
  m.clear();
  m.appendAll(keep);
}

/** RFC 6902 on one resource (patchjson6902.Filter): through JSON and back, as kustomize does. */
export function applyJsonPatchToResource(r: Resource, ops: unknown[]): void {
  let result: Record<string, unknown>;
  try {
    result = applyJson6902(toJsonValue(r.obj) as Record<string, unknown>, ops);
  } catch (e) {
    throw asKustomizeError(e);
  }
  r.obj = result;
  // SetAnnotations afterwards looks up (or creates) metadata.
  if (!('metadata' in r.obj)) r.obj.metadata = {};
  const meta = r.obj.metadata;
  if (isPlainObject(meta) && 'annotations' in meta) {
    const a = r.annotations();
    r.setAnnotations(a);
  }
}

/** A value as Go's json.Marshal/Unmarshal round trip leaves it (numbers become float64). */
export function toJsonValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new KustomizeError(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
    return v;
  }
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toJsonValue(x);
    return out;
  }
  return v;
}

function decodeOps(text: string): unknown[] {
  try {
    return decodeJson6902(text);
  } catch (e) {
    throw asKustomizeError(e);
  }
}

/** The PatchTransformer builtin for one `patches` entry; configuration errors are thrown here. */
export function patchTransformer(spec: PatchSpec, ctx: BuiltinContext, entry: string): Transformer {
  const config: Record<string, unknown> = { path: spec.path, patch: spec.patch, target: spec.target, options: spec.options };
  let smPatches: Resource[] | undefined;
  let jsonOps: unknown[] | undefined;
  let patchText: string;
  let patchSource: string;
  try {
    const inline = (spec.patch ?? '').trim();
    const path = spec.path ?? '';
    if (inline === '' && path === '') throw new KustomizeError(`must specify one of patch and path in\n${configYaml(config)}`);
    if (inline !== '' && path !== '') throw new KustomizeError(`patch and path can't be set at the same time\n${configYaml(config)}`);
    if (inline !== '') {
      patchText = inline;
      patchSource = `[patch: ${goQuote(patchText)}]`;
    } else {
      try {
        patchText = ctx.ldr.load(path);
      } catch (e) {
        throw new KustomizeError(`failed to get the patch file from path(${path}): ${asKustomizeError(e).kustomizeMessage}`);
      }
      patchSource = `[path: ${goQuote(path)}]`;
    }
    let sm: Resource[] | undefined;
    let smErr: unknown;
    let json: unknown[] | undefined;
    let jsonErr: unknown;
    try {
      sm = resourcesFromText(patchText);
    } catch (e) {
      smErr = e;
    }
    try {
      json = decodeOps(patchText);
    } catch (e) {
      jsonErr = e;
    }
    if (sm !== undefined && json !== undefined && sm.length > 0 && json.length > 0) {
      throw new KustomizeError(`illegally qualifies as both an SM and JSON patch: ${patchSource}`);
    }
    if (smErr !== undefined && jsonErr !== undefined) throw new KustomizeError(`unable to parse SM or JSON patch from ${patchSource}`);
    if (smErr === undefined) {
      smPatches = sm!.length > 0 ? sm : undefined;
      for (const p of sm!) {
        if (spec.options?.allowNameChange) p.allowNameChange = true;
        if (spec.options?.allowKindChange) p.allowKindChange = true;
      }
    } else {
      jsonOps = json;
    }
  } catch (e) {
    throw configError(e, 'PatchTransformer', config);
  }
  const target = spec.target;
  return {
    id: 'PatchTransformer',
    entry,
    transform(m: ResMap) {
      if (smPatches) {
        if (target) {
          if (smPatches.length > 1) {
            throw new KustomizeError(`Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${patchSource}`);
          }
          let selected: Resource[];
          try {
            selected = m.select(toSelector(target));
          } catch (e) {
            throw new KustomizeError(`unable to find patch target ${goQuote(selectorString(toSelector(target)))} in \`resources\`: ${(e as Error).message}`);
          }
          applySmPatchToSelected(m, new Set(selected), smPatches[0]!);
          return;
        }
        for (const patch of smPatches) {
          let t: Resource;
          const id = patch.orgId();
          try {
            t = m.getById(id);
          } catch (e) {
            throw new KustomizeError(`no resource matches strategic merge patch ${goQuote(resIdString(id))}: ${asKustomizeError(e).kustomizeMessage}`);
          }
          applySmPatchToResource(t, patch);
        }
        m.invalidate();
        return;
      }
      if (jsonOps) {
        if (!target) throw new KustomizeError(`must specify a target for JSON patch ${patchSource}`);
        const ops = jsonOps;
        for (const res of m.select(toSelector(target))) {
          res.storePreviousId();
          applyJsonPatchToResource(res, ops);
        }
        m.invalidate();
      }
    },
  };
}

/** The PatchStrategicMergeTransformer builtin (all `patchesStrategicMerge` entries). */
export function patchStrategicMergeTransformer(paths: readonly string[], ctx: BuiltinContext, entry: (i: number) => string, inline = ''): Transformer {
  const patches: { patch: Resource; index: number }[] = [];
  if (paths.length === 0 && inline === '') {
    throw configError(new KustomizeError('empty file path and empty patch content'), 'PatchStrategicMergeTransformer', { paths, patches: inline });
  }
  paths.forEach((path, index) => {
    let loaded: Resource[];
    try {
      try {
        loaded = resourcesFromText(path);
      } catch {
        const text = ctx.ldr.load(path);
        try {
          loaded = resourcesFromText(text);
        } catch (e) {
          throw handleYamlError(asKustomizeError(e), path);
        }
      }
    } catch (e) {
      throw configError(e, 'PatchStrategicMergeTransformer', { paths }).withEntry(entry(index));
    }
    for (const p of loaded) patches.push({ patch: p, index });
  });
  if (inline !== '') {
    try {
      for (const p of resourcesFromText(inline)) patches.push({ patch: p, index: -1 });
    } catch (e) {
      throw configError(e, 'PatchStrategicMergeTransformer', { paths, patches: inline });
    }
  }
  if (patches.length === 0) {
    throw configError(new KustomizeError(`patch appears to be empty; files=[${paths.join(' ')}], Patch=${inline}`), 'PatchStrategicMergeTransformer', { paths });
  }
  return {
    id: 'PatchStrategicMergeTransformer',
    transform(m: ResMap) {
      for (const { patch, index } of patches) {
        try {
          const target = m.getById(patch.orgId());
          applySmPatchToSelected(m, new Set([target]), patch);
        } catch (e) {
          throw asKustomizeError(e).withEntry(index >= 0 ? entry(index) : undefined);
        }
      }
    },
  };
}

/** The PatchJson6902Transformer builtin for one `patchesJson6902` entry. */
export function patchJson6902Transformer(spec: PatchSpec, ctx: BuiltinContext, entry: string): Transformer {
  const config: Record<string, unknown> = { target: spec.target, path: spec.path, jsonOp: spec.patch };
  let ops: unknown[];
  let jsonOp = spec.patch ?? '';
  try {
    if (!spec.target?.name) throw new KustomizeError('must specify the target name');
    if ((spec.path ?? '') === '' && jsonOp === '') throw new KustomizeError('empty file path and empty jsonOp');
    if (spec.path) {
      if (jsonOp !== '') throw new KustomizeError('must specify a file path or jsonOp, not both');
      jsonOp = ctx.ldr.load(spec.path);
      if (jsonOp === '') throw new KustomizeError(`patch file '${spec.path}' empty seems to be empty`);
    }
    try {
      ops = decodeOps(jsonOp);
    } catch (e) {
      const msg = asKustomizeError(e).kustomizeMessage.replace(/^error converting YAML to JSON: /, '');
      throw new KustomizeError(/^yaml: /.test(msg) ? msg : `decoding ${jsonOp}: ${msg}`);
    }
    if (ops.length === 0) throw new KustomizeError(`patch appears to be empty; file=${spec.path ?? ''}, JsonOp=${jsonOp}`);
  } catch (e) {
    throw configError(e, 'PatchJson6902Transformer', config);
  }
  const target = spec.target!;
  return {
    id: 'PatchJson6902Transformer',
    entry,
    transform(m: ResMap) {
      for (const res of m.select(toSelector(target))) applyJsonPatchToResource(res, ops);
      m.invalidate();
    },
  };
}
