import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { goCoverFunc, parseGoCoverProfile, parseGoCoverage } from '../../src/engines/gates/index.js';

// The oracle is Go itself: a module of small packages is tested with `go test -coverprofile`
// in each cover mode, and `go tool cover -func` of each profile is compared with ours, line
// by line (file:line, function, percentage) and byte for byte (tabwriter layout included).

const MODULE = 'example.com/gatesparity';

const FILES: Record<string, string> = {
  'go.mod': `module ${MODULE}\n\ngo 1.21\n`,
  // partial: branches taken and not taken, a method on a pointer receiver
  'calc/calc.go': `package calc

// Abs returns |x|.
func Abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

type T struct{ n int }

func (t *T) Inc() { t.n++ }

func Never(s string) string {
	switch s {
	case "a":
		return "b"
	}
	return \`x{\` + "}" + string('{') + "\\"{"
}

func Sign(x int) int {
	if x > 0 {
		return 1
	} else if x < 0 {
		return -1
	}
	return 0
}
`,
  'calc/calc_test.go': `package calc

import "testing"

func TestAbs(t *testing.T) {
	if Abs(3) != 3 || Sign(2) != 1 {
		t.Fatal()
	}
}
`,
  // everything covered
  'full/full.go': `package full

import "strings"

/* a block comment with func F() { in it */
func Upper(s string) string { return strings.ToUpper(s) }

func Sum(xs ...int) (total int) {
	for _, x := range xs {
		total += x
	}
	return
}
`,
  'full/full_test.go': `package full

import "testing"

func TestAll(t *testing.T) {
	if Upper("a") != "A" || Sum(1, 2) != 3 {
		t.Fatal()
	}
}
`,
  // nothing covered: the test calls none of it
  'zero/zero.go': `package zero

func A() int { return 1 }

func B(n int) int {
	x := 0
	for i := 0; i < n; i++ {
		x += i
	}
	return x
}
`,
  'zero/zero_test.go': `package zero

import "testing"

func TestNothing(t *testing.T) {}
`,
  // shapes that trip a naive reader: generics, closures, a func-typed result, a struct
  // result, multi-line signatures, unicode, counts above one
  'shapes/shapes.go': `package shapes

import "fmt"

// Map applies f — «unicode» in a comment.
func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Adder(n int) func(int) int {
	return func(x int) int {
		if x > 100 {
			return x
		}
		return x + n
	}
}

func Pair(a,
	b string,
) struct{ A, B string } {
	return struct{ A, B string }{a, b}
}

func Greek() string { s := "λ{"; return fmt.Sprint(s) }

func unused(
	x int,
) (int, error) {
	if x == 0 {
		return 0, fmt.Errorf("zero")
	}
	return x, nil
}

var _ = unused
`,
  'shapes/shapes_test.go': `package shapes

import "testing"

func TestShapes(t *testing.T) {
	add := Adder(1)
	got := Map([]int{1, 2, 3}, add)
	if len(got) != 3 || Pair("a", "b").A != "a" {
		t.Fatal()
	}
}
`,
  // a function literal in a package-level var: instrumented, but outside every function
  // declaration, so go tool cover -func leaves it out of its total (go test counts it)
  'lit/lit.go': `package lit

var Double = func(x int) int {
	if x > 1000 {
		return x
	}
	return 2 * x
}

func Used() int { return 1 }
`,
  'lit/lit_test.go': `package lit

import "testing"

func TestUsed(t *testing.T) { Used() }
`,
  // one function of many statements covered 1 of 3: 33.3%, and 2 of 3: 66.7%
  'thirds/thirds.go': `package thirds

func One(x int) {
	if x > 0 {
		println()
		println()
	}
}

func Two(x int) int {
	y := x
	if y > 10 {
		return 10
	}
	return y
}
`,
  'thirds/thirds_test.go': `package thirds

import "testing"

func TestOne(t *testing.T) { One(-1); Two(3) }
`,
};

const root = mkdtempSync(join(tmpdir(), 'slipway-gates-go-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
for (const [path, text] of Object.entries(FILES)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const env = {
  ...process.env,
  GOFLAGS: '-mod=mod',
  GOCACHE: process.env.GOCACHE ?? join(tmpdir(), 'slipway-gates-gocache'),
  GOPATH: process.env.GOPATH ?? join(tmpdir(), 'slipway-gates-gopath'),
  GOTOOLCHAIN: 'local',
};
const go = (...args: string[]): string => execFileSync('go', args, { cwd: root, env, encoding: 'utf8' });

const sources = new Map(
  Object.entries(FILES)
    .filter(([p]) => p.endsWith('.go') && !p.endsWith('_test.go'))
    .map(([p, text]) => [`${MODULE}/${p}`, text]),
);

/** "file:line:  name  66.7%" → its three fields. */
const fields = (text: string): string[][] => text.trimEnd().split('\n').map((l) => l.split(/\t+/));

let identical = 0;
let compared = 0;

describe('gates: go tool cover -func parity', () => {
  // -coverpkg=./... makes every test binary report every package: the profile repeats each
  // block once per package, and the duplicates must merge (OR in set mode, sum otherwise).
  const runs: [string, string[]][] = [
    ['set', []],
    ['count', []],
    ['atomic', []],
    ['set', ['-coverpkg=./...']],
    ['count', ['-coverpkg=./...']],
  ];
  for (const [mode, extra] of runs) {
    test(`-covermode=${mode} ${extra.join(' ')}`, () => {
      const profile = join(root, `cover-${mode}${extra.length}.out`);
      go('test', `-covermode=${mode}`, ...extra, `-coverprofile=${profile}`, './...');
      const text = readFileSync(profile, 'utf8');
      if (extra.length > 0) {
        const blocks = text.split('\n').slice(1).filter(Boolean).map((l) => l.split(' ')[0]);
        expect(new Set(blocks).size).toBeLessThan(blocks.length); // duplicates present
      }
      expect(text.startsWith(`mode: ${mode}\n`)).toBe(true);
      const want = go('tool', 'cover', `-func=${profile}`);
      const got = goCoverFunc(parseGoCoverProfile(text, profile), sources);
      const w = fields(want);
      const g = fields(got.text);
      for (let i = 0; i < Math.max(w.length, g.length); i++) {
        compared++;
        if (JSON.stringify(w[i]) === JSON.stringify(g[i])) identical++;
      }
      expect(g).toEqual(w);
      expect(got.text).toBe(want);
      // The total of the coverage model, given the sources, is Go's; without them it counts
      // the package-level function literal too, as go test's "coverage: N% of statements".
      expect(parseGoCoverage(text, profile, sources).total.percentText).toBe(w[w.length - 1]![2]);
      expect(parseGoCoverage(text, profile).total.percentText).not.toBe(w[w.length - 1]![2]);
      // The shapes this corpus is meant to have.
      const pcts = new Set(g.map((r) => r[2]));
      for (const p of ['0.0%', '100.0%', '33.3%', '66.7%']) expect(pcts).toContain(p);
    });
  }

  afterAll(() => {
    console.log(`gates go cover parity: ${identical}/${compared} identical`);
  });
});
