import Fastify, { type FastifyInstance } from 'fastify';
import type { AppRef, ControllerMetrics, PushEvent, TriggeredApp } from '../gitops/index.js';
import { WebhookError, detectProvider, parseWebhook, payloadOf, verifyWebhook } from './webhook.js';

/** What the server needs of the controller (GitopsController has it; tests pass a fake). */
export interface ControllerApi {
  /** Every app kind has been listed once. */
  readonly ready: boolean;
  readonly isLeader: boolean;
  triggerPush(push: PushEvent): TriggeredApp[];
  trigger(ref: AppRef, options?: { hard?: boolean; reason?: string }): TriggeredApp | undefined;
  metrics(): ControllerMetrics;
}

/** Options of {@link createServer}. */
export interface ServerOptions {
  controller: ControllerApi;
  /** Shared secret of the Git webhooks; unset or '' accepts unsigned pushes (see webhook.ts). */
  webhookSecret?: string;
  /** One line per request that did something (no trailing newline). */
  log?: (line: string) => void;
  /** Largest request body. @default 26214400 (25 MiB, GitHub's payload cap) */
  bodyLimit?: number;
}

/**
 * The controller's HTTP server (fastify):
 * - `POST /api/webhook` — GitHub, GitLab and Gitea push events; the apps whose source is the
 *   pushed repository and branch are refreshed (and synced when automated). 200 with
 *   `{ apps: [...] }`; 401 for a bad or missing signature when a secret is set; 400 for a
 *   payload that is not a push we can read; 202-free pings and other events get 200 and no apps.
 * - `POST /api/apps/:namespace/:name/refresh[?kind=Application|Kustomization&hard=true]` —
 *   on-demand refresh; 404 when no such app is known.
 * - `GET /api/controller` — the controller's counters (JSON).
 * - `GET /healthz` — the process answers; `GET /readyz` — 200 once the caches are synced.
 */
export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? 25 * 1024 * 1024 });
  const log = options.log ?? (() => {});
  const controller = options.controller;

  // Signatures are over the exact bytes sent: keep every body raw, parse JSON ourselves.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    if (!controller.ready) return reply.code(503).send({ status: 'not ready', reason: 'caches not synced' });
    return { status: 'ready', leader: controller.isLeader };
  });
  app.get('/api/controller', async () => controller.metrics());

  app.post('/api/webhook', async (req, reply) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const provider = detectProvider(req.headers);
    if (!provider) return reply.code(400).send({ error: 'not a GitHub, GitLab or Gitea webhook (no X-GitHub-Event, X-Gitlab-Event or X-Gitea-Event header)' });
    try {
      verifyWebhook(provider, req.headers, raw, options.webhookSecret);
      const parsed = parseWebhook(provider, req.headers, payloadOf(raw, req.headers['content-type']));
      if (parsed.kind === 'ping') return { provider, event: 'ping', apps: [] };
      if (parsed.kind === 'ignored') return { provider, event: parsed.event, ignored: true, apps: [] };
      const apps = controller.triggerPush(parsed.push);
      log(`webhook ${provider} push ${parsed.push.ref} ${parsed.push.urls[0]}: ${apps.length ? apps.map(showApp).join(', ') : 'no app'}`);
      return { provider, event: 'push', ref: parsed.push.ref, apps };
    } catch (e) {
      if (!(e instanceof WebhookError)) throw e;
      log(`webhook ${provider} refused (${e.status}): ${e.message}`);
      return reply.code(e.status).send({ error: e.message });
    }
  });

  app.post<{ Params: { namespace: string; name: string }; Querystring: { kind?: string; hard?: string } }>(
    '/api/apps/:namespace/:name/refresh',
    async (req, reply) => {
      const { namespace, name } = req.params;
      const kind = req.query.kind || undefined;
      if (kind && kind !== 'Application' && kind !== 'Kustomization') {
        return reply.code(400).send({ error: `kind must be Application or Kustomization, got "${kind}"` });
      }
      const hard = req.query.hard === 'true' || req.query.hard === '1';
      const found = controller.trigger({ namespace, name, ...(kind ? { kind } : {}) }, { hard, reason: 'api' });
      if (!found) return reply.code(404).send({ error: `no app ${kind ?? 'Application or Kustomization'} ${namespace}/${name}` });
      log(`api refresh ${showApp(found)}${hard ? ' (hard)' : ''}`);
      return { app: found, hard };
    },
  );
  return app;
}

/** A running server. */
export interface RunningServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  close(): Promise<void>;
}

/** Creates the server and listens on `host:port` (port 0: any free port). */
export async function startServer(options: ServerOptions & { host: string; port: number }): Promise<RunningServer> {
  const app = await createServer(options);
  await app.listen({ host: options.host, port: options.port });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return { url: `http://${host}:${port}`, close: () => app.close() };
}

/** Parses `host:port` (`[::1]:8080`, `:8080` = all interfaces); undefined for ''. */
export function parseListen(text: string): { host: string; port: number } | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(t);
  if (!m) throw new Error(`expected host:port, got "${text}"`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`port out of range in "${text}"`);
  return { host: m[1] ?? (m[2] || '0.0.0.0'), port };
}

function showApp(a: TriggeredApp): string {
  return `${a.kind}/${a.namespace}/${a.name}`;
}
