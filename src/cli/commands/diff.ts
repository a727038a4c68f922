import { Command } from 'commander';
import { InputError, UsageError, nodeFileSystem } from '../../core/index.js';
import { diffName, diffObjects } from '../../engines/diff/index.js';
import { loadManifests } from '../../engines/yaml/index.js';
import { applyManifests, defaultApplyOptions } from '../../kube/index.js';
import { collect, globals, type CliContext } from '../context.js';
import { failureLine } from '../output.js';

interface DiffFlags {
  filename: string[];
  fieldManager: string;
  forceConflicts?: boolean;
}

export function diffCommand(ctx: CliContext): Command {
  return new Command('diff')
    .description('Show what apply would change, as a unified diff of live and merged objects')
    .option('-f, --filename <path>', 'file, directory (read recursively) or - for stdin; repeatable', collect, [])
    .option('--field-manager <name>', 'server-side apply field manager', 'slipway')
    .option('--force-conflicts', 'diff as if taking over fields other managers own')
    .addHelpText(
      'after',
      `
The merged side is the server's answer to a server-side apply dry run, so defaults,
admission and other managers' fields are taken into account. Secret values are masked.

Exit status (as kubectl diff): 0 no differences, 1 differences found, 2 an error.`,
    )
    .action(async (flags: DiffFlags, cmd: Command) => {
      ctx.errorExitCode = 2;
      const g = globals(cmd);
      if (flags.filename.length === 0) throw new UsageError('must specify -f FILE|DIR');
      const manifests = loadManifests(flags.filename, nodeFileSystem, ctx.stdin);
      if (manifests.length === 0) throw new InputError('no objects passed to diff', { file: flags.filename.join(', ') });
      const client = await ctx.client(g);
      const result = await applyManifests(client, manifests, {
        ...defaultApplyOptions(),
        namespace: g.namespace,
        enforceNamespace: g.namespace !== undefined,
        dryRun: true,
        fieldManager: flags.fieldManager,
        force: !!flags.forceConflicts,
      });
      let changed = false;
      for (const c of result.changes) {
        if (c.action === 'failed') {
          ctx.err(failureLine(c) + '\n');
          continue;
        }
        const merged = c.object;
        const text = diffObjects(c.before, merged, diffName(merged ?? c.before!));
        if (text) {
          changed = true;
          ctx.out(text);
        }
      }
      if (result.changes.some((c) => c.action === 'failed')) process.exitCode = 2;
      else if (changed) process.exitCode = 1;
    });
}
