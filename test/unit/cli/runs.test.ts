import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { CliContext } from '../../../src/cli/context.js';
import { run } from '../../../src/cli/main.js';
import { formatElapsed, humanDuration, kubectlTable, nodeTree, parseRunRef } from '../../../src/cli/commands/runs.js';
import { openRunStore, type NodeRecord } from '../../../src/pipeline/store/index.js';

// `slipway runs` on a real SQLite store in a temp directory, driven through run() as bin.ts does.

const root = mkdtempSync(join(tmpdir(), 'slipway-runs-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `w${++n}`, '.slipway');

afterEach(() => {
  process.exitCode = undefined;
});

async function slipway(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const ctx: CliContext = {
    out: (t) => (out += t),
    err: (t) => (err += t),
    errorExitCode: 1,
    client: () => Promise.reject(new Error('runs needs no cluster')),
    stdin: () => '',
  };
  const code = await run(['node', 'slipway', ...args], ctx);
  return { code, out, err };
}

const HOUR = 3_600_000;

/** A store with two pipelines' runs: web#1 (succeeded, 3 h ago, with a tree, logs, reports, artifacts), web#2 (failed), api#1 (running). */
function seed(dir = freshDir()) {
  const t0 = Date.now() - 3 * HOUR;
  let t = t0;
  const s = openRunStore(dir, { now: () => new Date(t) });
  const web1 = s.createRun({ pipeline: 'web', file: 'slipway.yaml', executor: 'local', params: { TARGET: 'staging' }, gitCommit: '94b54c2a9412a77c34708291cc3a45a39f3307c1', gitBranch: 'main' });
  const node = (path: string, kind: NodeRecord['kind'], name: string, seq: number, extra: Partial<NodeRecord> = {}): void =>
    s.saveNode({ runId: web1.id, path, kind, name, seq, status: 'succeeded', attempts: 1, ...(path.includes('/') && { parent: path.slice(0, path.lastIndexOf('/')) }), ...extra });
  node('build', 'stage', 'build', 0, { durationMs: 65_000 });
  node('test', 'stage', 'test', 1, { durationMs: 4_200 });
  node('build/0', 'step', 'run: make build', 2, { durationMs: 64_000, exitCode: 0 });
  node('test/unit', 'stage', 'unit', 3, { durationMs: 4_000 });
  node('test/unit/0', 'step', 'run: go test ./...', 4, { durationMs: 3_900, exitCode: 0, attempts: 2 });
  s.appendLog(web1.id, 'build', 'system', '+ stage build\n');
  s.appendLog(web1.id, 'build/0', 'stdout', 'go build ./...\n');
  s.appendLog(web1.id, 'test/unit/0', 'stdout', 'ok  example.com/m 0.01s\n');
  s.appendLog(web1.id, 'build/0', 'stderr', 'warning: late\n');
  s.addReport({ runId: web1.id, node: 'test/unit/0', kind: 'coverage', format: 'go-coverprofile', file: 'cover.out', data: { total: { lines: { covered: 2, total: 3 }, percent: 66.67, percentText: '66.7%' } } });
  s.addReport({ runId: web1.id, node: 'test/unit/0', kind: 'junit', format: 'junit', file: 'junit.xml', data: { tests: 12, failures: 1, errors: 0, skipped: 2 } });
  s.addReport({ runId: web1.id, node: 'test/unit/0', kind: 'gate', format: 'slipway', data: { passed: false, checks: [{ name: 'coverage', actual: 66.7, actualText: '66.7%', op: '>=', limit: 80, passed: false }] } });
  s.addArtifact(web1.id, 'build', 'dist/app', Buffer.alloc(2048, 1));
  t += 65_500;
  s.finishRun(web1.id, 'succeeded');
  t = t0 + HOUR;
  const web2 = s.createRun({ pipeline: 'web', file: 'slipway.yaml', executor: 'kubernetes', params: {} });
  t += 1000;
  s.finishRun(web2.id, 'failed', 'stage deploy failed');
  t = t0 + 2 * HOUR;
  const api1 = s.createRun({ pipeline: 'api', file: 'Jenkinsfile', executor: 'local', params: {} });
  s.close();
  return { dir, web1, web2, api1 };
}

describe('runs list', () => {
  test('a kubectl-style table, newest first', async () => {
    const { dir, web1, web2, api1 } = seed();
    const r = await slipway('runs', 'list', '--store', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]!.split(/ {3,}/)).toEqual(['NAME', 'ID', 'STATUS', 'EXECUTOR', 'BRANCH', 'COMMIT', 'DURATION', 'AGE']);
    // columns: the header's start positions; cells read at those positions
    const starts = [...lines[0]!.matchAll(/\S+/g)].map((m) => m.index!);
    const cells = (l: string) => starts.map((at, i) => l.slice(at, starts[i + 1]).trim());
    expect(lines.slice(1).map(cells)).toEqual([
      ['api#1', String(api1.id), 'Running', 'local', '', '', '60m', '60m'],
      ['web#2', String(web2.id), 'Failed', 'kubernetes', '', '', '1.0s', '120m'], // kubectl: minutes up to 3h
      ['web#1', String(web1.id), 'Succeeded', 'local', 'main', '94b54c2', '65s', '3h'],
    ]);
    // aligned: no cell runs into the next column
    for (const l of lines) for (const at of starts.slice(1)) expect(l.slice(at - 1, at)).toMatch(/^ ?$/);
  });

  test('--pipeline, --limit and -o json / yaml', async () => {
    const { dir } = seed();
    const web = await slipway('runs', 'list', '--store', dir, '--pipeline', 'web', '-o', 'json');
    expect(web.code).toBe(0);
    const runs = JSON.parse(web.out) as { pipeline: string; number: number; status: string; params: Record<string, string> }[];
    expect(runs.map((r) => [r.pipeline, r.number, r.status])).toEqual([
      ['web', 2, 'failed'],
      ['web', 1, 'succeeded'],
    ]);
    expect(runs[1]!.params).toEqual({ TARGET: 'staging' });
    const one = await slipway('runs', 'list', '--store', dir, '--limit', '1', '-o', 'yaml');
    expect((parseYaml(one.out) as { pipeline: string }[]).map((r) => r.pipeline)).toEqual(['api']);
    const none = await slipway('runs', 'list', '--store', dir, '--pipeline', 'nope');
    expect([none.code, none.out, none.err]).toEqual([0, '', 'No runs found for pipeline nope.\n']);
  });

  test('no store yet: no runs, and nothing is created', async () => {
    const dir = freshDir();
    const r = await slipway('runs', 'list', '--store', dir);
    expect([r.code, r.out, r.err]).toEqual([0, '', 'No runs found.\n']);
    const { existsSync } = await import('node:fs');
    expect(existsSync(dir)).toBe(false);
  });

  test('usage errors exit 2', async () => {
    const { dir } = seed();
    const bad = await slipway('runs', 'list', '--store', dir, '-o', 'xml');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown output format "xml": use table, json or yaml');
    expect((await slipway('runs', 'list', '--store', dir, '--limit', 'many')).code).toBe(2);
    const unknown = await slipway('runs', 'list', '--bogus');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain("unknown option '--bogus'");
    expect((await slipway('runs', 'show')).code).toBe(2); // missing RUN
    expect((await slipway('runs', 'show', 'web#x', '--store', dir)).code).toBe(2);
    const bare = await slipway('runs');
    expect(bare.code).toBe(2);
    expect(bare.err).toContain('Usage: slipway runs <list|show|logs> [options]');
    const other = await slipway('runs', 'delete', 'web#1');
    expect([other.code, other.err]).toEqual([2, 'error: unknown command "runs delete": use list, show or logs\n']);
    expect((await slipway('runs', 'list', '--help')).code).toBe(0);
  });

  test('a corrupt store is an error naming the file', async () => {
    const dir = freshDir();
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'runs.db'), 'garbage '.repeat(1000));
    const r = await slipway('runs', 'list', '--store', dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(join(dir, 'runs.db'));
  });
});

test('runs list: a run whose process is gone is shown failed, not running', async () => {
  const { spawnSync } = await import('node:child_process');
  const deadPid = Number(spawnSync(process.execPath, ['-e', 'console.log(process.pid)']).stdout.toString().trim());
  const dir = freshDir();
  const s = openRunStore(dir, { pid: deadPid });
  s.createRun({ pipeline: 'orphan', file: 'f', executor: 'local', params: {} });
  s.close();
  const r = await slipway('runs', 'list', '--store', dir, '-o', 'json');
  expect(JSON.parse(r.out)).toEqual([expect.objectContaining({ status: 'failed', error: `the process running it (pid ${deadPid}) is gone` })]);
});

describe('runs show', () => {
  test('header, stage/step tree, reports and artifacts; by name, by /, by id', async () => {
    const { dir, web1 } = seed();
    const r = await slipway('runs', 'show', 'web#1', '--store', dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Run:        web#1 (id ${web1.id})\n`);
    expect(r.out).toContain('Pipeline:   web (slipway.yaml)\n');
    expect(r.out).toContain('Status:     Succeeded\n');
    expect(r.out).toContain('Git:        main, commit 94b54c2\n');
    expect(r.out).toContain('Params:     TARGET=staging\n');
    expect(r.out).toMatch(/Started: {4}\S+Z \(3h ago\)\n/);
    expect(r.out).toContain('Duration:   65s\n');
    const tree = r.out.slice(r.out.indexOf('STAGE/STEP'), r.out.indexOf('\nReports:')).trimEnd().split('\n');
    const starts = [...tree[0]!.matchAll(/\S+/g)].map((m) => m.index!);
    expect(starts[0]).toBe(0);
    const cells = (l: string) => starts.map((at, i) => l.slice(at, starts[i + 1]).trimEnd());
    expect(tree.map(cells)).toEqual([
      ['STAGE/STEP', 'KIND', 'STATUS', 'DURATION', 'EXIT', 'ATTEMPTS', 'ERROR'],
      ['build', 'stage', 'Succeeded', '65s', '', '', ''],
      ['  run: make build', 'step', 'Succeeded', '64s', '0', '', ''],
      ['test', 'stage', 'Succeeded', '4.2s', '', '', ''],
      ['  unit', 'stage', 'Succeeded', '4.0s', '', '', ''],
      ['    run: go test ./...', 'step', 'Succeeded', '3.9s', '0', '2', ''],
    ]);
    expect(r.out).toMatch(/ {2}coverage +test\/unit\/0 +go-coverprofile +cover\.out +66\.7% of statements \(2\/3\)\n/);
    expect(r.out).toMatch(/ {2}junit +test\/unit\/0 +junit +junit\.xml +12 tests, 1 failed, 0 errors, 2 skipped\n/);
    expect(r.out).toMatch(/ {2}gate +test\/unit\/0 +slipway +failed: coverage 66\.7% \(>= 80\)\n/);
    expect(r.out).toMatch(/Artifacts:\n {2}PATH +NODE +SIZE +SHA256\n {2}dist\/app +build +2\.0 KiB +[0-9a-f]{12}\n$/);
    expect((await slipway('runs', 'show', 'web/1', '--store', dir)).out).toBe(r.out);
    expect((await slipway('runs', 'show', String(web1.id), '--store', dir)).out).toContain('Run:        web#1');
  });

  test('a failed run shows its error; -o json has run, nodes, reports and artifacts', async () => {
    const { dir } = seed();
    const failed = await slipway('runs', 'show', 'web#2', '--store', dir);
    expect(failed.out).toContain('Status:     Failed\n');
    expect(failed.out).toContain('Error:      stage deploy failed\n');
    expect(failed.out).toContain('No stages recorded.\n');
    const json = JSON.parse((await slipway('runs', 'show', 'web#1', '--store', dir, '-o', 'json')).out) as Record<string, unknown[]> & { run: { number: number } };
    expect(json.run.number).toBe(1);
    expect(json.nodes).toHaveLength(5);
    expect(json.reports).toHaveLength(3);
    expect(json.artifacts).toEqual([expect.objectContaining({ path: 'dist/app', size: 2048 })]);
    const yaml = parseYaml((await slipway('runs', 'show', 'web#1', '--store', dir, '-o', 'yaml')).out) as typeof json;
    expect(yaml).toEqual(json);
  });

  test('a run that is not there: exit 1 with a message on stderr', async () => {
    const { dir } = seed();
    const r = await slipway('runs', 'show', 'web#9', '--store', dir);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err).toBe(`error: run web#9 not found in ${join(dir, 'runs.db')}\n`);
    expect((await slipway('runs', 'show', '4242', '--store', dir)).code).toBe(1);
    expect((await slipway('runs', 'logs', 'nope#1', '--store', freshDir())).err).toContain('there is no run store there yet');
  });
});

describe('runs logs', () => {
  test('the whole log, or one node and its children', async () => {
    const { dir } = seed();
    const all = await slipway('runs', 'logs', 'web#1', '--store', dir);
    expect(all.code).toBe(0);
    expect(all.out).toBe('+ stage build\ngo build ./...\nok  example.com/m 0.01s\nwarning: late\n');
    expect((await slipway('runs', 'logs', 'web#1', '--node', 'build', '--store', dir)).out).toBe('+ stage build\ngo build ./...\nwarning: late\n');
    expect((await slipway('runs', 'logs', 'web#1', '--node', 'test', '--store', dir)).out).toBe('ok  example.com/m 0.01s\n');
    const missing = await slipway('runs', 'logs', 'web#1', '--node', 'deploy', '--store', dir);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('run web#1 has no stage or step "deploy" (it has build, test, build/0, test/unit, test/unit/0)');
  });

  test('-f prints what comes until the run finishes', async () => {
    const { dir, api1 } = seed();
    const writer = openRunStore(dir);
    try {
      writer.appendLog(api1.id, 'build/0', 'stdout', 'one\n');
      writer.flush();
      const following = slipway('runs', 'logs', 'api#1', '-f', '--store', dir);
      let settled = false;
      void following.then(() => (settled = true));
      await new Promise((res) => setTimeout(res, 450));
      writer.appendLog(api1.id, 'build/0', 'stdout', 'two\n');
      writer.flush();
      await new Promise((res) => setTimeout(res, 450));
      expect(settled).toBe(false); // still following a running run
      writer.appendLog(api1.id, 'build/0', 'stdout', 'three\n'); // buffered: finishRun writes it first
      writer.finishRun(api1.id, 'succeeded');
      const r = await following;
      expect(r.code).toBe(0);
      expect(r.out).toBe('one\ntwo\nthree\n');
    } finally {
      writer.close();
    }
  });

  test('-f on a run whose process dies while followed stops, once the run is marked failed', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 800)']);
    const pid = child.pid!;
    const exited = new Promise((res) => child.on('exit', res));
    const dir = freshDir();
    const s = openRunStore(dir, { pid });
    const r0 = s.createRun({ pipeline: 'orphan', file: 'f', executor: 'local', params: {} });
    s.appendLog(r0.id, 'a', 'stdout', 'half\n');
    s.close();
    const r = await slipway('runs', 'logs', 'orphan#1', '-f', '--store', dir);
    await exited;
    const deadPid = pid;
    expect(r.code).toBe(0);
    expect(r.out).toBe('half\n');
    const check = openRunStore(dir);
    expect(check.getRun(r0.id)).toMatchObject({ status: 'failed', error: `the process running it (pid ${deadPid}) is gone` });
    check.close();
  }, 20_000);
});

describe('helpers', () => {
  test.each([
    [0, '0s'],
    [-1500, '0s'],
    [-2500, '<invalid>'],
    [119_000, '119s'],
    [120_000, '2m'],
    [200_000, '3m20s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * HOUR, '3h'],
    [3 * HOUR + 5 * 60_000, '3h5m'],
    [8 * HOUR, '8h'],
    [47 * HOUR, '47h'],
    [48 * HOUR, '2d'],
    [53 * HOUR, '2d5h'],
    [8 * 24 * HOUR, '8d'],
    [729 * 24 * HOUR, '729d'],
    [730 * 24 * HOUR, '2y'],
    [740 * 24 * HOUR, '2y10d'],
    [9 * 365 * 24 * HOUR, '9y'],
  ])('humanDuration(%d) = %s, as kubectl ages', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });

  test('formatElapsed: tenths under a minute', () => {
    expect([formatElapsed(undefined), formatElapsed(0), formatElapsed(430), formatElapsed(59_960), formatElapsed(61_000)]).toEqual(['', '0.0s', '0.4s', '60.0s', '61s']);
  });

  test('kubectlTable: columns of at least 6, padded by 3, the last not padded', () => {
    expect(kubectlTable([['A', 'LONGER HEADER', 'X'], ['abcdefgh', 'b', '']])).toBe('A          LONGER HEADER   X\nabcdefgh   b\n');
  });

  test('parseRunRef', () => {
    expect(parseRunRef('web#12')).toEqual({ pipeline: 'web', number: 12 });
    expect(parseRunRef('team/web/3')).toEqual({ pipeline: 'team/web', number: 3 });
    expect(parseRunRef('42')).toEqual({ id: 42 });
    for (const bad of ['web', '#3', 'web#', 'web#0', 'web#1.5', '']) expect(() => parseRunRef(bad)).toThrow(/invalid run/);
  });

  test('nodeTree: children under their parents, siblings in seq order, orphans at the top', () => {
    const mk = (path: string, seq: number, parent?: string): NodeRecord => ({ runId: 1, path, kind: 'stage', name: path, seq, status: 'succeeded', attempts: 1, ...(parent && { parent }) });
    const tree = nodeTree([mk('b/1', 5, 'b'), mk('a', 0), mk('b', 1), mk('a/x', 2, 'a'), mk('b/0', 3, 'b'), mk('a/y', 4, 'a'), mk('z/0', 6, 'z')]);
    expect(tree.map((t) => `${t.depth}:${t.node.path}`)).toEqual(['0:a', '1:a/x', '1:a/y', '0:b', '1:b/0', '1:b/1', '0:z/0']);
  });
});
