/**
 * The pipeline model: what `slipway.yaml` (kind Pipeline) and the declarative
 * Jenkinsfile subset both parse into, and what the scheduler runs.
 *
 * Durations are milliseconds; every stage and step carries the place in its
 * source file it was read from so run-time errors can name it too.
 */
import type { SourceLocation } from '../core/index.js';
import type { GateThresholds } from '../engines/gates/index.js';

export interface Pipeline {
  name: string;
  /** The file the pipeline was read from (as given, not resolved). */
  file: string;
  format: 'slipway' | 'jenkinsfile';
  /** Default executor; `slipway run --executor` overrides it. */
  executor?: ExecutorName;
  params: ParamSpec[];
  /** Pipeline-level environment; values may use `${...}` interpolation. */
  env: Record<string, string>;
  secrets: SecretSpec[];
  /** Whole-run timeout. */
  timeoutMs?: number;
  /** Defaults for the kubernetes executor (container image, resources...). */
  kubernetes?: KubernetesDefaults;
  caches: CacheSpec[];
  stages: Stage[];
  post: PostSpec;
  at: SourceLocation;
}

export type ExecutorName = 'local' | 'kubernetes';

export interface ParamSpec {
  name: string;
  type: 'string' | 'boolean' | 'choice';
  default?: string;
  choices?: string[];
  description?: string;
  at: SourceLocation;
}

/** A secret's value is put in the step's environment under `name` and masked in every log line. */
export interface SecretSpec {
  name: string;
  from:
    | { env: string }
    | { file: string }
    /** A Kubernetes Secret key, read with the current kubeconfig. */
    | { secret: { name: string; key: string; namespace?: string } };
  at: SourceLocation;
}

export interface CacheSpec {
  /** Cache key; may use `${...}` and `${hashFiles:glob}`. */
  key: string;
  /** Workspace-relative paths restored before the run and saved after a successful run. */
  paths: string[];
  at: SourceLocation;
}

export interface KubernetesDefaults {
  /** Image for `run` steps that name none. */
  image?: string;
  serviceAccountName?: string;
  nodeSelector?: Record<string, string>;
  /** Annotations on every step Pod (`sidecar.istio.io/inject: "false"`; on kwok, `slipway.dev/kwok-exit-code`). */
  annotations?: Record<string, string>;
  resources?: Resources;
  /** How the workspace reaches the step Pods. */
  workspace?: { type: 'pvc'; storageClassName?: string; size?: string } | { type: 'git'; url: string; revision?: string };
  /** Namespace for the run's Pods; default `slipway-run-<pipeline>-<number>`. */
  namespace?: string;
}

export interface Resources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface Stage {
  name: string;
  /**
   * Stage names this stage waits for. Undefined means "the previous stage in
   * file order" (stages run one after another by default); `[]` starts at once.
   */
  needs?: string[];
  when?: WhenSpec;
  env: Record<string, string>;
  timeoutMs?: number;
  /** Extra attempts for the whole stage after a failure. */
  retries: number;
  steps: Step[];
  /** Child stages run concurrently (Jenkins `parallel`); a stage has steps or parallel, not both. */
  parallel?: Stage[];
  /** Jenkins `failFast true`: a failing branch aborts the other branches. */
  failFast?: boolean;
  post: PostSpec;
  /** Workspace-relative globs stored with the run after the stage. */
  artifacts: string[];
  /** Overrides of the pipeline's kubernetes defaults for this stage. */
  kubernetes?: KubernetesDefaults;
  at: SourceLocation;
}

export interface WhenSpec {
  /** Glob on the branch name (`main`, `release/*`). */
  branch?: string;
  /** Runs when any changed path (since the previous commit) matches one of the globs. */
  changes?: string[];
  /** Expression over variables: `${params.TARGET} == 'production' && ${BUILD_NUMBER} != '1'`. */
  expression?: string;
  /** Env equality (Jenkins `environment name: 'X', value: 'y'`). */
  environment?: { name: string; value: string };
  /** Jenkins `not`, `allOf`, `anyOf`. */
  not?: WhenSpec;
  allOf?: WhenSpec[];
  anyOf?: WhenSpec[];
}

export interface PostSpec {
  always: Step[];
  success: Step[];
  failure: Step[];
}

interface StepBase {
  /** Display name; defaults to a short form of the step (`run: make build`). */
  name: string;
  env: Record<string, string>;
  timeoutMs?: number;
  /** Extra attempts after a failure. */
  retries: number;
  /** A failure is recorded but does not fail the stage. */
  continueOnError?: boolean;
  when?: WhenSpec;
  at: SourceLocation;
}

/** A shell script: `sh -e -c` locally, a container command on kubernetes. */
export interface RunStep extends StepBase {
  type: 'run';
  script: string;
  shell?: string;
  /** Workspace-relative working directory. */
  dir?: string;
  /** Container image on the kubernetes executor. */
  image?: string;
}

/** Prints a message to the log (Jenkins `echo`). */
export interface EchoStep extends StepBase {
  type: 'echo';
  message: string;
}

export interface ImageStep extends StepBase {
  type: 'image';
  /** Workspace-relative build context. */
  context: string;
  /** Path of the Dockerfile relative to the context; default `Dockerfile`. */
  dockerfile: string;
  /** Image references to push (kaniko `--destination`, buildkit `name=`). */
  destinations: string[];
  buildArgs: Record<string, string>;
  /** `auto` picks kaniko on kubernetes and the first of buildah/podman/docker locally. */
  builder: 'auto' | 'kaniko' | 'buildkit' | 'buildah' | 'podman' | 'docker';
  /** Docker config Secret for pushes (kubernetes). */
  pushSecret?: string;
  /** Push the destinations after the build (default true); Jenkins' `docker.build` only tags, and its `.push()` sets this. */
  push: boolean;
  /** Push to a plain-HTTP registry (kaniko --insecure, buildkit registry.insecure=true). */
  insecure?: boolean;
  target?: string;
}

export type DeployStep = ReleaseDeployStep | ManifestDeployStep;

/** `helm upgrade --install` through src/release. */
export interface ReleaseDeployStep extends StepBase {
  type: 'deploy';
  mode: 'release';
  release: string;
  chart: string;
  namespace?: string;
  valuesFiles: string[];
  set: Record<string, string>;
  wait: boolean;
  deployTimeoutMs?: number;
  createNamespace: boolean;
  /** Kyverno policy files/directories: the rendered chart is checked against them before anything is applied. */
  policies?: string[];
}

/** Server-side apply of a directory/file, or of a kustomization's output. */
export interface ManifestDeployStep extends StepBase {
  type: 'deploy';
  mode: 'apply' | 'kustomize';
  path: string;
  namespace?: string;
  wait: boolean;
  deployTimeoutMs?: number;
  prune: boolean;
  /** Kyverno policy files/directories: the objects are checked against them before anything is applied. */
  policies?: string[];
}

/** A container test Job in the cluster; its logs are the step's log and its exit code the result. */
export interface JobStep extends StepBase {
  type: 'job';
  image: string;
  command?: string[];
  args?: string[];
  namespace?: string;
  /** Workspace-relative file the Job writes JUnit XML to (read back from the log markers). */
  junit?: string;
  resources?: Resources;
  backoffLimit?: number;
  /** ConfigMaps from workspace files mounted at /data (test data). */
  files?: Record<string, string>;
}

/** An ephemeral test environment: the steps after it in the same stage run against it. */
export interface EnvStep extends StepBase {
  type: 'env';
  /** Namespace; default `test-<pipeline>-<run>`. */
  namespace?: string;
  ttlMs: number;
  /** `always` tears down at the end of the stage; `on-failure` keeps it until the TTL when the stage fails. */
  keep: 'never' | 'on-failure' | 'always';
  labels: Record<string, string>;
  /** Optional chart installed into the environment (`helm upgrade --install`). */
  release?: { name: string; chart: string; valuesFiles: string[]; set: Record<string, string>; wait: boolean };
  /** Jobs run after the release, before the steps that follow (test-data loading). */
  initJobs: JobStep[];
}

export interface GateStep extends StepBase {
  type: 'gate';
  coverage?: string;
  junit?: string;
  vulns?: string;
  thresholds: GateThresholds;
  /** Write an HTML coverage report here (workspace-relative). */
  coverageHtml?: string;
}

/**
 * Checks Kubernetes objects against Kyverno policies (background mode, operation CREATE):
 * plain manifests, a chart rendered as `helm template` renders it, or a kustomization.
 */
export interface PolicyStep extends StepBase {
  type: 'policy';
  /** Workspace-relative policy files or directories (ClusterPolicy/Policy YAML). */
  policies: string[];
  /** Workspace-relative manifest files or directories. */
  resources?: string[];
  /** A chart to render and check. */
  chart?: { chart: string; release?: string; namespace?: string; valuesFiles: string[]; set: Record<string, string> };
  /** A kustomization directory to build and check. */
  kustomize?: string;
  /** `enforce` (default): only failures of Enforce rules fail the step; `any`: every failure does. */
  failOn: 'enforce' | 'any';
}

export type Step = RunStep | EchoStep | ImageStep | DeployStep | JobStep | EnvStep | GateStep | PolicyStep;
export type StepType = Step['type'];

/** Built-in variables every step sees (as Jenkins names them). */
export const BUILTIN_VARIABLES = [
  'BUILD_NUMBER',
  'BUILD_ID',
  'BUILD_TAG',
  'JOB_NAME',
  'PIPELINE_NAME',
  'RUN_ID',
  'GIT_COMMIT',
  'GIT_SHORT_COMMIT',
  'GIT_BRANCH',
  'GIT_PREVIOUS_COMMIT',
  'WORKSPACE',
  'STAGE_NAME',
  'ENV_NAMESPACE',
  'CI',
] as const;

export type RunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';
