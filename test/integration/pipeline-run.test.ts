// `slipway run` end to end, as a user runs it: the CLI as its own process on a copy of
// examples/myapp (real make, go, git, buildah, kubectl and the local control plane), the
// run store read back through `slipway runs`, a failing gate, Ctrl-C.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { KubeClient } from '../../src/kube/index.js';
import { eventually, kubeClient, kubeconfig, slipway, tempNamespace } from './helpers.js';

const EXAMPLE = resolve('examples/myapp');
const BIN = resolve('bin/slipway.js');

/** The toolchain's bin directory (kubectl, helm), from `scripts/cluster env`. */
function toolchainBin(): string {
  const env = execFileSync(resolve('scripts/cluster'), ['env'], { encoding: 'utf8' });
  const bin = /export PATH=(.*):"\$PATH"/.exec(env)?.[1]?.replace(/^'|'$/g, '');
  if (!bin) throw new Error(`cannot read the toolchain PATH from scripts/cluster env:\n${env}`);
  return bin;
}

/** A copy of the example without build outputs, as a fresh checkout has it. */
function copyExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-example-'));
  cpSync(EXAMPLE, dir, {
    recursive: true,
    filter: (src) => !/\/(bin|reports|\.slipway)(\/|$)|coverage\.out$/.test(src.slice(EXAMPLE.length)),
  });
  return dir;
}

interface Runs {
  name: string;
  status: string;
}

let client: KubeClient;
const cleanup: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  client = await kubeClient();
});

afterAll(async () => {
  for (const fn of cleanup.reverse()) await fn();
  client.close();
});

describe('slipway run examples/myapp (local executor)', () => {
  let ws: string;
  let staging: string;

  beforeAll(() => {
    ws = copyExample();
    staging = `myapp-staging-${Math.random().toString(36).slice(2, 7)}`;
    // Its own staging namespace, so a developer's `slipway run` of the example is left alone.
    const yaml = join(ws, 'slipway.yaml');
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replaceAll('namespace: myapp-staging', `namespace: ${staging}`));
    cleanup.push(async () => {
      await client.request('DELETE', `/api/v1/namespaces/${staging}`).catch(() => undefined);
      rmSync(ws, { recursive: true, force: true });
    });
  });

  test('build, test, gate, deploy to staging and verify: exit 0, the run stored with its reports and artifacts', async () => {
    const store = join(ws, '.slipway');
    const r = await slipway(['run', join(ws, 'slipway.yaml'), '--store', store]);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toContain('run myapp #1 (');
    expect(r.stdout).toMatch(/\[test\/2\] PASS {2}coverage {7}\d+\.\d% +>= 70%/);
    expect(r.stdout).toContain('[image] - image skipped');
    expect(r.stdout).toContain(`release myapp revision 1 deployed in namespace ${staging}`);
    expect(r.stdout).toContain('[verify/0] smoke: PASS');
    expect(r.stdout).toMatch(/run myapp #1 succeeded in /);

    const deployment = await client.request<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      'GET',
      `/apis/apps/v1/namespaces/${staging}/deployments/myapp`,
    );
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('localhost:5000/myapp:1');

    const list = await slipway(['runs', 'list', '--store', store, '-o', 'json']);
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout) as { pipeline: string; number: number; status: string }[];
    expect(runs.map((x) => [x.pipeline, x.number, x.status])).toEqual([['myapp', 1, 'succeeded']]);

    const show = await slipway(['runs', 'show', 'myapp#1', '--store', store]);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/coverage +test\/2 +go-coverprofile +coverage\.out/);
    expect(show.stdout).toMatch(/bin\/myapp +build/);
    const logs = await slipway(['runs', 'logs', 'myapp#1', '--node', 'verify', '--store', store]);
    expect(logs.stdout).toContain('smoke: PASS');
    // The gate step wrote the coverage HTML report into the workspace.
    expect(readFileSync(join(ws, 'reports/coverage.html'), 'utf8')).toContain('<html');
  });

  test('a gate that fails stops the pipeline: exit 1, later stages skipped, post failure runs', async () => {
    const yaml = join(ws, 'slipway-strict.yaml');
    writeFileSync(yaml, readFileSync(join(ws, 'slipway.yaml'), 'utf8').replace('minCoverage: 70', 'minCoverage: 99.5'));
    const store = join(ws, '.slipway-strict');
    const r = await slipway(['run', yaml, '--store', store]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}coverage +\d+\.\d% +>= 99\.5%/);
    expect(r.stdout).toContain('[deploy-staging] - deploy-staging skipped: stage test did not succeed');
    expect(r.stdout).toContain('myapp pipeline failed in build 1');
    expect(r.stdout).toMatch(/run myapp #1 failed in [^\n]*\n {2}test\/2: .*a quality gate failed/);
    const show = JSON.parse((await slipway(['runs', 'show', 'myapp#1', '--store', store, '-o', 'json'])).stdout) as {
      run: Runs & { status: string };
      reports: { kind: string; data: { passed?: boolean } }[];
    };
    expect(show.run.status).toBe('failed');
    expect(show.reports.find((x) => x.kind === 'gate')?.data.passed).toBe(false);
  });
});

describe('slipway run examples/myapp/Jenkinsfile (the issue\'s Jenkinsfile, unchanged)', () => {
  test('make build, make test, docker.build with buildah, kubectl set image: every stage runs for real', async () => {
    const ws = copyExample();
    const ns = await tempNamespace(client, 'jf');
    cleanup.push(async () => {
      await ns.remove();
      rmSync(ws, { recursive: true, force: true });
    });
    // kubectl's current namespace is the test's; a deployment/myapp is there to update.
    const config = join(ws, 'kubeconfig');
    cpSync(kubeconfig(), config);
    const bin = toolchainBin();
    execFileSync(join(bin, 'kubectl'), ['--kubeconfig', config, 'config', 'set-context', '--current', '--namespace', ns.name]);
    execFileSync(join(bin, 'kubectl'), ['--kubeconfig', config, 'create', 'deployment', 'myapp', '--image=myapp:0']);
    // The Jenkinsfile names its image myapp:${BUILD_NUMBER}; a store of its own keeps the number at 1.
    const r = await slipway(['run', join(ws, 'Jenkinsfile'), '--store', join(ws, '.slipway')], {
      env: { KUBECONFIG: config, PATH: `${bin}:${process.env.PATH}` },
    });
    cleanup.push(() => {
      try {
        execFileSync('buildah', ['rmi', '-f', 'localhost/myapp:1'], { stdio: 'ignore' });
      } catch {
        // not built: the assertions below say why
      }
    });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('[Build/1] junit: ');
    expect(r.stdout).toMatch(/\[Docker Build\/0\] \+ buildah bud -f \S+\/Dockerfile -t myapp:1 /);
    expect(r.stdout).toContain('[Deploy to Kubernetes/0] deployment.apps/myapp image updated');
    const images = execFileSync('buildah', ['images', '--format', '{{.Name}}:{{.Tag}}'], { encoding: 'utf8' });
    expect(images).toContain('localhost/myapp:1');
    const deployment = await client.request<{ spec: { template: { spec: { containers: { image: string }[] } } } }>(
      'GET',
      `/apis/apps/v1/namespaces/${ns.name}/deployments/myapp`,
    );
    expect(deployment.spec.template.spec.containers[0]!.image).toBe('myapp:1');
  });
});

describe('slipway run: cancel and bad input', () => {
  test('Ctrl-C stops the running step (its process group too) and exits 130 with the run cancelled', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'slipway-cancel-'));
    cleanup.push(() => rmSync(ws, { recursive: true, force: true }));
    writeFileSync(
      join(ws, 'slipway.yaml'),
      `apiVersion: slipway.dev/v1alpha1
kind: Pipeline
metadata: {name: cancel-me}
spec:
  stages:
    - name: long
      steps:
        - run: echo $$ > shell.pid; echo started; sleep 60
    - name: never
      steps: [{run: touch never.txt}]
`,
    );
    const child = spawn(process.execPath, [BIN, 'run', join(ws, 'slipway.yaml'), '--store', join(ws, '.slipway')], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', r));
    await eventually(async () => out.includes('[long/0] started'), 20_000, 'the step to start');
    const shellPid = Number(readFileSync(join(ws, 'shell.pid'), 'utf8'));
    const t = Date.now();
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - t).toBeLessThan(10_000);
    expect(err).toContain('cancelling');
    expect(out).toMatch(/run cancel-me #1 cancelled/);
    expect(existsSync(join(ws, 'never.txt'))).toBe(false);
    const gone = () => !existsSync(`/proc/${shellPid}`) || /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${shellPid}/stat`, 'utf8'));
    await eventually(async () => gone(), 5_000, `the step's shell (pid ${shellPid}) to end`);
    const show = JSON.parse((await slipway(['runs', 'show', 'cancel-me#1', '--store', join(ws, '.slipway'), '-o', 'json'])).stdout) as {
      run: { status: string };
    };
    expect(show.run.status).toBe('cancelled');
  });

  test('an invalid pipeline file is one error line naming file, line and field; nothing is stored', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'slipway-bad-'));
    cleanup.push(() => rmSync(ws, { recursive: true, force: true }));
    writeFileSync(
      join(ws, 'slipway.yaml'),
      'apiVersion: slipway.dev/v1alpha1\nkind: Pipeline\nmetadata: {name: bad}\nspec:\n  stages:\n    - name: a\n      steps:\n        - rnu: make\n',
    );
    const r = await slipway(['run', join(ws, 'slipway.yaml'), '--store', join(ws, '.slipway')]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*slipway\.yaml:8:\d+: .*spec\.stages\[0\]\.steps\[0\]/);
    expect(existsSync(join(ws, '.slipway', 'runs.db'))).toBe(false);
  });

  test('an unknown --param is a usage error listing the parameters', async () => {
    const r = await slipway(['run', join(EXAMPLE, 'slipway.yaml'), '--param', 'NOPE=1', '--store', join(tmpdir(), `slipway-none-${process.pid}`)]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown parameter "NOPE"');
    expect(r.stderr).toContain('BUILD_IMAGE');
  });
});
