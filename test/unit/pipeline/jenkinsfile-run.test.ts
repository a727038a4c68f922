import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { parseJenkinsfile } from '../../../src/pipeline/jenkinsfile/index.js';
import { LocalExecutor } from '../../../src/pipeline/local/executor.js';
import { PipelineRunner } from '../../../src/pipeline/run/runner.js';
import { openRunStore, type RunStore } from '../../../src/pipeline/store/index.js';

// A Jenkinsfile parsed and run by the real runner with the local executor: the mapping of
// quoting and interpolation is right only if the shell and the runner then do what Jenkins
// would have done.

const JENKINSFILE = readFileSync(new URL('./fixtures/jenkinsfiles/greeter.Jenkinsfile', import.meta.url), 'utf8');

let ws: string;
let store: RunStore;

beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'slipway-jenkinsfile-'));
  store = openRunStore(join(ws, '.slipway'));
});

afterEach(() => {
  store.close();
  rmSync(ws, { recursive: true, force: true });
});

async function run(params: Record<string, string>) {
  const pipeline = parseJenkinsfile(JENKINSFILE, 'Jenkinsfile', { name: 'greeter' });
  const record = await new PipelineRunner({
    pipeline,
    workspace: ws,
    store,
    cacheDir: join(ws, '.slipway', 'caches'),
    executor: new LocalExecutor(),
    params,
  }).execute();
  const log = store
    .readLogs(record.id, {})
    .map((c) => c.text)
    .join('');
  return { record, log };
}

const out = (f: string) => readFileSync(join(ws, 'out', f), 'utf8');

test('defaults: GStrings interpolated, single quotes literal, dir and withEnv applied, conditions false', async () => {
  const { record, log } = await run({});
  expect(record.status).toBe('succeeded');
  expect(out('greeting.txt')).toBe('hello world v1 v1\n');
  expect(out('literal.txt')).toBe('a ${b} c\n');
  expect(out('extra.txt')).toBe('x-1\n');
  expect(log).toContain('built v1 for world\n');
  expect(existsSync(join(ws, 'out', 'loud'))).toBe(false);
  expect(existsSync(join(ws, 'out', 'always'))).toBe(true);
  expect(existsSync(join(ws, 'out', 'failed'))).toBe(false);
});

test('a true boolean parameter runs its stage; error fails the run with its message, post failure runs', async () => {
  const { record, log } = await run({ WHO: 'fail', LOUD: 'true' });
  expect(record.status).toBe('failed');
  expect(out('greeting.txt')).toBe('hello fail v1 v1\n');
  expect(existsSync(join(ws, 'out', 'loud'))).toBe(true);
  expect(log).toContain('no fail today\n');
  expect(existsSync(join(ws, 'out', 'failed'))).toBe(true);
});
