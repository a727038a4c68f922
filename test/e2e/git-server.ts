import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serveGitHttp } from '../support/git-http.js';

/** A free TCP port on loopback (bound once and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Slipway Test',
  GIT_AUTHOR_EMAIL: 'test@slipway.dev',
  GIT_COMMITTER_NAME: 'Slipway Test',
  GIT_COMMITTER_EMAIL: 'test@slipway.dev',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' }).trim();
}

/**
 * A real Git server on loopback: a bare repository served by `git daemon` (git://, `url`)
 * and by `git http-backend` (smart HTTP, `httpUrl`: Flux accepts only http(s) and ssh), and
 * a working clone to commit and push from, as a developer would.
 */
export class GitServer {
  readonly url: string;
  httpUrl = '';
  private readonly base: string;
  private readonly work: string;
  private daemon?: ChildProcess;
  private http?: Server;

  private constructor(
    readonly port: number,
    readonly repo: string,
  ) {
    this.base = mkdtempSync(join(tmpdir(), 'slipway-git-'));
    this.work = join(this.base, 'work');
    this.url = `git://127.0.0.1:${port}/${repo}.git`;
  }

  /** Creates `<repo>.git` with a first commit of `files` on `main` and serves it. */
  static async start(repo: string, files: Record<string, string>): Promise<GitServer> {
    const server = new GitServer(await freePort(), repo);
    const bare = join(server.base, `${repo}.git`);
    git(server.base, ['init', '-q', '--bare', '-b', 'main', bare]);
    git(server.base, ['init', '-q', '-b', 'main', server.work]);
    git(server.work, ['remote', 'add', 'origin', bare]);
    server.commit(files, 'initial');
    await server.serve();
    return server;
  }

  /** Writes (or, for null, deletes) files, commits and pushes; returns the commit SHA. */
  commit(files: Record<string, string | null>, message: string): string {
    for (const [path, text] of Object.entries(files)) {
      const full = join(this.work, path);
      if (text === null) rmSync(full, { force: true });
      else {
        mkdirSync(dirname(full), { recursive: true });
        writeFileSync(full, text);
      }
    }
    git(this.work, ['add', '-A']);
    git(this.work, ['commit', '-q', '-m', message]);
    git(this.work, ['push', '-q', 'origin', 'main']);
    return git(this.work, ['rev-parse', 'HEAD']);
  }

  private async serve(): Promise<void> {
    if (!this.http) {
      const http = await serveGitHttp(this.base, { env: { ...process.env, ...GIT_ENV } });
      this.http = http.server;
      this.httpUrl = `${http.url}/${this.repo}.git`;
    }
    this.daemon = spawn(
      'git',
      ['daemon', `--base-path=${this.base}`, '--export-all', '--reuseaddr', '--listen=127.0.0.1', `--port=${this.port}`, this.base],
      { stdio: 'ignore', env: { ...process.env, ...GIT_ENV } },
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        git(this.base, ['ls-remote', this.url]);
        return;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`git daemon did not serve ${this.url}`, { cause: e });
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  /** Stops serving (the repository stays; commits can still be made); `resume` serves it again on the same ports. */
  async pause(): Promise<void> {
    const exited = this.daemon && this.daemon.exitCode === null ? new Promise((r) => this.daemon!.once('exit', r)) : undefined;
    this.daemon?.kill('SIGTERM');
    await exited;
    this.daemon = undefined;
  }

  async resume(): Promise<void> {
    await this.serve();
  }

  stop(): void {
    this.daemon?.kill('SIGTERM');
    this.http?.close();
    rmSync(this.base, { recursive: true, force: true });
  }
}
