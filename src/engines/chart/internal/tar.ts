/**
 * A tar reader with the behaviour of Go's archive/tar Reader.Next as helm's loader sees it:
 * V7, USTAR (name prefix), GNU (long names and links, 'L'/'K') and PAX ('x' records for path,
 * linkpath and size) headers, base-256 sizes, checksum checks, and the same end-of-archive
 * rules. PAX global headers ('g') are returned, as Go returns them; helm skips them.
 */

/** One archive member. */
export interface TarEntry {
  name: string;
  /** The typeflag as a character ('0' regular, '5' directory, 'g' PAX global header, …). */
  type: string;
  mode: number;
  size: number;
  data: Uint8Array;
}

/** Errors with archive/tar's and io's messages. */
export class TarError extends Error {}

const ERR_HEADER = 'archive/tar: invalid tar header';
const BLOCK = 512;

function cstring(b: Uint8Array): string {
  const end = b.indexOf(0);
  return new TextDecoder().decode(end < 0 ? b : b.subarray(0, end));
}

/** archive/tar parseNumeric: octal text, or base-256 when the high bit of the first byte is set. */
function parseNumeric(b: Uint8Array): number {
  if (b.length > 0 && (b[0]! & 0x80) !== 0) {
    let n = BigInt(b[0]! & 0x7f);
    const negative = (b[0]! & 0x40) !== 0;
    for (let i = 1; i < b.length; i++) n = (n << 8n) | BigInt(b[i]!);
    if (negative) throw new TarError(ERR_HEADER);
    return Number(n & ((1n << 63n) - 1n));
  }
  const text = new TextDecoder().decode(b).replace(/[\0 ]+$/, '').replace(/^[\0 ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new TarError(ERR_HEADER);
  return parseInt(text, 8);
}

function checksumOk(block: Uint8Array): boolean {
  const stored = (() => {
    try {
      return parseNumeric(block.subarray(148, 156));
    } catch {
      return -1;
    }
  })();
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const c = i >= 148 && i < 156 ? 0x20 : block[i]!;
    unsigned += c;
    signed += c > 127 ? c - 256 : c;
  }
  return stored === unsigned || stored === signed;
}

/** Parses PAX extended header records ("%d %s=%s\n"). */
function parsePax(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let rest = new TextDecoder().decode(data);
  while (rest.length > 0) {
    const sp = rest.indexOf(' ');
    if (sp < 0) throw new TarError(ERR_HEADER);
    const len = Number(rest.slice(0, sp));
    // The length counts bytes; records are ASCII keys plus UTF-8 values.
    const bytes = new TextEncoder().encode(rest);
    if (!Number.isInteger(len) || len <= sp || len > bytes.length) throw new TarError(ERR_HEADER);
    const record = new TextDecoder().decode(bytes.subarray(0, len));
    rest = new TextDecoder().decode(bytes.subarray(len));
    if (!record.endsWith('\n')) throw new TarError(ERR_HEADER);
    const kv = record.slice(record.indexOf(' ') + 1, -1);
    const eq = kv.indexOf('=');
    if (eq < 0) throw new TarError(ERR_HEADER);
    out.set(kv.slice(0, eq), kv.slice(eq + 1));
  }
  return out;
}

const isZero = (b: Uint8Array) => b.every((x) => x === 0);
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);

/** Reads every member of a tar stream. Throws TarError. */
export function readTar(buf: Uint8Array): TarEntry[] {
  const entries: TarEntry[] = [];
  let off = 0;
  let pax = new Map<string, string>();
  let longName: string | undefined;
  let longLink: string | undefined;
  for (;;) {
    if (off >= buf.length) {
      if (pax.size > 0 || longName !== undefined || longLink !== undefined) throw new TarError('unexpected EOF');
      return entries;
    }
    if (off + BLOCK > buf.length) throw new TarError('unexpected EOF');
    const block = buf.subarray(off, off + BLOCK);
    off += BLOCK;
    if (isZero(block)) {
      if (off >= buf.length) return entries;
      if (off + BLOCK > buf.length) throw new TarError('unexpected EOF');
      if (isZero(buf.subarray(off, off + BLOCK))) return entries;
      throw new TarError(ERR_HEADER);
    }
    if (!checksumOk(block)) throw new TarError(ERR_HEADER);
    const magic = new TextDecoder().decode(block.subarray(257, 265));
    const ustar = magic === 'ustar\u000000';
    let name = cstring(block.subarray(0, 100));
    if (ustar) {
      const prefix = cstring(block.subarray(345, 500));
      if (prefix !== '') name = `${prefix}/${name}`;
    }
    let type = String.fromCharCode(block[156]!);
    const mode = parseNumeric(block.subarray(100, 108));
    let size = parseNumeric(block.subarray(124, 136));
    const dataSize = (t: string) => (HEADER_ONLY.has(t) ? 0 : size);
    const readData = (n: number): Uint8Array => {
      if (off + n > buf.length) throw new TarError('unexpected EOF');
      const data = buf.subarray(off, off + n);
      off += Math.ceil(n / BLOCK) * BLOCK;
      if (off > buf.length) off = buf.length;
      return data;
    };
    if (type === 'x' || type === 'g') {
      const records = parsePax(readData(size));
      if (type === 'x') {
        for (const [k, v] of records) pax.set(k, v);
        continue;
      }
      entries.push({ name, type, mode, size: 0, data: new Uint8Array(0) });
      continue;
    }
    if (type === 'L' || type === 'K') {
      const text = cstring(readData(size));
      if (type === 'L') longName = text;
      else longLink = text;
      continue;
    }
    if (longName !== undefined) name = longName;
    if (pax.has('path')) name = pax.get('path')!;
    if (pax.has('size')) {
      const s = Number(pax.get('size'));
      if (!Number.isInteger(s) || s < 0) throw new TarError(ERR_HEADER);
      size = s;
    }
    void longLink;
    pax = new Map();
    longName = undefined;
    longLink = undefined;
    if (type === '\0') type = name.endsWith('/') ? '5' : '0';
    const data = readData(dataSize(type));
    entries.push({ name, type, mode, size: dataSize(type), data });
  }
}

/** Header.FileInfo().IsDir(): a directory typeflag, or the directory bit in the mode. */
export function isDirEntry(e: TarEntry): boolean {
  return e.type === '5' || (e.mode & 0o170000) === 0o040000;
}
