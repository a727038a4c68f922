import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { afterAll, expect, test } from 'vitest';
import { parseYamlStream } from '../../src/engines/yaml/index.js';
import { compareStreams, firstDifference } from './compare.js';
import { runSlipway, runTool, toolchainBin, type RunResult } from './oracle.js';

// The example application of the README (examples/myapp): its Helm chart rendered by
// `slipway template` against the real `helm template` with each values file (and with the
// flags the pipeline's deploy stages pass), and its kustomize base and overlays built by
// `slipway kustomize` against the real `kubectl kustomize`. "Identical" is the same bytes on
// stdout; a case passes when the documents are the same (parsed YAML, same order).

const APP = resolve('examples/myapp');

interface Case {
  name: string;
  tool: 'helm' | 'kubectl';
  args: string[];
}

const chartCases: Case[] = [
  { name: 'chart (default values)', tool: 'helm', args: ['template', 'myapp', 'chart'] },
  ...['staging', 'production', 'test'].map(
    (env): Case => ({ name: `chart -f values-${env}.yaml`, tool: 'helm', args: ['template', 'myapp', 'chart', '-f', `chart/values-${env}.yaml`] }),
  ),
  // What the deploy stages of slipway.yaml install (release myapp, build 7).
  ...['staging', 'production'].map(
    (env): Case => ({
      name: `chart as deploy-${env} installs it`,
      tool: 'helm',
      args: ['template', 'myapp', './chart', '--namespace', `myapp-${env}`, '-f', `chart/values-${env}.yaml`, '--set', 'image.repository=localhost:5000/myapp', '--set', 'image.tag=7'],
    }),
  ),
  // Another release name: the fullname helper then joins release and chart names.
  { name: 'chart as release web', tool: 'helm', args: ['template', 'web', 'chart', '-f', 'chart/values-production.yaml'] },
];

const kustomizeCases: Case[] = ['k8s/base', 'k8s/overlays/development', 'k8s/overlays/staging', 'k8s/overlays/production'].map(
  (root): Case => ({ name: `kustomize ${root}`, tool: 'kubectl', args: ['kustomize', root] }),
);

function kubectl(args: string[]): RunResult {
  const r = spawnSync(join(toolchainBin(), 'kubectl'), args, { encoding: 'utf8', cwd: APP, maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function documents(stream: string): unknown[] {
  return stream
    .split(/^---$/m)
    .filter((d) => d.trim() !== '')
    .map((d) => parseYamlStream(d, '<stream>').map((x) => x.value));
}

const results: { name: string; verdict: string; detail?: string }[] = [];

test.each([...chartCases, ...kustomizeCases])('$name', async ({ tool, args }) => {
  const theirs = tool === 'helm' ? runTool('helm', args, APP) : kubectl(args);
  const ours = await runSlipway(args, APP);
  expect(theirs.code, `${tool} ${args.join(' ')} failed: ${theirs.stderr}`).toBe(0);
  expect(ours.code, `slipway ${args.join(' ')} failed: ${ours.stderr}`).toBe(0);
  // The example must render something real: no empty output passes as "identical".
  expect(theirs.stdout).toMatch(/kind: Deployment/);

  let verdict: string;
  let detail: string | undefined;
  if (tool === 'helm') {
    const r = compareStreams(theirs.stdout, ours.stdout);
    verdict = r.verdict;
    detail = r.detail && `${r.detail}\n${firstDifference(theirs.stdout, ours.stdout)}`;
  } else {
    verdict = theirs.stdout === ours.stdout ? 'identical' : isDeepStrictEqual(documents(theirs.stdout), documents(ours.stdout)) ? 'equivalent' : 'different';
    detail = verdict === 'identical' ? undefined : firstDifference(theirs.stdout, ours.stdout).replace('helm:', 'kubectl:');
  }
  results.push({ name: `${tool === 'helm' ? 'helm' : 'kubectl'} ${args.join(' ')}`, verdict, detail });
  expect(verdict, detail).toMatch(/^(identical|equivalent)$/);
});

test('the chart has what the example promises: gated HPA and Ingress, a helm test hook', async () => {
  const kinds = async (values: string[]) => {
    const r = await runSlipway(['template', 'myapp', 'chart', ...values.flatMap((v) => ['-f', v])], APP);
    expect(r.code, r.stderr).toBe(0);
    return documents(r.stdout)
      .flat()
      .map((d) => (d as { kind: string }).kind);
  };
  expect(await kinds([])).toEqual(['ConfigMap', 'Service', 'Deployment', 'Pod']);
  expect(await kinds(['chart/values-staging.yaml'])).toEqual(['ConfigMap', 'Service', 'Deployment', 'Ingress', 'Pod']);
  expect(await kinds(['chart/values-production.yaml'])).toEqual(['ConfigMap', 'Service', 'Deployment', 'HorizontalPodAutoscaler', 'Ingress', 'Pod']);
});

afterAll(() => {
  const same = results.filter((r) => r.verdict === 'identical' || r.verdict === 'equivalent');
  const identical = results.filter((r) => r.verdict === 'identical').length;
  console.log(`examples parity: ${same.length}/${results.length} identical (${identical} byte-identical, ${same.length - identical} same documents)`);
  for (const r of results.filter((x) => !same.includes(x))) console.log(`  ${r.verdict}: ${r.name}\n    ${(r.detail ?? '').split('\n').slice(0, 6).join('\n    ')}`);
});
