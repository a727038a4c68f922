/**
 * The `local` executor: each command is a shell process in the workspace, in a
 * process group of its own so a cancel or timeout stops everything it started
 * (make's children, a test server in the background), not just the shell.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import { runProcess } from '../process.js';
import { buildImageLocally } from '../steps/images.js';
import type { CommandSpec, Executor, ImageBuild, RunInfo, StepIO, StepResult } from '../executor.js';

export class LocalExecutor implements Executor {
  readonly name = 'local' as const;
  private workspace = '';

  constructor(private readonly baseEnv: NodeJS.ProcessEnv = process.env) {}

  async start(run: RunInfo): Promise<void> {
    this.workspace = run.workspace;
  }

  runCommand(cmd: CommandSpec, io: StepIO): Promise<StepResult> {
    const cwd = resolve(this.workspace, cmd.dir ?? '.');
    const rel = relative(this.workspace, cwd);
    if (rel.startsWith('..') || isAbsolute(rel)) {
      return Promise.resolve({ exitCode: 1, error: `dir "${cmd.dir}" is outside the workspace` });
    }
    const [shell, ...flags] = shellCommand(cmd.shell);
    return runProcess(shell!, [...flags, cmd.script], { cwd, env: { ...this.baseEnv, ...cmd.env } }, io);
  }

  buildImage(build: ImageBuild, io: StepIO): Promise<StepResult> {
    return buildImageLocally(build, this.workspace, io);
  }

  async finish(): Promise<void> {
    // Processes are waited for by runCommand; nothing is left to remove.
  }
}

/** `sh` runs with -e (stop at the first failing command), as Jenkins runs `sh` steps; bash adds pipefail. */
export function shellCommand(shell = 'sh'): string[] {
  if (shell === 'bash') return ['bash', '-e', '-o', 'pipefail', '-c'];
  if (shell === 'sh') return ['sh', '-e', '-c'];
  // A custom shell: "python3 {0}"-style templates are not supported; the script is its last argument.
  return [...shell.split(/\s+/).filter(Boolean), '-c'];
}
