import { Command } from 'commander';
import { formatList, formatListNames, listEntries, type OutputFormat } from '../../release/index.js';
import type { CliContext } from '../context.js';
import { intFlag, openStore, outputFlag } from './status.js';

interface ListFlags {
  short?: boolean;
  noHeaders?: boolean;
  timeFormat?: string;
  date?: boolean;
  reverse?: boolean;
  all?: boolean;
  uninstalled?: boolean;
  superseded?: boolean;
  uninstalling?: boolean;
  deployed?: boolean;
  failed?: boolean;
  pending?: boolean;
  allNamespaces?: boolean;
  max: number;
  offset: number;
  filter?: string;
  selector?: string;
  output: OutputFormat;
}

/** `slipway list`: helm list's view of the releases of a namespace (or of all of them). */
export function listCommand(ctx: CliContext): Command {
  return new Command('list')
    .alias('ls')
    .description('List releases (as helm list)')
    .option('-q, --short', 'output short (quiet) listing format')
    .option('--no-headers', "don't print headers when using the default output format")
    .option('--time-format <layout>', 'format time using golang time formatter. Example: --time-format "2006-01-02 15:04:05Z0700"')
    .option('-d, --date', 'sort by release date')
    .option('-r, --reverse', 'reverse the sort order')
    .option('-a, --all', 'show all releases without any filter applied')
    .option('--uninstalled', "show uninstalled releases (if 'helm uninstall --keep-history' was used)")
    .option('--superseded', 'show superseded releases')
    .option('--uninstalling', 'show releases that are currently being uninstalled')
    .option('--deployed', 'show deployed releases. If no other is specified, this will be automatically enabled')
    .option('--failed', 'show failed releases')
    .option('--pending', 'show pending releases')
    .option('-A, --all-namespaces', 'list releases across all namespaces')
    .option('-m, --max <int>', 'maximum number of releases to fetch', intFlag('-m, --max'), 256)
    .option('--offset <int>', 'next release index in the list, used to offset from start value', intFlag('--offset'), 0)
    .option('-f, --filter <regexp>', 'a regular expression (Perl compatible). Any releases that match the expression will be included in the results')
    .option('-l, --selector <selector>', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2)")
    .option('-o, --output <format>', 'prints the output in the specified format. Allowed values: table, json, yaml', outputFlag, 'table' as OutputFormat)
    .addHelpText(
      'after',
      `
By default only deployed and failed releases are listed, sorted by name; --all, --pending,
--superseded and the other status flags change that and may be combined. Releases installed
by helm and by slipway are listed alike.`,
    )
    .action(async (flags: ListFlags, cmd: Command) => {
      const store = await openStore(ctx, cmd);
      const releases = await store.select({
        allNamespaces: !!flags.allNamespaces,
        all: !!flags.all,
        deployed: !!flags.deployed,
        failed: !!flags.failed,
        pending: !!flags.pending,
        superseded: !!flags.superseded,
        uninstalled: !!flags.uninstalled,
        uninstalling: !!flags.uninstalling,
        byDate: !!flags.date,
        reverse: !!flags.reverse,
        max: flags.max,
        offset: flags.offset,
        ...(flags.filter !== undefined ? { filter: flags.filter } : {}),
        ...(flags.selector !== undefined ? { selector: flags.selector } : {}),
      });
      if (flags.short) {
        ctx.out(formatListNames(releases, flags.output));
        return;
      }
      // commander's --no-headers sets `headers: false` rather than `noHeaders`.
      const noHeaders = (cmd.opts() as { headers?: boolean }).headers === false;
      ctx.out(formatList(listEntries(releases, flags.timeFormat ?? ''), flags.output, noHeaders));
    });
}
