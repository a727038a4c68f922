/**
 * encoding/pem (Encode, and Decode's rules for finding a block) and encoding/base64's
 * StdEncoding decoder with Go's error positions ("illegal base64 data at input byte 4").
 */

/** A PEM block. */
export interface PemBlock {
  type: string;
  headers: Record<string, string>;
  bytes: Uint8Array;
}

/** pem.EncodeToMemory for a block without headers: 64-column base64 lines. */
export function pemEncode(type: string, der: Uint8Array): string {
  const b64 = Buffer.from(der).toString('base64');
  let out = `-----BEGIN ${type}-----\n`;
  for (let i = 0; i < b64.length; i += 64) out += `${b64.slice(i, i + 64)}\n`;
  return `${out}-----END ${type}-----\n`;
}

/** A base64.CorruptInputError. */
export class Base64Error extends Error {
  constructor(readonly offset: number) {
    super(`illegal base64 data at input byte ${offset}`);
  }
}

const DECODE = new Int16Array(256).fill(-1);
'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.split('').forEach((c, i) => (DECODE[c.charCodeAt(0)] = i));

/**
 * base64.StdEncoding.DecodeString on bytes: padding required, \r and \n skipped, an error at
 * the same offset Go reports. Throws Base64Error.
 */
export function goBase64Decode(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let si = 0;
  for (;;) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return new Uint8Array(out);
        throw new Base64Error(si - j);
      }
      const ch = src[si]!;
      si++;
      const v = DECODE[ch]!;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (ch === 0x0a || ch === 0x0d) {
        j--;
        continue;
      }
      if (ch !== 0x3d) throw new Base64Error(si - 1);
      // Padding: it must end the input (newlines aside).
      if (j === 0 || j === 1) throw new Base64Error(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
        if (si === src.length) throw new Base64Error(src.length);
        if (src[si] !== 0x3d) throw new Base64Error(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
      if (si < src.length) throw new Base64Error(si);
      dlen = j;
      done = true;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (done) return new Uint8Array(out);
  }
}

function indexOf(hay: Uint8Array, needle: string, from = 0): number {
  const n = Buffer.from(needle);
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).indexOf(n, from);
}

function lastIndexOf(hay: Uint8Array, needle: string): number {
  const n = Buffer.from(needle);
  return Buffer.from(hay.buffer, hay.byteOffset, hay.length).lastIndexOf(n);
}

/** getLine: the line (trailing spaces and tabs and \r removed), the rest, bytes consumed. */
function getLine(data: Uint8Array): [Uint8Array, Uint8Array, number] {
  let i = data.indexOf(0x0a);
  let j: number;
  if (i < 0) {
    i = data.length;
    j = i;
  } else {
    j = i + 1;
    if (i > 0 && data[i - 1] === 0x0d) i--;
  }
  let end = i;
  while (end > 0 && (data[end - 1] === 0x20 || data[end - 1] === 0x09)) end--;
  return [data.subarray(0, end), data.subarray(j), j];
}

const text = new TextDecoder();
const str = (b: Uint8Array) => text.decode(b);

/** pem.Decode: the first well-formed PEM block in data, or undefined. */
export function pemDecode(input: Uint8Array | string): PemBlock | undefined {
  const data = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  let rest = data;
  let endTrailerIndex = 0;
  for (;;) {
    if (endTrailerIndex < 0 || endTrailerIndex > rest.length) return undefined;
    rest = rest.subarray(endTrailerIndex);
    // The first END line, then the last BEGIN line before it.
    let endIndex = indexOf(rest, '\n-----END ');
    if (endIndex < 0) return undefined;
    endTrailerIndex = endIndex + '\n-----END '.length;
    const beginIndex = lastIndexOf(rest.subarray(0, endIndex), '-----BEGIN ');
    if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] !== 0x0a)) continue;
    const skipTo = beginIndex + '-----BEGIN '.length;
    rest = rest.subarray(skipTo);
    endIndex -= skipTo;
    endTrailerIndex -= skipTo;
    const [firstLine, after, consumed] = getLine(rest);
    let typeLine = firstLine;
    rest = after;
    endIndex -= consumed;
    endTrailerIndex -= consumed;
    const typeStr = str(typeLine);
    if (!typeStr.endsWith('-----')) continue;
    typeLine = typeLine.subarray(0, typeLine.length - 5);
    const block: PemBlock = { type: str(typeLine), headers: {}, bytes: new Uint8Array() };
    let noData = false;
    for (;;) {
      if (rest.length === 0) {
        noData = true;
        break;
      }
      const [line, next, used] = getLine(rest);
      const colon = line.indexOf(0x3a);
      if (colon < 0) break;
      block.headers[str(line.subarray(0, colon)).trim()] = str(line.subarray(colon + 1)).trim();
      rest = next;
      endIndex -= used;
      endTrailerIndex -= used;
    }
    if (noData) return undefined;
    if (Object.keys(block.headers).length > 0 && endIndex < 0) continue;
    const endTrailerLen = typeLine.length + 5;
    let endTrailer = rest.subarray(endTrailerIndex);
    if (endTrailer.length < endTrailerLen) continue;
    const restOfEndLine = endTrailer.subarray(endTrailerLen);
    endTrailer = endTrailer.subarray(0, endTrailerLen);
    if (!str(endTrailer).startsWith(block.type) || !str(endTrailer).endsWith('-----')) continue;
    if (getLine(restOfEndLine)[0].length !== 0) continue; // the END line must end here
    if (endIndex > 0) {
      const b64 = rest.subarray(0, endIndex).filter((b) => b !== 0x20 && b !== 0x09);
      try {
        block.bytes = goBase64Decode(b64);
      } catch (e) {
        if (e instanceof Base64Error) continue;
        throw e;
      }
    }
    return block;
  }
}
