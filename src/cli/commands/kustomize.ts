import { statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError, nodeFileSystem } from '../../core/index.js';
import {
  formatTemplateOutput,
  loadChartFiles,
  mergeMaps,
  readChartDirectory,
  releaseNameFromTemplate,
  renderLoadedChart,
  unmarshalValues,
} from '../../engines/chart/index.js';
import { individualFiles, kustomize, toKustomizeYaml, type HelmChartRenderArgs, type LoadRestrictor } from '../../engines/kustomize/index.js';
import type { CliContext } from '../context.js';

interface KustomizeFlags {
  loadRestrictor: string;
  enableHelm?: boolean;
  output?: string;
}

const RESTRICTORS: readonly string[] = ['LoadRestrictionsRootOnly', 'LoadRestrictionsNone'];

/**
 * helmCharts rendered by Slipway's chart engine, as kustomize's HelmChartInflationGenerator
 * runs `helm template`: the chart from its local directory, the values files in order.
 */
export function renderHelmChart(args: HelmChartRenderArgs, warn: (m: string) => void): string {
  const chart = loadChartFiles(readChartDirectory(args.chartPath, nodeFileSystem), args.chartPath);
  let values = {};
  for (const text of args.values) values = mergeMaps(values, unmarshalValues(text));
  let releaseName = args.releaseName;
  if (releaseName === '') {
    // helm template --generate-name, or --name-template
    releaseName = args.nameTemplate ? releaseNameFromTemplate(args.nameTemplate) : `${chart.metadata.name}-${Math.floor(Date.now() / 1000)}`;
  }
  const result = renderLoadedChart(chart, values, {
    releaseName,
    namespace: args.namespace || 'default',
    capabilities: { apiVersions: args.apiVersions, kubeVersion: args.kubeVersion || undefined },
    warn,
  });
  return formatTemplateOutput(result, { includeCrds: args.includeCRDs, noHooks: args.skipHooks, skipTests: args.skipTests });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** `slipway kustomize DIR`: the stream `kubectl kustomize DIR` prints, built natively. */
export function kustomizeCommand(ctx: CliContext): Command {
  return new Command('kustomize')
    .description('Build a kustomization directory, exactly as `kubectl kustomize` does, without kubectl')
    .argument('[dir]', 'directory holding kustomization.yaml', '.')
    .option('--load-restrictor <restrictor>', "LoadRestrictionsRootOnly, or LoadRestrictionsNone to let kustomizations read files outside their root", 'LoadRestrictionsRootOnly')
    .option('--enable-helm', 'render helmCharts entries (with Slipway\'s chart engine; charts must be present locally)')
    .option('-o, --output <path>', 'write the output to this file instead of stdout; to an existing directory, one file per object')
    .addHelpText(
      'after',
      `
Remote bases (git URLs, http resources) are not fetched: builds are offline.

Examples:
  slipway kustomize overlays/production
  slipway kustomize . --enable-helm -o rendered.yaml`,
    )
    .action((dir: string, flags: KustomizeFlags) => {
      if (!RESTRICTORS.includes(flags.loadRestrictor)) {
        throw new UsageError(`illegal flag value --load-restrictor ${flags.loadRestrictor}; legal values: [${RESTRICTORS.join(' ')}]`);
      }
      const warn = (m: string) => ctx.err(`${m}\n`);
      const result = kustomize(resolve(dir), nodeFileSystem, {
        loadRestrictor: flags.loadRestrictor as LoadRestrictor,
        enableHelm: !!flags.enableHelm,
        helmRenderer: (args) => renderHelmChart(args, (m) => ctx.err(`WARNING: ${m}\n`)),
        warn,
      });
      if (flags.output && isDirectory(flags.output)) {
        for (const [name, text] of individualFiles(result.resources)) writeFileSync(join(flags.output, name), text);
        return;
      }
      const text = toKustomizeYaml(result.resources);
      if (flags.output) writeFileSync(flags.output, text);
      else ctx.out(text);
    });
}
