import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/core/index.js';
import {
  ConditionError,
  checkConditions,
  equals,
  evaluateConditions,
  evaluateOperator,
  numeric,
  parseQuantity,
} from '../../../src/engines/policy/conditions.js';
import { buildVariableData } from '../../../src/engines/policy/variables.js';

describe('Equals / NotEquals', () => {
  it.each([
    ['abc', 'abc', true],
    ['abc', 'a*', true],
    ['abc', 'a?c', true],
    ['abc', 'b*', false],
    ['', '', true],
    ['', '*?', false],
    ['safe', '*?', true],
    [true, true, true],
    [true, 'true', false],
    [3, 3, true],
    [3, '3', true],
    [3, '3.5', false],
    ['1Gi', '1024Mi', true],
    ['500m', '0.5', true],
    ['1h', '60m', true],
    ['30s', 30, true],
    [{ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }, true],
    [{ a: 1 }, { a: 2 }, false],
    [['x'], ['x'], true],
    [null, null, false],
  ])('%j Equals %j is %s', (key, value, want) => {
    expect(equals(key, value)).toBe(want);
    expect(evaluateOperator(key, 'Equals', value)).toBe(want);
    expect(evaluateOperator(key, 'Equal', value)).toBe(want);
    expect(evaluateOperator(key, 'NotEquals', value)).toBe(!want);
    expect(evaluateOperator(key, 'NotEqual', value)).toBe(!want);
  });
});

describe('numeric operators', () => {
  it.each([
    [5, 'GreaterThan', 3, true],
    [5, 'GreaterThan', 5, false],
    [5, 'GreaterThanOrEquals', 5, true],
    [2, 'LessThan', '3', true],
    ['2', 'LessThanOrEquals', 2, true],
    ['2Gi', 'GreaterThan', '1500Mi', true],
    ['100m', 'LessThan', '1', true],
    ['2h', 'GreaterThan', '90m', true],
    ['1.10.0', 'GreaterThan', '1.9.3', true],
    ['1.2.0-rc.1', 'LessThan', '1.2.0', true],
    ['abc', 'GreaterThan', 'abd', false],
    [true, 'GreaterThan', 1, false],
  ])('%j %s %j is %s', (key, op, value, want) => {
    expect(numeric(key, value, op)).toBe(want);
    expect(evaluateOperator(key, op, value)).toBe(want);
  });

  it('duration operators compare durations only', () => {
    expect(evaluateOperator('2h', 'DurationGreaterThan', '1h')).toBe(true);
    expect(evaluateOperator('30m', 'DurationLessThanOrEquals', '30m')).toBe(true);
    expect(evaluateOperator(3600, 'DurationGreaterThanOrEquals', '1h')).toBe(true);
    expect(evaluateOperator('abc', 'DurationLessThan', '1h')).toBe(false);
  });
});

describe('set operators', () => {
  it.each([
    ['DELETE', 'AnyIn', ['DELETE', 'UPDATE'], true],
    ['CREATE', 'AnyIn', ['DELETE', 'UPDATE'], false],
    [['a', 'b'], 'AnyIn', ['b', 'c'], true],
    [['a', 'b'], 'AnyIn', ['c'], false],
    [['a', 'b'], 'AllIn', ['a', 'b', 'c'], true],
    [['a', 'x'], 'AllIn', ['a', 'b'], false],
    [['a', 'x'], 'AnyNotIn', ['a', 'b'], true],
    [['a', 'b'], 'AnyNotIn', ['a', 'b'], false],
    [['x', 'y'], 'AllNotIn', ['a', 'b'], true],
    [['a', 'y'], 'AllNotIn', ['a', 'b'], false],
    ['nginx:latest', 'AnyIn', ['*:latest'], true],
    ['*:latest', 'AnyIn', ['nginx:latest'], true],
    [[80, 8080], 'AnyIn', ['80'], true],
    [8080, 'AnyIn', [80, 8080], true],
    ['a', 'AnyIn', '["a","b"]', true],
    ['a', 'AnyIn', 'a', true],
    [['8080'], 'AnyIn', '8000-9000', true],
    [['7000'], 'AnyIn', '8000-9000', false],
    [['7000'], 'AnyNotIn', '8000-9000', true],
    ['b', 'In', ['a', 'b'], true],
    [['a', 'b'], 'In', ['a', 'b', 'c'], true],
    [['a', 'z'], 'In', ['a', 'b'], false],
    ['c', 'NotIn', ['a', 'b'], true],
    ['a', 'NotIn', ['a', 'b'], false],
    [{ a: 1 }, 'AnyIn', ['a'], false],
  ])('%j %s %j is %s', (key, op, value, want) => {
    expect(evaluateOperator(key, op, value)).toBe(want);
  });
});

describe('quantities', () => {
  it.each([
    ['1', 1],
    ['1.5', 1.5],
    ['500m', 0.5],
    ['1Ki', 1024],
    ['2Gi', 2 * 2 ** 30],
    ['1k', 1000],
    ['1e3', 1000],
    ['abc', undefined],
    ['', undefined],
    ['1 Gi', undefined],
  ])('%s', (text, want) => {
    expect(parseQuantity(text)).toBe(want);
  });
});

describe('any/all blocks with variables', () => {
  const pod: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', labels: { app: 'web' } }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
  const data = buildVariableData(pod, { operation: 'UPDATE' });

  it('all needs every condition, any at least one, both together', () => {
    const t = { key: '{{ request.operation }}', operator: 'Equals', value: 'UPDATE' };
    const f = { key: '{{ request.operation }}', operator: 'Equals', value: 'CREATE' };
    expect(evaluateConditions({ all: [t, t] }, data)).toBe(true);
    expect(evaluateConditions({ all: [t, f] }, data)).toBe(false);
    expect(evaluateConditions({ any: [f, t] }, data)).toBe(true);
    expect(evaluateConditions({ any: [f, f] }, data)).toBe(false);
    expect(evaluateConditions({ any: [t], all: [f] }, data)).toBe(false);
    expect(evaluateConditions({ any: [t], all: [t] }, data)).toBe(true);
    expect(evaluateConditions({}, data)).toBe(true);
    // an explicit empty any list holds nothing (Kyverno: a non-nil any block needs one true condition)
    expect(evaluateConditions({ any: [] }, data)).toBe(false);
    expect(evaluateConditions(undefined, data)).toBe(true);
    // legacy: a plain list means all
    expect(evaluateConditions([t, f], data)).toBe(false);
    expect(evaluateConditions([t], data)).toBe(true);
  });

  it('reads unresolvable variables as the empty string', () => {
    expect(evaluateConditions({ all: [{ key: '{{ request.object.metadata.labels.missing }}', operator: 'Equals', value: '' }] }, data)).toBe(true);
  });

  it('substitutes the value side too, keeping types', () => {
    expect(evaluateConditions({ all: [{ key: '{{ request.object.spec.containers | length(@) }}', operator: 'GreaterThan', value: 1 }] }, data)).toBe(true);
    expect(evaluateConditions({ all: [{ key: '{{ request.object.metadata.labels }}', operator: 'Equals', value: '{{ request.oldObject.metadata.labels }}' }] }, data)).toBe(true);
    expect(evaluateConditions({ all: [{ key: '{{ request.object.spec.containers[].name }}', operator: 'AllIn', value: ['a', 'b'] }] }, data)).toBe(true);
  });

  it('rejects unknown operators and malformed blocks', () => {
    expect(() => evaluateConditions({ all: [{ key: 'a', operator: 'Matches', value: 'a' }] }, data)).toThrow(ConditionError);
    expect(() => checkConditions({ any: [{ key: 'a', operator: 'Nope' }] }, 'preconditions')).toThrow('preconditions.any[0].operator: unknown operator "Nope"');
    expect(() => checkConditions({ any: 'x' }, 'preconditions')).toThrow('preconditions.any: expected a list of conditions');
    expect(() => checkConditions('x', 'p')).toThrow(ConditionError);
  });
});
