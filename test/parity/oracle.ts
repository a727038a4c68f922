import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { run } from '../../src/cli/main.js';
import type { CliContext } from '../../src/cli/context.js';

/** The toolchain's bin directory (helm, kubectl); builds it when missing, which is loud and slow, never a skip. */
export function toolchainBin(): string {
  const env = execFileSync(resolve('scripts/cluster'), ['env'], { encoding: 'utf8' });
  const bin = /export PATH=(.*):"\$PATH"/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  if (!bin) throw new Error(`cannot read the toolchain path from scripts/cluster env:\n${env}`);
  if (!existsSync(join(bin, 'helm'))) {
    console.error('parity: toolchain missing; building it with scripts/cluster build');
    execFileSync(resolve('scripts/cluster'), ['build'], { stdio: 'inherit' });
  }
  return bin;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a real tool from the toolchain. */
export function runTool(tool: string, args: string[], cwd?: string): RunResult {
  const r = spawnSync(join(toolchainBin(), tool), args, { encoding: 'utf8', cwd, maxBuffer: 256 << 20, env: { ...process.env, HELM_DEBUG: '' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs slipway's CLI in this process (the same code as bin/slipway.js, without a process start per case). */
export async function runSlipway(args: string[], cwd?: string): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const ctx: CliContext = {
    out: (t) => (stdout += t),
    err: (t) => (stderr += t),
    errorExitCode: 1,
    client: () => Promise.reject(new Error('parity tests do not talk to a cluster')),
    stdin: () => '',
  };
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    process.exitCode = undefined;
    const code = await run(['node', 'slipway', ...args], ctx);
    return { code, stdout, stderr };
  } finally {
    process.exitCode = undefined;
    if (cwd) process.chdir(before);
  }
}
