/**
 * The FileSystem rendering reads checkouts through by default: core's nodeFileSystem, which
 * follows symlinks, plus `isSymlink` (lstat), so that a directory walk can do what Argo CD's
 * filepath.Walk does and not descend into symlinked directories (a `current -> v2` link would
 * otherwise yield v2's objects twice, and a `self -> .` link loops). FileSystems without
 * `isSymlink` (in-memory ones) have no symlinks to worry about.
 */
import { lstatSync } from 'node:fs';
import { nodeFileSystem, type FileSystem } from '../../../core/index.js';

/** A FileSystem that can tell symlinks apart. */
export interface SymlinkAwareFileSystem extends FileSystem {
  isSymlink(path: string): boolean;
}

export const checkoutFileSystem: SymlinkAwareFileSystem = {
  ...nodeFileSystem,
  isSymlink: (path) => {
    try {
      return lstatSync(path).isSymbolicLink();
    } catch {
      return false;
    }
  },
};

/** Whether `path` is a symlink, as far as `fs` can tell. */
export function isSymlink(fs: FileSystem, path: string): boolean {
  const f = (fs as Partial<SymlinkAwareFileSystem>).isSymlink;
  return typeof f === 'function' ? f.call(fs, path) : false;
}
