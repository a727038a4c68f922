import { describe, expect, test } from 'vitest';
import { InputError } from '../../../src/core/index.js';
import {
  formatGoFixed1,
  goCoverFunc,
  goFuncExtents,
  goPercentText,
  parseCoverage,
  parseGoCoverProfile,
  parseGoCoverage,
} from '../../../src/engines/gates/index.js';

// A profile as `go test -coverprofile` writes it (the example of the issue: 2 of 3 statements).
const PROFILE = `mode: set
example.com/m/a.go:3.20,4.11 1 1
example.com/m/a.go:4.11,6.3 1 0
example.com/m/a.go:7.2,7.10 1 1
`;
const SOURCE = `package m

func Abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
`;

describe('gates: Go coverprofile', () => {
  test('the total is the statements covered, printed as go tool cover -func prints it', () => {
    const c = parseCoverage(PROFILE, 'c.out');
    expect(c.format).toBe('go-coverprofile');
    expect(c.files).toEqual([{ path: 'example.com/m/a.go', lines: { covered: 2, total: 3 }, statements: { covered: 2, total: 3 } }]);
    expect(c.total.percentText).toBe('66.7%');
    expect(c.total.percent).toBeCloseTo(66.667, 2);
  });

  test('go tool cover -func output, tabwriter layout included', () => {
    const r = goCoverFunc(parseGoCoverProfile(PROFILE), new Map([['example.com/m/a.go', SOURCE]]));
    expect(r.text).toBe('example.com/m/a.go:3:\tAbs\t\t66.7%\ntotal:\t\t\t(statements)\t66.7%\n');
    expect(r.funcs).toEqual([{ file: 'example.com/m/a.go', line: 3, name: 'Abs', covered: 2, total: 3, percentText: '66.7%' }]);
  });

  test('duplicate blocks merge as x/tools/cover does: OR in set mode, sum in count mode', () => {
    const dup = (mode: string) => `mode: ${mode}\na.go:1.1,2.2 2 0\na.go:1.1,2.2 2 3\nb.go:1.1,1.5 1 0\na.go:3.1,4.1 1 1\n`;
    const set = parseGoCoverProfile(dup('set'));
    expect(set.map((p) => p.fileName)).toEqual(['a.go', 'b.go']);
    expect(set[0]!.blocks.map((b) => b.count)).toEqual([3, 1]); // 0 | 3
    expect(parseGoCoverProfile(dup('count'))[0]!.blocks.map((b) => b.count)).toEqual([3, 1]);
    expect(parseGoCoverProfile('mode: count\na.go:1.1,2.2 2 2\na.go:1.1,2.2 2 3\n')[0]!.blocks[0]!.count).toBe(5);
    expect(parseGoCoverage(dup('set')).total.lines).toEqual({ covered: 3, total: 4 });
    expect(() => parseGoCoverProfile('mode: set\na.go:1.1,2.2 2 0\na.go:1.1,2.2 3 0\n')).toThrow(/inconsistent NumStmt/);
  });

  test('0 statements print 0.0% (Go counts a zero total as 1); 100% and rounding', () => {
    expect(goPercentText(0, 0)).toBe('0.0%');
    expect(goPercentText(3, 3)).toBe('100.0%');
    expect(goPercentText(1, 3)).toBe('33.3%');
    expect(goPercentText(2, 3)).toBe('66.7%');
    expect(goPercentText(1, 8)).toBe('12.5%');
    expect(parseGoCoverage('mode: atomic\n').total.percentText).toBe('0.0%');
  });

  test('%.1f rounds an exact tie half to even, as Go does (toFixed would round up)', () => {
    expect(formatGoFixed1(0.25)).toBe('0.2');
    expect(formatGoFixed1(0.75)).toBe('0.8');
    expect(formatGoFixed1(1.25)).toBe('1.2');
    expect(formatGoFixed1(0.35)).toBe((0.35).toFixed(1)); // not a tie in binary
    expect(goPercentText(1, 400)).toBe('0.2%');
    expect(goPercentText(3, 400)).toBe('0.8%');
  });

  test('bad profiles are InputErrors at their line', () => {
    const at = (text: string) => {
      try {
        parseGoCoverProfile(text, 'c.out');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as InputError).at;
      }
      throw new Error('no error');
    };
    expect(at('mode: set\na.go:1.1,2.2 1 1\nnonsense\n')).toEqual({ file: 'c.out', line: 3 });
    expect(at('a.go:1.1,2.2 1 1\n')).toEqual({ file: 'c.out', line: 1 });
  });
});

describe('gates: Go function extents (cmd/cover findFuncs)', () => {
  test('methods, generics, closures, bodiless declarations, braces in strings and comments', () => {
    const src = [
      'package p', // 1
      '', // 2
      '// func Fake() {}', // 3
      'func (t *T) M() { s := "}"; _ = s }', // 4
      'func G[T any](x T) struct{ A T } {', // 5
      '\treturn struct{ A T }{x}', // 6
      '}', // 7
      'func asm(x int) int', // 8
      'func F() func() { return func() { _ = `{` } }', // 9
      'var v = func() {}', // 10
      'func λ() {}', // 11
    ].join('\n');
    expect(goFuncExtents(src)).toEqual([
      { name: 'M', startLine: 4, startCol: 1, endLine: 4, endCol: 36 },
      { name: 'G', startLine: 5, startCol: 1, endLine: 7, endCol: 2 },
      { name: 'F', startLine: 9, startCol: 1, endLine: 9, endCol: 46 },
      { name: 'λ', startLine: 11, startCol: 1, endLine: 11, endCol: 13 }, // columns in bytes: λ is 2
    ]);
    // A literal with parameters is not a method whose receiver is `(x int)` and name `int`.
    expect(goFuncExtents('package p\n\nvar F = func(x int) int {\n\treturn x\n}\n')).toEqual([]);
  });
});
