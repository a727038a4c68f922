import { describe, expect, test } from 'vitest';
import { GoFuncError, GoStruct } from '../../../src/engines/gotemplate/values.js';
import type { GoFunc } from '../../../src/engines/gotemplate/values.js';
import {
  SemverError,
  checkConstraints,
  compareSemver,
  constraintsString,
  incMajor,
  incMinor,
  incPatch,
  parseConstraints,
  parseSemver,
  semverConstraintCheck,
  semverFuncs,
  semverString,
  validateConstraints,
} from '../../../src/engines/gotemplate/sprig/semver.js';

// Tables copied from Masterminds/semver v3.5.0 (constraints_test.go, version_test.go), the
// version helm v3.22.0 pins, and from sprig v3.3.0 semver_test.go. Extra cases at the end were
// checked against the Go libraries themselves.

const funcs = new Map(semverFuncs().map((f) => [f.name, f]));

function call(name: string, ...args: unknown[]): unknown {
  return (funcs.get(name)!.fn as (...a: unknown[]) => unknown)(...args);
}

function method(v: unknown, name: string, ...args: unknown[]): unknown {
  const m: GoFunc | undefined = (v as GoStruct).methods[name];
  if (!m) throw new Error(`no method ${name} on ${(v as GoStruct).typeName}`);
  return (m.fn as (...a: unknown[]) => unknown)(...args);
}

const check = (c: string, v: string, includePre = false) => checkConstraints(parseConstraints(c), parseSemver(v), includePre);

const CONSTRAINT_CHECK: [constraint: string, version: string, want: boolean][] = [
  ['=2.0.0', '1.2.3', false],
  ['=2.0.0', '2.0.0', true],
  ['=2.0', '1.2.3', false],
  ['=2.0', '2.0.0', true],
  ['=2.0', '2.0.1', true],
  ['4.1', '4.1.0', true],
  ['!=4.1.0', '4.1.0', false],
  ['!=4.1.0', '4.1.1', true],
  ['!=4.1', '4.1.0', false],
  ['!=4.1', '4.1.1', false],
  ['!=4.1', '5.1.0-alpha.1', false],
  ['!=4.1.0', '5.1.0-alpha.1', false],
  ['!=4.1-alpha', '4.1.0', true],
  ['!=4.1', '5.1.0', true],
  ['<11', '0.1.0', true],
  ['<11', '11.1.0', false],
  ['<1.1', '0.1.0', true],
  ['<1.1', '1.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<=11', '1.2.3', true],
  ['<=11', '12.2.3', false],
  ['<=11', '11.2.3', true],
  ['<=1.1', '1.2.3', false],
  ['<=1.1', '0.1.0', true],
  ['<=1.1', '1.1.0', true],
  ['<=1.1', '1.1.1', true],
  ['>1.1', '4.1.0', true],
  ['>1.1', '1.1.0', false],
  ['>0', '0', false],
  ['>0', '1', true],
  ['>0', '0.0.1-alpha', false],
  ['>0.0', '0.0.1-alpha', false],
  ['>0-0', '0.0.1-alpha', false],
  ['>0.0-0', '0.0.1-alpha', false],
  ['>0', '0.0.0-alpha', false],
  ['>0-0', '0.0.0-alpha', false],
  ['>0.0.0-0', '0.0.0-alpha', true],
  ['>1.2.3-alpha.1', '1.2.3-alpha.2', true],
  ['>1.2.3-alpha.1', '1.3.3-alpha.2', true],
  ['>11', '11.1.0', false],
  ['>11.1', '11.1.0', false],
  ['>11.1', '11.1.1', false],
  ['>11.1', '11.2.1', true],
  ['>=11', '11.1.2', true],
  ['>=11.1', '11.1.2', true],
  ['>=11.1', '11.0.2', false],
  ['>=1.1', '4.1.0', true],
  ['>=1.1', '1.1.0', true],
  ['>=1.1', '0.0.9', false],
  ['>=0', '0.0.1-alpha', false],
  ['>=0.0', '0.0.1-alpha', false],
  ['>=0-0', '0.0.1-alpha', true],
  ['>=0.0-0', '0.0.1-alpha', true],
  ['>=0', '0.0.0-alpha', false],
  ['>=0-0', '0.0.0-alpha', true],
  ['>=0.0.0-0', '0.0.0-alpha', true],
  ['>=0.0.0-0', '1.2.3', true],
  ['>=0.0.0-0', '3.4.5-beta.1', true],
  ['<0', '0.0.0-alpha', false],
  ['<0-z', '0.0.0-alpha', true],
  ['>=0', '0', true],
  ['=0', '1', false],
  ['*', '1', true],
  ['*', '4.5.6', true],
  ['*', '1.2.3-alpha.1', false],
  ['*-0', '1.2.3-alpha.1', true],
  ['2.*', '1', false],
  ['2.*', '3.4.5', false],
  ['2.*', '2.1.1', true],
  ['2.1.*', '2.1.1', true],
  ['2.1.*', '2.2.1', false],
  ['', '4.5.6', true],
  ['', '1.2.3-alpha.1', false],
  ['2', '1', false],
  ['2', '3.4.5', false],
  ['2', '2.1.1', true],
  ['2.1', '2.1.1', true],
  ['2.1', '2.2.1', false],
  ['~1.2.3', '1.2.4', true],
  ['~1.2.3', '1.3.4', false],
  ['~1.2', '1.2.4', true],
  ['~1.2', '1.3.4', false],
  ['~1', '1.2.4', true],
  ['~1', '2.3.4', false],
  ['~0.2.3', '0.2.5', true],
  ['~0.2.3', '0.3.5', false],
  ['~1.2.3-beta.2', '1.2.3-beta.4', true],
  ['~1.2.3-beta.2', '1.2.4-beta.2', true],
  ['~1.2.3-beta.2', '1.3.4-beta.2', false],
  ['^1.2.3', '1.8.9', true],
  ['^1.2.3', '2.8.9', false],
  ['^1.2.3', '1.2.1', false],
  ['^1.1.0', '2.1.0', false],
  ['^1.2.0', '2.2.1', false],
  ['^1.2.0', '1.2.1-alpha.1', false],
  ['^1.2.0-alpha.0', '1.2.1-alpha.1', true],
  ['^1.2.0-alpha.0', '1.2.1-alpha.0', true],
  ['^1.2.0-alpha.2', '1.2.0-alpha.1', false],
  ['^1.2', '1.8.9', true],
  ['^1.2', '2.8.9', false],
  ['^1', '1.8.9', true],
  ['^1', '2.8.9', false],
  ['^0.2.3', '0.2.5', true],
  ['^0.2.3', '0.5.6', false],
  ['^0.2', '0.2.5', true],
  ['^0.2', '0.5.6', false],
  ['^0.0.3', '0.0.3', true],
  ['^0.0.3', '0.0.4', false],
  ['^0.0', '0.0.3', true],
  ['^0.0', '0.1.4', false],
  ['^0.0', '1.0.4', false],
  ['^0', '0.2.3', true],
  ['^0', '1.1.4', false],
  ['^0.2.3-beta.2', '0.2.3-beta.4', true],
  ['^0.2.3-beta.2', '0.2.4-beta.2', true],
  ['^0.2.3-beta.2', '0.3.4-beta.2', false],
  ['^0.2.3-beta.2', '0.2.3-beta.2', true],
];
const NEW_CONSTRAINT: [input: string, ors: number, count: number, err: boolean][] = [
  ['>= 1.1', 1, 1, false],
  ['>40.50.60, < 50.70', 1, 2, false],
  ['2.0', 1, 1, false],
  ['v2.3.5-20161202202307-sha.e8fc5e5', 1, 1, false],
  ['v1.2.3-0abc', 1, 1, false],
  ['v1.2.3-beta.01', 1, 1, true],
  ['>= bar', 0, 0, true],
  ['BAR >= 1.2.3', 0, 0, true],
  ['>= 1.2.3 < 2.0', 1, 2, false],
  ['>= 1.2.3 < 2.0 || => 3.0 < 4', 2, 2, false],
  ['>= 1.2.3, < 2.0', 1, 2, false],
  ['>= 1.2.3, < 2.0 || => 3.0, < 4', 2, 2, false],
  ['3 - 4 || => 3.0, < 4', 2, 2, false],
  ['12.3.4.1234', 0, 0, true],
  ['12.23.4.1234', 0, 0, true],
  ['12.3.34.1234', 0, 0, true],
  ['12.3.34 ~1.2.3', 1, 2, false],
  ['12.3.34~ 1.2.3', 0, 0, true],
  ['1.0.0 - 2.0.0, <=2.0.0', 1, 3, false],
];
const CONSTRAINTS_CHECK: [constraint: string, version: string, want: boolean][] = [
  ['*', '1.2.3', true],
  ['~0.0.0', '1.2.3', true],
  ['0.x.x', '1.2.3', false],
  ['0.0.x', '1.2.3', false],
  ['0.0.0', '1.2.3', false],
  ['*', '1.2.3', true],
  ['^0.0.0', '1.2.3', false],
  ['= 2.0', '1.2.3', false],
  ['= 2.0', '2.0.0', true],
  ['4.1', '4.1.0', true],
  ['4.1.x', '4.1.3', true],
  ['1.x', '1.4', true],
  ['!=4.1', '4.1.0', false],
  ['!=4.1-alpha', '4.1.0-alpha', false],
  ['!=4.1-alpha', '4.1.1-alpha', false],
  ['!=4.1-alpha', '4.1.0', true],
  ['!=4.1', '5.1.0', true],
  ['!=4.x', '5.1.0', true],
  ['!=4.x', '4.1.0', false],
  ['!=4.1.x', '4.2.0', true],
  ['!=4.2.x', '4.2.3', false],
  ['>1.1', '4.1.0', true],
  ['>1.1', '1.1.0', false],
  ['<1.1', '0.1.0', true],
  ['<1.1', '1.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<1.x', '1.1.1', false],
  ['<1.x', '0.1.1', true],
  ['<1.x', '2.0.0', false],
  ['<1.1.x', '1.2.1', false],
  ['<1.1.x', '1.1.500', false],
  ['<1.1.x', '1.0.500', true],
  ['<1.2.x', '1.1.1', true],
  ['>=1.1', '4.1.0', true],
  ['>=1.1', '4.1.0-beta', false],
  ['>=1.1', '1.1.0', true],
  ['>=1.1', '0.0.9', false],
  ['<=1.1', '0.1.0', true],
  ['<=1.1', '0.1.0-alpha', false],
  ['<=1.1-a', '0.1.0-alpha', true],
  ['<=1.1', '1.1.0', true],
  ['<=1.x', '1.1.0', true],
  ['<=2.x', '3.0.0', false],
  ['<=1.1', '1.1.1', true],
  ['<=1.1.x', '1.2.500', false],
  ['<=4.5', '3.4.0', true],
  ['<=4.5', '3.7.0', true],
  ['<=4.5', '4.6.3', false],
  ['>1.1, <2', '1.1.1', false],
  ['>1.1, <2', '1.2.1', true],
  ['>1.1, <3', '4.3.2', false],
  ['>=1.1, <2, !=1.2.3', '1.2.3', false],
  ['>1.1 <2', '1.1.1', false],
  ['>1.1 <2', '1.2.1', true],
  ['>1.1    <3', '4.3.2', false],
  ['>=1.1    <2    !=1.2.3', '1.2.3', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.1.2', false],
  ['>=1.1, <2, !=1.2.3 || >= 3', '3.0.0', true],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
  ['>=1.1 <2 !=1.2.3', '1.2.3', false],
  ['>=1.1 <2 !=1.2.3 || > 3', '4.1.2', true],
  ['>=1.1 <2 !=1.2.3 || > 3', '3.1.2', false],
  ['>=1.1 <2 !=1.2.3 || >= 3', '3.0.0', true],
  ['>=1.1 <2 !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1 <2 !=1.2.3 || > 3', '1.2.3', false],
  ['> 1.1, <     2', '1.1.1', false],
  ['>   1.1, <2', '1.2.1', true],
  ['>1.1, <  3', '4.3.2', false],
  ['>= 1.1, <     2, !=1.2.3', '1.2.3', false],
  ['> 1.1 < 2', '1.1.1', false],
  ['>1.1 < 2', '1.2.1', true],
  ['> 1.1    <3', '4.3.2', false],
  ['>=1.1    < 2    != 1.2.3', '1.2.3', false],
  ['>= 1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
  ['>= 1.1, <2, != 1.2.3 || > 3', '3.1.2', false],
  ['>= 1.1, <2, != 1.2.3 || >= 3', '3.0.0', true],
  ['>= 1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
  ['>= 1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
  ['>= 1.1 <2 != 1.2.3', '1.2.3', false],
  ['>= 1.1 <2 != 1.2.3 || > 3', '4.1.2', true],
  ['>= 1.1 <2 != 1.2.3 || > 3', '3.1.2', false],
  ['>= 1.1 <2 != 1.2.3 || >= 3', '3.0.0', true],
  ['>= 1.1 < 2 !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1 < 2 !=1.2.3 || > 3', '1.2.3', false],
  ['>= 1.0.0  <= 2.0.0-beta', '1.0.1-beta', true],
  ['>= 1.0.0  <= 2.0.0-beta', '1.0.1', true],
  ['>= 1.0.0  <= 2.0.0-beta', '3.0.0', false],
  ['>= 1.0.0  <= 2.0.0-beta || > 3', '1.0.1-beta', true],
  ['>= 1.0.0  <= 2.0.0-beta || > 3', '3.0.1-beta', false],
  ['>= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3', '1.0.1-beta', true],
  ['>= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3', '1.0.1-beta', false],
  ['>= 1.0.0-0  <= 2.0.0', '1.0.1-beta', true],
  ['1.1 - 2', '1.1.1', true],
  ['1.5.0 - 4.5', '3.7.0', true],
  ['1.1-3', '4.3.2', false],
  ['^1.1', '1.1.1', true],
  ['^1.1', '4.3.2', false],
  ['^1.x', '1.1.1', true],
  ['^2.x', '1.1.1', false],
  ['^1.x', '2.1.1', false],
  ['^1.x', '1.1.1-beta1', false],
  ['^1.1.2-alpha', '1.2.1-beta1', true],
  ['^1.2.x-alpha', '1.1.1-beta1', false],
  ['^0.0.1', '0.0.1', true],
  ['^0.0.1', '0.3.1', false],
  ['~*', '2.1.1', true],
  ['~1', '2.1.1', false],
  ['~1', '1.3.5', true],
  ['~1', '1.4', true],
  ['~1.x', '2.1.1', false],
  ['~1.x', '1.3.5', true],
  ['~1.x', '1.4', true],
  ['~1.1', '1.1.1', true],
  ['~1.1', '1.1.1-alpha', false],
  ['~1.1-alpha', '1.1.1-beta', true],
  ['~1.1.1-beta', '1.1.1-alpha', false],
  ['~1.1.1-beta', '1.1.1', true],
  ['~1.2.3', '1.2.5', true],
  ['~1.2.3', '1.2.2', false],
  ['~1.2.3', '1.3.2', false],
  ['~1.1', '1.2.3', false],
  ['~1.3', '2.4.5', false],
  ['1.0.0 - 2.0.0 <=2.0.0', '1.5.0', true],
  ['1.0.0 - 2.0.0, <=2.0.0', '1.5.0', true],
];
const CONSTRAINTS_CHECK_PRE: [constraint: string, version: string, want: boolean][] = [
  ['>=1.1', '4.1.0-beta', true],
  ['>1.1', '4.1.0-beta', true],
  ['<=1.1', '0.1.0-alpha', true],
  ['<1.1', '0.1.0-alpha', true],
  ['^1.x', '1.1.1-beta1', true],
  ['~1.1', '1.1.1-alpha', true],
  ['*', '1.2.3-alpha', true],
  ['= 2.0', '2.0.1-beta', true],
  ['*', '1.2.3', true],
  ['~0.0.0', '1.2.3', true],
  ['0.x.x', '1.2.3', false],
  ['0.0.x', '1.2.3', false],
  ['0.0.0', '1.2.3', false],
  ['*', '1.2.3', true],
  ['^0.0.0', '1.2.3', false],
  ['= 2.0', '1.2.3', false],
  ['= 2.0', '2.0.0', true],
  ['4.1', '4.1.0', true],
  ['4.1.x', '4.1.3', true],
  ['1.x', '1.4', true],
  ['!=4.1', '4.1.0', false],
  ['!=4.1-alpha', '4.1.0-alpha', false],
  ['!=4.1-alpha', '4.1.1-alpha', false],
  ['!=4.1-alpha', '4.1.0', true],
  ['!=4.1', '5.1.0', true],
  ['!=4.x', '5.1.0', true],
  ['!=4.x', '4.1.0', false],
  ['!=4.1.x', '4.2.0', true],
  ['!=4.2.x', '4.2.3', false],
  ['>1.1', '4.1.0', true],
  ['>1.1', '1.1.0', false],
  ['<1.1', '0.1.0', true],
  ['<1.1', '1.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<1.x', '1.1.1', false],
  ['<1.x', '0.1.1', true],
  ['<1.x', '2.0.0', false],
  ['<1.1.x', '1.2.1', false],
  ['<1.1.x', '1.1.500', false],
  ['<1.1.x', '1.0.500', true],
  ['<1.2.x', '1.1.1', true],
  ['>=1.1', '4.1.0', true],
  ['>=1.1', '1.1.0', true],
  ['>=1.1', '0.0.9', false],
  ['<=1.1', '0.1.0', true],
  ['<=1.1-a', '0.1.0-alpha', true],
  ['<=1.1', '1.1.0', true],
  ['<=1.x', '1.1.0', true],
  ['<=2.x', '3.0.0', false],
  ['<=1.1', '1.1.1', true],
  ['<=1.1.x', '1.2.500', false],
  ['<=4.5', '3.4.0', true],
  ['<=4.5', '3.7.0', true],
  ['<=4.5', '4.6.3', false],
  ['>1.1, <2', '1.1.1', false],
  ['>1.1, <2', '1.2.1', true],
  ['>1.1, <3', '4.3.2', false],
  ['>=1.1, <2, !=1.2.3', '1.2.3', false],
  ['>1.1 <2', '1.1.1', false],
  ['>1.1 <2', '1.2.1', true],
  ['>1.1    <3', '4.3.2', false],
  ['>=1.1    <2    !=1.2.3', '1.2.3', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.1.2', false],
  ['>=1.1, <2, !=1.2.3 || >= 3', '3.0.0', true],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
  ['>=1.1 <2 !=1.2.3', '1.2.3', false],
  ['>=1.1 <2 !=1.2.3 || > 3', '4.1.2', true],
  ['>=1.1 <2 !=1.2.3 || > 3', '3.1.2', false],
  ['>=1.1 <2 !=1.2.3 || >= 3', '3.0.0', true],
  ['>=1.1 <2 !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1 <2 !=1.2.3 || > 3', '1.2.3', false],
  ['> 1.1, <     2', '1.1.1', false],
  ['>   1.1, <2', '1.2.1', true],
  ['>1.1, <  3', '4.3.2', false],
  ['>= 1.1, <     2, !=1.2.3', '1.2.3', false],
  ['> 1.1 < 2', '1.1.1', false],
  ['>1.1 < 2', '1.2.1', true],
  ['> 1.1    <3', '4.3.2', false],
  ['>=1.1    < 2    != 1.2.3', '1.2.3', false],
  ['>= 1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
  ['>= 1.1, <2, != 1.2.3 || > 3', '3.1.2', false],
  ['>= 1.1, <2, != 1.2.3 || >= 3', '3.0.0', true],
  ['>= 1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
  ['>= 1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
  ['>= 1.1 <2 != 1.2.3', '1.2.3', false],
  ['>= 1.1 <2 != 1.2.3 || > 3', '4.1.2', true],
  ['>= 1.1 <2 != 1.2.3 || > 3', '3.1.2', false],
  ['>= 1.1 <2 != 1.2.3 || >= 3', '3.0.0', true],
  ['>= 1.1 < 2 !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1 < 2 !=1.2.3 || > 3', '1.2.3', false],
  ['>= 1.0.0  <= 2.0.0-beta', '1.0.1-beta', true],
  ['>= 1.0.0  <= 2.0.0-beta', '1.0.1', true],
  ['>= 1.0.0  <= 2.0.0-beta', '3.0.0', false],
  ['>= 1.0.0  <= 2.0.0-beta || > 3', '1.0.1-beta', true],
  ['>= 1.0.0  <= 2.0.0-beta || > 3', '3.0.1-beta', false],
  ['>= 1.0.0  <= 2.0.0-beta != 1.0.1 || > 3', '1.0.1-beta', true],
  ['>= 1.0.0  <= 2.0.0-beta != 1.0.1-beta || > 3', '1.0.1-beta', false],
  ['>= 1.0.0-0  <= 2.0.0', '1.0.1-beta', true],
  ['1.1 - 2', '1.1.1', true],
  ['1.5.0 - 4.5', '3.7.0', true],
  ['1.1-3', '4.3.2', false],
  ['^1.1', '1.1.1', true],
  ['^1.1', '4.3.2', false],
  ['^1.x', '1.1.1', true],
  ['^2.x', '1.1.1', false],
  ['^1.x', '2.1.1', false],
  ['^1.1.2-alpha', '1.2.1-beta1', true],
  ['^1.2.x-alpha', '1.1.1-beta1', false],
  ['^0.0.1', '0.0.1', true],
  ['^0.0.1', '0.3.1', false],
  ['~*', '2.1.1', true],
  ['~1', '2.1.1', false],
  ['~1', '1.3.5', true],
  ['~1', '1.4', true],
  ['~1.x', '2.1.1', false],
  ['~1.x', '1.3.5', true],
  ['~1.x', '1.4', true],
  ['~1.1', '1.1.1', true],
  ['~1.1-alpha', '1.1.1-beta', true],
  ['~1.1.1-beta', '1.1.1-alpha', false],
  ['~1.1.1-beta', '1.1.1', true],
  ['~1.2.3', '1.2.5', true],
  ['~1.2.3', '1.2.2', false],
  ['~1.2.3', '1.3.2', false],
  ['~1.1', '1.2.3', false],
  ['~1.3', '2.4.5', false],
  ['1.0.0 - 2.0.0 <=2.0.0', '1.5.0', true],
  ['1.0.0 - 2.0.0, <=2.0.0', '1.5.0', true],
];
const CONSTRAINTS_VALIDATE: [constraint: string, version: string, want: boolean][] = [
  ['*', '1.2.3', true],
  ['~0.0.0', '1.2.3', true],
  ['= 2.0', '1.2.3', false],
  ['= 2.0', '2.0.0', true],
  ['4.1', '4.1.0', true],
  ['4.1.x', '4.1.3', true],
  ['1.x', '1.4', true],
  ['!=4.1', '4.1.0', false],
  ['!=4.1', '5.1.0', true],
  ['!=4.x', '5.1.0', true],
  ['!=4.x', '4.1.0', false],
  ['!=4.1.x', '4.2.0', true],
  ['!=4.2.x', '4.2.3', false],
  ['>1.1', '4.1.0', true],
  ['>1.1', '1.1.0', false],
  ['<1.1', '0.1.0', true],
  ['<1.1', '1.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<1.x', '1.1.1', false],
  ['<2.x', '1.1.1', true],
  ['<1.x', '2.1.1', false],
  ['<1.1.x', '1.2.1', false],
  ['<1.1.x', '1.1.500', false],
  ['<1.2.x', '1.1.1', true],
  ['>=1.1', '4.1.0', true],
  ['>=1.1', '1.1.0', true],
  ['>=1.1', '0.0.9', false],
  ['<=1.1', '0.1.0', true],
  ['<=1.1', '1.1.0', true],
  ['<=1.x', '1.1.0', true],
  ['<=2.x', '3.1.0', false],
  ['<=1.1', '1.1.1', true],
  ['<=1.1.x', '1.2.500', false],
  ['>1.1, <2', '1.1.1', false],
  ['>1.1, <2', '1.2.1', true],
  ['>1.1, <3', '4.3.2', false],
  ['>=1.1, <2, !=1.2.3', '1.2.3', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.1.2', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
  ['>=1.1, <2, !=1.2.3 || >= 3', '3.0.0', true],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
  ['1.1 - 2', '1.1.1', true],
  ['1.1-3', '4.3.2', false],
  ['^1.1', '1.1.1', true],
  ['^1.1', '1.1.1-alpha', false],
  ['^1.1.1-alpha', '1.1.1-beta', true],
  ['^1.1.1-beta', '1.1.1-alpha', false],
  ['^1.1', '4.3.2', false],
  ['^1.x', '1.1.1', true],
  ['^2.x', '1.1.1', false],
  ['^1.x', '2.1.1', false],
  ['^0.0.1', '0.1.3', false],
  ['^0.0.1', '0.0.1', true],
  ['~*', '2.1.1', true],
  ['~1', '2.1.1', false],
  ['~1', '1.3.5', true],
  ['~1', '1.3.5-beta', false],
  ['~1.x', '2.1.1', false],
  ['~1.x', '1.3.5', true],
  ['~1.x', '1.3.5-beta', false],
  ['~1.3.6-alpha', '1.3.5-beta', false],
  ['~1.3.5-alpha', '1.3.5-beta', true],
  ['~1.3.5-beta', '1.3.5-alpha', false],
  ['~1.x', '1.4', true],
  ['~1.1', '1.1.1', true],
  ['~1.2.3', '1.2.5', true],
  ['~1.2.3', '1.2.2', false],
  ['~1.2.3', '1.3.2', false],
  ['~1.1', '1.2.3', false],
  ['~1.3', '2.4.5', false],
];
const VALIDATE_MESSAGES: [constraint: string, version: string, message: string][] = [
  ['2.x', '1.2.3', '"1.2.3" is less than "2.x"'],
  ['2', '1.2.3', '"1.2.3" is less than "2"'],
  ['= 2.0', '1.2.3', '"1.2.3" is less than "2.0"'],
  ['!=4.1', '4.1.0', '"4.1.0" is equal to "4.1"'],
  ['!=4.x', '4.1.0', '"4.1.0" is equal to "4.x"'],
  ['!=4.2.x', '4.2.3', '"4.2.3" is equal to "4.2.x"'],
  ['>1.1', '1.1.0', '"1.1.0" is less than or equal to "1.1"'],
  ['<1.1', '1.1.0', '"1.1.0" is greater than or equal to "1.1"'],
  ['<1.1', '1.1.1', '"1.1.1" is greater than or equal to "1.1"'],
  ['<1.x', '2.1.1', '"2.1.1" is greater than or equal to "1.x"'],
  ['<1.1.x', '1.2.1', '"1.2.1" is greater than or equal to "1.1.x"'],
  ['>=1.1', '0.0.9', '"0.0.9" is less than "1.1"'],
  ['<=2.x', '3.1.0', '"3.1.0" is greater than "2.x"'],
  ['<=1.1', '1.2.1', '"1.2.1" is greater than "1.1"'],
  ['<=1.1.x', '1.2.500', '"1.2.500" is greater than "1.1.x"'],
  ['>1.1, <3', '4.3.2', '"4.3.2" is greater than or equal to "3"'],
  ['>=1.1, <2, !=1.2.3', '1.2.3', '"1.2.3" is equal to "1.2.3"'],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', '"3.0.0" is greater than or equal to "2"'],
  ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', '"1.2.3" is equal to "1.2.3"'],
  ['1.1 - 3', '4.3.2', '"4.3.2" is greater than "3"'],
  ['^1.1', '4.3.2', '"4.3.2" does not have same major version as "1.1"'],
  ['^1.12.7', '1.6.6', '"1.6.6" is less than "1.12.7"'],
  ['^2.x', '1.1.1', '"1.1.1" is less than "2.x"'],
  ['^1.x', '2.1.1', '"2.1.1" does not have same major version as "1.x"'],
  ['^0.2', '0.3.0', '"0.3.0" does not have same minor version as "0.2". Expected minor versions to match when constraint major version is 0'],
  ['^0.2', '0.1.1', '"0.1.1" is less than "0.2"'],
  ['^0.0.3', '0.1.1', '"0.1.1" does not have same minor version as "0.0.3"'],
  ['^0.0.3', '0.0.4', '"0.0.4" does not equal "0.0.3". Expect version and constraint to equal when major and minor versions are 0'],
  ['^0.0.3', '0.0.2', '"0.0.2" is less than "0.0.3"'],
  ['~1', '2.1.2', '"2.1.2" does not have same major version as "1"'],
  ['~1.x', '2.1.1', '"2.1.1" does not have same major version as "1.x"'],
  ['~1.2.3', '1.2.2', '"1.2.2" is less than "1.2.3"'],
  ['~1.2.3', '1.3.2', '"1.3.2" does not have same major and minor version as "1.2.3"'],
  ['~1.1', '1.2.3', '"1.2.3" does not have same major and minor version as "1.1"'],
  ['~1.3', '2.4.5', '"2.4.5" does not have same major version as "1.3"'],
  ['> 1.2.3', '1.2.3-beta.1', '"1.2.3-beta.1" is a prerelease version and the constraint is only looking for release versions'],
];
const VALIDATE_MESSAGES_PRE: [constraint: string, version: string, message: string][] = [
  ['> 1.2.3', '1.2.3-beta.1', '"1.2.3-beta.1" is less than or equal to "1.2.3"'],
  ['< 1.2.3', '1.2.4-beta.1', '"1.2.4-beta.1" is greater than or equal to "1.2.3"'],
  ['>= 1.2.3', '1.2.3-beta.1', '"1.2.3-beta.1" is less than "1.2.3"'],
  ['<= 1.2.3', '1.2.4-beta.1', '"1.2.4-beta.1" is greater than "1.2.3"'],
  ['2.x', '1.2.3', '"1.2.3" is less than "2.x"'],
  ['2', '1.2.3', '"1.2.3" is less than "2"'],
  ['= 2.0', '1.2.3', '"1.2.3" is less than "2.0"'],
  ['!=4.1', '4.1.0', '"4.1.0" is equal to "4.1"'],
  ['!=4.x', '4.1.0', '"4.1.0" is equal to "4.x"'],
  ['!=4.2.x', '4.2.3', '"4.2.3" is equal to "4.2.x"'],
  ['>1.1', '1.1.0', '"1.1.0" is less than or equal to "1.1"'],
  ['<1.1', '1.1.0', '"1.1.0" is greater than or equal to "1.1"'],
  ['<1.1', '1.1.1', '"1.1.1" is greater than or equal to "1.1"'],
  ['<1.x', '2.1.1', '"2.1.1" is greater than or equal to "1.x"'],
  ['<1.1.x', '1.2.1', '"1.2.1" is greater than or equal to "1.1.x"'],
  ['>=1.1', '0.0.9', '"0.0.9" is less than "1.1"'],
  ['<=2.x', '3.1.0', '"3.1.0" is greater than "2.x"'],
  ['<=1.1', '1.2.1', '"1.2.1" is greater than "1.1"'],
  ['<=1.1.x', '1.2.500', '"1.2.500" is greater than "1.1.x"'],
  ['>1.1, <3', '4.3.2', '"4.3.2" is greater than or equal to "3"'],
  ['>=1.1, <2, !=1.2.3', '1.2.3', '"1.2.3" is equal to "1.2.3"'],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', '"3.0.0" is greater than or equal to "2"'],
  ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', '"1.2.3" is equal to "1.2.3"'],
  ['1.1 - 3', '4.3.2', '"4.3.2" is greater than "3"'],
  ['^1.1', '4.3.2', '"4.3.2" does not have same major version as "1.1"'],
  ['^1.12.7', '1.6.6', '"1.6.6" is less than "1.12.7"'],
  ['^2.x', '1.1.1', '"1.1.1" is less than "2.x"'],
  ['^1.x', '2.1.1', '"2.1.1" does not have same major version as "1.x"'],
  ['^0.2', '0.3.0', '"0.3.0" does not have same minor version as "0.2". Expected minor versions to match when constraint major version is 0'],
  ['^0.2', '0.1.1', '"0.1.1" is less than "0.2"'],
  ['^0.0.3', '0.1.1', '"0.1.1" does not have same minor version as "0.0.3"'],
  ['^0.0.3', '0.0.4', '"0.0.4" does not equal "0.0.3". Expect version and constraint to equal when major and minor versions are 0'],
  ['^0.0.3', '0.0.2', '"0.0.2" is less than "0.0.3"'],
  ['~1', '2.1.2', '"2.1.2" does not have same major version as "1"'],
  ['~1.x', '2.1.1', '"2.1.1" does not have same major version as "1.x"'],
  ['~1.2.3', '1.2.2', '"1.2.2" is less than "1.2.3"'],
  ['~1.2.3', '1.3.2', '"1.3.2" does not have same major and minor version as "1.2.3"'],
  ['~1.1', '1.2.3', '"1.2.3" does not have same major and minor version as "1.1"'],
  ['~1.3', '2.4.5', '"2.4.5" does not have same major version as "1.3"'],
];
const CONSTRAINTS_VALIDATE_PRE: [constraint: string, version: string, want: boolean][] = [
  ['^1.1', '1.1.1-alpha', true],
  ['~1', '1.3.5-beta', true],
  ['~1.x', '1.3.5-beta', true],
  ['>=1.1', '4.1.0-beta', true],
  ['>1.1', '4.1.0-beta', true],
  ['<=1.1', '0.1.0-alpha', true],
  ['<1.1', '0.1.0-alpha', true],
  ['^1.x', '1.1.1-beta1', true],
  ['~1.1', '1.1.1-alpha', true],
  ['*', '1.2.3-alpha', true],
  ['= 2.0', '2.0.1-beta', true],
  ['*', '1.2.3', true],
  ['~0.0.0', '1.2.3', true],
  ['= 2.0', '1.2.3', false],
  ['= 2.0', '2.0.0', true],
  ['4.1', '4.1.0', true],
  ['4.1.x', '4.1.3', true],
  ['1.x', '1.4', true],
  ['!=4.1', '4.1.0', false],
  ['!=4.1', '5.1.0', true],
  ['!=4.x', '5.1.0', true],
  ['!=4.x', '4.1.0', false],
  ['!=4.1.x', '4.2.0', true],
  ['!=4.2.x', '4.2.3', false],
  ['>1.1', '4.1.0', true],
  ['>1.1', '1.1.0', false],
  ['<1.1', '0.1.0', true],
  ['<1.1', '1.1.0', false],
  ['<1.1', '1.1.1', false],
  ['<1.x', '1.1.1', false],
  ['<2.x', '1.1.1', true],
  ['<1.x', '2.1.1', false],
  ['<1.1.x', '1.2.1', false],
  ['<1.1.x', '1.1.500', false],
  ['<1.2.x', '1.1.1', true],
  ['>=1.1', '4.1.0', true],
  ['>=1.1', '1.1.0', true],
  ['>=1.1', '0.0.9', false],
  ['<=1.1', '0.1.0', true],
  ['<=1.1', '1.1.0', true],
  ['<=1.x', '1.1.0', true],
  ['<=2.x', '3.1.0', false],
  ['<=1.1', '1.1.1', true],
  ['<=1.1.x', '1.2.500', false],
  ['>1.1, <2', '1.1.1', false],
  ['>1.1, <2', '1.2.1', true],
  ['>1.1, <3', '4.3.2', false],
  ['>=1.1, <2, !=1.2.3', '1.2.3', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.1.2', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '4.1.2', true],
  ['>=1.1, <2, !=1.2.3 || >= 3', '3.0.0', true],
  ['>=1.1, <2, !=1.2.3 || > 3', '3.0.0', false],
  ['>=1.1, <2, !=1.2.3 || > 3', '1.2.3', false],
  ['1.1 - 2', '1.1.1', true],
  ['1.1-3', '4.3.2', false],
  ['^1.1', '1.1.1', true],
  ['^1.1.1-alpha', '1.1.1-beta', true],
  ['^1.1.1-beta', '1.1.1-alpha', false],
  ['^1.1', '4.3.2', false],
  ['^1.x', '1.1.1', true],
  ['^2.x', '1.1.1', false],
  ['^1.x', '2.1.1', false],
  ['^0.0.1', '0.1.3', false],
  ['^0.0.1', '0.0.1', true],
  ['~*', '2.1.1', true],
  ['~1', '2.1.1', false],
  ['~1', '1.3.5', true],
  ['~1.x', '2.1.1', false],
  ['~1.x', '1.3.5', true],
  ['~1.3.6-alpha', '1.3.5-beta', false],
  ['~1.3.5-alpha', '1.3.5-beta', true],
  ['~1.3.5-beta', '1.3.5-alpha', false],
  ['~1.x', '1.4', true],
  ['~1.1', '1.1.1', true],
  ['~1.2.3', '1.2.5', true],
  ['~1.2.3', '1.2.2', false],
  ['~1.2.3', '1.3.2', false],
  ['~1.1', '1.2.3', false],
  ['~1.3', '2.4.5', false],
];
const CONSTRAINT_STRING: [constraint: string, want: string][] = [
  ['*', '*'],
  ['>=1.2.3', '>=1.2.3'],
  ['>= 1.2.3', '>=1.2.3'],
  ['2.x,   >=1.2.3 || >4.5.6, < 5.7', '2.x >=1.2.3 || >4.5.6 <5.7'],
  ['2.x,   >=1.2.3 || >4.5.6, < 5.7 || >40.50.60, < 50.70', '2.x >=1.2.3 || >4.5.6 <5.7 || >40.50.60 <50.70'],
  ['1.2', '1.2'],
];
const TEXT_MARSHAL: [constraint: string, want: string][] = [
  ['1.2.3', '1.2.3'],
  ['>=1.2.3', '>=1.2.3'],
  ['<=1.2.3', '<=1.2.3'],
  ['1 <=1.2.3', '1 <=1.2.3'],
  ['1, <=1.2.3', '1 <=1.2.3'],
  ['>1, <=1.2.3', '>1 <=1.2.3'],
  ['> 1 , <=1.2.3', '>1 <=1.2.3'],
];
const NEW_VERSION: [version: string, err: boolean][] = [
  ['1.2.3', false],
  ['1.2.3-alpha.01', true],
  ['1.2.3+test.01', false],
  ['1.2.3-alpha.-1', false],
  ['v1.2.3', false],
  ['1.0', false],
  ['v1.0', false],
  ['1', false],
  ['v1', false],
  ['1.2.beta', true],
  ['v1.2.beta', true],
  ['foo', true],
  ['1.2-5', false],
  ['v1.2-5', false],
  ['1.2-beta.5', false],
  ['v1.2-beta.5', false],
  ['\n1.2', true],
  ['\nv1.2', true],
  ['1.2.0-x.Y.0+metadata', false],
  ['v1.2.0-x.Y.0+metadata', false],
  ['1.2.0-x.Y.0+metadata-width-hypen', false],
  ['v1.2.0-x.Y.0+metadata-width-hypen', false],
  ['1.2.3-rc1-with-hypen', false],
  ['v1.2.3-rc1-with-hypen', false],
  ['1.2.3.4', true],
  ['v1.2.3.4', true],
  ['1.2.2147483648', false],
  ['1.2147483648.3', false],
  ['2147483648.3.0', false],
  ['12.3.4.1234', true],
  ['12.23.4.1234', true],
  ['12.3.34.1234', true],
  ['20221209-update-renovatejson-v4', false],
  ['1.2.3', false],
  ['1.2.3-alpha.01', true],
  ['1.2.3+test.01', false],
  ['1.2.3-alpha.-1', false],
  ['v1.2.3', false],
  ['1.0', false],
  ['v1.0', false],
  ['1', false],
  ['v1', false],
  ['1.2.beta', true],
  ['v1.2.beta', true],
  ['foo', true],
  ['1.2-5', false],
  ['v1.2-5', false],
  ['1.2-beta.5', false],
  ['v1.2-beta.5', false],
  ['\n1.2', true],
  ['\nv1.2', true],
  ['1.2.0-x.Y.0+metadata', false],
  ['v1.2.0-x.Y.0+metadata', false],
  ['1.2.0-x.Y.0+metadata-width-hypen', false],
  ['v1.2.0-x.Y.0+metadata-width-hypen', false],
  ['1.2.3-rc1-with-hypen', false],
  ['v1.2.3-rc1-with-hypen', false],
  ['1.2.3.4', true],
  ['v1.2.3.4', true],
  ['1.2.2147483648', false],
  ['1.2147483648.3', false],
  ['2147483648.3.0', false],
  ['12.3.4.1234', true],
  ['12.23.4.1234', true],
  ['12.3.34.1234', true],
  ['20221209-update-renovatejson-v4', false],
];
const COERCE_STRING: [version: string, want: string][] = [
  ['1.2.3', '1.2.3'],
  ['v1.2.3', '1.2.3'],
  ['1.0', '1.0.0'],
  ['v1.0', '1.0.0'],
  ['1', '1.0.0'],
  ['v1', '1.0.0'],
  ['1.2-5', '1.2.0-5'],
  ['v1.2-5', '1.2.0-5'],
  ['1.2-beta.5', '1.2.0-beta.5'],
  ['v1.2-beta.5', '1.2.0-beta.5'],
  ['1.2.0-x.Y.0+metadata', '1.2.0-x.Y.0+metadata'],
  ['v1.2.0-x.Y.0+metadata', '1.2.0-x.Y.0+metadata'],
  ['1.2.0-x.Y.0+metadata-width-hypen', '1.2.0-x.Y.0+metadata-width-hypen'],
  ['v1.2.0-x.Y.0+metadata-width-hypen', '1.2.0-x.Y.0+metadata-width-hypen'],
  ['1.2.3-rc1-with-hypen', '1.2.3-rc1-with-hypen'],
  ['v1.2.3-rc1-with-hypen', '1.2.3-rc1-with-hypen'],
];
const COMPARE: [a: string, b: string, want: number][] = [
  ['1.2.3', '1.5.1', -1],
  ['2.2.3', '1.5.1', 1],
  ['2.2.3', '2.2.2', 1],
  ['3.2-beta', '3.2-beta', 0],
  ['1.3', '1.1.4', 1],
  ['4.2', '4.2-beta', 1],
  ['4.2-beta', '4.2', -1],
  ['4.2-alpha', '4.2-beta', -1],
  ['4.2-alpha', '4.2-alpha', 0],
  ['4.2-beta.2', '4.2-beta.1', 1],
  ['4.2-beta2', '4.2-beta1', 1],
  ['4.2-beta', '4.2-beta.2', -1],
  ['4.2-beta', '4.2-beta.foo', -1],
  ['4.2-beta.2', '4.2-beta', 1],
  ['4.2-beta.foo', '4.2-beta', 1],
  ['1.2+bar', '1.2+baz', 0],
  ['1.0.0-beta.4', '1.0.0-beta.-2', -1],
  ['1.0.0-beta.-2', '1.0.0-beta.-3', -1],
  ['1.0.0-beta.-3', '1.0.0-beta.5', 1],
];
const LESS_THAN: [a: string, b: string, want: boolean][] = [
  ['1.2.3', '1.5.1', true],
  ['2.2.3', '1.5.1', false],
  ['3.2-beta', '3.2-beta', false],
];
const LESS_THAN_EQUAL: [a: string, b: string, want: boolean][] = [
  ['1.2.3', '1.5.1', true],
  ['2.2.3', '1.5.1', false],
  ['1.5.1', '1.5.1', true],
];
const GREATER_THAN: [a: string, b: string, want: boolean][] = [
  ['1.2.3', '1.5.1', false],
  ['2.2.3', '1.5.1', true],
  ['3.2-beta', '3.2-beta', false],
  ['3.2.0-beta.1', '3.2.0-beta.5', false],
  ['3.2-beta.4', '3.2-beta.2', true],
  ['7.43.0-SNAPSHOT.99', '7.43.0-SNAPSHOT.103', false],
  ['7.43.0-SNAPSHOT.FOO', '7.43.0-SNAPSHOT.103', true],
  ['7.43.0-SNAPSHOT.99', '7.43.0-SNAPSHOT.BAR', false],
];
const GREATER_THAN_EQUAL: [a: string, b: string, want: boolean][] = [
  ['1.2.3', '1.5.1', false],
  ['2.2.3', '1.5.1', true],
  ['1.5.1', '1.5.1', true],
];
const INC: [version: string, want: string, how: string, wantOriginal: string][] = [
  ['1.2.3', '1.2.4', 'patch', '1.2.4'],
  ['v1.2.4', '1.2.5', 'patch', 'v1.2.5'],
  ['1.2.3', '1.3.0', 'minor', '1.3.0'],
  ['v1.2.4', '1.3.0', 'minor', 'v1.3.0'],
  ['1.2.3', '2.0.0', 'major', '2.0.0'],
  ['v1.2.4', '2.0.0', 'major', 'v2.0.0'],
  ['1.2.3+meta', '1.2.4', 'patch', '1.2.4'],
  ['1.2.3-beta+meta', '1.2.3', 'patch', '1.2.3'],
  ['v1.2.4-beta+meta', '1.2.4', 'patch', 'v1.2.4'],
  ['1.2.3-beta+meta', '1.3.0', 'minor', '1.3.0'],
  ['v1.2.4-beta+meta', '1.3.0', 'minor', 'v1.3.0'],
  ['1.2.3-beta+meta', '2.0.0', 'major', '2.0.0'],
  ['v1.2.4-beta+meta', '2.0.0', 'major', 'v2.0.0'],
];
const SET_PRERELEASE: [version: string, pre: string, wantVersion: string, wantPre: string, wantOriginal: string, err: string | undefined][] = [
  ['1.2.3', '**', '1.2.3', '', '1.2.3', 'ErrInvalidPrerelease'],
  ['1.2.3', 'beta', '1.2.3-beta', 'beta', '1.2.3-beta', undefined],
  ['v1.2.4', 'beta', '1.2.4-beta', 'beta', 'v1.2.4-beta', undefined],
];
const SET_METADATA: [version: string, meta: string, wantVersion: string, wantMeta: string, wantOriginal: string, err: string | undefined][] = [
  ['1.2.3', '**', '1.2.3', '', '1.2.3', 'ErrInvalidMetadata'],
  ['1.2.3', 'meta', '1.2.3+meta', 'meta', '1.2.3+meta', undefined],
  ['v1.2.4', 'meta', '1.2.4+meta', 'meta', 'v1.2.4+meta', undefined],
];

describe('constraints (constraints_test.go)', () => {
  // TestConstraintCheck runs parseConstraint on each constraint alone; the empty constraint is
  // only valid there (NewConstraint, and so semverCompare, reject it; see the sprig tests below).
  test.each(CONSTRAINT_CHECK.filter(([c]) => c !== ''))('%j checks %j: %s', (c, v, want) => {
    expect(check(c, v)).toBe(want);
  });

  test.each(NEW_CONSTRAINT)('NewConstraint(%j) has %i groups, the first with %i constraints (error: %s)', (input, ors, count, err) => {
    if (err) {
      expect(() => parseConstraints(input)).toThrow(SemverError);
      return;
    }
    const c = parseConstraints(input);
    expect(c.groups.length).toBe(ors);
    expect(c.groups[0]!.length).toBe(count);
  });

  test.each(CONSTRAINTS_CHECK)('%j accepts %j: %s', (c, v, want) => {
    expect(check(c, v)).toBe(want);
  });

  test.each(CONSTRAINTS_CHECK_PRE)('%j with prereleases included accepts %j: %s', (c, v, want) => {
    expect(check(c, v, true)).toBe(want);
  });

  test.each(CONSTRAINTS_VALIDATE)('Validate(%j, %j) is %s, with reasons when false', (c, v, want) => {
    const r = validateConstraints(parseConstraints(c), parseSemver(v));
    expect(r.ok).toBe(want);
    expect(r.errors.length > 0).toBe(!want);
  });

  test.each(CONSTRAINTS_VALIDATE_PRE)('Validate(%j, %j) with prereleases included is %s', (c, v, want) => {
    const r = validateConstraints(parseConstraints(c), parseSemver(v), true);
    expect(r.ok).toBe(want);
    expect(r.errors.length > 0).toBe(!want);
  });

  test.each(VALIDATE_MESSAGES)('Validate(%j, %j) says %s', (c, v, message) => {
    expect(validateConstraints(parseConstraints(c), parseSemver(v)).errors[0]).toBe(message);
  });

  test.each(VALIDATE_MESSAGES_PRE)('Validate(%j, %j) with prereleases included says %s', (c, v, message) => {
    expect(validateConstraints(parseConstraints(c), parseSemver(v), true).errors[0]).toBe(message);
  });

  test('Validate reports every failing constraint of a group', () => {
    const r = validateConstraints(parseConstraints('!= 1.2.5, ^2, <= 1.1.x'), parseSemver('1.2.3'));
    expect(r.errors).toEqual(['"1.2.3" is less than "2"', '"1.2.3" is greater than "1.1.x"']);
  });

  test.each([...CONSTRAINT_STRING, ...TEXT_MARSHAL])('%j prints as %j and that parses again', (c, want) => {
    const s = constraintsString(parseConstraints(c));
    expect(s).toBe(want);
    expect(() => parseConstraints(s)).not.toThrow();
  });

  test('a constraint over 512 bytes is too long', () => {
    expect(() => parseConstraints('>= 1.0.0 || '.repeat(100))).toThrow('constraint string is too long (max 512 bytes)');
  });

  test('more than 32 OR groups are too many', () => {
    expect(() => parseConstraints(Array(33).fill('>= 1.0.0').join(' || '))).toThrow('too many constraint groups (max 32)');
  });

  test('a long invalid constraint fails fast (no exponential backtracking)', () => {
    const start = Date.now();
    expect(() => parseConstraints(`${'1  '.repeat(150)}!`)).toThrow(/^improper constraint: /);
    expect(Date.now() - start).toBeLessThan(1000);
  });
});

describe('versions (version_test.go)', () => {
  test.each(NEW_VERSION)('NewVersion(%j) fails: %s', (v, err) => {
    if (err) expect(() => parseSemver(v)).toThrow(SemverError);
    else expect(() => parseSemver(v)).not.toThrow();
  });

  test.each(COERCE_STRING)('%j prints as %j and keeps its original text', (v, want) => {
    const parsed = parseSemver(v);
    expect(semverString(parsed)).toBe(want);
    expect(parsed.original).toBe(v);
  });

  test.each(COMPARE)('Compare(%j, %j) is %i', (a, b, want) => {
    expect(compareSemver(parseSemver(a), parseSemver(b))).toBe(want);
  });

  test.each([
    ...LESS_THAN.map(([a, b, w]) => ['LessThan', a, b, w] as const),
    ...LESS_THAN_EQUAL.map(([a, b, w]) => ['LessThanEqual', a, b, w] as const),
    ...GREATER_THAN.map(([a, b, w]) => ['GreaterThan', a, b, w] as const),
    ...GREATER_THAN_EQUAL.map(([a, b, w]) => ['GreaterThanEqual', a, b, w] as const),
  ])('%s(%j, %j) is %s, as a method of semver values', (name, a, b, want) => {
    expect(method(call('semver', a), name, call('semver', b))).toBe(want);
  });

  test.each(INC)('%j Inc %3$s is %2$j, original %4$j', (v, want, how, wantOriginal) => {
    const parsed = parseSemver(v);
    const next = how === 'patch' ? incPatch(parsed) : how === 'minor' ? incMinor(parsed) : incMajor(parsed);
    expect(semverString(next)).toBe(want);
    expect(next.original).toBe(wantOriginal);
  });

  test.each(SET_PRERELEASE)('%j SetPrerelease(%j)', (v, pre, wantVersion, wantPre, _original, err) => {
    if (err) {
      expect(() => method(semverOf(v), 'SetPrerelease', pre)).toThrow('invalid prerelease string');
      return;
    }
    const next = method(semverOf(v), 'SetPrerelease', pre);
    expect(method(next, 'String')).toBe(wantVersion);
    expect(method(next, 'Prerelease')).toBe(wantPre);
  });

  test.each(SET_METADATA)('%j SetMetadata(%j)', (v, meta, wantVersion, wantMeta, _original, err) => {
    if (err) {
      expect(() => method(semverOf(v), 'SetMetadata', meta)).toThrow('invalid metadata string');
      return;
    }
    const next = method(semverOf(v), 'SetMetadata', meta);
    expect(method(next, 'String')).toBe(wantVersion);
    expect(method(next, 'Metadata')).toBe(wantMeta);
  });

  test.each([
    ['1.2.3-beta.1+build.123', 1n, 2n, 3n, 'beta.1', 'build.123'], // TestParts
    ['v1.2', 1n, 2n, 0n, '', ''],
    ['18446744073709551615.0.0', 18446744073709551615n, 0n, 0n, '', ''],
  ])('%j has parts %s.%s.%s, prerelease %j, metadata %j (uint64 results)', (v, major, minor, patch, pre, meta) => {
    const s = semverOf(v);
    expect([method(s, 'Major'), method(s, 'Minor'), method(s, 'Patch'), method(s, 'Prerelease'), method(s, 'Metadata')]).toEqual([major, minor, patch, pre, meta]);
  });

  test.each([
    ['1.2.3-alpha.01', 'version segment starts with 0'],
    ['1.0.0-alpha..1', 'invalid semantic version'],
    ['1.2.3+meta..x', 'invalid semantic version'],
    ['foo', 'invalid semantic version'],
    ['', 'invalid semantic version'],
    ['18446744073709551616.0.0', 'error parsing version segment: strconv.ParseUint: parsing "18446744073709551616": value out of range'],
    [`1.0.0-${'a'.repeat(256)}`, 'version string is too long (max 256 bytes)'], // TestNewVersionTooLong
  ])('NewVersion(%j) fails with %j', (v, message) => {
    expect(() => parseSemver(v)).toThrow(message);
  });

  test('incrementing past the largest uint64 panics', () => {
    expect(() => incPatch(parseSemver('1.2.18446744073709551615'))).toThrow('patch version increment would overflow uint64');
    expect(() => incMinor(parseSemver('1.18446744073709551615.0'))).toThrow('minor version increment would overflow uint64');
    expect(() => incMajor(parseSemver('18446744073709551615.0.0'))).toThrow('major version increment would overflow uint64');
  });
});

describe('sprig semver and semverCompare (semver_test.go, and Go-checked cases)', () => {
  test.each([
    ['1.2.3', '1.2.3', true],
    ['^1.2.0', '1.2.3', true],
    ['^1.2.0', '2.2.3', false],
    ['>=1.21.0-0', 'v1.25.3-gke.1200', true], // helm's kubeVersion idiom
    ['>=1.21.0', 'v1.25.3-gke.1200', false],
    ['~1.20 || ~1.21', '1.21.9', true],
    ['1.x', 'v1.2.3', true],
  ])('semverCompare %j %j is %s', (c, v, want) => {
    expect(call('semverCompare', c, v)).toBe(want);
  });

  test.each([
    ['', '1.0.0', 'improper constraint: ""'],
    ['foo', '1.0.0', 'improper constraint: "foo"'],
    ['>= 1.2.3.4', '1.0.0', 'improper constraint: ">= 1.2.3.4"'],
    ['1|2', '1.0.0', 'constraint parser error'],
    ['^1', 'not-a-version', 'invalid semantic version'],
    ['a\tb\u00e9', '1.0.0', 'improper constraint: "a\\tbé"'],
  ])('semverCompare %j %j fails with %j', (c, v, message) => {
    expect(() => call('semverCompare', c, v)).toThrow(new GoFuncError(message));
  });

  test('semver returns a *semver.Version that prints as String()', () => {
    const v = call('semver', 'v1.2.3-beta.1+c0ff33') as GoStruct;
    expect(v.typeName).toBe('*semver.Version');
    expect(v.stringer!()).toBe('1.2.3-beta.1+c0ff33');
    expect(method(v, 'Prerelease')).toBe('beta.1');
    expect(method(v, 'Major')).toBe(1n);
    expect(method(v, 'Original')).toBe('v1.2.3-beta.1+c0ff33');
    expect(v.json!.marshal!()).toBe('1.2.3-beta.1+c0ff33');
  });

  test.each([
    ['1.2.3', '1.2.3', 0n],
    ['1.3.3', '1.2.3', 1n],
    ['1.2.3', '1.4.3', -1n],
  ])('(semver %j).Compare (semver %j) is %s', (a, b, want) => {
    expect(method(call('semver', a), 'Compare', call('semver', b))).toBe(want);
  });

  test('IncMajor returns a semver.Version, which has no pointer methods in a template', () => {
    const next = method(call('semver', 'v1.2.3'), 'IncMajor') as GoStruct;
    expect(next.typeName).toBe('semver.Version');
    expect(next.stringer!()).toBe('2.0.0');
    expect(next.methods.Original).toBeUndefined(); // Go: can't evaluate field Original in type semver.Version
    expect(next.methods.Compare).toBeUndefined();
    expect(method(next, 'IncMinor') instanceof GoStruct).toBe(true);
  });

  test('comparing with something that is not a *semver.Version is a type error', () => {
    expect(() => method(call('semver', '1.0.0'), 'LessThan', '1.0.1')).toThrow('wrong type for value; expected *semver.Version; got string');
    expect(method(call('semver', '1.0.0'), 'Equal', null)).toBe(false);
  });

  test('semver fails like NewVersion', () => {
    expect(() => call('semver', '1.2.beta')).toThrow(new GoFuncError('invalid semantic version'));
  });

  test('semverConstraintCheck is semverCompare outside templates', () => {
    expect(semverConstraintCheck('>=1.21.0-0', '1.29.0')).toBe(true);
    expect(() => semverConstraintCheck('>>1', '1.0.0')).toThrow(SemverError);
  });
});

function semverOf(v: string): GoStruct {
  return call('semver', v) as GoStruct;
}
