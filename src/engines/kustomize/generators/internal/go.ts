/**
 * Small pieces of Go's standard library that kustomize's generator code leans on:
 * fmt's %v of a []string and %q, path.Base, unicode.IsSpace, utf8.Valid and base64
 * in kyaml's line-broken form.
 */
import { compareGoStrings } from '../../../yaml/index.js';

/** fmt's `%v` of a []string: `[a b c]`. */
export function formatGoStrings(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

/** fmt's `%d` of a []byte: `[104 105]`. */
export function formatGoBytes(bytes: Uint8Array): string {
  return `[${Array.from(bytes).join(' ')}]`;
}

/** strconv.Quote, as fmt's `%q` prints a string. */
export function goQuote(s: string): string {
  let out = '"';
  for (const c of s) {
    const cp = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (cp === 0x07) out += '\\a';
    else if (cp === 0x08) out += '\\b';
    else if (cp === 0x0c) out += '\\f';
    else if (cp === 0x0a) out += '\\n';
    else if (cp === 0x0d) out += '\\r';
    else if (cp === 0x09) out += '\\t';
    else if (cp === 0x0b) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += '\\ufffd';
    else if (!/[\p{L}\p{M}\p{N}\p{P}\p{S}\x20]/u.test(c)) {
      out += cp > 0xffff ? `\\U${cp.toString(16).padStart(8, '0')}` : `\\u${cp.toString(16).padStart(4, '0')}`;
    } else out += c;
  }
  return `${out}"`;
}

/** Go's path.Base: the last slash-separated element; "." for "", "/" for all slashes. */
export function goPathBase(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  const base = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return base === '' ? '/' : base;
}

/**
 * unicode.IsSpace. Unlike JavaScript's `\s` it counts U+0085 (NEL) and not U+FEFF (BOM).
 */
export function isGoSpace(cp: number): boolean {
  switch (cp) {
    case 0x09:
    case 0x0a:
    case 0x0b:
    case 0x0c:
    case 0x0d:
    case 0x20:
    case 0x85:
    case 0xa0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202f:
    case 0x205f:
    case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200a;
  }
}

/** bytes.TrimLeftFunc(s, unicode.IsSpace) on a decoded string. */
export function trimLeftGoSpace(s: string): string {
  let i = 0;
  while (i < s.length) {
    const cp = s.codePointAt(i)!;
    if (!isGoSpace(cp)) break;
    i += cp > 0xffff ? 2 : 1;
  }
  return s.slice(i);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyUtf8 = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** The text of `bytes` when they are valid UTF-8 (utf8.Valid), else undefined. A BOM is kept. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** The text of `bytes` with invalid sequences as U+FFFD, for error messages. */
export function decodeUtf8Lossy(bytes: Uint8Array): string {
  return lossyUtf8.decode(bytes);
}

const encoder = new TextEncoder();

/** UTF-8 bytes of a string. */
export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/**
 * kyaml yaml/datamap.go encodeBase64: standard base64, cut into lines of 70 characters;
 * when the text is 70 characters or longer every line, the last included, ends in "\n".
 */
export function encodeBase64(bytes: Uint8Array): string {
  const LINE = 70;
  const flat = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
  const lines = Math.floor(flat.length / LINE) + 1;
  if (lines === 1) return flat;
  let out = '';
  for (let i = 0; i < flat.length; i += LINE) out += `${flat.slice(i, i + LINE)}\n`;
  return out;
}

/** sort.Strings order (UTF-8 bytes), as yaml.SortedMapKeys and encoding/json sort keys. */
export function sortGoStrings(keys: Iterable<string>): string[] {
  return [...keys].sort(compareGoStrings);
}

/** Sets an own property, also for keys such as `__proto__` that plain assignment would not create. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}
