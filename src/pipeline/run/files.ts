/** Workspace files for artifacts and caches: globs (Ant-style, as Jenkins' archiveArtifacts) and copies. */
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { globToRegExp } from '../spec/glob.js';

/** Directories never walked for artifacts. */
const SKIPPED = new Set(['.git', '.slipway', 'node_modules']);

/** Files under `root` matching any of the globs, as sorted workspace-relative paths with `/`. A directory pattern (`dist/`) takes all below it. */
export async function findFiles(root: string, patterns: string[]): Promise<string[]> {
  const regs = patterns.map((p) => globToRegExp(p.endsWith('/') ? `${p.replace(/^\.\//, '')}**` : p.replace(/^\.\//, '')));
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const e of entries) {
      const full = join(dir, e.name);
      const rel = relative(root, full).split(sep).join('/');
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) await walk(full);
      } else if (e.isFile() && regs.some((r) => r.test(rel))) found.push(rel);
    }
  };
  await walk(root);
  return found.sort();
}

/** Restores cached paths into the workspace; true when the key was found. */
export async function restoreCache(cacheDir: string, key: string, workspace: string, paths: string[]): Promise<boolean> {
  const dir = join(cacheDir, safeKey(key));
  if (!(await exists(dir))) return false;
  for (const p of paths) {
    const from = join(dir, p);
    if (await exists(from)) await cp(from, resolve(workspace, p), { recursive: true, force: true });
  }
  return true;
}

/** Saves the paths under the key unless it is already saved (keys are content hashes: an existing one is up to date). Written to a temporary directory and renamed, so a crash leaves no half cache. */
export async function saveCache(cacheDir: string, key: string, workspace: string, paths: string[]): Promise<boolean> {
  const dir = join(cacheDir, safeKey(key));
  if (await exists(dir)) return false;
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  for (const p of paths) {
    const from = resolve(workspace, p);
    if (await exists(from)) await cp(from, join(tmp, p), { recursive: true });
  }
  await rename(tmp, dir).catch(async () => rm(tmp, { recursive: true, force: true }));
  return true;
}

function safeKey(key: string): string {
  return key.replace(/[^A-Za-z0-9._-]/g, '_');
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
