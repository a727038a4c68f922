import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { KubeClient, deleteObject } from '../../src/kube/index.js';

export const kubeconfig = (): string => inject('kubeconfig');

export async function kubeClient(): Promise<KubeClient> {
  return KubeClient.load({ kubeconfig: kubeconfig() });
}

/** A fresh namespace `t-<random>`; delete it with the returned function. */
export async function tempNamespace(client: KubeClient, prefix = 't'): Promise<{ name: string; remove: () => Promise<void> }> {
  const name = `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
  await client.request('POST', '/api/v1/namespaces', { body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name } } });
  return {
    name,
    remove: async () => {
      await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name });
    },
  };
}

/** What {@link useNamespace} gives a suite; `client` and `ns` may only be called inside tests and hooks. */
export interface NamespaceSuite {
  /** The suite's client. */
  client: () => KubeClient;
  /** The name of the suite's namespace, `t-<random>`. */
  ns: () => string;
  /** Writes files into a new temp directory (see {@link tempTree}) that is removed after the suite. */
  tree: (files: Record<string, string>) => string;
}

/**
 * The setup of a suite that works in a namespace of its own: before all tests a client and a
 * fresh namespace; after them the namespace is deleted, the client closed and every
 * directory made with `tree` removed.
 */
export function useNamespace(): NamespaceSuite {
  let client: KubeClient | undefined;
  let ns: { name: string; remove: () => Promise<void> } | undefined;
  const dirs: string[] = [];
  beforeAll(async () => {
    client = await kubeClient();
    ns = await tempNamespace(client);
  });
  afterAll(async () => {
    await ns?.remove();
    client?.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const ready = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('useNamespace: the suite is not set up (called outside a test, or beforeAll failed)');
    return v;
  };
  return {
    client: () => ready(client),
    ns: () => ready(ns).name,
    tree: (files) => {
      const dir = tempTree(files);
      dirs.push(dir);
      return dir;
    },
  };
}

/** Writes files into a new temp directory and returns its path. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'slipway-test-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const BIN = resolve('bin/slipway.js');

/** Runs the built CLI (npm test builds dist/ first) as a user would. */
export function slipway(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { ...process.env, KUBECONFIG: kubeconfig(), ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Polls `fn` until it returns a truthy value or the time runs out. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
