/**
 * Just enough ASN.1 DER to write X.509 certificates the way Go's encoding/asn1 does and to
 * read back the parts of keys and certificates sprig needs. Node's crypto parses and signs,
 * but cannot build a certificate.
 */

export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  PRINTABLE_STRING: 0x13,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
} as const;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** A TLV with the given identifier octet. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const body = concat(content);
  return concat([new Uint8Array([tag, ...lengthBytes(body.length)]), body]);
}

export const seq = (...items: Uint8Array[]) => tlv(TAG.SEQUENCE, ...items);
export const set = (...items: Uint8Array[]) => tlv(TAG.SET, ...items);
export const nullValue = () => tlv(TAG.NULL);
export const octetString = (b: Uint8Array) => tlv(TAG.OCTET_STRING, b);
export const bool = (v: boolean) => tlv(TAG.BOOLEAN, new Uint8Array([v ? 0xff : 0]));
/** [n] EXPLICIT. */
export const explicit = (n: number, ...content: Uint8Array[]) => tlv(0xa0 | n, ...content);
/** [n] IMPLICIT, primitive. */
export const implicit = (n: number, content: Uint8Array) => tlv(0x80 | n, content);

/** INTEGER, minimal two's complement, as Go marshals a *big.Int. */
export function integer(v: bigint): Uint8Array {
  if (v === 0n) return tlv(TAG.INTEGER, new Uint8Array([0]));
  const bytes: number[] = [];
  if (v > 0n) {
    for (let x = v; x > 0n; x >>= 8n) bytes.unshift(Number(x & 0xffn));
    if (bytes[0]! & 0x80) bytes.unshift(0);
  } else {
    let x = v;
    for (;;) {
      bytes.unshift(Number(x & 0xffn));
      x >>= 8n;
      if (x === -1n && bytes[0]! & 0x80) break;
    }
  }
  return tlv(TAG.INTEGER, new Uint8Array(bytes));
}

/** OBJECT IDENTIFIER from dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map((a) => BigInt(a));
  const out: number[] = [];
  const push = (v: bigint) => {
    const groups: number[] = [Number(v & 0x7fn)];
    for (let x = v >> 7n; x > 0n; x >>= 7n) groups.unshift(Number(x & 0x7fn) | 0x80);
    out.push(...groups);
  };
  push(arcs[0]! * 40n + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(TAG.OID, new Uint8Array(out));
}

/** BIT STRING with no unused bits, or with Go's count of trailing zero bits when `trim` is set. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(TAG.BIT_STRING, new Uint8Array([unusedBits]), bytes);
}

/** A string as Go marshals an untagged string: PrintableString if it can be, else UTF8String. */
export function goString(s: string): Uint8Array {
  const printable = /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(s);
  return tlv(printable ? TAG.PRINTABLE_STRING : TAG.UTF8_STRING, new TextEncoder().encode(s));
}

/** A time as Go marshals time.Time: UTCTime for 1950–2049, else GeneralizedTime; whole seconds, UTC. */
export function goTime(ms: number): Uint8Array {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const two = (n: number) => String(n).padStart(2, '0');
  const rest = two(d.getUTCMonth() + 1) + two(d.getUTCDate()) + two(d.getUTCHours()) + two(d.getUTCMinutes()) + two(d.getUTCSeconds()) + 'Z';
  if (y >= 1950 && y < 2050) return tlv(TAG.UTC_TIME, new TextEncoder().encode(two(y % 100) + rest));
  return tlv(TAG.GENERALIZED_TIME, new TextEncoder().encode(String(y).padStart(4, '0') + rest));
}

// --- reading ----------------------------------------------------------------------------------

/** One decoded TLV: its tag, contents, and the whole encoding. */
export interface Der {
  tag: number;
  contents: Uint8Array;
  raw: Uint8Array;
}

export class DerError extends Error {}

/** Reads the TLV at `at`; throws DerError on malformed input. */
export function readDer(buf: Uint8Array, at = 0): Der {
  if (at + 2 > buf.length) throw new DerError('asn1: syntax error: data truncated');
  const tag = buf[at]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('asn1: syntax error: multi-byte tags are not supported');
  let len = buf[at + 1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('asn1: syntax error: indefinite or too long length');
    len = 0;
    for (let i = 0; i < n; i++) {
      if (at + 2 + i >= buf.length) throw new DerError('asn1: syntax error: data truncated');
      len = len * 256 + buf[at + 2 + i]!;
    }
    head += n;
  }
  if (at + head + len > buf.length) throw new DerError('asn1: syntax error: data truncated');
  return { tag, contents: buf.subarray(at + head, at + head + len), raw: buf.subarray(at, at + head + len) };
}

/** The elements of a constructed value (SEQUENCE, SET, [n]). */
export function children(d: Der): Der[] {
  const out: Der[] = [];
  for (let at = 0; at < d.contents.length; ) {
    const c = readDer(d.contents, at);
    out.push(c);
    at += c.raw.length;
  }
  return out;
}

/** An INTEGER's value. */
export function readInteger(d: Der): bigint {
  if (d.tag !== TAG.INTEGER || d.contents.length === 0) throw new DerError('asn1: structure error: tags don\'t match');
  let v = 0n;
  for (const b of d.contents) v = (v << 8n) | BigInt(b);
  if (d.contents[0]! & 0x80) v -= 1n << BigInt(d.contents.length * 8);
  return v;
}

/** An OBJECT IDENTIFIER in dotted form. */
export function readOid(d: Der): string {
  const arcs: bigint[] = [];
  let v = 0n;
  for (const b of d.contents) {
    v = (v << 7n) | BigInt(b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(v);
      v = 0n;
    }
  }
  const first = arcs.shift() ?? 0n;
  const a = first < 80n ? first / 40n : 2n;
  return [a, first - a * 40n, ...arcs].join('.');
}
