/**
 * Go's path and path/filepath functions on '/'-separated paths, as helm's loader and
 * .helmignore rules call them on Unix: path.Clean, filepath.Base, filepath.Ext and
 * filepath.Match (same algorithm, so the same patterns are malformed at the same moment).
 */

/** path.Clean. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return `/${joined}`;
  return joined === '' ? '.' : joined;
}

/** filepath.Base. */
export function baseName(p: string): string {
  if (p === '') return '.';
  const trimmed = p.replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/** filepath.Ext: the suffix from the last '.' in the final element, '' if none. */
export function extName(p: string): string {
  for (let i = p.length - 1; i >= 0 && p[i] !== '/'; i--) {
    if (p[i] === '.') return p.slice(i);
  }
  return '';
}

/** filepath.ErrBadPattern. */
export class BadPatternError extends Error {
  constructor() {
    super('syntax error in pattern');
  }
}

type Chars = readonly string[];

/** filepath.Match: whether `name` matches the shell pattern; throws BadPatternError when Go would return ErrBadPattern. */
export function matchPath(pattern: string, name: string): boolean {
  let pat: Chars = Array.from(pattern);
  let s: Chars = Array.from(name);
  outer: while (pat.length > 0) {
    const { star, chunk, rest } = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) return !s.includes('/');
    const first = matchChunk(chunk, s);
    if (first !== undefined && (first.length === 0 || pat.length > 0)) {
      s = first;
      continue;
    }
    if (star) {
      for (let i = 0; i < s.length && s[i] !== '/'; i++) {
        const t = matchChunk(chunk, s.slice(i + 1));
        if (t !== undefined) {
          if (pat.length === 0 && t.length > 0) continue;
          s = t;
          continue outer;
        }
      }
    }
    return false;
  }
  return s.length === 0;
}

function scanChunk(pattern: Chars): { star: boolean; chunk: Chars; rest: Chars } {
  let i = 0;
  let star = false;
  while (i < pattern.length && pattern[i] === '*') {
    i++;
    star = true;
  }
  const p = pattern.slice(i);
  let inRange = false;
  for (let j = 0; j < p.length; j++) {
    switch (p[j]) {
      case '\\':
        if (j + 1 < p.length) j++;
        break;
      case '[':
        inRange = true;
        break;
      case ']':
        inRange = false;
        break;
      case '*':
        if (!inRange) return { star, chunk: p.slice(0, j), rest: p.slice(j) };
    }
  }
  return { star, chunk: p, rest: [] };
}

function getEsc(chunk: Chars): [string, Chars] {
  if (chunk.length === 0 || chunk[0] === '-' || chunk[0] === ']') throw new BadPatternError();
  let c = chunk;
  if (c[0] === '\\') {
    c = c.slice(1);
    if (c.length === 0) throw new BadPatternError();
  }
  const r = c[0]!;
  const next = c.slice(1);
  if (next.length === 0) throw new BadPatternError();
  return [r, next];
}

/** matchChunk: the rest of `s` after `chunk` matched its start, or undefined. Validates the whole chunk. */
function matchChunk(chunkIn: Chars, sIn: Chars): Chars | undefined {
  let chunk = chunkIn;
  let s = sIn;
  let failed = false;
  while (chunk.length > 0) {
    failed = failed || s.length === 0;
    switch (chunk[0]) {
      case '[': {
        let r = '';
        if (!failed) {
          r = s[0]!;
          s = s.slice(1);
        }
        chunk = chunk.slice(1);
        let negated = false;
        if (chunk.length > 0 && chunk[0] === '^') {
          negated = true;
          chunk = chunk.slice(1);
        }
        let match = false;
        let nrange = 0;
        for (;;) {
          if (chunk.length > 0 && chunk[0] === ']' && nrange > 0) {
            chunk = chunk.slice(1);
            break;
          }
          let lo: string;
          [lo, chunk] = getEsc(chunk);
          let hi = lo;
          if (chunk[0] === '-') [hi, chunk] = getEsc(chunk.slice(1));
          const cp = r.codePointAt(0) ?? -1;
          match = match || (lo.codePointAt(0)! <= cp && cp <= hi.codePointAt(0)!);
          nrange++;
        }
        failed = failed || match === negated;
        break;
      }
      case '?':
        if (!failed) {
          failed = s[0] === '/';
          s = s.slice(1);
        }
        chunk = chunk.slice(1);
        break;
      default:
        if (chunk[0] === '\\') {
          chunk = chunk.slice(1);
          if (chunk.length === 0) throw new BadPatternError();
        }
        if (!failed) {
          failed = chunk[0] !== s[0];
          s = s.slice(1);
        }
        chunk = chunk.slice(1);
    }
  }
  return failed ? undefined : s;
}
