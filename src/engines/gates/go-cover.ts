/**
 * Go coverprofiles (`go test -coverprofile`) and `go tool cover -func`, as Go computes them:
 * the profile is read and its duplicate blocks merged as golang.org/x/tools/cover
 * ParseProfiles does, and the per-function figures follow cmd/cover/func.go (a block counts
 * for every function it overlaps; percentages are 100·covered/total over statements, printed
 * with %.1f, which rounds a tie half to even).
 */
import { InputError } from '../../core/index.js';

export interface GoBlock {
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
  numStmt: number;
  count: number;
}

export interface GoProfile {
  fileName: string;
  mode: string;
  blocks: GoBlock[];
}

const LINE = /^(.+):([0-9]+)\.([0-9]+),([0-9]+)\.([0-9]+) ([0-9]+) ([0-9]+)$/;

/** The profiles of a coverprofile, one per file, sorted by file name, blocks sorted and merged. */
export function parseGoCoverProfile(text: string, file = 'coverprofile'): GoProfile[] {
  const byFile = new Map<string, GoProfile>();
  let mode = '';
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (mode === '') {
      if (line.trim() === '' && i < lines.length - 1) continue;
      if (!line.startsWith('mode: ') || line === 'mode: ') throw new InputError(`bad mode line: ${line}`, { file, line: i + 1 });
      mode = line.slice('mode: '.length);
      continue;
    }
    if (line === '') continue;
    const m = LINE.exec(line);
    if (!m) throw new InputError(`line "${line}" doesn't match expected format (file:startLine.col,endLine.col numStmt count)`, { file, line: i + 1 });
    const n = m.slice(2).map(Number);
    let p = byFile.get(m[1]!);
    if (!p) byFile.set(m[1]!, (p = { fileName: m[1]!, mode, blocks: [] }));
    p.blocks.push({ startLine: n[0]!, startCol: n[1]!, endLine: n[2]!, endCol: n[3]!, numStmt: n[4]!, count: n[5]! });
  }
  if (mode === '') throw new InputError('empty coverprofile: no "mode:" line', { file, line: 1 });
  const profiles = [...byFile.values()].sort((a, b) => (a.fileName < b.fileName ? -1 : a.fileName > b.fileName ? 1 : 0));
  for (const p of profiles) {
    p.blocks.sort((a, b) => (a.startLine !== b.startLine ? a.startLine - b.startLine : a.startCol - b.startCol));
    const merged: GoBlock[] = [];
    for (const b of p.blocks) {
      const last = merged[merged.length - 1];
      if (last && b.startLine === last.startLine && b.startCol === last.startCol && b.endLine === last.endLine && b.endCol === last.endCol) {
        if (b.numStmt !== last.numStmt) {
          throw new InputError(`inconsistent NumStmt: changed from ${last.numStmt} to ${b.numStmt} in ${p.fileName}`, { file });
        }
        last.count = mode === 'set' ? last.count | b.count : last.count + b.count;
        continue;
      }
      merged.push({ ...b });
    }
    p.blocks = merged;
  }
  return profiles;
}

/** Go's `percent`: 100·covered/total, with a zero total counted as 1. */
export function goPercent(covered: number, total: number): number {
  return (100.0 * covered) / (total === 0 ? 1 : total);
}

/**
 * A float as Go's %.1f prints it: correctly rounded from the exact binary value, an exact
 * tie rounded half to even (JavaScript's toFixed rounds a tie up: 0.25 → "0.3", Go "0.2").
 */
export function formatGoFixed1(x: number): string {
  const exact = Math.abs(x).toFixed(100);
  const dot = exact.indexOf('.');
  const rest = exact.slice(dot + 2);
  if (rest.startsWith('5') && /^50*$/.test(rest)) {
    const digit = Number(exact.charAt(dot + 1));
    const truncated = Number(exact.slice(0, dot + 2));
    const rounded = digit % 2 === 0 ? truncated : truncated + 0.1;
    return (x < 0 ? '-' : '') + rounded.toFixed(1);
  }
  return x.toFixed(1);
}

/** `go tool cover`'s percentage text: "66.7%". */
export function goPercentText(covered: number, total: number): string {
  return `${formatGoFixed1(goPercent(covered, total))}%`;
}

/** A top-level function declaration with a body, as cmd/cover's FuncExtent (columns in bytes, 1-based; end after the `}`). */
export interface GoFuncExtent {
  name: string;
  startLine: number;
  startCol: number;
  endLine: number;
  endCol: number;
}

interface Tok {
  kind: 'ident' | 'punct' | 'newline' | 'other';
  value: string;
  line: number;
  col: number;
}

/** Tokens of Go source enough to find declarations: identifiers, brackets, newlines; strings, runes and comments skipped. */
function tokens(src: string): Tok[] {
  const out: Tok[] = [];
  let line = 1;
  let col = 1;
  let i = 0;
  const advance = (n: number) => {
    for (let k = 0; k < n; k++) {
      const cp = src.codePointAt(i)!;
      const len = cp > 0xffff ? 2 : 1;
      if (cp === 10) {
        line++;
        col = 1;
      } else col += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      i += len;
    }
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\n') {
      out.push({ kind: 'newline', value: '\n', line, col });
      advance(1);
    } else if (c === ' ' || c === '\t' || c === '\r') advance(1);
    else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') advance(1);
    } else if (c === '/' && src[i + 1] === '*') {
      const startLine = line;
      advance(2);
      while (i < src.length && !(src[i] === '*' && src[i + 1] === '/')) advance(1);
      advance(2);
      if (line > startLine) out.push({ kind: 'newline', value: '\n', line, col });
    } else if (c === '"' || c === "'") {
      const start = { line, col };
      advance(1);
      while (i < src.length && src[i] !== c && src[i] !== '\n') advance(src[i] === '\\' ? 2 : 1);
      advance(1);
      out.push({ kind: 'other', value: c, ...start });
    } else if (c === '`') {
      const start = { line, col };
      advance(1);
      while (i < src.length && src[i] !== '`') advance(1);
      advance(1);
      out.push({ kind: 'other', value: c, ...start });
    } else if (/[\p{L}_]/u.test(c)) {
      const start = { line, col };
      let word = '';
      while (i < src.length && /[\p{L}\p{Nd}_]/u.test(String.fromCodePoint(src.codePointAt(i)!))) {
        word += String.fromCodePoint(src.codePointAt(i)!);
        advance(1);
      }
      out.push({ kind: 'ident', value: word, ...start });
    } else if ('()[]{}'.includes(c)) {
      out.push({ kind: 'punct', value: c, line, col });
      advance(1);
    } else {
      out.push({ kind: 'other', value: c, line, col });
      advance(1);
    }
  }
  return out;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/** The top-level functions with a body in Go source, in source order (cmd/cover's findFuncs). */
export function goFuncExtents(src: string): GoFuncExtent[] {
  const toks = tokens(src);
  const funcs: GoFuncExtent[] = [];
  /** Index after the bracket that closes the one at `at`. */
  const skip = (at: number): number => {
    let depth = 0;
    for (let k = at; k < toks.length; k++) {
      const t = toks[k]!;
      if (t.kind !== 'punct') continue;
      if (t.value in OPEN) depth++;
      else if (--depth === 0) return k + 1;
    }
    return toks.length;
  };
  let k = 0;
  while (k < toks.length) {
    const t = toks[k]!;
    if (t.kind === 'punct' && t.value in OPEN) {
      k = skip(k);
      continue;
    }
    // A declaration's `func` begins a line (or follows a `;`); elsewhere it is a literal.
    const prev = toks[k - 1];
    const startsDecl = prev === undefined || prev.kind === 'newline' || prev.value === ';';
    if (!(t.kind === 'ident' && t.value === 'func' && startsDecl)) {
      k++;
      continue;
    }
    let j = k + 1;
    if (toks[j]?.value === '(') j = skip(j); // receiver
    const name = toks[j];
    if (name?.kind !== 'ident') {
      k++;
      continue;
    }
    j++;
    if (toks[j]?.value === '[') j = skip(j); // type parameters
    if (toks[j]?.value === '(') j = skip(j); // parameters
    // Results, then the body: the first `{` that does not open a struct or interface type.
    let body = -1;
    while (j < toks.length) {
      const u = toks[j]!;
      if (u.kind === 'newline') break;
      if (u.value === '{') {
        const prev = toks[j - 1];
        if (prev?.kind === 'ident' && (prev.value === 'struct' || prev.value === 'interface')) {
          j = skip(j);
          continue;
        }
        body = j;
        break;
      }
      if (u.value === '(' || u.value === '[') {
        j = skip(j);
        continue;
      }
      j++;
    }
    if (body < 0) {
      k = j;
      continue;
    }
    const end = skip(body);
    const close = toks[end - 1]!;
    funcs.push({ name: name.value, startLine: t.line, startCol: t.col, endLine: close.line, endCol: close.col + 1 });
    k = end;
  }
  return funcs;
}

/** cmd/cover's FuncExtent.coverage: statements of the blocks overlapping a function. */
export function goFuncCoverage(f: GoFuncExtent, blocks: GoBlock[]): { covered: number; total: number } {
  let covered = 0;
  let total = 0;
  for (const b of blocks) {
    if (b.startLine > f.endLine || (b.startLine === f.endLine && b.startCol >= f.endCol)) break;
    if (b.endLine < f.startLine || (b.endLine === f.startLine && b.endCol <= f.startCol)) continue;
    total += b.numStmt;
    if (b.count > 0) covered += b.numStmt;
  }
  return { covered, total };
}

export interface GoFuncLine {
  file: string;
  line: number;
  name: string;
  covered: number;
  total: number;
  percentText: string;
}

export interface GoFuncReport {
  funcs: GoFuncLine[];
  total: { covered: number; total: number; percentText: string };
  /** The output of `go tool cover -func`, byte for byte (text/tabwriter with tabs). */
  text: string;
}

/**
 * `go tool cover -func` of a profile, given the Go source of each file it names (keyed by
 * the profile's file name). A file without source is an error, as in Go.
 */
export function goCoverFunc(profiles: GoProfile[], sources: ReadonlyMap<string, string>): GoFuncReport {
  const funcs: GoFuncLine[] = [];
  let covered = 0;
  let total = 0;
  for (const p of profiles) {
    const src = sources.get(p.fileName);
    if (src === undefined) throw new InputError(`no Go source for ${p.fileName}`, { file: p.fileName });
    for (const f of goFuncExtents(src)) {
      const c = goFuncCoverage(f, p.blocks);
      funcs.push({ file: p.fileName, line: f.startLine, name: f.name, ...c, percentText: goPercentText(c.covered, c.total) });
      covered += c.covered;
      total += c.total;
    }
  }
  const rows = funcs.map((f) => [`${f.file}:${f.line}:`, f.name, f.percentText]);
  rows.push(['total:', '(statements)', goPercentText(covered, total)]);
  return { funcs, total: { covered, total, percentText: goPercentText(covered, total) }, text: tabwrite(rows) };
}

/** Cell widths in text/tabwriter are counted in runes. */
const runes = (s: string): number => [...s].length;

/** text/tabwriter.NewWriter(out, 1, 8, 1, '\t', 0) over rows whose last cell ends the line. */
function tabwrite(rows: string[][]): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let c = 0; c < r.length - 1; c++) widths[c] = Math.max(widths[c] ?? 0, runes(r[c]!) + 1);
  }
  const cell = widths.map((w) => Math.ceil(w / 8) * 8);
  return rows
    .map((r) =>
      r.map((v, c) => (c === r.length - 1 ? v : v + '\t'.repeat(Math.ceil((cell[c]! - runes(v)) / 8)))).join(''),
    )
    .map((l) => l + '\n')
    .join('');
}
