import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import { UsageError, nodeFileSystem } from '../../core/index.js';
import { formatTemplateOutput, releaseNameFromTemplate, templateChart, templateOutputFiles } from '../../engines/chart/index.js';
import { collect, globals, type CliContext } from '../context.js';
import { addValuesFlags, valueOptions, type ValuesFlags } from '../values-flags.js';

interface TemplateFlags extends ValuesFlags {
  apiVersions: string[];
  kubeVersion?: string;
  includeCrds?: boolean;
  skipCrds?: boolean;
  showOnly: string[];
  isUpgrade?: boolean;
  outputDir?: string;
  releaseName?: boolean;
  noHooks?: boolean;
  skipTests?: boolean;
  skipSchemaValidation?: boolean;
  strict?: boolean;
  nameTemplate?: string;
  generateName?: boolean;
}

/** pflag's StringSlice: each value is CSV, so `--api-versions a,b` is two versions. */
function csv(values: string[]): string[] {
  return values.flatMap((v) => v.split(',')).filter((v) => v !== '');
}

/** `slipway template [NAME] CHART`: helm template's output, rendered natively. */
export function templateCommand(ctx: CliContext): Command {
  return addValuesFlags(
    new Command('template')
      .description('Render a Helm chart locally, exactly as `helm template` does, without helm')
      .argument('[name]', 'release name (default "release-name")')
      .argument('[chart]', 'chart directory or .tgz archive'),
    'set values (helm strvals syntax: a.b=1,c[0]=x); repeatable',
  )
    .option('-a, --api-versions <version>', 'Kubernetes API versions for .Capabilities.APIVersions; repeatable', collect, [])
    .option('--kube-version <version>', 'Kubernetes version for .Capabilities.KubeVersion (default v1.37.0)')
    .option('--include-crds', 'include the chart\'s crds/ in the output')
    .option('--skip-crds', 'leave out crds/ (the default for template)')
    .option('-s, --show-only <path>', 'only show manifests rendered from these templates (e.g. templates/deployment.yaml); repeatable', collect, [])
    .option('--is-upgrade', 'set .Release.IsUpgrade instead of .Release.IsInstall')
    .option('--output-dir <dir>', 'write each template to a file in this directory instead of stdout')
    .option('--release-name', 'with --output-dir, put files under a directory named after the release')
    .option('--no-hooks', 'leave out hooks')
    .option('--skip-tests', 'leave out test hooks')
    .option('--skip-schema-validation', 'do not check values against values.schema.json')
    .option('--strict', 'fail on missing values (missingkey=error)')
    .option('--name-template <template>', 'name the release with a template, e.g. \'web-{{ randAlphaNum 5 | lower }}\'')
    .option('-g, --generate-name', 'generate the release name (ignored by template, as in helm: the name defaults to "release-name")')
    .addHelpText(
      'after',
      `
Arguments and flags are helm's. Objects in templates see what they see in helm:
.Values .Release .Chart .Capabilities .Files .Template .Subcharts; lookup returns an empty
map and getHostByName an empty string, as in helm template.

Examples:
  slipway template ./mychart
  slipway template web ./mychart -n shop -f values-production.yaml --set image.tag=1.2.3
  slipway template ./mychart --show-only templates/deployment.yaml`,
    )
    .action(async (nameArg: string | undefined, chartArg: string | undefined, flags: TemplateFlags, cmd: Command) => {
      const g = globals(cmd);
      if (nameArg === undefined) throw new UsageError('"slipway template" requires at least 1 argument');
      if (chartArg !== undefined && flags.nameTemplate) throw new UsageError('cannot set --name-template and also specify a name');
      if (chartArg !== undefined && flags.generateName) throw new UsageError('cannot set --generate-name and also specify a name');
      const chart = chartArg ?? nameArg;
      const name = chartArg !== undefined ? nameArg : flags.nameTemplate ? releaseNameFromTemplate(flags.nameTemplate) : 'release-name';
      const warn = (m: string) => ctx.err(`WARNING: ${m}\n`);
      const result = await templateChart(chart, nodeFileSystem, {
        releaseName: name,
        namespace: g.namespace ?? 'default',
        isUpgrade: !!flags.isUpgrade,
        strict: !!flags.strict,
        skipSchemaValidation: !!flags.skipSchemaValidation,
        capabilities: { kubeVersion: flags.kubeVersion, apiVersions: csv(flags.apiVersions) },
        values: valueOptions(flags),
        warn,
      });
      const output = {
        includeCrds: !!flags.includeCrds && !flags.skipCrds,
        noHooks: flags.noHooks === false,
        skipTests: !!flags.skipTests,
        showOnly: flags.showOnly,
      };
      if (flags.outputDir) {
        const base = flags.releaseName ? join(flags.outputDir, name) : flags.outputDir;
        for (const [file, text] of templateOutputFiles(result, output)) {
          const path = join(base, file);
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, text);
          ctx.out(`wrote ${path}\n`);
        }
        return;
      }
      ctx.out(formatTemplateOutput(result, output));
    });
}
