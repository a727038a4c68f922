import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { resolve } from 'node:path';
import { freePort } from '../support/git-daemon.js';

/** `slipway controller` as its own process (the built CLI), with its HTTP server on loopback. */
export class ControllerProcess {
  readonly log: string[] = [];
  private constructor(
    private readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {}

  /** Starts the controller and waits until /readyz answers 200 (caches synced). */
  static async start(options: { kubeconfig: string; cacheDir: string; secret: string; args?: string[] }): Promise<ControllerProcess> {
    const port = await freePort();
    const child = spawn(
      process.execPath,
      [
        resolve('bin/slipway.js'),
        'controller',
        '--kubeconfig',
        options.kubeconfig,
        '--listen',
        `127.0.0.1:${port}`,
        '--webhook-secret',
        options.secret,
        '--cache-dir',
        options.cacheDir,
        ...(options.args ?? []),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const proc = new ControllerProcess(child, `http://127.0.0.1:${port}`);
    const keep = (chunk: Buffer) => proc.log.push(...chunk.toString().split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`slipway controller exited ${child.exitCode}:\n${proc.log.join('\n')}`);
      const ok = await fetch(`${proc.baseUrl}/readyz`).then((r) => r.ok, () => false);
      if (ok) return proc;
      if (Date.now() > deadline) throw new Error(`slipway controller not ready after 30s:\n${proc.log.join('\n')}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** POSTs a GitHub push event for `repoUrl`'s `main`, signed with `secret`. */
  async githubPush(repoUrl: string, secret: string, sha: string): Promise<{ status: number; body: string }> {
    const body = JSON.stringify({ ref: 'refs/heads/main', after: sha, repository: { clone_url: repoUrl, html_url: repoUrl } });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const res = await fetch(`${this.baseUrl}/api/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': signature },
      body,
    });
    return { status: res.status, body: await res.text() };
  }

  /** SIGTERM, and wait for the exit. */
  async stop(): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    const exited = new Promise<number | null>((r) => this.child.once('exit', (code) => r(code)));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const code = await exited;
    clearTimeout(timer);
    return code;
  }
}
