import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { formatGetAll, formatHooks, formatManifest, formatMetadata, formatNotes, formatValues, type OutputFormat, type Release } from '../../release/index.js';
import type { CliContext } from '../context.js';
import { intFlag, openStore, outputFlag } from './status.js';

interface RevisionFlags {
  revision: number;
}

/** One `get` subcommand: reads the release (or one revision) and prints what `show` makes of it. */
function getSubcommand(
  ctx: CliContext,
  name: string,
  description: string,
  show: (rel: Release, flags: RevisionFlags & Record<string, unknown>) => string,
): Command {
  return new Command(name)
    .description(description)
    .argument('<release>', 'release name')
    .option('--revision <int>', 'get the named release with revision', intFlag('--revision'), 0)
    .action(async (release: string, flags: RevisionFlags & Record<string, unknown>, cmd: Command) => {
      const store = await openStore(ctx, cmd);
      ctx.out(show(await store.releaseContent(release, flags.revision), flags));
    });
}

/** `slipway get all|values|manifest|hooks|notes|metadata RELEASE`: helm get's outputs. */
export function getCommand(ctx: CliContext): Command {
  const outputOption = ['-o, --output <format>', 'prints the output in the specified format. Allowed values: table, json, yaml', outputFlag, 'table'] as const;
  const cmd = new Command('get').description('Download extended information of a named release (as helm get)');
  cmd.addCommand(
    getSubcommand(ctx, 'all', 'download all information for a named release', (rel, flags) => {
      if (flags.template !== undefined) throw new UsageError('--template is not supported yet; use -o json with a JSON tool instead');
      return formatGetAll(rel);
    }).option('--template <template>', 'go template for formatting the output (not supported yet)'),
  );
  cmd.addCommand(
    getSubcommand(ctx, 'values', 'download the values file for a named release', (rel, flags) =>
      formatValues(rel, flags.output as OutputFormat, !!flags.all),
    )
      .option('-a, --all', 'dump all (computed) values')
      .option(...outputOption),
  );
  cmd.addCommand(getSubcommand(ctx, 'manifest', 'download the manifest for a named release', (rel) => formatManifest(rel)));
  cmd.addCommand(getSubcommand(ctx, 'hooks', 'download all hooks for a named release', (rel) => formatHooks(rel)));
  cmd.addCommand(getSubcommand(ctx, 'notes', 'download the notes for a named release', (rel) => formatNotes(rel)));
  cmd.addCommand(
    getSubcommand(ctx, 'metadata', 'This command fetches metadata for a given release', (rel, flags) =>
      formatMetadata(rel, flags.output as OutputFormat),
    ).option(...outputOption),
  );
  for (const sub of cmd.commands) sub.exitOverride().configureOutput({ writeOut: ctx.out, writeErr: ctx.err });
  return cmd;
}
