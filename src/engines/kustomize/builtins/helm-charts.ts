/**
 * HelmChartInflationGenerator (api/internal/builtins/HelmChartInflationGenerator.go,
 * api/types/helmchartargs.go): `helmCharts` entries, rendered by a renderer the caller
 * passes in (the kustomize engine does not import the chart engine). Charts are read from
 * `helmGlobals.chartHome` (default `charts/`) only: a chart that is not there is an error,
 * since Slipway never pulls. Values are built as kustomize builds the values file it hands
 * to `helm template`: the chart's values.yaml (or valuesFile) with valuesInline merged in.
 */
import { posix } from 'node:path';
import { KustomizeError, asKustomizeError } from '../errors.js';
import { objectsFromText } from '../factory.js';
import { isPlainObject, parseYamlValue } from '../internal/yaml-read.js';
import type { HelmChartSpec, HelmGlobalsSpec } from '../kustomization.js';
import type { FileLoader } from '../loader.js';
import { objectToYaml } from '../output.js';
import { Resource } from '../resource.js';
import { strategicMerge } from '../smp/index.js';
import { configError } from './patches.js';

/** What `helm template` is asked to render, as kustomize builds the command line. */
export interface HelmChartRenderArgs {
  /** The chart directory (chartHome/name, or chartHome/name-version/name with a repo). */
  chartPath: string;
  /** The release name; empty means `--generate-name`. */
  releaseName: string;
  /** `--namespace`; empty for none. */
  namespace: string;
  /** `--name-template`; empty for none. */
  nameTemplate: string;
  /** The `-f` values files in order, as YAML text: the main values, then additionalValuesFiles. */
  values: string[];
  /** `--api-versions`. */
  apiVersions: string[];
  /** `--kube-version`; empty for helm's default. */
  kubeVersion: string;
  includeCRDs: boolean;
  skipTests: boolean;
  skipHooks: boolean;
}

/**
 * Renders a chart as `helm template` does and returns its output (a YAML stream), or the
 * objects. Thrown errors become the build's error.
 */
export type HelmRenderer = (args: HelmChartRenderArgs) => string | Record<string, unknown>[];

const LEGAL_MERGE = ['merge', 'override', 'replace'];

/** Configures and runs one helmCharts entry. */
export function helmChartGenerator(
  chart: HelmChartSpec,
  globals: HelmGlobalsSpec | undefined,
  ldr: FileLoader,
  opts: { enableHelm: boolean; renderer?: HelmRenderer },
): () => Resource[] {
  const config: Record<string, unknown> = { ...globals, ...chart };
  const c: HelmChartSpec & HelmGlobalsSpec = { ...globals, ...chart };
  let absChartHome = '';
  const additional: string[] = [];
  try {
    if (!opts.enableHelm) throw new KustomizeError('must specify --enable-helm');
    if (!c.name) throw new KustomizeError('chart name cannot be empty');
    const chartHome = c.chartHome || 'charts';
    absChartHome = posix.isAbsolute(chartHome) ? chartHome : posix.join(ldr.root, chartHome);
    if (c.version && c.repo) absChartHome = posix.join(absChartHome, `${c.name}-${c.version}`);
    if (!c.valuesFile) c.valuesFile = posix.join(absChartHome, c.name, 'values.yaml');
    for (const file of c.additionalValuesFiles ?? []) {
      try {
        additional.push(ldr.load(file));
      } catch (e) {
        throw asKustomizeError(e).wrap('could not load additionalValuesFile');
      }
    }
    if (!c.valuesMerge) c.valuesMerge = 'override';
    else if (!LEGAL_MERGE.includes(c.valuesMerge)) throw new KustomizeError(`valuesMerge must be one of [${LEGAL_MERGE.join(' ')}]`);
  } catch (e) {
    throw configError(e, 'HelmChartInflationGenerator', config);
  }
  return () => {
    const chartPath = posix.join(absChartHome, c.name!);
    const st = ldr.fs.stat(chartPath);
    if (!st || !st.isDirectory) {
      if (!c.repo) throw new KustomizeError("no repo specified for pull, no chart found at ''");
      throw new KustomizeError(
        `chart ${c.name} is not in ${absChartHome} and slipway does not pull charts (no network): unpack it into ${chartPath} first (helm pull --untar --untardir ${absChartHome} ${c.repo.startsWith('oci://') ? `${c.repo.replace(/\/$/, '')}/${c.name}` : `--repo ${c.repo} ${c.name}`}${c.version ? ` --version ${c.version}` : ''})`,
      );
    }
    let mainValues: string;
    const inline = c.valuesInline ?? {};
    if (Object.keys(inline).length > 0) {
      let values: unknown = inline;
      if (c.valuesMerge === 'merge' || c.valuesMerge === 'override') {
        const chartValues = parseYamlValue(ldr.load(c.valuesFile!));
        const base = isPlainObject(chartValues) ? chartValues : {};
        const merged = c.valuesMerge === 'override' ? strategicMerge(base, inline, undefined) : strategicMerge(inline, base, undefined);
        values = merged ?? {};
      }
      mainValues = objectToYaml(values);
    } else {
      mainValues = ldr.load(c.valuesFile!);
    }
    if (!opts.renderer) throw new KustomizeError('helmCharts need a chart renderer: none was given to the kustomize engine');
    const out = opts.renderer({
      chartPath,
      releaseName: c.releaseName ?? '',
      namespace: c.namespace ?? '',
      nameTemplate: c.nameTemplate ?? '',
      values: [mainValues, ...additional],
      apiVersions: c.apiVersions ?? [],
      kubeVersion: c.kubeVersion ?? '',
      includeCRDs: !!c.includeCRDs,
      skipTests: !!c.skipTests,
      skipHooks: !!c.skipHooks,
    });
    const objects = typeof out === 'string' ? objectsFromText(out) : out;
    return objects.map((o) => {
      const r = new Resource(o);
      r.helmGenerated = true;
      r.source = chartPath;
      return r;
    });
  };
}
