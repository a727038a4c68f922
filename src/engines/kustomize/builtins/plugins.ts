/**
 * Builtin plugins named in the `generators` and `transformers` fields
 * (api/internal/plugins/loader/loader.go with builtin plugins statically linked, the only
 * kind kustomize loads without --enable-alpha-plugins): a resource with `apiVersion: builtin`
 * and a builtin's kind, configured from its own fields (sigs.k8s.io/yaml Unmarshal into the
 * builtin's struct: unknown fields ignored). Other plugins are refused, as kustomize does.
 */
import { KustomizeError, asKustomizeError } from '../errors.js';
import { toJsonable } from '../internal/go-json-decode.js';
import { FIELD_SPEC, REPLACEMENT_FIELD_TYPE, SELECTOR_TYPE, PATCH_ARGS_TYPE, IMAGE_TYPE, REPLICA_TYPE, GENERATOR_OPTIONS_TYPE, HELM_CHART_TYPE, HELM_GLOBALS_TYPE } from '../kustomization.js';
import { BOOL, STRING, decodeGo, mapOf, ptr, sliceOf, struct } from '../internal/go-json-decode.js';
import type { FieldSpec, GeneratorArgsSpec, HelmChartSpec, HelmGlobalsSpec, ImageSpec, PatchSpec, ReplacementFieldSpec, ReplicaSpec, SecretArgsSpec, SelectorSpec } from '../kustomization.js';
import type { FileLoader } from '../loader.js';
import type { ResMap } from '../resmap.js';
import { parseGroupVersion, resIdString } from '../resid.js';
import type { Resource } from '../resource.js';
import { runGenerator } from './generators.js';
import { hashTransformer } from './hash.js';
import { helmChartGenerator, type HelmRenderer } from './helm-charts.js';
import { imageTagTransformer } from './images.js';
import { annotationsTransformer, labelTransformer } from './labels.js';
import { namespaceTransformer, type RoleBindingSubjectMode } from './namespace.js';
import { patchJson6902Transformer, patchStrategicMergeTransformer, patchTransformer } from './patches.js';
import { prefixTransformer, suffixTransformer } from './prefix-suffix.js';
import { replacementTransformer } from './replacements.js';
import { replicaCountTransformer } from './replicas.js';
import type { BuiltinContext, Transformer } from './types.js';

const OBJECT_META = struct('types', 'ObjectMeta', { name: STRING, namespace: STRING, labels: mapOf(STRING), annotations: mapOf(STRING) });
const FIELD_SPECS = { fieldSpecs: sliceOf(FIELD_SPEC) };

const CONFIGS = {
  AnnotationsTransformer: struct('builtins', 'AnnotationsTransformerPlugin', { annotations: mapOf(STRING), ...FIELD_SPECS }),
  LabelTransformer: struct('builtins', 'LabelTransformerPlugin', { labels: mapOf(STRING), ...FIELD_SPECS }),
  NamespaceTransformer: struct('builtins', 'NamespaceTransformerPlugin', { metadata: OBJECT_META, ...FIELD_SPECS, unsetOnly: BOOL, setRoleBindingSubjects: STRING }),
  PrefixTransformer: struct('builtins', 'PrefixTransformerPlugin', { prefix: STRING, ...FIELD_SPECS }),
  SuffixTransformer: struct('builtins', 'SuffixTransformerPlugin', { suffix: STRING, ...FIELD_SPECS }),
  PrefixSuffixTransformer: struct('builtins', 'PrefixSuffixTransformerPlugin', { prefix: STRING, suffix: STRING, ...FIELD_SPECS }),
  ImageTagTransformer: struct('builtins', 'ImageTagTransformerPlugin', { imageTag: IMAGE_TYPE, ...FIELD_SPECS }),
  ReplicaCountTransformer: struct('builtins', 'ReplicaCountTransformerPlugin', { replica: REPLICA_TYPE, ...FIELD_SPECS }),
  PatchTransformer: struct('builtins', 'PatchTransformerPlugin', { path: STRING, patch: STRING, target: ptr(SELECTOR_TYPE), options: ptr(PATCH_ARGS_TYPE) }),
  PatchJson6902Transformer: struct('builtins', 'PatchJson6902TransformerPlugin', { target: ptr(SELECTOR_TYPE), path: STRING, jsonOp: STRING }),
  PatchStrategicMergeTransformer: struct('builtins', 'PatchStrategicMergeTransformerPlugin', { paths: sliceOf(STRING), patches: STRING }),
  ReplacementTransformer: struct('builtins', 'ReplacementTransformerPlugin', { replacements: sliceOf(REPLACEMENT_FIELD_TYPE) }),
  HashTransformer: struct('builtins', 'HashTransformerPlugin', {}),
};

const GENERATOR_FIELDS = {
  metadata: OBJECT_META,
  namespace: STRING,
  name: STRING,
  behavior: STRING,
  literals: sliceOf(STRING),
  files: sliceOf(STRING),
  envs: sliceOf(STRING),
  env: STRING,
  options: ptr(GENERATOR_OPTIONS_TYPE),
};
const GENERATOR_CONFIGS = {
  ConfigMapGenerator: struct('builtins', 'ConfigMapGeneratorPlugin', GENERATOR_FIELDS),
  SecretGenerator: struct('builtins', 'SecretGeneratorPlugin', { ...GENERATOR_FIELDS, type: STRING }),
  HelmChartInflationGenerator: struct('builtins', 'HelmChartInflationGeneratorPlugin', {}, [HELM_GLOBALS_TYPE, HELM_CHART_TYPE]),
};

const OTHER_BUILTINS = ['IAMPolicyGenerator', 'ValueAddTransformer'];

function pluginId(res: Resource): string {
  return resIdString(res.orgId());
}

/** loadAndConfigurePlugin's first step: only builtin plugins are allowed. */
function builtinKind(res: Resource): string {
  const { group, version } = parseGroupVersion(res.apiVersion);
  if (group !== '' || version !== 'builtin') throw new KustomizeError(`external plugins disabled; unable to load external plugin '${res.orgId().gvk.kind}'`);
  const kind = res.kind;
  if (!(kind in CONFIGS) && !(kind in GENERATOR_CONFIGS) && !OTHER_BUILTINS.includes(kind)) {
    const g = res.gvk();
    throw new KustomizeError(`unable to load builtin ${g.kind}.${g.version || '[noVer]'}.${g.group || '[noGrp]'}`);
  }
  if (OTHER_BUILTINS.includes(kind)) throw new KustomizeError(`the builtin plugin ${kind} is not supported by slipway`);
  return kind;
}

function decodeConfig<T>(res: Resource, type: Parameters<typeof decodeGo>[1]): T {
  try {
    return (decodeGo(toJsonable(res.obj), type, { disallowUnknownFields: false, coerceStrings: true }) ?? {}) as T;
  } catch (e) {
    throw new KustomizeError(`error unmarshaling JSON: while decoding JSON: ${(e as Error).message}`);
  }
}

function fieldSpecsOrFail(fs: FieldSpec[] | undefined): FieldSpec[] {
  if (!fs) throw new KustomizeError('fieldSpecs is not expected to be nil');
  return fs;
}

/** A transformer plugin configured from its resource (LoadTransformer). */
export function pluginTransformer(res: Resource, ctx: BuiltinContext): Transformer {
  const kind = builtinKind(res);
  if (kind in GENERATOR_CONFIGS) throw new KustomizeError(`plugin ${pluginId(res)} not a transformer`);
  try {
    switch (kind) {
      case 'AnnotationsTransformer': {
        const c = decodeConfig<{ annotations?: Record<string, string>; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.AnnotationsTransformer);
        return annotationsTransformer(c.annotations, c.fieldSpecs ?? []);
      }
      case 'LabelTransformer': {
        const c = decodeConfig<{ labels?: Record<string, string>; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.LabelTransformer);
        return labelTransformer(c.labels, c.fieldSpecs ?? []);
      }
      case 'NamespaceTransformer': {
        const c = decodeConfig<{ metadata?: { namespace?: string }; fieldSpecs?: FieldSpec[]; unsetOnly?: boolean; setRoleBindingSubjects?: string }>(res, CONFIGS.NamespaceTransformer);
        const mode = c.setRoleBindingSubjects ?? '';
        if (!['', 'defaultOnly', 'none', 'allServiceAccounts'].includes(mode)) {
          throw new KustomizeError(`invalid value "${mode}" for setRoleBindingSubjects: must be one of "defaultOnly", "none" or "allServiceAccounts"`);
        }
        return namespaceTransformer(c.metadata?.namespace ?? '', c.fieldSpecs ?? [], {
          unsetOnly: c.unsetOnly,
          setRoleBindingSubjects: (mode || 'defaultOnly') as RoleBindingSubjectMode,
        });
      }
      case 'PrefixTransformer': {
        const c = decodeConfig<{ prefix?: string; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.PrefixTransformer);
        return prefixTransformer(c.prefix ?? '', fieldSpecsOrFail(c.fieldSpecs));
      }
      case 'SuffixTransformer': {
        const c = decodeConfig<{ suffix?: string; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.SuffixTransformer);
        return suffixTransformer(c.suffix ?? '', fieldSpecsOrFail(c.fieldSpecs));
      }
      case 'PrefixSuffixTransformer': {
        const c = decodeConfig<{ prefix?: string; suffix?: string; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.PrefixSuffixTransformer);
        const p = prefixTransformer(c.prefix ?? '', fieldSpecsOrFail(c.fieldSpecs));
        const s = suffixTransformer(c.suffix ?? '', fieldSpecsOrFail(c.fieldSpecs));
        return { id: kind, transform: (m: ResMap) => (p.transform(m), s.transform(m)) };
      }
      case 'ImageTagTransformer': {
        const c = decodeConfig<{ imageTag?: ImageSpec; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.ImageTagTransformer);
        return imageTagTransformer(c.imageTag ?? {}, c.fieldSpecs ?? []);
      }
      case 'ReplicaCountTransformer': {
        const c = decodeConfig<{ replica?: ReplicaSpec; fieldSpecs?: FieldSpec[] }>(res, CONFIGS.ReplicaCountTransformer);
        return replicaCountTransformer(c.replica ?? {}, c.fieldSpecs ?? []);
      }
      case 'PatchTransformer':
        return patchTransformer(decodeConfig<PatchSpec>(res, CONFIGS.PatchTransformer), ctx, kind);
      case 'PatchJson6902Transformer': {
        const c = decodeConfig<{ target?: SelectorSpec; path?: string; jsonOp?: string }>(res, CONFIGS.PatchJson6902Transformer);
        return patchJson6902Transformer({ target: c.target, path: c.path, patch: c.jsonOp }, ctx, kind);
      }
      case 'PatchStrategicMergeTransformer': {
        const c = decodeConfig<{ paths?: string[]; patches?: string }>(res, CONFIGS.PatchStrategicMergeTransformer);
        return patchStrategicMergeTransformer(c.paths ?? [], ctx, (i) => `paths[${i}]`, c.patches ?? '');
      }
      case 'ReplacementTransformer': {
        const c = decodeConfig<{ replacements?: ReplacementFieldSpec[] }>(res, CONFIGS.ReplacementTransformer);
        return replacementTransformer(c.replacements ?? [], ctx);
      }
      case 'HashTransformer':
        return hashTransformer();
    }
  } catch (e) {
    throw asKustomizeError(e).wrap(`plugin ${pluginId(res)} fails configuration`);
  }
  throw new KustomizeError(`plugin ${pluginId(res)} not a transformer`);
}

/** A generator plugin configured from its resource (LoadGenerator). */
export function pluginGenerator(res: Resource, ldr: FileLoader, helm: { enableHelm: boolean; renderer?: HelmRenderer }): () => Resource[] {
  const kind = builtinKind(res);
  if (!(kind in GENERATOR_CONFIGS)) throw new KustomizeError(`plugin ${pluginId(res)} not a generator`);
  try {
    if (kind === 'HelmChartInflationGenerator') {
      const c = decodeConfig<HelmGlobalsSpec & HelmChartSpec>(res, GENERATOR_CONFIGS.HelmChartInflationGenerator);
      return helmChartGenerator(c, { chartHome: c.chartHome, configHome: c.configHome }, ldr, helm);
    }
    const c = decodeConfig<SecretArgsSpec & { metadata?: { name?: string; namespace?: string } }>(res, kind === 'ConfigMapGenerator' ? GENERATOR_CONFIGS.ConfigMapGenerator : GENERATOR_CONFIGS.SecretGenerator);
    const args: GeneratorArgsSpec & SecretArgsSpec = { ...c, name: c.name || c.metadata?.name, namespace: c.namespace || c.metadata?.namespace };
    return () => [runGenerator(kind === 'ConfigMapGenerator' ? 'ConfigMap' : 'Secret', args, undefined, ldr)];
  } catch (e) {
    throw asKustomizeError(e).wrap(`plugin ${pluginId(res)} fails configuration`);
  }
}
