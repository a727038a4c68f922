import { describe, expect, test } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import { LogCursor, exitCodeOf, jobFinished, labelValue, prepareJob, stuckContainer } from '../../../src/pipeline/kube/jobs.js';

const pod = (name: string, status: Record<string, unknown>): KubeObject => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, status });
const terminated = (name: string, exitCode: number) => ({ name, state: { terminated: { exitCode } } });

describe('labelValue', () => {
  test.each([
    ['build/run: make build', 'build-run-make-build'],
    ['42', '42'],
    ['-x-', 'x'],
    ['a'.repeat(70), 'a'.repeat(63)],
    [`${'a'.repeat(62)}/b`, 'a'.repeat(62)],
    ['ünï', 'n'],
  ])('%s -> %s', (input, out) => {
    expect(labelValue(input)).toBe(out);
    expect(out).toMatch(/^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/);
  });
});

describe('prepareJob', () => {
  const job: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'j', labels: { app: 'x' } },
    spec: { backoffLimit: 2, template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'c', image: 'i' }] } } },
  };

  test('defaults namespace, TTL and restartPolicy, keeps a given backoffLimit, labels Job and Pod template, leaves the input alone', () => {
    const before = structuredClone(job);
    const out = prepareJob(job, 'ci', { run: 12, step: 'test/unit tests' });
    expect(job).toEqual(before);
    expect(out.metadata).toEqual({
      name: 'j',
      namespace: 'ci',
      labels: { app: 'x', 'slipway.dev/run': '12', 'slipway.dev/step': 'test-unit-tests' },
      annotations: { 'slipway.dev/step': 'test/unit tests' },
    });
    expect(out.spec).toEqual({
      backoffLimit: 2,
      ttlSecondsAfterFinished: 3600,
      template: {
        metadata: {
          labels: { app: 'x', 'slipway.dev/run': '12', 'slipway.dev/step': 'test-unit-tests' },
          annotations: { 'slipway.dev/step': 'test/unit tests' },
        },
        spec: { containers: [{ name: 'c', image: 'i' }], restartPolicy: 'Never' },
      },
    });
  });

  test('backoffLimit 0 when none is given; generateName when the Job has no name', () => {
    const out = prepareJob({ apiVersion: 'batch/v1', kind: 'Job', metadata: { namespace: 'x' }, spec: {} }, 'ci');
    expect(out.metadata).toMatchObject({ namespace: 'x', generateName: 'slipway-' });
    expect(out.spec).toMatchObject({ backoffLimit: 0, template: { spec: { restartPolicy: 'Never' } } });
  });
});

describe('exitCodeOf', () => {
  test("the newest Pod's non-zero code, init containers first; 0 when all ended well or none ended", () => {
    expect(exitCodeOf([])).toEqual({ exitCode: 0 });
    expect(exitCodeOf([pod('a', { containerStatuses: [terminated('c', 0)] })])).toEqual({ exitCode: 0 });
    expect(
      exitCodeOf([
        pod('a', { initContainerStatuses: [terminated('clone', 128)], containerStatuses: [terminated('step', 2)] }),
      ]),
    ).toEqual({ exitCode: 128, container: 'clone', pod: 'a' });
    expect(
      exitCodeOf([pod('a', { containerStatuses: [terminated('c', 0)] }), pod('b', { containerStatuses: [terminated('c', 0), terminated('d', 3)] })]),
    ).toEqual({ exitCode: 3, container: 'd', pod: 'b' });
    expect(exitCodeOf([pod('a', { containerStatuses: [terminated('c', 1)] }), pod('b', { containerStatuses: [terminated('c', 2)] })])).toEqual({
      exitCode: 2,
      container: 'c',
      pod: 'b',
    });
  });
});

describe('stuckContainer', () => {
  test('image and configuration waits are stuck; ContainerCreating and a first ErrImagePull are not', () => {
    const waiting = (reason: string) => pod('p', { containerStatuses: [{ name: 'c', state: { waiting: { reason, message: 'm' } } }] });
    expect(stuckContainer(waiting('ImagePullBackOff'))).toEqual({ container: 'c', reason: 'ImagePullBackOff', message: 'm' });
    expect(stuckContainer(waiting('InvalidImageName'))?.reason).toBe('InvalidImageName');
    expect(stuckContainer(waiting('CreateContainerConfigError'))?.reason).toBe('CreateContainerConfigError');
    expect(stuckContainer(waiting('ContainerCreating'))).toBeUndefined();
    expect(stuckContainer(waiting('ErrImagePull'))).toBeUndefined();
    expect(stuckContainer(pod('p', {}))).toBeUndefined();
  });
});

describe('jobFinished', () => {
  const job = (conditions: unknown[]): KubeObject => ({ apiVersion: 'batch/v1', kind: 'Job', metadata: {}, status: { conditions } });
  test('Complete and Failed when True; FailureTarget/SuccessCriteriaMet alone are not the end', () => {
    expect(jobFinished(job([]))).toBeUndefined();
    expect(jobFinished(job([{ type: 'FailureTarget', status: 'True' }]))).toBeUndefined();
    expect(jobFinished(job([{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }]))).toEqual({ kind: 'complete' });
    expect(jobFinished(job([{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'm' }]))).toEqual({
      kind: 'failed',
      reason: 'BackoffLimitExceeded',
      message: 'm',
    });
    expect(jobFinished(job([{ type: 'Complete', status: 'False' }]))).toBeUndefined();
  });
});

describe('LogCursor', () => {
  test('each line once across reads that overlap by the second sinceTime rounds to', () => {
    const c = new LogCursor();
    expect(c.since()).toBeUndefined();
    expect(c.take('2026-01-01T10:00:00.5Z one\n2026-01-01T10:00:01.25Z two\n')).toBe('one\ntwo\n');
    expect(c.since()).toBe('2026-01-01T10:00:01Z');
    // the next read starts at 10:00:01 and repeats "two"; a second line with the same timestamp is new
    expect(c.take('2026-01-01T10:00:01.250000000Z two\n2026-01-01T10:00:01.25Z two again\n2026-01-01T10:00:02Z three\n')).toBe(
      'two again\nthree\n',
    );
    expect(c.take('2026-01-01T10:00:02Z three\n')).toBe('');
    expect(c.take('2026-01-01T10:00:02Z three\n2026-01-01T10:00:02Z three\n')).toBe('three\n');
  });

  test('an empty line keeps its place; text without timestamps passes through', () => {
    const c = new LogCursor();
    expect(c.take('2026-01-01T10:00:00.1Z \n2026-01-01T10:00:00.2Z after\n')).toBe('\nafter\n');
    expect(c.take('unable to retrieve container logs\n')).toBe('unable to retrieve container logs\n');
  });
});
