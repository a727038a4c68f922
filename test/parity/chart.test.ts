import { readdirSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { parse } from 'yaml';
import { compareIgnoringRandom, compareStreams, firstDifference, type Verdict } from './compare.js';
import { runSlipway, runTool, type RunResult } from './oracle.js';

// Chart parity: every chart of the corpus, with its default values and with each ci/*.yaml,
// and every `helm template` invocation helm's own tests use (helm-testdata/EXPECTED/CASES.yaml),
// rendered by the real helm (the toolchain's v3.22.0) and by slipway, compared document by
// document. A case is identical when stdout is byte-identical, or when both fail with the same
// message; "equivalent" (same parsed documents, same sources, same order) is reported apart.

const CORPUS = '/work/shared/corpus/helm';
const TESTDATA = join(CORPUS, 'helm-testdata');

interface Case {
  name: string;
  args: string[];
  cwd: string;
}

function corpusCases(): Case[] {
  const cases: Case[] = [];
  for (const chart of readdirSync(CORPUS).sort()) {
    if (chart === 'helm-testdata' || !existsSync(join(CORPUS, chart, 'Chart.yaml'))) continue;
    cases.push({ name: `${chart} (default values)`, args: ['template', chart], cwd: CORPUS });
    const ci = join(CORPUS, chart, 'ci');
    if (!existsSync(ci)) continue;
    for (const f of readdirSync(ci).sort()) {
      if (/\.ya?ml$/.test(f)) cases.push({ name: `${chart} -f ci/${f}`, args: ['template', chart, '-f', `${chart}/ci/${f}`], cwd: CORPUS });
    }
  }
  return cases;
}

function helmTestCases(): Case[] {
  const spec = parse(readFileSync(join(TESTDATA, 'EXPECTED', 'CASES.yaml'), 'utf8')) as { cases: { golden: string; args: string[] }[] };
  const seen = new Set<string>();
  const cases: Case[] = [];
  for (const c of spec.cases) {
    const args = c.args.filter((a) => a !== '--debug');
    const key = args.join(' ');
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push({ name: `helm-testdata ${c.golden}: template ${key}`, args: ['template', ...args], cwd: TESTDATA });
  }
  // Every other test chart with default values, broken ones included: failing where helm fails counts.
  for (const dir of ['testcharts', 'chart-util', 'chart-loader']) {
    for (const chart of readdirSync(join(TESTDATA, dir)).sort()) {
      const path = `${dir}/${chart}`;
      if (seen.has(path)) continue;
      cases.push({ name: `helm-testdata template ${path}`, args: ['template', path], cwd: TESTDATA });
    }
  }
  return cases;
}

/**
 * helm prints "Error: MESSAGE"; slipway prints "error: FILE:LINE: MESSAGE" — the same message
 * behind the location it adds. Usage errors name the tool.
 */
function sameError(helm: RunResult, ours: RunResult): boolean {
  const first = (r: RunResult, prefix: string) => (r.stderr.split('\n').find((l) => l.startsWith(prefix)) ?? '').slice(prefix.length).trim();
  const theirs = first(helm, 'Error: ').replaceAll('"helm ', '"slipway ');
  const mine = first(ours, 'error: ');
  return theirs !== '' && (mine === theirs || mine.endsWith(`: ${theirs}`));
}

type Outcome = Verdict | 'random' | 'both failed (different message)' | 'one failed';
const results: { name: string; verdict: Outcome; detail?: string }[] = [];

const cases = [...corpusCases(), ...helmTestCases()];

test.each(cases)('$name', async ({ args, cwd }) => {
  const helm = runTool('helm', args, cwd);
  const ours = await runSlipway(args, cwd);
  const name = `${args.slice(1).join(' ')}`;
  if (helm.code !== 0 || ours.code !== 0) {
    if (helm.code === 0 || ours.code === 0) {
      results.push({ name, verdict: 'one failed', detail: helm.code === 0 ? ours.stderr : helm.stderr });
    } else {
      const same = sameError(helm, ours);
      results.push({ name, verdict: same ? 'identical' : 'both failed (different message)', detail: same ? undefined : `helm: ${helm.stderr}\nslipway: ${ours.stderr}` });
    }
  } else {
    const { verdict, detail } = compareStreams(helm.stdout, ours.stdout);
    if (verdict !== 'different') {
      results.push({ name, verdict });
    } else {
      // Charts with random functions (htpasswd, randAlphaNum, genCA) differ from run to run in helm too.
      const again = runTool('helm', args, cwd);
      if (again.stdout !== helm.stdout) {
        const r = compareIgnoringRandom(helm.stdout, again.stdout, ours.stdout);
        results.push({ name, verdict: r.same ? 'random' : 'different', detail: r.same ? `${r.masked} random values` : r.detail });
      } else {
        results.push({ name, verdict, detail: `${detail}\n${firstDifference(helm.stdout, ours.stdout)}` });
      }
    }
  }
  const last = results[results.length - 1]!;
  expect(last.verdict, last.detail).toMatch(/^(identical|equivalent|random)$/);
});

afterAll(() => {
  const count = (v: Outcome) => results.filter((r) => r.verdict === v).length;
  const [identical, equivalent, random] = [count('identical'), count('equivalent'), count('random')];
  console.log(
    `chart parity: ${identical + equivalent + random}/${results.length} identical ` +
      `(${identical} byte-identical or the same error, ${equivalent} same documents, ${random} same apart from values random in helm too)`,
  );
  for (const r of results.filter((x) => !['identical', 'equivalent', 'random'].includes(x.verdict))) {
    console.log(`  ${r.verdict}: ${r.name}\n    ${(r.detail ?? '').split('\n').slice(0, 6).join('\n    ')}`);
  }
});
