/**
 * The `local` executor: each command is a shell process in the workspace, in a
 * process group of its own so a cancel or timeout stops everything it started
 * (make's children, a test server in the background), not just the shell.
 */
import { spawn } from 'node:child_process';
import { isAbsolute, relative, resolve } from 'node:path';
import { buildImageLocally } from '../steps/images.js';
import type { CommandSpec, Executor, ImageBuild, RunInfo, StepIO, StepResult } from '../executor.js';

/** After SIGTERM, how long a process group gets before SIGKILL. */
const KILL_GRACE_MS = 5_000;

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

/**
 * Runs one process, streaming its output to `io`. The result is its exit
 * code, or 128+signal when a signal ended it (as shells report it).
 */
export function runProcess(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
  io: StepIO,
): Promise<StepResult> {
  return new Promise((resolvePromise) => {
    if (io.signal.aborted) {
      resolvePromise({ exitCode: 130, error: abortReason(io.signal) });
      return;
    }
    let child;
    try {
      child = spawn(command, args, { cwd: options.cwd, env: options.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (e) {
      resolvePromise({ exitCode: 127, error: `cannot start ${command}: ${(e as Error).message}` });
      return;
    }
    let killTimer: NodeJS.Timeout | undefined;
    const stop = () => {
      signalGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    io.signal.addEventListener('abort', stop, { once: true });
    child.stdout.setEncoding('utf8').on('data', (text: string) => io.write('stdout', text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => io.write('stderr', text));
    child.on('error', (e) => {
      io.signal.removeEventListener('abort', stop);
      resolvePromise({ exitCode: 127, error: `cannot start ${command}: ${e.message}` });
    });
    child.on('close', (code, signal) => {
      io.signal.removeEventListener('abort', stop);
      clearTimeout(killTimer);
      // The shell may be gone while a background child it started still runs; the group goes with it.
      signalGroup(child.pid, 'SIGKILL');
      if (io.signal.aborted) {
        resolvePromise({ exitCode: code ?? 128 + signalNumber(signal), error: abortReason(io.signal) });
      } else if (signal) {
        resolvePromise({ exitCode: 128 + signalNumber(signal), error: `killed by ${signal}` });
      } else {
        resolvePromise({ exitCode: code ?? 1 });
      }
    });
  });
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // the group has already exited
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
  return (signal && numbers[signal]) || 1;
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : 'cancelled';
}
