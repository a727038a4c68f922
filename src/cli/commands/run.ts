import { dirname, resolve } from 'node:path';
import { Command } from 'commander';
import { UsageError } from '../../core/index.js';
import {
  KubernetesExecutor,
  LocalExecutor,
  PipelineRunner,
  PlainReporter,
  TtyReporter,
  clusterSteps,
  gitFacts,
  loadPipeline,
  openRunStore,
  type Executor,
  type ExecutorName,
} from '../../pipeline/index.js';
import { collect, globals, type CliContext } from '../context.js';

interface RunFlags {
  param?: string[];
  executor?: string;
  fromStage?: string;
  store: string;
  workspace?: string;
  progress: string;
}

/** Exit codes: the run's result (0 succeeded, 1 failed, 130 cancelled); bad input is 1 with the file and line on stderr. */
export function runCommand(ctx: CliContext): Command {
  return new Command('run')
    .description('Run a pipeline (slipway.yaml or a declarative Jenkinsfile)')
    .argument('<file>', 'pipeline file: slipway.yaml (kind Pipeline) or a Jenkinsfile')
    .option('-p, --param <key=value>', 'set a pipeline parameter (repeatable)', collect)
    .option('--executor <name>', 'local (processes in the workspace) or kubernetes (each step a Job in the cluster)')
    .option('--from-stage <name>', 'skip the top-level stages before this one')
    .option('--store <dir>', 'run store directory', '.slipway')
    .option('--workspace <dir>', 'workspace directory (default: the directory holding the pipeline file)')
    .option('--progress <mode>', 'auto, tty (live tree) or plain (one line per event)', 'auto')
    .addHelpText(
      'after',
      `
Runs are numbered per pipeline (BUILD_NUMBER 1, 2, 3...) and stored under --store; see
"slipway runs list|show|logs". Ctrl-C stops the running steps (processes or Pods) and
marks the run cancelled; a second Ctrl-C exits at once.

Exit status: 0 the run succeeded, 1 it failed (or the pipeline file is invalid), 130 cancelled.`,
    )
    .action(async (file: string, flags: RunFlags, cmd: Command) => {
      const options = globals(cmd);
      const params: Record<string, string> = {};
      for (const kv of flags.param ?? []) {
        const eq = kv.indexOf('=');
        if (eq <= 0) throw new UsageError(`invalid --param "${kv}": use key=value`);
        params[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      if (!['auto', 'tty', 'plain'].includes(flags.progress)) throw new UsageError(`invalid --progress "${flags.progress}": use auto, tty or plain`);
      const pipeline = await loadPipeline(file, (note) => ctx.err(`note: ${note}\n`));
      const executorName = (flags.executor ?? pipeline.executor ?? 'local') as ExecutorName;
      if (executorName !== 'local' && executorName !== 'kubernetes') {
        throw new UsageError(`unknown executor "${executorName}": use local or kubernetes`);
      }
      const workspace = resolve(flags.workspace ?? dirname(file));
      const storeDir = resolve(flags.store);
      const store = openRunStore(storeDir);
      store.recoverAbandoned();
      const executor: Executor =
        executorName === 'kubernetes' ? new KubernetesExecutor({ client: await ctx.client(options) }) : new LocalExecutor();
      const tty = flags.progress === 'tty' || (flags.progress === 'auto' && process.stdout.isTTY === true && !process.env.CI);
      const reporter = tty ? new TtyReporter(ctx.out) : new PlainReporter(ctx.out);

      const cancel = new AbortController();
      let interrupts = 0;
      const onSignal = () => {
        interrupts++;
        if (interrupts > 1) process.exit(130);
        ctx.err('\ncancelling: stopping running steps (Ctrl-C again to exit at once)\n');
        cancel.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      try {
        const run = await new PipelineRunner({
          pipeline,
          workspace,
          store,
          cacheDir: resolve(storeDir, 'caches'),
          executor,
          params,
          fromStage: flags.fromStage,
          git: await gitFacts(workspace),
          signal: cancel.signal,
          reporter,
          cluster: async () => clusterSteps(await ctx.client(options)),
        }).execute();
        process.exitCode = run.status === 'succeeded' ? 0 : run.status === 'cancelled' ? 130 : 1;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        store.close();
      }
    });
}
