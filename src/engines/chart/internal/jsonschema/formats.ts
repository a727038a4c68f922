import { goQuote } from '../../../goruntime/index.js';
import { compileGoRegexp } from './regexp.js';

/**
 * The `format` checks of santhosh-tekuri/jsonschema v6 (format.go), with their messages.
 * `uri`, `uri-reference` and `uri-template` follow Go's net/url only approximately.
 * Non-strings always pass; unknown formats are not checked.
 */

type Check = (s: string) => string | undefined;

function quoteRune(ch: string): string {
  const q = goQuote(ch);
  return `'${q.slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

function jsonPointer(s: string): string | undefined {
  if (s === '') return undefined;
  if (!s.startsWith('/')) return 'not starting with /';
  for (const tok of s.split('/').slice(1)) {
    let escape = false;
    for (const ch of tok) {
      if (escape) {
        escape = false;
        if (ch !== '0' && ch !== '1') return '~ must be followed by 0 or 1';
        continue;
      }
      if (ch === '~') {
        escape = true;
        continue;
      }
      const cp = ch.codePointAt(0)!;
      if (!((cp >= 0 && cp <= 0x2e) || (cp >= 0x30 && cp <= 0x7d) || cp >= 0x7f)) return `invalid character ${quoteRune(ch)}`;
    }
    if (escape) return '~ must be followed by 0 or 1';
  }
  return undefined;
}

function relativeJsonPointer(s: string): string | undefined {
  const digits = /^[0-9]*/.exec(s)![0].length;
  if (digits === 0) return 'must start with non-negative integer';
  if (digits > 1 && s.startsWith('0')) return 'starts with zero';
  const rest = s.slice(digits);
  return rest === '#' ? undefined : jsonPointer(rest);
}

function uuid(s: string): string | undefined {
  const sizes = [8, 4, 4, 4, 12];
  const groups = s.split('-');
  if (groups.length !== sizes.length) return `must have ${sizes.length} elements`;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (g.length !== sizes[i]) return `element ${i + 1} must be ${sizes[i]} characters long`;
    for (const ch of g) if (!/[0-9a-fA-F]/.test(ch)) return `non-hex character ${quoteRune(ch)}`;
  }
  return undefined;
}

function duration(s0: string): string | undefined {
  if (!s0.startsWith('P')) return 'must start with P';
  let s = s0.slice(1);
  if (s === '') return 'nothing after P';
  if (s.endsWith('W')) {
    s = s.slice(0, -1);
    if (s === '') return 'no number in week';
    return /^[0-9]*$/.test(s) ? undefined : 'invalid week';
  }
  const allUnits = ['YMD', 'HMS'];
  const parts = s.split('T');
  for (let i = 0; i < parts.length; i++) {
    let part = parts[i]!;
    if (i !== 0 && part === '') return 'no time elements';
    if (i >= allUnits.length) return 'more than one T';
    let units = allUnits[i]!;
    while (part !== '') {
      const digits = /^[0-9]*/.exec(part)![0].length;
      if (digits === 0) return 'missing number';
      part = part.slice(digits);
      if (part === '') return 'missing unit';
      const unit = part[0]!;
      const j = units.indexOf(unit);
      if (j === -1) {
        if (allUnits[i]!.includes(unit)) return `unit ${quoteRune(unit)} out of order`;
        return `invalid unit ${quoteRune(unit)}`;
      }
      units = units.slice(j + 1);
      part = part.slice(1);
    }
  }
  return undefined;
}

function ipv4(s: string): string | undefined {
  const groups = s.split('.');
  if (groups.length !== 4) return 'expected four decimals';
  for (const g of groups) {
    if (g.length > 1 && g[0] === '0') return 'leading zeros';
    if (!/^[+-]?[0-9]+$/.test(g)) return `strconv.Atoi: parsing ${goQuote(g)}: invalid syntax`;
    const n = Number(g);
    if (n < 0 || n > 255) return 'decimal must be between 0 and 255';
  }
  return undefined;
}

/** netip.ParseAddr for IPv6 text (approximate messages). */
function ipv6(s: string): string | undefined {
  if (!s.includes(':')) return 'missing colon';
  let addr = s;
  const pct = addr.indexOf('%');
  if (pct >= 0) {
    if (pct === addr.length - 1) return `ParseAddr(${goQuote(s)}): zone must be a non-empty string`;
    return 'zone id is not a part of ipv6 address';
  }
  const groups = 8;
  const lastColon = addr.lastIndexOf(':');
  const tail = addr.slice(lastColon + 1);
  if (tail.includes('.')) {
    if (ipv4(tail) !== undefined) return `ParseAddr(${goQuote(s)}): invalid IPv4 field`;
    addr = `${addr.slice(0, lastColon + 1)}0:0`;
  }
  const halves = addr.split('::');
  if (halves.length > 2) return `ParseAddr(${goQuote(s)}): multiple :: in address`;
  const parse = (part: string) => (part === '' ? [] : part.split(':'));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  for (const g of [...left, ...right]) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return `ParseAddr(${goQuote(s)}): unexpected character`;
  }
  const count = left.length + right.length;
  if (halves.length === 1 ? count !== groups : count > groups - 1) return `ParseAddr(${goQuote(s)}): address string too ${count < groups ? 'short' : 'long'}`;
  return undefined;
}

function hostname(s0: string): string | undefined {
  const s = s0.endsWith('.') ? s0.slice(0, -1) : s0;
  if (new TextEncoder().encode(s).length > 253) return 'more than 253 characters long';
  for (const label of s.split('.')) {
    const len = new TextEncoder().encode(label).length;
    if (len < 1 || len > 63) return 'label must be 1 to 63 characters long';
    if (label.startsWith('-')) return 'label starts with hyphen';
    if (label.endsWith('-')) return 'label ends with hyphen';
    for (const ch of label) if (!/[a-zA-Z0-9-]/.test(ch)) return `invalid character ${quoteRune(ch)}`;
  }
  return undefined;
}

function email(s: string): string | undefined {
  if (new TextEncoder().encode(s).length > 254) return 'more than 255 characters long';
  const at = s.lastIndexOf('@');
  if (at === -1) return 'missing @';
  const local = s.slice(0, at);
  let domain = s.slice(at + 1);
  if (new TextEncoder().encode(local).length > 64) return 'local part more than 64 characters long';
  if (local.length > 1 && local.startsWith('"') && local.endsWith('"')) {
    const inner = local.slice(1, -1);
    if (inner.includes('\\') || inner.includes('"')) return 'backslash and quote are not allowed within quoted local part';
  } else {
    if (local.startsWith('.')) return 'starts with dot';
    if (local.endsWith('.')) return 'ends with dot';
    if (local.includes('..')) return 'consecutive dots';
    for (const ch of local) if (!/[a-zA-Z0-9.!#$%&'*+\-/=?^_`{|}~]/.test(ch)) return `invalid character ${quoteRune(ch)}`;
  }
  if (domain.startsWith('[') && domain.endsWith(']')) {
    domain = domain.slice(1, -1);
    if (domain.startsWith('IPv6:')) {
      const err = ipv6(domain.slice(5));
      return err === undefined ? undefined : `invalid ipv6 address: ${err}`;
    }
    const err = ipv4(domain);
    return err === undefined ? undefined : `invalid ipv4 address: ${err}`;
  }
  const err = hostname(domain);
  return err === undefined ? undefined : `invalid domain: ${err}`;
}

/** time.Parse("2006-01-02", s) with Go's messages for the usual failures. */
function date(s: string): string | undefined {
  const layout = ['2006', '-', '01', '-', '02'];
  let rest = s;
  const values: number[] = [];
  for (const elem of layout) {
    if (elem === '-') {
      if (!rest.startsWith('-')) return `parsing time ${goQuote(s)} as "2006-01-02": cannot parse ${goQuote(rest)} as "-"`;
      rest = rest.slice(1);
      continue;
    }
    const width = elem.length;
    const part = rest.slice(0, width);
    if (part.length < width || !/^[0-9]+$/.test(part)) {
      return `parsing time ${goQuote(s)} as "2006-01-02": cannot parse ${goQuote(rest)} as ${goQuote(elem)}`;
    }
    values.push(Number(part));
    rest = rest.slice(width);
  }
  if (rest !== '') return `parsing time ${goQuote(s)}: extra text: ${goQuote(rest)}`;
  const [y, m, d] = values as [number, number, number];
  if (m < 1 || m > 12) return `parsing time ${goQuote(s)}: month out of range`;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]!;
  if (d < 1 || d > days) return `parsing time ${goQuote(s)}: day out of range`;
  return undefined;
}

function time(str0: string): string | undefined {
  let str = str0;
  if (new TextEncoder().encode(str).length < 9) return 'less than 9 characters long';
  if (str[2] !== ':' || str[5] !== ':') return 'missing colon in correct place';
  const hms: number[] = [];
  for (const tok of str.slice(0, 8).split(':')) {
    if (!/^[+-]?[0-9]+$/.test(tok)) return 'invalid hour/min/sec';
    const i = Number(tok);
    if (i < 0) return 'non-positive hour/min/sec';
    hms.push(i);
  }
  if (hms.length !== 3) return 'missing hour/min/sec';
  let [h, m] = hms as [number, number, number];
  const sec = hms[2]!;
  if (h > 23 || m > 59 || sec > 60) return 'hour/min/sec out of range';
  str = str.slice(8);
  if (str.startsWith('.')) {
    const rem = str.slice(1);
    const digits = /^[0-9]*/.exec(rem)![0].length;
    if (digits === 0) return 'no digits in second fraction';
    str = rem.slice(digits);
  }
  if (str !== 'z' && str !== 'Z') {
    if (str.length !== 6) return 'offset must be 6 characters long';
    let sign: number;
    if (str[0] === '+') sign = -1;
    else if (str[0] === '-') sign = 1;
    else return 'offset must begin with plus/minus';
    str = str.slice(1);
    if (str[2] !== ':') return 'missing colon in offset in correct place';
    const zhm: number[] = [];
    for (const tok of str.split(':').slice(0, 2)) {
      if (!/^[+-]?[0-9]+$/.test(tok)) return 'invalid hour/min in offset';
      const i = Number(tok);
      if (i < 0) return 'non-positive hour/min in offset';
      zhm.push(i);
    }
    const [zh, zm] = zhm as [number, number];
    if (zh > 23 || zm > 59) return 'hour/min in offset out of range';
    let hm = h * 60 + m + sign * (zh * 60 + zm);
    if (hm < 0) hm += 24 * 60;
    h = Math.floor(hm / 60);
    m = hm % 60;
  }
  if (sec >= 60 && (h !== 23 || m !== 59)) return 'invalid leap second';
  return undefined;
}

function dateTime(s: string): string | undefined {
  if (new TextEncoder().encode(s).length < 20) return 'less than 20 characters long';
  if (s[10] !== 't' && s[10] !== 'T') return '11th character must be t or T';
  const d = date(s.slice(0, 10));
  if (d !== undefined) return `invalid date element: ${d}`;
  const t = time(s.slice(11));
  if (t !== undefined) return `invalid time element: ${t}`;
  return undefined;
}

/** Go's url.Parse, approximately: the scheme, escapes, control characters and brackets it checks. */
function parseUrl(s: string): { error?: string; scheme: string } {
  const fail = (why: string) => ({ error: `parse ${goQuote(s)}: ${why}`, scheme: '' });
  if ([...s].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f')) return { error: `parse ${goQuote(s)}: net/url: invalid control character in URL`, scheme: '' };
  let rest = s;
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  let scheme = '';
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (m) {
    scheme = m[1]!;
    rest = rest.slice(m[0].length);
  } else if (rest.startsWith(':')) {
    return fail('missing protocol scheme');
  }
  const bad = /%(?![0-9a-fA-F]{2})(.{0,2})/.exec(rest);
  if (bad) return fail(`invalid URL escape ${goQuote(`%${bad[1]}`)}`);
  if (!scheme) {
    const firstSeg = rest.split('?')[0]!.split('/')[0]!;
    if (!rest.startsWith('/') && firstSeg.includes(':')) return fail('first path segment in URL cannot contain colon');
  }
  if (rest.startsWith('//')) {
    const authority = rest.slice(2).split(/[/?]/)[0]!;
    const host = authority.slice(authority.lastIndexOf('@') + 1);
    if (host.includes('[') && !host.includes(']')) return fail("missing ']' in host");
    const hostName = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:[0-9]*$/, '');
    if (hostName.includes(':')) {
      if (!host.includes('[') || !host.includes(']')) return { error: 'ipv6 address not enclosed in brackets', scheme };
      const err = ipv6(hostName);
      if (err !== undefined) return { error: `invalid ipv6 address: ${err}`, scheme };
    }
  }
  return { scheme };
}

function uri(s: string): string | undefined {
  const u = parseUrl(s);
  if (u.error !== undefined) return u.error;
  return u.scheme === '' ? 'relative url' : undefined;
}

function uriReference(s: string): string | undefined {
  if (s.includes('\\')) return 'contains \\';
  return parseUrl(s).error;
}

function uriTemplate(s: string): string | undefined {
  const u = parseUrl(s);
  if (u.error !== undefined) return u.error;
  return undefined;
}

function period(s: string): string | undefined {
  const slash = s.indexOf('/');
  if (slash === -1) return 'missing slash';
  const start = s.slice(0, slash);
  const end = s.slice(slash + 1);
  if (start.startsWith('P')) {
    const e1 = duration(start);
    if (e1 !== undefined) return `invalid start duration: ${e1}`;
    const e2 = dateTime(end);
    if (e2 !== undefined) return `invalid end date-time: ${e2}`;
    return undefined;
  }
  const e1 = dateTime(start);
  if (e1 !== undefined) return `invalid start date-time: ${e1}`;
  if (end.startsWith('P')) {
    const e2 = duration(end);
    return e2 === undefined ? undefined : `invalid end duration: ${e2}`;
  }
  const e2 = dateTime(end);
  return e2 === undefined ? undefined : `invalid end date-time: ${e2}`;
}

function semver(s0: string): string | undefined {
  let s = s0;
  const plus = s.indexOf('+');
  if (plus !== -1) {
    const build = s.slice(plus + 1);
    if (build === '') return 'build is empty';
    for (const id of build.split('.')) {
      if (id === '') return 'build identifier is empty';
      for (const ch of id) if (!/[0-9a-zA-Z-]/.test(ch)) return `invalid character ${quoteRune(ch)} in build identifier`;
    }
    s = s.slice(0, plus);
  }
  const dash = s.indexOf('-');
  if (dash !== -1) {
    for (const id of s.slice(dash + 1).split('.')) {
      if (id === '') return 'pre-release identifier is empty';
      let allDigits = true;
      for (const ch of id) {
        if (/[0-9]/.test(ch)) continue;
        if (/[a-zA-Z-]/.test(ch)) allDigits = false;
        else return `invalid character ${quoteRune(ch)} in pre-release identifier`;
      }
      if (allDigits && id.length > 1 && id[0] === '0') return 'pre-release numeric identifier starts with zero';
    }
    s = s.slice(0, dash);
  }
  const versions = s.split('.');
  if (versions.length !== 3) return 'versionCore must have 3 numbers separated by dot';
  const names = ['major', 'minor', 'patch'];
  for (let i = 0; i < 3; i++) {
    const v = versions[i]!;
    if (v === '') return `${names[i]} is empty`;
    if (v.length > 1 && v[0] === '0') return `${names[i]} starts with zero`;
    if (!/^[0-9]+$/.test(v)) return `${names[i]} contains non-digit`;
  }
  return undefined;
}

function regex(s: string): string | undefined {
  const r = compileGoRegexp(s);
  return 'error' in r ? r.error : undefined;
}

const FORMATS: Record<string, Check> = {
  'json-pointer': jsonPointer,
  'relative-json-pointer': relativeJsonPointer,
  uuid,
  duration,
  period,
  ipv4,
  ipv6,
  hostname,
  email,
  date,
  time,
  'date-time': dateTime,
  uri,
  iri: uri,
  'uri-reference': uriReference,
  'iri-reference': uriReference,
  'uri-template': uriTemplate,
  semver,
  regex,
};

/** The check for a format name, or undefined for formats the library does not know (never checked). */
export function formatCheck(name: string): ((v: unknown) => string | undefined) | undefined {
  const check = FORMATS[name];
  if (!check) return undefined;
  return (v) => (typeof v === 'string' ? check(v) : undefined);
}
