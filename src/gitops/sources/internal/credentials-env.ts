/**
 * Credentials handed to git without putting them in a URL, a command line or a log:
 * - username/password through GIT_ASKPASS: a fixed script (no secrets in it) that answers
 *   git's "Username for …"/"Password for …" prompts from SLIPWAY_GIT_* variables of the child's
 *   own environment;
 * - a bearer token as `http.extraHeader`, passed as GIT_CONFIG_KEY_n/VALUE_n variables;
 * - an ssh key in a 0600 file in a private (0700) temp directory, with known_hosts next to it,
 *   through GIT_SSH_COMMAND; host keys checked strictly unless `insecure`;
 * - TLS: CA bundle and client certificate as files named by GIT_SSL_CAINFO/CERT/KEY,
 *   GIT_SSL_NO_VERIFY when insecure.
 * Argo CD's util/git/creds.go and Flux's pkg/git transport options do the same jobs.
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitCredentials } from '../types.js';

/** The askpass script: answers by prompt, from the environment of the git process that runs it. */
export const ASKPASS_SCRIPT = `#!/bin/sh
# Written by slipway. Holds no secrets: the answers come from the calling git's environment.
case "$1" in
  Username*) printf '%s\\n' "$SLIPWAY_GIT_USERNAME" ;;
  Password*) printf '%s\\n' "$SLIPWAY_GIT_PASSWORD" ;;
  *assphrase*) printf '%s\\n' "$SLIPWAY_SSH_PASSPHRASE" ;;
  *) printf '\\n' ;;
esac
`;

/** The environment for one fetch, and how to remove its temp files. */
export interface CredentialEnv {
  env: Record<string, string>;
  /** Strings that must never appear in messages. */
  secrets: string[];
  cleanup(): Promise<void>;
}

/** Single quotes for sh. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Options that are not secrets. */
export interface CredentialEnvOptions {
  /** Path of the askpass script (written by the cache). */
  askpass: string;
  /** Where private temp directories go. */
  tmpRoot: string;
  /** The ssh program. @default 'ssh' */
  sshCommand?: string;
}

/** Builds the environment git needs for `creds`; call cleanup() when the git runs are over. */
export async function credentialEnv(creds: GitCredentials | undefined, opts: CredentialEnvOptions): Promise<CredentialEnv> {
  const env: Record<string, string> = { GIT_ASKPASS: opts.askpass, SSH_ASKPASS: opts.askpass };
  const config: [string, string][] = [];
  const secrets: string[] = [];
  let tmp: string | undefined;
  const file = async (name: string, content: string) => {
    tmp ??= await mkdtemp(join(opts.tmpRoot, 'cred-'));
    await chmod(tmp, 0o700);
    const path = join(tmp, name);
    await writeFile(path, content, { mode: 0o600 });
    await chmod(path, 0o600);
    return path;
  };
  const c = creds ?? {};
  if (creds && Object.values(creds).some((v) => v !== undefined && v !== '' && v !== false)) {
    // Stored helper credentials would be tried before askpass; the secret's own must win.
    config.push(['credential.helper', '']);
  }
  if (c.username !== undefined) {
    env.SLIPWAY_GIT_USERNAME = c.username;
  }
  if (c.password !== undefined) {
    env.SLIPWAY_GIT_PASSWORD = c.password;
    secrets.push(c.password);
  }
  if (c.bearerToken) {
    config.push(['http.extraHeader', `Authorization: Bearer ${c.bearerToken}`]);
    secrets.push(c.bearerToken);
  }
  // TLS through git's GIT_SSL_* variables, not http.* config: the variables win over the
  // config, so one inherited from the environment (GIT_SSL_CAINFO is common on CI machines and
  // behind TLS-intercepting proxies) would otherwise silently replace the secret's CA.
  if (c.insecure) env.GIT_SSL_NO_VERIFY = 'true';
  if (c.caCert) env.GIT_SSL_CAINFO = await file('ca.crt', c.caCert);
  if (c.tlsClientCert) env.GIT_SSL_CERT = await file('tls.crt', c.tlsClientCert);
  if (c.tlsClientKey) {
    env.GIT_SSL_KEY = await file('tls.key', c.tlsClientKey);
    secrets.push(c.tlsClientKey);
  }

  const ssh: string[] = [opts.sshCommand ?? 'ssh'];
  if (c.sshPrivateKey) {
    // OpenSSH refuses a key file without its final newline ("invalid format").
    const key = c.sshPrivateKey.endsWith('\n') ? c.sshPrivateKey : `${c.sshPrivateKey}\n`;
    ssh.push('-i', shQuote(await file('identity', key)), '-o', 'IdentitiesOnly=yes');
    secrets.push(c.sshPrivateKey.trim());
  }
  if (c.insecure) {
    ssh.push('-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null');
  } else if (c.knownHosts) {
    ssh.push('-o', 'StrictHostKeyChecking=yes', '-o', `UserKnownHostsFile=${shQuote(await file('known_hosts', c.knownHosts.endsWith('\n') ? c.knownHosts : `${c.knownHosts}\n`))}`);
  } else if (c.sshPrivateKey) {
    ssh.push('-o', 'StrictHostKeyChecking=yes');
  }
  if (c.sshPassphrase) {
    // BatchMode would refuse to ask; SSH_ASKPASS_REQUIRE=force makes ssh ask our script.
    env.SLIPWAY_SSH_PASSPHRASE = c.sshPassphrase;
    env.SSH_ASKPASS_REQUIRE = 'force';
    secrets.push(c.sshPassphrase);
  } else {
    ssh.push('-o', 'BatchMode=yes');
  }
  env.GIT_SSH_COMMAND = ssh.join(' ');

  if (config.length > 0) {
    env.GIT_CONFIG_COUNT = String(config.length);
    config.forEach(([k, v], i) => {
      env[`GIT_CONFIG_KEY_${i}`] = k;
      env[`GIT_CONFIG_VALUE_${i}`] = v;
    });
  }
  return {
    env,
    secrets,
    cleanup: async () => {
      if (tmp) await rm(tmp, { recursive: true, force: true });
    },
  };
}
