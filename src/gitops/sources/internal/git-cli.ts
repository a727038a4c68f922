/**
 * Running the git CLI: one child process per command, an environment that never prompts,
 * never inherits a caller's GIT_DIR and carries credentials only in environment variables and
 * private temp files; stderr turned into a GitError of the right kind, with URLs and secrets
 * scrubbed.
 */
import { spawn } from 'node:child_process';
import {
  GitAuthError,
  GitError,
  GitRefNotFoundError,
  GitRepositoryNotFoundError,
  GitUnreachableError,
  type GitStep,
} from '../errors.js';

/** Environment variables that would point git at another repository or config. */
const INHERITED_GIT_VARS = /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|NAMESPACE|COMMON_DIR|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|CONFIG_PARAMETERS|PREFIX|QUARANTINE_PATH|ASKPASS|SSH_COMMAND|SSH|TERMINAL_PROMPT|PROTOCOL|EXEC_PATH)$/;

/** One git invocation. */
export interface GitRun {
  args: string[];
  /** Working directory. */
  cwd: string;
  /** Added to the scrubbed environment. */
  env: Record<string, string>;
  signal?: AbortSignal;
  /** Data for stdin. */
  input?: string;
}

/** What a successful run printed. */
export interface GitOutput {
  stdout: string;
  stderr: string;
}

/** A git run that exited non-zero (before classification). */
export class GitExitError extends Error {
  constructor(
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly args: string[],
  ) {
    super(`git ${args[0] ?? ''} exited with ${exitCode}`);
  }
}

/** The environment every git child gets: the parent's, minus repository pointers, plus no prompts and C messages. */
export function baseGitEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!INHERITED_GIT_VARS.test(k)) env[k] = v;
  env.LC_ALL = 'C';
  env.LANGUAGE = 'C';
  env.GIT_TERMINAL_PROMPT = '0';
  // A git run must not start editors, pagers or background maintenance.
  env.GIT_EDITOR = 'true';
  env.GIT_PAGER = 'cat';
  return { ...env, ...extra };
}

/**
 * Runs git and resolves with its output; rejects with GitExitError, or with the signal's
 * reason when `signal` aborts (the process group is killed).
 */
export function runGit(gitBinary: string, run: GitRun): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    if (run.signal?.aborted) {
      reject(run.signal.reason);
      return;
    }
    const child = spawn(gitBinary, run.args, {
      cwd: run.cwd,
      env: baseGitEnv(run.env),
      stdio: ['pipe', 'pipe', 'pipe'],
      // Its own process group, so that ssh and remote helpers die with it.
      detached: true,
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    let aborted = false;
    const kill = () => {
      aborted = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    run.signal?.addEventListener('abort', kill, { once: true });
    child.on('error', (e) => {
      run.signal?.removeEventListener('abort', kill);
      reject(e);
    });
    child.on('close', (code) => {
      run.signal?.removeEventListener('abort', kill);
      if (aborted) {
        reject(run.signal?.reason ?? new Error('aborted'));
        return;
      }
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8');
      if (code === 0) resolve({ stdout, stderr });
      else reject(new GitExitError(code, stderr, run.args));
    });
    child.stdin.on('error', () => {});
    child.stdin.end(run.input ?? '');
  });
}

/** The URL with any password (and a bare token used as user name) removed, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/@]*)@/, (_m, scheme: string, userinfo: string) => {
    const user = userinfo.split(':')[0] ?? '';
    return userinfo.includes(':') ? `${scheme}${user}:***@` : `${scheme}${user}@`;
  });
}

/** Removes every secret from a text (longest first, so a password that contains another does not leak a part). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length)) out = out.split(s).join('***');
  return out;
}

/** The lines of git's stderr worth showing: `fatal:`/`error:` lines, else the last non-empty lines. */
function gitMessage(stderr: string): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('hint:') && !/^(remote: )?(Counting|Compressing|Receiving|Resolving|Enumerating|Total)\b/.test(l));
  // ssh prefixes its reasons with the host (`git@github.com: Permission denied (publickey).`).
  const important = lines.filter((l) => /^(fatal|error|ssh|remote: )|Host key|Permission denied/i.test(l));
  const chosen = (important.length > 0 ? important : lines.slice(-3)).map((l) => l.replace(/^fatal: /, ''));
  return chosen.join('; ') || 'git failed without a message';
}

const AUTH = [
  /Authentication failed/i,
  /could not read (Username|Password)/i,
  /terminal prompts disabled/i,
  /Permission denied \((publickey|password|keyboard)/i,
  /Host key verification failed/i,
  /HTTP (Basic: )?Access denied/i,
  /The requested URL returned error: (401|403)\b/,
  /\b403 Forbidden\b/,
  /invalid credentials/i,
  /No more authentication methods/i,
  /key_load_private|invalid format|error in libcrypto|incorrect passphrase/i,
];
const NOT_FOUND_REPO = [
  /repository '.*' not found/i,
  /The requested URL returned error: 404\b/,
  /does not appear to be a git repository/i,
  /Repository not found/i,
  /no such repository/i,
  /access denied or repository not exported/i,
  /not a git repository/i,
];
const UNREACHABLE = [
  /Could not resolve host/i,
  /Connection refused/i,
  /Failed to connect/i,
  /unable to connect/i,
  /Connection timed out/i,
  /Operation timed out/i,
  /Network is unreachable/i,
  /No route to host/i,
  /Could not read from remote repository/i,
  /SSL certificate problem|server certificate verification failed|SSL_ERROR|unable to get local issuer/i,
  /Connection reset/i,
  /the remote end hung up unexpectedly/i,
  /Empty reply from server/i,
  /Could not resolve hostname/i,
];
const UNKNOWN_REF = [/couldn't find remote ref/i, /not our ref/i, /unadvertised object/i, /no such remote ref/i, /invalid refspec/i, /bad object|not a valid object name|unknown revision/i];

/**
 * Turns a failed git run into the GitError subclass its stderr points to. Checked in order:
 * authentication (git's "could not read Username" also comes from a 401), missing repository,
 * unreachable server, unknown ref; anything else is a plain GitError.
 */
export function classifyGitFailure(e: unknown, url: string, step: GitStep, secrets: readonly string[], revision?: string): GitError {
  if (e instanceof GitError) return e;
  const shownUrl = redactUrl(url);
  if (e instanceof GitExitError) {
    const message = scrub(gitMessage(e.stderr), secrets);
    const matches = (list: RegExp[]) => list.some((re) => re.test(e.stderr));
    if (matches(AUTH)) return new GitAuthError(shownUrl, step, `authentication failed: ${message}`);
    if (matches(NOT_FOUND_REPO)) return new GitRepositoryNotFoundError(shownUrl, step, `repository not found: ${message}`);
    if (matches(UNREACHABLE)) return new GitUnreachableError(shownUrl, step, `cannot reach the repository: ${message}`);
    if (revision !== undefined && matches(UNKNOWN_REF)) return new GitRefNotFoundError(shownUrl, step, revision, `unknown revision ${revision}: ${message}`);
    return new GitError(shownUrl, step, message);
  }
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT') return new GitError(shownUrl, step, `the git command was not found (${err.message}); install git to use Git sources`, { cause: e });
  return new GitError(shownUrl, step, scrub(String((e as Error)?.message ?? e), secrets), { cause: e });
}
