// The pure parts of the steps next to the image step: the job step's JUnit markers, Job and
// files ConfigMap; the env step's namespace naming and object; the deploy step's --set
// strings, inventory names and summaries. (Their cluster behaviour is tested in
// test/integration/pipeline-env.test.ts and pipeline-deploy*.test.ts.)
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { parseSet } from '../../../src/engines/chart/index.js';
import type { Change } from '../../../src/kube/index.js';
import type { JobStep } from '../../../src/pipeline/model.js';
import { inventoryName, setFlags, summarize } from '../../../src/pipeline/steps/deploy.js';
import { EXPIRES_AT_ANNOTATION, rfc3339, testEnvNamespace, testEnvNamespaceObject } from '../../../src/pipeline/steps/env.js';
import { JUNIT_BEGIN, JUNIT_END, extractJunit, filesConfigMap, jobName, testJob } from '../../../src/pipeline/steps/job.js';

const at = { file: 'slipway.yaml', line: 3, column: 7 };
const XML = '<?xml version="1.0"?>\n<testsuites tests="1"><testsuite name="it"><testcase name="ok"/></testsuite></testsuites>';

describe('extractJunit', () => {
  test('the lines between the markers', () => {
    const log = `starting\n${JUNIT_BEGIN}\n${XML}\n${JUNIT_END}\ndone\n`;
    expect(extractJunit(log)).toBe(XML + '\n');
  });

  test('no markers, only a begin, or an end before a begin: nothing', () => {
    expect(extractJunit('just logs\n')).toBeUndefined();
    expect(extractJunit(`${JUNIT_BEGIN}\n<testsuites/>\n`)).toBeUndefined();
    expect(extractJunit(`${JUNIT_END}\n<testsuites/>\n${JUNIT_BEGIN}\n`)).toBeUndefined();
  });

  test('the last complete block wins (a retried Pod prints it again)', () => {
    const log = `${JUNIT_BEGIN}\n<first/>\n${JUNIT_END}\n${JUNIT_BEGIN}\n<second/>\n${JUNIT_END}\n${JUNIT_BEGIN}\n<cut off`;
    expect(extractJunit(log)).toBe('<second/>\n');
  });

  test('CRLF and blanks around marker lines are tolerated; a marker inside a line is not a marker', () => {
    const log = `  ${JUNIT_BEGIN}  \r\n<a/>\r\nsay ${JUNIT_END} here\r\n${JUNIT_END}\r\n`;
    expect(extractJunit(log)).toBe(`<a/>\nsay ${JUNIT_END} here\n`);
  });

  test('an empty report is an empty document, not a missing one', () => {
    expect(extractJunit(`${JUNIT_BEGIN}\n${JUNIT_END}\n`)).toBe('\n');
  });
});

describe('job step objects', () => {
  const step = (over: Partial<JobStep> = {}): JobStep => ({ type: 'job', name: 'it', env: {}, retries: 0, at, image: 'curlimages/curl:8.10.1', ...over });

  test('the Job: image, command, args, env sorted, resources, backoffLimit, files at /data', () => {
    const job = testJob(step({ command: ['sh', '-c'], args: ['echo hi'], env: { Z: '1', A: '2' }, resources: { limits: { cpu: '500m' } }, backoffLimit: 2 }), 'ns', 'it-1', 'it-1-files') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(job).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'it-1', namespace: 'ns' }, spec: { backoffLimit: 2 } });
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(job.spec.template.spec.containers).toEqual([
      {
        name: 'test',
        image: 'curlimages/curl:8.10.1',
        command: ['sh', '-c'],
        args: ['echo hi'],
        env: [
          { name: 'A', value: '2' },
          { name: 'Z', value: '1' },
        ],
        resources: { limits: { cpu: '500m' } },
        volumeMounts: [{ name: 'files', mountPath: '/data', readOnly: true }],
      },
    ]);
    expect(job.spec.template.spec.volumes).toEqual([{ name: 'files', configMap: { name: 'it-1-files' } }]);
  });

  test('defaults: backoffLimit 0, no env, no volumes', () => {
    const job = testJob(step(), 'ns', 'j') as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(job.spec.backoffLimit).toBe(0);
    expect(job.spec.template.spec.containers).toEqual([{ name: 'test', image: 'curlimages/curl:8.10.1' }]);
    expect(job.spec.template.spec.volumes).toBeUndefined();
    expect(job.spec.template.metadata.annotations).toBeUndefined();
  });

  test('pod annotations go on the Pod template only', () => {
    const job = testJob(step(), 'ns', 'j', undefined, { 'sidecar.istio.io/inject': 'false' }) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(job.spec.template.metadata.annotations).toEqual({ 'sidecar.istio.io/inject': 'false' });
    expect(job.metadata.annotations).toBeUndefined();
  });

  test.each([
    ['smoke-12', 'abc123', 'smoke-12-abc123'],
    ['Load Data!', 'x', 'load-data-x'],
    ['a'.repeat(80), 'abcdef', `${'a'.repeat(56)}-abcdef`],
    ['---', 'x', 'job-x'],
  ])('jobName(%s, %s) is %s', (base, suffix, want) => {
    expect(jobName(base, suffix)).toBe(want);
    expect(jobName(base, suffix).length).toBeLessThanOrEqual(63);
  });

  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  const ws = () => {
    const r = mkdtempSync(join(tmpdir(), 'slipway-files-'));
    roots.push(r);
    mkdirSync(join(r, 'testdata'));
    writeFileSync(join(r, 'testdata/seed.sql'), 'insert 1;\n');
    writeFileSync(join(r, 'testdata/blob.bin'), Buffer.from([0xff, 0x00, 0xfe]));
    return r;
  };

  test('files ConfigMap: text in data, non-UTF-8 in binaryData', () => {
    const cm = filesConfigMap(step({ files: { 'seed.sql': 'testdata/seed.sql', 'blob.bin': 'testdata/blob.bin' } }), ws(), 'it-files', 'ns');
    expect(cm).toMatchObject({ kind: 'ConfigMap', metadata: { name: 'it-files', namespace: 'ns' }, data: { 'seed.sql': 'insert 1;\n' }, binaryData: { 'blob.bin': '/wD+' } });
  });

  test.each([
    [{ 'a/b': 'testdata/seed.sql' }, 'it: files.a/b: "a/b" is not a valid file name under /data'],
    [{ 'x.sql': '../outside.sql' }, 'it: files.x.sql: "../outside.sql" is outside the workspace'],
    [{ 'x.sql': 'testdata' }, 'it: files.x.sql: "testdata" is not a file'],
    [{ 'x.sql': 'missing.sql' }, 'it: files.x.sql: cannot read "missing.sql": ENOENT'],
  ])('files %j: %s', (files, message) => {
    let err: unknown;
    try {
      filesConfigMap(step({ files }), ws(), 'f', 'ns');
    } catch (e) {
      err = e;
    }
    expect((err as Error).message).toContain(message);
    expect((err as { at?: unknown }).at).toEqual(at);
  });
});

describe('env step naming', () => {
  test.each([
    ['myapp', 12, undefined, 'test-myapp-12'],
    ['My_App.v2', 3, undefined, 'test-my-app-v2-3'],
    ['x'.repeat(70), 123456, undefined, `test-${'x'.repeat(51)}-123456`],
    ['myapp', 1, 'given-ns', 'given-ns'],
  ])('testEnvNamespace(%s, %i, %s) is %s', (pipeline, number, given, want) => {
    const ns = testEnvNamespace(pipeline, number, given);
    expect(ns).toBe(want);
    expect(ns).toMatch(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/);
  });

  test('a long pipeline name that would end in - after the cut still gives a DNS label', () => {
    const ns = testEnvNamespace(`${'a'.repeat(50)}-${'b'.repeat(20)}`, 7);
    expect(ns.length).toBeLessThanOrEqual(63);
    expect(ns).toMatch(/^test-a+-b*-?7$/);
    expect(ns).not.toContain('--');
  });

  test('the Namespace object: labels (ours win over the user\'s), expires-at now + ttl in RFC 3339', () => {
    const now = new Date('2026-11-26T22:00:00.123Z');
    const ns = testEnvNamespaceObject('test-p-1', { labels: { team: 'payments', 'app.kubernetes.io/managed-by': 'me' }, ttlMs: 90 * 60_000 }, { pipeline: 'p', runId: 42 }, now);
    expect(ns).toEqual({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: 'test-p-1',
        labels: { team: 'payments', 'app.kubernetes.io/managed-by': 'slipway', 'slipway.dev/pipeline': 'p', 'slipway.dev/run': '42' },
        annotations: { [EXPIRES_AT_ANNOTATION]: '2026-11-26T23:30:00Z' },
      },
    });
    expect(rfc3339(new Date(Date.UTC(2027, 0, 2, 3, 4, 5, 999)))).toBe('2027-01-02T03:04:05Z');
  });
});

describe('deploy step helpers', () => {
  test('set entries become --set strings that helm reads back as one typed value each', () => {
    const flags = setFlags({ 'image.tag': '42', enabled: 'true', list: 'a,b', path: 'C:\\dir', name: 'x=y' });
    expect(flags).toEqual(['image.tag=42', 'enabled=true', 'list=a\\,b', 'path=C:\\\\dir', 'name=x=y']);
    const values = {};
    for (const f of flags) Object.assign(values, parseSet(f));
    expect(values).toEqual({ image: { tag: 42n }, enabled: true, list: 'a,b', path: 'C:\\dir', name: 'x=y' });
  });

  test('inventory names are stable, distinct per mode and path, and valid ConfigMap names', () => {
    const a = inventoryName('kustomize', 'k8s/overlays/staging');
    expect(a).toBe(inventoryName('kustomize', 'k8s/overlays/staging'));
    expect(a).toMatch(/^slipway-deploy-k8s-overlays-staging-[0-9a-f]{8}$/);
    expect(inventoryName('apply', 'k8s/overlays/staging')).not.toBe(a);
    expect(inventoryName('apply', '.')).toMatch(/^slipway-deploy-[0-9a-f]{8}$/);
    expect(inventoryName('apply', 'x'.repeat(200)).length).toBeLessThanOrEqual(63);
  });

  test('summaries count actions in a fixed order', () => {
    const ref = { group: '', version: 'v1', kind: 'ConfigMap', namespace: 'n', name: 'x' };
    const c = (action: Change['action']): Change => ({ ref, action });
    expect(summarize([c('unchanged'), c('created'), c('created'), c('configured')])).toBe('2 created, 1 configured, 1 unchanged');
    expect(summarize([])).toBe('no objects');
  });
});
