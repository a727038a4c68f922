/**
 * Git push webhooks from GitHub, GitLab and Gitea: which provider sent a request, whether it is
 * authentic, and what was pushed. Pure (no HTTP server here), so every case is a unit test.
 *
 * Authenticity, as Argo CD's webhook handler decides it (argo-cd util/webhook/webhook.go with
 * go-playground/webhooks): when a secret is configured a request must prove it — GitHub's
 * `X-Hub-Signature-256: sha256=<hex hmac-sha256 of the raw body>`, Gitea's `X-Gitea-Signature:
 * <hex hmac-sha256>`, GitLab's `X-Gitlab-Token: <the secret itself>` — and one that does not is
 * refused (401); with no secret configured, unsigned payloads are accepted (Argo CD's default;
 * the controller only refreshes on a push, it never takes content from the payload, so the worst
 * a forged push does is an early refresh). Comparisons are constant-time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PushEvent } from '../gitops/index.js';

export type WebhookProvider = 'github' | 'gitlab' | 'gitea';

/** Request headers, lower-cased names (as node and fastify give them). */
export type Headers = Record<string, string | string[] | undefined>;

/** What a webhook request is. */
export type WebhookRequest =
  | { provider: WebhookProvider; kind: 'push'; push: PushEvent }
  | { provider: WebhookProvider; kind: 'ping' }
  | { provider: WebhookProvider; kind: 'ignored'; event: string };

/** Why a request is refused. */
export class WebhookError extends Error {
  constructor(
    readonly status: 400 | 401,
    message: string,
  ) {
    super(message);
  }
}

function header(h: Headers, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * The provider of a request, from its event header. Gitea also sends GitHub's and Gogs'
 * headers (for compatibility), so its own header is looked at first.
 */
export function detectProvider(headers: Headers): WebhookProvider | undefined {
  if (header(headers, 'x-gitea-event') !== undefined) return 'gitea';
  if (header(headers, 'x-gitlab-event') !== undefined) return 'gitlab';
  if (header(headers, 'x-github-event') !== undefined) return 'github';
  return undefined;
}

/** Hex HMAC-SHA256 of `body`. */
export function hmacHex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/** Constant-time comparison of two strings (false, not an exception, for different lengths). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  if (x.length !== y.length) {
    // Compare anyway so the time does not depend on where the lengths differ.
    timingSafeEqual(x, x);
    return false;
  }
  return timingSafeEqual(x, y);
}

/**
 * Checks a request against `secret`; throws WebhookError(401) when it fails. With no secret
 * (undefined or ''), every request passes.
 */
export function verifyWebhook(provider: WebhookProvider, headers: Headers, rawBody: Buffer, secret: string | undefined): void {
  if (!secret) return;
  switch (provider) {
    case 'github': {
      const sig = header(headers, 'x-hub-signature-256');
      if (!sig) throw new WebhookError(401, 'missing X-Hub-Signature-256 (a webhook secret is configured)');
      if (!sig.startsWith('sha256=') || !safeEqual(sig.slice('sha256='.length).toLowerCase(), hmacHex(secret, rawBody))) {
        throw new WebhookError(401, 'X-Hub-Signature-256 does not match the payload');
      }
      return;
    }
    case 'gitea': {
      const sig = header(headers, 'x-gitea-signature');
      if (!sig) throw new WebhookError(401, 'missing X-Gitea-Signature (a webhook secret is configured)');
      if (!safeEqual(sig.trim().toLowerCase(), hmacHex(secret, rawBody))) throw new WebhookError(401, 'X-Gitea-Signature does not match the payload');
      return;
    }
    case 'gitlab': {
      const token = header(headers, 'x-gitlab-token');
      if (token === undefined) throw new WebhookError(401, 'missing X-Gitlab-Token (a webhook secret is configured)');
      if (!safeEqual(token, secret)) throw new WebhookError(401, 'X-Gitlab-Token does not match');
      return;
    }
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The JSON payload of a request body: `application/json`, or GitHub's
 * `application/x-www-form-urlencoded` form with the JSON in its `payload` field.
 */
export function payloadOf(rawBody: Buffer, contentType: string | undefined): Obj {
  let text = rawBody.toString('utf8');
  if ((contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) throw new WebhookError(400, 'form body without a payload field');
    text = payload;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new WebhookError(400, `payload is not JSON: ${(e as Error).message}`);
  }
  if (!isObj(parsed)) throw new WebhookError(400, 'payload is not a JSON object');
  return parsed;
}

/**
 * Reads a webhook request whose signature has been checked: a push (the repository's URLs, the
 * ref, the default branch), a ping, or an event that is not acted on.
 */
export function parseWebhook(provider: WebhookProvider, headers: Headers, payload: Obj): WebhookRequest {
  const event =
    provider === 'gitlab'
      ? (header(headers, 'x-gitlab-event') ?? '')
      : provider === 'gitea'
        ? (header(headers, 'x-gitea-event') ?? '')
        : (header(headers, 'x-github-event') ?? '');
  if (provider === 'github' && event === 'ping') return { provider, kind: 'ping' };
  const isPush = provider === 'gitlab' ? event === 'Push Hook' || event === 'Tag Push Hook' : event === 'push';
  if (!isPush) return { provider, kind: 'ignored', event };
  const ref = str(payload.ref);
  if (!ref) throw new WebhookError(400, 'push payload without "ref"');
  const urls: string[] = [];
  const add = (v: unknown) => {
    const s = str(v);
    if (s && !urls.includes(s)) urls.push(s);
  };
  let defaultBranch: string | undefined;
  if (provider === 'gitlab') {
    const project = isObj(payload.project) ? payload.project : {};
    const repo = isObj(payload.repository) ? payload.repository : {};
    for (const k of ['git_http_url', 'git_ssh_url', 'web_url', 'http_url', 'ssh_url', 'url']) add(project[k]);
    for (const k of ['git_http_url', 'git_ssh_url', 'homepage', 'url']) add(repo[k]);
    defaultBranch = str(project.default_branch);
  } else {
    const repo = isObj(payload.repository) ? payload.repository : {};
    for (const k of ['clone_url', 'ssh_url', 'html_url', 'git_url', 'url']) add(repo[k]);
    defaultBranch = str(repo.default_branch);
  }
  if (urls.length === 0) throw new WebhookError(400, 'push payload without a repository URL');
  const after = str(payload.after) ?? str(payload.checkout_sha);
  return { provider, kind: 'push', push: { urls, ref, ...(defaultBranch ? { defaultBranch } : {}), ...(after ? { after } : {}) } };
}
