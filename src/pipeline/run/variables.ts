/** Parameters, built-in variables and the Git facts of a run. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { UsageError } from '../../core/index.js';
import type { ParamSpec, Pipeline } from '../model.js';

const run = promisify(execFile);

export interface GitFacts {
  commit?: string;
  branch?: string;
  previousCommit?: string;
  /** Files changed by the last commit; undefined when that cannot be told (no Git, first commit). */
  changedFiles?: string[];
}

/** Reads commit, branch and the last commit's changed files from the workspace's Git repository, if it is one. GIT_BRANCH in the environment wins, as CI systems set it on detached checkouts. */
export async function gitFacts(workspace: string, env: NodeJS.ProcessEnv = process.env): Promise<GitFacts> {
  const git = async (...args: string[]): Promise<string | undefined> => {
    try {
      const { stdout } = await run('git', args, { cwd: workspace });
      return stdout.trim();
    } catch {
      return undefined;
    }
  };
  const commit = await git('rev-parse', 'HEAD');
  if (!commit) return { branch: env.GIT_BRANCH };
  const head = await git('rev-parse', '--abbrev-ref', 'HEAD');
  const previousCommit = await git('rev-parse', '--verify', '--quiet', 'HEAD~1');
  const diff = previousCommit ? await git('diff', '--name-only', 'HEAD~1', 'HEAD') : await git('show', '--name-only', '--format=', 'HEAD');
  const prefix = (await git('rev-parse', '--show-prefix')) ?? '';
  return {
    commit,
    branch: env.GIT_BRANCH || (head && head !== 'HEAD' ? head : undefined),
    previousCommit,
    // Paths relative to the workspace (the pipeline's directory may be below the repository root).
    changedFiles: diff === undefined ? undefined : diff.split('\n').filter((f) => f && f.startsWith(prefix)).map((f) => f.slice(prefix.length)),
  };
}

/** Merges `--param` values over the declared defaults; unknown names and values outside a choice are usage errors. */
export function resolveParams(pipeline: Pipeline, given: Record<string, string>): Record<string, string> {
  const byName = new Map(pipeline.params.map((p) => [p.name, p]));
  for (const name of Object.keys(given)) {
    if (!byName.has(name)) {
      const known = pipeline.params.map((p) => p.name).join(', ') || 'none';
      throw new UsageError(`unknown parameter "${name}" for pipeline ${pipeline.name} (parameters: ${known})`);
    }
  }
  const out: Record<string, string> = {};
  for (const p of pipeline.params) out[p.name] = checkParam(p, given[p.name] ?? p.default ?? defaultOf(p));
  return out;
}

function defaultOf(p: ParamSpec): string {
  if (p.type === 'boolean') return 'false';
  if (p.type === 'choice') return p.choices?.[0] ?? '';
  return '';
}

function checkParam(p: ParamSpec, value: string): string {
  if (p.type === 'boolean' && value !== 'true' && value !== 'false') {
    throw new UsageError(`parameter ${p.name} is a boolean: use true or false, not "${value}"`);
  }
  if (p.type === 'choice' && p.choices && !p.choices.includes(value)) {
    throw new UsageError(`parameter ${p.name} must be one of ${p.choices.join(', ')}, not "${value}"`);
  }
  return value;
}

/** The variables Jenkins gives every build, under the same names. */
export function builtinVariables(run: {
  pipeline: string;
  number: number;
  runId: number;
  workspace: string;
  git: GitFacts;
}): Record<string, string> {
  const commit = run.git.commit ?? '';
  return {
    CI: 'true',
    BUILD_NUMBER: String(run.number),
    BUILD_ID: String(run.number),
    BUILD_TAG: `slipway-${run.pipeline}-${run.number}`,
    JOB_NAME: run.pipeline,
    PIPELINE_NAME: run.pipeline,
    RUN_ID: String(run.runId),
    WORKSPACE: run.workspace,
    GIT_COMMIT: commit,
    GIT_SHORT_COMMIT: commit.slice(0, 7),
    GIT_BRANCH: run.git.branch ?? '',
    GIT_PREVIOUS_COMMIT: run.git.previousCommit ?? '',
  };
}
