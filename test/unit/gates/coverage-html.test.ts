import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import {
  COVERAGE_INDEX,
  escapeHtml,
  goLineHits,
  parseCobertura,
  parseGoCoverProfile,
  parseGoCoverage,
  parseLcov,
  renderCoverageHtml,
} from '../../../src/engines/gates/index.js';

/** The rows of the index's file table: [name cell text, covered/total, percent]. */
function indexRows(html: string): string[][] {
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(html)![1]!;
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].slice(0, 3).map((c) => c[1]!.replace(/<[^>]+>/g, '')));
}

function totalRow(html: string): string[] {
  const foot = /<tfoot><tr class="total">([\s\S]*?)<\/tr><\/tfoot>/.exec(html)![1]!;
  return [...foot.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].slice(0, 3).map((c) => c[1]!.replace(/<[^>]+>/g, ''));
}

/** Class of each source line of a per-file page: line number → "cov" | "unc" | "part" | "". */
function lineClasses(html: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of html.matchAll(/<tr id="L(\d+)"(?: class="(\w+)")?>/g)) out.set(Number(m[1]), m[2] ?? '');
  return out;
}

const lcov = (...files: [string, [number, number][]][]): string =>
  files.map(([sf, da]) => [`SF:${sf}`, ...da.map(([l, h]) => `DA:${l},${h}`), `LF:${da.length}`, `LH:${da.filter(([, h]) => h > 0).length}`, 'end_of_record'].join('\n')).join('\n') + '\n';

describe('index page', () => {
  test('rows sorted by path, with covered/total and percent per file, and the report\'s totals', () => {
    const cov = parseLcov(
      lcov(
        ['src/zeta.ts', [[1, 1], [2, 0]]],
        ['src/alpha.ts', [[1, 1], [2, 1], [3, 1]]],
        ['lib/Beta.ts', [[1, 0], [2, 0], [3, 0], [4, 1]]],
        ['src/alpha/inner.ts', [[1, 0]]],
      ),
    );
    const pages = renderCoverageHtml(cov);
    expect([...pages.keys()]).toEqual([COVERAGE_INDEX]);
    const html = pages.get(COVERAGE_INDEX)!;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(indexRows(html)).toEqual([
      ['lib/Beta.ts', '1/4', '25.0%'],
      ['src/alpha.ts', '3/3', '100.0%'],
      ['src/alpha/inner.ts', '0/1', '0.0%'],
      ['src/zeta.ts', '1/2', '50.0%'],
    ]);
    expect(totalRow(html)).toEqual(['Total (4 files)', `${cov.total.lines.covered}/${cov.total.lines.total}`, cov.total.percentText]);
    expect(totalRow(html)).toEqual(['Total (4 files)', '5/10', '50.0%']);
    // bars: width and colour band follow the percentage
    expect(html).toContain('<div class="fill high" style="width:100%">');
    expect(html).toContain('<div class="fill low" style="width:25%">');
    expect(html).toContain('<div class="fill medium" style="width:50%">');
  });

  test('paths, title, subtitle and source text are escaped', () => {
    const evil = `src/<img src=x onerror="alert('x')">&amp;.ts`;
    const cov = parseLcov(lcov([evil, [[1, 1], [2, 0]]]));
    const source = `const a = 1 < 2 && "x";\nconst b = '<script>alert(1)</script>';\n`;
    const pages = renderCoverageHtml(cov, {
      title: 'Coverage <b>web</b>',
      subtitle: 'web #3 & "test"',
      sources: new Map([[evil, source]]),
      lines: new Map([[evil, new Map([[1, { hits: 1 }], [2, { hits: 0 }]])]]),
    });
    const all = [...pages.values()].join('\n');
    expect(all).not.toContain('<img');
    expect(all).not.toContain('<script>');
    expect(all).not.toContain('<b>');
    const index = pages.get(COVERAGE_INDEX)!;
    expect(index).toContain('<title>Coverage &lt;b&gt;web&lt;/b&gt;</title>');
    expect(index).toContain('web #3 &amp; &quot;test&quot;');
    expect(index).toContain('src/&lt;img src=x onerror=&quot;alert(&#39;x&#39;)&quot;&gt;&amp;amp;.ts');
    const [pageName, page] = [...pages].find(([k]) => k !== COVERAGE_INDEX)!;
    expect(pageName).toMatch(/^[A-Za-z0-9._-]+\.html$/);
    expect(index).toContain(`<a href="${pageName}">`);
    expect(page).toContain('const a = 1 &lt; 2 &amp;&amp; &quot;x&quot;;');
    expect(page).toContain('&#39;&lt;script&gt;alert(1)&lt;/script&gt;&#39;');
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  test('Cobertura: the totals row is the report\'s declared total, and branch columns appear', () => {
    const xml = `<?xml version="1.0"?>
<coverage lines-valid="10" lines-covered="7" branches-valid="4" branches-covered="1">
  <packages><package name="p"><classes>
    <class name="b" filename="pkg/b.py"><lines><line number="1" hits="1"/><line number="2" hits="0" branch="true" condition-coverage="50% (1/2)"/></lines></class>
    <class name="a" filename="pkg/a.py"><lines><line number="1" hits="3"/></lines></class>
  </classes></package></packages>
</coverage>`;
    const cov = parseCobertura(xml);
    const html = renderCoverageHtml(cov).get(COVERAGE_INDEX)!;
    expect(indexRows(html).map((r) => r[0])).toEqual(['pkg/a.py', 'pkg/b.py']);
    expect(totalRow(html)).toEqual(['Total (2 files)', '7/10', cov.total.percentText]);
    expect(html).toContain('<th class="num">Branches</th>');
    expect(html).toContain('<td class="num">1/4</td>');
  });

  test('an empty report still has an index', () => {
    const cov = parseLcov('');
    const pages = renderCoverageHtml(cov);
    expect([...pages.keys()]).toEqual([COVERAGE_INDEX]);
    expect(indexRows(pages.get(COVERAGE_INDEX)!)).toEqual([]);
    expect(totalRow(pages.get(COVERAGE_INDEX)!)).toEqual(['Total (0 files)', '0/0', cov.total.percentText]);
  });
});

describe('goLineHits', () => {
  test('block counts per line; a line shared by a run and an unrun block is partial', () => {
    const profiles = parseGoCoverProfile('mode: count\nm/a.go:3.19,4.11 1 5\nm/a.go:4.11,6.3 1 0\nm/a.go:7.2,7.10 1 0\nm/a.go:9.1,9.5 0 0\n');
    expect([...goLineHits(profiles).get('m/a.go')!]).toEqual([
      [3, { hits: 5 }],
      [4, { hits: 5, partial: true }],
      [5, { hits: 0 }],
      [6, { hits: 0 }],
      [7, { hits: 0 }],
    ]);
  });
});

// A real report: `go test -coverprofile` on a small module, rendered with the sources; Go's own
// `go tool cover -html` of the same profile is the judge of which lines ran.
describe('a Go module\'s report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-covhtml-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const MOD = 'example.com/covhtml';
  const files: Record<string, string> = {
    'go.mod': `module ${MOD}\n\ngo 1.21\n`,
    'calc.go': `package covhtml

// Clamp keeps x within [lo, hi].
func Clamp(x, lo, hi int) int {
	if x < lo {
		return lo
	}
	if x > hi {
		return hi
	}
	return x
}

// Both reports a && b as "<both>".
func Both(a, b bool) string {
	if a && b {
		return "<both>"
	}
	return "&neither"
}

var hook = func() int { return 42 }

func Never() int {
	n := 0
	for i := 0; i < 3; i++ {
		n += i
	}
	return n
}
`,
    'calc_test.go': `package covhtml

import "testing"

func TestClamp(t *testing.T) {
	if Clamp(5, 0, 10) != 5 || Clamp(-1, 0, 10) != 0 {
		t.Fatal("clamp")
	}
	if Both(true, true) != "<both>" {
		t.Fatal("both")
	}
}
`,
    'z/zed.go': `package z

func Z(s string) int { return len(s) }
`,
    'z/zed_test.go': `package z

import "testing"

func TestZ(t *testing.T) { Z("x") }
`,
  };
  for (const [name, text] of Object.entries(files)) {
    execFileSync('mkdir', ['-p', join(dir, name, '..')]);
    writeFileSync(join(dir, name), text);
  }
  const env = { ...process.env, GOFLAGS: '-mod=mod', GOTOOLCHAIN: 'local', GOWORK: 'off' };
  const profile = join(dir, 'cover.out');

  test('rows, totals and per-line marks agree with go test and go tool cover', () => {
    execFileSync('go', ['test', '-covermode=count', `-coverprofile=${profile}`, './...'], { cwd: dir, env, stdio: 'pipe' });
    const text = readFileSync(profile, 'utf8');
    const sources = new Map(Object.entries(files).filter(([n]) => n.endsWith('.go') && !n.endsWith('_test.go')).map(([n, t]) => [`${MOD}/${n}`, t]));
    const cov = parseGoCoverage(text, profile, sources);
    const lines = goLineHits(parseGoCoverProfile(text, profile));
    const pages = renderCoverageHtml(cov, { title: 'covhtml', sources, lines });
    const index = pages.get(COVERAGE_INDEX)!;

    // rows: the parser's per-file statements, sorted by path; totals: the parser's (go tool cover -func's) total
    expect(indexRows(index)).toEqual(
      [...cov.files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => [f.path, `${f.lines.covered}/${f.lines.total}`, `${((100 * f.lines.covered) / f.lines.total).toFixed(1)}%`]),
    );
    expect(indexRows(index).map((r) => r[0])).toEqual([`${MOD}/calc.go`, `${MOD}/z/zed.go`]);
    const func = execFileSync('go', ['tool', 'cover', `-func=${profile}`], { cwd: dir, env }).toString();
    const goTotal = /^total:\s+\(statements\)\s+(\S+)$/m.exec(func)![1]!;
    expect(totalRow(index)[2]).toBe(goTotal);
    expect(totalRow(index)).toEqual(['Total (2 files)', `${cov.total.lines.covered}/${cov.total.lines.total}`, cov.total.percentText]);
    expect(index).toContain('<th class="num">Statements</th>');

    // one page per file, linked from the index
    const pageOf = (path: string): string => {
      const name = new RegExp(`<a href="([^"]+)">${path.replace(/[.]/g, '\\.')}</a>`).exec(index)![1]!;
      return pages.get(name)!;
    };
    expect(pages.size).toBe(3);
    const calc = pageOf(`${MOD}/calc.go`);
    expect(calc).toContain('return &quot;&lt;both&gt;&quot;');
    expect(calc).toContain('<a href="index.html">covhtml</a>');

    // Go's HTML is the judge of which lines ran: each line where Go shows only run code is
    // covered (or partial) here, each line where it shows only unrun code is not covered (or partial)
    execFileSync('go', ['tool', 'cover', `-html=${profile}`, '-o', join(dir, 'go.html')], { cwd: dir, env });
    const goLines = goHtmlLines(readFileSync(join(dir, 'go.html'), 'utf8'), `${MOD}/calc.go`);
    const ours = lineClasses(calc);
    expect(ours.size).toBe(files['calc.go']!.split('\n').length - 1);
    let compared = 0;
    for (const [line, seen] of goLines) {
      const mine = ours.get(line);
      if (seen.has('ran') && !seen.has('unrun')) expect([line, mine]).toEqual([line, expect.stringMatching(/^(cov|part)$/)]);
      if (seen.has('unrun') && !seen.has('ran')) expect([line, mine]).toEqual([line, expect.stringMatching(/^(unc|part)$/)]);
      if (seen.has('ran') && seen.has('unrun')) expect([line, mine]).toEqual([line, 'part']);
      compared++;
    }
    expect(compared).toBeGreaterThan(10);
    // the body of Never is not covered; Clamp's first branch ran
    const src = files['calc.go']!.split('\n');
    expect(ours.get(src.indexOf('\t\tn += i') + 1)).toBe('unc');
    expect(ours.get(src.indexOf('\t\treturn lo') + 1)).toBe('cov');
    expect(ours.get(src.indexOf('\t\treturn hi') + 1)).toBe('unc');
    expect(ours.get(1)).toBe(''); // package clause: no block
  }, 120_000);
});

/**
 * Lines of one file in `go tool cover -html` output, with whether non-blank text on them is
 * inside a run block (class cov1..cov10) or an unrun one (cov0).
 */
function goHtmlLines(html: string, file: string): Map<number, Set<'ran' | 'unrun'>> {
  const id = new RegExp(`<option value="(file\\d+)">${file.replace(/[.]/g, '\\.')} \\(`).exec(html)![1]!;
  const pre = new RegExp(`<pre class="file" id="${id}"[^>]*>([\\s\\S]*?)</pre>`).exec(html)![1]!;
  const out = new Map<number, Set<'ran' | 'unrun'>>();
  let line = 1;
  let cls: 'ran' | 'unrun' | undefined;
  for (const m of pre.matchAll(/<span class="cov(\d+)" title="\d+">|<\/span>|&[a-z#0-9]+;|[^<&]/g)) {
    const tok = m[0];
    if (tok.startsWith('<span')) cls = m[1] === '0' ? 'unrun' : 'ran';
    else if (tok === '</span>') cls = undefined;
    else if (tok === '\n') line++;
    else if (cls && /\S/.test(tok)) {
      const set = out.get(line) ?? new Set();
      set.add(cls);
      out.set(line, set);
    }
  }
  return out;
}
