/**
 * chart — Helm charts, rendered natively as helm v3.22 renders them: loading (directories
 * and .tgz, .helmignore, Chart.yaml v1/v2 validation), values (values.yaml, -f, --set and
 * friends with helm's strvals, coalescing down the subchart tree with globals), dependency
 * processing (conditions, tags, aliases, import-values), values.schema.json, rendering
 * through gotemplate with Helm's functions and objects, and helm's manifest sorting, hook
 * split, NOTES and `# Source:` output.
 * Pure: reads files only through core's FileSystem; imports core, gotemplate and yaml.
 * Behaviour follows helm pkg/chart, pkg/chartutil, pkg/engine, pkg/releaseutil,
 * pkg/strvals and pkg/action (renderResources), and cmd/helm/template.go for the output.
 */
export type { Chart, ChartDependency, ChartFile, ChartLock, ChartMaintainer, ChartMetadata, GoMap } from './types.js';
export { loadChart, loadChartArchive, loadChartFiles, readChartDirectory } from './loader.js';
export { mergeValueOptions, mergeMaps, unmarshalValues, type ValueOptions } from './values.js';
export { coalesceValues, type CoalesceOptions } from './coalesce.js';
export { checkDependencies, processDependencies } from './dependencies.js';
export { parseSet, parseSetString, parseSetLiteral } from './strvals.js';
export { validateValues, schemaErrors } from './schema.js';
export { capabilities, parseKubeVersion, DEFAULT_API_VERSIONS, DEFAULT_KUBE_VERSION, HELM_VERSION, type CapabilitiesOptions } from './capabilities.js';
export { helmFunctions, toYamlText, type HelmFunctionOptions, type LookupFunction } from './helm-funcs.js';
export { renderChart, sortTemplatePaths, type RenderOptions, type RenderResult } from './render.js';
export { sortManifests, splitManifests, type ManifestHead, type RenderedHook, type RenderedManifest } from './manifests.js';
export { formatTemplateOutput, templateOutputFiles, matchFilepath, type TemplateOutputOptions } from './output.js';
export { templateChart, renderLoadedChart, releaseNameFromTemplate, type TemplateOptions } from './template.js';
export { ChartRenderError } from './errors.js';
