/**
 * The `kubernetes` executor: every `run` step is a batch/v1 Job in the run's namespace, run to
 * the end by {@link runJob}; image steps are kaniko/BuildKit Jobs (steps/images.ts) there too.
 *
 * - start() makes the namespace `slipway-run-<pipeline>-<number>` (or `kubernetes.namespace`),
 *   labelled slipway.dev/pipeline and slipway.dev/run, and the workspace:
 *   `git`: each step Pod clones url@revision in an init container (alpine/git) into an emptyDir
 *   at /workspace, so every step starts from the same commit and nothing carries from one step
 *   to the next; `pvc`: one PersistentVolumeClaim `workspace` (ReadWriteOnce, `size`, default
 *   1Gi, `storageClassName`) mounted at /workspace in every step Pod, so files carry over — the
 *   cluster needs a provisioner for it (the local control plane has none: a PV must be made by
 *   hand, see test/integration/pipeline-kube-executor.test.ts); none: an empty /workspace.
 * - runCommand() puts the step's whole environment in a Secret of its own (`<job>-env`) and the
 *   container reads each variable with secretKeyRef: the runner hands over one merged map, and
 *   secrets are also interpolated into other values, so no value is written into the Pod spec.
 *   The Secret is deleted when the step ends.
 * - finish() deletes the namespace it created (not one that existed before: then only the PVC
 *   it made), except after a failed run with `keepOnFailure`, so the Pods can be looked at.
 */
import { posix } from 'node:path';
import { ApiError, type KubeObject } from '../../core/index.js';
import { KubeClient, deleteObject } from '../../kube/index.js';
import type { CommandSpec, Executor, ImageBuild, RunInfo, StepIO, StepResult } from '../executor.js';
import { shellCommand } from '../local/executor.js';
import type { KubernetesDefaults } from '../model.js';
import { buildImageInCluster, type BuildWorkspace } from '../steps/images.js';
import { PIPELINE_LABEL, RUN_LABEL, labelValue, runJob } from './jobs.js';

export const DEFAULT_STEP_IMAGE = 'alpine:3.20';
export const GIT_IMAGE = 'alpine/git:v2.45.1';
export const WORKSPACE_PATH = '/workspace';
export const WORKSPACE_CLAIM = 'workspace';
export const DEFAULT_WORKSPACE_SIZE = '1Gi';

export interface KubernetesExecutorOptions {
  /** The cluster; loaded from `kubeconfig` (or $KUBECONFIG) at start() when not given, and closed at finish(). */
  client?: KubeClient;
  kubeconfig?: string;
  /** Leave the run namespace after a failed run (for `kubectl describe`); it is deleted otherwise. @default false */
  keepOnFailure?: boolean;
  /**
   * Extra annotations on every step Pod (over `kubernetes.annotations`), or a function of the command. Tests on kwok set
   * slipway.dev/kwok-exit-code / slipway.dev/kwok-duration with it (scripts/kwok/).
   */
  podAnnotations?: Record<string, string> | ((cmd: CommandSpec) => Record<string, string>);
}

/** The run namespace's default name: `slipway-run-<pipeline>-<number>`, cut to a DNS label. */
export function runNamespace(pipeline: string, number: number): string {
  const suffix = `-${number}`;
  const base = labelValue(`slipway-run-${pipeline}`.toLowerCase()).replace(/[_.]/g, '-');
  return `${base.slice(0, 63 - suffix.length).replace(/-+$/, '')}${suffix}`;
}

/** A Job name for step `node`: lowercase DNS label, with a sequence number so retries do not collide. */
export function stepJobName(node: string, seq: number): string {
  const suffix = `-${seq}`;
  const base =
    node
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+/, '')
      .slice(0, 50 - suffix.length)
      .replace(/-+$/, '') || 'step';
  return `${base}${suffix}`;
}

/** Pipeline defaults overlaid with the command's own; maps (nodeSelector, resources) are replaced whole. */
export function mergeDefaults(...layers: (KubernetesDefaults | undefined)[]): KubernetesDefaults {
  const out: KubernetesDefaults = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

/** Everything {@link commandJob} needs besides the command. */
export interface CommandJobContext {
  namespace: string;
  name: string;
  /** Effective defaults (pipeline, stage and command merged). */
  kubernetes: KubernetesDefaults;
  /** Secret holding the step's environment, one key per variable. */
  envSecret?: string;
  labels?: Record<string, string>;
  /** Pod annotations on top of `kubernetes.annotations`. */
  annotations?: Record<string, string>;
}

/** Secret keys must match [-._a-zA-Z0-9]+; variable names always do in Slipway's own environment. */
const SECRET_KEY = /^[-._a-zA-Z0-9]+$/;

/** The per-step Secret carrying `env`; variables whose names cannot be Secret keys are left out (and returned). */
export function envSecret(name: string, namespace: string, env: Record<string, string>, labels: Record<string, string> = {}) {
  const data: Record<string, string> = {};
  const skipped: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (SECRET_KEY.test(k)) data[k] = Buffer.from(v, 'utf8').toString('base64');
    else skipped.push(k);
  }
  const secret: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace, labels }, type: 'Opaque', data };
  return { secret, skipped };
}

/**
 * The Job of one `run` step. Throws RangeError when `cmd.dir` leaves the workspace.
 * Pure: no cluster, so the spec can be checked in unit tests.
 */
export function commandJob(cmd: CommandSpec, ctx: CommandJobContext): KubeObject {
  const kube = ctx.kubernetes;
  const dir = posix.resolve(WORKSPACE_PATH, cmd.dir ?? '.');
  if (dir !== WORKSPACE_PATH && !dir.startsWith(`${WORKSPACE_PATH}/`)) throw new RangeError(`dir "${cmd.dir}" is outside the workspace`);
  const env = ctx.envSecret
    ? Object.keys(cmd.env)
        .filter((k) => SECRET_KEY.test(k))
        .map((k) => ({ name: k, valueFrom: { secretKeyRef: { name: ctx.envSecret!, key: k } } }))
    : [];
  const container: Record<string, unknown> = {
    name: 'step',
    image: cmd.image ?? kube.image ?? DEFAULT_STEP_IMAGE,
    command: [...shellCommand(cmd.shell), cmd.script],
    workingDir: dir,
    env,
    volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE_PATH }],
  };
  if (kube.resources) container.resources = kube.resources;
  const pod: Record<string, unknown> = { restartPolicy: 'Never', containers: [container] };
  const ws = kube.workspace;
  if (ws?.type === 'pvc') {
    pod.volumes = [{ name: 'workspace', persistentVolumeClaim: { claimName: WORKSPACE_CLAIM } }];
  } else {
    pod.volumes = [{ name: 'workspace', emptyDir: {} }];
  }
  if (ws?.type === 'git') {
    pod.initContainers = [
      {
        name: 'clone',
        image: GIT_IMAGE,
        // The URL and revision come in as variables, never spliced into the script.
        command: [
          'sh',
          '-e',
          '-c',
          'git init -q "$WORKSPACE" && cd "$WORKSPACE" && git fetch -q --depth 1 "$GIT_URL" "$GIT_REVISION" && git checkout -q --detach FETCH_HEAD && git log -1 --format="checked out %H (%s)"',
        ],
        env: [
          { name: 'GIT_URL', value: ws.url },
          { name: 'GIT_REVISION', value: ws.revision ?? 'HEAD' },
          { name: 'WORKSPACE', value: WORKSPACE_PATH },
        ],
        volumeMounts: [{ name: 'workspace', mountPath: WORKSPACE_PATH }],
      },
    ];
  }
  if (kube.serviceAccountName) pod.serviceAccountName = kube.serviceAccountName;
  if (kube.nodeSelector) pod.nodeSelector = kube.nodeSelector;
  const labels = { ...ctx.labels };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: ctx.name, namespace: ctx.namespace, labels },
    spec: {
      backoffLimit: 0,
      template: { metadata: { labels, annotations: { ...kube.annotations, ...ctx.annotations } }, spec: pod },
    },
  };
}

/** The workspace PVC of a run (`kubernetes.workspace.type: pvc`). */
export function workspaceClaim(namespace: string, ws: { storageClassName?: string; size?: string }, labels: Record<string, string>): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: WORKSPACE_CLAIM, namespace, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: ws.size ?? DEFAULT_WORKSPACE_SIZE } },
      ...(ws.storageClassName !== undefined ? { storageClassName: ws.storageClassName } : {}),
    },
  };
}

function alreadyExists(e: unknown): boolean {
  return e instanceof ApiError && e.status === 409;
}

export class KubernetesExecutor implements Executor {
  readonly name = 'kubernetes' as const;
  private client?: KubeClient;
  private ownClient = false;
  private run?: RunInfo;
  private ns = '';
  /** The namespace was created by start() (and so is deleted by finish()). */
  private ownNamespace = false;
  private ownClaim = false;
  private seq = 0;

  constructor(private readonly opts: KubernetesExecutorOptions = {}) {}

  /** The namespace the run's Pods go to (after start()). */
  get namespace(): string {
    return this.ns;
  }

  private labels(): Record<string, string> {
    const run = this.run!;
    return { [PIPELINE_LABEL]: labelValue(run.pipeline), [RUN_LABEL]: String(run.number) };
  }

  async start(run: RunInfo): Promise<void> {
    this.run = run;
    if (!this.client) {
      this.client = this.opts.client ?? (await KubeClient.load({ kubeconfig: this.opts.kubeconfig }));
      this.ownClient = !this.opts.client;
    }
    const kube = run.kubernetes ?? {};
    this.ns = kube.namespace ?? runNamespace(run.pipeline, run.number);
    const labels = this.labels();
    try {
      await this.client.request('POST', '/api/v1/namespaces', {
        body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: this.ns, labels } },
        key: { group: '', kind: 'Namespace', namespace: '', name: this.ns },
      });
      this.ownNamespace = true;
    } catch (e) {
      if (!alreadyExists(e)) throw e;
      // kubernetes.namespace names a shared namespace (kept); a leftover of the same run name is ours.
      this.ownNamespace = kube.namespace === undefined;
    }
    if (kube.workspace?.type === 'pvc') {
      try {
        await this.client.request('POST', `/api/v1/namespaces/${encodeURIComponent(this.ns)}/persistentvolumeclaims`, {
          body: workspaceClaim(this.ns, kube.workspace, labels),
          key: { group: '', kind: 'PersistentVolumeClaim', namespace: this.ns, name: WORKSPACE_CLAIM },
        });
        this.ownClaim = true;
      } catch (e) {
        if (!alreadyExists(e)) throw e;
      }
    }
  }

  async runCommand(cmd: CommandSpec, io: StepIO): Promise<StepResult> {
    const { client, run } = this.ready();
    const kube = mergeDefaults(run.kubernetes, cmd.kubernetes);
    kube.workspace = run.kubernetes?.workspace; // fixed for the run at start()
    const name = stepJobName(cmd.node, ++this.seq);
    const secretName = `${name}-env`;
    const labels = this.labels();
    const annotations = typeof this.opts.podAnnotations === 'function' ? this.opts.podAnnotations(cmd) : this.opts.podAnnotations;
    let job: KubeObject;
    try {
      job = commandJob(cmd, { namespace: this.ns, name, kubernetes: kube, envSecret: secretName, labels, annotations });
    } catch (e) {
      return { exitCode: 1, error: (e as Error).message };
    }
    const { secret, skipped } = envSecret(secretName, this.ns, cmd.env, labels);
    if (skipped.length) io.write('system', `not passed to the Pod (not valid Secret keys): ${skipped.join(', ')}\n`);
    try {
      await client.request('POST', `/api/v1/namespaces/${encodeURIComponent(this.ns)}/secrets`, {
        body: secret,
        key: { group: '', kind: 'Secret', namespace: this.ns, name: secretName },
      });
    } catch (e) {
      return { exitCode: 1, error: `cannot create the step's environment Secret: ${(e as Error).message}` };
    }
    try {
      return await runJob(client, job, io, { run: run.number, step: cmd.node });
    } finally {
      await deleteObject(client, { group: '', version: 'v1', kind: 'Secret', namespace: this.ns, name: secretName }).catch(
        (e: unknown) => io.write('system', `could not delete Secret ${this.ns}/${secretName}: ${(e as Error).message}\n`),
      );
    }
  }

  async buildImage(build: ImageBuild, io: StepIO): Promise<StepResult> {
    const { client, run } = this.ready();
    const ws = run.kubernetes?.workspace;
    let workspace: BuildWorkspace;
    if (ws?.type === 'git') workspace = { type: 'git', url: ws.url, revision: ws.revision };
    else if (ws?.type === 'pvc') workspace = { type: 'pvc', claimName: WORKSPACE_CLAIM };
    else {
      return {
        exitCode: 1,
        error: `${build.node}: an image step on the kubernetes executor needs spec.kubernetes.workspace (type git or pvc) for its build context`,
      };
    }
    return buildImageInCluster(
      client,
      build,
      {
        namespace: this.ns,
        name: stepJobName(build.node, ++this.seq),
        workspace,
        kubernetes: mergeDefaults(run.kubernetes),
        labels: this.labels(),
      },
      io,
      { run: run.number, step: build.node },
    );
  }

  async finish(_run: RunInfo, result: 'succeeded' | 'failed' | 'cancelled'): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      if (result === 'failed' && this.opts.keepOnFailure) return;
      if (this.ownNamespace) {
        await deleteObject(client, { group: '', version: 'v1', kind: 'Namespace', namespace: '', name: this.ns });
      } else if (this.ownClaim) {
        await deleteObject(client, { group: '', version: 'v1', kind: 'PersistentVolumeClaim', namespace: this.ns, name: WORKSPACE_CLAIM });
      }
    } finally {
      this.ownNamespace = false;
      this.ownClaim = false;
      if (this.ownClient) {
        client.close();
        this.client = undefined;
      }
    }
  }

  private ready(): { client: KubeClient; run: RunInfo } {
    if (!this.client || !this.run) throw new Error('KubernetesExecutor: start() was not called');
    return { client: this.client, run: this.run };
  }
}
