import http from 'node:http';
import https from 'node:https';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  ApiError,
  ApiUnreachableError,
  KubeConfigError,
  type KubeObject,
  type ResourceKey,
} from '../core/index.js';
import { Discovery } from './discovery.js';

/** How to find the cluster. */
export interface KubeClientOptions {
  /** Path to a kubeconfig file. @default $KUBECONFIG, then ~/.kube/config, then in-cluster */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's current-context. */
  context?: string;
  /** Per-request timeout (watches excepted). @default 30000 */
  requestTimeoutMs?: number;
}

/** Options of one request. */
export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** @default 'application/json' when there is a body */
  contentType?: string;
  signal?: AbortSignal;
  /** Object the request is about, named in errors. */
  key?: ResourceKey;
}

/** One event of a watch stream. */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeObject;
}

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

/** Refresh auth headers (exec plugins, OIDC tokens) at most this often. */
const AUTH_REFRESH_MS = 60_000;

/**
 * The one HTTP client to a kube-apiserver. Uses @kubernetes/client-node to read kubeconfig
 * and authenticate, and plain node:https with a keep-alive agent for requests, so that every
 * failure maps to one SlipwayError: ApiUnreachableError for the network, ApiError for a
 * Status answer.
 */
export class KubeClient {
  readonly discovery: Discovery;
  private headers: Record<string, string> = {};
  private headersAt = 0;

  private constructor(
    /** Base URL, e.g. https://127.0.0.1:16443 */
    readonly server: string,
    /** Namespace of the current context, 'default' when it names none. */
    readonly namespace: string,
    private readonly agent: http.Agent,
    private readonly authHeaders: () => Promise<Record<string, string>>,
    private readonly requestTimeoutMs: number,
  ) {
    this.discovery = new Discovery(this);
  }

  /** Reads the kubeconfig the way kubectl does and prepares a client. Does not contact the server. */
  static async load(options: KubeClientOptions = {}): Promise<KubeClient> {
    const { KubeConfig } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    const explicit = options.kubeconfig ?? process.env.KUBECONFIG;
    try {
      if (options.kubeconfig) {
        if (!existsSync(options.kubeconfig)) throw new KubeConfigError(`kubeconfig ${options.kubeconfig} does not exist`);
        kc.loadFromFile(options.kubeconfig);
      } else if (explicit || existsSync(join(homedir(), '.kube', 'config')) || process.env.KUBERNETES_SERVICE_HOST) {
        kc.loadFromDefault();
      } else {
        throw new KubeConfigError(
          'no kubeconfig: set KUBECONFIG or --kubeconfig (for the local control plane: eval "$(scripts/cluster env)")',
        );
      }
      if (options.context) {
        if (!kc.getContextObject(options.context)) throw new KubeConfigError(`context "${options.context}" is not in the kubeconfig`);
        kc.setCurrentContext(options.context);
      }
    } catch (e) {
      if (e instanceof KubeConfigError) throw e;
      throw new KubeConfigError(`cannot load kubeconfig: ${(e as Error).message}`, undefined, { cause: e });
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster?.server) throw new KubeConfigError(`the kubeconfig context "${kc.getCurrentContext()}" names no cluster server`);
    const ctx = kc.getContextObject(kc.getCurrentContext());

    const tls: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(tls);
    const secure = cluster.server.startsWith('https:');
    const agentOptions = {
      keepAlive: true,
      maxSockets: 32,
      ca: tls.ca,
      cert: tls.cert,
      key: tls.key,
      servername: tls.servername,
      ...(tls.rejectUnauthorized !== undefined ? { rejectUnauthorized: tls.rejectUnauthorized } : {}),
    };
    const agent = secure ? new https.Agent(agentOptions) : new http.Agent({ keepAlive: true, maxSockets: 32 });
    const authHeaders = async () => {
      const o: https.RequestOptions = { headers: {} };
      await kc.applyToHTTPSOptions(o);
      const h: Record<string, string> = {};
      for (const [k, v] of Object.entries(o.headers ?? {})) if (typeof v === 'string') h[k] = v;
      if (o.auth) h.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
      return h;
    };
    return new KubeClient(
      cluster.server.replace(/\/+$/, ''),
      ctx?.namespace || 'default',
      agent,
      authHeaders,
      options.requestTimeoutMs ?? 30_000,
    );
  }

  /** Sends one request and returns the parsed JSON answer. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const text = await this.requestText(method, path, options);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Sends one request and returns the answer as text (pod logs are plain text). */
  async requestText(method: string, path: string, options: RequestOptions = {}): Promise<string> {
    const res = await this.send(method, path, options, this.requestTimeoutMs);
    const text = await readBody(res, this.server);
    if ((res.statusCode ?? 0) >= 400) throw statusError(res.statusCode ?? 0, text, method, options.key);
    return text;
  }

  /**
   * Streams a watch: calls `onEvent` for each event until the server ends the stream
   * (resolves) or the signal aborts (resolves). A non-2xx answer rejects with ApiError.
   */
  async watch(path: string, query: RequestOptions['query'], onEvent: (e: WatchEvent) => void, signal?: AbortSignal): Promise<void> {
    const res = await this.send('GET', path, { query: { ...query, watch: 1 }, signal }, 0);
    if ((res.statusCode ?? 0) >= 400) throw statusError(res.statusCode ?? 0, await readBody(res, this.server), 'GET');
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl).trim();
          buffered = buffered.slice(nl + 1);
          if (!line) continue;
          try {
            onEvent(JSON.parse(line) as WatchEvent);
          } catch (e) {
            res.destroy();
            reject(e);
            return;
          }
        }
      });
      res.on('end', () => resolve());
      res.on('close', () => resolve());
      res.on('error', (e) => (signal?.aborted ? resolve() : reject(networkError(e, this.server))));
    });
  }

  private async send(method: string, path: string, options: RequestOptions, timeoutMs: number): Promise<http.IncomingMessage> {
    if (Date.now() - this.headersAt > AUTH_REFRESH_MS) {
      this.headers = await this.authHeaders();
      this.headersAt = Date.now();
    }
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const body =
      options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    const headers: Record<string, string> = { ...this.headers, Accept: 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const lib = url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers, agent: this.agent, signal: options.signal }, resolve);
      if (timeoutMs > 0) {
        req.setTimeout(timeoutMs, () => req.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
      }
      req.on('error', (e) => reject(options.signal?.aborted ? e : networkError(e, this.server)));
      req.end(body);
    });
  }

  /** Closes idle keep-alive connections so the process can exit. */
  close(): void {
    this.agent.destroy();
  }
}

function readBody(res: http.IncomingMessage, server: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (e) => reject(networkError(e, server)));
  });
}

function networkError(e: Error, server: string): ApiUnreachableError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const what = NETWORK_CODES[code] ?? (e.message === 'socket hang up' ? 'connection closed by the server' : e.message);
  return new ApiUnreachableError(`cannot reach the Kubernetes API server at ${server}: ${what}`, undefined, { cause: e });
}

interface Status {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { causes?: { field?: string; message?: string }[] };
}

function statusError(code: number, text: string, method: string, key?: ResourceKey): ApiError {
  let status: Status = {};
  try {
    status = JSON.parse(text) as Status;
  } catch {
    // not a Status object (a proxy, an HTML page): keep the raw text
  }
  const reason = status.reason || httpReason(code);
  const message = status.message || text.trim().slice(0, 300) || `${method} failed with HTTP ${code}`;
  return new ApiError(`${message} (${reason})`, code, reason, key);
}

function httpReason(code: number): string {
  const known: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return known[code] ?? `HTTP${code}`;
}
