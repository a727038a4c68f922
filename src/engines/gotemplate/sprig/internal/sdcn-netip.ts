/**
 * net.ParseIP as Go 1.26 implements it (through net/netip.ParseAddr): dotted IPv4 without
 * leading zeros, IPv6 with one "::" and an optional trailing IPv4, no zones.
 */

function parseIPv4(s: string, out: Uint8Array, at: number): boolean {
  let val = 0;
  let digLen = 0;
  let pos = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c >= '0' && c <= '9') {
      if (digLen === 1 && val === 0) return false; // leading zero
      val = val * 10 + (c.charCodeAt(0) - 0x30);
      digLen++;
      if (val > 255) return false;
    } else if (c === '.') {
      if (i === 0 || i === s.length - 1 || s[i - 1] === '.') return false;
      if (pos === 3) return false;
      out[at + pos] = val;
      pos++;
      val = 0;
      digLen = 0;
    } else {
      return false;
    }
  }
  if (pos < 3) return false;
  out[at + 3] = val;
  return true;
}

function hexValue(c: string): number {
  if (c >= '0' && c <= '9') return c.charCodeAt(0) - 0x30;
  if (c >= 'a' && c <= 'f') return c.charCodeAt(0) - 0x61 + 10;
  if (c >= 'A' && c <= 'F') return c.charCodeAt(0) - 0x41 + 10;
  return -1;
}

function parseIPv6(s: string): Uint8Array | undefined {
  if (s.includes('%')) return undefined; // net.ParseIP rejects zones
  const ip = new Uint8Array(16);
  let ellipsis = -1;
  if (s.startsWith('::')) {
    ellipsis = 0;
    s = s.slice(2);
    if (s.length === 0) return ip;
  }
  let i = 0;
  while (i < 16) {
    let off = 0;
    let acc = 0;
    for (; off < s.length; off++) {
      const v = hexValue(s[off]!);
      if (v < 0) break;
      acc = acc * 16 + v;
      if (off > 3 || acc > 0xffff) return undefined; // more than 4 digits in a group
    }
    if (off === 0) return undefined;
    if (off < s.length && s[off] === '.') {
      // A trailing IPv4 address, only in the last 32 bits.
      if ((ellipsis < 0 && i !== 12) || i + 4 > 16) return undefined;
      if (!parseIPv4(s, ip, i)) return undefined;
      s = '';
      i += 4;
      break;
    }
    ip[i] = acc >> 8;
    ip[i + 1] = acc & 0xff;
    i += 2;
    s = s.slice(off);
    if (s.length === 0) break;
    if (s[0] !== ':' || s.length === 1) return undefined;
    s = s.slice(1);
    if (s[0] === ':') {
      if (ellipsis >= 0) return undefined; // a second ::
      ellipsis = i;
      s = s.slice(1);
      if (s.length === 0) break;
    }
  }
  if (s.length !== 0) return undefined;
  if (i < 16) {
    if (ellipsis < 0) return undefined;
    const n = 16 - i;
    for (let j = i - 1; j >= ellipsis; j--) ip[j + n] = ip[j]!;
    ip.fill(0, ellipsis, ellipsis + n);
  } else if (ellipsis >= 0) {
    return undefined; // "::" must stand for at least one group
  }
  return ip;
}

/**
 * net.ParseIP(s) followed by To4 where possible: 4 bytes for IPv4 (and IPv4-mapped IPv6),
 * 16 for IPv6, undefined if s is not an address.
 */
export function parseGoIP(s: string): Uint8Array | undefined {
  for (const c of s) {
    if (c === '.') {
      const v4 = new Uint8Array(4);
      return parseIPv4(s, v4, 0) ? v4 : undefined;
    }
    if (c === ':') {
      const v6 = parseIPv6(s);
      if (!v6) return undefined;
      const mapped = v6.subarray(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
      return mapped ? v6.slice(12) : v6;
    }
    if (c === '%') return undefined;
  }
  return undefined;
}
