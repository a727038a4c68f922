import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { ARGOCD_SECRET_TYPE_LABEL, SourceRenderError, credentialsFromSecret, findArgoRepoSecret, normalizeGitUrl, secretValues } from '../../../src/gitops/sources/index.js';
import { credentialEnv } from '../../../src/gitops/sources/internal/credentials-env.js';
import { classifyGitFailure, GitExitError, redactUrl, scrub } from '../../../src/gitops/sources/internal/git-cli.js';
import { GitAuthError, GitRefNotFoundError, GitRepositoryNotFoundError, GitUnreachableError } from '../../../src/gitops/sources/index.js';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const b64 = (s: string) => Buffer.from(s).toString('base64');

function secret(data: Record<string, string>, opts: { stringData?: Record<string, string>; type?: 'repository' | 'repo-creds'; name?: string } = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: opts.name ?? 's', namespace: 'argocd', ...(opts.type ? { labels: { [ARGOCD_SECRET_TYPE_LABEL]: opts.type } } : {}) },
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])),
    ...(opts.stringData ? { stringData: opts.stringData } : {}),
  };
}

describe('credentialsFromSecret', () => {
  test('Argo CD https repository secret', () => {
    expect(credentialsFromSecret(secret({ url: 'https://git.example.com/org/repo.git', username: 'bot', password: 'pw', type: 'git' }))).toEqual({ username: 'bot', password: 'pw' });
  });

  test('Argo CD ssh secret with insecure, TLS client certificate, bearer token', () => {
    expect(credentialsFromSecret(secret({ sshPrivateKey: 'KEY', insecure: 'true' }))).toEqual({ sshPrivateKey: 'KEY', insecure: true });
    expect(credentialsFromSecret(secret({ tlsClientCertData: 'CERT', tlsClientCertKey: 'CKEY', bearerToken: 'tok' }))).toEqual({ tlsClientCert: 'CERT', tlsClientKey: 'CKEY', bearerToken: 'tok' });
    expect(credentialsFromSecret(secret({ insecure: 'false', username: '' }))).toEqual({});
  });

  test('Flux formats: basic auth, ssh identity (password is its passphrase), TLS', () => {
    expect(credentialsFromSecret(secret({ username: 'git', password: 'pat' }))).toEqual({ username: 'git', password: 'pat' });
    expect(credentialsFromSecret(secret({ identity: 'ID', 'identity.pub': 'PUB', known_hosts: 'host ssh-ed25519 AAAA', password: 'phrase' }))).toEqual({
      sshPrivateKey: 'ID',
      knownHosts: 'host ssh-ed25519 AAAA',
      sshPassphrase: 'phrase',
    });
    expect(credentialsFromSecret(secret({ 'ca.crt': 'CA', 'tls.crt': 'C', 'tls.key': 'K' }))).toEqual({ caCert: 'CA', tlsClientCert: 'C', tlsClientKey: 'K' });
    expect(credentialsFromSecret(secret({ caFile: 'OLDCA' }))).toEqual({ caCert: 'OLDCA' });
  });

  test('stringData wins over data; not a Secret is refused', () => {
    expect(secretValues(secret({ password: 'old', user: 'u' }, { stringData: { password: 'new' } }))).toEqual({ password: 'new', user: 'u' });
    expect(credentialsFromSecret(secret({ password: 'old' }, { stringData: { password: 'new' } })).password).toBe('new');
    expect(() => credentialsFromSecret({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } })).toThrow(SourceRenderError);
  });
});

describe('Argo CD repository secrets', () => {
  test('normalizeGitUrl', () => {
    expect(normalizeGitUrl('https://GitHub.com/Org/Repo.git/')).toBe('https://github.com/org/repo');
    expect(normalizeGitUrl('git@github.com:org/repo.git')).toBe('ssh://git@github.com/org/repo');
    expect(normalizeGitUrl('ssh://git@github.com/org/repo')).toBe('ssh://git@github.com/org/repo');
  });

  test('a repository secret matches its URL in any spelling; repo-creds by the longest prefix', () => {
    const repo = secret({ url: 'https://github.com/org/repo' }, { type: 'repository', name: 'repo' });
    const org = secret({ url: 'https://github.com/org' }, { type: 'repo-creds', name: 'org' });
    const all = secret({ url: 'https://github.com' }, { type: 'repo-creds', name: 'all' });
    const sshOrg = secret({ url: 'git@github.com:org' }, { type: 'repo-creds', name: 'ssh-org' });
    const unlabelled = secret({ url: 'https://github.com/org/other' }, { name: 'unlabelled' });
    const secrets = [all, org, repo, sshOrg, unlabelled];
    const pick = (url: string) => findArgoRepoSecret(secrets, url)?.metadata.name;
    expect(pick('https://github.com/Org/Repo.git')).toBe('repo');
    expect(pick('https://github.com/org/other.git')).toBe('org');
    expect(pick('https://github.com/someone/else')).toBe('all');
    expect(pick('git@github.com:org/x.git')).toBe('ssh-org');
    // the same template in the other ssh spelling
    expect(pick('ssh://git@github.com/org/x')).toBe('ssh-org');
    expect(pick('https://gitlab.com/org/repo')).toBeUndefined();
  });
});

describe('credentials handed to git', () => {
  test('passwords only in the environment, key files private, cleaned up', async () => {
    const root = mkdtempSync(join(tmpdir(), 'slipway-cred-'));
    try {
      const env = await credentialEnv(
        { username: 'u', password: 'p4ss', bearerToken: 'tok', sshPrivateKey: 'KEY', knownHosts: 'h k', caCert: 'CA' },
        { askpass: '/x/askpass.sh', tmpRoot: root },
      );
      expect(env.env.GIT_ASKPASS).toBe('/x/askpass.sh');
      expect(env.env.SLIPWAY_GIT_PASSWORD).toBe('p4ss');
      expect(env.secrets).toEqual(expect.arrayContaining(['p4ss', 'tok', 'KEY']));
      const keys = Object.keys(env.env).filter((k) => k.startsWith('GIT_CONFIG_KEY_')).map((k) => env.env[k]);
      expect(keys).toEqual(['credential.helper', 'http.extraHeader']);
      // TLS files through GIT_SSL_* (they win over config, and over the same variables inherited)
      expect(readFileSync(env.env.GIT_SSL_CAINFO!, 'utf8')).toBe('CA');
      const identity = /-i '([^']+)'/.exec(env.env.GIT_SSH_COMMAND!)![1]!;
      expect(readFileSync(identity, 'utf8')).toBe('KEY\n');
      expect(statSync(identity).mode & 0o777).toBe(0o600);
      expect(env.env.GIT_SSH_COMMAND).toContain('StrictHostKeyChecking=yes');
      expect(env.env.GIT_SSH_COMMAND).not.toContain('KEY');
      await env.cleanup();
      expect(() => statSync(identity)).toThrow();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('git failures', () => {
  const fail = (stderr: string, revision?: string) =>
    classifyGitFailure(new GitExitError(128, stderr, ['fetch']), 'https://u:secretpw@h/r.git', 'fetch', ['secretpw', 'tok123'], revision);

  test('classified by what git says; the URL redacted; secrets scrubbed', () => {
    expect(fail("fatal: Authentication failed for 'https://h/r.git/'")).toBeInstanceOf(GitAuthError);
    expect(fail('fatal: could not read Username for \'https://h\': terminal prompts disabled')).toBeInstanceOf(GitAuthError);
    expect(fail("remote: Repository not found.\nfatal: repository 'https://h/r.git/' not found")).toBeInstanceOf(GitRepositoryNotFoundError);
    expect(fail('fatal: unable to access \'https://h/r.git/\': Could not resolve host: h')).toBeInstanceOf(GitUnreachableError);
    expect(fail("fatal: couldn't find remote ref refs/heads/x", 'branch "x"')).toBeInstanceOf(GitRefNotFoundError);
    expect(fail('git@github.com: Permission denied (publickey).\r\nfatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n').message).toBe(
      'git fetch https://u:***@h/r.git: authentication failed: git@github.com: Permission denied (publickey).; Could not read from remote repository.',
    );
    const e = fail('fatal: unable to access \'https://u:secretpw@h/\': Failed to connect; header tok123');
    expect(e.message).toBe("git fetch https://u:***@h/r.git: cannot reach the repository: unable to access 'https://u:***@h/': Failed to connect; header ***");
  });

  test('redactUrl and scrub', () => {
    expect(redactUrl('https://user:pw@host/repo')).toBe('https://user:***@host/repo');
    expect(redactUrl('ssh://git@host/repo')).toBe('ssh://git@host/repo');
    expect(redactUrl('git@host:org/repo')).toBe('git@host:org/repo');
    expect(scrub('a longsecret b secret', ['secret', 'longsecret'])).toBe('a *** b ***');
  });
});
