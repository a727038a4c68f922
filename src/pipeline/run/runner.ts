/**
 * Runs a pipeline: stages as a DAG (`needs`, file order by default), steps in
 * order within a stage, parallel branches at once; `when`, timeouts, retries,
 * `post` blocks, env steps scoped to their stage, artifacts, caches, masked
 * logs. Every state change goes to the run store first and then to the
 * reporter, so `slipway runs` sees what the terminal sees.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, SlipwayError, formatError } from '../../core/index.js';
import type { LogStream, RunInfo, StepIO, StepResult, Executor } from '../executor.js';
import { mergeDefaults } from '../kube/executor.js';
import type { DeployStep, EnvStep, JobStep, KubernetesDefaults, Pipeline, RunStatus, SecretSpec, Stage, Step } from '../model.js';
import { cacheKey, evaluateWhen, interpolate, interpolateDeep } from '../spec/index.js';
import type { NodeKind, NodeRecord, RunRecord, RunStore } from '../store/types.js';
import { runGateStep } from '../steps/gate.js';
import { runPolicyStep } from '../steps/policy.js';
import { findFiles } from '../files.js';
import { restoreCache, saveCache } from './caches.js';
import { LogSink, Masker } from './log-sink.js';
import { builtinVariables, resolveParams, type GitFacts } from './variables.js';

/** What deploy, job and env steps and Kubernetes Secrets need; created only when a step needs the cluster. */
export interface ClusterSteps {
  deploy(step: DeployStep, ctx: StepContext): Promise<StepResult>;
  job(step: JobStep, namespace: string, ctx: StepContext): Promise<StepResult>;
  createEnv(step: EnvStep, ctx: StepContext): Promise<TestEnvHandle>;
  readSecret(ref: { name: string; key: string; namespace?: string }): Promise<string>;
}

export interface TestEnvHandle {
  namespace: string;
  teardown(outcome: 'succeeded' | 'failed', io: StepIO): Promise<void>;
}

export interface StepContext {
  run: RunInfo;
  node: string;
  workspace: string;
  vars: Record<string, string>;
  io: StepIO;
  store: RunStore;
  /** Namespace of the stage's test environment, if an env step ran before. */
  envNamespace?: string;
}

/** Live view of a run: the terminal tree or plain lines. */
export interface RunReporter {
  runStarted(run: RunRecord, pipeline: Pipeline): void;
  nodeChanged(node: NodeRecord): void;
  log(node: string, stream: LogStream, text: string): void;
  runFinished(run: RunRecord): void;
}

export interface RunnerOptions {
  pipeline: Pipeline;
  /** Absolute path of the workspace. */
  workspace: string;
  store: RunStore;
  /** Where caches are kept (normally `<workspace>/.slipway/caches`). */
  cacheDir: string;
  executor: Executor;
  params?: Record<string, string>;
  /** Skips the stages before this one in file order. */
  fromStage?: string;
  git?: GitFacts;
  /** Aborting it cancels the run. */
  signal?: AbortSignal;
  reporter?: RunReporter;
  cluster?: () => Promise<ClusterSteps>;
  /** Environment secrets `fromEnv` are read from. */
  processEnv?: NodeJS.ProcessEnv;
}

type Outcome = Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled' | 'skipped'>;

class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

class TimedOut extends Error {
  constructor(what: string, ms: number) {
    super(`${what} timed out after ${formatMs(ms)}`);
  }
}

interface StageScope {
  path: string;
  vars: Record<string, string>;
  signal: AbortSignal;
  envs: TestEnvHandle[];
  /** The stage's kubernetes settings (a parallel branch's over its parent's); the pipeline's are the run's. */
  kubernetes?: KubernetesDefaults;
}

export class PipelineRunner {
  private readonly masker = new Masker();
  private readonly sink: LogSink;
  private seq = 0;
  private run!: RunRecord;
  private info!: RunInfo;
  private params: Record<string, string> = {};
  private cluster?: Promise<ClusterSteps>;
  private readonly runAbort = new AbortController();

  constructor(private readonly opts: RunnerOptions) {
    this.sink = new LogSink(this.masker, (node, stream, text) => {
      this.opts.store.appendLog(this.run.id, node, stream, text);
      this.opts.reporter?.log(node, stream, text);
    });
  }

  /** Runs the pipeline to the end and returns the finished run record. Bad parameters throw before a run is created. */
  async execute(): Promise<RunRecord> {
    const { pipeline, store } = this.opts;
    this.params = resolveParams(pipeline, this.opts.params ?? {});
    if (this.opts.fromStage !== undefined && !pipeline.stages.some((s) => s.name === this.opts.fromStage)) {
      throw new InputError(`--from-stage: pipeline ${pipeline.name} has no top-level stage "${this.opts.fromStage}"`, pipeline.at);
    }
    const git = this.opts.git ?? {};
    this.run = store.createRun({
      pipeline: pipeline.name,
      file: pipeline.file,
      executor: this.opts.executor.name,
      params: this.params,
      gitCommit: git.commit,
      gitBranch: git.branch,
    });
    this.info = {
      runId: this.run.id,
      pipeline: pipeline.name,
      number: this.run.number,
      workspace: this.opts.workspace,
      kubernetes: pipeline.kubernetes,
    };
    this.opts.reporter?.runStarted(this.run, pipeline);

    const onCancel = () => this.runAbort.abort(new Cancelled());
    if (this.opts.signal?.aborted) onCancel();
    this.opts.signal?.addEventListener('abort', onCancel, { once: true });
    const runTimer = pipeline.timeoutMs
      ? setTimeout(() => this.runAbort.abort(new TimedOut(`pipeline ${pipeline.name}`, pipeline.timeoutMs!)), pipeline.timeoutMs)
      : undefined;

    let outcome: Outcome = 'failed';
    let error: string | undefined;
    let started = false;
    try {
      const vars = await this.pipelineVariables(git);
      await this.opts.executor.start(this.info);
      started = true;
      const cacheKeys = await this.restoreCaches(vars);
      outcome = await this.runStages(vars);
      const post = await this.runPost(pipeline.post, 'post', undefined, vars, outcome, this.runAbort.signal);
      if (outcome === 'succeeded' && post === 'failed') outcome = 'failed';
      if (outcome === 'succeeded') await this.saveCaches(cacheKeys);
      if (outcome === 'failed') error = this.firstError();
    } catch (e) {
      outcome = this.runAbort.signal.aborted && this.runAbort.signal.reason instanceof Cancelled ? 'cancelled' : 'failed';
      error = this.masker.mask(errorText(e));
      this.systemLog('run', `error: ${error}`);
    } finally {
      clearTimeout(runTimer);
      this.opts.signal?.removeEventListener('abort', onCancel);
      if (this.runAbort.signal.reason instanceof Cancelled) outcome = 'cancelled';
      if (started) {
        await this.opts.executor
          .finish(this.info, outcome === 'skipped' ? 'succeeded' : outcome)
          .catch((e: unknown) => this.systemLog('run', `cleanup failed: ${errorText(e)}`));
      }
      this.sink.flush('run');
    }
    if (outcome === 'cancelled') error ??= 'cancelled';
    store.finishRun(this.run.id, outcome === 'skipped' ? 'succeeded' : outcome, error);
    this.run = store.getRun(this.run.id) ?? this.run;
    this.opts.reporter?.runFinished(this.run);
    return this.run;
  }

  private errors: string[] = [];

  private firstError(): string | undefined {
    return this.errors[0];
  }

  private async pipelineVariables(git: GitFacts): Promise<Record<string, string>> {
    const { pipeline } = this.opts;
    const vars: Record<string, string> = {
      ...builtinVariables({ pipeline: pipeline.name, number: this.run.number, runId: this.run.id, workspace: this.opts.workspace, git }),
      ...this.params,
    };
    for (const secret of pipeline.secrets) {
      const value = await this.readSecret(secret);
      this.masker.add(value);
      vars[secret.name] = value;
    }
    // Each pipeline env value may use the built-ins, parameters and the values above it.
    for (const [name, value] of Object.entries(pipeline.env)) {
      vars[name] = this.expand(value, vars, `spec.env.${name}`, pipeline.at);
    }
    return vars;
  }

  private async readSecret(secret: SecretSpec): Promise<string> {
    const { from } = secret;
    if ('env' in from) {
      const value = (this.opts.processEnv ?? process.env)[from.env];
      if (value === undefined) throw new InputError(`secret ${secret.name}: environment variable ${from.env} is not set`, secret.at);
      return value;
    }
    if ('file' in from) {
      try {
        return (await readFile(resolve(this.opts.workspace, from.file), 'utf8')).replace(/\r?\n$/, '');
      } catch (e) {
        throw new InputError(`secret ${secret.name}: cannot read ${from.file}: ${(e as Error).message}`, secret.at, { cause: e });
      }
    }
    return (await this.clusterSteps()).readSecret(from.secret);
  }

  private clusterSteps(): Promise<ClusterSteps> {
    if (!this.opts.cluster) {
      return Promise.reject(new InputError('this step needs a Kubernetes cluster, and none is configured for this run'));
    }
    this.cluster ??= this.opts.cluster();
    return this.cluster;
  }

  // ---- stages ------------------------------------------------------------

  private async runStages(vars: Record<string, string>): Promise<Outcome> {
    const stages = this.opts.pipeline.stages;
    const fromIndex = this.opts.fromStage === undefined ? 0 : stages.findIndex((s) => s.name === this.opts.fromStage);
    const results = new Map<string, Promise<Outcome>>();
    const order = new Map(stages.map((s, i) => [s.name, i]));
    const blockedBy = new Map<string, string>();
    const start = (stage: Stage, index: number): Promise<Outcome> => {
      const existing = results.get(stage.name);
      if (existing) return existing;
      const needs = stage.needs ?? (index > 0 ? [stages[index - 1]!.name] : []);
      const promise = (async (): Promise<Outcome> => {
        const deps = await Promise.all(
          needs.map((n) => {
            const dep = stages[order.get(n)!];
            return dep ? start(dep, order.get(n)!) : Promise.resolve<Outcome>('succeeded');
          }),
        );
        const node = this.node(stage.name, 'stage', stage.name);
        if (index < fromIndex) return this.skip(node, `before --from-stage ${this.opts.fromStage}`, 'skipped');
        const blocker = needs.find((n, i) => deps[i] === 'failed' || deps[i] === 'cancelled' || blockedBy.has(n));
        if (blocker) {
          // Skipped for a failure upstream: what needs this stage is skipped too, naming the stage that failed.
          const root = blockedBy.get(blocker) ?? blocker;
          blockedBy.set(stage.name, root);
          return this.skip(node, `stage ${root} did not succeed`, 'skipped');
        }
        if (this.runAbort.signal.aborted) return this.skip(node, 'cancelled', 'cancelled');
        return this.runStage(stage, stage.name, vars, this.runAbort.signal, node);
      })();
      results.set(stage.name, promise);
      return promise;
    };
    const outcomes = await Promise.all(stages.map((s, i) => start(s, i)));
    if (this.runAbort.signal.reason instanceof Cancelled) return 'cancelled';
    if (outcomes.includes('failed') || outcomes.includes('cancelled')) return 'failed';
    return 'succeeded';
  }

  private async runStage(
    stage: Stage,
    path: string,
    parentVars: Record<string, string>,
    parentSignal: AbortSignal,
    node: NodeRecord,
    parentKube?: KubernetesDefaults,
  ): Promise<Outcome> {
    const kubernetes = stage.kubernetes || parentKube ? mergeDefaults(parentKube, stage.kubernetes) : undefined;
    let vars: Record<string, string> = { ...parentVars, STAGE_NAME: stage.name };
    for (const [name, value] of Object.entries(stage.env)) vars[name] = this.expand(value, vars, `${path}.env.${name}`, stage.at);
    if (stage.when) {
      const decision = this.decide(stage.when, vars, stage.at);
      if (!decision.run) return this.skip(node, decision.reason, 'skipped');
    }
    this.start(node);
    let outcome: Outcome = 'failed';
    for (let attempt = 1; attempt <= stage.retries + 1; attempt++) {
      node.attempts = attempt;
      if (attempt > 1) {
        this.systemLog(path, `retrying stage ${stage.name} (attempt ${attempt} of ${stage.retries + 1})`);
        this.save(node);
      }
      const timer = deadline(parentSignal, stage.timeoutMs, `stage ${stage.name}`);
      const scope: StageScope = { path, vars, signal: timer.signal, envs: [], kubernetes };
      try {
        outcome = stage.parallel ? await this.runParallel(stage, scope) : await this.runSteps(stage.steps, scope, `${path}/`);
      } finally {
        timer.clear();
      }
      if (timer.signal.aborted && !parentSignal.aborted) {
        outcome = 'failed';
        this.fail(node, errorText(timer.signal.reason));
      }
      await this.teardownEnvs(scope, outcome);
      vars = scope.vars;
      if (outcome !== 'failed' || parentSignal.aborted) break;
    }
    if (parentSignal.aborted && this.runAbort.signal.reason instanceof Cancelled) outcome = 'cancelled';
    const post = await this.runPost(stage.post, `${path}/post`, path, vars, outcome, parentSignal, kubernetes);
    if (outcome === 'succeeded' && post === 'failed') {
      outcome = 'failed';
      node.error ??= 'a post step failed';
    }
    await this.collectArtifacts(stage, path);
    return this.finish(node, outcome);
  }

  private async runParallel(stage: Stage, scope: StageScope): Promise<Outcome> {
    const failFast = new AbortController();
    const signal = AbortSignal.any([scope.signal, failFast.signal]);
    const outcomes = await Promise.all(
      (stage.parallel ?? []).map(async (child) => {
        const childPath = `${scope.path}/${child.name}`;
        const node = this.node(childPath, 'stage', child.name, scope.path);
        if (signal.aborted) return this.skip(node, 'cancelled: another parallel branch failed', 'cancelled');
        const result = await this.runStage(child, childPath, scope.vars, signal, node, scope.kubernetes);
        if (result === 'failed' && stage.failFast) failFast.abort(new Error(`failFast: branch ${child.name} failed`));
        return result;
      }),
    );
    return outcomes.some((o) => o === 'failed' || o === 'cancelled') ? 'failed' : 'succeeded';
  }

  private async runSteps(steps: Step[], scope: StageScope, prefix: string): Promise<Outcome> {
    let outcome: Outcome = 'succeeded';
    for (const [i, step] of steps.entries()) {
      const node = this.node(`${prefix}${i}`, 'step', step.name, scope.path);
      if (outcome !== 'succeeded') {
        this.skip(node, 'an earlier step failed', 'skipped');
        continue;
      }
      const result = await this.runStep(step, node, scope);
      if (result === 'cancelled') outcome = 'cancelled';
      else if (result === 'failed' && !step.continueOnError) outcome = 'failed';
    }
    return outcome;
  }

  private async runPost(
    post: Pipeline['post'],
    prefix: string,
    parent: string | undefined,
    vars: Record<string, string>,
    outcome: Outcome,
    signal: AbortSignal,
    kubernetes?: KubernetesDefaults,
  ): Promise<Outcome> {
    // A cancelled run skips post blocks: Ctrl-C means stop now.
    if (this.runAbort.signal.reason instanceof Cancelled) return 'skipped';
    const blocks: [string, Step[]][] = [['always', post.always], [outcome === 'failed' ? 'failure' : 'success', outcome === 'failed' ? post.failure : post.success]];
    let result: Outcome = 'succeeded';
    for (const [condition, steps] of blocks) {
      if (steps.length === 0) continue;
      const scope: StageScope = { path: parent ?? 'run', vars, signal, envs: [], kubernetes };
      const path = `${prefix}.${condition}/`;
      for (const [i, step] of steps.entries()) {
        const node = this.node(`${path}${i}`, 'post', `${condition}: ${step.name}`, parent);
        if ((await this.runStep(step, node, scope)) === 'failed' && !step.continueOnError) result = 'failed';
      }
      await this.teardownEnvs(scope, result);
    }
    return result;
  }

  // ---- steps -------------------------------------------------------------

  private async runStep(step: Step, node: NodeRecord, scope: StageScope): Promise<Outcome> {
    const vars = { ...scope.vars };
    try {
      for (const [name, value] of Object.entries(step.env)) vars[name] = this.expand(value, vars, `${node.path}.env.${name}`, step.at);
      if (step.when) {
        const decision = this.decide(step.when, vars, step.at);
        if (!decision.run) return this.skip(node, decision.reason, 'skipped');
      }
    } catch (e) {
      this.start(node);
      this.fail(node, errorText(e));
      return this.finish(node, 'failed');
    }
    this.start(node);
    let outcome: Outcome = 'failed';
    for (let attempt = 1; attempt <= step.retries + 1; attempt++) {
      node.attempts = attempt;
      if (attempt > 1) {
        this.systemLog(node.path, `retrying (attempt ${attempt} of ${step.retries + 1})`);
        this.save(node);
      }
      const timer = deadline(scope.signal, step.timeoutMs, `step "${step.name}"`);
      const io: StepIO = { write: (stream, text) => this.sink.write(node.path, stream, text), signal: timer.signal };
      let result: StepResult;
      try {
        result = await this.dispatch(step, { run: this.info, node: node.path, workspace: this.opts.workspace, vars, io, store: this.opts.store, envNamespace: scope.vars.ENV_NAMESPACE }, scope);
      } catch (e) {
        result = { exitCode: 1, error: errorText(e) };
      } finally {
        timer.clear();
        this.sink.flush(node.path);
      }
      node.exitCode = result.exitCode;
      if (result.exitCode === 0 && !timer.signal.aborted) {
        outcome = 'succeeded';
        node.error = undefined;
        break;
      }
      const reason = timer.signal.aborted ? errorText(timer.signal.reason) : (result.error ?? `exit code ${result.exitCode}`);
      this.fail(node, `${where(step)}${reason}`);
      if (this.runAbort.signal.reason instanceof Cancelled) {
        outcome = 'cancelled';
        break;
      }
      if (scope.signal.aborted) break;
    }
    if (outcome === 'failed' && step.continueOnError) this.systemLog(node.path, 'continueOnError: the stage goes on');
    return this.finish(node, outcome);
  }

  private async dispatch(step: Step, ctx: StepContext, scope: StageScope): Promise<StepResult> {
    const field = ctx.node;
    switch (step.type) {
      case 'run':
        return this.opts.executor.runCommand(
          {
            node: ctx.node,
            script: step.script,
            shell: step.shell,
            dir: step.dir && this.expand(step.dir, ctx.vars, `${field}.dir`, step.at),
            image: step.image && this.expand(step.image, ctx.vars, `${field}.image`, step.at),
            env: ctx.vars,
            kubernetes: scope.kubernetes,
          },
          ctx.io,
        );
      case 'echo':
        ctx.io.write('stdout', `${this.expand(step.message, ctx.vars, `${field}.echo`, step.at)}\n`);
        return { exitCode: 0 };
      case 'image': {
        const build = this.expandStep(step, ctx.vars, field);
        return this.opts.executor.buildImage({ ...build, node: ctx.node, env: ctx.vars }, ctx.io);
      }
      case 'gate':
        return runGateStep(this.expandStep(step, ctx.vars, field), ctx);
      case 'policy':
        return runPolicyStep(this.expandStep(step, ctx.vars, field), ctx);
      case 'deploy':
        return (await this.clusterSteps()).deploy(this.expandStep(step, ctx.vars, field), ctx);
      case 'job': {
        const job = this.expandStep(step, ctx.vars, field);
        const namespace = job.namespace ?? ctx.envNamespace ?? ctx.vars.ENV_NAMESPACE;
        if (!namespace) {
          throw new InputError(`job step "${step.name}" needs a namespace: set job.namespace or run an env step before it in the stage`, step.at);
        }
        return (await this.clusterSteps()).job(job, namespace, ctx);
      }
      case 'env': {
        const env = await (await this.clusterSteps()).createEnv(this.expandStep(step, ctx.vars, field), ctx);
        scope.envs.push(env);
        scope.vars = { ...scope.vars, ENV_NAMESPACE: env.namespace };
        return { exitCode: 0 };
      }
    }
  }

  private async teardownEnvs(scope: StageScope, outcome: Outcome): Promise<void> {
    for (const env of scope.envs.splice(0).reverse()) {
      const io: StepIO = { write: (stream, text) => this.sink.write(scope.path, stream, text), signal: new AbortController().signal };
      await env.teardown(outcome === 'succeeded' ? 'succeeded' : 'failed', io).catch((e: unknown) => {
        this.systemLog(scope.path, `tearing down test environment ${env.namespace} failed: ${errorText(e)}`);
      });
      this.sink.flush(scope.path);
    }
  }

  // ---- artifacts and caches ----------------------------------------------

  private async collectArtifacts(stage: Stage, path: string): Promise<void> {
    if (stage.artifacts.length === 0) return;
    const files = await findFiles(this.opts.workspace, stage.artifacts);
    for (const file of files) {
      const content = await readFile(resolve(this.opts.workspace, file));
      this.opts.store.addArtifact(this.run.id, path, file, content);
    }
    this.systemLog(path, files.length ? `archived ${files.length} artifact(s): ${files.join(', ')}` : `no files match artifacts ${stage.artifacts.join(', ')}`);
  }

  private async restoreCaches(vars: Record<string, string>): Promise<{ key: string; paths: string[] }[]> {
    const keys = [];
    for (const cache of this.opts.pipeline.caches) {
      const key = await cacheKey(cache.key, this.opts.workspace, { vars, params: this.params }, 'spec.caches.key', cache.at);
      const hit = await restoreCache(this.opts.cacheDir, key, this.opts.workspace, cache.paths);
      this.systemLog('run', `cache ${key}: ${hit ? 'restored' : 'miss'}`);
      keys.push({ key, paths: cache.paths });
    }
    return keys;
  }

  private async saveCaches(keys: { key: string; paths: string[] }[]): Promise<void> {
    for (const { key, paths } of keys) {
      if (await saveCache(this.opts.cacheDir, key, this.opts.workspace, paths)) this.systemLog('run', `cache ${key}: saved`);
    }
  }

  // ---- helpers -----------------------------------------------------------

  private expand(text: string, vars: Record<string, string>, field: string, at: Stage['at']): string {
    return interpolate(text, { vars, params: this.params }, field, at);
  }

  private expandStep<T extends Step>(step: T, vars: Record<string, string>, field: string): T {
    const { at, env, when, ...rest } = step;
    const expanded = interpolateDeep(rest, { vars, params: this.params }, field, at) as Omit<T, 'at' | 'env' | 'when'>;
    return { ...expanded, at, env, when } as T;
  }

  private decide(when: NonNullable<Stage['when']>, vars: Record<string, string>, at: Stage['at']): { run: boolean; reason: string } {
    return evaluateWhen(when, { vars, params: this.params, branch: this.opts.git?.branch, changedFiles: this.opts.git?.changedFiles }, 'when', at);
  }

  private node(path: string, kind: NodeKind, name: string, parent?: string): NodeRecord {
    const node: NodeRecord = { runId: this.run.id, path, parent, kind, name, seq: this.seq++, status: 'queued', attempts: 0 };
    this.save(node);
    return node;
  }

  private start(node: NodeRecord): void {
    node.status = 'running';
    node.startedAt = new Date().toISOString();
    this.save(node);
  }

  private skip(node: NodeRecord, reason: string, status: Outcome): Outcome {
    node.status = status;
    node.error = reason;
    this.save(node);
    return status;
  }

  private fail(node: NodeRecord, error: string): void {
    node.error = this.masker.mask(error);
    this.systemLog(node.path, `error: ${error}`);
  }

  private finish(node: NodeRecord, outcome: Outcome): Outcome {
    node.status = outcome;
    node.finishedAt = new Date().toISOString();
    if (node.startedAt) node.durationMs = Date.parse(node.finishedAt) - Date.parse(node.startedAt);
    if (outcome === 'failed' && node.error && node.kind !== 'stage') this.errors.push(`${node.path}: ${node.error}`);
    this.save(node);
    return outcome;
  }

  private save(node: NodeRecord): void {
    this.opts.store.saveNode({ ...node });
    this.opts.reporter?.nodeChanged({ ...node });
  }

  private systemLog(node: string, text: string): void {
    this.sink.write(node, 'system', `${text}\n`);
  }
}

/** A child signal that aborts with the parent or after `ms` with a TimedOut reason. */
function deadline(parent: AbortSignal, ms: number | undefined, what: string): { signal: AbortSignal; clear(): void } {
  const own = new AbortController();
  const timer = ms ? setTimeout(() => own.abort(new TimedOut(what, ms)), ms) : undefined;
  return { signal: AbortSignal.any([parent, own.signal]), clear: () => clearTimeout(timer) };
}

function where(step: Step): string {
  return step.at.line ? `${step.at.file}:${step.at.line}: ` : '';
}

function errorText(e: unknown): string {
  if (e instanceof SlipwayError) return formatError(e);
  return e instanceof Error ? e.message : String(e);
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  if (s < 60) return `${Number.isInteger(s) ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.round(s - m * 60);
  return rest ? `${m}m${rest}s` : `${m}m`;
}
