import { describe, test } from 'vitest';
import { type Row, expectRow } from './harness.js';

// reflect.go: %T and reflect.Kind names, reflect.DeepEqual.
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['typeOf "a"', 'string', 'string'],
  ['typeOf 1.5', 'string', 'float64'],
  ['typeOf (list)', 'string', '[]interface {}'],
  ['typeOf (dict)', 'string', 'map[string]interface {}'],
  ['typeOf (splitList "" "")', 'string', '[]string'],
  ['typeOf (split "" "")', 'string', 'map[string]string'],
  ['typeOf nil', 'string', '<nil>'],
  ['typeOf true', 'string', 'bool'],
  ['typeIs "string" "a"', 'bool', true],
  ['typeIs "float64" 1.5', 'bool', true],
  ['typeIsLike "string" "a"', 'bool', true],
  ['typeIsLike "[]interface {}" (list)', 'bool', true],
  ['kindOf "a"', 'string', 'string'],
  ['kindOf (list)', 'string', 'slice'],
  ['kindOf (dict)', 'string', 'map'],
  ['kindOf nil', 'string', 'invalid'],
  ['kindOf 1.5', 'string', 'float64'],
  ['kindOf true', 'string', 'bool'],
  ['kindIs "map" (dict)', 'bool', true],
  ['kindIs "slice" (splitList "," "a")', 'bool', true],
  ['kindIs "invalid" nil', 'bool', true],
  ['deepEqual (list 1 2) (list 1 2)', 'bool', true],
  ['deepEqual (list 1 2) (list 1 "2")', 'bool', false],
  ['deepEqual (dict "a" (list 1)) (dict "a" (list 1))', 'bool', true],
  ['deepEqual 1 1.0', 'bool', false],
  ['deepEqual nil nil', 'bool', true],
  ['deepEqual "a" "a"', 'bool', true],
  ['deepEqual (splitList "," "a") (list "a")', 'bool', false],
  ['deepEqual (dict) (dict "a" 1)', 'bool', false],
];

describe('reflection', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
