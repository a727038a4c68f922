import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createServer, type Server } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getObject } from '../../src/kube/index.js';
import { kubeconfig, slipway, useNamespace } from './helpers.js';

const { client, ns, tree } = useNamespace();

/** A kubeconfig like the cluster's, pointed at another server address. */
function kubeconfigFor(server: string): string {
  const text = readFileSync(kubeconfig(), 'utf8').replace(/server: .*/, `server: ${server}`);
  const dir = tree({ kubeconfig: text });
  return join(dir, 'kubeconfig');
}

const good = `apiVersion: v1
kind: ConfigMap
metadata:
  name: good
data: {a: "1"}
`;

describe('bad input names file, line and field, exits non-zero and changes nothing', () => {
  test('malformed YAML', async () => {
    const dir = tree({ 'a.yaml': good, 'broken.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n' });
    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^error: ${join(dir, 'broken.yaml')}:\\d+:\\d+: invalid YAML: `));
    expect(r.stdout).toBe('');
    expect(await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'good' })).toBeUndefined();
  });

  test('a missing field', async () => {
    const dir = tree({ 'noname.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  labels: {a: b}\n' });
    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: ${join(dir, 'noname.yaml')}:4:3: missing required field "metadata.name"\n`);
  });

  test('an unknown kind names the kind, the apiVersion and where it is written', async () => {
    const dir = tree({
      'a.yaml': good,
      'b.yaml': '---\napiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n',
    });
    const r = await slipway(['apply', '-f', dir, '-n', ns()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `error: ${join(dir, 'b.yaml')}:2:1: the server has no resource type for kind "Gadget" in apiVersion "example.com/v1"\n`,
    );
    expect(await getObject(client(), { group: '', version: 'v1', kind: 'ConfigMap', namespace: ns(), name: 'good' })).toBeUndefined();
  });

  test('a file that does not exist', async () => {
    const r = await slipway(['apply', '-f', '/no/such/file.yaml']);
    expect(r).toMatchObject({ code: 1, stderr: 'error: /no/such/file.yaml: no such file or directory\n' });
  });

  test('diff exits 2 on an error, as kubectl diff does', async () => {
    const dir = tree({ 'b.yaml': 'apiVersion: example.com/v1\nkind: Gadget\nmetadata:\n  name: g\n' });
    const r = await slipway(['diff', '-f', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no resource type for kind "Gadget"');
  });

  test('an unknown flag is a usage error', async () => {
    const r = await slipway(['apply', '--frobnicate']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error: unknown option '--frobnicate'");
  });
});

describe('an unreachable or dying apiserver gives one clear line', () => {
  let dying: Server;
  let dyingPort = 0;

  beforeAll(async () => {
    // Accepts connections and drops them at once, like an apiserver going down mid-request.
    dying = createServer((socket) => socket.destroy());
    await new Promise<void>((r) => dying.listen(0, '127.0.0.1', r));
    dyingPort = (dying.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => dying.close(() => r())));

  test.each([
    ['refused', () => 'https://127.0.0.1:1', 'connection refused'],
    ['dropped', () => `https://127.0.0.1:${dyingPort}`, 'connection reset'],
  ])('connection %s', async (_name, server, reason) => {
    const dir = tree({ 'a.yaml': good });
    const r = await slipway(['apply', '-f', dir], { env: { KUBECONFIG: kubeconfigFor(server()) } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot reach the Kubernetes API server at ${server()}: ${reason}\n`);
  });

  test('no kubeconfig at all', async () => {
    const dir = tree({ 'a.yaml': good });
    const r = await slipway(['apply', '-f', dir], { env: { KUBECONFIG: '', HOME: dir } });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'error: no kubeconfig: set KUBECONFIG or --kubeconfig (for the local control plane: eval "$(scripts/cluster env)")\n',
    );
  });
});
