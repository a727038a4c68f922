import { Command } from 'commander';
import { formatHistory, historyEntries, type OutputFormat } from '../../release/index.js';
import type { CliContext } from '../context.js';
import { intFlag, openStore, outputFlag } from './status.js';

interface HistoryFlags {
  max: number;
  output: OutputFormat;
}

/** `slipway history RELEASE`: helm history's table (or JSON/YAML) of a release's revisions. */
export function historyCommand(ctx: CliContext): Command {
  return new Command('history')
    .alias('hist')
    .description('Fetch release history (as helm history)')
    .argument('<release>', 'release name')
    .option('--max <int>', 'maximum number of revision to include in history', intFlag('--max'), 256)
    .option('-o, --output <format>', 'prints the output in the specified format. Allowed values: table, json, yaml', outputFlag, 'table' as OutputFormat)
    .addHelpText(
      'after',
      `
Revisions are listed oldest first; --max keeps the newest N. Example:

  $ slipway history web
  REVISION	UPDATED                 	STATUS    	CHART      	APP VERSION	DESCRIPTION
  1       	Mon Oct  3 10:15:13 2016	superseded	alpine-0.1.0	1.0        	Install complete
  2       	Mon Oct  3 10:16:02 2016	deployed  	alpine-0.1.0	1.0        	Upgrade complete`,
    )
    .action(async (name: string, flags: HistoryFlags, cmd: Command) => {
      const store = await openStore(ctx, cmd);
      const history = await store.requireHistory(name);
      ctx.out(formatHistory(historyEntries(history, flags.max), flags.output));
    });
}
