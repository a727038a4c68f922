import { describe, test } from 'vitest';
import { type Row, expectRow, strs } from './harness.js';

// dict.go, with dario.cat/mergo's merge rules and copystructure's deepCopy.
// Each row is a template pipeline, the Go type of its result ('error' for an error return,
// 'panic' for a panic) and the value. Every row was run through sprig v3.3.0 under Go 1.26
// (`{{ $r := PIPELINE }}{{ printf "%T|%v" $r $r }}`) and agrees with it; where Go
// says int, the value model has bigint and goTypeName says int64.
const rows: Row[] = [
  ['dict "a" 1 "b" "two" "c"', 'map[string]interface {}', { a: 1n, b: 'two', c: '' }],
  ['dict 1 2 nil 3', 'map[string]interface {}', { '1': 2n, '<nil>': 3n }],
  ['dict', 'map[string]interface {}', {}],
  ['get (dict "a" 1) "a"', 'int64', 1n],
  ['get (dict "a" 1) "b"', 'string', ''],
  ['get nil "a"', 'string', ''],
  ['set (dict "a" 1) "b" 2', 'map[string]interface {}', { a: 1n, b: 2n }],
  ['set nil "a" 1', 'panic', 'assignment to entry in nil map'],
  ['unset (dict "a" 1 "b" 2) "a"', 'map[string]interface {}', { b: 2n }],
  ['unset (dict "a" 1) "zz"', 'map[string]interface {}', { a: 1n }],
  ['hasKey (dict "a" nil) "a"', 'bool', true],
  ['hasKey (dict "a" 1) "b"', 'bool', false],
  ['hasKey nil "a"', 'bool', false],
  ['pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3)', '[]interface {}', [1n, 3n]],
  ['pluck "a"', '[]interface {}', []],
  ['keys (dict "b" 1) (dict "a" 2) (dict "c" 3)', '[]string', strs('b', 'a', 'c')],
  ['keys', '[]string', strs()],
  ['pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "z"', 'map[string]interface {}', { a: 1n, c: 3n }],
  ['omit (dict "a" 1 "b" 2 "c" 3) "a" "c" "z"', 'map[string]interface {}', { b: 2n }],
  ['values (dict "a" (list 1 2))', '[]interface {}', [[1n, 2n]]],
  ['merge (dict "a" 1 "b" (dict "x" 1)) (dict "a" 2 "b" (dict "y" 2) "c" 3)', 'map[string]interface {}', { a: 1n, b: { x: 1n, y: 2n }, c: 3n }],
  ['merge (dict "a" "" "b" 0 "c" false) (dict "a" "x" "b" 5 "c" true)', 'map[string]interface {}', { a: 'x', b: 5n, c: true }],
  ['merge (dict "a" (list 1)) (dict "a" (list 2 3) "b" (list 4))', 'map[string]interface {}', { a: [1n], b: [4n] }],
  ['merge (dict "a" (list)) (dict "a" (list 2 3))', 'map[string]interface {}', { a: [2n, 3n] }],
  ['merge (dict) (dict "a" (list 2 3))', 'map[string]interface {}', { a: [2n, 3n] }],
  ['merge (dict "a" "x") (dict "a" (dict "k" 1))', 'map[string]interface {}', { a: 'x' }],
  ['merge (dict "a" (dict "k" 1)) (dict "a" "x")', 'map[string]interface {}', { a: { k: 1n } }],
  ['merge (dict "a" (dict)) (dict "a" (dict "k" 1))', 'map[string]interface {}', { a: { k: 1n } }],
  ['merge (dict "a" nil) (dict "a" (dict "k" 1))', 'map[string]interface {}', { a: { k: 1n } }],
  ['merge (dict "a" 1) (dict "a" nil "b" nil)', 'map[string]interface {}', { a: 1n }],
  ['merge nil (dict "a" 1)', 'map[string]interface {}', { a: 1n }],
  ['merge (dict "a" 1)', 'map[string]interface {}', { a: 1n }],
  ['mergeOverwrite (dict "a" 1 "b" (dict "x" 1 "z" 1)) (dict "a" 2 "b" (dict "y" 2 "z" 2) "c" 3)', 'map[string]interface {}', { a: 2n, b: { x: 1n, z: 2n, y: 2n }, c: 3n }],
  ['mergeOverwrite (dict "a" 1 "c" "x") (dict "a" nil "b" nil "c" "")', 'map[string]interface {}', { a: null, c: '', b: null }],
  ['mergeOverwrite (dict "a" (list 1)) (dict "a" (list 2 3))', 'map[string]interface {}', { a: [2n, 3n] }],
  ['mergeOverwrite (dict "a" (list 1)) (dict "a" (list))', 'map[string]interface {}', { a: [] }],
  ['mergeOverwrite (dict "a" "x") (dict "a" (dict "k" 1))', 'map[string]interface {}', { a: { k: 1n } }],
  ['mergeOverwrite (dict "a" (dict "k" 1)) (dict "a" "x")', 'map[string]interface {}', { a: 'x' }],
  ['mergeOverwrite (dict "a" (dict "k" 1)) (dict "a" (dict))', 'map[string]interface {}', { a: { k: 1n } }],
  ['mustMerge (dict "a" 1) (dict "b" 2) (dict "a" 3 "c" 4)', 'map[string]interface {}', { a: 1n, b: 2n, c: 4n }],
  ['mustMergeOverwrite (dict "a" 1) (dict "b" 2) (dict "a" 3 "c" 4)', 'map[string]interface {}', { a: 3n, b: 2n, c: 4n }],
  ['dig "a" "b" "def" (dict "a" (dict "b" 1))', 'int64', 1n],
  ['dig "a" "x" "def" (dict "a" (dict "b" 1))', 'string', 'def'],
  ['dig "a" "b" "c" "def" (dict "a" (dict "b" 1.5))', 'panic', 'interface conversion: interface {} is float64, not map[string]interface {}'],
  ['dig "a" "def" (dict "a" nil)', '<nil>', null],
  ['dig "a" "b" "def" (dict "a" "str")', 'panic', 'interface conversion: interface {} is string, not map[string]interface {}'],
  ['dig "a" "def" "notamap"', 'panic', 'interface conversion: interface {} is string, not map[string]interface {}'],
  ['dig 1.5 "def" (dict "a" 1)', 'panic', 'interface conversion: interface {} is float64, not string'],
  ['dig "a" (dict)', 'panic', 'dig needs at least three arguments'],
  ['deepCopy (dict "a" (list 1 (dict "b" 2)))', 'map[string]interface {}', { a: [1n, { b: 2n }] }],
  ['deepCopy nil', 'panic', 'reflect: call of reflect.Value.Type on zero Value'],
  ['mustDeepCopy (list 1 2)', '[]interface {}', [1n, 2n]],
  ['deepCopy 5', 'int64', 5n],
];

describe('dict functions', () => {
  test.each(rows)('%s', (expr, type, want) => {
    expectRow(expr, type, want);
  });
});
