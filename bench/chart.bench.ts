/**
 * Chart rendering: the whole helm corpus (every chart with default values and with each of
 * its ci/*.yaml) rendered by `helm template` (the toolchain's v3.22.0) and by `slipway
 * template` as processes, then by Slipway in-process (warm), per chart.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { nodeFileSystem } from '../src/core/index.js';
import { formatTemplateOutput, templateChart } from '../src/engines/chart/index.js';
import { clusterEnv, fmt, timeCommand } from './lib.js';

const CORPUS = '/work/shared/corpus/helm';

interface Case {
  chart: string;
  values: string[];
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const chart of readdirSync(CORPUS).sort()) {
    if (!existsSync(join(CORPUS, chart, 'Chart.yaml'))) continue;
    out.push({ chart, values: [] });
    const ci = join(CORPUS, chart, 'ci');
    if (existsSync(ci)) for (const f of readdirSync(ci).sort()) if (/\.ya?ml$/.test(f)) out.push({ chart, values: [join(ci, f)] });
  }
  return out;
}

export async function run(): Promise<string[]> {
  const { bin } = clusterEnv();
  const helm = join(bin, 'helm');
  const all = cases();
  const args = (c: Case) => ['template', join(CORPUS, c.chart), ...c.values.flatMap((v) => ['-f', v])];
  let helmMs = 0;
  let cliMs = 0;
  for (const c of all) {
    helmMs += timeCommand(helm, args(c), {});
    cliMs += timeCommand(process.execPath, [resolve('bin/slipway.js'), ...args(c)], {});
  }
  // In-process: one warm-up pass, then a measured pass.
  const render = async (c: Case) =>
    formatTemplateOutput(await templateChart(join(CORPUS, c.chart), nodeFileSystem, { values: { valueFiles: c.values } }));
  for (const c of all) await render(c);
  const perChart = new Map<string, number[]>();
  let inProcessMs = 0;
  for (const c of all) {
    const t = process.hrtime.bigint();
    await render(c);
    const ms = Number(process.hrtime.bigint() - t) / 1e6;
    inProcessMs += ms;
    perChart.set(c.chart, [...(perChart.get(c.chart) ?? []), ms]);
  }
  const lines = [
    `corpus (${all.length} renders of ${perChart.size} charts), whole processes: slipway ${fmt(cliMs)}, helm ${fmt(helmMs)}, ratio ${(cliMs / helmMs).toFixed(2)} (slipway/helm; below 1 is faster)`,
    `corpus in-process (warm): slipway ${fmt(inProcessMs)} in all, ratio ${(inProcessMs / helmMs).toFixed(2)} against helm's processes`,
  ];
  for (const [chart, times] of perChart) {
    lines.push(`  ${chart}: ${fmt(times.reduce((a, b) => a + b, 0) / times.length)} per render (${times.length} renders)`);
  }
  return lines;
}
