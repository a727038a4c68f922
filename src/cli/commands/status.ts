import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { ReleaseStore, formatStatus, type OutputFormat } from '../../release/index.js';
import { globals, type CliContext } from '../context.js';

// Flag parsing shared by the read-only release commands (history, status, list, get), with
// the error texts of helm's pflag/cobra flags.

/** A pflag int flag: strconv.ParseInt(text, 0, 64), with pflag's error text. */
export function intFlag(flag: string): (text: string) => number {
  return (text) => {
    const m = /^([+-]?)(?:0[xX]([0-9a-fA-F]+)|0[oO]?([0-7]+)|0[bB]([01]+)|([1-9][0-9]*|0))$/.exec(text);
    const n = m ? parseInt(m[2] ?? m[3] ?? m[4] ?? m[5]!, m[2] ? 16 : m[3] ? 8 : m[4] ? 2 : 10) * (m[1] === '-' ? -1 : 1) : NaN;
    if (!Number.isSafeInteger(n)) {
      throw new UsageError(`invalid argument "${text}" for "${flag}" flag: strconv.ParseInt: parsing "${text}": invalid syntax`);
    }
    return n;
  };
}

/** helm's -o/--output flag value (table, json or yaml). */
export function outputFlag(text: string): OutputFormat {
  if (text === 'table' || text === 'json' || text === 'yaml') return text;
  throw new UsageError(`invalid argument "${text}" for "-o, --output" flag: invalid format type`);
}

/** The release store of the command's namespace (-n, else the kubeconfig context's). */
export async function openStore(ctx: CliContext, cmd: Command): Promise<ReleaseStore> {
  const g = globals(cmd);
  const client = await ctx.client(g);
  return new ReleaseStore(client, g.namespace ?? client.namespace);
}

interface StatusFlags {
  revision: number;
  output: OutputFormat;
  showDesc?: boolean;
}

/** `slipway status RELEASE`: helm status's output for a stored release. */
export function statusCommand(ctx: CliContext): Command {
  return new Command('status')
    .description('Display the status of the named release (as helm status)')
    .argument('<release>', 'release name')
    .option('--revision <int>', 'if set, display the status of the named release with revision', intFlag('--revision'), 0)
    .option('-o, --output <format>', 'prints the output in the specified format. Allowed values: table, json, yaml', outputFlag, 'table' as OutputFormat)
    .option('--show-desc', 'if set, display the description message of the named release')
    .addHelpText(
      'after',
      `
The status consists of the last deployment time, the namespace, the state of the release
(unknown, deployed, uninstalled, superseded, failed, uninstalling, pending-install,
pending-upgrade or pending-rollback), its revision, the last test suite run and the notes.
Releases installed by helm and by slipway are read alike.`,
    )
    .action(async (name: string, flags: StatusFlags, cmd: Command) => {
      const store = await openStore(ctx, cmd);
      const rel = await store.releaseContent(name, flags.revision);
      ctx.out(formatStatus(rel, flags.output, { showDescription: !!flags.showDesc }));
    });
}
