/**
 * Releases: `slipway upgrade --install --wait` against `helm upgrade --install --wait` (the
 * toolchain's helm v3.22.0) for a few corpus charts on the local control plane, each tool
 * into a fresh namespace of its own (and its own release name, since some charts make
 * cluster-scoped objects named after the release). Whole processes, start-up included: the
 * install, then the median of three upgrades that change nothing, then the uninstall.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { clusterEnv, fmt, median, timeCommand } from './lib.js';

const CORPUS = '/work/shared/corpus/helm';

/** Corpus charts that roll out on kwok; extra values where a default needs what kwok lacks (a storage class). */
const CHARTS: [string, string[]][] = [
  ['prometheus-pushgateway', []],
  ['alertmanager', ['--set', 'persistence.enabled=false']],
  ['kube-state-metrics', []],
  ['prometheus-blackbox-exporter', []],
];

export function run(): string[] {
  const { kubeconfig, bin } = clusterEnv();
  const helm = join(bin, 'helm');
  const kubectl = join(bin, 'kubectl');
  const env = { KUBECONFIG: kubeconfig };
  const slipway = (args: string[]) => timeCommand(process.execPath, [resolve('bin/slipway.js'), ...args], env);
  const helmRun = (args: string[]) => timeCommand(helm, args, env);
  const ratio = (a: number, b: number) => `slipway ${fmt(a)}, helm ${fmt(b)}, ratio ${(a / b).toFixed(2)}`;
  const lines: string[] = [];
  const totals = { s: 0, h: 0 };
  const stamp = Date.now().toString(36);
  for (const [chart, values] of CHARTS) {
    const path = join(CORPUS, chart);
    const nsS = `bench-rs-${stamp}-${chart}`.slice(0, 63);
    const nsH = `bench-rh-${stamp}-${chart}`.slice(0, 63);
    const relS = `s${stamp}`;
    const relH = `h${stamp}`;
    const flags = (ns: string) => ['-n', ns, '--create-namespace', '--wait', '--timeout', '300s', ...values];
    try {
      const install = [slipway(['upgrade', '--install', relS, path, ...flags(nsS)]), helmRun(['upgrade', '--install', relH, path, ...flags(nsH)])] as const;
      const upgradeS = median([1, 2, 3].map(() => slipway(['upgrade', relS, path, ...flags(nsS)])));
      const upgradeH = median([1, 2, 3].map(() => helmRun(['upgrade', relH, path, ...flags(nsH)])));
      const uninstall = [slipway(['uninstall', relS, '-n', nsS, '--wait']), helmRun(['uninstall', relH, '-n', nsH, '--wait'])] as const;
      totals.s += install[0] + upgradeS + uninstall[0];
      totals.h += install[1] + upgradeH + uninstall[1];
      lines.push(
        `${chart}: install --wait ${ratio(...install)}; upgrade (no change) ${ratio(upgradeS, upgradeH)}; uninstall --wait ${ratio(...uninstall)}`,
      );
    } finally {
      for (const ns of [nsS, nsH]) execFileSync(kubectl, ['delete', 'namespace', ns, '--ignore-not-found', '--wait=false'], { env: { ...process.env, ...env }, stdio: 'ignore' });
    }
  }
  lines.unshift(`release lifecycle of ${CHARTS.length} corpus charts, whole processes: ${ratio(totals.s, totals.h)} (slipway/helm; below 1 is faster)`);
  return lines;
}
