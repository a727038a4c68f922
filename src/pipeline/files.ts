/** Workspace files by glob, for artifacts, `${hashFiles:...}` and report patterns. */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../core/index.js';
import { globBase, globToRegExp } from './spec/glob.js';

/** The absolute path of a workspace-relative file a step names; an InputError naming it (`${what} "x" not found`) when it is missing. */
export function existingPath(path: string, workspace: string, what: string): string {
  const full = resolve(workspace, path);
  if (!existsSync(full)) throw new InputError(`${what} "${path}" not found (looked for ${full})`, { file: path });
  return full;
}

/** Directories never walked: Git's own files and Slipway's run store. */
const SKIPPED = new Set(['.git', '.slipway']);

/**
 * Workspace-relative posix paths of the regular files matching any of the globs, sorted.
 * `**` spans directories, `*` and `?` stay within one; a pattern ending in `/` takes the
 * whole directory. Each walk starts at the pattern's fixed leading directories.
 */
export async function findFiles(root: string, patterns: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const raw of patterns) {
    const pattern = raw.replace(/^\.\//, '').replace(/\/$/, '/**');
    const re = globToRegExp(pattern);
    for (const file of await listFiles(root, globBase(pattern))) if (re.test(file)) found.add(file);
  }
  return [...found].sort();
}

/** Regular files under `dir` (relative to `root`), as root-relative posix paths. */
async function listFiles(root: string, dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(join(root, rel), { withFileTypes: true });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return;
      throw e;
    }
    for (const e of entries) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) await walk(p);
      } else if (e.isFile()) out.push(p);
    }
  };
  await walk(dir);
  return out;
}
