import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import type { AppRef, ControllerMetrics, PushEvent, TriggeredApp } from '../../../src/gitops/index.js';
import { WebhookError, createServer, detectProvider, parseListen, parseWebhook, payloadOf, verifyWebhook, type ControllerApi } from '../../../src/server/index.js';

const SECRET = 's3cret';
const hmac = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

// Trimmed payloads with the fields each provider sends (GitHub push event, GitLab Push Hook, Gitea push).
const github = {
  ref: 'refs/heads/main',
  after: '1111111111111111111111111111111111111111',
  repository: {
    html_url: 'https://github.com/org/deploy',
    clone_url: 'https://github.com/org/deploy.git',
    ssh_url: 'git@github.com:org/deploy.git',
    git_url: 'git://github.com/org/deploy.git',
    default_branch: 'main',
  },
};
const gitlab = {
  object_kind: 'push',
  ref: 'refs/heads/main',
  checkout_sha: '2222222222222222222222222222222222222222',
  project: {
    web_url: 'https://gitlab.com/org/deploy',
    git_ssh_url: 'git@gitlab.com:org/deploy.git',
    git_http_url: 'https://gitlab.com/org/deploy.git',
    default_branch: 'main',
  },
  repository: { url: 'git@gitlab.com:org/deploy.git', homepage: 'https://gitlab.com/org/deploy' },
};
const gitea = {
  ref: 'refs/heads/main',
  after: '3333333333333333333333333333333333333333',
  repository: { html_url: 'http://gitea.local/org/deploy', clone_url: 'http://gitea.local/org/deploy.git', ssh_url: 'git@gitea.local:org/deploy.git', default_branch: 'main' },
};

describe('providers and signatures', () => {
  test.each([
    [{ 'x-github-event': 'push' }, 'github'],
    [{ 'x-gitlab-event': 'Push Hook' }, 'gitlab'],
    // Gitea also sends GitHub's and Gogs' headers; its own wins.
    [{ 'x-gitea-event': 'push', 'x-github-event': 'push', 'x-gogs-event': 'push' }, 'gitea'],
    [{ 'content-type': 'application/json' }, undefined],
  ])('%j is %s', (headers, want) => {
    expect(detectProvider(headers)).toBe(want);
  });

  const body = Buffer.from(JSON.stringify(github));
  test.each([
    ['github', { 'x-hub-signature-256': `sha256=${hmac(body.toString())}` }, true],
    ['github', { 'x-hub-signature-256': `sha256=${hmac(body.toString(), 'other')}` }, false],
    ['github', { 'x-hub-signature-256': 'sha256=00' }, false],
    ['github', { 'x-hub-signature-256': hmac(body.toString()) }, false], // no sha256= prefix
    ['github', {}, false],
    ['gitea', { 'x-gitea-signature': hmac(body.toString()) }, true],
    ['gitea', { 'x-gitea-signature': hmac(`${body.toString()} `) }, false],
    ['gitea', {}, false],
    ['gitlab', { 'x-gitlab-token': SECRET }, true],
    ['gitlab', { 'x-gitlab-token': 's3cre' }, false],
    ['gitlab', {}, false],
  ] as const)('%s with %j: verified %s', (provider, headers, ok) => {
    const run = () => verifyWebhook(provider, headers, body, SECRET);
    if (ok) expect(run).not.toThrow();
    else expect(run).toThrow(WebhookError);
  });

  test('without a secret, unsigned payloads are accepted (as Argo CD does)', () => {
    expect(() => verifyWebhook('github', {}, body, undefined)).not.toThrow();
    expect(() => verifyWebhook('gitlab', {}, body, '')).not.toThrow();
  });

  test('the signature is over the raw bytes: re-serialised JSON does not verify', () => {
    const raw = Buffer.from('{"ref": "refs/heads/main",  "repository": {}}');
    const sig = `sha256=${hmac(JSON.stringify(JSON.parse(raw.toString())))}`;
    expect(() => verifyWebhook('github', { 'x-hub-signature-256': sig }, raw, SECRET)).toThrow(/does not match/);
  });
});

describe('push payloads', () => {
  test('GitHub: every repository URL, the ref, the default branch and the commit', () => {
    expect(parseWebhook('github', { 'x-github-event': 'push' }, github)).toEqual({
      provider: 'github',
      kind: 'push',
      push: {
        urls: ['https://github.com/org/deploy.git', 'git@github.com:org/deploy.git', 'https://github.com/org/deploy', 'git://github.com/org/deploy.git'],
        ref: 'refs/heads/main',
        defaultBranch: 'main',
        after: github.after,
      },
    });
  });

  test('GitLab: project and repository URLs; tag pushes too', () => {
    const r = parseWebhook('gitlab', { 'x-gitlab-event': 'Push Hook' }, gitlab);
    expect(r).toMatchObject({ kind: 'push', push: { ref: 'refs/heads/main', defaultBranch: 'main', after: gitlab.checkout_sha } });
    expect(r.kind === 'push' && r.push.urls).toEqual(['https://gitlab.com/org/deploy.git', 'git@gitlab.com:org/deploy.git', 'https://gitlab.com/org/deploy']);
    expect(parseWebhook('gitlab', { 'x-gitlab-event': 'Tag Push Hook' }, { ...gitlab, ref: 'refs/tags/v1' })).toMatchObject({ kind: 'push', push: { ref: 'refs/tags/v1' } });
  });

  test('Gitea', () => {
    expect(parseWebhook('gitea', { 'x-gitea-event': 'push' }, gitea)).toMatchObject({
      kind: 'push',
      push: { urls: ['http://gitea.local/org/deploy.git', 'git@gitea.local:org/deploy.git', 'http://gitea.local/org/deploy'], ref: 'refs/heads/main' },
    });
  });

  test('pings and other events are not pushes', () => {
    expect(parseWebhook('github', { 'x-github-event': 'ping' }, { zen: 'hi' })).toEqual({ provider: 'github', kind: 'ping' });
    expect(parseWebhook('github', { 'x-github-event': 'issues' }, {})).toEqual({ provider: 'github', kind: 'ignored', event: 'issues' });
    expect(parseWebhook('gitlab', { 'x-gitlab-event': 'Merge Request Hook' }, {})).toMatchObject({ kind: 'ignored' });
  });

  test('a push without a ref or a repository URL is a 400', () => {
    expect(() => parseWebhook('github', { 'x-github-event': 'push' }, { repository: github.repository })).toThrow(/without "ref"/);
    expect(() => parseWebhook('github', { 'x-github-event': 'push' }, { ref: 'refs/heads/main', repository: {} })).toThrow(/repository URL/);
  });

  test("GitHub's form-encoded payloads", () => {
    const form = Buffer.from(new URLSearchParams({ payload: JSON.stringify(github) }).toString());
    expect(payloadOf(form, 'application/x-www-form-urlencoded')).toEqual(github);
    expect(() => payloadOf(Buffer.from('not json'), 'application/json')).toThrow(/not JSON/);
  });
});

describe('--listen', () => {
  test.each([
    ['127.0.0.1:8080', { host: '127.0.0.1', port: 8080 }],
    [':9000', { host: '0.0.0.0', port: 9000 }],
    ['[::1]:8080', { host: '::1', port: 8080 }],
    ['', undefined],
  ])('%j', (text, want) => {
    expect(parseListen(text)).toEqual(want);
  });
  test('a bad address', () => {
    expect(() => parseListen('localhost')).toThrow(/host:port/);
  });
});

/** A controller that records what it is asked. */
class FakeController implements ControllerApi {
  ready = true;
  isLeader = true;
  pushes: PushEvent[] = [];
  triggers: { ref: AppRef; hard?: boolean }[] = [];
  apps: TriggeredApp[] = [{ group: 'argoproj.io', kind: 'Application', namespace: 'argocd', name: 'web' }];
  triggerPush(push: PushEvent): TriggeredApp[] {
    this.pushes.push(push);
    return this.apps;
  }
  trigger(ref: AppRef, options?: { hard?: boolean }): TriggeredApp | undefined {
    this.triggers.push({ ref, hard: options?.hard });
    return this.apps.find((a) => a.namespace === ref.namespace && a.name === ref.name && (!ref.kind || a.kind === ref.kind));
  }
  metrics(): ControllerMetrics {
    return { reconciles: 1, syncs: 0, syncFailures: 0, heals: 0, failures: 0, invalidApps: 0, apps: 1, queueDepth: 0, active: 0, scheduled: 1, leader: true };
  }
}

describe('HTTP server', () => {
  test('POST /api/webhook: a signed push triggers the matching apps; a bad signature is 401', async () => {
    const controller = new FakeController();
    const app = await createServer({ controller, webhookSecret: SECRET });
    const body = JSON.stringify(github);
    const ok = await app.inject({ method: 'POST', url: '/api/webhook', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': `sha256=${hmac(body)}` }, payload: body });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ provider: 'github', event: 'push', ref: 'refs/heads/main', apps: controller.apps });
    expect(controller.pushes).toHaveLength(1);
    const bad = await app.inject({ method: 'POST', url: '/api/webhook', headers: { 'content-type': 'application/json', 'x-github-event': 'push', 'x-hub-signature-256': 'sha256=00' }, payload: body });
    expect(bad.statusCode).toBe(401);
    const gl = await app.inject({ method: 'POST', url: '/api/webhook', headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': SECRET }, payload: JSON.stringify(gitlab) });
    expect(gl.statusCode).toBe(200);
    const unknown = await app.inject({ method: 'POST', url: '/api/webhook', headers: { 'content-type': 'application/json' }, payload: body });
    expect(unknown.statusCode).toBe(400);
    const garbage = await app.inject({ method: 'POST', url: '/api/webhook', headers: { 'content-type': 'application/json', 'x-gitea-event': 'push', 'x-gitea-signature': hmac('{') }, payload: '{' });
    expect(garbage.statusCode).toBe(400);
    expect(controller.pushes).toHaveLength(2);
    await app.close();
  });

  test('POST /api/apps/:namespace/:name/refresh', async () => {
    const controller = new FakeController();
    const app = await createServer({ controller });
    const ok = await app.inject({ method: 'POST', url: '/api/apps/argocd/web/refresh?kind=Application&hard=true' });
    expect(ok.statusCode).toBe(200);
    expect(controller.triggers).toEqual([{ ref: { namespace: 'argocd', name: 'web', kind: 'Application' }, hard: true }]);
    expect((await app.inject({ method: 'POST', url: '/api/apps/argocd/nope/refresh' })).statusCode).toBe(404);
    expect((await app.inject({ method: 'POST', url: '/api/apps/argocd/web/refresh?kind=Deployment' })).statusCode).toBe(400);
    await app.close();
  });

  test('GET /healthz, /readyz (503 until the caches are synced), /api/controller', async () => {
    const controller = new FakeController();
    controller.ready = false;
    const app = await createServer({ controller });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
    controller.ready = true;
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/api/controller' })).json()).toMatchObject({ reconciles: 1, leader: true });
    await app.close();
  });
});
