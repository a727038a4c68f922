/**
 * The kustomization file (api/types/kustomization.go and its field types): every field,
 * read exactly as kustomize reads it (YAML 1.1 through sigs.k8s.io/yaml, then Go's JSON
 * decoder with unknown fields refused), FixKustomization's folding of deprecated fields,
 * the deprecation warnings, CheckEmpty and EnforceFields.
 */
import { GoYamlError, goYamlToJsonable, unmarshalGoYaml, type JsonableValue } from '../yaml/index.js';
import { KustomizeError } from './errors.js';
import { ANY, BOOL, INT, INT64, STRING, decodeGo, mapOf, ptr, sliceOf, struct, type GoType } from './internal/go-json-decode.js';

/** types.FieldSpec: a path in objects of a gvk. */
export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path?: string;
  create?: boolean;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface ResIdSpec {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
}

export interface SelectorSpec extends ResIdSpec {
  annotationSelector?: string;
  labelSelector?: string;
}

export interface PatchSpec {
  path?: string;
  patch?: string;
  target?: SelectorSpec;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface LabelSpec {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface ImageSpec {
  name?: string;
  newName?: string;
  tagSuffix?: string;
  newTag?: string;
  digest?: string;
}

export interface ReplicaSpec {
  name?: string;
  count?: number;
}

export interface FieldOptions {
  delimiter?: string;
  index?: number;
  encoding?: string;
  create?: boolean;
}

export interface SourceSelectorSpec extends ResIdSpec {
  fieldPath?: string;
  options?: FieldOptions;
}

export interface TargetSelectorSpec {
  select?: SelectorSpec;
  reject?: SelectorSpec[];
  fieldPaths?: string[];
  options?: FieldOptions;
}

export interface ReplacementSpec {
  source?: SourceSelectorSpec;
  targets?: TargetSelectorSpec[];
  sourceValue?: string;
}

export interface ReplacementFieldSpec extends ReplacementSpec {
  path?: string;
}

export interface VarSpec {
  name?: string;
  objref?: { apiVersion?: string; group?: string; version?: string; kind?: string; name?: string; namespace?: string };
  fieldref?: { fieldPath?: string };
}

export interface SortOptionsSpec {
  order?: string;
  legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] };
}

export interface GeneratorOptionsSpec {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgsSpec {
  namespace?: string;
  name?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  env?: string;
  options?: GeneratorOptionsSpec;
}

export interface SecretArgsSpec extends GeneratorArgsSpec {
  type?: string;
}

export interface HelmGlobalsSpec {
  chartHome?: string;
  configHome?: string;
}

export interface HelmChartSpec {
  name?: string;
  version?: string;
  repo?: string;
  releaseName?: string;
  namespace?: string;
  additionalValuesFiles?: string[];
  valuesFile?: string;
  valuesInline?: Record<string, unknown>;
  valuesMerge?: string;
  includeCRDs?: boolean;
  skipHooks?: boolean;
  apiVersions?: string[];
  kubeVersion?: string;
  nameTemplate?: string;
  skipTests?: boolean;
  debug?: boolean;
  devel?: boolean;
}

export interface HelmChartArgsSpec {
  chartName?: string;
  chartVersion?: string;
  chartRepoUrl?: string;
  chartHome?: string;
  chartRepoName?: string;
  helmBin?: string;
  helmHome?: string;
  values?: string;
  valuesLocal?: Record<string, unknown>;
  valuesMerge?: string;
  releaseName?: string;
  releaseNamespace?: string;
  extraArgs?: string[];
}

/** types.Kustomization. */
export interface Kustomization {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  openapi?: Record<string, string>;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: LabelSpec[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: PatchSpec[];
  patches?: PatchSpec[];
  images?: ImageSpec[];
  imageTags?: ImageSpec[];
  replacements?: ReplacementFieldSpec[];
  replicas?: ReplicaSpec[];
  vars?: VarSpec[];
  sortOptions?: SortOptionsSpec;
  resources?: string[];
  components?: string[];
  crds?: string[];
  bases?: string[];
  configMapGenerator?: GeneratorArgsSpec[];
  secretGenerator?: SecretArgsSpec[];
  helmGlobals?: HelmGlobalsSpec;
  helmCharts?: HelmChartSpec[];
  helmChartInflationGenerator?: HelmChartArgsSpec[];
  generatorOptions?: GeneratorOptionsSpec;
  configurations?: string[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  buildMetadata?: string[];
}

// --- Go types -------------------------------------------------------------------------

const GVK = struct('resid', 'Gvk', { group: STRING, version: STRING, kind: STRING });
const RES_ID = struct('resid', 'ResId', { name: STRING, namespace: STRING }, [GVK]);
export const FIELD_SPEC = struct('types', 'FieldSpec', { path: STRING, create: BOOL }, [GVK]);
const OBJECT_META = struct('types', 'ObjectMeta', { name: STRING, namespace: STRING, labels: mapOf(STRING), annotations: mapOf(STRING) });
const TYPE_META = struct('types', 'TypeMeta', { kind: STRING, apiVersion: STRING });
const SELECTOR = struct('types', 'Selector', { annotationSelector: STRING, labelSelector: STRING }, [RES_ID, GVK]);
const PATCH_ARGS = struct('types', 'PatchArgs', { allowNameChange: BOOL, allowKindChange: BOOL });
const PATCH = struct('types', 'Patch', { path: STRING, patch: STRING, target: ptr(SELECTOR), options: ptr(PATCH_ARGS) });
const LABEL = struct('types', 'Label', { pairs: mapOf(STRING), includeSelectors: BOOL, includeTemplates: BOOL, fields: sliceOf(FIELD_SPEC) });
const IMAGE = struct('types', 'Image', { name: STRING, newName: STRING, tagSuffix: STRING, newTag: STRING, digest: STRING });
const FIELD_OPTIONS = struct('types', 'FieldOptions', { delimiter: STRING, index: INT, encoding: STRING, create: BOOL });
const SOURCE_SELECTOR = struct('types', 'SourceSelector', { fieldPath: STRING, options: ptr(FIELD_OPTIONS) }, [RES_ID, GVK]);
const TARGET_SELECTOR = struct('types', 'TargetSelector', {
  select: ptr(SELECTOR),
  reject: sliceOf(ptr(SELECTOR)),
  fieldPaths: sliceOf(STRING),
  options: ptr(FIELD_OPTIONS),
});
const REPLACEMENT = struct('types', 'Replacement', { source: ptr(SOURCE_SELECTOR), targets: sliceOf(ptr(TARGET_SELECTOR)), sourceValue: ptr(STRING) });
export const REPLACEMENT_TYPE = REPLACEMENT;
const REPLACEMENT_FIELD = struct('types', 'ReplacementField', { path: STRING }, [REPLACEMENT]);
const REPLICA = struct('types', 'Replica', { name: STRING, count: INT64 });
const TARGET = struct('types', 'Target', { apiVersion: STRING, name: STRING, namespace: STRING }, [GVK]);
const VAR = struct('types', 'Var', { name: STRING, objref: TARGET, fieldref: struct('types', 'FieldSelector', { fieldPath: STRING }) });
const SORT_OPTIONS = struct('types', 'SortOptions', {
  order: STRING,
  legacySortOptions: ptr(struct('types', 'LegacySortOptions', { orderFirst: sliceOf(STRING), orderLast: sliceOf(STRING) })),
});
const GENERATOR_OPTIONS = struct('types', 'GeneratorOptions', { labels: mapOf(STRING), annotations: mapOf(STRING), disableNameSuffixHash: BOOL, immutable: BOOL });
const KV_SOURCES = struct('types', 'KvPairSources', { literals: sliceOf(STRING), files: sliceOf(STRING), envs: sliceOf(STRING), env: STRING });
const GENERATOR_ARGS = struct('types', 'GeneratorArgs', { namespace: STRING, name: STRING, behavior: STRING, options: ptr(GENERATOR_OPTIONS) }, [KV_SOURCES]);
const CONFIGMAP_ARGS = struct('types', 'ConfigMapArgs', {}, [GENERATOR_ARGS]);
const SECRET_ARGS = struct('types', 'SecretArgs', { type: STRING }, [GENERATOR_ARGS]);
const HELM_GLOBALS = struct('types', 'HelmGlobals', { chartHome: STRING, configHome: STRING });
const HELM_CHART = struct('types', 'HelmChart', {
  name: STRING,
  version: STRING,
  repo: STRING,
  releaseName: STRING,
  namespace: STRING,
  additionalValuesFiles: sliceOf(STRING),
  valuesFile: STRING,
  valuesInline: mapOf(ANY),
  valuesMerge: STRING,
  includeCRDs: BOOL,
  skipHooks: BOOL,
  apiVersions: sliceOf(STRING),
  kubeVersion: STRING,
  nameTemplate: STRING,
  skipTests: BOOL,
  debug: BOOL,
  devel: BOOL,
});
const HELM_CHART_ARGS = struct('types', 'HelmChartArgs', {
  chartName: STRING,
  chartVersion: STRING,
  chartRepoUrl: STRING,
  chartHome: STRING,
  chartRepoName: STRING,
  helmBin: STRING,
  helmHome: STRING,
  values: STRING,
  valuesLocal: mapOf(ANY),
  valuesMerge: STRING,
  releaseName: STRING,
  releaseNamespace: STRING,
  extraArgs: sliceOf(STRING),
});

const KUSTOMIZATION: GoType = struct(
  'types',
  'Kustomization',
  {
    metadata: ptr(OBJECT_META),
    openapi: mapOf(STRING),
    namePrefix: STRING,
    nameSuffix: STRING,
    namespace: STRING,
    commonLabels: mapOf(STRING),
    labels: sliceOf(LABEL),
    commonAnnotations: mapOf(STRING),
    patchesStrategicMerge: sliceOf(STRING),
    patchesJson6902: sliceOf(PATCH),
    patches: sliceOf(PATCH),
    images: sliceOf(IMAGE),
    imageTags: sliceOf(IMAGE),
    replacements: sliceOf(REPLACEMENT_FIELD),
    replicas: sliceOf(REPLICA),
    vars: sliceOf(VAR),
    sortOptions: ptr(SORT_OPTIONS),
    resources: sliceOf(STRING),
    components: sliceOf(STRING),
    crds: sliceOf(STRING),
    bases: sliceOf(STRING),
    configMapGenerator: sliceOf(CONFIGMAP_ARGS),
    secretGenerator: sliceOf(SECRET_ARGS),
    helmGlobals: ptr(HELM_GLOBALS),
    helmCharts: sliceOf(HELM_CHART),
    helmChartInflationGenerator: sliceOf(HELM_CHART_ARGS),
    generatorOptions: ptr(GENERATOR_OPTIONS),
    configurations: sliceOf(STRING),
    generators: sliceOf(STRING),
    transformers: sliceOf(STRING),
    validators: sliceOf(STRING),
    buildMetadata: sliceOf(STRING),
  },
  [TYPE_META],
);

/** builtinconfig.TransformerConfig, the `configurations` file format. */
const NAME_BACK_REFERENCES = struct('builtinconfig', 'NameBackReferences', { fieldSpecs: sliceOf(FIELD_SPEC) }, [GVK]);
export const TRANSFORMER_CONFIG: GoType = struct('builtinconfig', 'TransformerConfig', {
  namePrefix: sliceOf(FIELD_SPEC),
  nameSuffix: sliceOf(FIELD_SPEC),
  namespace: sliceOf(FIELD_SPEC),
  commonLabels: sliceOf(FIELD_SPEC),
  labels: sliceOf(FIELD_SPEC),
  templateLabels: sliceOf(FIELD_SPEC),
  commonAnnotations: sliceOf(FIELD_SPEC),
  nameReference: sliceOf(NAME_BACK_REFERENCES),
  varReference: sliceOf(FIELD_SPEC),
  images: sliceOf(FIELD_SPEC),
  replicas: sliceOf(FIELD_SPEC),
});

export const KUSTOMIZATION_VERSION = 'kustomize.config.k8s.io/v1beta1';
export const KUSTOMIZATION_KIND = 'Kustomization';
export const COMPONENT_VERSION = 'kustomize.config.k8s.io/v1alpha1';
export const COMPONENT_KIND = 'Component';

/**
 * sigs.k8s.io/yaml YAMLToJSON of a text: go-yaml v2 values with JSON-able keys. Errors are
 * go-yaml's text ("yaml: line 1: did not find expected node content").
 */
export function yamlToJsonable(text: string): JsonableValue {
  try {
    return goYamlToJsonable(unmarshalGoYaml(text));
  } catch (e) {
    if (e instanceof GoYamlError || (e instanceof Error && e.name === 'GoJsonError')) throw new KustomizeError(e.message, undefined, undefined, { cause: e });
    throw e;
  }
}

/** Kustomization.Unmarshal: "invalid Kustomization: ..." for YAML or type errors. */
export function parseKustomization(text: string): Kustomization {
  let json: JsonableValue;
  try {
    json = yamlToJsonable(text);
  } catch (e) {
    throw new KustomizeError(`invalid Kustomization: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
  try {
    return (decodeGo(json, KUSTOMIZATION) ?? {}) as Kustomization;
  } catch (e) {
    throw new KustomizeError(`invalid Kustomization: ${(e as Error).message}`, undefined, undefined, { cause: e });
  }
}

const FIX_HINT = "Run 'kustomize edit fix' to update your Kustomization automatically.";
const FIX_HINT_EXPERIMENTAL = "[EXPERIMENTAL] Run 'kustomize edit fix' to update your Kustomization automatically.";

/** Kustomization.CheckDeprecatedFields: the warnings kustomize prints on stderr. */
export function deprecationWarnings(k: Kustomization): string[] {
  const out: string[] = [];
  if (k.bases !== undefined) out.push(`# Warning: 'bases' is deprecated. Please use 'resources' instead. ${FIX_HINT}`);
  if (k.commonLabels !== undefined) out.push(`# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. ${FIX_HINT}`);
  if (k.imageTags !== undefined) out.push(`# Warning: 'imageTags' is deprecated. Please use 'images' instead. ${FIX_HINT}`);
  if (k.patchesJson6902 !== undefined) out.push(`# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. ${FIX_HINT}`);
  if (k.patchesStrategicMerge !== undefined) out.push(`# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. ${FIX_HINT}`);
  if (k.vars !== undefined) out.push(`# Warning: 'vars' is deprecated. Please use 'replacements' instead. ${FIX_HINT_EXPERIMENTAL}`);
  return out;
}

/** Kustomization.FixKustomization: defaults and the deprecated fields folded into their successors. */
export function fixKustomization(k: Kustomization): void {
  if (!k.kind) k.kind = KUSTOMIZATION_KIND;
  if (!k.apiVersion) k.apiVersion = k.kind === COMPONENT_KIND ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
  if (k.bases) k.resources = [...(k.resources ?? []), ...k.bases];
  delete k.bases;
  if (k.imageTags) k.images = [...(k.images ?? []), ...k.imageTags];
  delete k.imageTags;
  for (const g of [...(k.configMapGenerator ?? []), ...(k.secretGenerator ?? [])]) {
    if (g.env) {
      g.envs = [...(g.envs ?? []), g.env];
      delete g.env;
    }
  }
  const old = k.helmChartInflationGenerator ?? [];
  if (old.length > 0) {
    const globals: HelmGlobalsSpec = {};
    const charts: HelmChartSpec[] = [];
    for (const o of old) {
      charts.push({
        name: o.chartName,
        version: o.chartVersion,
        repo: o.chartRepoUrl,
        valuesFile: o.values,
        valuesInline: o.valuesLocal,
        valuesMerge: o.valuesMerge,
        releaseName: o.releaseName,
      });
      if (o.helmHome) globals.configHome = o.helmHome;
      if (o.chartHome) globals.chartHome = o.chartHome;
    }
    if (!k.helmGlobals && (globals.chartHome || globals.configHome)) k.helmGlobals = globals;
    k.helmCharts = [...(k.helmCharts ?? []), ...charts];
  }
  delete k.helmChartInflationGenerator;
}

/** Kustomization.CheckEmpty: nothing but apiVersion and kind. */
export function isEmptyKustomization(k: Kustomization): boolean {
  // reflect.DeepEqual with a Kustomization holding only the TypeMeta: zero values count as
  // absent, empty but present lists and maps do not.
  return Object.entries(k).every(([key, v]) => key === 'apiVersion' || key === 'kind' || v === undefined || v === '' || v === false || v === 0);
}

/** Kustomization.EnforceFields. */
export function enforceFields(k: Kustomization): string[] {
  const errs: string[] = [];
  if (k.kind && k.kind !== KUSTOMIZATION_KIND && k.kind !== COMPONENT_KIND) errs.push(`kind should be ${KUSTOMIZATION_KIND} or ${COMPONENT_KIND}`);
  const required = k.kind === COMPONENT_KIND ? COMPONENT_VERSION : KUSTOMIZATION_VERSION;
  if (k.apiVersion && k.apiVersion !== required) errs.push(`apiVersion for ${k.kind} should be ${required}`);
  return errs;
}

/** Decodes a transformer configuration file (UnmarshalStrict: unknown fields refused, numbers coerced into string fields). */
export function decodeTransformerConfig(json: JsonableValue): unknown {
  return decodeGo(json, TRANSFORMER_CONFIG, { coerceStrings: true });
}

export { decodeGo, INT, ptr, sliceOf, struct };
export {
  SELECTOR as SELECTOR_TYPE,
  PATCH_ARGS as PATCH_ARGS_TYPE,
  IMAGE as IMAGE_TYPE,
  REPLICA as REPLICA_TYPE,
  REPLACEMENT_FIELD as REPLACEMENT_FIELD_TYPE,
  GENERATOR_OPTIONS as GENERATOR_OPTIONS_TYPE,
  HELM_CHART as HELM_CHART_TYPE,
  HELM_GLOBALS as HELM_GLOBALS_TYPE,
};
