/**
 * `npm run bench`: every benchmark, one after another, each printing its figures against
 * the real tool or a stated budget. Needs the local control plane (`scripts/cluster up`)
 * and a build (`npm run build`).
 */
import { run as applyBench } from './apply.bench.js';
import { run as chartBench } from './chart.bench.js';
import { run as gitopsBench } from './gitops.bench.js';
import { run as kustomizeBench } from './kustomize.bench.js';
import { run as pipelineBench } from './pipeline.bench.js';
import { run as policyBench } from './policy.bench.js';
import { run as releaseBench } from './release.bench.js';

const benches: [string, () => string[] | Promise<string[]>][] = [
  ['chart', chartBench],
  ['kustomize', kustomizeBench],
  ['apply', applyBench],
  ['release', releaseBench],
  ['gitops', gitopsBench],
  ['pipeline', pipelineBench],
  ['policy', policyBench],
];
const only = process.argv[2];
for (const [name, fn] of benches) {
  if (only && only !== name) continue;
  console.log(`== ${name}`);
  for (const line of await fn()) console.log(`  ${line}`);
}
