/**
 * Go's regexp package on top of JavaScript's RegExp. ./regexp-syntax.ts parses with Go's
 * rules; here the tree becomes a `u`-mode RegExp that matches the same strings:
 *
 * - `.` never matches \n unless (?s); `^`/`$` are \A/\z unless (?m), and then only \n ends a
 *   line (JavaScript's m flag would also honour \r, U+2028 and U+2029);
 * - \d \s \w and POSIX classes are ASCII, as in Go (\s has no \v);
 * - (?i) is applied by expanding letters to their case-folding orbit instead of the i flag,
 *   so mixed (?i:…) groups and folded negated classes behave as Go's do;
 * - (?U) swaps greedy and lazy; captures are numbered groups, names are kept on the side.
 *
 * Matching is leftmost-first in both engines. FindAll, ReplaceAll, Split and the $ expansion
 * of replacements are ports of regexp.go, since JavaScript's own differ around empty matches
 * and `$1a`.
 */
import { foldOrbit, foldableRunes } from './case-fold.js';
import { parseRegexp, type ClassItem, type Node } from './regexp-syntax.js';
import { canBackquote, goQuote } from './quote.js';
import { isDigit, isLetter } from './unicode.js';

export { RegexpSyntaxError } from './regexp-syntax.js';

type Range = readonly [number, number];

function esc(r: number): string {
  if ((r >= 0x30 && r <= 0x39) || (r >= 0x41 && r <= 0x5a) || (r >= 0x61 && r <= 0x7a)) return String.fromCharCode(r);
  return `\\u{${r.toString(16)}}`;
}

function rangeSource([lo, hi]: Range): string {
  if (lo === hi) return esc(lo);
  if (hi === lo + 1) return esc(lo) + esc(hi);
  return esc(lo) + '-' + esc(hi);
}

/** Sorts and merges ranges (regexp/syntax cleanClass). */
function cleanRanges(ranges: Range[]): Range[] {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && lo <= last[1] + 1) {
      if (hi > last[1]) last[1] = hi;
    } else {
      out.push([lo, hi]);
    }
  }
  return out;
}

function negateRanges(ranges: Range[]): Range[] {
  const out: Range[] = [];
  let next = 0;
  for (const [lo, hi] of cleanRanges(ranges)) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= 0x10ffff) out.push([next, 0x10ffff]);
  return out;
}

/** appendFoldedRange: the range plus every rune that folds to a rune in it. */
function foldRanges(ranges: Range[]): Range[] {
  const out: Range[] = [...ranges];
  for (const r of foldableRunes()) {
    if (ranges.some(([lo, hi]) => r >= lo && r <= hi)) for (const m of foldOrbit(r)) out.push([m, m]);
  }
  return cleanRanges(out);
}

const propExtras = new Map<string, Range[]>();

/** Runes outside \p{name} that fold to a rune inside it (Go's FoldCategory / FoldScript). */
function foldExtras(name: string): Range[] {
  let extras = propExtras.get(name);
  if (extras === undefined) {
    const re = new RegExp(`^\\p{${name}}$`, 'u');
    const list: Range[] = [];
    for (const r of foldableRunes()) {
      if (!re.test(String.fromCodePoint(r)) && foldOrbit(r).some((m) => re.test(String.fromCodePoint(m)))) list.push([r, r]);
    }
    extras = cleanRanges(list);
    propExtras.set(name, extras);
  }
  return extras;
}

/**
 * A character class as JavaScript source. Members are unions of ranges and \p{…} sets; a
 * folded \P{…} (the complement of a set larger than the property) cannot sit inside a
 * JavaScript class, so those become lookaheads.
 */
function classSource(items: readonly ClassItem[], negate: boolean, fold: boolean): string {
  const parts: string[] = [];
  const complements: string[] = [];
  const ranges: Range[] = [];
  for (const item of items) {
    if (item.kind === 'range') {
      ranges.push([item.lo, item.hi]);
    } else if (item.kind === 'table') {
      const base = fold ? foldRanges([...item.ranges]) : [...item.ranges];
      ranges.push(...(item.negate ? negateRanges(base) : base));
    } else {
      const extras = fold ? foldExtras(item.name) : [];
      if (!item.negate) {
        parts.push(`\\p{${item.name}}`);
        ranges.push(...extras);
      } else if (extras.length === 0) {
        parts.push(`\\P{${item.name}}`);
      } else {
        complements.push(`[\\p{${item.name}}${extras.map(rangeSource).join('')}]`);
      }
    }
  }
  const folded = fold ? foldRanges(ranges) : cleanRanges(ranges);
  const body = folded.map(rangeSource).join('') + parts.join('');
  if (complements.length === 0) return negate ? `[^${body}]` : `[${body}]`;
  if (!negate) return `(?:${[...(body !== '' ? [`[${body}]`] : []), ...complements.map((c) => `(?!${c})[^]`)].join('|')})`;
  return `(?:${body !== '' ? `(?![${body}])` : ''}${complements.map((c) => `(?=${c})`).join('')}[^])`;
}

function isAtom(n: Node): boolean {
  switch (n.op) {
    case 'literal':
    case 'class':
    case 'anyChar':
    case 'anyCharNotNL':
    case 'capture':
      return true;
    default:
      return false;
  }
}

function emit(n: Node): string {
  switch (n.op) {
    case 'literal': {
      const orbit = n.fold ? foldOrbit(n.rune) : [n.rune];
      return orbit.length === 1 ? esc(n.rune) : `[${orbit.map(esc).join('')}]`;
    }
    case 'class':
      return classSource(n.items, n.negate, n.fold);
    case 'anyChar':
      return '[^]';
    case 'anyCharNotNL':
      return '[^\\n]';
    case 'beginLine':
      return '(?<![^\\n])';
    case 'endLine':
      return '(?![^\\n])';
    case 'beginText':
      return '^';
    case 'endText':
      return '$';
    case 'wordBoundary':
      return '\\b';
    case 'noWordBoundary':
      return '\\B';
    case 'capture':
      return `(${emit(n.sub)})`;
    case 'concat':
      return n.subs.map((s) => (s.op === 'alternate' ? `(?:${emit(s)})` : emit(s))).join('');
    case 'alternate':
      return n.subs.map(emit).join('|');
    case 'empty':
      return '(?:)';
    case 'repeat': {
      if (n.kind === '?' || (n.kind === '{}' && n.min === 0 && n.max === 1)) {
        // An alternation, not a quantifier: JavaScript rejects an empty iteration of a
        // quantified group ((|a)? would match "a"), Go accepts it and stops.
        return n.greedy ? `(?:${emit(n.sub)}|)` : `(?:|${emit(n.sub)})`;
      }
      const sub = isAtom(n.sub) ? emit(n.sub) : `(?:${emit(n.sub)})`;
      let q: string;
      if (n.kind !== '{}') q = n.kind;
      else if (n.max === -1) q = `{${n.min},}`;
      else if (n.max === n.min) q = `{${n.min}}`;
      else q = `{${n.min},${n.max}}`;
      return sub + q + (n.greedy ? '' : '?');
    }
  }
}

/** Go's regexp quote() for MustCompile's panic text. */
function quoteExpr(s: string): string {
  return canBackquote(s) ? '`' + s + '`' : goQuote(s);
}

/** Match positions as Go returns them: [start, end, group1start, group1end, …], -1 when unset. */
type Match = number[];

function runeWidth(s: string, i: number): number {
  if (i >= s.length) return 0;
  return s.codePointAt(i)! > 0xffff ? 2 : 1;
}

/** A compiled Go regexp. */
export class GoRegexp {
  private readonly re: RegExp;
  /** Capture names by group index (index 0, the whole match, is ""). */
  readonly subexpNames: readonly string[];

  constructor(readonly expr: string) {
    const parsed = parseRegexp(expr);
    this.subexpNames = parsed.names;
    this.re = new RegExp(emit(parsed.root), 'gud');
  }

  /** The first match at or after pos. */
  private exec(s: string, pos: number): Match | undefined {
    this.re.lastIndex = pos;
    const m = this.re.exec(s);
    if (m === null || m.indices === undefined) return undefined;
    const out: number[] = [];
    for (const span of m.indices) {
      if (span === undefined) out.push(-1, -1);
      else out.push(span[0], span[1]);
    }
    return out;
  }

  /** Regexp.MatchString. */
  matchString(s: string): boolean {
    return this.exec(s, 0) !== undefined;
  }

  /** Regexp.FindString. */
  findString(s: string): string {
    const m = this.exec(s, 0);
    return m === undefined ? '' : s.slice(m[0], m[1]);
  }

  /** regexp.go allMatches: no empty match right after the previous match. */
  private allMatches(s: string, n: number): Match[] {
    if (n < 0) n = Infinity;
    const out: Match[] = [];
    let pos = 0;
    let prevMatchEnd = -1;
    while (out.length < n && pos <= s.length) {
      const m = this.exec(s, pos);
      if (m === undefined) break;
      let accept = true;
      if (m[1] === pos) {
        if (m[0] === prevMatchEnd) accept = false;
        const width = runeWidth(s, pos);
        pos = width > 0 ? pos + width : s.length + 1;
      } else {
        pos = m[1]!;
      }
      prevMatchEnd = m[1]!;
      if (accept) out.push(m);
    }
    return out;
  }

  /** Regexp.FindAllString (nil, shown as [], when nothing matches). */
  findAllString(s: string, n: number): string[] {
    return this.allMatches(s, n).map((m) => s.slice(m[0], m[1]));
  }

  /** regexp.go replaceAll. */
  private replaceAll(src: string, repl: (m: Match) => string): string {
    let out = '';
    let lastMatchEnd = 0;
    let searchPos = 0;
    while (searchPos <= src.length) {
      const a = this.exec(src, searchPos);
      if (a === undefined) break;
      out += src.slice(lastMatchEnd, a[0]);
      if (a[1]! > lastMatchEnd || a[0] === 0) out += repl(a);
      lastMatchEnd = a[1]!;
      const width = runeWidth(src, searchPos);
      if (searchPos + width > a[1]!) searchPos += width;
      else if (searchPos + 1 > a[1]!) searchPos++;
      else searchPos = a[1]!;
    }
    return out + src.slice(lastMatchEnd);
  }

  /** Regexp.ReplaceAllString: $1, ${1}, $name and ${name} expand; $$ is a dollar. */
  replaceAllString(src: string, repl: string): string {
    if (!repl.includes('$')) return this.replaceAll(src, () => repl);
    return this.replaceAll(src, (m) => this.expand(repl, src, m));
  }

  /** Regexp.ReplaceAllLiteralString. */
  replaceAllLiteralString(src: string, repl: string): string {
    return this.replaceAll(src, () => repl);
  }

  /** regexp.go expand. */
  private expand(template: string, src: string, match: Match): string {
    let out = '';
    while (template.length > 0) {
      const i = template.indexOf('$');
      if (i < 0) break;
      out += template.slice(0, i);
      template = template.slice(i + 1);
      if (template.startsWith('$')) {
        out += '$';
        template = template.slice(1);
        continue;
      }
      const ex = extract(template);
      if (ex === undefined) {
        out += '$';
        continue;
      }
      template = ex.rest;
      if (ex.num >= 0) {
        if (2 * ex.num + 1 < match.length && match[2 * ex.num]! >= 0) out += src.slice(match[2 * ex.num], match[2 * ex.num + 1]);
      } else {
        for (let g = 0; g < this.subexpNames.length; g++) {
          if (ex.name === this.subexpNames[g] && 2 * g + 1 < match.length && match[2 * g]! >= 0) {
            out += src.slice(match[2 * g], match[2 * g + 1]);
            break;
          }
        }
      }
    }
    return out + template;
  }

  /** Regexp.Split. */
  split(s: string, n: number): string[] {
    if (n === 0) return [];
    if (this.expr.length > 0 && s.length === 0) return [''];
    const matches = this.allMatches(s, n);
    const out: string[] = [];
    let beg = 0;
    let end = 0;
    for (const m of matches) {
      if (n > 0 && out.length >= n - 1) break;
      end = m[0]!;
      if (m[1] !== 0) out.push(s.slice(beg, end));
      beg = m[1]!;
    }
    if (end !== s.length) out.push(s.slice(beg));
    return out;
  }
}

/** regexp.go extract: a leading name or {name} after a $. */
function extract(str: string): { name: string; num: number; rest: string } | undefined {
  if (str === '') return undefined;
  let brace = false;
  if (str[0] === '{') {
    brace = true;
    str = str.slice(1);
  }
  let i = 0;
  while (i < str.length) {
    const r = str.codePointAt(i)!;
    if (!isLetter(r) && !isDigit(r) && r !== 0x5f) break;
    i += r > 0xffff ? 2 : 1;
  }
  if (i === 0) return undefined;
  const name = str.slice(0, i);
  if (brace) {
    if (i >= str.length || str[i] !== '}') return undefined;
    i++;
  }
  let num = 0;
  for (let k = 0; k < name.length; k++) {
    const c = name.charCodeAt(k);
    if (c < 0x30 || c > 0x39 || num >= 1e8) {
      num = -1;
      break;
    }
    num = num * 10 + (c - 0x30);
  }
  if (name[0] === '0' && name.length > 1) num = -1;
  return { name, num, rest: str.slice(i) };
}

const cache = new Map<string, GoRegexp | Error>();
const CACHE_LIMIT = 512;

/** regexp.Compile; throws RegexpSyntaxError with Go's message. Compiled patterns are cached. */
export function compileRegexp(expr: string): GoRegexp {
  let hit = cache.get(expr);
  if (hit === undefined) {
    try {
      hit = new GoRegexp(expr);
    } catch (e) {
      hit = e as Error;
    }
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(expr, hit);
  }
  if (hit instanceof Error) throw hit;
  return hit;
}

/** regexp.MustCompile: a failure panics with "regexp: Compile(`expr`): error parsing regexp: …". */
export function mustCompileRegexp(expr: string): GoRegexp {
  try {
    return compileRegexp(expr);
  } catch (e) {
    throw new Error(`regexp: Compile(${quoteExpr(expr)}): ${(e as Error).message}`, { cause: e });
  }
}

/** regexp.QuoteMeta. */
export function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}
