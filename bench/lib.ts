import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Paths of the local control plane: its kubeconfig and toolchain bin dir (from `scripts/cluster env`). */
export function clusterEnv(): { kubeconfig: string; bin: string } {
  const env = execFileSync(resolve('scripts/cluster'), ['env'], { encoding: 'utf8' });
  const kubeconfig = /export KUBECONFIG=(.*)/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  const bin = /export PATH=(.*):"\$PATH"/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  if (!kubeconfig || !bin) throw new Error(`cannot read scripts/cluster env output:\n${env}`);
  return { kubeconfig, bin };
}

/** Wall time of one command in ms; throws with its stderr when it fails. */
export function timeCommand(cmd: string, args: string[], env: Record<string, string>): number {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 && !(args[0] === 'diff' && r.status === 1)) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  }
  return ms;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const fmt = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)}s` : `${ms.toFixed(0)}ms`);
