import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ImageBuild } from '../../../src/pipeline/executor.js';
import {
  DEFAULT_BUILDKIT_IMAGE,
  DEFAULT_KANIKO_IMAGE,
  NO_BUILDER_MESSAGE,
  buildImageLocally,
  buildkitGitContext,
  buildkitJob,
  buildkitOutput,
  findLocalBuilder,
  kanikoGitContext,
  kanikoJob,
  localBuildCommands,
  type BuildJobContext,
} from '../../../src/pipeline/steps/images.js';
import { recorder as io } from '../../support/step-io.js';

function build(over: Partial<ImageBuild> = {}): ImageBuild {
  return {
    type: 'image',
    name: 'image',
    push: true,
    node: 'build/1',
    env: {},
    context: '.',
    dockerfile: 'Dockerfile',
    destinations: ['localhost:5000/app:1'],
    buildArgs: {},
    builder: 'auto',
    ...over,
  };
}

const pvc: BuildJobContext = { namespace: 'ci', name: 'app-1-image', workspace: { type: 'pvc', claimName: 'ws' } };

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const podSpec = (job: Obj): Obj => job.spec.template.spec;
const container = (job: Obj): Obj => podSpec(job).containers[0];

describe('kanikoJob', () => {
  test('a Job with backoffLimit 0, restartPolicy Never, the kaniko image and the workspace claim', () => {
    const job = kanikoJob(build(), pvc) as Obj;
    expect(job.apiVersion).toBe('batch/v1');
    expect(job.kind).toBe('Job');
    expect(job.metadata).toMatchObject({ name: 'app-1-image', namespace: 'ci', labels: { 'app.kubernetes.io/managed-by': 'slipway' } });
    expect(job.spec.backoffLimit).toBe(0);
    expect(podSpec(job).restartPolicy).toBe('Never');
    expect(container(job).image).toBe(DEFAULT_KANIKO_IMAGE);
    expect(container(job).args).toEqual(['--dockerfile=/workspace/Dockerfile', '--context=dir:///workspace', '--destination=localhost:5000/app:1']);
    expect(podSpec(job).volumes).toEqual([{ name: 'workspace', persistentVolumeClaim: { claimName: 'ws', readOnly: true } }]);
    expect(container(job).volumeMounts).toEqual([{ name: 'workspace', mountPath: '/workspace', readOnly: true }]);
  });

  test('every flag: context dir, dockerfile, destinations, sorted build args, target, insecure', () => {
    const job = kanikoJob(
      build({
        context: './app/',
        dockerfile: 'docker/Dockerfile.prod',
        destinations: ['reg:5000/app:1', 'reg:5000/app:latest'],
        buildArgs: { VERSION: '1', A_FIRST: 'x=y' },
        target: 'runtime',
        insecure: true,
      }),
      { ...pvc, image: 'my/kaniko:1' },
    ) as Obj;
    expect(container(job).image).toBe('my/kaniko:1');
    expect(container(job).args).toEqual([
      '--dockerfile=/workspace/app/docker/Dockerfile.prod',
      '--context=dir:///workspace/app',
      '--destination=reg:5000/app:1',
      '--destination=reg:5000/app:latest',
      '--build-arg=A_FIRST=x=y',
      '--build-arg=VERSION=1',
      '--target=runtime',
      '--insecure',
      '--skip-tls-verify',
    ]);
  });

  test('the push Secret is mounted at /kaniko/.docker with .dockerconfigjson as config.json', () => {
    const job = kanikoJob(build({ pushSecret: 'regcred' }), pvc) as Obj;
    expect(podSpec(job).volumes).toContainEqual({ name: 'docker-config', secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } });
    expect(container(job).volumeMounts).toContainEqual({ name: 'docker-config', mountPath: '/kaniko/.docker', readOnly: true });
  });

  test('no Secret volume without pushSecret', () => {
    const job = kanikoJob(build(), pvc) as Obj;
    expect(JSON.stringify(job)).not.toContain('docker-config');
  });

  test('a git workspace: kaniko clones it (git:// context, sub-path, Dockerfile relative to the context), no volume', () => {
    const job = kanikoJob(build({ context: 'svc', dockerfile: 'Dockerfile' }), {
      ...pvc,
      workspace: { type: 'git', url: 'https://github.com/acme/app.git', revision: 'main' },
    }) as Obj;
    expect(container(job).args.slice(0, 3)).toEqual([
      '--dockerfile=Dockerfile',
      '--context=git://github.com/acme/app.git#refs/heads/main',
      '--context-sub-path=svc',
    ]);
    expect(podSpec(job).volumes).toBeUndefined();
    expect(container(job).env).toBeUndefined();
  });

  test('a plain-HTTP git server is cloned over http (GIT_PULL_METHOD)', () => {
    const job = kanikoJob(build(), { ...pvc, workspace: { type: 'git', url: 'http://git.local:3000/app.git' } }) as Obj;
    expect(container(job).args[1]).toBe('--context=git://git.local:3000/app.git');
    expect(container(job).env).toEqual([{ name: 'GIT_PULL_METHOD', value: 'http' }]);
  });

  test('a context URL is handed to kaniko as is', () => {
    const job = kanikoJob(build(), { ...pvc, workspace: { type: 'context', url: 's3://bucket/ctx.tar.gz' } }) as Obj;
    expect(container(job).args.slice(0, 2)).toEqual(['--dockerfile=Dockerfile', '--context=s3://bucket/ctx.tar.gz']);
  });

  test('kubernetes defaults reach the Pod: service account, node selector, resources', () => {
    const job = kanikoJob(build(), {
      ...pvc,
      kubernetes: { serviceAccountName: 'builder', nodeSelector: { 'kubernetes.io/os': 'linux' }, resources: { limits: { memory: '1Gi' } } },
    }) as Obj;
    expect(podSpec(job).serviceAccountName).toBe('builder');
    expect(podSpec(job).nodeSelector).toEqual({ 'kubernetes.io/os': 'linux' });
    expect(container(job).resources).toEqual({ limits: { memory: '1Gi' } });
  });

  test.each([
    [{ context: '../elsewhere' }, 'build/1: image.context "../elsewhere" is outside the workspace'],
    [{ dockerfile: '../../Dockerfile' }, 'build/1: image.dockerfile "../../Dockerfile" is outside the workspace'],
    [{ context: '/abs' }, 'build/1: image.context "/abs" is outside the workspace'],
    [{ destinations: [] }, 'build/1: image: no destination to push to'],
  ])('%j is refused', (over, message) => {
    expect(() => kanikoJob(build(over), pvc)).toThrow(message);
  });
});

describe('kaniko git context', () => {
  test.each([
    ['https://github.com/a/b.git', undefined, 'git://github.com/a/b.git'],
    ['https://github.com/a/b.git', 'main', 'git://github.com/a/b.git#refs/heads/main'],
    ['git://github.com/a/b.git', 'refs/tags/v1', 'git://github.com/a/b.git#refs/tags/v1'],
    ['github.com/a/b.git', '0123456789abcdef0123456789abcdef01234567', 'git://github.com/a/b.git##0123456789abcdef0123456789abcdef01234567'],
  ])('%s at %s is %s', (url, rev, want) => {
    expect(kanikoGitContext(url, rev)).toBe(want);
  });
});

describe('buildkitJob', () => {
  test('rootless BuildKit as its docs ask: buildctl-daemonless.sh, UID 1000, Unconfined seccomp and AppArmor, no process sandbox, state volume', () => {
    const job = buildkitJob(build(), pvc) as Obj;
    expect(job.spec.backoffLimit).toBe(0);
    expect(podSpec(job).restartPolicy).toBe('Never');
    const c = container(job);
    expect(c.image).toBe(DEFAULT_BUILDKIT_IMAGE);
    expect(c.image).toMatch(/^moby\/buildkit:v0\.\d+\.\d+-rootless$/);
    expect(c.command).toEqual(['buildctl-daemonless.sh']);
    expect(c.securityContext).toEqual({ seccompProfile: { type: 'Unconfined' }, appArmorProfile: { type: 'Unconfined' }, runAsUser: 1000, runAsGroup: 1000 });
    expect(c.env).toContainEqual({ name: 'BUILDKITD_FLAGS', value: '--oci-worker-no-process-sandbox' });
    expect(c.volumeMounts).toContainEqual({ name: 'buildkitd', mountPath: '/home/user/.local/share/buildkit' });
    expect(podSpec(job).volumes).toContainEqual({ name: 'buildkitd', emptyDir: {} });
    expect(c.args).toEqual([
      'build',
      '--frontend',
      'dockerfile.v0',
      '--local',
      'context=/workspace',
      '--local',
      'dockerfile=/workspace',
      '--opt',
      'filename=Dockerfile',
      '--output',
      'type=image,name=localhost:5000/app:1,push=true',
    ]);
  });

  test('every flag: context, dockerfile dir and name, build args, target, several destinations, insecure', () => {
    const job = buildkitJob(
      build({
        context: 'app',
        dockerfile: 'docker/prod.Dockerfile',
        destinations: ['reg:5000/app:1', 'reg:5000/app:latest'],
        buildArgs: { VERSION: '1', A: 'b' },
        target: 'runtime',
        insecure: true,
      }),
      pvc,
    ) as Obj;
    expect(container(job).args).toEqual([
      'build',
      '--frontend',
      'dockerfile.v0',
      '--local',
      'context=/workspace/app',
      '--local',
      'dockerfile=/workspace/app/docker',
      '--opt',
      'filename=prod.Dockerfile',
      '--opt',
      'build-arg:A=b',
      '--opt',
      'build-arg:VERSION=1',
      '--opt',
      'target=runtime',
      '--output',
      'type=image,"name=reg:5000/app:1,reg:5000/app:latest",push=true,registry.insecure=true',
    ]);
  });

  test('the push Secret is mounted in the rootless home and DOCKER_CONFIG points at it', () => {
    const job = buildkitJob(build({ pushSecret: 'regcred' }), pvc) as Obj;
    expect(podSpec(job).volumes).toContainEqual({ name: 'docker-config', secret: { secretName: 'regcred', items: [{ key: '.dockerconfigjson', path: 'config.json' }] } });
    expect(container(job).volumeMounts).toContainEqual({ name: 'docker-config', mountPath: '/home/user/.docker', readOnly: true });
    expect(container(job).env).toContainEqual({ name: 'DOCKER_CONFIG', value: '/home/user/.docker' });
  });

  test('a git workspace becomes BuildKit Git context url#ref:dir, the Dockerfile read from it', () => {
    const job = buildkitJob(build({ context: 'svc', dockerfile: 'build/Dockerfile' }), {
      ...pvc,
      workspace: { type: 'git', url: 'https://github.com/acme/app.git', revision: 'v1' },
    }) as Obj;
    expect(container(job).args.slice(3, 7)).toEqual(['--opt', 'context=https://github.com/acme/app.git#v1:svc', '--opt', 'filename=build/Dockerfile']);
    expect(JSON.stringify(job)).not.toContain('persistentVolumeClaim');
  });

  test.each([
    [['a'], false, 'type=image,name=a,push=true'],
    [['a', 'b', 'c'], false, 'type=image,"name=a,b,c",push=true'],
    [['a'], true, 'type=image,name=a,push=true,registry.insecure=true'],
  ])('output for %j insecure=%s', (dests, insecure, want) => {
    expect(buildkitOutput(dests, insecure)).toBe(want);
  });

  test.each([
    ['u', undefined, '.', 'u'],
    ['u', 'main', '.', 'u#main'],
    ['u', undefined, 'sub/dir', 'u#:sub/dir'],
  ])('git context %s %s %s', (url, rev, dir, want) => {
    expect(buildkitGitContext(url, rev, dir)).toBe(want);
  });
});

// ---- local builders, against fake executables on a PATH of our own ----

const roots: string[] = [];
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

/** A PATH directory holding shell scripts named after builders; each logs its argv to `calls`. */
function fakePath(tools: Record<string, string>): { path: string; calls: string } {
  const root = mkdtempSync(join(tmpdir(), 'slipway-builders-'));
  roots.push(root);
  const bin = join(root, 'bin');
  mkdirSync(bin);
  const calls = join(root, 'calls');
  writeFileSync(calls, '');
  for (const [name, body] of Object.entries(tools)) {
    const file = join(bin, name);
    writeFileSync(file, `#!/bin/sh\necho "${name} $*" >> ${calls}\n${body}\n`);
    chmodSync(file, 0o755);
  }
  return { path: bin, calls };
}


describe('findLocalBuilder', () => {
  test('buildah before podman before docker', () => {
    const { path } = fakePath({ docker: 'exit 0', podman: 'exit 0', buildah: 'exit 0' });
    expect(findLocalBuilder(path)?.name).toBe('buildah');
    const two = fakePath({ docker: 'echo 27.0.1', podman: 'exit 0' });
    expect(findLocalBuilder(two.path)?.name).toBe('podman');
  });

  test('docker counts only when its daemon answers docker version', () => {
    const up = fakePath({ docker: 'echo 27.0.1' });
    expect(findLocalBuilder(up.path)).toEqual({ name: 'docker', path: join(up.path, 'docker') });
    expect(readFileSync(up.calls, 'utf8')).toBe('docker version --format {{.Server.Version}}\n');
    const down = fakePath({ docker: 'echo "Cannot connect to the Docker daemon" >&2; exit 1' });
    expect(findLocalBuilder(down.path)).toBeUndefined();
  });

  test('nothing on PATH: undefined; a non-executable file does not count', () => {
    expect(findLocalBuilder('')).toBeUndefined();
    const { path } = fakePath({});
    writeFileSync(join(path, 'podman'), 'not executable');
    expect(findLocalBuilder(path)).toBeUndefined();
  });

  test('only: the named builder or none', () => {
    const { path } = fakePath({ buildah: 'exit 0', podman: 'exit 0' });
    expect(findLocalBuilder(path, 'podman')?.name).toBe('podman');
    expect(findLocalBuilder(path, 'docker')).toBeUndefined();
  });
});

describe('local build commands', () => {
  test('buildah bud with tags, args, target, then a push per destination (insecure: --tls-verify=false)', () => {
    const cmds = localBuildCommands('buildah', build({ context: 'app', dockerfile: 'Dockerfile', destinations: ['r/a:1', 'r/a:2'], buildArgs: { V: '1' }, target: 't', insecure: true }), '/ws');
    expect(cmds.map((c) => c.args)).toEqual([
      ['bud', '-f', '/ws/app/Dockerfile', '-t', 'r/a:1', '-t', 'r/a:2', '--build-arg', 'V=1', '--target', 't', '/ws/app'],
      ['push', '--tls-verify=false', 'r/a:1'],
      ['push', '--tls-verify=false', 'r/a:2'],
    ]);
  });

  test('docker build and docker push (no TLS flag: that is daemon configuration)', () => {
    const cmds = localBuildCommands('docker', build({ insecure: true }), '/ws');
    expect(cmds.map((c) => c.args)).toEqual([
      ['build', '-f', '/ws/Dockerfile', '-t', 'localhost:5000/app:1', '/ws'],
      ['push', 'localhost:5000/app:1'],
    ]);
  });
});

describe('buildImageLocally', () => {
  test('no builder: exit 127 and the message that says what to install or to use the cluster', async () => {
    const { io: sio, text } = io();
    const r = await buildImageLocally(build(), '/tmp', sio, '');
    expect(r).toEqual({ exitCode: 127, error: NO_BUILDER_MESSAGE });
    expect(NO_BUILDER_MESSAGE).toBe(
      'no image builder found: install buildah, podman or docker (with a running daemon), or run with --executor kubernetes to build with kaniko/buildkit in the cluster',
    );
    expect(text()).toContain(NO_BUILDER_MESSAGE);
  });

  test('runs build then push with the found builder, streams its output, in the workspace', async () => {
    const ws = mkdtempSync(join(tmpdir(), 'slipway-ws-'));
    roots.push(ws);
    const { path, calls } = fakePath({ podman: 'echo "out $1"; echo "err $1" >&2; pwd' });
    const { io: sio, out } = io();
    const r = await buildImageLocally(build({ env: { X: '1' } }), ws, sio, path);
    expect(r).toEqual({ exitCode: 0 });
    expect(readFileSync(calls, 'utf8')).toBe(`podman build -f ${ws}/Dockerfile -t localhost:5000/app:1 ${ws}\npodman push localhost:5000/app:1\n`);
    expect(out).toContainEqual({ stream: 'stdout', text: expect.stringContaining('out build') });
    expect(out).toContainEqual({ stream: 'stderr', text: 'err push\n' });
    expect(out.filter((o) => o.stream === 'stdout').map((o) => o.text).join('')).toContain(ws);
  });

  test('a failing build stops before the push and returns its exit code', async () => {
    const { path, calls } = fakePath({ buildah: '[ "$1" = bud ] && exit 3; exit 0' });
    const r = await buildImageLocally(build(), tmpdir(), io().io, path);
    expect(r).toEqual({ exitCode: 3, error: 'buildah bud exited with code 3' });
    expect(readFileSync(calls, 'utf8').trim().split('\n')).toHaveLength(1);
  });

  test('kaniko and buildkit are cluster builders', async () => {
    const r = await buildImageLocally(build({ builder: 'kaniko' }), tmpdir(), io().io, '');
    expect(r.exitCode).toBe(1);
    expect(r.error).toContain('--executor kubernetes');
  });
});
