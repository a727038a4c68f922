import { describe, expect, test } from 'vitest';
import type { CommandSpec } from '../../../src/pipeline/executor.js';
import { commandJob, envSecret, mergeDefaults, runNamespace, stepJobName, workspaceClaim } from '../../../src/pipeline/kube/executor.js';

const cmd = (more: Partial<CommandSpec> = {}): CommandSpec => ({ node: 'build/run: make', script: 'make build', env: {}, ...more });
const ctx = { namespace: 'ns', name: 'build-run-make-1', kubernetes: {} };

interface Container {
  image: string;
  command: string[];
  workingDir: string;
  env: unknown[];
  resources?: unknown;
}
const podSpec = (job: ReturnType<typeof commandJob>) =>
  (job.spec as { template: { spec: Record<string, unknown> & { containers: Container[]; initContainers?: Container[] } } }).template.spec;

describe('names', () => {
  test('run namespace: slipway-run-<pipeline>-<number>, a DNS label of at most 63 characters', () => {
    expect(runNamespace('myapp', 12)).toBe('slipway-run-myapp-12');
    const long = runNamespace('a'.repeat(80), 123456);
    expect(long).toHaveLength(63);
    expect(long).toMatch(/^slipway-run-a+-123456$/);
  });

  test('step Job names are DNS labels with the sequence number', () => {
    expect(stepJobName('build/run: make build', 3)).toBe('build-run-make-build-3');
    expect(stepJobName('Ünit/!!', 1)).toBe('nit-1');
    expect(stepJobName('///', 2)).toBe('step-2');
    const long = stepJobName('x'.repeat(100), 10);
    expect(long.length).toBeLessThanOrEqual(50);
    expect(long).toMatch(/^x+-10$/);
  });
});

describe('commandJob', () => {
  test('image: the command, then the defaults, then alpine:3.20', () => {
    expect(podSpec(commandJob(cmd(), ctx)).containers[0]!.image).toBe('alpine:3.20');
    expect(podSpec(commandJob(cmd(), { ...ctx, kubernetes: { image: 'golang:1.23' } })).containers[0]!.image).toBe('golang:1.23');
    expect(podSpec(commandJob(cmd({ image: 'node:20' }), { ...ctx, kubernetes: { image: 'golang:1.23' } })).containers[0]!.image).toBe('node:20');
  });

  test('shell -e -c script (bash adds pipefail), working directory under /workspace', () => {
    const c = podSpec(commandJob(cmd({ shell: 'bash', dir: 'src/./app/' }), ctx)).containers[0]!;
    expect(c.command).toEqual(['bash', '-e', '-o', 'pipefail', '-c', 'make build']);
    expect(c.workingDir).toBe('/workspace/src/app');
    expect(podSpec(commandJob(cmd(), ctx)).containers[0]!.command).toEqual(['sh', '-e', '-c', 'make build']);
    expect(podSpec(commandJob(cmd(), ctx)).containers[0]!.workingDir).toBe('/workspace');
  });

  test('a dir outside the workspace is refused', () => {
    expect(() => commandJob(cmd({ dir: '../etc' }), ctx)).toThrow('dir "../etc" is outside the workspace');
    expect(() => commandJob(cmd({ dir: '/etc' }), ctx)).toThrow('outside the workspace');
  });

  test('env only by secretKeyRef, no values in the Job', () => {
    const job = commandJob(cmd({ env: { TOKEN: 'hunter2', CI: 'true' } }), { ...ctx, envSecret: 'build-run-make-1-env' });
    expect(podSpec(job).containers[0]!.env).toEqual([
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'build-run-make-1-env', key: 'TOKEN' } } },
      { name: 'CI', valueFrom: { secretKeyRef: { name: 'build-run-make-1-env', key: 'CI' } } },
    ]);
    expect(JSON.stringify(job)).not.toContain('hunter2');
  });

  test('resources, serviceAccountName, nodeSelector, restartPolicy Never, labels and annotations on the Pod', () => {
    const job = commandJob(cmd(), {
      ...ctx,
      kubernetes: { serviceAccountName: 'builder', nodeSelector: { 'kubernetes.io/os': 'linux' }, resources: { limits: { cpu: '1' } } },
      labels: { 'slipway.dev/run': '3' },
      annotations: { 'slipway.dev/kwok-exit-code': '2' },
    });
    const spec = podSpec(job);
    expect(spec).toMatchObject({ serviceAccountName: 'builder', nodeSelector: { 'kubernetes.io/os': 'linux' }, restartPolicy: 'Never' });
    expect(spec.containers[0]!.resources).toEqual({ limits: { cpu: '1' } });
    expect(job.metadata).toEqual({ name: 'build-run-make-1', namespace: 'ns', labels: { 'slipway.dev/run': '3' } });
    expect((job.spec as { backoffLimit: number }).backoffLimit).toBe(0);
    expect((job.spec as { template: { metadata: unknown } }).template.metadata).toEqual({
      labels: { 'slipway.dev/run': '3' },
      annotations: { 'slipway.dev/kwok-exit-code': '2' },
    });
  });

  test('kubernetes.annotations go on the Pod; the executor option wins over them', () => {
    const job = commandJob(cmd(), { ...ctx, kubernetes: { annotations: { a: 'spec', b: 'spec' } }, annotations: { b: 'option' } });
    expect((job.spec as { template: { metadata: { annotations: unknown } } }).template.metadata.annotations).toEqual({ a: 'spec', b: 'option' });
  });

  test('workspaces: git clones in an init container (URL as a variable, not in the script); pvc mounts the claim; none is an emptyDir', () => {
    const git = podSpec(commandJob(cmd(), { ...ctx, kubernetes: { workspace: { type: 'git', url: 'https://x/$(id).git' } } }));
    expect(git.volumes).toEqual([{ name: 'workspace', emptyDir: {} }]);
    expect(git.initContainers).toHaveLength(1);
    expect(git.initContainers![0]!.image).toBe('alpine/git:v2.45.1');
    expect(git.initContainers![0]!.command.join(' ')).not.toContain('$(id)');
    expect(git.initContainers![0]!.env).toContainEqual({ name: 'GIT_REVISION', value: 'HEAD' });
    const pvc = podSpec(commandJob(cmd(), { ...ctx, kubernetes: { workspace: { type: 'pvc' } } }));
    expect(pvc.volumes).toEqual([{ name: 'workspace', persistentVolumeClaim: { claimName: 'workspace' } }]);
    expect(pvc.initContainers).toBeUndefined();
    expect(podSpec(commandJob(cmd(), ctx)).volumes).toEqual([{ name: 'workspace', emptyDir: {} }]);
  });
});

describe('envSecret, workspaceClaim, mergeDefaults', () => {
  test('the Secret holds every variable base64-encoded; names that are not Secret keys are left out and named', () => {
    const { secret, skipped } = envSecret('s', 'ns', { A: 'ä b', 'B.C': '', 'BAD NAME': 'x' }, { l: 'v' });
    expect(secret).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 's', namespace: 'ns', labels: { l: 'v' } },
      type: 'Opaque',
      data: { A: Buffer.from('ä b').toString('base64'), 'B.C': '' },
    });
    expect(skipped).toEqual(['BAD NAME']);
  });

  test('the workspace claim: ReadWriteOnce, 1Gi unless told, the storage class when given', () => {
    expect(workspaceClaim('ns', {}, {}).spec).toEqual({ accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } });
    expect(workspaceClaim('ns', { size: '5Gi', storageClassName: 'fast' }, {}).spec).toMatchObject({
      resources: { requests: { storage: '5Gi' } },
      storageClassName: 'fast',
    });
  });

  test('later layers win field by field; maps are replaced whole', () => {
    expect(
      mergeDefaults({ image: 'a', nodeSelector: { x: '1' }, serviceAccountName: 'sa' }, undefined, { image: 'b', nodeSelector: { y: '2' } }),
    ).toEqual({ image: 'b', nodeSelector: { y: '2' }, serviceAccountName: 'sa' });
  });
});
