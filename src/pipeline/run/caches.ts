/** Caches: workspace paths saved under a key after a successful run and restored before the next. */
import { cp, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

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
