import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, symlinkSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import type { TLSSocket } from 'node:tls';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  GitAuthError,
  GitError,
  GitRefNotFoundError,
  GitRepositoryNotFoundError,
  GitSourceCache,
  GitUnreachableError,
  renderSource,
  repoKey,
  type FetchedSource,
  type GitSourceSpec,
} from '../../src/gitops/sources/index.js';
import { freePort, serveGitDaemon } from '../support/git-daemon.js';
import { gitHttpHandler, serveGitHttp } from '../support/git-http.js';

// GitSourceCache against real repositories made with the git CLI: one bare "server" repository
// reached as a local path, as file:// and as git:// (a `git daemon` on loopback started here),
// with branches, lightweight and annotated tags (semver ones among them) and commits that are
// no branch tip. No cluster is needed (the integration project starts one anyway).

const base = mkdtempSync(join(tmpdir(), 'slipway-git-'));
const srv = join(base, 'srv');
const bare = join(srv, 'repo.git');
const work = join(base, 'work');
let daemon: ChildProcess | undefined;
let port = 0;
/** Commits by name: c1 (v1.0.0), c2 (v1.1.0 annotated, v2.0.0-rc.1), c3 (main before the tests push), f1 (feature). */
const sha: Record<string, string> = {};
/** A directory 12 levels down. */
const DEEP = 'a/b/c/d/e/f/g/h/i/j/k/l';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
}

const cmYaml = (name: string, version: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  version: "${version}"\n`;

/** Writes files in the work tree, commits them and returns the new commit. */
function commit(files: Record<string, string | { symlink: string }>, message: string): string {
  for (const [rel, content] of Object.entries(files)) {
    const path = join(work, rel);
    mkdirSync(dirname(path), { recursive: true });
    rmSync(path, { force: true });
    if (typeof content === 'string') writeFileSync(path, content);
    else symlinkSync(content.symlink, path);
  }
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', message);
  return git(work, 'rev-parse', 'HEAD');
}

const caches: string[] = [];
/** A fresh cache in its own directory; `log` collects its log lines. */
function newCache(options: ConstructorParameters<typeof GitSourceCache>[1] = {}): { cache: GitSourceCache; root: string; log: string[] } {
  const root = mkdtempSync(join(base, 'cache-'));
  caches.push(root);
  const log: string[] = [];
  return { cache: new GitSourceCache(root, { ...options, log: (m) => log.push(m) }), root, log };
}

/** The file's text in a fetched export. */
const read = (f: FetchedSource, rel: string) => readFileSync(join(f.dir, rel), 'utf8');

const urls = () => ({ path: bare, file: `file://${bare}`, daemon: `git://127.0.0.1:${port}/repo.git` });
type Transport = keyof ReturnType<typeof urls>;
const transports: Transport[] = ['path', 'file', 'daemon'];

/** The error a promise rejects with (fails when it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  expect(spawnSync('git', ['daemon', '--help'], { encoding: 'utf8' }).error).toBeUndefined();
  mkdirSync(srv, { recursive: true });
  git(base, 'init', '-q', '--bare', '-b', 'main', bare);
  git(base, 'init', '-q', '-b', 'main', work);
  git(work, 'remote', 'add', 'origin', bare);

  sha.c1 = commit({ 'app/cm.yaml': cmYaml('app', '1'), 'README.md': 'v1\n' }, 'one');
  git(work, 'tag', 'v1.0.0');
  git(work, 'tag', 'not-a-version');
  sha.c2 = commit({ 'app/cm.yaml': cmYaml('app', '2') }, 'two');
  git(work, 'tag', '-a', '-m', 'annotated', 'v1.1.0');
  git(work, 'tag', 'v2.0.0-rc.1');
  sha.c3 = commit({ 'app/cm.yaml': cmYaml('app', '3'), 'app/kustomization.yaml': 'resources:\n  - cm.yaml\nnamePrefix: k-\n' }, 'three');
  git(work, 'checkout', '-q', '-b', 'feature', sha.c1);
  sha.f1 = commit({ 'app/cm.yaml': cmYaml('app', 'feature') }, 'feature');
  git(work, 'checkout', '-q', '-b', 'evil', sha.c1);
  sha.evil = commit({ 'app/escape.yaml': { symlink: '../../../../etc/hostname' } }, 'out-of-bounds symlink');
  // `deep/…/up` is the repository root (12 levels up from 12 levels down): fine by itself,
  // but `deep/…/up/../…` then climbs out of the export while it reads as inside.
  git(work, 'checkout', '-q', '-b', 'sneaky', sha.c1);
  sha.sneaky = commit(
    { [`${DEEP}/up`]: { symlink: Array(12).fill('..').join('/') }, 'app/escape.yaml': { symlink: `../${DEEP}/up/${Array(13).fill('..').join('/')}/etc/passwd` } },
    'escape through an in-bounds symlink',
  );
  git(work, 'checkout', '-q', '-b', 'chain', sha.c1);
  sha.chain = commit({ [`${DEEP}/up`]: { symlink: Array(12).fill('..').join('/') }, 'app/link.yaml': { symlink: `../${DEEP}/up/app/cm.yaml` } }, 'in-bounds chain');
  git(work, 'checkout', '-q', 'main');
  git(work, 'push', '-q', '--tags', 'origin', 'main', 'feature', 'evil', 'sneaky', 'chain');

  ({ daemon, port } = await serveGitDaemon(srv, 'repo.git', { env: gitEnv }));
  await startHttpServer();
});

const HTTP_USER = 'alice';
const HTTP_PASSWORD = 'correct-horse-battery';
const HTTP_TOKEN = 'tok-0123456789';
let http: Server | undefined;
let httpPort = 0;
/** Authorization headers the HTTP server saw, in order. */
const httpAuth: string[] = [];

/** Basic (alice) or Bearer auth, recording every Authorization header in httpAuth. */
function authorize(req: IncomingMessage): boolean {
  const auth = req.headers.authorization ?? '';
  httpAuth.push(auth);
  const basic = `Basic ${Buffer.from(`${HTTP_USER}:${HTTP_PASSWORD}`).toString('base64')}`;
  return auth === basic || auth === `Bearer ${HTTP_TOKEN}`;
}

const gitHttp = { env: gitEnv, prefix: '/git', authorize, remoteUser: HTTP_USER };

/** A smart-HTTP git server (test/support/git-http.ts) behind that auth, serving `srv` under /git/. */
async function startHttpServer(): Promise<void> {
  ({ server: http } = await serveGitHttp(srv, gitHttp));
  httpPort = (http.address() as { port: number }).port;
}

/** The same for the https server, which serves `srv` under /mtls/ too: there a verified client certificate is required first. */
function gitHttpsHandler(): RequestListener {
  const handler = gitHttpHandler(srv, gitHttp);
  return (req, res) => {
    if (req.url?.startsWith('/mtls/')) {
      if (!(req.socket as TLSSocket).authorized) {
        res.writeHead(403);
        res.end('client certificate required\n');
        return;
      }
      req.url = `/git${req.url.slice('/mtls'.length)}`;
    }
    handler(req, res);
  };
}

afterAll(() => {
  http?.close();
  if (daemon?.pid !== undefined && daemon.exitCode === null) daemon.kill('SIGTERM');
  // exports are read-only: give write permission back before removing them
  spawnSync('chmod', ['-R', 'u+w', base]);
  rmSync(base, { recursive: true, force: true });
});

describe.each(transports)('fetching over %s', (transport) => {
  const url = () => urls()[transport];

  test('HEAD (the default) is the default branch', async () => {
    const { cache } = newCache();
    const f = await cache.fetch({ url: url() });
    expect(f.commit).toBe(sha.c3);
    expect(f.ref).toBe('refs/heads/main');
    expect(f.revision).toBe(`HEAD@sha1:${sha.c3}`);
    expect(f.cached).toBe(false);
    expect(read(f, 'app/cm.yaml')).toBe(cmYaml('app', '3'));
    expect(existsSync(join(f.dir, '.git'))).toBe(false);
    // read-only export
    expect(statSync(join(f.dir, 'app/cm.yaml')).mode & 0o222).toBe(0);
    expect(statSync(join(f.dir, 'app')).mode & 0o222).toBe(0);
  });

  test('a branch, a lightweight tag, an annotated tag (peeled to its commit)', async () => {
    const { cache } = newCache();
    const feature = await cache.fetch({ url: url(), revision: 'feature' });
    expect([feature.commit, feature.revision, feature.ref]).toEqual([sha.f1, `feature@sha1:${sha.f1}`, 'refs/heads/feature']);
    expect(read(feature, 'app/cm.yaml')).toBe(cmYaml('app', 'feature'));

    const light = await cache.fetch({ url: url(), revision: 'v1.0.0' });
    expect([light.commit, light.ref]).toEqual([sha.c1, 'refs/tags/v1.0.0']);
    expect(read(light, 'app/cm.yaml')).toBe(cmYaml('app', '1'));

    const annotated = await cache.fetch({ url: url(), revision: 'v1.1.0' });
    expect(annotated.commit).toBe(sha.c2);
    expect(annotated.commit).not.toBe(git(bare, 'rev-parse', 'refs/tags/v1.1.0'));
    expect(read(annotated, 'app/cm.yaml')).toBe(cmYaml('app', '2'));

    const full = await cache.fetch({ url: url(), revision: 'refs/heads/feature' });
    expect(full.commit).toBe(sha.f1);
  });

  test('a full SHA that is no branch tip, and a short SHA', async () => {
    const { cache } = newCache();
    const full = await cache.fetch({ url: url(), revision: sha.c1! });
    expect([full.commit, full.revision, full.ref]).toEqual([sha.c1, `sha1:${sha.c1}`, undefined]);
    expect(read(full, 'app/cm.yaml')).toBe(cmYaml('app', '1'));

    const short = await cache.fetch({ url: url(), revision: sha.c2!.slice(0, 8) });
    expect(short.commit).toBe(sha.c2);
    expect(read(short, 'app/cm.yaml')).toBe(cmYaml('app', '2'));
    // upper case SHAs are SHAs too
    const upper = await cache.fetch({ url: url(), revision: sha.c1!.toUpperCase() });
    expect(upper.commit).toBe(sha.c1);
  });

  test('semver constraints pick the highest matching tag (pre-releases only when asked)', async () => {
    const { cache } = newCache();
    const pick = async (revision: string) => (await cache.fetch({ url: url(), revision })).commit;
    expect(await pick('>=1.0.0')).toBe(sha.c2);
    expect(await pick('~1.0')).toBe(sha.c1);
    expect(await pick('1.0.*')).toBe(sha.c1);
    expect(await pick('>=2.0.0-0')).toBe(sha.c2);
    const f = await cache.fetch({ url: url(), revision: '^1.0.0' });
    expect([f.commit, f.ref, f.revision]).toEqual([sha.c2, 'refs/tags/v1.1.0', `v1.1.0@sha1:${sha.c2}`]);
    // no tag matches: not a ref either
    const e = await rejection(cache.fetch({ url: url(), revision: '>=9.0.0' }));
    expect(e).toBeInstanceOf(GitRefNotFoundError);
    expect(e.message).toContain('>=9.0.0');
  });

  test('Flux refs and their precedence (commit > name > semver > tag > branch)', async () => {
    const { cache } = newCache();
    const fetch = (ref: GitSourceSpec['ref']) => cache.fetch({ url: url(), ref });
    const branch = await fetch({ branch: 'feature' });
    expect([branch.commit, branch.revision]).toEqual([sha.f1, `feature@sha1:${sha.f1}`]);
    const tag = await fetch({ branch: 'feature', tag: 'v1.0.0' });
    expect([tag.commit, tag.revision]).toEqual([sha.c1, `v1.0.0@sha1:${sha.c1}`]);
    const semver = await fetch({ branch: 'feature', tag: 'v1.0.0', semver: '>=1.0.0 <2.0.0' });
    expect([semver.commit, semver.revision]).toEqual([sha.c2, `v1.1.0@sha1:${sha.c2}`]);
    const name = await fetch({ tag: 'v1.0.0', semver: '>=1.0.0', name: 'refs/heads/feature' });
    expect([name.commit, name.revision]).toEqual([sha.f1, `refs/heads/feature@sha1:${sha.f1}`]);
    const commitOnly = await fetch({ name: 'refs/heads/feature', commit: sha.c1 });
    expect([commitOnly.commit, commitOnly.revision]).toEqual([sha.c1, `sha1:${sha.c1}`]);
    const commitAndBranch = await fetch({ branch: 'main', commit: sha.c2 });
    expect([commitAndBranch.commit, commitAndBranch.revision]).toEqual([sha.c2, `main@sha1:${sha.c2}`]);
    // Flux's default branch is master; this repository has none.
    const e = await rejection(fetch({}));
    expect(e).toBeInstanceOf(GitRefNotFoundError);
    expect((e as GitRefNotFoundError).revision).toBe('branch "master"');
  });

  test('missing refs: GitRefNotFoundError naming what was asked', async () => {
    const { cache } = newCache();
    const cases: [GitSourceSpec, string][] = [
      [{ url: url(), revision: 'no-such-branch' }, 'no-such-branch'],
      [{ url: url(), ref: { tag: 'v9.9.9' } }, 'v9.9.9'],
      [{ url: url(), ref: { branch: 'gone' } }, 'gone'],
      [{ url: url(), ref: { semver: '>=5.0.0' } }, '>=5.0.0'],
      [{ url: url(), ref: { name: 'refs/pull/1/head' } }, 'refs/pull/1/head'],
      [{ url: url(), revision: '0123456789abcdef0123456789abcdef01234567' }, '0123456789abcdef0123456789abcdef01234567'],
      [{ url: url(), revision: 'deadbeef' }, 'deadbeef'],
    ];
    for (const [spec, what] of cases) {
      const e = await rejection(cache.fetch(spec));
      expect(e, JSON.stringify(spec)).toBeInstanceOf(GitRefNotFoundError);
      expect(e.message, JSON.stringify(spec)).toContain(what);
      expect((e as GitRefNotFoundError).revision, JSON.stringify(spec)).toContain(what);
    }
  });
});

describe('the cache', () => {
  test('a second fetch of the same commit does not fetch or export again', async () => {
    const { cache, root, log } = newCache();
    const first = await cache.fetch({ url: bare, revision: 'v1.0.0' });
    const inode = statSync(first.dir).ino;
    expect(first.cached).toBe(false);
    const second = await cache.fetch({ url: bare, revision: 'v1.0.0' });
    expect(second).toMatchObject({ commit: sha.c1, dir: first.dir, cached: true });
    expect(statSync(second.dir).ino).toBe(inode);
    // the same commit through another name: the export is shared too
    const bySha = await cache.fetch({ url: bare, revision: sha.c1! });
    expect(bySha).toMatchObject({ dir: first.dir, cached: true });
    expect(log.filter((l) => l.endsWith(' fetched'))).toHaveLength(1);
    expect(log.filter((l) => l.endsWith('(cached)'))).toHaveLength(2);
    expect(readdirSync(join(root, 'trees'))).toEqual([`${repoKey(bare)}-${sha.c1}`]);
  });

  test('shallow by default; shallow: false fetches the history', async () => {
    const { cache, root } = newCache();
    await cache.fetch({ url: bare, revision: 'main' });
    const repo = join(root, 'repos', `${repoKey(bare)}.git`);
    expect(git(repo, 'rev-parse', '--is-shallow-repository')).toBe('true');
    expect(git(repo, 'rev-list', '--count', sha.c3!)).toBe('1');

    const deep = newCache();
    await deep.cache.fetch({ url: bare, revision: 'main', shallow: false });
    const deepRepo = join(deep.root, 'repos', `${repoKey(bare)}.git`);
    expect(git(deepRepo, 'rev-parse', '--is-shallow-repository')).toBe('false');
    expect(git(deepRepo, 'rev-list', '--count', sha.c3!)).toBe('3');
  });

  test('a short SHA after a shallow fetch deepens the repository', async () => {
    const { cache } = newCache();
    await cache.fetch({ url: urls().daemon, revision: 'main' });
    const f = await cache.fetch({ url: urls().daemon, revision: sha.c1!.slice(0, 10) });
    expect(f.commit).toBe(sha.c1);
    expect(read(f, 'app/cm.yaml')).toBe(cmYaml('app', '1'));
  });

  test('a new commit on the branch is seen by the next fetch; the old export stays', async () => {
    // a repository of its own (served by the daemon too), so that the other tests keep their commits
    const own = join(srv, 'moving.git');
    git(base, 'clone', '-q', '--bare', bare, own);
    const { cache } = newCache();
    const local = `git://127.0.0.1:${port}/moving.git`;
    const before = await cache.fetch({ url: local, revision: 'main' });
    expect(before.commit).toBe(sha.c3);
    const clone = join(base, 'moving-work');
    git(base, 'clone', '-q', own, clone);
    writeFileSync(join(clone, 'app/cm.yaml'), cmYaml('app', '4'));
    git(clone, 'commit', '-q', '-am', 'four');
    const c4 = git(clone, 'rev-parse', 'HEAD');
    git(clone, 'push', '-q', 'origin', 'main');

    const after = await cache.fetch({ url: local, revision: 'main' });
    expect(after).toMatchObject({ commit: c4, cached: false, revision: `main@sha1:${c4}` });
    expect(after.dir).not.toBe(before.dir);
    expect(read(after, 'app/cm.yaml')).toBe(cmYaml('app', '4'));
    expect(read(before, 'app/cm.yaml')).toBe(cmYaml('app', '3'));
  });

  test('concurrent fetches of one commit share one export', async () => {
    const { cache, log } = newCache();
    const results = await Promise.all([1, 2, 3, 4].map(() => cache.fetch({ url: urls().daemon, revision: 'feature' })));
    expect(new Set(results.map((r) => r.dir)).size).toBe(1);
    expect(results.map((r) => r.commit)).toEqual([sha.f1, sha.f1, sha.f1, sha.f1]);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    expect(log.filter((l) => l.endsWith(' fetched'))).toHaveLength(1);
  });

  test('exports beyond maxCommits are evicted, least recently used first', async () => {
    const { cache, root, log } = newCache({ maxCommits: 2, minIdleMs: 0 });
    const a = await cache.fetch({ url: bare, revision: 'v1.0.0' });
    await new Promise((r) => setTimeout(r, 20));
    const b = await cache.fetch({ url: bare, revision: 'v1.1.0' });
    await new Promise((r) => setTimeout(r, 20));
    // using a again makes b the least recently used
    expect((await cache.fetch({ url: bare, revision: 'v1.0.0' })).cached).toBe(true);
    await new Promise((r) => setTimeout(r, 20));
    const c = await cache.fetch({ url: bare, revision: 'main' });
    expect(existsSync(a.dir)).toBe(true);
    expect(existsSync(b.dir)).toBe(false);
    expect(existsSync(c.dir)).toBe(true);
    expect(readdirSync(join(root, 'trees')).sort()).toEqual([`${repoKey(bare)}-${sha.c1}`, `${repoKey(bare)}-${sha.c3}`].sort());
    expect(log.some((l) => l.startsWith('git: evicted trees/'))).toBe(true);
  });

  test('a fetched export renders with renderSource', async () => {
    const { cache } = newCache();
    const f = await cache.fetch({ url: urls().daemon, revision: 'main' });
    const r = renderSource(f.dir, { path: 'app' });
    expect(r.kind).toBe('kustomize');
    expect(r.manifests.map((m) => [m.object.metadata.name, (m.object.data as Record<string, string>).version])).toEqual([['k-app', '3']]);
  });

  test('a commit with an out-of-bounds symlink is refused and leaves no export', async () => {
    const { cache, root } = newCache();
    const e = await rejection(cache.fetch({ url: bare, revision: 'evil' }));
    expect(e).toBeInstanceOf(GitError);
    expect(e.message).toContain('out-of-bounds symlinks');
    expect(e.message).toContain('app/escape.yaml');
    expect(readdirSync(join(root, 'trees'))).toEqual([]);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  test('symlinks are followed to see where they lead, not read as text', async () => {
    const { cache } = newCache();
    const e = await rejection(cache.fetch({ url: bare, revision: 'sneaky' }));
    expect(e).toBeInstanceOf(GitError);
    expect(e.message).toContain('out-of-bounds symlinks. file: app/escape.yaml');
    // the same in-bounds link used to stay inside is fine
    const ok = await cache.fetch({ url: bare, revision: 'chain' });
    expect(ok.commit).toBe(sha.chain);
    expect(read(ok, 'app/link.yaml')).toBe(cmYaml('app', '1'));
  });
});

describe('credentials (smart HTTP behind auth)', () => {
  const httpUrl = (repo = 'repo.git') => `http://127.0.0.1:${httpPort}/git/${repo}`;

  test('username and password through askpass; neither on a command line nor in the URL', async () => {
    const { cache, root } = newCache();
    const f = await cache.fetch({ url: httpUrl(), revision: 'v1.0.0', credentials: { username: HTTP_USER, password: HTTP_PASSWORD } });
    expect(f.commit).toBe(sha.c1);
    expect(read(f, 'app/cm.yaml')).toBe(cmYaml('app', '1'));
    // nothing in the cache remembers the password (no config, no temp file left behind)
    const files = (readdirSync(root, { recursive: true }) as string[]).map((p) => join(root, p)).filter((p) => statSync(p).isFile());
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) expect(readFileSync(file, 'latin1'), file).not.toContain(HTTP_PASSWORD);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  test('a bearer token', async () => {
    const { cache } = newCache();
    const before = httpAuth.length;
    const f = await cache.fetch({ url: httpUrl(), revision: 'feature', credentials: { bearerToken: HTTP_TOKEN } });
    expect(f.commit).toBe(sha.f1);
    expect(httpAuth.slice(before)).toContain(`Bearer ${HTTP_TOKEN}`);
  });

  test('a password in the URL works, and never shows in messages', async () => {
    const { cache } = newCache();
    const good = `http://${HTTP_USER}:${HTTP_PASSWORD}@127.0.0.1:${httpPort}/git/repo.git`;
    expect((await cache.fetch({ url: good, revision: 'main' })).commit).toBe(sha.c3);
    const wrong = 'wrong-pass-in-url';
    const e = await rejection(cache.fetch({ url: `http://${HTTP_USER}:${wrong}@127.0.0.1:${httpPort}/git/repo.git`, revision: 'main' }));
    expect(e).toBeInstanceOf(GitAuthError);
    expect(e.message).toContain(`http://${HTTP_USER}:***@127.0.0.1:${httpPort}/git/repo.git`);
    expect(e.message).not.toContain(wrong);
  });

  test('wrong or missing credentials: GitAuthError without the secret', async () => {
    const { cache } = newCache();
    const wrong = 'not-the-password-42';
    const e = await rejection(cache.fetch({ url: httpUrl(), credentials: { username: HTTP_USER, password: wrong } }));
    expect(e).toBeInstanceOf(GitAuthError);
    expect(e.message).toMatch(new RegExp(`^git ls-remote ${httpUrl().replace(/[.]/g, '\\.')}: authentication failed`));
    expect(e.message).not.toContain(wrong);
    expect(String(e.stack)).not.toContain(wrong);

    const none = await rejection(cache.fetch({ url: httpUrl() }));
    expect(none).toBeInstanceOf(GitAuthError);
    const badToken = await rejection(cache.fetch({ url: httpUrl(), credentials: { bearerToken: 'tok-wrong-777' } }));
    expect(badToken).toBeInstanceOf(GitAuthError);
    expect(badToken.message).not.toContain('tok-wrong-777');
  });

  test('a repository the server does not have: GitRepositoryNotFoundError', async () => {
    const { cache } = newCache();
    const e = await rejection(cache.fetch({ url: httpUrl('nope.git'), credentials: { username: HTTP_USER, password: HTTP_PASSWORD } }));
    expect(e).toBeInstanceOf(GitRepositoryNotFoundError);
    expect(e.message).not.toContain(HTTP_PASSWORD);
  });
});

describe('TLS (https with a private CA, client certificates)', () => {
  const pki = join(base, 'pki');
  const pem = (name: string) => readFileSync(join(pki, name), 'utf8');
  let https: Server | undefined;
  let httpsPort = 0;
  let inheritedCaInfo: string | undefined;

  beforeAll(async () => {
    mkdirSync(pki, { recursive: true });
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: pki, stdio: 'pipe' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=slipway test CA');
    writeFileSync(join(pki, 'server.ext'), 'subjectAltName=IP:127.0.0.1\n');
    ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext');
    ssl('req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=slipway');
    ssl('x509', '-req', '-in', 'client.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.crt', '-days', '2');
    // A CA inherited through GIT_SSL_CAINFO (as CI machines often have) must not replace the secret's.
    ssl('req', '-x509', ...ec, '-keyout', 'other-ca.key', '-out', 'other-ca.crt', '-days', '2', '-subj', '/CN=some other CA');
    inheritedCaInfo = process.env.GIT_SSL_CAINFO;
    process.env.GIT_SSL_CAINFO = join(pki, 'other-ca.crt');
    https = createHttpsServer({ key: pem('server.key'), cert: pem('server.crt'), ca: pem('ca.crt'), requestCert: true, rejectUnauthorized: false }, gitHttpsHandler());
    await new Promise<void>((resolve) => https!.listen(0, '127.0.0.1', () => ((httpsPort = (https!.address() as { port: number }).port), resolve())));
  });
  afterAll(() => {
    https?.close();
    if (inheritedCaInfo === undefined) delete process.env.GIT_SSL_CAINFO;
    else process.env.GIT_SSL_CAINFO = inheritedCaInfo;
  });

  const url = (prefix = 'git') => `https://127.0.0.1:${httpsPort}/${prefix}/repo.git`;
  const token = { bearerToken: HTTP_TOKEN };

  test('an unknown CA is refused (unreachable); caCert or insecure make it work', async () => {
    const { cache } = newCache();
    const e = await rejection(cache.fetch({ url: url(), credentials: token }));
    expect(e).toBeInstanceOf(GitUnreachableError);
    expect(e.message).toMatch(/SSL certificate problem|certificate verif/i);
    expect((await cache.fetch({ url: url(), revision: 'v1.0.0', credentials: { ...token, caCert: pem('ca.crt') } })).commit).toBe(sha.c1);
    expect((await newCache().cache.fetch({ url: url(), revision: 'feature', credentials: { ...token, insecure: true } })).commit).toBe(sha.f1);
  });

  test('a client certificate (Argo tlsClientCertData/Key, Flux tls.crt/tls.key)', async () => {
    const { cache, root } = newCache();
    const e = await rejection(cache.fetch({ url: url('mtls'), credentials: { ...token, caCert: pem('ca.crt') } }));
    expect(e).toBeInstanceOf(GitAuthError);
    const key = pem('client.key');
    const f = await cache.fetch({ url: url('mtls'), revision: 'main', credentials: { ...token, caCert: pem('ca.crt'), tlsClientCert: pem('client.crt'), tlsClientKey: key } });
    expect(f.commit).toBe(sha.c3);
    // the key was in a temp file for the fetch only
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });
});

describe('credentials over ssh (a stand-in ssh program that records what it is given)', () => {
  /**
   * An `ssh` that logs its arguments, the identity and known_hosts files it is pointed at and
   * what SSH_ASKPASS answers for a passphrase, then runs the remote command locally (so
   * `git-upload-pack '/path'` serves the bare repository). Host `denied` refuses the key.
   */
  function fakeSsh(): { ssh: string; log: () => string } {
    const dir = mkdtempSync(join(base, 'fake-ssh-'));
    const log = join(dir, 'log');
    const ssh = join(dir, 'ssh');
    writeFileSync(
      ssh,
      `#!/bin/sh
prev=""
for a in "$@"; do
  [ "$prev" = "-i" ] && echo "IDENTITY $(cat "$a") MODE $(stat -c %a "$a") DIRMODE $(stat -c %a "$(dirname "$a")") PATH $a" >> '${log}'
  case "$a" in UserKnownHostsFile=*) echo "KNOWN_HOSTS $(cat "\${a#UserKnownHostsFile=}")" >> '${log}' ;; esac
  prev="$a"
done
echo "ARGS $*" >> '${log}'
if [ "\${SSH_ASKPASS_REQUIRE:-}" = force ]; then echo "PASSPHRASE $("$SSH_ASKPASS" "Enter passphrase for key '/x': ")" >> '${log}'; fi
case "$*" in *" -G "*|*" -G") exit 0 ;; esac
case "$*" in *git@denied*) echo "git@denied: Permission denied (publickey)." >&2; exit 255 ;; esac
case "$*" in *git@slow*) echo "SLOW $$" >> '${log}'; exec sleep 60 ;; esac
for last; do :; done
exec sh -c "$last"
`,
      { mode: 0o755 },
    );
    return { ssh, log: () => (existsSync(log) ? readFileSync(log, 'utf8') : '') };
  }
  const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key-but-secret\n-----END OPENSSH PRIVATE KEY-----';

  test('the key in a private file, known_hosts checked strictly, BatchMode; nothing left behind', async () => {
    const { ssh, log } = fakeSsh();
    const { cache, root } = newCache({ sshCommand: ssh });
    const f = await cache.fetch({ url: `ssh://git@fakehost${bare}`, revision: 'v1.1.0', credentials: { sshPrivateKey: KEY, knownHosts: 'fakehost ssh-ed25519 AAAAC3Nza' } });
    expect(f.commit).toBe(sha.c2);
    const text = log();
    expect(text).toContain(`IDENTITY ${KEY} MODE 600 DIRMODE 700`);
    expect(text).toContain('KNOWN_HOSTS fakehost ssh-ed25519 AAAAC3Nza');
    expect(text).toMatch(/ARGS .*-o IdentitiesOnly=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile=\S+ -o BatchMode=yes .*git@fakehost/);
    // the key file was removed after the fetch
    const keyFile = /PATH (\S+)/.exec(text)![1]!;
    expect(existsSync(keyFile)).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  test('scp-style URLs; insecure turns host key checking off', async () => {
    const { ssh, log } = fakeSsh();
    const { cache } = newCache({ sshCommand: ssh });
    const f = await cache.fetch({ url: `git@fakehost:${bare}`, revision: 'feature', credentials: { sshPrivateKey: KEY, insecure: true } });
    expect(f.commit).toBe(sha.f1);
    expect(log()).toMatch(/StrictHostKeyChecking=no -o UserKnownHostsFile=\/dev\/null/);
  });

  test('a key passphrase is answered by the askpass script', async () => {
    const { ssh, log } = fakeSsh();
    const { cache } = newCache({ sshCommand: ssh });
    await cache.fetch({ url: `ssh://git@fakehost${bare}`, credentials: { sshPrivateKey: KEY, sshPassphrase: 'open sesame', knownHosts: 'fakehost ssh-ed25519 AAAA' } });
    expect(log()).toContain('PASSPHRASE open sesame');
    expect(log()).not.toContain('BatchMode=yes');
  });

  test('aborting a fetch kills the git processes (and ssh) and frees the repository for the next fetch', async () => {
    const { ssh, log } = fakeSsh();
    const { cache, root } = newCache({ sshCommand: ssh });
    const controller = new AbortController();
    const started = Date.now();
    const p = cache.fetch({ url: `ssh://git@slow${bare}`, credentials: { sshPrivateKey: KEY } }, controller.signal);
    const deadline = Date.now() + 10_000;
    while (!/SLOW (\d+)/.test(log()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const pid = Number(/SLOW (\d+)/.exec(log())![1]);
    controller.abort(new Error('app deleted'));
    const e = await rejection(p);
    expect(e.message).toBe('app deleted');
    expect(Date.now() - started).toBeLessThan(10_000);
    // the stand-in ssh (sleeping) is gone, and so is the key file
    const gone = Date.now() + 5_000;
    let alive = true;
    while (alive && Date.now() < gone) {
      try {
        process.kill(pid, 0);
        await new Promise((r) => setTimeout(r, 50));
      } catch {
        alive = false;
      }
    }
    expect(alive).toBe(false);
    const cleaned = Date.now() + 5_000;
    while (readdirSync(join(root, 'tmp')).length > 0 && Date.now() < cleaned) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
    // the lock is released: another fetch of the same URL gets to run ssh (still slow: it times out)
    const f = await cache.fetch({ url: `ssh://git@slow${bare}`, revision: sha.c1!, credentials: { sshPrivateKey: KEY } }, AbortSignal.timeout(2_000)).catch((x: Error) => x);
    expect((f as Error).name).toBe('TimeoutError');
    expect(log().match(/SLOW \d+/g)).toHaveLength(2);
  });

  test('a refused key: GitAuthError without the key', async () => {
    const { ssh } = fakeSsh();
    const { cache } = newCache({ sshCommand: ssh });
    const e = await rejection(cache.fetch({ url: `ssh://git@denied${bare}`, credentials: { sshPrivateKey: KEY, knownHosts: 'denied ssh-ed25519 AAAA' } }));
    expect(e).toBeInstanceOf(GitAuthError);
    // ssh's own reason is kept, not only git's "Could not read from remote repository"
    expect(e.message).toContain(`git ls-remote ssh://git@denied${bare}: authentication failed: git@denied: Permission denied (publickey).; Could not read from remote repository.`);
    expect(e.message).not.toContain('not-a-real-key');
  });
});

describe('failures', () => {
  test('an unreachable server: GitUnreachableError with the URL and no credentials', async () => {
    const { cache } = newCache();
    const closed = await freePort();
    const e = await rejection(cache.fetch({ url: `git://127.0.0.1:${closed}/repo.git`, revision: 'main' }));
    expect(e).toBeInstanceOf(GitUnreachableError);
    expect(e.message).toMatch(new RegExp(`^git ls-remote git://127\\.0\\.0\\.1:${closed}/repo\\.git: cannot reach the repository: .*(refused|unable to connect)`, 'i'));

    const password = 'hunter2-very-secret';
    const inUrl = 'pw-in-url-s3cret';
    const e2 = await rejection(
      cache.fetch({ url: `http://alice:${inUrl}@127.0.0.1:${closed}/repo.git`, revision: 'main', credentials: { username: 'alice', password, bearerToken: 'tok-abcdef-123' } }),
    );
    expect(e2).toBeInstanceOf(GitUnreachableError);
    expect(e2.message).toContain(`http://alice:***@127.0.0.1:${closed}/repo.git`);
    for (const secret of [password, inUrl, 'tok-abcdef-123']) {
      expect(e2.message).not.toContain(secret);
      expect(JSON.stringify(e2)).not.toContain(secret);
      expect(String(e2.stack)).not.toContain(secret);
    }
  });

  test('a repository the daemon does not have: GitRepositoryNotFoundError', async () => {
    const { cache } = newCache();
    const e = await rejection(cache.fetch({ url: `git://127.0.0.1:${port}/nope.git` }));
    expect(e).toBeInstanceOf(GitRepositoryNotFoundError);
    expect(e.message).toContain(`git ls-remote git://127.0.0.1:${port}/nope.git`);
  });

  test('a local path that does not exist is unreachable; one that is no repository is not found', async () => {
    const { cache } = newCache();
    const missing = join(base, 'does-not-exist.git');
    const e = await rejection(cache.fetch({ url: missing }));
    expect(e).toBeInstanceOf(GitUnreachableError);
    expect(e.message).toContain(missing);
    const plain = mkdtempSync(join(base, 'plain-'));
    const e2 = await rejection(cache.fetch({ url: plain }));
    expect(e2).toBeInstanceOf(GitRepositoryNotFoundError);
  });

  test('an aborted fetch rejects with the reason', async () => {
    const { cache } = newCache();
    const controller = new AbortController();
    const p = cache.fetch({ url: urls().daemon, revision: 'main' }, controller.signal);
    controller.abort(new Error('stop'));
    const e = await rejection(p);
    expect(e.message).toBe('stop');
    // the cache still works afterwards
    expect((await cache.fetch({ url: urls().daemon, revision: 'main' })).commit).toBe(sha.c3);
  });
});
