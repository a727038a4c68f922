/**
 * Kyverno's JMESPath functions on top of the standard ones (the library already has
 * contains, keys, length, values, sort, merge, split, join, starts_with, ends_with, …).
 * Registered once on the library's runtime. Time functions that read the clock
 * (time_now*) are not offered: the engine is pure.
 */
import {
  registerFunction,
  isRegistered,
  TYPE_ANY,
  TYPE_ARRAY,
  TYPE_NUMBER,
  TYPE_OBJECT,
  TYPE_STRING,
} from '@jmespath-community/jmespath';
import type { JSONValue, InputSignature } from '@jmespath-community/jmespath';
import { parse as parseYaml } from 'yaml';
import { compileRegexp } from '../goruntime/index.js';
import { formatGoDuration, parseGoDuration } from '../../core/index.js';

type Fn = (args: JSONValue[]) => JSONValue;

function str(v: JSONValue): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}

function s(...types: number[]): InputSignature {
  return { types };
}

/** Glob with `*` and `?` over the whole text (Kyverno's wildcard.Match). */
export function globMatch(pattern: string, text: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return pattern === text;
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

function b64decode(text: string): string {
  return Buffer.from(text, 'base64').toString('utf8');
}

function numberArg(v: JSONValue, fn: string): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const d = parseGoDuration(v);
    if (d !== undefined) return d;
    const n = Number(v);
    if (v.trim() !== '' && !Number.isNaN(n)) return n;
  }
  throw new Error(`invalid argument for ${fn}(): ${JSON.stringify(v)}`);
}

/** Sums and differences of durations stay durations ("1h" - "30m" is "30m0s"). */
function durationResult(a: JSONValue, b: JSONValue, ms: number): JSONValue {
  const isDur = (v: JSONValue): boolean => typeof v === 'string' && parseGoDuration(v) !== undefined && Number.isNaN(Number(v));
  return isDur(a) || isDur(b) ? formatGoDuration(ms) : ms;
}

const FUNCTIONS: Record<string, { fn: Fn; sig: InputSignature[]; override?: boolean }> = {
  to_upper: { fn: ([a]) => str(a!).toUpperCase(), sig: [s(TYPE_STRING)] },
  to_lower: { fn: ([a]) => str(a!).toLowerCase(), sig: [s(TYPE_STRING)] },
  trim: { fn: ([a, cut]) => trimSet(str(a!), str(cut!)), sig: [s(TYPE_STRING), s(TYPE_STRING)], override: true },
  truncate: {
    fn: ([a, n]) => {
      const text = str(a!);
      const len = Math.max(0, Math.trunc(n as number));
      return text.length > len ? text.slice(0, len) : text;
    },
    sig: [s(TYPE_STRING), s(TYPE_NUMBER)],
  },
  equal_fold: { fn: ([a, b]) => str(a!).toLowerCase() === str(b!).toLowerCase(), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  compare: { fn: ([a, b]) => (str(a!) < str(b!) ? -1 : str(a!) > str(b!) ? 1 : 0), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  replace: {
    // Kyverno: replace(str, old, new, n) with n < 0 for all occurrences.
    fn: ([a, o, nw, n]) => {
      let text = str(a!);
      const old = str(o!);
      const rep = str(nw!);
      let count = n === undefined ? -1 : Math.trunc(n as number);
      if (old === '') return text;
      let out = '';
      while (count !== 0) {
        const i = text.indexOf(old);
        if (i < 0) break;
        out += text.slice(0, i) + rep;
        text = text.slice(i + old.length);
        count--;
      }
      return out + text;
    },
    sig: [s(TYPE_STRING), s(TYPE_STRING), s(TYPE_STRING), { types: [TYPE_NUMBER], optional: true }],
    override: true,
  },
  replace_all: { fn: ([a, o, n]) => str(a!).split(str(o!)).join(str(n!)), sig: [s(TYPE_STRING), s(TYPE_STRING), s(TYPE_STRING)] },
  regex_match: {
    fn: ([re, v]) => compileRegexp(str(re!)).matchString(str(v!)),
    sig: [s(TYPE_STRING), s(TYPE_STRING, TYPE_NUMBER)],
  },
  regex_replace_all: {
    fn: ([re, v, rep]) => regexReplace(str(re!), str(v!), str(rep!), false),
    sig: [s(TYPE_STRING), s(TYPE_STRING, TYPE_NUMBER), s(TYPE_STRING, TYPE_NUMBER)],
  },
  regex_replace_all_literal: {
    fn: ([re, v, rep]) => regexReplace(str(re!), str(v!), str(rep!), true),
    sig: [s(TYPE_STRING), s(TYPE_STRING, TYPE_NUMBER), s(TYPE_STRING, TYPE_NUMBER)],
  },
  pattern_match: { fn: ([p, v]) => globMatch(str(p!), str(v!)), sig: [s(TYPE_STRING), s(TYPE_STRING, TYPE_NUMBER)] },
  label_match: {
    fn: ([sel, labels]) => {
      const want = (sel ?? {}) as Record<string, JSONValue>;
      const have = (labels ?? {}) as Record<string, JSONValue>;
      return Object.entries(want).every(([k, v]) => k in have && str(have[k]!) === str(v));
    },
    sig: [s(TYPE_OBJECT), s(TYPE_OBJECT)],
  },
  parse_json: { fn: ([a]) => JSON.parse(str(a!)) as JSONValue, sig: [s(TYPE_STRING)] },
  parse_yaml: { fn: ([a]) => (parseYaml(str(a!)) ?? null) as JSONValue, sig: [s(TYPE_STRING)] },
  base64_decode: { fn: ([a]) => b64decode(str(a!)), sig: [s(TYPE_STRING)] },
  base64_encode: { fn: ([a]) => Buffer.from(str(a!), 'utf8').toString('base64'), sig: [s(TYPE_STRING)] },
  to_boolean: {
    fn: ([a]) => {
      const t = str(a!).toLowerCase();
      if (t === 'true') return true;
      if (t === 'false') return false;
      throw new Error(`lexical error: cannot convert ${JSON.stringify(a)} to boolean`);
    },
    sig: [s(TYPE_STRING)],
  },
  add: { fn: ([a, b]) => durationResult(a!, b!, numberArg(a!, 'add') + numberArg(b!, 'add')), sig: [s(TYPE_ANY), s(TYPE_ANY)] },
  subtract: { fn: ([a, b]) => durationResult(a!, b!, numberArg(a!, 'subtract') - numberArg(b!, 'subtract')), sig: [s(TYPE_ANY), s(TYPE_ANY)] },
  multiply: { fn: ([a, b]) => numberArg(a!, 'multiply') * numberArg(b!, 'multiply'), sig: [s(TYPE_ANY), s(TYPE_ANY)] },
  divide: {
    fn: ([a, b]) => {
      const d = numberArg(b!, 'divide');
      if (d === 0) throw new Error('divide(): division by zero');
      return numberArg(a!, 'divide') / d;
    },
    sig: [s(TYPE_ANY), s(TYPE_ANY)],
  },
  modulo: {
    fn: ([a, b]) => {
      const d = numberArg(b!, 'modulo');
      if (d === 0) throw new Error('modulo(): division by zero');
      return numberArg(a!, 'modulo') % d;
    },
    sig: [s(TYPE_ANY), s(TYPE_ANY)],
  },
  object_from_lists: {
    fn: ([keys, values]) => {
      const out: Record<string, JSONValue> = {};
      (keys as JSONValue[]).forEach((k, i) => {
        out[str(k)] = (values as JSONValue[])[i] ?? null;
      });
      return out;
    },
    sig: [s(TYPE_ARRAY), s(TYPE_ARRAY)],
  },
  lookup: {
    fn: ([coll, key]) => {
      if (Array.isArray(coll)) return coll[key as number] ?? null;
      if (coll && typeof coll === 'object') return (coll as Record<string, JSONValue>)[str(key!)] ?? null;
      return null;
    },
    sig: [s(TYPE_OBJECT, TYPE_ARRAY), s(TYPE_STRING, TYPE_NUMBER)],
  },
  path_canonicalize: {
    fn: ([a]) => {
      const parts: string[] = [];
      const text = str(a!);
      for (const p of text.split('/')) {
        if (p === '' || p === '.') continue;
        if (p === '..') parts.pop();
        else parts.push(p);
      }
      return (text.startsWith('/') ? '/' : '') + parts.join('/') || (text.startsWith('/') ? '/' : '.');
    },
    sig: [s(TYPE_STRING)],
  },
};

function trimSet(text: string, cut: string): string {
  let a = 0;
  let b = text.length;
  while (a < b && cut.includes(text[a]!)) a++;
  while (b > a && cut.includes(text[b - 1]!)) b--;
  return text.slice(a, b);
}

function regexReplace(re: string, src: string, rep: string, literal: boolean): string {
  // Go's syntax decides what is valid; RE2 patterns run the same on JavaScript's engine.
  compileRegexp(re);
  const js = new RegExp(re, 'g');
  return src.replace(js, (...m: unknown[]) => {
    if (literal) return rep;
    const groups = m.slice(1, -2) as (string | undefined)[];
    return rep.replace(/\$\{(\w+)\}|\$(\d+)/g, (_x, name: string | undefined, num: string | undefined) => {
      const idx = Number(name ?? num);
      return Number.isNaN(idx) ? '' : (groups[idx - 1] ?? (idx === 0 ? (m[0] as string) : ''));
    });
  });
}

/** Milliseconds of an RFC 3339 time; throws for anything else. */
function timeOf(v: JSONValue, fn: string): number {
  const text = str(v);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) throw new Error(`${fn}(): ${JSON.stringify(text)} is not an RFC 3339 time`);
  return Date.parse(text);
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z');
}

function durationMs(v: JSONValue, fn: string): number {
  const d = parseGoDuration(str(v));
  if (d === undefined) throw new Error(`${fn}(): ${JSON.stringify(v)} is not a duration`);
  return d;
}

type Semver = [number, number, number, string];

function parseSemver(text: string): Semver | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0), m[4] ?? ''] : undefined;
}

function cmpSemver(a: Semver, b: Semver): number {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  if (a[3] === b[3]) return 0;
  if (a[3] === '') return 1;
  if (b[3] === '') return -1;
  return a[3] < b[3] ? -1 : 1;
}

/** semver_compare(version, range): ranges of comparators (`>=1.0.0 <2.0.0`), `||` between alternatives. */
function semverInRange(version: string, range: string): boolean {
  const v = parseSemver(version);
  if (!v) throw new Error(`semver_compare(): ${JSON.stringify(version)} is not a version`);
  return range.split('||').some((alt) =>
    alt
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .every((c) => {
        const m = /^(>=|<=|!=|==|=|>|<)?(.+)$/.exec(c)!;
        const want = parseSemver(m[2]!);
        if (!want) throw new Error(`semver_compare(): ${JSON.stringify(c)} is not a version range`);
        const d = cmpSemver(v, want);
        switch (m[1] ?? '=') {
          case '>':
            return d > 0;
          case '>=':
            return d >= 0;
          case '<':
            return d < 0;
          case '<=':
            return d <= 0;
          case '!=':
            return d !== 0;
          default:
            return d === 0;
        }
      }),
  );
}

/** Docker's normalization of an image reference: registry docker.io, library/ for official images, tag latest. */
export function normalizeImage(ref: string): string {
  let rest = ref;
  let registry = 'docker.io';
  const slash = rest.indexOf('/');
  if (slash > 0) {
    const first = rest.slice(0, slash);
    if (first.includes('.') || first.includes(':') || first === 'localhost') {
      registry = first;
      rest = rest.slice(slash + 1);
    }
  }
  if (registry === 'docker.io' && !rest.includes('/')) rest = `library/${rest}`;
  const at = rest.indexOf('@');
  const namePart = at >= 0 ? rest.slice(0, at) : rest;
  if (!/:[^/]+$/.test(namePart) && at < 0) rest = `${rest}:latest`;
  return `${registry}/${rest}`;
}

Object.assign(FUNCTIONS, {
  items: {
    // Kyverno: items(object|array, keyName, valueName) → [{keyName: k, valueName: v}, …]
    fn: ([coll, kn, vn]: JSONValue[]) => {
      const k = str(kn!);
      const v = str(vn!);
      if (Array.isArray(coll)) return coll.map((x, i) => ({ [k]: i, [v]: x }));
      return Object.keys(coll as Record<string, JSONValue>)
        .sort()
        .map((key) => ({ [k]: key, [v]: (coll as Record<string, JSONValue>)[key]! }));
    },
    sig: [s(TYPE_OBJECT, TYPE_ARRAY), s(TYPE_STRING), s(TYPE_STRING)],
    override: true,
  },
  time_before: { fn: ([a, b]: JSONValue[]) => timeOf(a!, 'time_before') < timeOf(b!, 'time_before'), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  time_after: { fn: ([a, b]: JSONValue[]) => timeOf(a!, 'time_after') > timeOf(b!, 'time_after'), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  time_between: {
    fn: ([t, a, b]: JSONValue[]) => {
      const x = timeOf(t!, 'time_between');
      return x > timeOf(a!, 'time_between') && x < timeOf(b!, 'time_between');
    },
    sig: [s(TYPE_STRING), s(TYPE_STRING), s(TYPE_STRING)],
  },
  time_add: { fn: ([t, d]: JSONValue[]) => rfc3339(timeOf(t!, 'time_add') + durationMs(d!, 'time_add')), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  time_diff: { fn: ([a, b]: JSONValue[]) => formatGoDuration(timeOf(b!, 'time_diff') - timeOf(a!, 'time_diff')), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  time_utc: { fn: ([t]: JSONValue[]) => rfc3339(timeOf(t!, 'time_utc')), sig: [s(TYPE_STRING)] },
  time_truncate: {
    fn: ([t, d]: JSONValue[]) => {
      const ms = timeOf(t!, 'time_truncate');
      const step = durationMs(d!, 'time_truncate');
      return rfc3339(step > 0 ? ms - (ms % step) : ms);
    },
    sig: [s(TYPE_STRING), s(TYPE_STRING)],
  },
  semver_compare: { fn: ([v, r]: JSONValue[]) => semverInRange(str(v!), str(r!)), sig: [s(TYPE_STRING), s(TYPE_STRING)] },
  image_normalize: { fn: ([i]: JSONValue[]) => normalizeImage(str(i!)), sig: [s(TYPE_STRING)] },
});

let registered = false;

/** Registers Kyverno's functions on the JMESPath runtime (idempotent). */
export function registerKyvernoFunctions(): void {
  if (registered) return;
  registered = true;
  for (const [name, { fn, sig, override }] of Object.entries(FUNCTIONS)) {
    if (isRegistered(name) && !override) continue;
    registerFunction(name, fn as (args: unknown[]) => JSONValue, sig, { override: true });
  }
}
