import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { GitSourceCache } from '../../src/gitops/sources/index.js';
import { GitRepo } from './gitops-helpers.js';

// Many apps on one repository refreshed together share ls-remote answers, but never one
// older than their question: a push made before a fetch was asked for is always seen.

const base = mkdtempSync(join(tmpdir(), 'slipway-refs-'));
const repo = new GitRepo();
const calls = join(base, 'ls-remote.log');
const commit = (text: string) => repo.commit({ 'cm.yaml': text }, text.slice(0, 20));
// A git that notes every ls-remote it runs.
const wrapper = join(base, 'git');
writeFileSync(wrapper, `#!/bin/sh\n[ "$1" = ls-remote ] && echo x >> '${calls}'\nexec git "$@"\n`);
chmodSync(wrapper, 0o755);
afterAll(() => {
  execFileSync('chmod', ['-R', 'u+w', base]);
  rmSync(base, { recursive: true, force: true });
  repo.remove();
});
const lsRemotes = () => readFileSync(calls, 'utf8').split('\n').filter(Boolean).length;

test('40 fetches of one branch at once run at most two ls-remotes; a later push is seen by the next fetch', async () => {
  const first = commit('a: 1\n');
  writeFileSync(calls, '');
  const cache = new GitSourceCache(join(base, 'cache'), { git: wrapper });
  const results = await Promise.all(Array.from({ length: 40 }, () => cache.fetch({ url: `file://${repo.dir}`, revision: 'main' })));
  expect(new Set(results.map((r) => r.commit))).toEqual(new Set([first]));
  expect(lsRemotes()).toBeGreaterThanOrEqual(1);
  expect(lsRemotes()).toBeLessThanOrEqual(2);

  const second = commit('a: 2\n');
  const after = await cache.fetch({ url: `file://${repo.dir}`, revision: 'main' });
  expect(after.commit).toBe(second);
  expect(lsRemotes()).toBeLessThanOrEqual(3);
});
