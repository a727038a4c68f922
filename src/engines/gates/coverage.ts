/** Coverage reports in five formats, read into one model ({@link Coverage}). */
import { InputError } from '../../core/index.js';
import { goCoverFunc, goPercentText, parseGoCoverProfile } from './go-cover.js';
import { attr, children, firstChar, isRecord, numAttr, parseJson, parseXml, type XmlNode } from './input.js';
import type { Counter, Coverage, CoverageFormat, FileCoverage } from './types.js';

const sum = (counters: (Counter | undefined)[]): Counter | undefined => {
  const present = counters.filter((c): c is Counter => c !== undefined);
  if (present.length === 0) return undefined;
  return present.reduce((a, c) => ({ covered: a.covered + c.covered, total: a.total + c.total }), { covered: 0, total: 0 });
};

function finish(format: CoverageFormat, files: FileCoverage[], total?: Partial<Coverage['total']>): Coverage {
  const lines = total?.lines ?? sum(files.map((f) => f.lines)) ?? { covered: 0, total: 0 };
  const statements = total?.statements ?? sum(files.map((f) => f.statements));
  const branches = total?.branches ?? sum(files.map((f) => f.branches));
  const functions = total?.functions ?? sum(files.map((f) => f.functions));
  const percentText = goPercentText(lines.covered, lines.total);
  const percent = lines.total === 0 ? 0 : (100 * lines.covered) / lines.total;
  return {
    format,
    files,
    total: {
      lines,
      ...(statements && { statements }),
      ...(branches && { branches }),
      ...(functions && { functions }),
      percent,
      percentText,
    },
  };
}

/**
 * A Go coverprofile. Go counts statements: each file's `lines` and `statements` are its
 * statements (covered: those in blocks run at least once). Given the Go source of every file
 * the profile names (keyed by its name there), the total is `go tool cover -func`'s
 * `total: (statements)`, computed as it does; without them, the total is over every block,
 * which is the same figure unless code outside function declarations (a function literal in
 * a package-level var) was instrumented: `go test`'s own "coverage: N% of statements".
 */
export function parseGoCoverage(text: string, file = 'coverprofile', sources?: ReadonlyMap<string, string>): Coverage {
  const profiles = parseGoCoverProfile(text, file);
  const files = profiles.map((p): FileCoverage => {
    let covered = 0;
    let total = 0;
    for (const b of p.blocks) {
      total += b.numStmt;
      if (b.count > 0) covered += b.numStmt;
    }
    return { path: p.fileName, lines: { covered, total }, statements: { covered, total } };
  });
  if (sources && profiles.every((p) => sources.has(p.fileName))) {
    const { covered, total } = goCoverFunc(profiles, sources).total;
    return finish('go-coverprofile', files, { lines: { covered, total }, statements: { covered, total } });
  }
  return finish('go-coverprofile', files);
}

/** An lcov tracefile (geninfo's format: SF, DA, LF/LH, BRDA, BRF/BRH, FN, FNDA, FNF/FNH, end_of_record). */
export function parseLcov(text: string, file = 'lcov.info'): Coverage {
  const files: FileCoverage[] = [];
  let cur: { path: string; da: Map<number, number>; lf?: number; lh?: number; brf?: number; brh?: number; fnf?: number; fnh?: number; brda: number[]; fnda: Map<string, number> } | undefined;
  const lines = text.split('\n');
  const num = (v: string, i: number): number => {
    const n = Number(v);
    if (v.trim() === '' || !Number.isFinite(n)) throw new InputError(`invalid number "${v}" in lcov record`, { file, line: i + 1 });
    return n;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    if (line === 'end_of_record') {
      if (!cur) throw new InputError('end_of_record without SF', { file, line: i + 1 });
      const daCovered = [...cur.da.values()].filter((n) => n > 0).length;
      const f: FileCoverage = { path: cur.path, lines: { covered: cur.lh ?? daCovered, total: cur.lf ?? cur.da.size } };
      if (cur.brf !== undefined || cur.brda.length > 0) f.branches = { covered: cur.brh ?? cur.brda.filter((n) => n > 0).length, total: cur.brf ?? cur.brda.length };
      if (cur.fnf !== undefined || cur.fnda.size > 0) f.functions = { covered: cur.fnh ?? [...cur.fnda.values()].filter((n) => n > 0).length, total: cur.fnf ?? cur.fnda.size };
      files.push(f);
      cur = undefined;
      continue;
    }
    const colon = line.indexOf(':');
    const key = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1);
    if (key === 'TN') continue;
    if (key === 'SF') {
      cur = { path: value, da: new Map(), brda: [], fnda: new Map() };
      continue;
    }
    if (!cur) throw new InputError(`"${key}" outside a record (no SF line before it)`, { file, line: i + 1 });
    const parts = value.split(',');
    switch (key) {
      case 'DA': {
        const ln = num(parts[0]!, i);
        cur.da.set(ln, (cur.da.get(ln) ?? 0) + num(parts[1] ?? '', i));
        break;
      }
      case 'LF': cur.lf = num(value, i); break;
      case 'LH': cur.lh = num(value, i); break;
      case 'BRF': cur.brf = num(value, i); break;
      case 'BRH': cur.brh = num(value, i); break;
      case 'FNF': cur.fnf = num(value, i); break;
      case 'FNH': cur.fnh = num(value, i); break;
      case 'BRDA': cur.brda.push(parts[3] === '-' ? 0 : num(parts[3] ?? '', i)); break;
      case 'FNDA': cur.fnda.set(parts.slice(1).join(','), num(parts[0]!, i)); break;
      default: break; // FN, FNL, FNA, VER and other lines carry nothing the model keeps
    }
  }
  if (cur) throw new InputError(`record for ${cur.path} has no end_of_record`, { file, line: lines.length });
  return finish('lcov', files);
}

/** "50% (1/2)" of Cobertura's condition-coverage. */
function conditions(v: string | undefined): Counter | undefined {
  const m = v ? /\((\d+)\/(\d+)\)/.exec(v) : null;
  return m ? { covered: Number(m[1]), total: Number(m[2]) } : undefined;
}

/** Cobertura XML (coverage.py, Istanbul's cobertura reporter, gcovr…): lines, branches and (where listed) methods per class file. */
export function parseCobertura(text: string, file = 'coverage.xml', root?: XmlNode): Coverage {
  const cov = children(root ?? parseXml(text, file), 'coverage')[0];
  if (!cov) throw new InputError('not a Cobertura report: no <coverage> element', { file });
  const byPath = new Map<string, { lines: Map<number, boolean>; branches: Map<number, Counter>; methods: Counter }>();
  for (const pkg of children(children(cov, 'packages')[0], 'package')) {
    for (const cls of children(children(pkg, 'classes')[0], 'class')) {
      const path = attr(cls, 'filename') ?? attr(cls, 'name') ?? '';
      let f = byPath.get(path);
      if (!f) byPath.set(path, (f = { lines: new Map(), branches: new Map(), methods: { covered: 0, total: 0 } }));
      for (const m of children(children(cls, 'methods')[0], 'method')) {
        f.methods.total++;
        if ((numAttr(m, 'hits') ?? 0) > 0 || children(children(m, 'lines')[0], 'line').some((l) => (numAttr(l, 'hits') ?? 0) > 0)) f.methods.covered++;
      }
      for (const l of children(children(cls, 'lines')[0], 'line')) {
        const nr = numAttr(l, 'number') ?? 0;
        f.lines.set(nr, (f.lines.get(nr) ?? false) || (numAttr(l, 'hits') ?? 0) > 0);
        const c = attr(l, 'branch') === 'true' ? conditions(attr(l, 'condition-coverage')) : undefined;
        if (c) f.branches.set(nr, c);
      }
    }
  }
  const files = [...byPath].map(([path, f]): FileCoverage => {
    const out: FileCoverage = { path, lines: { covered: [...f.lines.values()].filter(Boolean).length, total: f.lines.size } };
    const b = sum([...f.branches.values()]);
    if (b) out.branches = b;
    if (f.methods.total > 0) out.functions = f.methods;
    return out;
  });
  const lv = numAttr(cov, 'lines-valid');
  const lc = numAttr(cov, 'lines-covered');
  const bv = numAttr(cov, 'branches-valid');
  const bc = numAttr(cov, 'branches-covered');
  return finish('cobertura', files, {
    ...(lv !== undefined && lc !== undefined && { lines: { covered: lc, total: lv } }),
    ...(bv !== undefined && bc !== undefined && bv > 0 && { branches: { covered: bc, total: bv } }),
  });
}

/** JaCoCo XML: LINE, BRANCH and METHOD counters per source file; the report's own counters for the total. */
export function parseJacoco(text: string, file = 'jacoco.xml', root?: XmlNode): Coverage {
  const report = children(root ?? parseXml(text, file), 'report')[0];
  if (!report) throw new InputError('not a JaCoCo report: no <report> element', { file });
  const counters = (n: XmlNode): Partial<Record<string, Counter>> => {
    const out: Partial<Record<string, Counter>> = {};
    for (const c of children(n, 'counter')) {
      const missed = numAttr(c, 'missed') ?? 0;
      const covered = numAttr(c, 'covered') ?? 0;
      out[attr(c, 'type') ?? ''] = { covered, total: covered + missed };
    }
    return out;
  };
  const files: FileCoverage[] = [];
  const packages = [...children(report, 'group').flatMap((g) => children(g, 'package')), ...children(report, 'package')];
  for (const pkg of packages) {
    for (const sf of children(pkg, 'sourcefile')) {
      const c = counters(sf);
      const name = attr(pkg, 'name');
      const f: FileCoverage = { path: (name ? `${name}/` : '') + (attr(sf, 'name') ?? ''), lines: c.LINE ?? { covered: 0, total: 0 } };
      if (c.BRANCH) f.branches = c.BRANCH;
      if (c.METHOD) f.functions = c.METHOD;
      files.push(f);
    }
  }
  const t = counters(report);
  return finish('jacoco', files, { ...(t.LINE && { lines: t.LINE }), ...(t.BRANCH && { branches: t.BRANCH }), ...(t.METHOD && { functions: t.METHOD }) });
}

/** Istanbul's json-summary (coverage-summary.json): `total` and one entry per file. */
export function parseIstanbulSummary(text: string, file = 'coverage-summary.json', json?: unknown): Coverage {
  const doc = json ?? parseJson(text, file);
  if (!isRecord(doc) || !isRecord(doc.total)) throw new InputError('not an Istanbul json-summary: no "total" object', { file });
  const counter = (e: unknown, key: string): Counter | undefined => {
    const m = isRecord(e) ? e[key] : undefined;
    if (!isRecord(m) || typeof m.total !== 'number' || typeof m.covered !== 'number') return undefined;
    return { covered: m.covered, total: m.total };
  };
  const entry = (path: string, e: unknown): FileCoverage => {
    const f: FileCoverage = { path, lines: counter(e, 'lines') ?? { covered: 0, total: 0 } };
    const s = counter(e, 'statements');
    const b = counter(e, 'branches');
    const fn = counter(e, 'functions');
    if (s) f.statements = s;
    if (b) f.branches = b;
    if (fn) f.functions = fn;
    return f;
  };
  const files = Object.entries(doc).filter(([k]) => k !== 'total').map(([k, v]) => entry(k, v));
  const { path: _path, ...total } = entry('total', doc.total);
  return finish('istanbul-json-summary', files, total);
}

/** Which coverage format a text is, from its content; undefined when none fits. */
export function detectCoverageFormat(text: string): CoverageFormat | undefined {
  const t = text.replace(/^\uFEFF/, '').trimStart();
  if (t.startsWith('mode:')) return 'go-coverprofile';
  const c = firstChar(t);
  if (c !== '<' && c !== '{' && /^SF:/m.test(t)) return 'lcov';
  if (c === '<') {
    const root = /<(?!\?|!)([\w:-]+)/.exec(t.replace(/<!--[\s\S]*?-->/g, '').replace(/<!DOCTYPE[^>]*>/i, ''))?.[1];
    if (root === 'coverage') return 'cobertura';
    if (root === 'report') return 'jacoco';
    return undefined;
  }
  if (c === '{' && /"total"\s*:/.test(t)) return 'istanbul-json-summary';
  return undefined;
}

/** Parses a coverage report of any supported format, detected from its content. */
export function parseCoverage(text: string, file: string): Coverage {
  const format = detectCoverageFormat(text);
  switch (format) {
    case 'go-coverprofile': return parseGoCoverage(text, file);
    case 'lcov': return parseLcov(text, file);
    case 'cobertura': return parseCobertura(text, file);
    case 'jacoco': return parseJacoco(text, file);
    case 'istanbul-json-summary': return parseIstanbulSummary(text, file);
    default:
      throw new InputError('unknown coverage format: expected a Go coverprofile, lcov, Cobertura XML, Istanbul json-summary or JaCoCo XML', { file, line: 1 });
  }
}
