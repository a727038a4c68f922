/**
 * slipway apply / diff vs kubectl apply --server-side / kubectl diff, on the local control
 * plane: the same 300 objects (200 ConfigMaps, 50 Deployments, 50 Services) into two fresh
 * namespaces. Both are whole-process runs (start-up included), median of 3 for repeats.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { clusterEnv, fmt, median, timeCommand } from './lib.js';

const { kubeconfig, bin } = clusterEnv();
const kubectl = join(bin, 'kubectl');
const slipway = [resolve('bin/slipway.js')];
const env = { KUBECONFIG: kubeconfig };

function objects(ns: string): string {
  const docs: string[] = [];
  for (let i = 0; i < 200; i++) {
    docs.push(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm-${i}, namespace: ${ns}}\ndata: {key: "value-${i}"}\n`);
  }
  for (let i = 0; i < 50; i++) {
    docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: app-${i}, namespace: ${ns}}
spec:
  replicas: 1
  selector: {matchLabels: {app: app-${i}}}
  template:
    metadata: {labels: {app: app-${i}}}
    spec: {containers: [{name: app, image: "nginx:1.27"}]}
---
apiVersion: v1
kind: Service
metadata: {name: app-${i}, namespace: ${ns}}
spec: {selector: {app: app-${i}}, ports: [{port: 80}]}
`);
  }
  return docs.join('---\n');
}

export function run(): string[] {
  const stamp = Date.now().toString(36);
  const nsS = `bench-s-${stamp}`;
  const nsK = `bench-k-${stamp}`;
  const dir = mkdtempSync(join(tmpdir(), 'slipway-bench-'));
  const lines: string[] = [];
  try {
    execFileSync(kubectl, ['create', 'namespace', nsS], { env: { ...process.env, ...env } });
    execFileSync(kubectl, ['create', 'namespace', nsK], { env: { ...process.env, ...env } });
    writeFileSync(join(dir, 's.yaml'), objects(nsS));
    writeFileSync(join(dir, 'k.yaml'), objects(nsK));

    const s = (args: string[]) => timeCommand(process.execPath, [...slipway, ...args], env);
    const k = (args: string[]) => timeCommand(kubectl, args, env);
    const row = (what: string, a: number, b: number) =>
      lines.push(`${what}: slipway ${fmt(a)}, kubectl ${fmt(b)}, ratio ${(a / b).toFixed(2)} (slipway/kubectl; below 1 is faster)`);

    row('apply 300 new objects', s(['apply', '-f', join(dir, 's.yaml')]), k(['apply', '--server-side', '-f', join(dir, 'k.yaml')]));
    const reS = median([1, 2, 3].map(() => s(['apply', '-f', join(dir, 's.yaml')])));
    const reK = median([1, 2, 3].map(() => k(['apply', '--server-side', '-f', join(dir, 'k.yaml')])));
    row('re-apply 300 unchanged objects', reS, reK);
    const dS = median([1, 2, 3].map(() => s(['diff', '-f', join(dir, 's.yaml')])));
    const dK = median([1, 2, 3].map(() => k(['diff', '--server-side', '-f', join(dir, 'k.yaml')])));
    row('diff 300 unchanged objects', dS, dK);
  } finally {
    execFileSync(kubectl, ['delete', 'namespace', nsS, nsK, '--wait=false'], { env: { ...process.env, ...env } });
    rmSync(dir, { recursive: true, force: true });
  }
  return lines;
}
