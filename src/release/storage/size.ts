/**
 * The size check before writing a release Secret. helm writes the whole chart into every
 * revision and fails late with the apiserver's "Too long: must have at most 1048576 bytes"
 * (helm/helm #7126, #6711); we measure first and say what is big.
 */
import { gzipSync } from 'node:zlib';
import { marshalGoJson } from '../../engines/gotemplate/index.js';
import { ReleaseTooLargeError } from './errors.js';
import type { HelmFileJson, Release } from './types.js';

/** The apiserver's limit on a Secret's data (sum of key and value lengths): 1 MiB. */
export const SECRET_DATA_LIMIT = 1024 * 1024;

/** The key helm stores the record under in the Secret's data. */
export const RELEASE_DATA_KEY = 'release';

/** "812 B", "41.3 KiB", "1.42 MiB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(2)} MiB`;
}

/** What a piece of JSON text adds to the record once gzipped and base64-encoded (an estimate). */
function storedSize(text: string): number {
  if (text.length === 0) return 0;
  return Math.ceil(gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).length / 3) * 4;
}

interface Part {
  label: string;
  size: number;
  detail?: string;
}

function filesPart(label: string, files: readonly HelmFileJson[] | null): Part {
  const list = files ?? [];
  const size = storedSize(list.map((f) => f.data).join(''));
  const biggest = list
    .map((f) => ({ name: f.name, bytes: Math.floor((f.data.length * 3) / 4) - (f.data.match(/=*$/)?.[0].length ?? 0) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 3)
    .filter((f) => f.bytes > 0);
  const detail = biggest.length > 0 ? biggest.map((f) => `${f.name} ${formatBytes(f.bytes)}`).join(', ') : undefined;
  return { label, size, ...(detail ? { detail } : {}) };
}

/**
 * The biggest parts of a release as stored (gzip and base64 estimated per part): chart
 * templates, chart files, chart values and schema, user values, manifest, hooks, notes.
 */
export function releaseParts(r: Release): Part[] {
  const parts: Part[] = [
    filesPart('chart templates', r.chart.templates),
    filesPart('chart files', r.chart.files),
    { label: 'chart values', size: storedSize(r.chart.values ? marshalGoJson(r.chart.values) : '') },
    { label: 'chart schema', size: storedSize(r.chart.schema ?? '') },
    { label: 'user-supplied values', size: storedSize(Object.keys(r.config).length > 0 ? marshalGoJson(r.config) : '') },
    { label: 'manifest', size: storedSize(r.manifest) },
    { label: 'hooks', size: storedSize(r.hooks.map((h) => h.manifest ?? '').join('')) },
    { label: 'notes', size: storedSize(r.info.notes ?? '') },
  ];
  return parts.filter((p) => p.size > 0).sort((a, b) => b.size - a.size);
}

/** Bytes the Secret's data holds for an encoded record. */
export function secretDataSize(encoded: string): number {
  return RELEASE_DATA_KEY.length + Buffer.byteLength(encoded, 'utf8');
}

/**
 * Throws ReleaseTooLargeError when the encoded record would not fit in one Secret; the message
 * names the limit, the size and the biggest parts.
 */
export function checkReleaseSize(r: Release, encoded: string, limit = SECRET_DATA_LIMIT): void {
  const size = secretDataSize(encoded);
  if (size <= limit) return;
  const parts = releaseParts(r)
    .slice(0, 4)
    .map((p) => `${p.label} ${formatBytes(p.size)}${p.detail ? ` (largest: ${p.detail})` : ''}`);
  throw new ReleaseTooLargeError(
    `release "${r.name}" revision ${r.version} is too large to store: its Secret would hold ${formatBytes(size)} (${size} bytes), ` +
      `over the ${formatBytes(limit)} (${limit} bytes) limit of a Kubernetes Secret. ` +
      `Biggest parts, compressed: ${parts.join('; ')}. ` +
      'Leave large files out of the chart (.helmignore) or split it into smaller releases.',
    size,
    limit,
  );
}
