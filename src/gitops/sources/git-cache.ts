/**
 * GitSourceCache: Git sources fetched with the git CLI into a cache keyed by repository URL and
 * commit. Per URL there is one bare repository (`repos/<key>.git`) that fetches only what was
 * asked for (`--depth 1` by ref name, or by SHA where the server allows it; all branches and
 * tags otherwise); each commit is exported once, read-only and without .git, to
 * `trees/<key>-<commit>`, which every app on that commit shares. Fetches of one URL run one at
 * a time; exports beyond `maxCommits` are removed oldest-used first.
 *
 * Argo CD's repo-server does the same with one working copy per repository under a lock
 * (reposerver/repository/repository.go, util/git/client.go); Flux's source-controller clones
 * into a temp dir and keeps an artifact per revision. Argo's out-of-bounds symlink check
 * (util/io/files CheckOutOfBoundsSymlinks) runs on every export.
 */
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir, mkdtemp, readdir, readlink, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GitError, GitRefNotFoundError, GitUnreachableError, GitAuthError, GitRepositoryNotFoundError, type GitStep } from './errors.js';
import { ASKPASS_SCRIPT, credentialEnv, type CredentialEnv } from './internal/credentials-env.js';
import { classifyGitFailure, redactUrl, runGit } from './internal/git-cli.js';
import {
  RefResolutionError,
  argoNeedsRefs,
  fluxNeedsRefs,
  parseLsRemote,
  resolveArgoRevision,
  resolveFluxRef,
  revisionString,
  type RemoteRef,
  type Resolution,
} from './internal/refs.js';
import type { FetchedSource, GitSourceSpec } from './types.js';

/** Options of a cache; all have defaults. */
export interface GitSourceCacheOptions {
  /** Exported commits kept (across all repositories) before the least recently used are removed. @default 32 */
  maxCommits?: number;
  /** An export used within this many milliseconds is never removed, even over the bound. @default 60000 */
  minIdleMs?: number;
  /** The git program. @default 'git' */
  git?: string;
  /** The ssh program git runs for ssh URLs (options are appended). @default 'ssh' */
  sshCommand?: string;
  /** Receives one line per fetch and per eviction (no credentials in it). */
  log?: (message: string) => void;
}

/** Default options. */
export function defaultGitSourceCacheOptions(): Required<Omit<GitSourceCacheOptions, 'log'>> {
  return { maxCommits: 32, minIdleMs: 60_000, git: 'git', sshCommand: 'ssh' };
}

/** Whether `url` is a local path (no scheme, not scp-style `host:path`). */
export function isLocalPath(url: string): boolean {
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(url)) return false;
  const colon = url.indexOf(':');
  const slash = url.indexOf('/');
  return colon < 0 || (slash >= 0 && slash < colon);
}

/** The directory a local path or file:// URL points to; undefined for remote URLs. */
function localPathOf(url: string): string | undefined {
  if (isLocalPath(url)) return url;
  if (!/^file:\/\//i.test(url)) return undefined;
  try {
    return decodeURIComponent(new URL(url).pathname);
  } catch {
    return undefined;
  }
}

/** The password of `scheme://user:password@host/…`, as written and percent-decoded (as git reads it). */
function urlUserinfoSecrets(url: string): string[] {
  const raw = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/@]*?:([^/@]*)@/.exec(url)?.[1];
  if (!raw) return [];
  try {
    return [...new Set([raw, decodeURIComponent(raw)])];
  } catch {
    return [raw];
  }
}

/** A fetch in progress: what every git call of it shares. */
interface FetchContext {
  url: string;
  shownUrl: string;
  bare: string;
  creds: CredentialEnv;
  signal: AbortSignal | undefined;
}

/** The cache. One instance per root; several instances on one root in one process would not share locks. */
export class GitSourceCache {
  private readonly options: Required<Omit<GitSourceCacheOptions, 'log'>> & Pick<GitSourceCacheOptions, 'log'>;
  private readonly locks = new Map<string, Promise<void>>();
  /**
   * The last ls-remote per repository and when it started. A fetch reuses it only when it
   * started after that fetch was asked for, so no answer is older than the question: a
   * thousand apps on one repository refreshed at once cost one or two ls-remotes, not a
   * thousand, and a commit pushed before a fetch was asked for is always seen.
   */
  private readonly lastRefs = new Map<string, { startedAt: number; refs: RemoteRef[] }>();
  private ready: Promise<void> | undefined;

  constructor(
    /** Cache directory, e.g. ~/.cache/slipway/git. Created when missing. */
    readonly root: string,
    options: GitSourceCacheOptions = {},
  ) {
    this.options = { ...defaultGitSourceCacheOptions(), ...options };
  }

  /**
   * Resolves the spec's revision on the server, fetches that commit unless an export of it is
   * already cached, and returns the export. Throws GitError subclasses naming the URL and the
   * failing step; rejects with `signal.reason` when aborted (running git processes are killed).
   */
  async fetch(spec: GitSourceSpec, signal?: AbortSignal): Promise<FetchedSource> {
    signal?.throwIfAborted();
    const askedAt = performance.now();
    await this.init();
    const url = isLocalPath(spec.url) ? resolve(spec.url) : spec.url;
    // Keyed by the resolved URL: `./repo` from two working directories is two repositories.
    const key = repoKey(url);
    const local = localPathOf(url);
    if (local !== undefined && !(await exists(local))) {
      throw new GitUnreachableError(redactUrl(spec.url), 'ls-remote', `cannot reach the repository: ${local}: no such file or directory`);
    }
    return this.withLock(key, signal, async () => {
      signal?.throwIfAborted();
      const creds = await credentialEnv(spec.credentials, {
        askpass: join(this.root, 'bin', 'askpass.sh'),
        tmpRoot: join(this.root, 'tmp'),
        sshCommand: this.options.sshCommand,
      });
      // A password written into the URL is a secret too (git may print the URL in a message).
      creds.secrets.push(...urlUserinfoSecrets(spec.url));
      const ctx: FetchContext = { url, shownUrl: redactUrl(spec.url), bare: join(this.root, 'repos', `${key}.git`), creds, signal };
      try {
        return await this.fetchLocked(spec, key, ctx, askedAt);
      } finally {
        await creds.cleanup();
      }
    });
  }

  private async fetchLocked(spec: GitSourceSpec, key: string, ctx: FetchContext, askedAt: number): Promise<FetchedSource> {
    const shallow = spec.shallow !== false;
    let resolution = await this.resolve(spec, key, ctx, askedAt);
    const result = (commit: string, cached: boolean): FetchedSource => ({
      commit,
      dir: this.treeDir(key, commit),
      revision: revisionString(resolution.label, commit),
      ...(resolution.refName ? { ref: resolution.refName } : {}),
      cached,
    });
    if (!(resolution.kind === 'commit' && resolution.abbreviated) && (await this.touch(this.treeDir(key, resolution.commit)))) {
      this.options.log?.(`git: ${ctx.shownUrl} ${revisionString(resolution.label, resolution.commit)} (cached)`);
      return result(resolution.commit, true);
    }
    await this.initBare(ctx);
    let commit: string;
    if (resolution.kind === 'ref') {
      commit = await this.fetchRef(ctx, resolution.refName, resolution.commit, shallow);
      if (commit !== resolution.commit) resolution = { ...resolution, commit };
    } else {
      commit = await this.fetchCommit(ctx, resolution.commit, resolution.abbreviated, resolution.refName, shallow);
    }
    const dir = this.treeDir(key, commit);
    const cached = await this.touch(dir);
    if (!cached) await this.exportTree(ctx, commit, dir);
    this.options.log?.(`git: ${ctx.shownUrl} ${revisionString(resolution.label, commit)} fetched`);
    await this.evict(dir);
    return result(commit, cached);
  }

  /** The commit (or the way to get it) for the spec: ls-remote unless a full SHA was given. */
  private async resolve(spec: GitSourceSpec, key: string, ctx: FetchContext, askedAt: number): Promise<Resolution> {
    const needsRefs = spec.ref ? fluxNeedsRefs(spec.ref) : argoNeedsRefs(spec.revision);
    // Answers are shared only between fetches with the same credentials.
    const refsKey = spec.credentials ? `${key}:${createHash('sha256').update(JSON.stringify(spec.credentials)).digest('hex')}` : key;
    const refs: RemoteRef[] = needsRefs ? await this.remoteRefs(refsKey, ctx, askedAt) : [];
    try {
      return spec.ref ? resolveFluxRef(spec.ref, refs) : resolveArgoRevision(spec.revision, refs);
    } catch (e) {
      if (e instanceof RefResolutionError) throw new GitRefNotFoundError(ctx.shownUrl, 'ls-remote', e.revision, e.message);
      throw e;
    }
  }

  /** The server's refs: the last ls-remote if it started after `askedAt`, else a new one. */
  private async remoteRefs(key: string, ctx: FetchContext, askedAt: number): Promise<RemoteRef[]> {
    const last = this.lastRefs.get(key);
    if (last && last.startedAt >= askedAt) return last.refs;
    const startedAt = performance.now();
    const refs = parseLsRemote((await this.git(ctx, 'ls-remote', ['ls-remote', '--symref', ctx.url], this.root)).stdout);
    this.lastRefs.set(key, { startedAt, refs });
    // Answers only serve fetches asked for before they started: old ones serve none.
    for (const [k, v] of this.lastRefs) if (v.startedAt < startedAt - 600_000) this.lastRefs.delete(k);
    return refs;
  }

  /** Fetches `refName`; returns the commit it points to now (it may have moved since ls-remote). */
  private async fetchRef(ctx: FetchContext, refName: string, expected: string, shallow: boolean): Promise<string> {
    if (await this.hasCommit(ctx, expected)) return expected;
    const args = ['fetch', '--no-tags', '--quiet', ...(shallow ? ['--depth', '1'] : []), ctx.url, refName];
    await this.git(ctx, 'fetch', args, ctx.bare, refName);
    return (await this.git(ctx, 'fetch', ['rev-parse', 'FETCH_HEAD^{commit}'], ctx.bare)).stdout.trim();
  }

  /**
   * Fetches a commit by SHA: directly (`--depth 1`) where the server allows unadvertised
   * objects (protocol v2 servers do), else every branch and tag (or only `refName`) in full,
   * as Argo CD falls back to `git fetch origin --tags`.
   */
  private async fetchCommit(ctx: FetchContext, sha: string, abbreviated: boolean, refName: string | undefined, shallow: boolean): Promise<string> {
    if (!abbreviated && (await this.hasCommit(ctx, sha))) return sha;
    if (!abbreviated) {
      try {
        await this.git(ctx, 'fetch', ['fetch', '--no-tags', '--quiet', ...(shallow ? ['--depth', '1'] : []), ctx.url, sha], ctx.bare, `commit ${sha}`);
        if (await this.hasCommit(ctx, sha)) return sha;
      } catch (e) {
        // Unreachable servers and refused credentials will not get better with a wider fetch.
        if (e instanceof GitUnreachableError || e instanceof GitAuthError || e instanceof GitRepositoryNotFoundError) throw e;
        if (!(e instanceof GitError)) throw e;
      }
    }
    const shallowRepo = (await this.git(ctx, 'fetch', ['rev-parse', '--is-shallow-repository'], ctx.bare)).stdout.trim() === 'true';
    const refspecs = refName ? [`+${refName}:refs/slipway/${refName.replace(/^refs\//, '')}`] : ['+refs/heads/*:refs/slipway/heads/*', '+refs/tags/*:refs/slipway/tags/*'];
    await this.git(ctx, 'fetch', ['fetch', '--no-tags', '--quiet', ...(shallowRepo ? ['--unshallow'] : []), ctx.url, ...refspecs], ctx.bare, refName);
    if (abbreviated) {
      try {
        const full = (await this.git(ctx, 'fetch', ['rev-parse', '--verify', '--quiet', `${sha}^{commit}`], ctx.bare)).stdout.trim();
        if (full) return full;
      } catch {
        // falls through to the not-found error
      }
    } else if (await this.hasCommit(ctx, sha)) {
      return sha;
    }
    const where = refName ? ` in ${refName}` : '';
    throw new GitRefNotFoundError(ctx.shownUrl, 'fetch', `commit "${sha}"`, `commit ${sha} not found${where}`);
  }

  private async hasCommit(ctx: FetchContext, sha: string): Promise<boolean> {
    try {
      await runGit(this.options.git, { args: ['cat-file', '-e', `${sha}^{commit}`], cwd: ctx.bare, env: ctx.creds.env, signal: ctx.signal });
      return true;
    } catch {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      return false;
    }
  }

  private async initBare(ctx: FetchContext): Promise<void> {
    if (await exists(join(ctx.bare, 'HEAD'))) return;
    await mkdir(ctx.bare, { recursive: true });
    await this.git(ctx, 'init', ['init', '--bare', '--quiet', ctx.bare], this.root);
    // Objects of shallow fetches are unreferenced; auto gc must not prune them under us.
    await this.git(ctx, 'init', ['config', 'gc.auto', '0'], ctx.bare);
  }

  /**
   * Writes the commit's tree to `dir` through a private index (no working copy, no .git),
   * checks symlinks stay inside it, makes it read-only and moves it into place atomically.
   */
  private async exportTree(ctx: FetchContext, commit: string, dir: string): Promise<void> {
    const staging = await mkdtemp(join(this.root, 'tmp', 'tree-'));
    try {
      const tree = join(staging, 'tree');
      await mkdir(tree);
      const env = { GIT_INDEX_FILE: join(staging, 'index') };
      const run = (args: string[]) => this.git({ ...ctx, creds: { ...ctx.creds, env: { ...ctx.creds.env, ...env } } }, 'checkout', args, ctx.bare);
      await run(['read-tree', commit]);
      await run([`--work-tree=${tree}`, 'checkout-index', '--all', '--force']);
      const listing = (await run(['ls-tree', '-r', '-z', '--full-tree', commit])).stdout;
      for (const entry of listing.split('\0')) {
        if (!entry.startsWith('120000 ')) continue;
        const path = entry.slice(entry.indexOf('\t') + 1);
        if (!(await symlinkStaysInside(tree, join(tree, path)))) {
          throw new GitError(ctx.shownUrl, 'checkout', `repository contains out-of-bounds symlinks. file: ${path}`);
        }
      }
      await makeReadOnly(tree);
      try {
        await rename(tree, dir);
      } catch (e) {
        // Another process exported the same commit first; theirs is as good as ours.
        if (!(await exists(dir))) throw e;
      }
      await this.touch(dir);
    } finally {
      await removeTree(staging);
    }
  }

  /** Removes the least recently used exports beyond maxCommits (never `keep`, never one used within minIdleMs). */
  private async evict(keep: string): Promise<void> {
    const trees = join(this.root, 'trees');
    const entries: { dir: string; used: number }[] = [];
    for (const name of await readdir(trees)) {
      const dir = join(trees, name);
      try {
        entries.push({ dir, used: (await stat(dir)).mtimeMs });
      } catch {
        // removed meanwhile
      }
    }
    let excess = entries.length - this.options.maxCommits;
    if (excess <= 0) return;
    const now = Date.now();
    for (const e of entries.sort((a, b) => a.used - b.used)) {
      if (excess <= 0) break;
      if (e.dir === keep || now - e.used < this.options.minIdleMs) continue;
      await removeTree(e.dir);
      this.options.log?.(`git: evicted ${relative(this.root, e.dir)}`);
      excess--;
    }
  }

  private treeDir(key: string, commit: string): string {
    return join(this.root, 'trees', `${key}-${commit}`);
  }

  /** Marks an export as used now; false when there is none. */
  private async touch(dir: string): Promise<boolean> {
    try {
      const now = new Date();
      await utimes(dir, now, now);
      return true;
    } catch {
      return false;
    }
  }

  /** Runs git for one step of a fetch; failures become GitErrors naming the step. */
  private async git(ctx: FetchContext, step: GitStep, args: string[], cwd: string, revision?: string) {
    try {
      return await runGit(this.options.git, { args, cwd, env: ctx.creds.env, signal: ctx.signal });
    } catch (e) {
      if (ctx.signal?.aborted) throw ctx.signal.reason;
      throw classifyGitFailure(e, ctx.url, step, ctx.creds.secrets, revision);
    }
  }

  private init(): Promise<void> {
    this.ready ??= (async () => {
      for (const d of ['repos', 'trees', 'tmp', 'bin']) await mkdir(join(this.root, d), { recursive: true });
      const askpass = join(this.root, 'bin', 'askpass.sh');
      await writeFile(askpass, ASKPASS_SCRIPT, { mode: 0o700 });
      await chmod(askpass, 0o700);
    })();
    return this.ready;
  }

  /** Runs `fn` after every earlier fetch of the same repository has finished. */
  private async withLock<T>(key: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const run = previous.then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    try {
      if (!signal) return await run;
      return await Promise.race([run, abortPromise(signal)]);
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    }
  }
}

/** The cache key of a repository URL. */
export function repoKey(url: string): string {
  return createHash('sha256').update(url).digest('hex').slice(0, 20);
}

function abortPromise(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether the symlink `link` (inside `root`) resolves to a path inside `root`, following every
 * symlink on the way as the kernel would: a lexical check is not enough, as `a/b/up -> ../..`
 * (which is `root`) makes `a/b/up/../../..` leave `root` while it reads as inside. Absolute
 * targets are out of bounds; a path is checked at every step, also where it does not exist.
 */
export async function symlinkStaysInside(root: string, link: string): Promise<boolean> {
  const isInside = (p: string) => p === root || p.startsWith(root + sep);
  // A loop (a -> b -> a) resolves nowhere, as the kernel's ELOOP: it cannot lead outside
  // either, so it is no reason to refuse the commit (Argo does not).
  const LOOP = Symbol('loop');
  let budget = 40;
  const follow = async (linkPath: string): Promise<string | undefined> => {
    if (--budget < 0) throw LOOP;
    const target = await readlink(linkPath);
    if (isAbsolute(target)) return undefined;
    let current = dirname(linkPath);
    for (const part of target.split('/')) {
      if (part === '' || part === '.') continue;
      current = part === '..' ? dirname(current) : join(current, part);
      if (!isInside(current)) return undefined;
      let st;
      try {
        st = await lstat(current);
      } catch {
        continue; // does not exist (yet): the rest is read as written, and checked as such
      }
      if (st.isSymbolicLink()) {
        const real = await follow(current);
        if (real === undefined) return undefined;
        current = real;
      }
    }
    return current;
  };
  try {
    return (await follow(link)) !== undefined;
  } catch (e) {
    if (e === LOOP) return true;
    throw e;
  }
}

/** Files lose their write bits, directories become 0555 (children first). Symlinks are left alone. */
async function makeReadOnly(dir: string): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeReadOnly(path);
    else if (entry.isFile()) await chmod(path, (await stat(path)).mode & 0o555);
  }
  await chmod(dir, 0o555);
}

/** Removes a tree made read-only by makeReadOnly (directories get their write bit back first). */
async function removeTree(dir: string): Promise<void> {
  const writable = async (d: string): Promise<void> => {
    try {
      await chmod(d, 0o755);
      for (const entry of await readdir(d, { withFileTypes: true })) if (entry.isDirectory()) await writable(join(d, entry.name));
    } catch {
      // gone or not ours; rm reports what matters
    }
  };
  await writable(dir);
  await rm(dir, { recursive: true, force: true });
}

