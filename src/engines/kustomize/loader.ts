/**
 * The file loader of a build (api/internal/loader/fileloader.go, loadrestrictions.go and
 * kyaml filesys ConfirmDir/CleanedAbs): a root directory, files read relative to it under
 * the load restrictor, child loaders for bases and components with kustomize's cycle check.
 * Remote bases and URLs are refused: Slipway builds without a network.
 * Paths are POSIX paths in whatever form the caller gave the root (the CLI gives absolute
 * ones, so messages read as kustomize's).
 */
import { posix } from 'node:path';
import type { FileSystem } from '../../core/index.js';
import { KustomizeError } from './errors.js';

export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';

/** loader.IsRemoteFile: an http or https URL. */
export function isRemoteFile(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/**
 * Whether git.NewRepoSpecFromURL would take `path` as a remote repository: a scheme
 * (ssh, https, http, file), a `user@` prefix, or a github.com host.
 */
export function isRepoUrl(path: string): boolean {
  if (posix.isAbsolute(path)) return false;
  let n = path.replace(/^git::/i, '');
  n = n.split('?')[0]!;
  // extractHost: a scheme, or scp style (user@ or github.com)
  const schemeMatch = /^(ssh|https|http|file):\/\//i.exec(n);
  const scheme = schemeMatch ? schemeMatch[1]!.toLowerCase() : '';
  if (schemeMatch) n = n.slice(schemeMatch[0].length);
  const user = /^([a-zA-Z][a-zA-Z0-9-]*)@/.exec(n);
  if (user) n = n.slice(user[0].length);
  const github = /^github\.com[/:]/i.test(n);
  const scp = scheme === '' && (user !== null || github);
  if (scheme === '' && !scp) return false;
  if (scheme === 'file') return n.length > 0;
  let sep = n.indexOf('/');
  if (scp) {
    const colon = n.indexOf(':');
    if (sep === -1 || (colon > 0 && colon < sep)) sep = colon;
  }
  const host = sep >= 0 ? n.slice(0, sep + 1) : n;
  const rest = sep >= 0 ? n.slice(sep + 1) : '';
  if (host === '') return false;
  // parsePathParts: an explicit marker (_git/, //, .git), else org/repo.
  let repoPath: string;
  let kustRoot: string;
  const gitRoot = rest.indexOf('_git/');
  const slashes = rest.indexOf('//');
  const dotGit = rest.indexOf('.git');
  if (gitRoot >= 0) {
    repoPath = rest.slice(0, gitRoot + 5) + rest.slice(gitRoot + 5).split('/')[0]!;
    kustRoot = rest.slice(gitRoot + 5).split('/').slice(1).join('/');
  } else if (slashes >= 0) {
    repoPath = rest.slice(0, slashes);
    kustRoot = rest.slice(slashes + 2);
  } else if (dotGit >= 0) {
    repoPath = rest.slice(0, dotGit + 4);
    kustRoot = rest.slice(dotGit + 4);
  } else {
    const segments = rest.split('/');
    if (segments.length < 2) return false;
    repoPath = segments.slice(0, 2).join('/');
    kustRoot = segments.slice(2).join('/');
  }
  if (repoPath === '') return false;
  return posix.normalize(`/${kustRoot}`).split('/')[1] !== '..';
}

function noNetwork(what: string, path: string): KustomizeError {
  return new KustomizeError(`${what} '${path}' cannot be loaded: slipway builds kustomizations offline and does not fetch remote resources`);
}

/** ConfirmedDir.HasPrefix. */
function hasPrefix(dir: string, prefix: string): boolean {
  if (prefix === '/' || dir === prefix) return true;
  return dir.startsWith(`${prefix}/`);
}

export class FileLoader {
  private constructor(
    /** The root directory, cleaned. */
    readonly root: string,
    readonly fs: FileSystem,
    readonly restrictor: LoadRestrictor,
    private readonly referrer?: FileLoader,
  ) {}

  /** loader.NewLoader at a directory; "must build at directory: ..." when it is none. */
  static at(dir: string, fs: FileSystem, restrictor: LoadRestrictor): FileLoader {
    if (isRepoUrl(dir)) throw noNetwork('remote kustomization', dir);
    const root = confirmDir(fs, dir, 'must build at directory');
    return new FileLoader(root, fs, restrictor);
  }

  /** FileLoader.New: a loader for a base or component below (or beside) this root. */
  child(path: string): FileLoader {
    if (path === '') throw new KustomizeError('new root cannot be empty');
    if (isRepoUrl(path)) throw noNetwork('remote base', path);
    if (posix.isAbsolute(path)) throw new KustomizeError(`new root '${path}' cannot be absolute`);
    const root = confirmDir(this.fs, posix.join(this.root, path), 'must build at directory');
    this.errIfArgEqualOrHigher(root);
    return new FileLoader(root, this.fs, this.restrictor, this);
  }

  private errIfArgEqualOrHigher(candidate: string): void {
    if (hasPrefix(this.root, candidate)) {
      throw new KustomizeError(`cycle detected: candidate root '${candidate}' contains visited root '${this.root}'`);
    }
    this.referrer?.errIfArgEqualOrHigher(candidate);
  }

  /** The path a relative file name resolves to (before the restrictor). */
  resolve(path: string): string {
    return posix.isAbsolute(path) ? posix.normalize(path) : posix.join(this.root, path);
  }

  /** The file path after the load restrictor, or a KustomizeError with kustomize's message. */
  private restrict(path: string): string {
    if (isRemoteFile(path)) throw noNetwork('remote file', path);
    const full = this.resolve(path);
    if (this.restrictor === 'LoadRestrictionsNone') return full;
    const { dir, file } = cleanedAbs(this.fs, full);
    if (file === '') throw new KustomizeError(`'${full}' must resolve to a file`);
    if (!hasPrefix(dir, this.root)) throw new KustomizeError(`security; file '${full}' is not in or below '${this.root}'`);
    return posix.join(dir, file);
  }

  /** FileLoader.Load as text. */
  load(path: string): string {
    const p = this.restrict(path);
    return readOrFail(this.fs, p, () => this.fs.readFile(p));
  }

  /** FileLoader.Load as bytes (generator file sources). */
  loadBytes(path: string): Uint8Array {
    const p = this.restrict(path);
    return readOrFail(this.fs, p, () => this.fs.readBytes(p));
  }

  /** Whether `path` names a readable file (FileSystem.ReadFile without the restrictor, as FixKustomizationPreMarshalling checks). */
  exists(path: string): boolean {
    const st = this.fs.stat(this.resolve(path));
    return st !== undefined && !st.isDirectory;
  }
}

function readOrFail<T>(fs: FileSystem, path: string, read: () => T): T {
  const st = fs.stat(path);
  if (!st) throw new KustomizeError(`open ${path}: no such file or directory`);
  if (st.isDirectory) throw new KustomizeError(`read ${path}: is a directory`);
  return read();
}

/**
 * filesys CleanedAbs without symlinks (the FileSystem has none): the directory and file
 * name of a path, or the directory itself; "evalsymlink failure" when it does not exist.
 */
export function cleanedAbs(fs: FileSystem, path: string): { dir: string; file: string } {
  const clean = posix.normalize(path);
  const st = fs.stat(clean);
  if (!st) throw new KustomizeError(`evalsymlink failure on '${path}' : lstat ${firstMissing(fs, clean)}`);
  if (st.isDirectory) return { dir: stripSlash(clean), file: '' };
  return { dir: stripSlash(posix.dirname(clean)), file: posix.basename(clean) };
}

function stripSlash(p: string): string {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

/** The lstat error of filepath.EvalSymlinks: the first component that is missing (or not a directory). */
function firstMissing(fs: FileSystem, path: string): string {
  const parts = path.split('/');
  let cur = parts[0] === '' ? '' : parts[0]!;
  if (cur !== '' && !fs.stat(cur)) return `${cur}: no such file or directory`;
  for (let i = 1; i < parts.length; i++) {
    if (parts[i] === '') continue;
    const parent = cur;
    cur = cur === '' ? `/${parts[i]}` : `${cur}/${parts[i]}`;
    const st = fs.stat(cur);
    if (!st) {
      const pst = parent === '' ? { isDirectory: true } : fs.stat(parent);
      if (pst && !pst.isDirectory) return `${cur}: not a directory`;
      return `${cur}: no such file or directory`;
    }
  }
  return `${path}: no such file or directory`;
}

/** filesys.ConfirmDir, with kustomize's prefix on failure. */
function confirmDir(fs: FileSystem, path: string, prefix: string): string {
  if (path === '') throw new KustomizeError(`${prefix}: directory path cannot be empty`);
  let res: { dir: string; file: string };
  try {
    res = cleanedAbs(fs, path);
  } catch (e) {
    throw new KustomizeError(`${prefix}: not a valid directory: ${(e as KustomizeError).kustomizeMessage}`);
  }
  if (res.file !== '') throw new KustomizeError(`${prefix}: '${path}': file is not directory`);
  return res.dir;
}
