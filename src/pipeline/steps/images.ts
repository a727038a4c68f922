/**
 * The `image` step: container image builds.
 *
 * In the cluster an image is built by a Job: kaniko (`gcr.io/kaniko-project/executor`) or
 * rootless BuildKit (`moby/buildkit:*-rootless` running `buildctl-daemonless.sh`), both
 * pushing with a `kubernetes.io/dockerconfigjson` Secret. {@link kanikoJob} and
 * {@link buildkitJob} only build the Job object (pure); {@link buildImageInCluster} runs it.
 * Locally the first of buildah, podman and docker (docker only with a daemon that answers)
 * builds and pushes ({@link findLocalBuilder}, {@link buildImageLocally}).
 *
 * The Job shapes follow kaniko's README (build contexts, `/kaniko/.docker/config.json`) and
 * BuildKit's examples/kubernetes/job.rootless.yaml and docs/rootless.md (UID 1000, seccomp
 * and AppArmor Unconfined, `--oci-worker-no-process-sandbox`, a volume for
 * `~/.local/share/buildkit`, `$DOCKER_CONFIG` pointing at the mounted config).
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join, posix } from 'node:path';
import { InputError, type KubeObject } from '../../core/index.js';
import type { KubeClient } from '../../kube/index.js';
import type { ImageBuild, StepIO, StepResult } from '../executor.js';
import type { KubernetesDefaults } from '../model.js';
import { runJob, type RunJobOptions } from '../kube/jobs.js';
import { runProcess } from '../process.js';

/** The kaniko executor image used when the step names none. */
export const DEFAULT_KANIKO_IMAGE = 'gcr.io/kaniko-project/executor:v1.23.2';
/** The rootless BuildKit image used when the step names none. */
export const DEFAULT_BUILDKIT_IMAGE = 'moby/buildkit:v0.18.2-rootless';
/** Where the workspace is mounted in build Pods. */
export const WORKSPACE_MOUNT = '/workspace';

/** How the sources reach the build Pod. */
export type BuildWorkspace =
  /** A Git repository the builder clones itself (kaniko `git://`, BuildKit's Git context). */
  | { type: 'git'; url: string; revision?: string }
  /** The run's workspace volume, mounted at /workspace. */
  | { type: 'pvc'; claimName: string }
  /** A build context URL given to the builder as is (`git://…`, `s3://…`, `tar://…`, `https://…tar.gz`). */
  | { type: 'context'; url: string };

/** Where and how a build Job is made. */
export interface BuildJobContext {
  namespace: string;
  /** Job name (a DNS label). */
  name: string;
  workspace: BuildWorkspace;
  /** Builder image. @default DEFAULT_KANIKO_IMAGE or DEFAULT_BUILDKIT_IMAGE */
  image?: string;
  /** Service account, node selector and resources of the build Pod. */
  kubernetes?: KubernetesDefaults;
  /** Extra labels on the Job and its Pod. */
  labels?: Record<string, string>;
}

const DOCKER_CONFIG_VOLUME = 'docker-config';

/**
 * A batch/v1 Job that builds `build` with kaniko and pushes every destination.
 * The push Secret (type kubernetes.io/dockerconfigjson) is mounted at /kaniko/.docker with
 * its `.dockerconfigjson` key as `config.json`, where kaniko looks for credentials.
 */
export function kanikoJob(build: ImageBuild, ctx: BuildJobContext): KubeObject {
  checkBuild(build);
  const contextDir = workspacePath(build.context, build.node, 'context');
  const dockerfile = workspacePath(posix.join(contextDir, build.dockerfile), build.node, 'dockerfile');
  const args: string[] = [];
  const env: { name: string; value: string }[] = [];
  const volumes: Record<string, unknown>[] = [];
  const mounts: Record<string, unknown>[] = [];
  const ws = ctx.workspace;
  if (ws.type === 'pvc') {
    args.push(`--dockerfile=${inWorkspace(dockerfile)}`, `--context=dir://${inWorkspace(contextDir)}`);
    volumes.push({ name: 'workspace', persistentVolumeClaim: { claimName: ws.claimName, readOnly: true } });
    mounts.push({ name: 'workspace', mountPath: WORKSPACE_MOUNT, readOnly: true });
  } else {
    const url = ws.type === 'git' ? kanikoGitContext(ws.url, ws.revision) : ws.url;
    // kaniko reads a relative --dockerfile from the (sub-path of the) fetched context
    args.push(`--dockerfile=${posix.relative(contextDir, dockerfile)}`, `--context=${url}`);
    if (contextDir !== '.') args.push(`--context-sub-path=${contextDir}`);
    // kaniko clones git:// over https unless told otherwise
    if (ws.type === 'git' && ws.url.startsWith('http://')) env.push({ name: 'GIT_PULL_METHOD', value: 'http' });
  }
  for (const d of build.destinations) args.push(`--destination=${d}`);
  if (!build.push) args.push('--no-push');
  for (const [k, v] of sortedEntries(build.buildArgs)) args.push(`--build-arg=${k}=${v}`);
  if (build.target) args.push(`--target=${build.target}`);
  if (build.insecure) args.push('--insecure', '--skip-tls-verify');
  if (build.pushSecret) {
    volumes.push(dockerConfigVolume(build.pushSecret));
    mounts.push({ name: DOCKER_CONFIG_VOLUME, mountPath: '/kaniko/.docker', readOnly: true });
  }
  const container: Record<string, unknown> = { name: 'kaniko', image: ctx.image ?? DEFAULT_KANIKO_IMAGE, args };
  if (env.length > 0) container.env = env;
  if (mounts.length > 0) container.volumeMounts = mounts;
  return buildJob(build, ctx, 'kaniko', container, volumes);
}

/**
 * A batch/v1 Job that builds `build` with rootless BuildKit (`buildctl-daemonless.sh`, no
 * daemon Pod) and pushes every destination in one image output. As BuildKit's rootless
 * docs ask: UID/GID 1000, seccomp and AppArmor Unconfined, BUILDKITD_FLAGS
 * `--oci-worker-no-process-sandbox` (no privileged container, no new PID namespace) and an
 * emptyDir at /home/user/.local/share/buildkit. The push Secret is mounted at
 * /home/user/.docker (the rootless user's home) and $DOCKER_CONFIG points there.
 */
export function buildkitJob(build: ImageBuild, ctx: BuildJobContext): KubeObject {
  checkBuild(build);
  const contextDir = workspacePath(build.context, build.node, 'context');
  const dockerfile = workspacePath(posix.join(contextDir, build.dockerfile), build.node, 'dockerfile');
  const args = ['build', '--frontend', 'dockerfile.v0'];
  const volumes: Record<string, unknown>[] = [{ name: 'buildkitd', emptyDir: {} }];
  const mounts: Record<string, unknown>[] = [{ name: 'buildkitd', mountPath: '/home/user/.local/share/buildkit' }];
  const env: { name: string; value: string }[] = [{ name: 'BUILDKITD_FLAGS', value: '--oci-worker-no-process-sandbox' }];
  const ws = ctx.workspace;
  if (ws.type === 'pvc') {
    args.push('--local', `context=${inWorkspace(contextDir)}`, '--local', `dockerfile=${inWorkspace(posix.dirname(dockerfile))}`);
    args.push('--opt', `filename=${posix.basename(dockerfile)}`);
    volumes.push({ name: 'workspace', persistentVolumeClaim: { claimName: ws.claimName, readOnly: true } });
    mounts.push({ name: 'workspace', mountPath: WORKSPACE_MOUNT, readOnly: true });
  } else {
    // a remote context: the Dockerfile is read from it too, relative to the context directory
    const url = ws.type === 'git' ? buildkitGitContext(ws.url, ws.revision, contextDir) : ws.url;
    args.push('--opt', `context=${url}`, '--opt', `filename=${posix.relative(contextDir, dockerfile)}`);
  }
  for (const [k, v] of sortedEntries(build.buildArgs)) args.push('--opt', `build-arg:${k}=${v}`);
  if (build.target) args.push('--opt', `target=${build.target}`);
  args.push('--output', buildkitOutput(build.destinations, !!build.insecure, build.push));
  if (build.pushSecret) {
    volumes.push(dockerConfigVolume(build.pushSecret));
    mounts.push({ name: DOCKER_CONFIG_VOLUME, mountPath: '/home/user/.docker', readOnly: true });
    env.push({ name: 'DOCKER_CONFIG', value: '/home/user/.docker' });
  }
  const container: Record<string, unknown> = {
    name: 'buildkit',
    image: ctx.image ?? DEFAULT_BUILDKIT_IMAGE,
    command: ['buildctl-daemonless.sh'],
    args,
    env,
    securityContext: {
      seccompProfile: { type: 'Unconfined' },
      appArmorProfile: { type: 'Unconfined' },
      runAsUser: 1000,
      runAsGroup: 1000,
    },
    volumeMounts: mounts,
  };
  return buildJob(build, ctx, 'buildkit', container, volumes);
}

/**
 * BuildKit's image output: `type=image,name=<dest>,push=true`. The output is read as CSV,
 * so several names go in one quoted field: `"name=a,b"`.
 */
export function buildkitOutput(destinations: readonly string[], insecure: boolean, push = true): string {
  const names = destinations.join(',');
  const name = destinations.length > 1 ? `"name=${names}"` : `name=${names}`;
  return `type=image,${name},push=${push}${push && insecure ? ',registry.insecure=true' : ''}`;
}

/**
 * kaniko's Git context `git://host/repo[#ref][#commit]`: a branch name becomes
 * `refs/heads/<name>`, a full ref is kept, and a 40-hex commit is checked out after
 * cloning the default branch (`##<sha>`).
 */
export function kanikoGitContext(url: string, revision?: string): string {
  const base = `git://${url.replace(/^(?:https?|git|ssh):\/\//, '')}`;
  if (!revision) return base;
  if (/^[0-9a-f]{40}$/i.test(revision)) return `${base}##${revision}`;
  return `${base}#${revision.startsWith('refs/') ? revision : `refs/heads/${revision}`}`;
}

/** BuildKit's (and docker's) Git context `url#ref:dir`. */
export function buildkitGitContext(url: string, revision: string | undefined, dir: string): string {
  const sub = dir === '.' ? '' : dir;
  if (!revision && !sub) return url;
  return `${url}#${revision ?? ''}${sub ? `:${sub}` : ''}`;
}

function checkBuild(build: ImageBuild): void {
  if (build.destinations.length === 0) throw new InputError(`${build.node}: image: no destination to push to`);
}

/** A workspace-relative path, normalised; one that leaves the workspace is an error naming the field. */
function workspacePath(path: string, node: string, field: string): string {
  const p = posix.normalize(path.replace(/\\/g, '/'));
  if (posix.isAbsolute(p) || p === '..' || p.startsWith('../')) {
    throw new InputError(`${node}: image.${field} "${path}" is outside the workspace`);
  }
  return p.replace(/\/$/, '') || '.';
}

function inWorkspace(rel: string): string {
  return rel === '.' ? WORKSPACE_MOUNT : `${WORKSPACE_MOUNT}/${rel}`;
}

function dockerConfigVolume(secretName: string): Record<string, unknown> {
  return { name: DOCKER_CONFIG_VOLUME, secret: { secretName, items: [{ key: '.dockerconfigjson', path: 'config.json' }] } };
}

function sortedEntries(rec: Record<string, string>): [string, string][] {
  return Object.entries(rec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function buildJob(
  build: ImageBuild,
  ctx: BuildJobContext,
  builder: string,
  container: Record<string, unknown>,
  volumes: Record<string, unknown>[],
): KubeObject {
  const k = ctx.kubernetes ?? {};
  if (k.resources) container.resources = k.resources;
  const labels = {
    'app.kubernetes.io/managed-by': 'slipway',
    'app.kubernetes.io/component': 'image-build',
    'slipway.dev/builder': builder,
    ...ctx.labels,
  };
  const podSpec: Record<string, unknown> = { restartPolicy: 'Never', containers: [container] };
  if (volumes.length > 0) podSpec.volumes = volumes;
  if (k.serviceAccountName) podSpec.serviceAccountName = k.serviceAccountName;
  if (k.nodeSelector) podSpec.nodeSelector = k.nodeSelector;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: ctx.name, namespace: ctx.namespace, labels, annotations: { 'slipway.dev/node': build.node } },
    spec: {
      backoffLimit: 0,
      template: { metadata: { labels }, spec: podSpec },
    },
  };
}

/**
 * Builds the image in the cluster: BuildKit when the step asks for it, kaniko otherwise
 * (`auto` and `kaniko`); the Job's log is the step's log and its exit code the result.
 */
export async function buildImageInCluster(
  client: KubeClient,
  build: ImageBuild,
  ctx: BuildJobContext,
  io: StepIO,
  opts: RunJobOptions = {},
): Promise<StepResult> {
  if (build.builder !== 'auto' && build.builder !== 'kaniko' && build.builder !== 'buildkit') {
    return { exitCode: 1, error: `${build.node}: image builder "${build.builder}" runs only with the local executor; use kaniko or buildkit in the cluster` };
  }
  const job = build.builder === 'buildkit' ? buildkitJob(build, ctx) : kanikoJob(build, ctx);
  io.write('system', `building ${build.destinations.join(', ')} with ${build.builder === 'buildkit' ? 'BuildKit' : 'kaniko'} (Job ${ctx.namespace}/${ctx.name})\n`);
  return runJob(client, job, io, opts);
}

// ---- local builds ----

/** Builders that run on the machine itself, in the order `auto` tries them. */
export const LOCAL_BUILDERS = ['buildah', 'podman', 'docker'] as const;
export type LocalBuilderName = (typeof LOCAL_BUILDERS)[number];

/** A builder found on PATH. */
export interface LocalBuilder {
  name: LocalBuilderName;
  /** Absolute path of the executable. */
  path: string;
}

/** What {@link buildImageLocally} says when no builder is there. */
export const NO_BUILDER_MESSAGE =
  'no image builder found: install buildah, podman or docker (with a running daemon), or run with --executor kubernetes to build with kaniko/buildkit in the cluster';

/** The exit code of a build that found no builder (as a shell's "command not found"). */
export const NO_BUILDER_EXIT_CODE = 127;

/** The first executable called `name` in the PATH list, as a shell finds it. */
export function whichIn(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** True when a docker CLI reaches a daemon (`docker version` prints the server's version). */
export function dockerDaemonAnswers(dockerPath: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const r = spawnSync(dockerPath, ['version', '--format', '{{.Server.Version}}'], { env, encoding: 'utf8', timeout: 10_000 });
  return r.status === 0 && r.stdout.trim() !== '';
}

/**
 * The first usable local builder: buildah, podman, then docker — docker only when its
 * daemon answers (a docker CLI without a daemon cannot build). `only` restricts the search
 * to one builder (a step with `builder: podman`).
 */
export function findLocalBuilder(pathEnv: string = process.env.PATH ?? '', only?: LocalBuilderName): LocalBuilder | undefined {
  for (const name of only ? [only] : LOCAL_BUILDERS) {
    const path = whichIn(name, pathEnv);
    if (!path) continue;
    if (name === 'docker' && !dockerDaemonAnswers(path, { ...process.env, PATH: pathEnv })) continue;
    return { name, path };
  }
  return undefined;
}

/** One command line of a local build, for the log and for tests. */
export interface LocalCommand {
  args: string[];
}

/**
 * The commands a local builder runs: one build tagging every destination, then one push
 * per destination. buildah and podman push to a plain-HTTP registry with
 * `--tls-verify=false`; docker's registry trust is daemon configuration
 * (`insecure-registries`), so nothing is added for it.
 */
export function localBuildCommands(builder: LocalBuilderName, build: ImageBuild, workspace: string): LocalCommand[] {
  checkBuild(build);
  const contextDir = workspacePath(build.context, build.node, 'context');
  const dockerfile = workspacePath(posix.join(contextDir, build.dockerfile), build.node, 'dockerfile');
  const abs = (rel: string) => (rel === '.' ? workspace : join(workspace, rel));
  const buildArgs = [builder === 'buildah' ? 'bud' : 'build', '-f', abs(dockerfile)];
  for (const d of build.destinations) buildArgs.push('-t', d);
  for (const [k, v] of sortedEntries(build.buildArgs)) buildArgs.push('--build-arg', `${k}=${v}`);
  if (build.target) buildArgs.push('--target', build.target);
  buildArgs.push(abs(contextDir));
  const pushes = (build.push ? build.destinations : []).map((d) => ({
    args: builder !== 'docker' && build.insecure ? ['push', '--tls-verify=false', d] : ['push', d],
  }));
  return [{ args: buildArgs }, ...pushes];
}

/**
 * Builds and pushes with the first local builder (or the one the step names). Without one,
 * the result is exit code 127 with {@link NO_BUILDER_MESSAGE}. The build runs in the
 * workspace with the step's environment; a cancel (io.signal) kills it.
 */
export async function buildImageLocally(build: ImageBuild, workspace: string, io: StepIO, pathEnv: string = process.env.PATH ?? ''): Promise<StepResult> {
  const only = build.builder === 'buildah' || build.builder === 'podman' || build.builder === 'docker' ? build.builder : undefined;
  if (build.builder === 'kaniko' || build.builder === 'buildkit') {
    return {
      exitCode: 1,
      error: `${build.node}: builder "${build.builder}" runs in the cluster: run with --executor kubernetes, or use builder auto, buildah, podman or docker`,
    };
  }
  const builder = findLocalBuilder(pathEnv, only);
  if (!builder) {
    const message = only
      ? `no image builder found: "${only}" is not on PATH${only === 'docker' ? ' or its daemon does not answer' : ''}; install it, or run with --executor kubernetes to build with kaniko/buildkit in the cluster`
      : NO_BUILDER_MESSAGE;
    io.write('system', message + '\n');
    return { exitCode: NO_BUILDER_EXIT_CODE, error: message };
  }
  if (build.pushSecret) io.write('system', `note: pushSecret "${build.pushSecret}" is used in the cluster only; ${builder.name} pushes with its own login\n`);
  if (build.insecure && builder.name === 'docker') io.write('system', 'note: docker pushes to a plain-HTTP registry only when its daemon lists it in insecure-registries\n');
  let commands: LocalCommand[];
  try {
    commands = localBuildCommands(builder.name, build, workspace);
  } catch (e) {
    if (e instanceof InputError) return { exitCode: 1, error: e.message };
    throw e;
  }
  for (const cmd of commands) {
    io.write('system', `+ ${builder.name} ${cmd.args.join(' ')}\n`);
    const result = await runProcess(builder.path, cmd.args, { cwd: workspace, env: { ...process.env, PATH: pathEnv, ...build.env } }, io);
    if (result.exitCode !== 0) return { exitCode: result.exitCode, error: result.error ?? `${builder.name} ${cmd.args[0]} exited with code ${result.exitCode}` };
  }
  return { exitCode: 0 };
}
