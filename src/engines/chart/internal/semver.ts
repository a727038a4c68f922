/**
 * Masterminds/semver v3.5.0 as helm uses it: NewVersion (coercing, so "1", "v1.2" and
 * "1.2.3-beta" are versions) and constraint checks (chartutil.IsCompatibleRange). Only the
 * boolean answers are reproduced, not the per-constraint error texts.
 */

/** A parsed semantic version. */
export interface SemVer {
  major: bigint;
  minor: bigint;
  patch: bigint;
  pre: string;
  metadata: string;
  original: string;
}

const MAX_VERSION_LEN = 256;
const MAX_CONSTRAINT_LEN = 512;
const MAX_CONSTRAINT_GROUPS = 32;
const UINT64_MAX = 2n ** 64n - 1n;

const LOOSE = /^v?([0-9]+)(\.[0-9]+)?(\.[0-9]+)?(-([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?(\+([0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*))?$/;
const ALLOWED = /^[0-9A-Za-z-]*$/;
const NUM = /^[0-9]*$/;

function parseUint(s: string): bigint | undefined {
  if (!/^[0-9]+$/.test(s)) return undefined;
  const n = BigInt(s);
  return n > UINT64_MAX ? undefined : n;
}

function validPrerelease(p: string): boolean {
  return p.split('.').every((part) => {
    if (part === '') return false;
    if (NUM.test(part)) return !(part.length > 1 && part[0] === '0');
    return ALLOWED.test(part);
  });
}

function validMetadata(m: string): boolean {
  return m.split('.').every((part) => part !== '' && ALLOWED.test(part));
}

/** semver.NewVersion; undefined when helm would reject the version. */
export function parseSemver(v: string): SemVer | undefined {
  if (v.length > MAX_VERSION_LEN) return undefined;
  const m = LOOSE.exec(v);
  if (!m) return undefined;
  const major = parseUint(m[1]!);
  const minor = m[2] ? parseUint(m[2].slice(1)) : 0n;
  const patch = m[3] ? parseUint(m[3].slice(1)) : 0n;
  if (major === undefined || minor === undefined || patch === undefined) return undefined;
  const pre = m[5] ?? '';
  const metadata = m[8] ?? '';
  if (pre !== '' && !validPrerelease(pre)) return undefined;
  if (metadata !== '' && !validMetadata(metadata)) return undefined;
  return { major, minor, patch, pre, metadata, original: v };
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return o !== '' ? -1 : 1;
  if (o === '') return s !== '' ? 1 : -1;
  const oi = parseUint(o);
  const si = parseUint(s);
  if (oi === undefined && si === undefined) return s > o ? 1 : -1;
  if (oi === undefined) return -1;
  if (si === undefined) return 1;
  return si > oi ? 1 : -1;
}

function comparePrerelease(v: string, o: string): number {
  const sp = v.split('.');
  const op = o.split('.');
  for (let i = 0; i < Math.max(sp.length, op.length); i++) {
    const d = comparePrePart(sp[i] ?? '', op[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare. */
export function compareSemver(v: SemVer, o: SemVer): number {
  const d = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

interface Constraint {
  con: SemVer;
  op: string;
  dirty: boolean;
  minorDirty: boolean;
  patchDirty: boolean;
}

const SP = '[\\t\\n\\f\\r ]';
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';
const CONSTRAINT = new RegExp(`^${SP}*(${OPS})${SP}*(${CV})${SP}*$`);
const RANGE = new RegExp(`${SP}*(${CV})${SP}+-${SP}+(${CV})${SP}*`, 'g');
const FIND = new RegExp(`(${OPS})${SP}*(${CV})`, 'g');
const VALID = new RegExp(`^(${SP}*(${OPS})${SP}*(${CV})${SP}*)((?:${SP}+|,${SP}*)(${OPS})${SP}*(${CV})${SP}*)*$`);

const isX = (s: string | undefined) => s === 'x' || s === '*' || s === 'X';

function parseConstraint(c: string): Constraint | undefined {
  if (c.length === 0) {
    return { con: parseSemver('0.0.0')!, op: '', dirty: true, minorDirty: false, patchDirty: false };
  }
  const m = CONSTRAINT.exec(c);
  if (!m) return undefined;
  const [, op = '', , major = '', minorPart = '', patchPart = '', pre = ''] = m;
  let ver = m[2]!;
  let dirty = false;
  let minorDirty = false;
  let patchDirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minorPart.replace(/^\./, '')) || minorPart === '') {
    minorDirty = dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patchPart.replace(/^\./, '')) || patchPart === '') {
    patchDirty = dirty = true;
    ver = `${major}${minorPart}.0${pre}`;
  }
  const con = parseSemver(ver);
  if (!con) return undefined;
  return { con, op, dirty, minorDirty, patchDirty };
}

/** A parsed constraint: OR groups of AND-ed constraints. */
export interface SemverConstraints {
  groups: Constraint[][];
  containsPre: boolean[];
}

/** semver.NewConstraint; undefined when the constraint does not parse. */
export function parseConstraints(input: string): SemverConstraints | undefined {
  if (input.length > MAX_CONSTRAINT_LEN) return undefined;
  let c = input;
  for (const m of input.matchAll(RANGE)) c = c.replace(m[0], `>= ${m[1]}, <= ${m[11]} `);
  const ors = c.split('||');
  if (ors.length > MAX_CONSTRAINT_GROUPS) return undefined;
  const groups: Constraint[][] = [];
  const containsPre: boolean[] = [];
  for (const part of ors) {
    if (!VALID.test(part)) return undefined;
    const found = [...part.matchAll(FIND)].map((m) => m[0]);
    const list = found.length > 0 ? found : [part];
    const group: Constraint[] = [];
    let pre = false;
    for (const s of list) {
      const pc = parseConstraint(s);
      if (!pc) return undefined;
      if (pc.con.pre !== '') pre = true;
      group.push(pc);
    }
    groups.push(group);
    containsPre.push(pre);
  }
  return { groups, containsPre };
}

function tilde(v: SemVer, c: Constraint): boolean {
  if (compareSemver(v, c.con) < 0) return false;
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return false;
  return !(v.minor !== c.con.minor && !c.minorDirty);
}

function checkOne(v: SemVer, c: Constraint, includePre: boolean): boolean {
  if (v.pre !== '' && !includePre) return false;
  const con = c.con;
  switch (c.op) {
    case '':
    case '=':
      return c.dirty ? tilde(v, c) : compareSemver(v, con) === 0;
    case '!=':
      if (c.dirty) {
        if (con.major !== v.major) return true;
        if (con.minor !== v.minor && !c.minorDirty) return true;
        if (c.minorDirty) return false;
        if (con.patch !== v.patch && !c.patchDirty) return true;
        if (c.patchDirty) {
          if (v.pre !== '' || con.pre !== '') return comparePrerelease(v.pre, con.pre) !== 0;
          return false;
        }
      }
      return compareSemver(v, con) !== 0;
    case '>':
      if (!c.dirty) return compareSemver(v, con) === 1;
      if (v.major > con.major) return true;
      if (v.major < con.major || c.minorDirty) return false;
      if (c.patchDirty) return v.minor > con.minor;
      return compareSemver(v, con) === 1;
    case '<':
      return compareSemver(v, con) < 0;
    case '>=':
    case '=>':
      return compareSemver(v, con) >= 0;
    case '<=':
    case '=<':
      if (!c.dirty) return compareSemver(v, con) <= 0;
      if (v.major > con.major) return false;
      return !(v.major === con.major && v.minor > con.minor && !c.minorDirty);
    case '~':
    case '~>':
      return tilde(v, c);
    case '^':
      if (compareSemver(v, con) < 0) return false;
      if (con.major > 0n || c.minorDirty) return v.major === con.major;
      if (con.major === 0n && v.major > 0n) return false;
      if (con.minor > 0n || c.patchDirty) return v.minor === con.minor;
      if (con.minor === 0n && v.minor > 0n) return false;
      return con.patch === v.patch;
    default:
      return false;
  }
}

/** Constraints.Check. */
export function checkConstraints(cs: SemverConstraints, v: SemVer): boolean {
  return cs.groups.some((group, i) => group.every((c) => checkOne(v, c, cs.containsPre[i]!)));
}

/** chartutil.IsCompatibleRange: whether `version` satisfies `constraint`; false when either does not parse. */
export function isCompatibleRange(constraint: string, version: string): boolean {
  const v = parseSemver(version);
  if (!v) return false;
  const cs = parseConstraints(constraint);
  if (!cs) return false;
  return checkConstraints(cs, v);
}
