import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepo } from '../integration/gitops-helpers.js';
import { freePort, serveGitDaemon } from '../support/git-daemon.js';
import { serveGitHttp } from '../support/git-http.js';

/**
 * A real Git server on loopback: a bare repository served by `git daemon` (git://, `url`)
 * and by `git http-backend` (smart HTTP, `httpUrl`: Flux accepts only http(s) and ssh), and
 * a working clone to commit and push from, as a developer would.
 */
export class GitServer {
  readonly url: string;
  httpUrl = '';
  private readonly base = mkdtempSync(join(tmpdir(), 'slipway-git-'));
  private readonly work = new GitRepo();
  private daemon?: ChildProcess;
  private http?: Server;

  private constructor(
    readonly port: number,
    readonly repo: string,
  ) {
    this.url = `git://127.0.0.1:${port}/${repo}.git`;
  }

  /** Creates `<repo>.git` with a first commit of `files` on `main` and serves it. */
  static async start(repo: string, files: Record<string, string>): Promise<GitServer> {
    const server = new GitServer(await freePort(), repo);
    const bare = join(server.base, `${repo}.git`);
    execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
    server.work.git('remote', 'add', 'origin', bare);
    server.commit(files, 'initial');
    await server.serve();
    return server;
  }

  /** Writes (or, for null, deletes) files, commits and pushes; returns the commit SHA. */
  commit(files: Record<string, string | null>, message: string): string {
    const sha = this.work.commit(files, message);
    this.work.git('push', '-q', 'origin', 'main');
    return sha;
  }

  private async serve(): Promise<void> {
    if (!this.http) {
      const http = await serveGitHttp(this.base);
      this.http = http.server;
      this.httpUrl = `${http.url}/${this.repo}.git`;
    }
    this.daemon = (await serveGitDaemon(this.base, `${this.repo}.git`, { port: this.port })).daemon;
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
    this.work.remove();
  }
}
