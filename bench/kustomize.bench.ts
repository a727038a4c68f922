/**
 * Kustomize builds: every root of the kustomize corpus that has an EXPECTED output, built
 * by `kubectl kustomize` (the toolchain's, kustomize v5.8.1) and by `slipway kustomize` as
 * processes, then by Slipway in-process (warm), per root.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeFileSystem } from '../src/core/index.js';
import { kustomize, toKustomizeYaml } from '../src/engines/kustomize/index.js';
import { clusterEnv, fmt, timeCommand } from './lib.js';

const CORPUS = '/work/shared/corpus/kustomize';

function roots(): string[] {
  const out: string[] = [];
  for (const c of readdirSync(CORPUS).sort()) {
    const expected = join(CORPUS, c, 'EXPECTED');
    if (!existsSync(expected)) continue;
    for (const f of readdirSync(expected).sort()) out.push(join(CORPUS, c, f.replace(/\.yaml$/, '').split('__').join('/')));
  }
  return out;
}

export async function run(): Promise<string[]> {
  const { bin } = clusterEnv();
  const kubectl = join(bin, 'kubectl');
  const all = roots();
  let kubectlMs = 0;
  let cliMs = 0;
  for (const dir of all) {
    kubectlMs += timeCommand(kubectl, ['kustomize', dir], {});
    cliMs += timeCommand(process.execPath, [resolve('bin/slipway.js'), 'kustomize', dir], {});
  }
  // In-process: one warm-up pass, then a measured pass.
  const build = (dir: string) => toKustomizeYaml(kustomize(dir, nodeFileSystem).resources);
  for (const dir of all) build(dir);
  const perRoot: [string, number][] = [];
  let inProcessMs = 0;
  for (const dir of all) {
    const t = process.hrtime.bigint();
    build(dir);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    inProcessMs += ms;
    perRoot.push([dir.slice(CORPUS.length + 1), ms]);
  }
  const lines = [
    `corpus (${all.length} roots), whole processes: slipway ${fmt(cliMs)}, kubectl kustomize ${fmt(kubectlMs)}, ratio ${(cliMs / kubectlMs).toFixed(2)} (slipway/kubectl; below 1 is faster)`,
    `corpus in-process (warm): slipway ${fmt(inProcessMs)} in all, ratio ${(inProcessMs / kubectlMs).toFixed(2)} against kubectl's processes`,
  ];
  perRoot.sort((a, b) => b[1] - a[1]);
  for (const [root, ms] of perRoot.slice(0, 10)) lines.push(`  ${root}: ${fmt(ms)}`);
  return lines;
}
