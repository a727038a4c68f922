import { describe, expect, test } from 'vitest';
import type { Pipeline } from '../../../src/pipeline/model.js';
import { PlainReporter, TtyReporter } from '../../../src/pipeline/run/reporter.js';
import type { NodeRecord, RunRecord } from '../../../src/pipeline/store/types.js';

const run: RunRecord = {
  id: 7,
  pipeline: 'demo',
  number: 3,
  file: 'slipway.yaml',
  executor: 'local',
  status: 'running',
  params: {},
  startedAt: '2026-11-26T10:00:00.000Z',
};
const pipeline = { file: 'slipway.yaml' } as Pipeline;

function node(over: Partial<NodeRecord>): NodeRecord {
  return { runId: 7, path: 'build', kind: 'stage', name: 'build', seq: 0, status: 'queued', attempts: 0, ...over };
}

describe('PlainReporter', () => {
  test('one line per state change and per log line, prefixed with the node; a summary with the logs command', () => {
    let out = '';
    const r = new PlainReporter((t) => (out += t));
    r.runStarted(run, pipeline);
    r.nodeChanged(node({ status: 'queued' }));
    r.nodeChanged(node({ status: 'running', attempts: 1 }));
    r.nodeChanged(node({ path: 'build/0', kind: 'step', name: 'run: make', status: 'running', attempts: 1 }));
    r.log('build/0', 'stdout', 'compiling\nlinking\n');
    r.nodeChanged(node({ path: 'build/0', kind: 'step', name: 'run: make', status: 'failed', durationMs: 1500, error: 'exit code 2' }));
    r.nodeChanged(node({ path: 'deploy', name: 'deploy', status: 'skipped', error: 'stage build did not succeed' }));
    r.runFinished({ ...run, status: 'failed', durationMs: 2500, error: 'build/0: exit code 2' });
    expect(out).toBe(
      [
        'run demo #3 (slipway.yaml, executor local)',
        '[build] ▸ build',
        '[build/0] ▸ run: make',
        '[build/0] compiling',
        '[build/0] linking',
        '[build/0] ✗ run: make failed (1.5s): exit code 2',
        '[deploy] - deploy skipped: stage build did not succeed',
        'run demo #3 failed in 2.5s',
        '  build/0: exit code 2',
        '  logs: slipway runs logs demo#3',
        '',
      ].join('\n'),
    );
  });
});

describe('TtyReporter', () => {
  test('redraws the tree in place with live timers, and prints the tail of a failed step at the end', () => {
    const frames: string[] = [];
    let now = Date.parse('2026-11-26T10:00:05.000Z');
    const r = new TtyReporter((t) => frames.push(t), 80, () => now);
    r.runStarted(run, pipeline);
    r.nodeChanged(node({ status: 'running', startedAt: '2026-11-26T10:00:00.000Z' }));
    r.nodeChanged(node({ path: 'build/0', parent: 'build', kind: 'step', name: 'run: make', seq: 1, status: 'running', startedAt: '2026-11-26T10:00:03.000Z' }));
    r.log('build/0', 'stdout', 'step one\nstep two\n');
    now += 1000;
    r.nodeChanged(node({ path: 'deploy', name: 'deploy', seq: 2, status: 'queued' }));
    const frame = frames.at(-1)!;
    // Up over the 3 lines drawn before (header, build, build/0), clear, draw 4.
    expect(frame.startsWith('\x1b[3A\r\x1b[0J')).toBe(true);
    const lines = frame.replace('\x1b[3A\r\x1b[0J', '').split('\n');
    expect(lines[0]).toBe('run demo #3 (slipway.yaml, executor local)');
    expect(lines[1]).toBe('▸ build  6s');
    expect(lines[2]).toBe('  ▸ run: make  3s  \x1b[2mstep two\x1b[22m');
    expect(lines[3]).toBe('· deploy');

    r.nodeChanged(node({ path: 'build/0', parent: 'build', kind: 'step', name: 'run: make', seq: 1, status: 'failed', durationMs: 3500, error: 'exit code 2' }));
    r.runFinished({ ...run, status: 'failed', durationMs: 7000, error: 'build/0: exit code 2' });
    const end = frames.at(-1)!;
    expect(end).toContain('── build/0 (run: make): last 2 lines ──\nstep one\nstep two\n');
    expect(end).toContain('run demo #3 failed in 7s');
  });

  test('lines are cut to the terminal width without counting escape sequences', () => {
    const frames: string[] = [];
    const r = new TtyReporter((t) => frames.push(t), 20, () => 0);
    r.runStarted(run, pipeline);
    r.nodeChanged(node({ name: 'a-very-long-stage-name-indeed', status: 'queued' }));
    const lines = frames.at(-1)!.split('\x1b[0J').at(-1)!.split('\n');
    expect(lines[1]).toBe('· a-very-long-stage\x1b[0m');
    r.runFinished({ ...run, status: 'succeeded', durationMs: 1 });
  });
});
