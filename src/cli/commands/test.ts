import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import { testLogs, testRelease, wrapActionError } from '../../release/index.js';
import { collect, globals, timeoutMs, type CliContext } from '../context.js';
import { actionContext, printRelease } from './install.js';

interface TestFlags {
  timeout: string;
  logs?: boolean;
  filter: string[];
  hideNotes?: boolean;
}

/** `slipway test RELEASE`: helm test, natively — runs the chart's test hooks (Pods or Jobs). */
export function testCommand(ctx: CliContext): Command {
  return new Command('test')
    .description("Run a release's tests (helm test): its `helm.sh/hook: test` Pods and Jobs, which must succeed")
    .argument('[release]', 'release name')
    .option('--timeout <duration>', 'time to wait for each test', '5m0s')
    .option('--logs', 'print the logs of the test pods (after all tests ran, before any cleanup)')
    .option('--filter <attr=value>', "run only tests by name (name=test1) or all but some ('!name=test2'); repeatable, comma-separated", collect, [])
    .option('--hide-notes', 'do not print the notes')
    .addHelpText(
      'after',
      `
helm reads --logs from a Pod named like the test; slipway also reads the pods of a test Job.

Examples:
  slipway test web -n shop --logs`,
    )
    .action(async (name: string | undefined, flags: TestFlags, command: Command) => {
      const g = globals(command);
      if (name === undefined) throw new UsageError('"slipway test" requires 1 argument\n\nUsage:  slipway test [RELEASE] [flags]');
      const include: string[] = [];
      const exclude: string[] = [];
      for (const f of flags.filter.flatMap((v) => v.split(','))) {
        if (f.startsWith('name=')) include.push(f.slice('name='.length));
        else if (/^!\s?name=/.test(f)) exclude.push(f.replace(/^!\s?name=/, ''));
      }
      const actx = await actionContext(ctx, g);
      const namespace = g.namespace ?? actx.client.namespace;
      let result;
      try {
        result = await testRelease(actx, { name, namespace, timeoutMs: timeoutMs(flags.timeout), include, exclude });
      } catch (e) {
        throw wrapActionError('', e);
      }
      printRelease(ctx, result.release, 'table', { debug: g.debug, hideNotes: flags.hideNotes });
      if (flags.logs) {
        ctx.out('\n');
        for (const { hook, logs } of await testLogs(actx, result.release, { include, exclude })) {
          ctx.out(`POD LOGS: ${hook}\n`);
          for (const l of logs) ctx.out(`${logs.length > 1 || l.pod !== hook ? `[${l.pod}/${l.container}] ` : ''}${l.text}\n`);
        }
      }
      if (result.error) throw wrapActionError('', result.error);
    });
}
