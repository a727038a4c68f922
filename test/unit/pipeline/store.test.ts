import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import { SCHEMA_VERSION, openRunStore, type NodeRecord, type SqliteRunStore } from '../../../src/pipeline/store/index.js';

const root = mkdtempSync(join(tmpdir(), 'slipway-store-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `s${++n}`, '.slipway');

const open: SqliteRunStore[] = [];
afterEach(() => {
  for (const s of open.splice(0)) s.close();
});

/** A store whose clock the test moves. */
function store(dir = freshDir(), extra: Parameters<typeof openRunStore>[1] = {}) {
  let t = Date.parse('2026-01-02T03:04:05.000Z');
  const s = openRunStore(dir, { now: () => new Date(t), ...extra });
  open.push(s);
  return { s, dir, tick: (ms: number) => (t += ms) };
}

const newRun = (pipeline = 'web') => ({ pipeline, file: 'slipway.yaml', executor: 'local' as const, params: { TARGET: 'staging' } });
const storeModule = resolve('src/pipeline/store/index.ts');
const repoRoot = resolve('.');

/** Runs a Node script (ESM, TypeScript imports through tsx) with the store module's path as argv[1]. */
function nodeScript(code: string, ...args: string[]) {
  return spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code, storeModule, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
}

function finished(child: ReturnType<typeof nodeScript>): Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res) => child.on('close', (code, signal) => res({ code, signal, out, err })));
}

describe('runs', () => {
  test('BUILD_NUMBERs count per pipeline; a run reads back as it was created', () => {
    const { s, dir } = store();
    const a1 = s.createRun({ ...newRun('web'), gitCommit: 'abc123', gitBranch: 'main' });
    const a2 = s.createRun(newRun('web'));
    const b1 = s.createRun(newRun('api'));
    expect([a1.number, a2.number, b1.number]).toEqual([1, 2, 1]);
    expect(a1).toEqual({
      id: a1.id,
      pipeline: 'web',
      number: 1,
      file: 'slipway.yaml',
      executor: 'local',
      status: 'running',
      params: { TARGET: 'staging' },
      gitCommit: 'abc123',
      gitBranch: 'main',
      startedAt: '2026-01-02T03:04:05.000Z',
    });
    expect(s.getRun(a2.id)).toEqual(a2);
    expect(s.findRun('api', 1)).toEqual(b1);
    expect(s.findRun('api', 2)).toBeUndefined();
    expect(s.getRun(999)).toBeUndefined();
    expect(existsSync(join(dir, 'runs.db'))).toBe(true);
  });

  test('finishRun records status, error, end time and duration', () => {
    const { s, tick } = store();
    const r = s.createRun(newRun());
    tick(61_500);
    s.finishRun(r.id, 'failed', 'stage build failed');
    expect(s.getRun(r.id)).toMatchObject({ status: 'failed', error: 'stage build failed', finishedAt: '2026-01-02T03:05:06.500Z', durationMs: 61_500 });
    expect(() => s.finishRun(4242, 'succeeded')).toThrow(/run 4242 does not exist/);
  });

  test('listRuns: newest first, by pipeline, status and limit', () => {
    const { s } = store();
    const ids = ['web', 'api', 'web', 'web'].map((p) => s.createRun(newRun(p)).id);
    s.finishRun(ids[0]!, 'succeeded');
    expect(s.listRuns().map((r) => r.id)).toEqual([...ids].reverse());
    expect(s.listRuns({ pipeline: 'web' }).map((r) => r.number)).toEqual([3, 2, 1]);
    expect(s.listRuns({ pipeline: 'web', limit: 2 }).map((r) => r.number)).toEqual([3, 2]);
    expect(s.listRuns({ status: 'succeeded' }).map((r) => r.id)).toEqual([ids[0]]);
    expect(s.listRuns({ pipeline: 'nope' })).toEqual([]);
  });

  test('two processes creating 50 runs each at once get BUILD_NUMBERs 1..100, none twice', async () => {
    const dir = freshDir();
    openRunStore(dir).close(); // schema first, so the children race on createRun only
    // Both wait for the file "go", then create a run every 2 ms, so that their transactions interleave.
    const code = `
      const { existsSync } = await import('node:fs');
      const { openRunStore } = await import(process.argv[1]);
      const s = openRunStore(process.argv[2]);
      const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
      console.error('ready');
      while (!existsSync(process.argv[2] + '/go')) pause(5);
      const got = [];
      for (let i = 0; i < 50; i++) {
        got.push(s.createRun({ pipeline: 'race', file: 'f', executor: 'local', params: { i: String(i) } }).number);
        pause(2);
      }
      s.close();
      console.log(JSON.stringify(got));`;
    const children = [nodeScript(code, dir), nodeScript(code, dir)];
    await Promise.all(children.map((c) => new Promise((res) => c.stderr!.once('data', res))));
    writeFileSync(join(dir, 'go'), '');
    const results = await Promise.all(children.map(finished));
    for (const r of results) expect(r.err).toBe('');
    const [a, b] = results.map((r) => JSON.parse(r.out) as number[]);
    expect(a).toHaveLength(50);
    expect(b).toHaveLength(50);
    // each process saw its own numbers increase
    expect(a).toEqual([...a!].sort((x, y) => x - y));
    const all = [...a!, ...b!].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // the two really ran at once: neither got one contiguous block
    expect(Math.min(...a!)).toBeLessThan(Math.max(...b!));
    expect(Math.min(...b!)).toBeLessThan(Math.max(...a!));
    const { s } = store(dir);
    expect(s.listRuns({ pipeline: 'race' })).toHaveLength(100);
  }, 60_000);
});

describe('nodes', () => {
  test('saveNode inserts, then updates by run and path; listNodes is in seq order', () => {
    const { s } = store();
    const r = s.createRun(newRun());
    const stage: NodeRecord = { runId: r.id, path: 'build', kind: 'stage', name: 'build', seq: 0, status: 'running', attempts: 1, startedAt: '2026-01-02T03:04:05.000Z' };
    const step: NodeRecord = { runId: r.id, path: 'build/0', parent: 'build', kind: 'step', name: 'run: make', seq: 1, status: 'running', attempts: 1 };
    const test2: NodeRecord = { runId: r.id, path: 'test', kind: 'stage', name: 'test', seq: 2, status: 'queued', attempts: 0 };
    s.saveNode(test2);
    s.saveNode(step);
    s.saveNode(stage);
    s.saveNode({ ...step, status: 'failed', exitCode: 2, durationMs: 1234, finishedAt: '2026-01-02T03:04:06.234Z', attempts: 2, error: 'exit code 2' });
    const nodes = s.listNodes(r.id);
    expect(nodes.map((x) => x.path)).toEqual(['build', 'build/0', 'test']);
    expect(nodes[1]).toEqual({ ...step, status: 'failed', exitCode: 2, durationMs: 1234, finishedAt: '2026-01-02T03:04:06.234Z', attempts: 2, error: 'exit code 2' });
    expect(nodes[0]).toEqual(stage);
    expect(s.listNodes(r.id + 1)).toEqual([]);
  });
});

describe('logs', () => {
  test('chunks come back in order; a node selects itself and its children, not a name that merely starts the same', () => {
    const { s } = store();
    const r = s.createRun(newRun());
    const other = s.createRun(newRun());
    s.appendLog(r.id, 'build', 'system', '+ stage build\n');
    s.appendLog(r.id, 'build/0', 'stdout', 'compiling\n');
    s.appendLog(r.id, 'build/0', 'stderr', 'warning: x\n');
    s.appendLog(r.id, 'builder/0', 'stdout', 'not build\n');
    s.appendLog(other.id, 'build/0', 'stdout', 'other run\n');
    s.appendLog(r.id, 'build/0', 'stdout', 'done\n');
    const all = s.readLogs(r.id);
    expect(all.map((c) => [c.node, c.stream, c.text])).toEqual([
      ['build', 'system', '+ stage build\n'],
      ['build/0', 'stdout', 'compiling\n'],
      ['build/0', 'stderr', 'warning: x\n'],
      ['builder/0', 'stdout', 'not build\n'],
      ['build/0', 'stdout', 'done\n'],
    ]);
    expect(all.map((c) => c.seq)).toEqual([...all.map((c) => c.seq)].sort((a, b) => a - b));
    expect(s.readLogs(r.id, { node: 'build' }).map((c) => c.text).join('')).toBe('+ stage build\ncompiling\nwarning: x\ndone\n');
    expect(s.readLogs(r.id, { node: 'build/0' }).map((c) => c.text).join('')).toBe('compiling\nwarning: x\ndone\n');
    expect(s.readLogs(r.id, { afterSeq: all[2]!.seq }).map((c) => c.text)).toEqual(['not build\n', 'done\n']);
    expect(s.readLogs(other.id).map((c) => c.text)).toEqual(['other run\n']);
    expect(() => s.appendLog(9999, 'x', 'stdout', 'y')).toThrow(/run 9999 does not exist/);
  });

  test('10k lines are a few rows and transactions, and all of them read back', () => {
    const { s, dir } = store();
    const r = s.createRun(newRun());
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i} ${'x'.repeat(i % 50)}\n`);
    const t0 = performance.now();
    for (const l of lines) s.appendLog(r.id, 'build/0', 'stdout', l);
    const text = s.readLogs(r.id).map((c) => c.text).join('');
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(text).toBe(lines.join(''));
    const raw = new Database(join(dir, 'runs.db'), { readonly: true });
    try {
      const rows = raw.prepare('SELECT count(*) AS n FROM logs').get() as { n: number };
      expect(rows.n).toBeGreaterThan(0);
      expect(rows.n).toBeLessThan(20); // ~300 KiB in 64 KiB rows
    } finally {
      raw.close();
    }
  });

  test('buffered chunks reach the database within the flush interval, for a reader in another connection', async () => {
    const { s, dir } = store(freshDir(), { flushMs: 50 });
    const r = s.createRun(newRun());
    s.appendLog(r.id, 'build/0', 'stdout', 'hello\n');
    const reader = openRunStore(dir);
    open.push(reader);
    expect(reader.readLogs(r.id)).toEqual([]); // still buffered in the writer
    await new Promise((res) => setTimeout(res, 300));
    expect(reader.readLogs(r.id).map((c) => c.text)).toEqual(['hello\n']);
    // finishRun flushes first: a follower that sees the run finished has seen all its output
    s.appendLog(r.id, 'build/0', 'stdout', 'bye\n');
    s.finishRun(r.id, 'succeeded');
    expect(reader.getRun(r.id)!.status).toBe('succeeded');
    expect(reader.readLogs(r.id).map((c) => c.text)).toEqual(['hello\n', 'bye\n']);
  });

  test('a process that exits without close still writes its buffered chunks', async () => {
    const dir = freshDir();
    const code = `
      const { openRunStore } = await import(process.argv[1]);
      const stores = Array.from({ length: 12 }, () => openRunStore(process.argv[2], { flushMs: 60_000 }));
      const r = stores[0].createRun({ pipeline: 'exit', file: 'f', executor: 'local', params: {} });
      stores.forEach((s, i) => s.appendLog(r.id, 'a', 'stdout', 'from store ' + i + '\\n'));
      process.exit(0);`;
    const r = await finished(nodeScript(code, dir));
    expect(r.err).toBe(''); // one exit listener for all stores: no MaxListenersExceededWarning
    expect(r.code).toBe(0);
    const { s } = store(dir);
    const text = s.readLogs(s.findRun('exit', 1)!.id).map((c) => c.text).join('');
    expect(text.split('\n').filter(Boolean).sort()).toEqual(Array.from({ length: 12 }, (_, i) => `from store ${i}`).sort());
  }, 30_000);

  test('close flushes; the store refuses use after close', () => {
    const { s, dir } = store();
    const r = s.createRun(newRun());
    s.appendLog(r.id, 'a', 'stdout', 'last words\n');
    s.close();
    expect(() => s.readLogs(r.id)).toThrow(/closed/);
    const again = openRunStore(dir);
    open.push(again);
    expect(again.readLogs(r.id).map((c) => c.text)).toEqual(['last words\n']);
  });
});

describe('artifacts and reports', () => {
  test('an artifact is a file under artifacts/<runId>/ with its size and sha256 recorded', () => {
    const { s, dir } = store();
    const r = s.createRun(newRun());
    const content = Buffer.from('binary\0data\n');
    const a = s.addArtifact(r.id, 'build', 'dist/./app.tar', content);
    expect(a).toEqual({ runId: r.id, node: 'build', path: 'dist/app.tar', size: 12, sha256: sha256sum(content) });
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(join(dir, 'artifacts', String(r.id), 'dist', 'app.tar'))).toEqual(content);
    expect(s.readArtifact(r.id, 'dist/app.tar')).toEqual(content);
    expect(s.readArtifact(r.id, 'dist/other')).toBeUndefined();
    s.addArtifact(r.id, 'build', 'dist/app.tar', Buffer.from('v2'));
    expect(s.readArtifact(r.id, 'dist/app.tar')!.toString()).toBe('v2');
    s.addArtifact(r.id, 'test', 'a/b/c.txt', Buffer.from(''));
    expect(s.listArtifacts(r.id).map((x) => [x.path, x.node, x.size])).toEqual([
      ['a/b/c.txt', 'test', 0],
      ['dist/app.tar', 'build', 2],
    ]);
  });

  test.each([['../escape.txt'], ['dist/../../x'], ['/etc/passwd'], ['a\\..\\..\\b'], [''], ['.']])('artifact path %j is refused', (p) => {
    const { s, dir } = store();
    const r = s.createRun(newRun());
    expect(() => s.addArtifact(r.id, 'build', p, Buffer.from('x'))).toThrow(InputError);
    expect(s.listArtifacts(r.id)).toEqual([]);
    expect(existsSync(join(dir, 'escape.txt'))).toBe(false);
  });

  test('reports keep kind, format, file and data', () => {
    const { s } = store();
    const r = s.createRun(newRun());
    const data = { format: 'go-coverprofile', total: { percent: 66.7 }, files: [{ path: 'a.go' }] };
    s.addReport({ runId: r.id, node: 'test/1', kind: 'coverage', format: 'go-coverprofile', file: 'cover.out', data });
    s.addReport({ runId: r.id, node: 'test/1', kind: 'gate', format: 'slipway', data: { passed: false } });
    expect(s.listReports(r.id)).toEqual([
      { runId: r.id, node: 'test/1', kind: 'coverage', format: 'go-coverprofile', file: 'cover.out', data },
      { runId: r.id, node: 'test/1', kind: 'gate', format: 'slipway', data: { passed: false } },
    ]);
  });
});

/** The digest as coreutils computes it. */
function sha256sum(b: Buffer): string {
  const r = spawnSync('sha256sum', { input: b });
  return r.stdout.toString().split(' ')[0]!;
}

describe('recoverAbandoned', () => {
  test('a running run whose process is gone becomes failed; live, finished and other hosts\' runs stay', () => {
    const dir = freshDir();
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim();
    const deadPid = Number(dead);
    const gone = store(dir, { pid: deadPid }).s.createRun(newRun());
    const elsewhere = store(dir, { pid: deadPid, host: 'some-other-host' }).s.createRun(newRun());
    const { s, tick } = store(dir);
    const alive = s.createRun(newRun()); // this process
    const done = store(dir, { pid: deadPid }).s.createRun(newRun());
    s.finishRun(done.id, 'succeeded');
    s.saveNode({ runId: gone.id, path: 'build', kind: 'stage', name: 'build', seq: 0, status: 'running', attempts: 1 });
    s.saveNode({ runId: gone.id, path: 'lint', kind: 'stage', name: 'lint', seq: 1, status: 'succeeded', attempts: 1 });
    tick(5000);
    expect(s.recoverAbandoned()).toBe(1);
    expect(s.getRun(gone.id)).toMatchObject({ status: 'failed', error: `the process running it (pid ${deadPid}) is gone`, durationMs: 5000 });
    expect(s.listNodes(gone.id).map((x) => x.status)).toEqual(['failed', 'succeeded']);
    expect(s.getRun(alive.id)!.status).toBe('running');
    expect(s.getRun(elsewhere.id)!.status).toBe('running');
    expect(s.getRun(done.id)!.status).toBe('succeeded');
    expect(s.recoverAbandoned()).toBe(0);
  });

  test('a process killed while writing logs leaves a sound database; its run is recovered', async () => {
    const dir = freshDir();
    const code = `
      const { openRunStore } = await import(process.argv[1]);
      const s = openRunStore(process.argv[2], { flushBytes: 4096, flushMs: 5 });
      const r = s.createRun({ pipeline: 'killed', file: 'f', executor: 'local', params: {} });
      console.log(r.id);
      for (let i = 0; ; i++) {
        s.appendLog(r.id, 'build/0', 'stdout', 'line ' + i + '\\n');
        if (i % 500 === 0) s.saveNode({ runId: r.id, path: 'build', kind: 'stage', name: 'build', seq: 0, status: 'running', attempts: 1 + i });
      }`;
    const child = nodeScript(code, dir);
    const done = finished(child);
    await new Promise<void>((res) => {
      child.stdout!.once('data', () => setTimeout(res, 700));
    });
    const pid = child.pid!;
    child.kill('SIGKILL');
    const r = await done;
    expect(r.signal).toBe('SIGKILL');
    const { s } = store(dir);
    const raw = s.database.prepare('PRAGMA integrity_check').get() as { integrity_check: string };
    expect(raw.integrity_check).toBe('ok');
    const run = s.findRun('killed', 1)!;
    const text = s.readLogs(run.id).map((c) => c.text).join('');
    const lines = text.split('\n').slice(0, -1);
    expect(lines.length).toBeGreaterThan(100);
    // whole chunks only, in order, no gap: line i is "line i"
    expect(text).toBe(lines.map((_, i) => `line ${i}\n`).join(''));
    expect(s.recoverAbandoned()).toBe(1);
    expect(s.getRun(run.id)).toMatchObject({ status: 'failed', error: `the process running it (pid ${pid}) is gone` });
  }, 60_000);
});

describe('the database file', () => {
  test('WAL mode, foreign keys and schema version 1', () => {
    const { s } = store();
    expect(s.database.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.database.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.database.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    expect(s.database.prepare('SELECT version FROM slipway_schema').all()).toEqual([{ version: SCHEMA_VERSION }]);
    expect(SCHEMA_VERSION).toBe(1);
  });

  test('reopening an existing store keeps its runs and does not migrate again', () => {
    const { s, dir } = store();
    s.createRun(newRun());
    s.close();
    const { s: again } = store(dir);
    expect(again.createRun(newRun()).number).toBe(2);
    expect(again.database.prepare('SELECT count(*) AS n FROM slipway_schema').get()).toEqual({ n: 1 });
  });

  test('a file that is not SQLite is an InputError naming it', () => {
    const dir = freshDir();
    store(dir).s.close();
    const file = join(dir, 'runs.db');
    rmSync(join(dir, 'runs.db-wal'), { force: true });
    rmSync(join(dir, 'runs.db-shm'), { force: true });
    writeFileSync(file, 'this is not a database, just some text that is long enough to look like a header. '.repeat(80));
    let err: unknown;
    try {
      openRunStore(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).message).toContain(file);
    expect((err as InputError).message).toMatch(/not a database/);
    expect((err as InputError).at?.file).toBe(file);
  });

  test('another program\'s SQLite database is refused, and left untouched', () => {
    const dir = freshDir();
    store(dir).s.close();
    rmSync(dir, { recursive: true });
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'runs.db');
    const foreign = new Database(file);
    foreign.exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY, amount REAL); INSERT INTO invoices (amount) VALUES (9.5)");
    foreign.close();
    expect(() => openRunStore(dir)).toThrow(new RegExp(`${escapeRe(file)} is not a Slipway run store: it has the tables invoices`));
    const check = new Database(file, { readonly: true });
    expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all()).toEqual([{ name: 'invoices' }]);
    check.close();
  });

  test('a store written by a newer schema is refused', () => {
    const { s, dir } = store();
    s.database.prepare('INSERT INTO slipway_schema (version, applied_at) VALUES (2, ?)').run('2030-01-01T00:00:00Z');
    s.close();
    expect(() => openRunStore(dir)).toThrow(/schema version 2, newer than this Slipway's 1/);
  });
});

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
