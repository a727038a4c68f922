import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

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

/**
 * `git daemon` serving every repository under `basePath` (git://127.0.0.1:PORT/<path below
 * basePath>) on loopback; resolves once `git ls-remote` of `probe` (a path below basePath)
 * answers.
 */
export async function serveGitDaemon(basePath: string, probe: string, options: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<{ daemon: ChildProcess; port: number }> {
  const port = options.port ?? (await freePort());
  const env = options.env ?? process.env;
  const daemon = spawn('git', ['daemon', `--base-path=${basePath}`, '--export-all', '--reuseaddr', '--listen=127.0.0.1', `--port=${port}`, basePath], { stdio: 'ignore', env });
  const url = `git://127.0.0.1:${port}/${probe}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      execFileSync('git', ['ls-remote', url], { env, stdio: 'pipe', timeout: 5_000 });
      return { daemon, port };
    } catch (e) {
      if (daemon.exitCode !== null) throw new Error(`git daemon exited with ${daemon.exitCode}`, { cause: e });
      if (Date.now() > deadline) throw new Error(`git daemon did not answer on ${url}`, { cause: e });
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
