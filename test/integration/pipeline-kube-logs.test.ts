import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeObject } from '../../src/core/index.js';
import type { LogStream, StepIO } from '../../src/pipeline/executor.js';
import { runJob } from '../../src/pipeline/kube/jobs.js';
import { toolchainBin } from '../parity/oracle.js';
import { freePort } from '../support/git-daemon.js';
import { eventually, tempNamespace, tempTree, useNamespace } from './helpers.js';

// Log streaming from a node that serves logs. The shared control plane's kwok serves no kubelet
// API (its nodes answer pods/log with 404; runJob then writes one system line), so this suite
// starts a kwok of its own: one tainted node at 127.0.0.1:<port>, whose kubelet API serves a
// ClusterLogs file for this suite's namespace (kwok reads it as a CRI log file, with
// timestamps and sinceTime). Lines appended to the file while the Pod runs must reach the
// step's stdout before the step ends, each exactly once.

const { client } = useNamespace();
const NODE = `slipway-logs-${Math.random().toString(36).slice(2, 7)}`;
let kwok: ChildProcess | undefined;
let ns: { name: string; remove: () => Promise<void> } | undefined;
let logFile = '';

const cri = (text: string) => `${new Date().toISOString().replace('Z', '000000Z')} stdout F ${text}\n`;

beforeAll(async () => {
  ns = await tempNamespace(client(), 'logs');
  const dir = tempTree({});
  logFile = join(dir, 'step.log');
  writeFileSync(logFile, cri('first line'));
  const config = join(dir, 'logs.yaml');
  writeFileSync(
    config,
    `apiVersion: kwok.x-k8s.io/v1alpha1
kind: ClusterLogs
metadata: {name: ${NODE}}
spec:
  selector: {matchNamespaces: [${ns.name}]}
  logs: [{containers: [], logsFile: ${JSON.stringify(logFile)}}]
`,
  );
  const stages = resolve('.slipway/cluster/kwok-stages');
  const port = await freePort();
  const flags = readdirSync(stages)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => ['--config', join(stages, f)]);
  kwok = spawn(
    join(toolchainBin(), 'kwok'),
    [
      '--kubeconfig', resolve('.slipway/cluster/kwok.kubeconfig'), ...flags, '--config', config,
      '--manage-single-node', NODE, '--cidr', '10.250.0.0/16', '--node-ip', '127.0.0.1',
      '--node-port', String(port), '--server-address', `127.0.0.1:${port}`, '--node-lease-duration-seconds', '40',
    ],
    { stdio: 'ignore' },
  );
  await client().request('POST', '/api/v1/nodes', {
    body: {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name: NODE, annotations: { 'kwok.x-k8s.io/node': 'logs-test' }, labels: { 'kubernetes.io/hostname': NODE, type: NODE } },
      spec: { taints: [{ key: 'slipway.dev/logs-test', value: 'true', effect: 'NoSchedule' }] },
      status: { allocatable: { cpu: '8', memory: '8Gi', pods: '20' }, capacity: { cpu: '8', memory: '8Gi', pods: '20' } },
    },
  });
  await eventually(
    async () => {
      const node = await client().request<KubeObject>('GET', `/api/v1/nodes/${NODE}`);
      const conds = (node.status as { conditions?: { type: string; status: string }[] }).conditions ?? [];
      return conds.some((c) => c.type === 'Ready' && c.status === 'True');
    },
    30_000,
    'the log-serving kwok node to be Ready',
  );
});

afterAll(async () => {
  await ns?.remove();
  await client().request('DELETE', `/api/v1/nodes/${NODE}`).catch(() => undefined);
  kwok?.kill();
});

describe('runJob logs from a node that serves them', () => {
  test('lines reach stdout while the Pod runs, each once, and the rest when it ends', async () => {
    const lines: { stream: LogStream; text: string; at: number }[] = [];
    const io: StepIO = { signal: new AbortController().signal, write: (stream, text) => lines.push({ stream, text, at: Date.now() }) };
    const job: KubeObject = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'talk', namespace: ns!.name },
      spec: {
        template: {
          metadata: { annotations: { 'slipway.dev/kwok-duration': '4s' } },
          spec: {
            nodeSelector: { type: NODE },
            tolerations: [{ key: 'slipway.dev/logs-test', operator: 'Exists' }],
            containers: [{ name: 'main', image: 'alpine:3.20' }],
          },
        },
      },
    };
    const t0 = Date.now();
    let ended = 0;
    const result = runJob(client(), job, io).then((r) => ((ended = Date.now()), r));
    await eventually(async () => lines.some((l) => l.text.includes('first line')), 20_000, 'the first line').catch((e: unknown) => {
      throw new Error(`${(e as Error).message}; written: ${JSON.stringify(lines)}`);
    });
    console.log(`logs: first line on stdout ${Date.now() - t0} ms after Job create`);
    appendFileSync(logFile, cri('second line'));
    await eventually(async () => lines.some((l) => l.text.includes('second line')), 20_000, 'the second line');
    const secondAt = lines.find((l) => l.text.includes('second line'))!.at;
    appendFileSync(logFile, cri('third line'));
    expect(await result).toEqual({ exitCode: 0 });
    expect(secondAt).toBeLessThan(ended); // streamed while running, not only at the end
    expect(lines.every((l) => l.stream === 'stdout')).toBe(true);
    expect(lines.map((l) => l.text).join('')).toBe('first line\nsecond line\nthird line\n');
  });
});
