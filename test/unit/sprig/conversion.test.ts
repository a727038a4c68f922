import { describe, test } from 'vitest';
import { type Row, expectRow, strs } from './harness.js';

// cast.ToInt64 / ToFloat64 (spf13/cast v1.7.0), strconv.Atoi, toDecimal, strval.
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['atoi "42"', 'int64', 42n],
  ['atoi "-42x"', 'int64', 0n],
  ['atoi "99999999999999999999"', 'int64', 9223372036854775807n],
  ['atoi " 1"', 'int64', 0n],
  ['int "12abc"', 'int64', 0n],
  ['int "0x1F"', 'int64', 31n],
  ['int 3.9', 'int64', 3n],
  ['int -3.9', 'int64', -3n],
  ['int true', 'int64', 1n],
  ['int nil', 'int64', 0n],
  ['int "1e3"', 'int64', 0n],
  ['int "12.0"', 'int64', 12n],
  ['int64 "0b101"', 'int64', 5n],
  ['float64 "1.5"', 'float64', 1.5],
  ['float64 "abc"', 'float64', 0],
  ['float64 "1e400"', 'float64', 0],
  ['float64 "0x1p-2"', 'float64', 0.25],
  ['float64 true', 'float64', 1],
  ['toDecimal "0777"', 'int64', 511n],
  ['toDecimal 777', 'int64', 511n],
  ['toDecimal "789"', 'int64', 0n],
  ['toDecimal 3.0', 'int64', 3n],
  ['toString 1', 'string', '1'],
  ['toString 1.5', 'string', '1.5'],
  ['toString nil', 'string', '<nil>'],
  ['toString (list 1 2)', 'string', '[1 2]'],
  ['toString true', 'string', 'true'],
  ['toStrings (list 1 nil "a" 2.5)', '[]string', strs('1', 'a', '2.5')],
  ['toStrings "abc"', '[]string', strs('abc')],
  ['toStrings nil', '[]string', strs()],
];

describe('conversion functions', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
