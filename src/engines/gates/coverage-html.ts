/**
 * A coverage report as static HTML: `index.html` with one row per file (path, covered/total,
 * percentage and a bar), sorted by path, and the report's own totals; and, for each file whose
 * line data or source is given, a page with its source lines marked covered, not covered or
 * partly covered.
 *
 * Pure: the caller reads the sources and writes the pages. Line data comes from the caller:
 * {@link goLineHits} makes it from a Go coverprofile's blocks ({@link parseGoCoverProfile});
 * the other formats' parsers keep only counts.
 */
import { goPercentText, type GoProfile } from './go-cover.js';
import type { Counter, Coverage, FileCoverage } from './types.js';

/** How often a line ran; `partial` when some of the code on it ran and some did not. */
export interface LineHit {
  hits: number;
  partial?: boolean;
}

export interface CoverageHtmlOptions {
  /** Page title. @default "Coverage report" */
  title?: string;
  /** Source text of files, keyed by their path in the report. */
  sources?: ReadonlyMap<string, string>;
  /** Per-line hits of files, keyed by their path in the report, then by 1-based line. */
  lines?: ReadonlyMap<string, ReadonlyMap<number, LineHit>>;
  /** A line under the title, e.g. "web #12 · test/1"; no clock is read here. */
  subtitle?: string;
}

/** The file an HTML report's index is written to. */
export const COVERAGE_INDEX = 'index.html';

/**
 * Line hits of a Go coverprofile: every line a block spans gets the block's count; a line
 * spanned by blocks that ran and blocks that did not is partial (and counts the hits it got).
 * Blocks without statements (an empty function body) are left out.
 */
export function goLineHits(profiles: readonly GoProfile[]): Map<string, Map<number, LineHit>> {
  const out = new Map<string, Map<number, LineHit>>();
  for (const p of profiles) {
    const lines = new Map<number, { hits: number; ran: boolean; missed: boolean }>();
    for (const b of p.blocks) {
      if (b.numStmt === 0) continue;
      for (let l = b.startLine; l <= b.endLine; l++) {
        const cur = lines.get(l) ?? { hits: 0, ran: false, missed: false };
        cur.hits = Math.max(cur.hits, b.count);
        if (b.count > 0) cur.ran = true;
        else cur.missed = true;
        lines.set(l, cur);
      }
    }
    const hits = new Map<number, LineHit>();
    for (const [l, c] of [...lines].sort((a, b) => a[0] - b[0])) hits.set(l, c.ran && c.missed ? { hits: c.hits, partial: true } : { hits: c.hits });
    out.set(p.fileName, hits);
  }
  return out;
}

/** `&`, `<`, `>`, `"` and `'` as entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

const byPath = (a: FileCoverage, b: FileCoverage): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The page name of a file's report: its place in path order and its base name, so names are unique and readable. */
function pageName(index: number, path: string): string {
  const base = path.split(/[\\/]/).pop() || 'file';
  return `${String(index + 1).padStart(3, '0')}-${base.replace(/[^A-Za-z0-9._-]/g, '_')}.html`;
}

function level(covered: number, total: number): 'high' | 'medium' | 'low' | 'none' {
  if (total === 0) return 'none';
  const pct = (100 * covered) / total;
  return pct >= 80 ? 'high' : pct >= 50 ? 'medium' : 'low';
}

function pct(c: Counter): string {
  return c.total === 0 ? '-' : goPercentText(c.covered, c.total);
}

function bar(c: Counter): string {
  const width = c.total === 0 ? 0 : Math.floor((1000 * c.covered) / c.total) / 10;
  return `<div class="bar"><div class="fill ${level(c.covered, c.total)}" style="width:${width}%"></div></div>`;
}

const counterCell = (c: Counter | undefined): string => (c ? `<td class="num">${c.covered}/${c.total}</td><td class="num">${pct(c)}</td>` : '<td class="num">-</td><td class="num">-</td>');

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem;color:#1f2328}
h1{font-size:1.4rem;margin:0 0 .25rem}
p.sub{color:#59636e;margin:0 0 1rem}
table{border-collapse:collapse;font-size:.9rem}
th,td{padding:.3rem .6rem;border-bottom:1px solid #d1d9e0;text-align:left}
th{background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total td{font-weight:600;border-top:2px solid #1f2328}
.bar{width:120px;height:.7rem;background:#ffebe9;border:1px solid #d1d9e0}
.fill{height:100%}
.high{background:#2da44e}.medium{background:#d4a72c}.low{background:#cf222e}.none{background:transparent}
pre{margin:0}
table.src td{border:0;padding:0 .6rem;font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.85rem;white-space:pre}
table.src td.ln,table.src td.hits{color:#59636e;text-align:right;user-select:none}
tr.cov td.code{background:#dafbe1}tr.unc td.code{background:#ffebe9}tr.part td.code{background:#fff8c5}
`.trim();

function page(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}

/**
 * The report's pages: file name → HTML. `index.html` is always there; a page per file is
 * added for each file with line data or source text, linked from its row.
 */
export function renderCoverageHtml(cov: Coverage, opts: CoverageHtmlOptions = {}): Map<string, string> {
  const title = opts.title ?? 'Coverage report';
  const unit = cov.format === 'go-coverprofile' ? 'Statements' : 'Lines';
  const files = [...cov.files].sort(byPath);
  const hasBranches = cov.total.branches !== undefined;
  const hasFunctions = cov.total.functions !== undefined;
  const out = new Map<string, string>();
  const rows: string[] = [];
  files.forEach((f, i) => {
    const lines = opts.lines?.get(f.path);
    const source = opts.sources?.get(f.path);
    let name = escapeHtml(f.path);
    if (lines !== undefined || source !== undefined) {
      const file = pageName(i, f.path);
      out.set(file, filePage(f, unit, title, lines, source));
      name = `<a href="${escapeHtml(file)}">${name}</a>`;
    }
    rows.push(
      `<tr><td>${name}</td>${counterCell(f.lines)}<td>${bar(f.lines)}</td>` +
        (hasBranches ? counterCell(f.branches) : '') +
        (hasFunctions ? counterCell(f.functions) : '') +
        '</tr>',
    );
  });
  const t = cov.total;
  const head =
    `<tr><th>File</th><th class="num">${unit}</th><th class="num">%</th><th></th>` +
    (hasBranches ? '<th class="num">Branches</th><th class="num">%</th>' : '') +
    (hasFunctions ? '<th class="num">Functions</th><th class="num">%</th>' : '') +
    '</tr>';
  const total =
    `<tr class="total"><td>Total (${files.length} ${files.length === 1 ? 'file' : 'files'})</td>` +
    `<td class="num">${t.lines.covered}/${t.lines.total}</td><td class="num">${escapeHtml(t.percentText)}</td><td>${bar(t.lines)}</td>` +
    (hasBranches ? counterCell(t.branches) : '') +
    (hasFunctions ? counterCell(t.functions) : '') +
    '</tr>';
  const sub = opts.subtitle !== undefined ? `<p class="sub">${escapeHtml(opts.subtitle)}</p>\n` : '';
  const body =
    `<h1>${escapeHtml(title)}</h1>\n${sub}` +
    `<p class="sub">${escapeHtml(t.percentText)} of ${unit.toLowerCase()} covered (${t.lines.covered}/${t.lines.total})</p>\n` +
    `<table class="files">\n<thead>${head}</thead>\n<tbody>\n${rows.join('\n')}${rows.length > 0 ? '\n' : ''}</tbody>\n<tfoot>${total}</tfoot>\n</table>`;
  const result = new Map<string, string>([[COVERAGE_INDEX, page(title, body)]]);
  for (const [k, v] of out) result.set(k, v);
  return result;
}

function filePage(f: FileCoverage, unit: string, title: string, lines: ReadonlyMap<number, LineHit> | undefined, source: string | undefined): string {
  const text = source !== undefined ? source.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n') : [];
  const last = Math.max(text.length, ...(lines ? [...lines.keys()] : [0]));
  const rows: string[] = [];
  for (let n = 1; n <= last; n++) {
    const hit = lines?.get(n);
    const cls = hit === undefined ? '' : hit.partial ? 'part' : hit.hits > 0 ? 'cov' : 'unc';
    const hits = hit === undefined ? '' : String(hit.hits);
    rows.push(`<tr id="L${n}"${cls ? ` class="${cls}"` : ''}><td class="ln">${n}</td><td class="hits">${hits}</td><td class="code">${escapeHtml(text[n - 1] ?? '')}</td></tr>`);
  }
  const body =
    `<p><a href="${COVERAGE_INDEX}">${escapeHtml(title)}</a></p>\n` +
    `<h1>${escapeHtml(f.path)}</h1>\n` +
    `<p class="sub">${pct(f.lines)} of ${unit.toLowerCase()} covered (${f.lines.covered}/${f.lines.total})${source === undefined ? ' · source not available' : ''}</p>\n` +
    `<table class="src">\n<tbody>\n${rows.join('\n')}${rows.length > 0 ? '\n' : ''}</tbody>\n</table>`;
  return page(`${f.path} · ${title}`, body);
}
