import { describe, expect, it } from 'vitest';
import { parseDurationOrUndefined as parseGoDuration } from '../../../src/engines/goruntime/index.js';
import { compareValue, goFloatE, operatorOf } from '../../../src/engines/policy/operators.js';
import { compareQuantities, parseQuantity } from '../../../src/engines/policy/quantity.js';
import { wildcardMatch } from '../../../src/engines/policy/wildcard.js';

describe('wildcardMatch', () => {
  it.each([
    ['*', 'anything', true],
    ['*', '', true],
    ['*right', 'leftright', true],
    ['*right', 'right', true],
    ['*right', 'leftmiddle', false],
    ['ab*ba', 'abbeba', true],
    ['ab*ba', 'abbca', false],
    ['ab?ba', 'abbba', true],
    ['ab?ba', 'abbbba', false],
    ['?*', '', false],
    ['?*', 'x', true],
    ['?', 'é', true], // one code point, not one byte
    ['*:latest', 'registry.io/team/app:latest', true],
    ['*:*', 'nginx', false],
    ['a*a*a*a*b', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', false],
    ['', '', true],
    ['', 'a', false],
    ['a**', 'a', true],
    ['*/*', 'x/y', true],
  ])('%j matches %j: %s', (pattern, text, want) => {
    expect(wildcardMatch(pattern, text)).toBe(want);
  });
});

describe('operatorOf', () => {
  it.each([
    ['', ''],
    ['f', ''],
    ['>', ''], // too short to be an operator
    ['>=1', '>='],
    ['<=1', '<='],
    ['>1', '>'],
    ['<1', '<'],
    ['!a', '!'],
    ['1-5', '-'],
    ['128Mi-512Mi', '-'],
    ['1!-5', '!-'],
    ['!1-5', '!'],
    ['my-app', ''],
    ['5.10.84-1', ''],
  ])('%j is %j', (pattern, op) => {
    expect(operatorOf(pattern)).toBe(op);
  });
});

describe('quantities', () => {
  const q = (s: string) => {
    const v = parseQuantity(s);
    if (!v) throw new Error(`not a quantity: ${s}`);
    return v;
  };
  it.each([
    ['1Gi', '1024Mi', 0],
    ['1G', '1Gi', -1],
    ['500m', '0.5', 0],
    ['.5', '0.5', 0],
    ['1e3', '1k', 0],
    ['1E3', '1000', 0],
    ['2', '1999m', 1],
    ['-1', '0', -1],
    ['1Ki', '1024', 0],
    ['1n', '0', 1],
    ['100u', '0.0001', 0],
  ])('%s vs %s is %d', (a, b, want) => {
    expect(compareQuantities(q(a), q(b))).toBe(want);
  });
  it.each(['', 'gii', '1.5.5', '1 Gi', '1KB', '1e', 'abc', '1h', 'nginx', '1Ki-3', 'e', '1K'])('%j is not a quantity', (s) => {
    expect(parseQuantity(s)).toBeUndefined();
  });
  it.each([
    ['Ki', '0'], // apimachinery reads a bare suffix or sign as zero
    ['m', '0'],
    ['-', '0'],
    ['000', '0'],
    ['1.', '1'],
    ['1.G', '1G'],
    ['0.0000000001', '1n'], // finer than a nano: rounded up
    ['-0.0000000001', '-1n'],
    ['1.5e-9', '2n'],
    ['+2', '2'],
  ])('%j reads as %s', (a, b) => {
    expect(compareQuantities(q(a), q(b))).toBe(0);
  });
});

describe('Go durations', () => {
  it.each([
    ['0', 0n],
    ['1h', 3_600_000_000_000n],
    ['1.5h', 5_400_000_000_000n],
    ['2h45m', 9_900_000_000_000n],
    ['300ms', 300_000_000n],
    ['-1m', -60_000_000_000n],
    ['1µs', 1000n],
    ['.5s', 500_000_000n],
    ['1h0m0s', 3_600_000_000_000n],
  ])('%s is %s ns', (s, ns) => {
    expect(parseGoDuration(s)).toBe(ns);
  });
  it.each(['', '1', '5d', 'h', '1.h.', 'abc', '-', '1hh'])('%j is not a duration', (s) => {
    expect(parseGoDuration(s)).toBeUndefined();
  });
});

describe('compareValue: booleans, numbers, null', () => {
  it.each([
    [true, true, true],
    [true, false, false],
    [false, true, false],
    [false, false, true],
    ['true', true, false], // a bool pattern wants a bool
    [7, 7.0, true],
    [7.9914, 7.9914, true],
    [7.9914, 7.99141, false],
    [8, 7, false],
    [7.000001, 7, false],
    ['7', 7, true], // strings are parsed as numbers
    ['7.0', 7, true],
    ['1e3', 1000, true],
    ['seven', 7, false],
    [null, 7, false],
    [true, 1, false],
    ['value', null, false],
    ['', null, true],
    [0, null, true],
    [0.1, null, false],
    [1, null, false],
    [false, null, true],
    [true, null, false],
    [null, null, true],
    [undefined, null, true],
    [{}, null, false],
    [[], null, false],
    [{ a: 1 }, { b: 2 }, true], // a map pattern only asks for a map
    ['x', { b: 2 }, false],
    [[1], [1], false], // lists are not scalar patterns
  ])('%j against %j: %s', (value, pattern, want) => {
    expect(compareValue(value, pattern)).toBe(want);
  });
});

describe('compareValue: string patterns', () => {
  it.each([
    // equality, wildcards, type coercion
    ['nginx', 'nginx', true],
    ['nginx', 'nginx2', false],
    ['', '', true],
    [null, '', false],
    [undefined, '?*', false],
    ['', '?*', false],
    ['a', '?*', true],
    [undefined, '*', false],
    [true, 'true', true],
    [false, 'true', false],
    [false, 'false', true],
    [1024, '1024', true],
    [{ a: 1 }, '*', false],
    [['a'], '*', false],
    // logical or / and
    ['10.100.11.54', '192.168.88.1 | 10.100.11.*', true],
    ['10.100.12.54', '192.168.88.1 | 10.100.11.*', false],
    ['10', '>1 & <20', true],
    ['10', '>1 & <20 | >31 & <33', true],
    ['32', '>1 & <20 | >31 & <33', true],
    ['21', '>1 & <20 | >31 & <33', false],
    ['Always', 'Always|IfNotPresent', true],
    ['Never', 'Always | IfNotPresent', false],
    // not equal
    ['Always', '!Always', false],
    ['Never', '!Always', true],
    [undefined, '!Always', false], // Kyverno: a missing value never matches a string condition, not even !x
    ['nginx:latest', '!*:latest', false],
    ['nginx:1.2', '!*:latest', true],
    ['5.16.5-arch1-1', '!5.10.84-1', true],
    ['5.10.84-1', '!5.10.84-1', false],
    ['5.16.5-arch1-1', '!5.10.84-1 & !5.15.2-1', true],
    ['5.10.84-1', '!5.10.84-1 & !5.15.2-1', false],
    ['5.15.2-1', '!5.10.84-1 & !5.15.2-1', false],
    // numeric comparisons
    [4, '>= 3', true],
    [3, '>=3', true],
    [2, '>=3', false],
    [0, '>0', false],
    [1000, '>0', true],
    ['10', '<20', true],
    [7.00001, '>7.000001', true],
    [7.00001, '!7', true],
    [7.0, '7', true],
    [6.000000001, '<6', false], // Kyverno prints floats with %f: 6.000000
    ['abc', '>1', false], // > < >= <= never apply to strings
    [undefined, '>0', false],
    [undefined, '<1', true], // a missing value counts as 0 for comparisons
    // quantities
    ['1024Gi', '1024Gi', true],
    ['1024Mi', '1Gi', true],
    ['0.2', '200m', true],
    ['2048', '1024', false],
    [1024, '1024', true],
    ['1Gi', '>1000Mi', true],
    ['1G', '<1Gi', true],
    ['500m', '>=0.5', true],
    ['1', '>=500m', true],
    ['0.5', '<=.5', true],
    ['0.2', '<=.5', true],
    ['0.2', '!.5', true],
    ['1024Gi', '', false],
    ['gii', '1024Gi', false],
    ['256Mi', '<=2Gi', true],
    ['3Gi', '<=2Gi', false],
    ['100m', '<=2', true],
    [2, '<=2', true],
    ['2500m', '<=2', false],
    // durations
    ['2h', '>1h', true],
    ['30m', '>1h', false],
    ['90m', '>=1h30m', true],
    ['3600s', '1h', true],
    ['45s', '<1m', true],
    ['500m', '<1m', false], // both read as durations first: 500 minutes
    // ranges
    [0, '0-2', true],
    [1, '0-2', true],
    [2, '0-2', true],
    [3, '0-2', false],
    [0, '10!-20', true],
    [15, '10!-20', false],
    [25, '10!-20', true],
    [0, '0.00001-2.00001', false],
    [1, '0.00001-2.00001', true],
    [2, '0.00001-2.00001', true],
    [2.0001, '0.00001-2.00001', false],
    [0, '0.00001!-2.00001', true],
    [1, '0.00001!-2.00001', false],
    [2, '0.00001!-2.00001', false],
    [2.0001, '0.00001!-2.00001', true],
    [2, '2-2', true],
    [2, '2!-2', false],
    [2.99999, '2.99998-3', true],
    [2.99997, '2.99998!-3', true],
    [3.00001, '2.99998!-3', true],
    ['256Mi', '128Mi-512Mi', true],
    ['1024Mi', '128Mi-512Mi', false],
    ['64Mi', '128Mi-512Mi', false],
    ['256Mi', '128Mi!-512Mi', false],
    ['1024Mi', '128Mi!-512Mi', true],
    ['64Mi', '128Mi!-512Mi', true],
    [8080, '1024-65535', true],
    [80, '1024-65535', false],
    ['90s', '1m-2m', true],
  ])('%j against %j: %s', (value, pattern, want) => {
    expect(compareValue(value, pattern)).toBe(want);
  });
});

describe('Go number formatting', () => {
  it.each([
    [1.5, '1.5E+00'],
    [0.25, '2.5E-01'],
    [123456.789, '1.23456789E+05'],
    [1e-7, '1E-07'],
    [1.5e300, '1.5E+300'],
  ])('%d prints as %s', (n, s) => {
    expect(goFloatE(n)).toBe(s);
  });
  it('a float is compared as a string in Go E notation', () => {
    expect(compareValue(1.5, '1.5E+00')).toBe(true);
    expect(compareValue(1.5, '1.5')).toBe(true); // through the quantity comparison
    expect(compareValue(1.5, '1.5*')).toBe(true);
  });
});
