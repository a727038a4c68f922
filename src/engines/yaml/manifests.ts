import {
  InputError,
  ManifestError,
  keyOf,
  joinPath,
  type FileSystem,
  type KubeObject,
  type Manifest,
  type SourceLocation,
} from '../../core/index.js';
import { parseYamlStream, type YamlDocument } from './parse.js';

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Reads the Kubernetes objects in one YAML/JSON stream. Empty documents are skipped,
 * `kind: List` (and any `*List` with `items`) is flattened as kubectl does, and every
 * object must carry apiVersion, kind and metadata.name; a bad one throws ManifestError
 * naming file, line and field.
 */
export function parseManifests(text: string, file: string): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of parseYamlStream(text, file)) {
    if (doc.value === null || doc.value === undefined) continue;
    collect(doc, doc.value, [], out, file);
  }
  return out;
}

function collect(doc: YamlDocument, value: unknown, path: (string | number)[], out: Manifest[], file: string): void {
  const at = doc.locate(path);
  if (!isPlainObject(value)) {
    throw new ManifestError(`expected a Kubernetes object (a YAML map), found ${describe(value)}`, at);
  }
  const kind = value.kind;
  if (typeof kind === 'string' && kind.endsWith('List') && Array.isArray(value.items)) {
    value.items.forEach((item, i) => collect(doc, item, [...path, 'items', i], out, file));
    return;
  }
  checkString(doc, value, [...path], 'apiVersion');
  checkString(doc, value, [...path], 'kind');
  if (value.metadata === undefined) throw fieldError(doc, path, 'metadata', 'missing required field "metadata"');
  if (!isPlainObject(value.metadata)) throw fieldError(doc, [...path, 'metadata'], '', 'field "metadata" must be a map');
  checkString(doc, value.metadata, [...path, 'metadata'], 'name');
  for (const field of ['labels', 'annotations'] as const) {
    const map = value.metadata[field];
    if (map === undefined || map === null) continue;
    if (!isPlainObject(map)) throw fieldError(doc, [...path, 'metadata', field], '', `field "metadata.${field}" must be a map`);
    for (const [k, v] of Object.entries(map)) {
      if (typeof v !== 'string') {
        throw fieldError(doc, [...path, 'metadata', field, k], '', `metadata.${field}["${k}"] must be a string, found ${describe(v)}`);
      }
    }
  }
  const object = value as unknown as KubeObject;
  out.push({ key: keyOf(object), object, origin: { source: `file:${file}`, at } });
}

function checkString(doc: YamlDocument, obj: Record<string, unknown>, path: (string | number)[], field: string): void {
  const v = obj[field];
  const dotted = [...path.filter((p) => typeof p === 'string' && p !== 'items'), field].join('.');
  if (v === undefined || v === null || v === '') throw fieldError(doc, path, field, `missing required field "${dotted}"`);
  if (typeof v !== 'string') throw fieldError(doc, [...path, field], '', `field "${dotted}" must be a string, found ${describe(v)}`);
}

function fieldError(doc: YamlDocument, path: (string | number)[], field: string, message: string): ManifestError {
  return new ManifestError(message, doc.locate(field ? [...path, field] : path));
}

/**
 * Reads files and directories (recursively, in name order, `.yaml`/`.yml`/`.json` only,
 * skipping dot-directories such as .git). Paths are read in the order given.
 * `-` reads `stdin` when given.
 */
export function loadManifests(paths: readonly string[], fs: FileSystem, stdin?: () => string): Manifest[] {
  const out: Manifest[] = [];
  for (const path of paths) {
    if (path === '-') {
      if (!stdin) throw new InputError('reading from stdin is not supported here', { file: '-' });
      out.push(...parseManifests(stdin(), '<stdin>'));
      continue;
    }
    const st = fs.stat(path);
    if (!st) throw new InputError(`no such file or directory`, { file: path });
    for (const file of st.isDirectory ? walk(path, fs) : [path]) {
      out.push(...parseManifests(readText(file, fs), file));
    }
  }
  return out;
}

function walk(dir: string, fs: FileSystem): string[] {
  const files: string[] = [];
  for (const name of fs.readDir(dir).sort()) {
    const path = joinPath(dir, name);
    if (fs.stat(path)?.isDirectory) {
      if (!name.startsWith('.')) files.push(...walk(path, fs));
    } else if (MANIFEST_EXTENSIONS.some((ext) => name.endsWith(ext))) {
      files.push(path);
    }
  }
  return files;
}

function readText(file: string, fs: FileSystem): string {
  try {
    return fs.readFile(file);
  } catch (e) {
    throw new InputError(`cannot read file: ${(e as Error).message}`, { file } satisfies SourceLocation);
  }
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}
