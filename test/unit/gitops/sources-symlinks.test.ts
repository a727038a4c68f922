import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { symlinkStaysInside } from '../../../src/gitops/sources/git-cache.js';

// The export check: where a symlink leads when every symlink on its way is followed.

const base = mkdtempSync(join(tmpdir(), 'slipway-links-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

function tree(links: Record<string, string>, dirs: string[] = []): string {
  const root = join(base, `t${++n}`);
  mkdirSync(root);
  for (const d of dirs) mkdirSync(join(root, d), { recursive: true });
  for (const [path, target] of Object.entries(links)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    symlinkSync(target, join(root, path));
  }
  return root;
}

test.each([
  ['a file beside it', { l: 'f.yaml' }, 'l', true],
  ['a sub-directory', { l: 'sub' }, 'l', true],
  ['the root itself', { 'sub/l': '..' }, 'sub/l', true],
  ['one level above', { l: '..' }, 'l', false],
  ['an absolute path', { l: '/etc/passwd' }, 'l', false],
  ['a dangling link inside', { l: 'nowhere/x' }, 'l', true],
  ['a dangling link outside', { l: '../nowhere' }, 'l', false],
  ['out and back in by name', { l: '../t-name/x' }, 'l', false],
  // lexically inside, really outside: sub/deep/up is the root, so up/../.. is above it
  ['through an in-bounds link', { 'sub/deep/up': '../..', l: 'sub/deep/up/../../etc/passwd' }, 'l', false],
  ['through an in-bounds link, staying in', { 'sub/deep/up': '../..', l: 'sub/deep/up/sub' }, 'l', true],
  ['a chain that ends outside', { a: 'b', b: 'c', c: '../x' }, 'a', false],
  ['a loop', { a: 'b', b: 'a' }, 'a', true],
])('%s', async (_name, links, link, inside) => {
  const root = tree(links, ['sub/deep']);
  expect(await symlinkStaysInside(root, join(root, link))).toBe(inside);
});
