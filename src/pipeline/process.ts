/**
 * Child processes of steps: in a process group of their own, so a cancel or timeout stops
 * everything a step started (make's children, a server left in the background), not just
 * the shell; output streamed to the step's log.
 */
import { spawn } from 'node:child_process';
import type { StepIO, StepResult } from './executor.js';

/** After SIGTERM, how long a process group gets before SIGKILL. */
const KILL_GRACE_MS = 5_000;

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
