import type { FileSystem } from '../../core/index.js';
import { TemplateSet, sprigFunctions } from '../gotemplate/index.js';
import { capabilities } from './capabilities.js';
import { coalesceValues } from './coalesce.js';
import { isCompatibleRange } from './compatible.js';
import { checkDependencies, processDependencies } from './dependencies.js';
import { ChartRenderError } from './errors.js';
import { loadChart } from './loader.js';
import { renderChart, type RenderOptions, type RenderResult } from './render.js';
import { validateValues } from './schema.js';
import type { Chart } from './types.js';
import { mergeValueOptions, type ValueOptions } from './values.js';

/** Everything `helm template`/`install` needs to render a chart. */
export interface TemplateOptions extends RenderOptions {
  values?: ValueOptions;
  /** --skip-schema-validation @default false */
  skipSchemaValidation?: boolean;
  /** Called for helm's warnings ("This chart is deprecated", coalesce type mismatches). */
  warn?: (message: string) => void;
}

const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/**
 * `helm template CHART` from a path: values merged from the value options, the chart loaded
 * and checked (installable, dependencies present), then rendered by {@link renderLoadedChart}.
 */
export async function templateChart(path: string, fs: FileSystem, options: TemplateOptions = {}): Promise<RenderResult> {
  const name = options.releaseName ?? 'release-name';
  if (!RELEASE_NAME.test(name) || name.length > 53) {
    throw new ChartRenderError(
      `release name "${name}": invalid release name, must match regex ${RELEASE_NAME.source} and the length must not be longer than 53`,
    );
  }
  if (!fs.stat(path)) throw new ChartRenderError(`path "${path}" not found`, { file: path });
  const userValues = mergeValueOptions(options.values ?? {}, fs);
  const chart = await loadChart(path, fs);
  return renderLoadedChart(chart, userValues, options);
}

/** The part of helm's install after loading: the same steps, in the same order, without a cluster. */
export function renderLoadedChart(chart: Chart, userValues: Record<string, unknown>, options: TemplateOptions = {}): RenderResult {
  const type = chart.metadata.type ?? '';
  if (type !== '' && type !== 'application') throw new ChartRenderError(`${type} charts are not installable`, { file: chart.source });
  if (chart.metadata.deprecated) options.warn?.('This chart is deprecated');
  checkDependencies(chart);
  const warnings: string[] = [];
  const processed = processDependencies(chart, userValues, { warnings });
  const caps = capabilities(options.capabilities);
  const kubeVersion = (caps.fields.KubeVersion as { fields: { Version: string } }).fields.Version;
  if (processed.metadata.kubeVersion && !isCompatibleRange(processed.metadata.kubeVersion, kubeVersion)) {
    throw new ChartRenderError(
      `chart requires kubeVersion: ${processed.metadata.kubeVersion} which is incompatible with Kubernetes ${kubeVersion}`,
      { file: `${chart.source}/Chart.yaml` },
    );
  }
  const values = coalesceValues(processed, userValues, { warnings });
  if (!options.skipSchemaValidation) validateValues(processed, values);
  for (const w of warnings) options.warn?.(w);
  return renderChart(processed, values, options);
}

/** action.TemplateName: a release name from --name-template, rendered with sprig and no data. */
export function releaseNameFromTemplate(nameTemplate: string): string {
  if (nameTemplate === '') return '';
  const set = new TemplateSet({ funcs: sprigFunctions(), name: 'name-template' });
  return set.parseAndExecute('name-template', nameTemplate, null);
}
