import { describe, test } from 'vitest';
import { type Row, expectRow } from './harness.js';

// Go's path package (and path/filepath on Linux).
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['base "/a/b/c.txt"', 'string', 'c.txt'],
  ['base "/"', 'string', '/'],
  ['base ""', 'string', '.'],
  ['base "a/b/"', 'string', 'b'],
  ['base "//"', 'string', '/'],
  ['dir "/a/b/c"', 'string', '/a/b'],
  ['dir "a"', 'string', '.'],
  ['dir "/"', 'string', '/'],
  ['dir ""', 'string', '.'],
  ['dir "a/b/"', 'string', 'a/b'],
  ['clean "a/../../b/./c//d/"', 'string', '../b/c/d'],
  ['clean ""', 'string', '.'],
  ['clean "/../a"', 'string', '/a'],
  ['clean "../../a/b/.."', 'string', '../../a'],
  ['clean "a/b/../../.."', 'string', '..'],
  ['clean "/a/b/../.."', 'string', '/'],
  ['clean "./"', 'string', '.'],
  ['ext "a/b.tar.gz"', 'string', '.gz'],
  ['ext "a.b/c"', 'string', ''],
  ['ext "noext"', 'string', ''],
  ['isAbs "/a"', 'bool', true],
  ['isAbs "a"', 'bool', false],
  ['osBase "/a/b"', 'string', 'b'],
  ['osDir "/a/b"', 'string', '/a'],
  ['osClean "a//b"', 'string', 'a/b'],
  ['osExt "x.y"', 'string', '.y'],
  ['osIsAbs "/x"', 'bool', true],
];

describe('path functions', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
