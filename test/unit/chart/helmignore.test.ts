import { describe, expect, test } from 'vitest';
import { memoryFileSystem } from '../../../src/core/index.js';
import { DEFAULT_HELMIGNORE_RULE, emptyHelmignore, parseHelmignore } from '../../../src/engines/chart/helmignore.js';
import { loadChart } from '../../../src/engines/chart/loader.js';
import type { Chart } from '../../../src/engines/chart/types.js';

// .helmignore as helm v3 reads it (pkg/ignore/rules.go), including its own reading of `!`.

describe('parsing rules (rules_test.go TestParse, TestParseFail)', () => {
  test('comments and blank lines are skipped, rules keep their order', () => {
    const rules = parseHelmignore('#ignore\n\n\t#ignore\nfoo\nbar/*\nbaz/bar/foo.txt\n\none/more\n');
    expect(rules.rules.map((r) => r.raw)).toEqual(['foo', 'bar/*', 'baz/bar/foo.txt', 'one/more']);
  });

  test.each([
    ['foo/**/bar', 'double-star (**) syntax is not supported'],
    ['[z-', 'syntax error in pattern'],
    ['a\\', 'syntax error in pattern'],
    ['[]a]', 'syntax error in pattern'],
  ])('%j is rejected: %s', (rule, message) => {
    expect(() => parseHelmignore(rule)).toThrow(message);
  });

  test('helm validates only the first chunk of a glob, as filepath.Match does', () => {
    expect(() => parseHelmignore('x*[')).not.toThrow();
  });

  test('the default rule ignores dotfiles in templates/', () => {
    const rules = emptyHelmignore({ addDefaults: true });
    expect(rules.rules.map((r) => r.raw)).toEqual([DEFAULT_HELMIGNORE_RULE]);
    expect(rules.ignores('templates/.dotfile', false)).toBe(true);
    expect(rules.ignores('templates/sub/.dotfile', false)).toBe(false);
    expect(rules.ignores('charts/a/templates/.dotfile', false)).toBe(false);
  });

  test('a BOM on the first line is dropped', () => {
    expect(parseHelmignore('\uFEFF*.md').ignores('README.md', false)).toBe(true);
  });
});

/** rules_test.go TestIgnore: pattern, path, whether the path is a directory, ignored? */
const IGNORE_CASES: [string, string, boolean, boolean][] = [
  ['helm.txt', 'helm.txt', false, true],
  ['helm.*', 'helm.txt', false, true],
  ['helm.*', 'rudder.txt', false, false],
  ['*.txt', 'tiller.txt', false, true],
  ['*.txt', 'cargo/a.txt', false, true],
  ['cargo/*.txt', 'cargo/a.txt', false, true],
  ['cargo/*.*', 'cargo/a.txt', false, true],
  ['cargo/*.txt', 'mast/a.txt', false, false],
  ['ru[c-e]?er.txt', 'rudder.txt', false, true],
  ['templates/.?*', 'templates/.dotfile', false, true],
  ['.*', '.', true, false],
  ['.*', './', true, false],
  ['.*', '.joonix', false, true],
  ['.*', 'helm.txt', false, false],
  ['.*', '', true, false],
  ['cargo/', 'cargo', true, true],
  ['cargo/', 'cargo/', true, true],
  ['cargo/', 'mast/', true, false],
  ['helm.txt/', 'helm.txt', false, false],
  ['!helm.txt', 'helm.txt', false, false],
  ['!helm.txt', 'tiller.txt', false, true],
  ['!*.txt', 'cargo', true, true],
  ['!cargo/', 'mast/', true, true],
  ['/a.txt', 'a.txt', false, true],
  ['/a.txt', 'cargo/a.txt', false, false],
  ['/cargo/a.txt', 'cargo/a.txt', false, true],
  // beyond upstream's table
  ['!cargo/', 'cargo/a.txt', false, true],
  ['[!a]*.txt', 'b.txt', false, false],
  ['[^a]*.txt', 'b.txt', false, true],
  ['\\*.txt', '*.txt', false, true],
  ['docs', 'docs/deep', true, false],
  ['*', 'docs/a.txt', false, true],
];

describe('matching (rules_test.go TestIgnore)', () => {
  test.each(IGNORE_CASES)('%j on %j (dir: %s) ignores: %s', (pattern, path, isDir, want) => {
    expect(parseHelmignore(pattern).ignores(path, isDir)).toBe(want);
  });
});

/** The tree every directory case starts from; templates print their name. */
const TREE = [
  'Chart.yaml',
  'values.yaml',
  'README.md',
  'a.txt',
  'b.md',
  'docs/a.txt',
  'docs/deep/b.txt',
  'files/x.conf',
  'files/.hidden',
  '.hiddenroot',
  'ci/test-values.yaml',
  'templates/t1.yaml',
  'templates/_helpers.tpl',
  'templates/.dot.yaml',
  'templates/sub/t2.yaml',
  'templates/sub/.dot2.yaml',
  'templates/NOTES.txt',
  'crds/crd.yaml',
  'charts/sub/Chart.yaml',
  'charts/sub/templates/s.yaml',
  'charts/sub/templates/.sdot.yaml',
  'charts/sub/extra.txt',
  'charts/sub/docs/x.txt',
];

function treeFiles(helmignore: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of TREE) {
    files[`ig/${f}`] =
      f === 'values.yaml' ? 'x: 1\n' : f === 'Chart.yaml' ? 'apiVersion: v2\nname: ig\nversion: 0.1.0\n' : f === 'charts/sub/Chart.yaml' ? 'apiVersion: v2\nname: sub\nversion: 0.1.0\n' : 'content\n';
  }
  if (helmignore !== '') files['ig/.helmignore'] = helmignore;
  return files;
}

/** Rendered templates ("ig/templates/x.yaml"), as `helm template` names them in `# Source:`. */
function yamlTemplates(c: Chart, prefix = c.metadata.name): string[] {
  const own = c.templates.filter((t) => t.name.endsWith('.yaml')).map((t) => `${prefix}/${t.name}`);
  return [...own, ...c.dependencies.flatMap((d) => yamlTemplates(d, `${prefix}/charts/${d.metadata.name}`))].sort();
}

type DirExpect = { templates: string[]; files: string[] } | { error: string };

/**
 * Whole chart directories with a .helmignore, loaded by the real helm v3.22.0 (the oracle): the
 * templates it rendered and the top chart's `.Files`, or its error. Note that the subchart's
 * files are matched against paths from the top chart ("charts/sub/..."), that a subchart's own
 * dotfiles in templates/ are kept, and what a negated rule does.
 */
const DIR_CASES: [string, string, DirExpect][] = [
  ["none", "", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["comments", "# comment\n\n   \n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["glob", "*.txt\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","b.md","ci/test-values.yaml","crds/crd.yaml","files/.hidden","files/x.conf"] }],
  ["dir", "docs/\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","files/.hidden","files/x.conf"] }],
  ["dir-no-slash", "docs\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","files/.hidden","files/x.conf"] }],
  ["path", "docs/*.txt\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["anchored", "/a.txt\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["anchored-dir", "/files\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt"] }],
  ["negate", "!README.md\n", { error: "Chart.yaml file is missing" }],
  ["negate-after", "*.md\n!README.md\n", { error: "Chart.yaml file is missing" }],
  ["negate-dir", "!docs/\n", { error: "Chart.yaml file is missing" }],
  ["class", "[ab].*\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","ci/test-values.yaml","crds/crd.yaml","files/.hidden","files/x.conf"] }],
  ["question", "?.txt\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","b.md","ci/test-values.yaml","crds/crd.yaml","files/.hidden","files/x.conf"] }],
  ["dot", ".*\n", { templates: ["ig/charts/sub/templates/s.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: ["README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/x.conf"] }],
  ["templates", "templates/sub/\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["subchart", "charts/sub/docs/\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["sub-extra", "extra.txt\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["crlf", "*.md\r\nci/\r\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","a.txt","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["bom", "\uFEFF*.md\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","a.txt","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["spaces", "   a.txt   \n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","b.md","ci/test-values.yaml","crds/crd.yaml","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["escape", "a\\.txt\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","b.md","ci/test-values.yaml","crds/crd.yaml","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["templates-file", "templates/t1.yaml\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","docs/deep/b.txt","files/.hidden","files/x.conf"] }],
  ["nested-path", "docs/deep/*\n", { templates: ["ig/charts/sub/templates/.sdot.yaml","ig/charts/sub/templates/s.yaml","ig/templates/sub/.dot2.yaml","ig/templates/sub/t2.yaml","ig/templates/t1.yaml"], files: [".helmignore",".hiddenroot","README.md","a.txt","b.md","ci/test-values.yaml","crds/crd.yaml","docs/a.txt","files/.hidden","files/x.conf"] }],
];

describe('loading a chart directory with .helmignore, against helm v3.22.0', () => {
  test.each(DIR_CASES)('%s', async (_name, helmignore, want) => {
    const load = loadChart('ig', memoryFileSystem(treeFiles(helmignore)));
    if ('error' in want) {
      await expect(load).rejects.toThrow(want.error);
      return;
    }
    const chart = await load;
    expect(yamlTemplates(chart)).toEqual(want.templates);
    expect(chart.files.map((f) => f.name).sort()).toEqual([...want.files].sort());
  });

  test('a bad rule fails the load with helm message and names the file', async () => {
    const load = loadChart('ig', memoryFileSystem(treeFiles('docs/**\n')));
    await expect(load).rejects.toMatchObject({ message: 'double-star (**) syntax is not supported', at: { file: 'ig/.helmignore' } });
  });
});
