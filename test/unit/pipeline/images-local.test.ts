// A real local build and push: buildah (when this machine has it) builds a FROM-scratch image
// and pushes it over plain HTTP to a minimal OCI distribution registry served by the test
// (only the endpoints a push uses). Skipped, saying so, where buildah is not installed.
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ImageBuild, LogStream } from '../../../src/pipeline/executor.js';
import { buildImageLocally, whichIn } from '../../../src/pipeline/steps/images.js';

const buildah = whichIn('buildah', process.env.PATH ?? '');

/** Blobs and manifests by digest / repository:tag, as a registry stores them. */
interface Registry {
  blobs: Map<string, Buffer>;
  manifests: Map<string, { type: string; body: Buffer }>;
  server: Server;
  port: number;
}

const digest = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/** The push half of the OCI distribution API: version check, blob HEAD/upload (POST, PATCH, PUT), manifest PUT/GET. */
async function startRegistry(): Promise<Registry> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { type: string; body: Buffer }>();
  const uploads = new Map<string, Buffer[]>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      let m: RegExpExecArray | null;
      if (path === '/v2/' || path === '/v2') return res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
      // a repository this registry refuses to take pushes for
      if (path.startsWith('/v2/refused/') && req.method !== 'GET' && req.method !== 'HEAD') {
        return res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
      }
      if ((m = /^\/v2\/(.+)\/blobs\/uploads\/(.*)$/.exec(path))) {
        const [, name, id] = m as unknown as [string, string, string];
        if (req.method === 'POST') {
          const uuid = randomUUID();
          uploads.set(uuid, []);
          return res.writeHead(202, { Location: `/v2/${name}/blobs/uploads/${uuid}`, 'Docker-Upload-UUID': uuid, Range: '0-0', 'Content-Length': '0' }).end();
        }
        const parts = uploads.get(id);
        if (!parts) return res.writeHead(404).end();
        parts.push(body);
        if (req.method === 'PATCH') {
          const size = parts.reduce((n, p) => n + p.length, 0);
          return res.writeHead(202, { Location: `/v2/${name}/blobs/uploads/${id}`, Range: `0-${Math.max(size - 1, 0)}`, 'Content-Length': '0' }).end();
        }
        if (req.method === 'PUT') {
          const blob = Buffer.concat(parts);
          const want = url.searchParams.get('digest') ?? '';
          if (digest(blob) !== want) return res.writeHead(400).end('digest mismatch');
          blobs.set(want, blob);
          uploads.delete(id);
          return res.writeHead(201, { Location: `/v2/${name}/blobs/${want}`, 'Docker-Content-Digest': want, 'Content-Length': '0' }).end();
        }
      }
      if ((m = /^\/v2\/(.+)\/blobs\/(sha256:[0-9a-f]{64})$/.exec(path))) {
        const blob = blobs.get(m[2]!);
        if (!blob) return res.writeHead(404).end();
        res.writeHead(200, { 'Content-Length': String(blob.length), 'Docker-Content-Digest': m[2]! });
        return res.end(req.method === 'HEAD' ? undefined : blob);
      }
      if ((m = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(path))) {
        const key = `${m[1]}:${m[2]}`;
        if (req.method === 'PUT') {
          const d = digest(body);
          manifests.set(key, { type: req.headers['content-type'] ?? '', body });
          manifests.set(`${m[1]}:${d}`, { type: req.headers['content-type'] ?? '', body });
          return res.writeHead(201, { 'Docker-Content-Digest': d, Location: `/v2/${m[1]}/manifests/${d}`, 'Content-Length': '0' }).end();
        }
        const found = manifests.get(key);
        if (!found) return res.writeHead(404).end();
        res.writeHead(200, { 'Content-Type': found.type, 'Docker-Content-Digest': digest(found.body), 'Content-Length': String(found.body.length) });
        return res.end(req.method === 'HEAD' ? undefined : found.body);
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { blobs, manifests, server, port: (server.address() as AddressInfo).port };
}

describe.skipIf(!buildah)('buildImageLocally with buildah (a real build and push)', () => {
  let registry: Registry;
  let ws: string;
  const tags: string[] = [];
  beforeAll(async () => {
    registry = await startRegistry();
    ws = mkdtempSync(join(tmpdir(), 'slipway-buildah-'));
    writeFileSync(join(ws, 'Dockerfile'), 'FROM scratch AS base\nCOPY hello.txt /hello.txt\nFROM base AS runtime\nARG GREETING\nLABEL greeting=$GREETING\nFROM runtime AS after\nLABEL after=yes\n');
    writeFileSync(join(ws, 'hello.txt'), 'hello from slipway\n');
  });
  afterAll(() => {
    registry.server.close();
    rmSync(ws, { recursive: true, force: true });
    for (const t of tags) spawnSync(buildah!, ['rmi', '-f', t]);
  });

  test('builds with build args and target, tags every destination and pushes each over plain HTTP (insecure)', { timeout: 120_000 }, async () => {
    const repo = `localhost:${registry.port}/slipway/probe`;
    tags.push(`${repo}:1`, `${repo}:latest`);
    const build: ImageBuild = {
      type: 'image',
      name: 'image',
      push: true,
      node: 'build/0',
      env: {},
      context: '.',
      dockerfile: 'Dockerfile',
      destinations: [`${repo}:1`, `${repo}:latest`],
      buildArgs: { GREETING: 'hi' },
      builder: 'buildah',
      insecure: true,
      target: 'runtime',
    };
    const out: { stream: LogStream; text: string }[] = [];
    const r = await buildImageLocally(build, ws, { write: (stream, text) => out.push({ stream, text }), signal: new AbortController().signal });
    const log = out.map((o) => o.text).join('');
    expect(r, log).toEqual({ exitCode: 0 });
    expect(log).toContain(`+ buildah push --tls-verify=false ${repo}:latest`);

    for (const tag of ['1', 'latest']) {
      const manifest = registry.manifests.get(`slipway/probe:${tag}`);
      expect(manifest, `manifest ${tag}`).toBeDefined();
      const doc = JSON.parse(manifest!.body.toString()) as { config: { digest: string }; layers: { digest: string }[] };
      expect(doc.layers.length).toBeGreaterThanOrEqual(1);
      const layers = doc.layers.map((l) => registry.blobs.get(l.digest));
      expect(layers.every(Boolean)).toBe(true);
      // the COPYed file is in one of the pushed layers (tar, gzipped or not)
      const texts = layers.map((b) => (b![0] === 0x1f && b![1] === 0x8b ? gunzipSync(b!) : b!).toString('latin1'));
      expect(texts.some((t) => t.includes('hello.txt') && t.includes('hello from slipway'))).toBe(true);
      const config = JSON.parse(registry.blobs.get(doc.config.digest)!.toString()) as { config: { Labels?: Record<string, string> } };
      expect(config.config.Labels).toMatchObject({ greeting: 'hi' });
      // --target runtime: the stage after it is not built
      expect(config.config.Labels?.after).toBeUndefined();
    }
  });

  test('a push the registry refuses fails the step with buildah push\'s exit code', { timeout: 120_000 }, async () => {
    const closed = `localhost:${registry.port}/refused/probe:x`;
    tags.push(closed);
    const build: ImageBuild = {
      type: 'image',
      name: 'image',
      push: true,
      node: 'build/0',
      env: {},
      context: '.',
      dockerfile: 'Dockerfile',
      destinations: [closed],
      buildArgs: {},
      builder: 'auto',
      insecure: true,
    };
    const r = await buildImageLocally(build, ws, { write: () => undefined, signal: new AbortController().signal });
    expect(r.exitCode).not.toBe(0);
    expect(r.error).toMatch(/^buildah push exited with code \d+$/);
    expect(registry.manifests.has('refused/probe:x')).toBe(false);
  });
});

test.runIf(!buildah)('buildah is not installed here: the real build test is skipped', () => {
  expect(buildah).toBeUndefined();
});
