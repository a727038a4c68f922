import { Command } from 'commander';
import { InputError, UsageError, formatKey, nodeFileSystem } from '../../core/index.js';
import { loadManifests } from '../../engines/yaml/index.js';
import {
  Inventory,
  applyManifests,
  applySet,
  defaultApplyOptions,
  waitForHealthy,
  type ChangeSet,
  type WaitState,
} from '../../kube/index.js';
import { collect, globals, timeoutMs, type CliContext } from '../context.js';
import { changeLine, failureLine, formatObjects, outputFormat } from '../output.js';

interface ApplyFlags {
  filename: string[];
  prune?: boolean;
  inventory?: string;
  dryRun?: string | boolean;
  wait?: boolean;
  timeout: string;
  fieldManager: string;
  forceConflicts?: boolean;
  output?: string;
}

export function applyCommand(ctx: CliContext): Command {
  return new Command('apply')
    .description('Server-side apply manifests from files or directories; optionally prune by inventory and wait for health')
    .option('-f, --filename <path>', 'file, directory (read recursively) or - for stdin; repeatable', collect, [])
    .option('--prune', 'delete objects the inventory holds that these manifests no longer contain')
    .option('--inventory <name>', 'name of the inventory (a ConfigMap in the -n namespace) that records what this apply owns')
    .option('--dry-run [mode]', 'ask the server what would change, change nothing (server|none)')
    .option('--wait', 'wait until every applied object is healthy')
    .option('--timeout <duration>', 'how long --wait waits', '5m')
    .option('--field-manager <name>', 'server-side apply field manager', 'slipway')
    .option('--force-conflicts', 'take over fields that other field managers own')
    .option('-o, --output <format>', 'print the resulting objects: yaml or json')
    .addHelpText(
      'after',
      `
Objects are applied in stages: CustomResourceDefinitions and Namespaces first (waiting until
the CRDs are served), then the rest in Helm's install order. Objects that would not change
are left alone and reported "unchanged".

Examples:
  slipway apply -f deploy/                          # a directory, recursively
  slipway apply -f app.yaml -n shop --wait --timeout 2m
  slipway apply -f deploy/ --prune --inventory shop-app   # remove what was dropped from deploy/
  slipway apply -f deploy/ --dry-run=server         # what would change`,
    )
    .action(async (flags: ApplyFlags, cmd: Command) => {
      const g = globals(cmd);
      const format = outputFormat(flags.output);
      if (flags.filename.length === 0) throw new UsageError('must specify -f FILE|DIR');
      if (flags.prune && !flags.inventory) throw new UsageError('--prune needs --inventory NAME, which records what earlier applies created');
      const dryRun = flags.dryRun === true || flags.dryRun === 'server' || flags.dryRun === 'client';
      if (typeof flags.dryRun === 'string' && !['server', 'client', 'none'].includes(flags.dryRun)) {
        throw new UsageError(`invalid --dry-run "${flags.dryRun}": use server or none`);
      }
      const waitMs = timeoutMs(flags.timeout);
      const manifests = loadManifests(flags.filename, nodeFileSystem, ctx.stdin);
      if (manifests.length === 0 && !flags.prune) throw new InputError('no objects passed to apply', { file: flags.filename.join(', ') });

      const client = await ctx.client(g);
      const options = {
        ...defaultApplyOptions(),
        namespace: g.namespace,
        enforceNamespace: g.namespace !== undefined,
        dryRun,
        fieldManager: flags.fieldManager,
        force: !!flags.forceConflicts,
      };
      let applied: ChangeSet;
      let pruned: ChangeSet = { changes: [] };
      if (flags.inventory) {
        const inventory = new Inventory(client, flags.inventory, g.namespace ?? client.namespace, flags.fieldManager);
        ({ applied, pruned } = await applySet(client, manifests, inventory, { ...options, prune: !!flags.prune }));
      } else {
        applied = await applyManifests(client, manifests, options);
      }

      const failures = [...applied.changes, ...pruned.changes].filter((c) => c.action === 'failed');
      if (format) {
        ctx.out(formatObjects(applied.changes.flatMap((c) => (c.object ? [c.object] : [])), format));
      } else {
        for (const c of applied.changes) if (c.action !== 'failed') ctx.out(changeLine(c, dryRun) + '\n');
        for (const c of pruned.changes) {
          if (c.action !== 'failed') ctx.out(changeLine(c, dryRun, c.action === 'deleted' ? 'pruned' : c.action) + '\n');
        }
      }
      for (const c of failures) ctx.err(failureLine(c) + '\n');

      if (flags.wait && !dryRun) {
        const refs = applied.changes.filter((c) => c.action !== 'failed').map((c) => c.ref);
        await waitForHealthy(client, refs, { timeoutMs: waitMs, onProgress: progressPrinter(ctx) });
        if (!format) ctx.out(`${refs.length} object${refs.length === 1 ? '' : 's'} healthy\n`);
      }
      if (failures.length > 0) process.exitCode = ctx.errorExitCode;
    });
}

/** Prints the objects still waited for, when that set or their reasons change. */
function progressPrinter(ctx: CliContext): (states: WaitState[]) => void {
  let last = '';
  return (states) => {
    const waiting = states.filter((s) => s.health.status !== 'Healthy');
    if (waiting.length === 0) return;
    const line = `waiting for ${waiting.length} of ${states.length}: ${waiting
      .slice(0, 3)
      .map((s) => `${formatKey(s.ref)} ${s.health.status}${s.health.message ? ` (${s.health.message})` : ''}`)
      .join('; ')}${waiting.length > 3 ? '; …' : ''}`;
    if (line !== last) ctx.err(line + '\n');
    last = line;
  };
}
