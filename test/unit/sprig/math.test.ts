import { describe, test } from 'vitest';
import { type Row, expectRow, ints } from './harness.js';

// int64 arithmetic with Go's wrap-around and panics, decimal-based *f functions, seq/until/untilStep.
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['seq 5', 'string', '1 2 3 4 5'],
  ['seq -3', 'string', '1 0 -1 -2 -3'],
  ['seq 0', 'string', '1 0'],
  ['seq 2 5', 'string', '2 3 4 5'],
  ['seq 5 2', 'string', '5 4 3 2'],
  ['seq 1 2 10', 'string', '1 3 5 7 9'],
  ['seq 10 -2 1', 'string', '10 8 6 4 2'],
  ['seq 1 -2 10', 'string', ''],
  ['seq', 'string', ''],
  ['until 5', '[]int', ints(0n, 1n, 2n, 3n, 4n)],
  ['until -3', '[]int', ints(0n, -1n, -2n)],
  ['untilStep 0 10 3', '[]int', ints(0n, 3n, 6n, 9n)],
  ['untilStep 10 0 -3', '[]int', ints(10n, 7n, 4n, 1n)],
  ['untilStep 0 10 -1', '[]int', ints()],
  ['add 1 2 3', 'int64', 6n],
  ['add', 'int64', 0n],
  ['add "3" 2.9', 'int64', 5n],
  ['add1 "5"', 'int64', 6n],
  ['sub 5 "2"', 'int64', 3n],
  ['div 7 2', 'int64', 3n],
  ['div -7 2', 'int64', -3n],
  ['div 7 0', 'panic', 'runtime error: integer divide by zero'],
  ['mod -7 3', 'int64', -1n],
  ['mod 7 0', 'panic', 'runtime error: integer divide by zero'],
  ['mul 2 3 4', 'int64', 24n],
  ['mul 9223372036854775807 2', 'int64', -2n],
  ['max 1 5 3', 'int64', 5n],
  ['max "a"', 'int64', 0n],
  ['biggest 1 2', 'int64', 2n],
  ['min 4 2 8', 'int64', 2n],
  ['maxf 1 2.5 "3.5"', 'float64', 3.5],
  ['minf 1 -2.5', 'float64', -2.5],
  ['floor 1.5', 'float64', 1],
  ['ceil 1.2', 'float64', 2],
  ['floor -1.5', 'float64', -2],
  ['round 3.14159 2', 'float64', 3.14],
  ['round 2.5 0', 'float64', 3],
  ['round -2.5 0', 'float64', -3],
  ['round 1.2345 3 0.4', 'float64', 1.235],
  ['round 123.5 -1', 'float64', 120],
  ['addf 1.1 2.2', 'float64', 3.3],
  ['add1f 1.5', 'float64', 2.5],
  ['subf 10 3.3 1.1', 'float64', 5.6],
  ['divf 10 3', 'float64', 3.3333333333333335],
  ['divf 1 0', 'panic', 'decimal division by 0'],
  ['mulf 1.1 3', 'float64', 3.3],
  ['mulf 0.1 0.2', 'float64', 0.02],
  ['divf 2 3 5', 'float64', 0.1333333333333333],
];

describe('arithmetic', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
