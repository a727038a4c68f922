import { readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The file access engines are given, so that they can be tested on in-memory trees and
 * never reach for the disk themselves (kustomize api/krusty/kustomizer.go takes a filesystem the same way).
 */
export interface FileSystem {
  readFile(path: string): string;
  /** The raw bytes of a file (charts, archives, binary files). */
  readBytes(path: string): Uint8Array;
  /** Entry names of a directory, unsorted. */
  readDir(path: string): string[];
  /** undefined when the path does not exist. */
  stat(path: string): { isDirectory: boolean } | undefined;
  /** The path with every symlink resolved (realpath); optional — trees without links need none. */
  realPath?(path: string): string;
}

/** The real disk. */
export const nodeFileSystem: FileSystem = {
  readFile: (path) => readFileSync(path, 'utf8'),
  readBytes: (path) => readFileSync(path),
  readDir: (path) => readdirSync(path),
  stat: (path) => {
    try {
      return { isDirectory: statSync(path).isDirectory() };
    } catch {
      return undefined;
    }
  },
  realPath: (path) => {
    try {
      return realpathSync(path);
    } catch {
      return path;
    }
  },
};

/** An in-memory tree: keys are paths, values file contents (text or bytes); directories are implied. */
export function memoryFileSystem(files: Record<string, string | Uint8Array>): FileSystem {
  const dirs = new Map<string, Set<string>>();
  for (const path of Object.keys(files)) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const dir = parts.slice(0, i).join('/') || '/';
      if (!dirs.has(dir)) dirs.set(dir, new Set());
      dirs.get(dir)!.add(parts[i]!);
    }
  }
  const read = (path: string): string | Uint8Array => {
    const data = files[path];
    if (data === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return data;
  };
  return {
    readFile: (path) => {
      const data = read(path);
      return typeof data === 'string' ? data : new TextDecoder().decode(data);
    },
    readBytes: (path) => {
      const data = read(path);
      return typeof data === 'string' ? new TextEncoder().encode(data) : data;
    },
    readDir: (path) => [...(dirs.get(path) ?? [])],
    stat: (path) => (path in files ? { isDirectory: false } : dirs.has(path) ? { isDirectory: true } : undefined),
  };
}

export { join as joinPath };
