/**
 * Git credentials from Kubernetes Secrets, in the two formats people already have:
 * - Argo CD repository secrets (label `argocd.argoproj.io/secret-type: repository` or
 *   `repo-creds`; docs operator-manual/declarative-setup.md): url, username, password,
 *   sshPrivateKey, insecure, tlsClientCertData, tlsClientCertKey, bearerToken;
 * - Flux `secretRef`s of a GitRepository (source-controller docs/spec/v1/gitrepositories.md):
 *   username/password, bearerToken, identity (+ password as its passphrase), known_hosts,
 *   ca.crt (or the older caFile), tls.crt/tls.key.
 */
import type { KubeObject } from '../../core/index.js';
import { SourceRenderError } from './errors.js';
import type { GitCredentials } from './types.js';

/** The label Argo CD marks its repository secrets with. */
export const ARGOCD_SECRET_TYPE_LABEL = 'argocd.argoproj.io/secret-type';

/** A Secret's values as text: `data` base64-decoded, `stringData` over it (as the apiserver merges them). */
export function secretValues(secret: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  const data = secret.data;
  if (data && typeof data === 'object') {
    for (const [k, v] of Object.entries(data as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = Buffer.from(v, 'base64').toString('utf8');
    }
  }
  const stringData = secret.stringData;
  if (stringData && typeof stringData === 'object') {
    for (const [k, v] of Object.entries(stringData as Record<string, unknown>)) {
      if (typeof v === 'string') out[k] = v;
    }
  }
  return out;
}

const isTrue = (v: string | undefined) => v !== undefined && /^(true|1|yes)$/i.test(v.trim());

/**
 * Reads credentials for a Git source from a Secret in either format. Keys that are absent stay
 * undefined. In Flux's SSH format (`identity`), `password` is the key's passphrase; in every
 * other case it is the HTTP password.
 */
export function credentialsFromSecret(secret: KubeObject): GitCredentials {
  if (secret.kind !== 'Secret') {
    throw new SourceRenderError(`credentials must come from a Secret, not ${secret.kind} ${secret.metadata?.name ?? ''}`.trim());
  }
  const v = secretValues(secret);
  const creds: GitCredentials = {};
  const fluxIdentity = v.identity;
  const key = v.sshPrivateKey ?? fluxIdentity;
  if (v.username !== undefined && v.username !== '') creds.username = v.username;
  if (v.password !== undefined && v.password !== '') {
    if (fluxIdentity !== undefined && v.sshPrivateKey === undefined) creds.sshPassphrase = v.password;
    else creds.password = v.password;
  }
  if (v.bearerToken) creds.bearerToken = v.bearerToken;
  if (key) creds.sshPrivateKey = key;
  const knownHosts = v.known_hosts ?? v.knownHosts;
  if (knownHosts) creds.knownHosts = knownHosts;
  if (isTrue(v.insecure) || isTrue(v.insecureIgnoreHostKey) || isTrue(v.insecureSkipTLSVerify)) creds.insecure = true;
  const ca = v['ca.crt'] ?? v.caFile;
  if (ca) creds.caCert = ca;
  const cert = v.tlsClientCertData ?? v['tls.crt'];
  const certKey = v.tlsClientCertKey ?? v['tls.key'];
  if (cert) creds.tlsClientCert = cert;
  if (certKey) creds.tlsClientKey = certKey;
  return creds;
}

/**
 * Argo CD's NormalizeGitURL for matching (util/git/git.go): lower case, no trailing `/` or
 * `.git`, scp-style `git@host:org/repo` written as `ssh://git@host/org/repo`.
 */
export function normalizeGitUrl(url: string): string {
  let u = url.trim();
  const scp = /^([^@/:]+@)?([^/:]+):(?!\/\/)(.*)$/.exec(u);
  if (scp && !/^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(u)) u = `ssh://${scp[1] ?? ''}${scp[2]}/${scp[3]}`;
  u = u.toLowerCase().replace(/\/+$/, '');
  if (u.endsWith('.git')) u = u.slice(0, -4);
  return u;
}

/**
 * The Argo CD secret that holds credentials for `repoUrl`: a `repository` secret whose url
 * matches it, else the `repo-creds` template with the longest matching url prefix (as Argo's
 * db.GetRepository picks credentials). Undefined when none applies.
 */
export function findArgoRepoSecret(secrets: readonly KubeObject[], repoUrl: string): KubeObject | undefined {
  const want = normalizeGitUrl(repoUrl);
  let best: { secret: KubeObject; length: number } | undefined;
  for (const s of secrets) {
    const type = s.metadata?.labels?.[ARGOCD_SECRET_TYPE_LABEL];
    const url = secretValues(s).url;
    if (!url) continue;
    if (type === 'repository' && normalizeGitUrl(url) === want) return s;
    if (type === 'repo-creds') {
      // Both sides normalized, as getRepositoryCredentialIndex does: `git@host:org` covers
      // `ssh://git@host/org/repo` too.
      const prefix = normalizeGitUrl(url);
      if (prefix !== '' && want.startsWith(prefix) && (!best || prefix.length > best.length)) best = { secret: s, length: prefix.length };
    }
  }
  return best?.secret;
}
