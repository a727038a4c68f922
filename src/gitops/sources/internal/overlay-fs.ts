/**
 * A FileSystem that shows some files with other contents (or adds them) over a base one, so
 * an edited kustomization or inline values can be handed to the engines without writing into
 * the read-only checkout.
 */
import { posix } from 'node:path';
import type { FileSystem } from '../../../core/index.js';

/** `base` with `files` (absolute path → text) laid over it. */
export function overlayFileSystem(base: FileSystem, files: ReadonlyMap<string, string>): FileSystem {
  if (files.size === 0) return base;
  const encoder = new TextEncoder();
  const added = new Map<string, string[]>();
  for (const path of files.keys()) {
    const dir = posix.dirname(path);
    added.set(dir, [...(added.get(dir) ?? []), posix.basename(path)]);
  }
  return {
    readFile: (path) => files.get(path) ?? base.readFile(path),
    readBytes: (path) => {
      const text = files.get(path);
      return text === undefined ? base.readBytes(path) : encoder.encode(text);
    },
    readDir: (path) => {
      const extra = added.get(path);
      if (!extra) return base.readDir(path);
      let names: string[] = [];
      try {
        names = base.readDir(path);
      } catch {
        // a directory that exists only through overlay files
      }
      return [...new Set([...names, ...extra])];
    },
    stat: (path) => (files.has(path) ? { isDirectory: false } : added.has(path) ? { isDirectory: true } : base.stat(path)),
  };
}
