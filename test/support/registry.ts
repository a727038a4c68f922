import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './git-daemon.js';

/** The registry binary of Debian's docker-registry package (CNCF distribution v2). */
export const DOCKER_REGISTRY = '/usr/bin/docker-registry';

/** The manifest types a client asks for: OCI and Docker schema 2, single image or index. */
const MANIFEST_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** A running `docker-registry serve` on loopback, and reads through its HTTP API. */
export interface LocalRegistry {
  /** `localhost:PORT`, the host part of an image reference. */
  url: string;
  port: number;
  /** Kills the registry and removes its storage. */
  stop(): Promise<void>;
  /** GET /v2/<repo>/manifests/<tag> (the body parsed as JSON); undefined when the registry does not know it (404). */
  manifest(repo: string, tag: string): Promise<{ mediaType: string; digest: string; body: unknown } | undefined>;
  /** GET /v2/<repo>/blobs/<digest>; throws unless 200. */
  blob(repo: string, digest: string): Promise<Buffer>;
  /** GET /v2/<repo>/tags/list; [] for a repository the registry does not know. */
  tags(repo: string): Promise<string[]>;
}

/**
 * Starts Debian's docker-registry (distribution v2) on 127.0.0.1 and a free port, storing in
 * a fresh temporary directory, without auth; resolves once GET /v2/ answers 200.
 * `readonly` turns on maintenance read-only mode: every push is refused.
 */
export async function startRegistry(opts: { readonly?: boolean } = {}): Promise<LocalRegistry> {
  if (!existsSync(DOCKER_REGISTRY)) {
    throw new Error(`${DOCKER_REGISTRY} not found: install the Debian package docker-registry (CI's .ci/run does)`);
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
  const config = join(dir, 'config.yml');
  writeFileSync(
    config,
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${JSON.stringify(join(dir, 'data'))}`,
      '  delete:',
      '    enabled: true',
      '  maintenance:',
      '    uploadpurging:',
      '      enabled: false',
      '    readonly:',
      `      enabled: ${opts.readonly ? 'true' : 'false'}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      // set, so the registry does not warn that it generated one
      `  secret: ${randomBytes(16).toString('hex')}`,
      '',
    ].join('\n'),
  );
  // REGISTRY_* variables override the config file: keep the caller's out. The registry logs
  // to stdout; both streams are kept for the error when it does not come up.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('REGISTRY_')));
  const child = spawn(DOCKER_REGISTRY, ['serve', config], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer) => {
    output = (output + d.toString()).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let spawnError: Error | undefined;
  child.on('error', (e) => (spawnError = e));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null && !spawnError) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      await stop();
      const why = spawnError ? spawnError.message : `exited with ${child.exitCode ?? child.signalCode}`;
      throw new Error(`docker-registry serve ${config} ${why}:\n${output}`);
    }
    try {
      const res = await fetch(`${base}/v2/`, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer 200 on ${base}/v2/ within 15 s; its output:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  return {
    url: `localhost:${port}`,
    port,
    stop,
    async manifest(repo, tag) {
      const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, { headers: { Accept: MANIFEST_ACCEPT } });
      const text = await res.text();
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw new Error(`GET /v2/${repo}/manifests/${tag}: ${res.status} ${text}`);
      return { mediaType: res.headers.get('content-type') ?? '', digest: res.headers.get('docker-content-digest') ?? '', body: JSON.parse(text) };
    },
    async blob(repo, digest) {
      const res = await fetch(`${base}/v2/${repo}/blobs/${digest}`);
      const body = Buffer.from(await res.arrayBuffer());
      if (res.status !== 200) throw new Error(`GET /v2/${repo}/blobs/${digest}: ${res.status} ${body.toString()}`);
      return body;
    },
    async tags(repo) {
      const res = await fetch(`${base}/v2/${repo}/tags/list`);
      const text = await res.text();
      if (res.status === 404) return [];
      if (res.status !== 200) throw new Error(`GET /v2/${repo}/tags/list: ${res.status} ${text}`);
      return ((JSON.parse(text) as { tags?: string[] | null }).tags ?? []).slice();
    },
  };
}
