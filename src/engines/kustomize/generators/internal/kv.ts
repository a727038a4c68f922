/**
 * Key/value pairs from a generator's sources, as kustomize api/kv/kv.go loads them: env
 * files first, then literals, then files, each source in order. Errors carry kv.go's
 * wording and prefixes; the caller adds "loading KV pairs: ".
 */
import type { GeneratorFileReader } from '../types.js';
import { decodeUtf8, decodeValidUtf8, goQuote, trimLeftGoSpace, utf8Bytes } from '../../../goruntime/index.js';
import { formatGoBytes, formatGoStrings, goPathBase } from './go.js';

/** One pair; file contents stay bytes, because a ConfigMap puts non-UTF-8 content in binaryData. */
export interface KvPair {
  key: string;
  value: string | Uint8Array;
}

/** The sources of one generator entry (types.KvPairSources, `env` already folded into `envs`). */
export interface KvSources {
  envs: readonly string[];
  literals: readonly string[];
  files: readonly string[];
}

/** A source that kv.go rejects; the message is kustomize's, without the "loading KV pairs" prefix. */
export class KvError extends Error {}

/** kv.go loader.Load: env files, then literals, then files. */
export function loadKvPairs(sources: KvSources, reader: GeneratorFileReader): KvPair[] {
  const out: KvPair[] = [];
  try {
    for (const path of sources.envs) out.push(...parseEnvFile(readFile(reader, path)));
  } catch (e) {
    throw wrap(e, `env source files: ${formatGoStrings(sources.envs)}`);
  }
  try {
    for (const s of sources.literals) out.push(parseLiteralSource(s));
  } catch (e) {
    throw wrap(e, `literal sources ${formatGoStrings(sources.literals)}`);
  }
  try {
    for (const s of sources.files) {
      const { key, path } = parseFileSource(s);
      out.push({ key, value: readFile(reader, path) });
    }
  } catch (e) {
    throw wrap(e, `file sources: ${formatGoStrings(sources.files)}`);
  }
  return out;
}

function readFile(reader: GeneratorFileReader, path: string): Uint8Array {
  return reader.read(path);
}

function wrap(e: unknown, prefix: string): KvError {
  const message = e instanceof Error ? e.message : String(e);
  return new KvError(`${prefix}: ${message}`, { cause: e });
}

/**
 * kv.go parseLiteralSource: split at the first "="; no "=" or a leading "=" is an error.
 * The value loses one pair of matching surrounding quotes (removeQuotes).
 */
export function parseLiteralSource(source: string): KvPair {
  const eq = source.indexOf('=');
  if (eq <= 0) throw new KvError(`invalid literal source ${source}, expected key=value`);
  return { key: source.slice(0, eq), value: removeQuotes(source.slice(eq + 1)) };
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

/**
 * internal/generators/utils.go ParseFileSource: `path` (key = path.Base) or `key=path`;
 * more than one "=", or an empty side of it, is an error.
 */
export function parseFileSource(source: string): { key: string; path: string } {
  const separators = source.split('=').length - 1;
  if (separators === 0) return { key: goPathBase(source), path: source };
  if (separators === 1 && source.startsWith('=')) {
    throw new KvError(`missing key name for file path ${goQuote(source.slice(1))} in source ${goQuote(source)}`);
  }
  if (separators === 1 && source.endsWith('=')) {
    throw new KvError(`missing file path for key name ${goQuote(source.slice(0, -1))} in source ${goQuote(source)}`);
  }
  if (separators > 1) throw new KvError(`source ${goQuote(source)} key name or file path contains '='`);
  const eq = source.indexOf('=');
  return { key: source.slice(0, eq), path: source.slice(eq + 1) };
}

/** bufio.MaxScanTokenSize: a line this long (without its "\n") stops bufio.Scanner. */
const MAX_LINE = 64 * 1024;
const BOM = '\ufeff';

/**
 * kv.go keyValuesFromLines. Lines split as bufio.ScanLines does (one trailing "\r"
 * dropped). A line of 64 KiB or more makes the scanner fail, and kv.go ignores that
 * error, so it and every later line are silently dropped. Each line must be valid UTF-8;
 * the first loses a BOM; leading white space goes; empty lines and `#` comments are
 * skipped; the key is everything before the first "=" (no "=" gives an empty value, an
 * empty key skips the line). Values keep quotes and trailing space; keys are not checked
 * (kustomize's FieldValidator.IsEnvVarName is a no-op).
 */
export function parseEnvFile(content: Uint8Array): KvPair[] {
  const out: KvPair[] = [];
  let lineNo = 0;
  for (let pos = 0; pos < content.length; lineNo++) {
    let end = content.indexOf(0x0a, pos);
    const next = end < 0 ? content.length : end + 1;
    if (end < 0) end = content.length;
    if (end - pos >= MAX_LINE) break;
    let raw = content.subarray(pos, end);
    pos = next;
    if (raw.length > 0 && raw[raw.length - 1] === 0x0d) raw = raw.subarray(0, raw.length - 1);
    let line = decodeValidUtf8(raw);
    if (line === undefined) {
      throw new KvError(`line ${formatGoBytes(raw)} has invalid utf8 bytes : ${decodeUtf8(raw, true)}`);
    }
    if (lineNo === 0 && line.startsWith(BOM)) line = line.slice(1);
    line = trimLeftGoSpace(line);
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    if (key === '') continue;
    out.push({ key, value: eq < 0 ? '' : line.slice(eq + 1) });
  }
  return out;
}

/** The bytes of a pair's value (literals and env values are UTF-8 text). */
export function valueBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? utf8Bytes(value) : value;
}
