import { goQuote } from '../goruntime/index.js';
import { gunzipSync } from 'node:zlib';
import type { ChartFile } from './types.js';
import { cleanPath } from './internal/gopath.js';
import { TarError, isDirEntry, readTar } from './internal/tar.js';

/**
 * Reading chart archives (.tgz) as helm's pkg/chart/loader/archive.go does: gunzip, read the
 * tar, drop the top directory of every path (whatever it is called: the chart's name comes from
 * Chart.yaml), refuse absolute paths, `..` and Windows drive names, enforce helm's size
 * limits, and strip a UTF-8 BOM from every file. `.helmignore` is not applied to archives.
 */

/** Largest total size of the files of an archive (helm MaxDecompressedChartSize, 100 MiB). */
export const MAX_DECOMPRESSED_CHART_SIZE = 100 * 1024 * 1024;
/** Largest single file (helm MaxDecompressedFileSize, 5 MiB). */
export const MAX_DECOMPRESSED_FILE_SIZE = 5 * 1024 * 1024;

/** An archive that cannot be read; the message is helm's. */
export class ArchiveError extends Error {}

const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Drops a leading UTF-8 byte order mark (helm trims it from every chart file). */
export function stripBom(data: Uint8Array): Uint8Array {
  return data.length >= 3 && data[0] === UTF8_BOM[0] && data[1] === UTF8_BOM[1] && data[2] === UTF8_BOM[2] ? data.subarray(3) : data;
}

/** gzip.NewReader + io.Copy: the decompressed bytes, or helm's (Go's) error text. */
export function gunzip(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw new ArchiveError('EOF');
  if (data.length < 10) throw new ArchiveError('unexpected EOF');
  if (data[0] !== 0x1f || data[1] !== 0x8b || data[2] !== 0x08) throw new ArchiveError('gzip: invalid header');
  try {
    return gunzipSync(data);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'Z_BUF_ERROR') throw new ArchiveError('unexpected EOF');
    if (code === 'Z_DATA_ERROR' && /check/.test((e as Error).message)) throw new ArchiveError('gzip: invalid checksum');
    throw new ArchiveError(`flate: corrupt input (${(e as Error).message})`);
  }
}

/**
 * helm's LoadArchiveFiles: the files of a chart archive, named relative to the chart root,
 * in archive order. Throws ArchiveError with helm's messages.
 */
export function loadArchiveFiles(archive: Uint8Array): ChartFile[] {
  const tarData = gunzip(archive);
  let entries;
  try {
    entries = readTar(tarData);
  } catch (e) {
    if (e instanceof TarError) throw new ArchiveError(e.message);
    throw e;
  }
  const files: ChartFile[] = [];
  let remaining = MAX_DECOMPRESSED_CHART_SIZE;
  for (const hd of entries) {
    if (isDirEntry(hd)) continue;
    if (hd.type === 'x' || hd.type === 'g') continue;
    // Archives made on Windows may use '\' as the separator.
    const delimiter = hd.name.includes('\\') ? '\\' : '/';
    const parts = hd.name.split(delimiter);
    let n = parts.slice(1).join(delimiter).split(delimiter).join('/');
    if (n.startsWith('/')) throw new ArchiveError('chart illegally contains absolute paths');
    n = cleanPath(n);
    if (n === '.') throw new ArchiveError(`chart illegally contains content outside the base directory: ${goQuote(hd.name)}`);
    if (n.startsWith('..')) throw new ArchiveError('chart illegally references parent directory');
    if (/^[a-zA-Z]:\//.test(n)) throw new ArchiveError('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') throw new ArchiveError('chart yaml not in base directory');
    if (hd.size > remaining) throw new ArchiveError(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    if (hd.size > MAX_DECOMPRESSED_FILE_SIZE) {
      throw new ArchiveError(`decompressed chart file ${goQuote(hd.name)} is larger than the maximum file size ${MAX_DECOMPRESSED_FILE_SIZE}`);
    }
    remaining -= hd.data.length;
    if (hd.data.length < hd.size || remaining <= 0) {
      throw new ArchiveError(`decompressed chart is larger than the maximum file size ${MAX_DECOMPRESSED_CHART_SIZE}`);
    }
    files.push({ name: n, data: stripBom(hd.data) });
  }
  if (files.length === 0) throw new ArchiveError('no files in chart archive');
  return files;
}

/**
 * http.DetectContentType for the few answers ensureArchive can give; helm names the type in
 * "does not appear to be a gzipped archive; got '...'".
 */
function detectContentType(head: Uint8Array): string {
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'application/x-gzip';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'application/zip';
  if (head.length >= 5 && new TextDecoder().decode(head.subarray(0, 5)) === '%PDF-') return 'application/pdf';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'text/plain; charset=utf-16be';
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return 'text/plain; charset=utf-16le';
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'text/plain; charset=utf-8';
  // Binary if any byte is a control character other than whitespace (Go's isBinary rule).
  const binary = head.some((b) => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f));
  return binary ? 'application/octet-stream' : 'text/plain; charset=utf-8';
}

/**
 * helm's ensureArchive: an early, readable error when a file given as a chart is not a gzip
 * archive (commonly a values file passed in the chart's place).
 */
export function ensureArchive(name: string, data: Uint8Array): void {
  // helm sniffs a zero-filled 512-byte buffer, so short text files read as binary.
  const head = new Uint8Array(512);
  head.set(data.subarray(0, 512));
  const contentType = detectContentType(head);
  const gzipMagic = head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08;
  if (contentType !== 'application/x-gzip' && !gzipMagic) {
    if (name.endsWith('.yml') || name.endsWith('.yaml')) {
      throw new ArchiveError(`file '${name}' seems to be a YAML file, but expected a gzipped archive`);
    }
    throw new ArchiveError(`file '${name}' does not appear to be a gzipped archive; got '${contentType}'`);
  }
}
