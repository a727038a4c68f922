import { describe, expect, test } from 'vitest';
import {
  formatGetAll,
  formatHistory,
  formatHooks,
  formatList,
  formatListNames,
  formatManifest,
  formatMetadata,
  formatNotes,
  formatStatus,
  formatTable,
  formatValues,
  goTrimSpace,
  historyEntries,
  listEntries,
  selectReleases,
  stringWidth,
  type ListFilter,
  type Release,
} from '../../../src/release/index.js';
import { fixtureRecords, helmOutput } from './storage-fixtures.js';

const records = fixtureRecords();
const revision = (v: number): Release => records.find((r) => r.release.version === v)!.release;
const history = records.map((r) => r.release);
const last = revision(4);
const list = (f: ListFilter) => selectReleases(records, f);

// Each case: the file helm's output was saved in (storage-testdata/generate.sh) and how we print the same.
const cases: [string, () => string][] = [
  ['list', () => formatList(listEntries(list({})))],
  ['list-all', () => formatList(listEntries(list({ all: true })))],
  ['list-all-json', () => formatList(listEntries(list({ all: true })), 'json')],
  ['list-all-yaml', () => formatList(listEntries(list({ all: true })), 'yaml')],
  ['list-superseded', () => formatList(listEntries(list({ superseded: true })))],
  ['list-failed-date', () => formatList(listEntries(list({ failed: true, superseded: true, byDate: true, reverse: true })))],
  ['list-short', () => formatListNames(list({ all: true }))],
  ['history', () => formatHistory(historyEntries(history))],
  ['history-max2', () => formatHistory(historyEntries(history, 2))],
  ['history-json', () => formatHistory(historyEntries(history), 'json')],
  ['history-yaml', () => formatHistory(historyEntries(history), 'yaml')],
  ['status', () => formatStatus(last)],
  ['status-desc', () => formatStatus(last, 'table', { showDescription: true })],
  ['status-rev1', () => formatStatus(revision(1))],
  ['status-rev3', () => formatStatus(revision(3), 'table', { showDescription: true })],
  ['status-json', () => formatStatus(last, 'json')],
  ['status-yaml', () => formatStatus(last, 'yaml')],
  ['status-rev1-json', () => formatStatus(revision(1), 'json')],
  ['get-manifest', () => formatManifest(last)],
  ['get-notes', () => formatNotes(last)],
  ['get-hooks', () => formatHooks(last)],
  ['get-values', () => formatValues(last)],
  ['get-values-json', () => formatValues(last, 'json')],
  ['get-values-yaml', () => formatValues(last, 'yaml')],
  ['get-values-all', () => formatValues(last, 'table', true)],
  ['get-values-all-json', () => formatValues(last, 'json', true)],
  ['get-values-rev1', () => formatValues(revision(1))],
  ['get-all', () => formatGetAll(last)],
  ['get-all-rev1', () => formatGetAll(revision(1))],
  ['get-metadata', () => formatMetadata(last)],
  ['get-metadata-json', () => formatMetadata(last, 'json')],
  ['get-metadata-yaml', () => formatMetadata(last, 'yaml')],
];

describe('printing the fixture release as helm 3.22 printed it', () => {
  test.each(cases)('helm %s', (name, ours) => {
    expect(ours()).toBe(helmOutput(name));
  });
});

describe('tables as gosuri/uitable prints them (expected text from Go)', () => {
  test('cells padded to the column width, tab separated, the last column too', () => {
    expect(
      formatTable([
        ['NAME', 'DESC'],
        ['a', 'one\ntwo lines'],
        ['日本語', 'x'],
        [42, ''],
        ['é\u0301', '\u001b[31mred\u001b[0m'],
      ]),
    ).toBe('NAME  \tDESC     \na     \tone      \n      \ttwo...   \n日本語\tx        \n42    \t         \né́     \t\u001b[31mred\u001b[0m      \n');
  });

  test('a multi-line cell wider than its column in total is cut with "..."', () => {
    expect(formatTable([['H1', 'H2', 'H3'], ['first line is long\nb', 'x\ny\nz', '']])).toBe('H1                \tH2\tH3\nfirst line is l...\tx...\t  \n');
  });

  test('an empty cell under a header is spaces; an empty table is one newline', () => {
    expect(formatTable([['A'], ['']])).toBe('A\n \n');
    expect(formatTable([])).toBe('\n');
  });

  test.each([
    ['abc', 3],
    ['日本', 4],
    ['e\u0301', 1],
    ['\u001b[1mbold\u001b[0m', 4],
    ['tab\there', 7],
    ['🚀', 2],
  ])('%j is %i cells wide', (s, w) => {
    expect(stringWidth(s)).toBe(w);
  });
});

describe('the status printer', () => {
  const base: Release = { ...last, hooks: [], info: { ...last.info, notes: '\n\n  notes\u00a0\n\ufeff' } };

  test('NOTES are trimmed of Unicode white space as Go trims them (a BOM is not white space)', () => {
    expect(goTrimSpace('\u0085 x \u3000')).toBe('x');
    expect(formatStatus(base)).toContain('NOTES:\nnotes\u00a0\n\ufeff\n');
  });

  test('without test hooks it says TEST SUITE: None; a release never deployed has no LAST DEPLOYED line', () => {
    const text = formatStatus({ ...base, info: { ...base.info, last_deployed: '' } });
    expect(text).toContain('TEST SUITE: None\n');
    expect(text).not.toContain('LAST DEPLOYED');
  });

  test('a dry run shows hooks and manifest', () => {
    expect(formatStatus({ ...base, manifest: 'M', info: { ...base.info, description: 'Dry run complete' } })).toContain('HOOKS:\nMANIFEST:\nM\n');
  });

  test('a release without user values prints null for them', () => {
    expect(formatValues({ ...base, config: {} })).toBe('USER-SUPPLIED VALUES:\nnull\n');
    expect(formatValues({ ...base, config: {} }, 'json')).toBe('null\n');
  });
});
