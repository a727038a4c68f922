import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import type { KubeObject } from '../../core/index.js';
import { EXPIRES_AT_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL, PIPELINE_LABEL, RUN_LABEL, sweepExpiredTestEnvs } from '../../pipeline/index.js';
import { globals, type CliContext } from '../context.js';
import { humanDuration, kubectlTable } from './runs.js';

/** `slipway env list|gc`: the ephemeral test environments (namespaces) pipelines' env steps make. */
export function envCommand(ctx: CliContext): Command {
  const env = new Command('env').description('List and clean up ephemeral test environments made by pipeline env steps');
  env
    .command('list')
    .description('List test environments with their pipeline, run and expiry')
    .option('-o, --output <format>', 'table or json', 'table')
    .action(async (flags: { output: string }, cmd: Command) => {
      if (flags.output !== 'table' && flags.output !== 'json') throw new UsageError(`unknown output format "${flags.output}": use table or json`);
      const client = await ctx.client(globals(cmd));
      const { items } = await client.request<{ items: KubeObject[] }>('GET', '/api/v1/namespaces', {
        query: { labelSelector: `${MANAGED_BY_LABEL}=${MANAGED_BY}` },
      });
      const now = Date.now();
      const envs = items
        .filter((ns) => ns.metadata.annotations?.[EXPIRES_AT_ANNOTATION])
        .map((ns) => {
          const expires = ns.metadata.annotations![EXPIRES_AT_ANNOTATION]!;
          const left = Date.parse(expires) - now;
          return {
            name: ns.metadata.name!,
            pipeline: ns.metadata.labels?.[PIPELINE_LABEL] ?? '',
            run: ns.metadata.labels?.[RUN_LABEL] ?? '',
            expiresAt: expires,
            expired: left <= 0,
            status: ns.metadata.deletionTimestamp ? 'Terminating' : left <= 0 ? 'Expired' : 'Active',
            expires: left <= 0 ? `${humanDuration(-left)} ago` : `in ${humanDuration(left)}`,
          };
        });
      if (flags.output === 'json') {
        ctx.out(JSON.stringify(envs.map(({ expires: _e, ...rest }) => rest), null, 2) + '\n');
        return;
      }
      if (envs.length === 0) {
        ctx.err('No test environments found.\n');
        return;
      }
      ctx.out(kubectlTable([['NAME', 'PIPELINE', 'RUN', 'STATUS', 'EXPIRES'], ...envs.map((e) => [e.name, e.pipeline, e.run, e.status, e.expires])]));
    });
  env
    .command('gc')
    .description('Delete the test environments whose TTL has passed (kept on failure, or by keep: always)')
    .action(async (_flags: unknown, cmd: Command) => {
      const client = await ctx.client(globals(cmd));
      const deleted = await sweepExpiredTestEnvs(client, new Date());
      for (const name of deleted) ctx.out(`namespace/${name} deleted (expired)\n`);
      if (deleted.length === 0) ctx.out('no expired test environments\n');
    });
  return env;
}
