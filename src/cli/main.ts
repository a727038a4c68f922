/**
 * The `slipway` command line. One top-level error handler: a SlipwayError prints as one
 * line (with its file:line when it has one) on stderr and exits non-zero; anything else is a
 * bug and prints its stack with a request to report it.
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { SlipwayError, formatError } from '../core/index.js';
import { appCommand } from './commands/app.js';
import { applyCommand } from './commands/apply.js';
import { controllerCommand } from './commands/controller.js';
import { diffCommand } from './commands/diff.js';
import { envCommand } from './commands/env.js';
import { gateCommand } from './commands/gate.js';
import { getCommand } from './commands/get.js';
import { historyCommand } from './commands/history.js';
import { installCommand } from './commands/install.js';
import { kustomizeCommand } from './commands/kustomize.js';
import { listCommand } from './commands/list.js';
import { policyCommand } from './commands/policy.js';
import { statusCommand } from './commands/status.js';
import { rollbackCommand } from './commands/rollback.js';
import { runCommand } from './commands/run.js';
import { runsCommand } from './commands/runs.js';
import { templateCommand } from './commands/template.js';
import { testCommand } from './commands/test.js';
import { uninstallCommand } from './commands/uninstall.js';
import { upgradeCommand } from './commands/upgrade.js';
import { webhookCommand } from './commands/webhook.js';
import { defaultContext, type CliContext } from './context.js';

/** The package version, from the nearest package.json above this file (dist/cli/ or the dist/ bundle). */
export function version(): string {
  for (const rel of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version: string };
      if (pkg.name === 'slipway') return pkg.version;
    } catch {
      // not there; try the next level up
    }
  }
  return 'unknown';
}

export function buildProgram(ctx: CliContext): Command {
  const program = new Command('slipway')
    .description('CI/CD and GitOps for Kubernetes: pipelines, Helm-compatible releases, GitOps sync, policy')
    .version(version(), '--version', 'print the version')
    .option('--kubeconfig <path>', 'kubeconfig file (default: $KUBECONFIG, then ~/.kube/config)')
    .option('--context <name>', 'kubeconfig context to use')
    .option('-n, --namespace <name>', 'namespace (default: the context\'s, else "default")')
    .option('--debug', 'print causes and stack traces of errors')
    .showHelpAfterError('(run "slipway help <command>" for usage)')
    .configureOutput({ writeOut: ctx.out, writeErr: ctx.err })
    .exitOverride();
  program.addCommand(applyCommand(ctx));
  program.addCommand(diffCommand(ctx));
  program.addCommand(templateCommand(ctx));
  program.addCommand(kustomizeCommand(ctx));
  program.addCommand(listCommand(ctx));
  program.addCommand(historyCommand(ctx));
  program.addCommand(statusCommand(ctx));
  program.addCommand(getCommand(ctx));
  program.addCommand(installCommand(ctx));
  program.addCommand(upgradeCommand(ctx));
  program.addCommand(rollbackCommand(ctx));
  program.addCommand(uninstallCommand(ctx));
  program.addCommand(testCommand(ctx));
  program.addCommand(controllerCommand(ctx));
  program.addCommand(appCommand(ctx));
  program.addCommand(gateCommand(ctx));
  program.addCommand(runCommand(ctx));
  program.addCommand(runsCommand(ctx));
  program.addCommand(envCommand(ctx));
  program.addCommand(webhookCommand(ctx));
  program.addCommand(policyCommand(ctx));
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: ctx.out, writeErr: ctx.err });
  return program;
}

/** Runs the CLI and returns the exit code. */
export async function run(argv: string[], ctx: CliContext = defaultContext()): Promise<number> {
  const program = buildProgram(ctx);
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander has printed the message already
    if (e instanceof SlipwayError) {
      ctx.err(`error: ${formatError(e)}\n`);
      if (debug) printCauses(ctx, e);
      return e.exitCode === 1 ? ctx.errorExitCode : e.exitCode;
    }
    ctx.err(`internal error (a bug in slipway; please report it with the command you ran):\n${(e as Error)?.stack ?? String(e)}\n`);
    return 70;
  }
}

function printCauses(ctx: CliContext, e: Error): void {
  let cause = e.cause;
  while (cause) {
    ctx.err(`  caused by: ${cause instanceof Error ? (cause.stack ?? cause.message) : String(cause)}\n`);
    cause = cause instanceof Error ? cause.cause : undefined;
  }
}
