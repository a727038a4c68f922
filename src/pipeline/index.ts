/**
 * pipeline — pipelines as code: slipway.yaml and declarative Jenkinsfiles read
 * into one model, run by the PipelineRunner on the local or kubernetes
 * executor, with runs, logs, artifacts and reports kept in the run store.
 */
export * from './model.js';
export type { CommandSpec, Executor, ImageBuild, LogStream, RunInfo, StepIO, StepResult } from './executor.js';
export { loadPipeline, parsePipelineYaml } from './spec/index.js';
export { parseJenkinsfile } from './jenkinsfile/index.js';
export { openRunStore, type RunStore, type RunRecord, type NodeRecord } from './store/index.js';
export { LocalExecutor } from './local/executor.js';
export { PipelineRunner, type ClusterSteps, type RunReporter, type RunnerOptions, type StepContext } from './run/runner.js';
export { PlainReporter, TtyReporter } from './run/reporter.js';
export { gitFacts, resolveParams, builtinVariables, type GitFacts } from './run/variables.js';
export { clusterSteps } from './steps/cluster.js';
export { KubernetesExecutor, type KubernetesExecutorOptions } from './kube/executor.js';
export { defaultThresholds, formatGateSummary, loadGateReports, type GateFiles } from './steps/gate.js';
export { EXPIRES_AT_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL, sweepExpiredTestEnvs } from './steps/env.js';
export { PIPELINE_LABEL, RUN_LABEL } from './kube/jobs.js';
