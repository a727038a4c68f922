/**
 * encoding/base64 and encoding/base32 StdEncoding, with Go's decoding rules (\r and \n are
 * skipped, padding is required) and error texts ("illegal base64 data at input byte N").
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function decodeMap(alphabet: string): Int16Array {
  const m = new Int16Array(256).fill(-1);
  for (let i = 0; i < alphabet.length; i++) m[alphabet.charCodeAt(i)] = i;
  return m;
}

const B64_MAP = decodeMap(B64);
const B32_MAP = decodeMap(B32);

/** A decoding error; the message is CorruptInputError's. */
export class CorruptInputError extends Error {}

/** base64.StdEncoding.EncodeToString. */
export function base64Encode(src: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 3 <= src.length; i += 3) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8) | src[i + 2]!;
    out += B64[(v >> 18) & 63]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + B64[v & 63]!;
  }
  const rest = src.length - i;
  if (rest === 1) {
    const v = src[i]! << 16;
    out += B64[(v >> 18) & 63]! + B64[(v >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const v = (src[i]! << 16) | (src[i + 1]! << 8);
    out += B64[(v >> 18) & 63]! + B64[(v >> 12) & 63]! + B64[(v >> 6) & 63]! + '=';
  }
  return out;
}

/** base64.StdEncoding.DecodeString; throws CorruptInputError. */
export function base64Decode(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let si = 0;
  const fail = (at: number): never => {
    throw new CorruptInputError(`illegal base64 data at input byte ${at}`);
  };
  while (si < src.length) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing = -1;
    for (let j = 0; j < 4; j++) {
      if (src.length === si) {
        if (j === 0) return Uint8Array.from(out);
        fail(si - j);
      }
      const c = src[si]!;
      si++;
      const v = B64_MAP[c]!;
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (c === 0x0a || c === 0x0d) {
        j--;
        continue;
      }
      if (c !== 0x3d) fail(si - 1);
      if (j === 0 || j === 1) fail(si - 1);
      if (j === 2) {
        while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
        if (si === src.length) fail(src.length);
        if (src[si] !== 0x3d) fail(si - 1);
        si++;
      }
      while (si < src.length && (src[si] === 0x0a || src[si] === 0x0d)) si++;
      if (si < src.length) trailing = si;
      dlen = j;
      break;
    }
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    const bytes = [(val >> 16) & 0xff, (val >> 8) & 0xff, val & 0xff];
    out.push(...bytes.slice(0, dlen - 1));
    if (trailing >= 0) fail(trailing);
    if (dlen < 4) break;
  }
  return Uint8Array.from(out);
}

/** base32.StdEncoding.EncodeToString. */
export function base32Encode(src: Uint8Array): string {
  let out = '';
  for (let i = 0; i < src.length; i += 5) {
    const chunk = src.subarray(i, i + 5);
    let bits = 0n;
    for (let k = 0; k < 5; k++) bits = (bits << 8n) | BigInt(chunk[k] ?? 0);
    const chars = [1, 2, 4, 5, 7, 8][chunk.length] ?? 8;
    for (let k = 0; k < 8; k++) {
      out += k < chars ? B32[Number((bits >> BigInt(35 - 5 * k)) & 31n)] : '=';
    }
  }
  return out;
}

/** base32.StdEncoding.DecodeString; throws CorruptInputError. */
export function base32Decode(input: Uint8Array): Uint8Array {
  const src = input.filter((b) => b !== 0x0a && b !== 0x0d);
  const olen = src.length;
  const fail = (at: number): never => {
    throw new CorruptInputError(`illegal base32 data at input byte ${at}`);
  };
  const out: number[] = [];
  let p = 0;
  let end = false;
  while (p < olen && !end) {
    const dbuf = [0, 0, 0, 0, 0, 0, 0, 0];
    let dlen = 8;
    for (let j = 0; j < 8; ) {
      if (p === olen) fail(olen - (olen - p) - j);
      const c = src[p]!;
      p++;
      const remaining = olen - p;
      if (c === 0x3d && j >= 2 && remaining < 8) {
        if (remaining + j < 8 - 1) fail(olen);
        for (let k = 0; k < 8 - 1 - j; k++) {
          if (remaining > k && src[p + k] !== 0x3d) fail(olen - remaining + k - 1);
        }
        dlen = j;
        end = true;
        if (dlen === 1 || dlen === 3 || dlen === 6) fail(olen - remaining - 1);
        break;
      }
      const v = B32_MAP[c]!;
      if (v < 0) fail(olen - remaining - 1);
      dbuf[j] = v;
      j++;
    }
    const d = dbuf as [number, number, number, number, number, number, number, number];
    const quantum = [
      ((d[0] << 3) | (d[1] >> 2)) & 0xff,
      ((d[1] << 6) | (d[2] << 1) | (d[3] >> 4)) & 0xff,
      ((d[3] << 4) | (d[4] >> 1)) & 0xff,
      ((d[4] << 7) | (d[5] << 2) | (d[6] >> 3)) & 0xff,
      ((d[6] << 5) | d[7]) & 0xff,
    ];
    const n = { 8: 5, 7: 4, 5: 3, 4: 2, 2: 1 }[dlen] ?? 0;
    out.push(...quantum.slice(0, n));
  }
  return Uint8Array.from(out);
}
