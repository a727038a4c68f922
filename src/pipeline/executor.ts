/**
 * What the scheduler asks of an executor. `local` runs processes in a
 * workspace directory; `kubernetes` runs each command as a Pod in the run's
 * namespace. Deploy, job and env steps talk to the cluster the same way under
 * both executors and are not part of this interface.
 */
import type { ExecutorName, ImageStep, KubernetesDefaults } from './model.js';

export type LogStream = 'stdout' | 'stderr' | 'system';

/** Where a step's output goes. The runner masks secrets and stores the text. */
export interface StepIO {
  write(stream: LogStream, text: string): void;
  /** Aborted on cancel (Ctrl-C) or timeout; executors stop their processes/Pods. */
  signal: AbortSignal;
}

export interface RunInfo {
  runId: number;
  pipeline: string;
  number: number;
  /** Absolute path of the local workspace (the directory holding the pipeline file unless told). */
  workspace: string;
  kubernetes?: KubernetesDefaults;
}

export interface CommandSpec {
  /** Path of the step, `stage/step`, for naming Pods and logs. */
  node: string;
  script: string;
  shell?: string;
  /** Workspace-relative working directory. */
  dir?: string;
  /** Container image (kubernetes). */
  image?: string;
  /** Complete environment for the step: built-ins, pipeline/stage/step env, params, secrets. */
  env: Record<string, string>;
  kubernetes?: KubernetesDefaults;
}

export interface StepResult {
  exitCode: number;
  /** Why the step did not run to an exit code (image pull, Pod deleted, ...). */
  error?: string;
}

/** An image step with `${...}` already interpolated. */
export type ImageBuild = Omit<ImageStep, 'at' | 'retries' | 'env' | 'when' | 'timeoutMs' | 'continueOnError'> & {
  node: string;
  env: Record<string, string>;
};

export interface Executor {
  readonly name: ExecutorName;
  /** Called once before the first step (creates the run namespace, the workspace volume...). */
  start(run: RunInfo): Promise<void>;
  runCommand(cmd: CommandSpec, io: StepIO): Promise<StepResult>;
  buildImage(build: ImageBuild, io: StepIO): Promise<StepResult>;
  /** Called once after the run, also after a cancel or failure: removes what start made. */
  finish(run: RunInfo, result: 'succeeded' | 'failed' | 'cancelled'): Promise<void>;
}
