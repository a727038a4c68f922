/**
 * sprig's `semver` and `semverCompare`, with Masterminds/semver v3.5.0 (the version helm
 * v3.22.0 pins) underneath: version.go (NewVersion in its default coercing mode, Compare,
 * the Inc/Set methods) and constraints.go (the constraint grammar: `||` groups, `,` or space
 * separated ANDs, `a - b` ranges, `^`, `~`, `x`/`X`/`*` wildcards, `v` prefixes and the rule
 * that a group only matches prereleases when one of its constraints names a prerelease).
 * Error messages are the library's, word for word.
 */
import { GoFuncError, GoStruct, defineFunc, goTypeName } from '../values.js';
import type { GoFunc } from '../values.js';
import { goQuote } from '../../goruntime/index.js';
import { byteLength } from './internal/bytes.js';

/** A parsed semantic version, the fields of Masterminds' Version. */
export interface SemverVersion {
  readonly major: bigint;
  readonly minor: bigint;
  readonly patch: bigint;
  readonly pre: string;
  readonly metadata: string;
  /** The text the version was parsed from (for Inc/Set results: the `v` prefix plus String()). */
  readonly original: string;
}

/** An error from Masterminds/semver, with its message. */
export class SemverError extends Error {}

const MAX_UINT64 = (1n << 64n) - 1n;
/** MaxVersionLen and MaxConstraintLen / MaxConstraintGroups of v3.5.0. */
const MAX_VERSION_LEN = 256;
const MAX_CONSTRAINT_LEN = 512;
const MAX_CONSTRAINT_GROUPS = 32;

export const ERR_INVALID_SEMVER = 'invalid semantic version';
export const ERR_INVALID_PRERELEASE = 'invalid prerelease string';
export const ERR_INVALID_METADATA = 'invalid metadata string';
export const ERR_SEGMENT_STARTS_ZERO = 'version segment starts with 0';
export const ERR_VERSION_TOO_LONG = `version string is too long (max ${MAX_VERSION_LEN} bytes)`;
export const ERR_CONSTRAINT_TOO_LONG = `constraint string is too long (max ${MAX_CONSTRAINT_LEN} bytes)`;
export const ERR_TOO_MANY_GROUPS = `too many constraint groups (max ${MAX_CONSTRAINT_GROUPS})`;

// Go's RE2 `\s` is [\t\n\f\r ] (no \v, no Unicode spaces); `\d` is ASCII in both.
const WS = '[\\t\\n\\f\\r ]';
const LOOSE_SEMVER = 'v?([0-9]+)(\\.[0-9]+)?(\\.[0-9]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const CV = 'v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?';
const OPS = '=||!=|>|<|>=|=>|<=|=<|~|~>|\\^';

const looseVersionRe = new RegExp(`^${LOOSE_SEMVER}$`);
const constraintRe = new RegExp(`^${WS}*(${OPS})${WS}*(${CV})${WS}*$`);
const constraintRangeRe = new RegExp(`${WS}*(${CV})${WS}+-${WS}+(${CV})${WS}*`, 'g');
const findConstraintRe = new RegExp(`(${OPS})${WS}*(${CV})`, 'g');
const cvStickyRe = new RegExp(CV, 'y');

const ALLOWED = /^[0-9A-Za-z-]*$/;
const DIGITS = /^[0-9]*$/;

/** strconv.ParseUint(s, 10, 64) for a string of ASCII digits. */
function parseUint64(s: string): bigint {
  const n = BigInt(s);
  if (n > MAX_UINT64) {
    throw new SemverError(`error parsing version segment: strconv.ParseUint: parsing ${goQuote(s)}: value out of range`);
  }
  return n;
}

function validatePrerelease(p: string): void {
  for (const part of p.split('.')) {
    if (part === '') throw new SemverError(ERR_INVALID_PRERELEASE);
    if (DIGITS.test(part)) {
      if (part.length > 1 && part[0] === '0') throw new SemverError(ERR_SEGMENT_STARTS_ZERO);
    } else if (!ALLOWED.test(part)) {
      throw new SemverError(ERR_INVALID_PRERELEASE);
    }
  }
}

function validateMetadata(m: string): void {
  for (const part of m.split('.')) {
    if (part === '' || !ALLOWED.test(part)) throw new SemverError(ERR_INVALID_METADATA);
  }
}

/**
 * semver.NewVersion with CoerceNewVersion on (the library default, so what sprig gets):
 * accepts "1", "v1.2", leading zeros in number segments, and fills missing parts with 0.
 * Throws SemverError with the library's message.
 */
export function parseSemver(v: string): SemverVersion {
  if (byteLength(v) > MAX_VERSION_LEN) throw new SemverError(ERR_VERSION_TOO_LONG);
  const m = looseVersionRe.exec(v);
  if (!m) throw new SemverError(ERR_INVALID_SEMVER);
  const version = {
    major: parseUint64(m[1]!),
    minor: m[2] ? parseUint64(m[2].slice(1)) : 0n,
    patch: m[3] ? parseUint64(m[3].slice(1)) : 0n,
    pre: m[5] ?? '',
    metadata: m[8] ?? '',
    original: v,
  };
  if (version.pre !== '') validatePrerelease(version.pre);
  if (version.metadata !== '') validateMetadata(version.metadata);
  return version;
}

/** Version.String(): major.minor.patch[-pre][+metadata], without any `v`. */
export function semverString(v: SemverVersion): string {
  let s = `${v.major}.${v.minor}.${v.patch}`;
  if (v.pre !== '') s += `-${v.pre}`;
  if (v.metadata !== '') s += `+${v.metadata}`;
  return s;
}

function cmp(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isUint64(s: string): boolean {
  return s !== '' && DIGITS.test(s) && BigInt(s) <= MAX_UINT64;
}

function comparePrePart(s: string, o: string): number {
  if (s === o) return 0;
  if (s === '') return -1;
  if (o === '') return 1;
  const sNum = isUint64(s);
  const oNum = isUint64(o);
  if (!sNum && !oNum) return s > o ? 1 : -1; // both strings compare bytewise (ASCII here)
  if (!oNum) return -1;
  if (!sNum) return 1;
  return BigInt(s) > BigInt(o) ? 1 : -1;
}

function comparePrerelease(a: string, b: string): number {
  const ap = a.split('.');
  const bp = b.split('.');
  const n = Math.max(ap.length, bp.length);
  for (let i = 0; i < n; i++) {
    const d = comparePrePart(ap[i] ?? '', bp[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

/** Version.Compare: -1, 0 or 1; metadata is ignored, a prerelease sorts before its release. */
export function compareSemver(v: SemverVersion, o: SemverVersion): number {
  const d = cmp(v.major, o.major) || cmp(v.minor, o.minor) || cmp(v.patch, o.patch);
  if (d !== 0) return d;
  if (v.pre === '' && o.pre === '') return 0;
  if (v.pre === '') return 1;
  if (o.pre === '') return -1;
  return comparePrerelease(v.pre, o.pre);
}

function vPrefix(v: SemverVersion): string {
  return v.original.startsWith('v') ? 'v' : '';
}

function withOriginal(from: SemverVersion, next: Omit<SemverVersion, 'original'>): SemverVersion {
  return { ...next, original: vPrefix(from) + semverString({ ...next, original: '' }) };
}

/** Version.IncPatch: drops prerelease and metadata; bumps the patch only for a release. */
export function incPatch(v: SemverVersion): SemverVersion {
  if (v.pre !== '') return withOriginal(v, { ...v, pre: '', metadata: '' });
  if (v.patch === MAX_UINT64) throw new GoFuncError('patch version increment would overflow uint64');
  return withOriginal(v, { ...v, pre: '', metadata: '', patch: v.patch + 1n });
}

/** Version.IncMinor. */
export function incMinor(v: SemverVersion): SemverVersion {
  if (v.minor === MAX_UINT64) throw new GoFuncError('minor version increment would overflow uint64');
  return withOriginal(v, { ...v, pre: '', metadata: '', patch: 0n, minor: v.minor + 1n });
}

/** Version.IncMajor. */
export function incMajor(v: SemverVersion): SemverVersion {
  if (v.major === MAX_UINT64) throw new GoFuncError('major version increment would overflow uint64');
  return withOriginal(v, { ...v, pre: '', metadata: '', patch: 0n, minor: 0n, major: v.major + 1n });
}

// ---------------------------------------------------------------------------------------------
// Constraints

interface Constraint {
  con: SemverVersion;
  orig: string;
  op: string;
  minorDirty: boolean;
  patchDirty: boolean;
  dirty: boolean;
}

/** A parsed constraint string: OR groups of AND-ed constraints. */
export interface SemverConstraints {
  readonly groups: readonly (readonly Constraint[])[];
  /** Per group: does one of its constraints name a prerelease (then the group matches prereleases). */
  readonly containsPre: readonly boolean[];
}

function isX(s: string): boolean {
  return s === 'x' || s === '*' || s === 'X';
}

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\f' || c === '\r';
}

const OP_LIST = ['!=', '>=', '=>', '<=', '=<', '~>', '=', '>', '<', '~', '^'];

/**
 * validConstraintRegex.MatchString, as a scanner: the regex's nested `\s*` make JavaScript's
 * backtracking engine exponential on some invalid inputs, where Go's RE2 is linear. Whitespace
 * runs are taken whole and operators longest-first, which accepts exactly the same strings.
 */
function isValidGroup(s: string): boolean {
  let i = 0;
  const skipWs = () => {
    const start = i;
    while (isWs(s[i])) i++;
    return i > start;
  };
  const opAndVersion = () => {
    const op = OP_LIST.find((o) => s.startsWith(o, i));
    if (op) i += op.length;
    skipWs();
    cvStickyRe.lastIndex = i;
    const m = cvStickyRe.exec(s);
    if (!m) return false;
    i += m[0].length;
    return true;
  };
  skipWs();
  if (!opAndVersion()) return false;
  for (;;) {
    const sawWs = skipWs();
    if (i === s.length) return true;
    let sep = sawWs;
    if (s[i] === ',') {
      i++;
      skipWs();
      sep = true;
    }
    if (!sep || !opAndVersion()) return false;
  }
}

/** rewriteRange: each "a - b" becomes ">= a, <= b ". */
function rewriteRange(c: string): string {
  let out = c;
  for (const m of c.matchAll(constraintRangeRe)) {
    const at = out.indexOf(m[0]);
    if (at >= 0) out = out.slice(0, at) + `>= ${m[1]}, <= ${m[11]} ` + out.slice(at + m[0].length);
  }
  return out;
}

function parseConstraint(c: string): Constraint {
  if (c.length === 0) {
    return { con: parseSemver('0.0.0'), orig: c, op: '', minorDirty: false, patchDirty: false, dirty: true };
  }
  const m = constraintRe.exec(c);
  if (!m) throw new SemverError(`improper constraint: ${goQuote(c)}`);
  const [, op = '', orig = '', major = '', minor = '', patch = '', pre = ''] = m;
  let ver = orig;
  let minorDirty = false;
  let patchDirty = false;
  let dirty = false;
  if (isX(major) || major === '') {
    ver = `0.0.0${pre}`;
    dirty = true;
  } else if (isX(minor.replace(/^\./, '')) || minor === '') {
    minorDirty = true;
    dirty = true;
    ver = `${major}.0.0${pre}`;
  } else if (isX(patch.replace(/^\./, '')) || patch === '') {
    dirty = true;
    patchDirty = true;
    ver = `${major}${minor}.0${pre}`;
  }
  let con: SemverVersion;
  try {
    con = parseSemver(ver);
  } catch {
    throw new SemverError('constraint parser error');
  }
  return { con, orig, op, minorDirty, patchDirty, dirty };
}

/** semver.NewConstraint. Throws SemverError. */
export function parseConstraints(c: string): SemverConstraints {
  if (byteLength(c) > MAX_CONSTRAINT_LEN) throw new SemverError(ERR_CONSTRAINT_TOO_LONG);
  const ors = rewriteRange(c).split('||');
  if (ors.length > MAX_CONSTRAINT_GROUPS) throw new SemverError(ERR_TOO_MANY_GROUPS);
  const groups: Constraint[][] = [];
  const containsPre: boolean[] = [];
  for (const v of ors) {
    if (!isValidGroup(v)) throw new SemverError(`improper constraint: ${goQuote(v)}`);
    const found = [...v.matchAll(findConstraintRe)].map((m) => m[0]);
    const parts = found.length > 0 ? found : [v];
    const group = parts.map(parseConstraint);
    groups.push(group);
    containsPre.push(group.some((pc) => pc.con.pre !== ''));
  }
  return { groups, containsPre };
}

type CheckResult = true | string;

function q(v: SemverVersion): string {
  return goQuote(semverString(v));
}

function notPre(v: SemverVersion, includePre: boolean): string | undefined {
  if (v.pre !== '' && !includePre) {
    return `${q(v)} is a prerelease version and the constraint is only looking for release versions`;
  }
  return undefined;
}

function checkNotEqual(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  const equalMsg = `${q(v)} is equal to ${goQuote(c.orig)}`;
  if (c.dirty) {
    if (c.con.major !== v.major) return true;
    if (c.con.minor !== v.minor && !c.minorDirty) return true;
    else if (c.minorDirty) return equalMsg;
    else if (c.con.patch !== v.patch && !c.patchDirty) return true;
    else if (c.patchDirty) {
      if (v.pre !== '' || c.con.pre !== '') {
        return comparePrerelease(v.pre, c.con.pre) !== 0 ? true : equalMsg;
      }
      return equalMsg;
    }
  }
  return compareSemver(v, c.con) === 0 ? equalMsg : true;
}

function checkGreaterThan(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  const msg = `${q(v)} is less than or equal to ${goQuote(c.orig)}`;
  if (!c.dirty) return compareSemver(v, c.con) === 1 ? true : msg;
  if (v.major > c.con.major) return true;
  if (v.major < c.con.major) return msg;
  if (c.minorDirty) return msg;
  if (c.patchDirty) return v.minor > c.con.minor ? true : msg;
  return compareSemver(v, c.con) === 1 ? true : msg;
}

function checkLessThan(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  return compareSemver(v, c.con) < 0 ? true : `${q(v)} is greater than or equal to ${goQuote(c.orig)}`;
}

function checkGreaterThanEqual(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  return compareSemver(v, c.con) >= 0 ? true : `${q(v)} is less than ${goQuote(c.orig)}`;
}

function checkLessThanEqual(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  const msg = `${q(v)} is greater than ${goQuote(c.orig)}`;
  if (!c.dirty) return compareSemver(v, c.con) <= 0 ? true : msg;
  if (v.major > c.con.major) return msg;
  if (v.major === c.con.major && v.minor > c.con.minor && !c.minorDirty) return msg;
  return true;
}

function checkTilde(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  if (compareSemver(v, c.con) < 0) return `${q(v)} is less than ${goQuote(c.orig)}`;
  // ~0.0.0 is a special case where all constraints are accepted (>= 0.0.0).
  if (c.con.major === 0n && c.con.minor === 0n && c.con.patch === 0n && !c.minorDirty && !c.patchDirty) return true;
  if (v.major !== c.con.major) return `${q(v)} does not have same major version as ${goQuote(c.orig)}`;
  if (v.minor !== c.con.minor && !c.minorDirty) {
    return `${q(v)} does not have same major and minor version as ${goQuote(c.orig)}`;
  }
  return true;
}

function checkTildeOrEqual(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  if (c.dirty) return checkTilde(v, c, includePre);
  return compareSemver(v, c.con) === 0 ? true : `${q(v)} is not equal to ${goQuote(c.orig)}`;
}

function checkCaret(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  const pre = notPre(v, includePre);
  if (pre) return pre;
  if (compareSemver(v, c.con) < 0) return `${q(v)} is less than ${goQuote(c.orig)}`;
  if (c.con.major > 0n || c.minorDirty) {
    return v.major === c.con.major ? true : `${q(v)} does not have same major version as ${goQuote(c.orig)}`;
  }
  if (c.con.major === 0n && v.major > 0n) return `${q(v)} does not have same major version as ${goQuote(c.orig)}`;
  if (c.con.minor > 0n || c.patchDirty) {
    return v.minor === c.con.minor
      ? true
      : `${q(v)} does not have same minor version as ${goQuote(c.orig)}. Expected minor versions to match when constraint major version is 0`;
  }
  if (c.con.minor === 0n && v.minor > 0n) return `${q(v)} does not have same minor version as ${goQuote(c.orig)}`;
  return c.con.patch === v.patch
    ? true
    : `${q(v)} does not equal ${goQuote(c.orig)}. Expect version and constraint to equal when major and minor versions are 0`;
}

const CHECKS: Record<string, (v: SemverVersion, c: Constraint, includePre: boolean) => CheckResult> = {
  '': checkTildeOrEqual,
  '=': checkTildeOrEqual,
  '!=': checkNotEqual,
  '>': checkGreaterThan,
  '<': checkLessThan,
  '>=': checkGreaterThanEqual,
  '=>': checkGreaterThanEqual,
  '<=': checkLessThanEqual,
  '=<': checkLessThanEqual,
  '~': checkTilde,
  '~>': checkTilde,
  '^': checkCaret,
};

function checkOne(v: SemverVersion, c: Constraint, includePre: boolean): CheckResult {
  return CHECKS[c.op]!(v, c, includePre);
}

/** Constraints.Check: does any OR group accept the version. */
export function checkConstraints(cs: SemverConstraints, v: SemverVersion, includePrerelease = false): boolean {
  return cs.groups.some((group, i) => group.every((c) => checkOne(v, c, includePrerelease || cs.containsPre[i]!) === true));
}

/** Constraints.Validate: like Check, plus the reasons a version failed, in the library's words. */
export function validateConstraints(cs: SemverConstraints, v: SemverVersion, includePrerelease = false): { ok: boolean; errors: string[] } {
  const errors: string[] = [];
  let preReported = false;
  for (let i = 0; i < cs.groups.length; i++) {
    let joy = true;
    for (const c of cs.groups[i]!) {
      if (!includePrerelease && !cs.containsPre[i] && v.pre !== '') {
        if (!preReported) {
          errors.push(`${q(v)} is a prerelease version and the constraint is only looking for release versions`);
          preReported = true;
        }
        joy = false;
      } else {
        const r = checkOne(v, c, includePrerelease || cs.containsPre[i]!);
        if (r !== true) {
          errors.push(r);
          joy = false;
        }
      }
    }
    if (joy) return { ok: true, errors: [] };
  }
  return { ok: false, errors };
}

/** Constraints.String: each group's constraints joined by spaces, groups by " || ". */
export function constraintsString(cs: SemverConstraints): string {
  return cs.groups.map((g) => g.map((c) => c.op + c.orig).join(' ')).join(' || ');
}

// ---------------------------------------------------------------------------------------------
// Template values

const VERSION_PTR = '*semver.Version';
const VERSION_VAL = 'semver.Version';
const versions = new WeakMap<GoStruct, SemverVersion>();

/** The version inside a *semver.Version or semver.Version template value, if it is one. */
export function semverOf(v: unknown): SemverVersion | undefined {
  return v instanceof GoStruct ? versions.get(v) : undefined;
}

function otherPointer(o: unknown): SemverVersion {
  const ver = o instanceof GoStruct && o.typeName === VERSION_PTR ? versions.get(o) : undefined;
  if (!ver) {
    throw new GoFuncError(`wrong type for value; expected ${VERSION_PTR}; got ${goTypeName(o)}`);
  }
  return ver;
}

/**
 * A version as a template value. `pointer` gives *semver.Version (what `semver` returns),
 * else semver.Version (what IncMajor and friends return). A non-pointer result is not
 * addressable in text/template, so only the value-receiver methods exist on it: calling
 * `.Original` or `.Compare` on `(semver "1.2.3").IncMajor` fails in Go, and here.
 */
export function semverValue(v: SemverVersion, pointer = true): GoStruct {
  const str = () => semverString(v);
  const methods: Record<string, GoFunc> = {
    String: defineFunc('String', [], str),
    Major: defineFunc('Major', [], () => v.major),
    Minor: defineFunc('Minor', [], () => v.minor),
    Patch: defineFunc('Patch', [], () => v.patch),
    Prerelease: defineFunc('Prerelease', [], () => v.pre),
    Metadata: defineFunc('Metadata', [], () => v.metadata),
    IncPatch: defineFunc('IncPatch', [], () => semverValue(incPatch(v), false)),
    IncMinor: defineFunc('IncMinor', [], () => semverValue(incMinor(v), false)),
    IncMajor: defineFunc('IncMajor', [], () => semverValue(incMajor(v), false)),
    SetPrerelease: defineFunc('SetPrerelease', ['string'], (p: string) => {
      if (p.length > 0) wrapSemver(() => validatePrerelease(p));
      return semverValue(withOriginal(v, { ...v, pre: p }), false);
    }),
    SetMetadata: defineFunc('SetMetadata', ['string'], (m: string) => {
      if (m.length > 0) wrapSemver(() => validateMetadata(m));
      return semverValue(withOriginal(v, { ...v, metadata: m }), false);
    }),
    MarshalJSON: defineFunc('MarshalJSON', [], () => new TextEncoder().encode(JSON.stringify(str()))),
    MarshalText: defineFunc('MarshalText', [], () => new TextEncoder().encode(str())),
    Value: defineFunc('Value', [], str),
  };
  if (pointer) {
    const compareWith = (name: string, test: (d: number) => boolean) =>
      defineFunc(name, ['any'], (o: unknown) => test(compareSemver(v, otherPointer(o))));
    Object.assign(methods, {
      Original: defineFunc('Original', [], () => v.original),
      LessThan: compareWith('LessThan', (d) => d < 0),
      LessThanEqual: compareWith('LessThanEqual', (d) => d <= 0),
      GreaterThan: compareWith('GreaterThan', (d) => d > 0),
      GreaterThanEqual: compareWith('GreaterThanEqual', (d) => d >= 0),
      Equal: defineFunc('Equal', ['any'], (o: unknown) => (o === null ? false : compareSemver(v, otherPointer(o)) === 0)),
      Compare: defineFunc('Compare', ['any'], (o: unknown) => BigInt(compareSemver(v, otherPointer(o)))),
    });
  }
  const s = new GoStruct(pointer ? VERSION_PTR : VERSION_VAL, {}, methods, { marshal: str }, str);
  versions.set(s, v);
  return s;
}

function wrapSemver<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof SemverError) throw new GoFuncError(e.message);
    throw e;
  }
}

/** sprig's semver functions: `semver` and `semverCompare`. */
export function semverFuncs(): GoFunc[] {
  return [
    defineFunc('semver', ['string'], (version: string) => semverValue(wrapSemver(() => parseSemver(version)))),
    defineFunc('semverCompare', ['string', 'string'], (constraint: string, version: string) =>
      wrapSemver(() => {
        const c = parseConstraints(constraint);
        return checkConstraints(c, parseSemver(version));
      }),
    ),
  ];
}

/**
 * `semverCompare` outside templates (helm's chartutil.IsCompatibleRange uses the same check):
 * whether `version` satisfies `constraint`. Throws SemverError when either does not parse.
 */
export function semverConstraintCheck(constraint: string, version: string): boolean {
  return checkConstraints(parseConstraints(constraint), parseSemver(version));
}
