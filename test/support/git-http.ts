import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type RequestListener, type Server } from 'node:http';

/** Options of {@link serveGitHttp}. */
export interface GitHttpOptions {
  /** Environment for git (identity, HOME); the CGI variables are added. */
  env?: NodeJS.ProcessEnv;
  /** A URL path prefix to strip before the repository path (e.g. '/git'). */
  prefix?: string;
  /** Answers 401 (asking for Basic auth) when this returns false. */
  authorize?: (req: IncomingMessage) => boolean;
  /** The user git http-backend is told about (REMOTE_USER). */
  remoteUser?: string;
}

/**
 * A smart-HTTP Git server on loopback: `git http-backend` run as a CGI per request, serving
 * every repository under `projectRoot`. Resolves with the server and its base URL
 * (`http://127.0.0.1:PORT` + prefix).
 */
export function serveGitHttp(projectRoot: string, options: GitHttpOptions = {}): Promise<{ server: Server; url: string }> {
  const server = createServer(gitHttpHandler(projectRoot, options));
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}${options.prefix ?? ''}` })),
  );
}

/** The request handler of {@link serveGitHttp}, for a server made elsewhere (https, say): auth, then `git http-backend`. */
export function gitHttpHandler(projectRoot: string, options: GitHttpOptions = {}): RequestListener {
  const prefix = options.prefix ?? '';
  return (req, res) => {
    if (options.authorize && !options.authorize(req)) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
      res.end('unauthorized\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...(options.env ?? process.env),
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: prefix && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_ADDR: '127.0.0.1',
        ...(options.remoteUser ? { REMOTE_USER: options.remoteUser } : {}),
      },
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    req.pipe(cgi.stdin);
    // The CGI answers with headers (Status: among them), a blank line, then the body.
    let head = Buffer.alloc(0);
    let headersDone = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersDone) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = /\r?\n\r?\n/.exec(head.toString('latin1'));
      if (!end) return;
      headersDone = true;
      let status = 200;
      for (const line of head.subarray(0, end.index).toString('latin1').split(/\r?\n/)) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else res.setHeader(name, value);
      }
      res.writeHead(status);
      res.write(head.subarray(end.index + end[0].length));
    });
    cgi.on('close', () => res.end());
  };
}
