import { describe, expect, test } from 'vitest';
import { formatError, InputError } from '../../../src/core/index.js';
import { evaluateExpression, evaluateWhen, matchGlob, parseExpression, truthy } from '../../../src/pipeline/spec/index.js';

const vars = { BUILD_NUMBER: '7', GIT_BRANCH: 'main', EMPTY: '', ZERO: '0', FLAG: 'false', YES: 'true', VERSION: 'v1.2.3' };
const params = { TARGET: 'production', DRY_RUN: 'false' };
const ctx = { vars, params };

function expr(text: string): string | boolean {
  const src = { field: 'when.expression' };
  return evaluateExpression(parseExpression(text, src), ctx, src);
}

function exprError(text: string, at?: { file: string; line: number; column: number }): string {
  try {
    const src = { field: 'spec.stages[0].when.expression', ...(at ? { at, column: at.column } : {}) };
    evaluateExpression(parseExpression(text, src), ctx, src);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return formatError(e as InputError);
  }
  throw new Error('expected an error');
}

describe('globs', () => {
  test.each([
    ['main', 'main', true],
    ['main', 'maint', false],
    ['release/*', 'release/1.0', true],
    ['release/*', 'release/1.0/hotfix', false],
    ['release/**', 'release/1.0/hotfix', true],
    ['feature-*', 'feature-login', true],
    ['*', 'feature/x', false],
    ['**', 'feature/x', true],
    ['src/**', 'src/a/b/c.ts', true],
    ['src/**', 'srcx/a.ts', false],
    ['src/**', 'src', false],
    ['**/*.go', 'main.go', true],
    ['**/*.go', 'cmd/app/main.go', true],
    ['**/*.go', 'cmd/app/main.gox', false],
    ['docs/**/*.md', 'docs/a.md', true],
    ['docs/**/*.md', 'docs/x/y/a.md', true],
    ['*.md', 'docs/a.md', false],
    ['go.mod', 'go.mod', true],
    ['go.mod', 'gozmod', false],
    ['v?.?', 'v1.2', true],
    ['v?.?', 'v1/2', false],
    ['a+b(c)', 'a+b(c)', true],
    ['./src/*', 'src/a', true],
  ])('%s matches %s: %s', (glob, path, want) => {
    expect(matchGlob(glob, path)).toBe(want);
  });
});

describe('expressions', () => {
  test.each([
    ["'a' == 'a'", true],
    ["'a' == \"a\"", true],
    ["'a' != 'a'", false],
    ["${params.TARGET} == 'production'", true],
    ["${params.TARGET} == 'production' && ${BUILD_NUMBER} != '1'", true],
    ["${params.TARGET} == 'staging' || ${BUILD_NUMBER} == '7'", true],
    ["${params.TARGET} == 'staging' || ${BUILD_NUMBER} == '8'", false],
    ['${BUILD_NUMBER} == 7', true],
    ["${env.GIT_BRANCH} == 'main'", true],
    ["!(${GIT_BRANCH} == 'main')", false],
    ["!${GIT_BRANCH} == 'dev'", true],
    ['true', true],
    ['false', false],
    ['!false', true],
    ['true && false || true', true],
    ['true && (false || false)', false],
    ['false || true && false', false],
    ['${YES}', true],
    ['${FLAG}', false],
    ['${EMPTY}', false],
    ['${ZERO}', false],
    ['${params.DRY_RUN}', false],
    ['!${params.DRY_RUN}', true],
    ["${VERSION} =~ '^v1\\.'", true],
    ["${VERSION} =~ 'v2'", false],
    ["${VERSION} =~ '\\d+\\.\\d+'", true],
    ["'a\\\\b' == 'a\\\\b'", true],
    ["${VERSION} =~ '^\\\\d'", false],
    ["'it\\'s' == \"it's\"", true],
    ["(${GIT_BRANCH} == 'main') == true", true],
    ['  ${BUILD_NUMBER}   ==   "7"  ', true],
  ])('%s is %s', (text, want) => {
    expect(truthy(expr(text))).toBe(want);
  });

  test('&& and || do not evaluate the side that cannot matter', () => {
    expect(expr('false && ${NOPE}')).toBe(false);
    expect(expr('true || ${NOPE}')).toBe(true);
  });

  test('truthiness of values', () => {
    expect([truthy(''), truthy('false'), truthy('0'), truthy('no'), truthy('1'), truthy(true), truthy(false)]).toEqual([false, false, false, true, true, true, false]);
  });

  test.each([
    ["${A} = 'x'", 'unknown operator "=" (use ==, !=, =~, && or ||) at offset 5'],
    ["${A} == prod", 'unknown word "prod" (quote strings: \'prod\'; write variables as ${prod}) at offset 8'],
    ["'abc", 'unterminated string at offset 0'],
    ['${A', 'unterminated "${" at offset 0'],
    ['${A B} == 1', 'bad reference "${A B}": expected ${NAME}, ${env.NAME} or ${params.NAME}'],
    ['${hashFiles:x} == 1', '${hashFiles:x} is only allowed in cache keys at offset 0'],
    ['', 'empty expression at offset 0'],
    ['(true', 'expected ")" but found end of expression at offset 5'],
    ["'a' == ", 'expected a value but the expression ended at offset 7'],
    ['true true', 'unexpected "true" at offset 5'],
    ['== 1', 'expected a value but found "==" at offset 0'],
    ["'a' & 'b'", 'unknown operator "&"'],
    ["'it''s' == 'x'", 'unexpected "\'s\'" at offset 4'],
    ['${A} # 1', 'unexpected character "#" at offset 5'],
    ["'x' =~ '('", 'bad regular expression: Invalid regular expression'],
  ])('syntax error: %s', (text, want) => {
    const err = exprError(text);
    expect(err).toContain(`spec.stages[0].when.expression: ${want}`);
    expect(err).toContain(`of expression "${text}"`);
  });

  test('the column of a syntax error is the expression column plus its offset', () => {
    expect(exprError("${A} = 'x'", { file: 's.yaml', line: 4, column: 21 })).toMatch(/^s\.yaml:4:26: /);
  });

  test('an unknown variable at run time names the field', () => {
    expect(exprError("${NOPE} == 'x'")).toBe('spec.stages[0].when.expression: unknown variable "NOPE" in ${NOPE}');
    expect(exprError("${params.TARGT} == 'x'")).toBe('spec.stages[0].when.expression: unknown parameter "TARGT" in ${params.TARGT} (did you mean TARGET?)');
  });

  test('a regular expression from a variable is compiled at run time', () => {
    const src = { field: 'f' };
    const e = parseExpression("'abc' =~ ${P}", src);
    expect(evaluateExpression(e, { vars: { P: 'b.' }, params: {} }, src)).toBe(true);
    expect(() => evaluateExpression(e, { vars: { P: '[' }, params: {} }, src)).toThrow('f: bad regular expression "["');
  });
});

describe('evaluateWhen', () => {
  test('branch', () => {
    expect(evaluateWhen({ branch: 'main' }, { ...ctx, branch: 'main' })).toEqual({ run: true, reason: 'branch main matches main' });
    expect(evaluateWhen({ branch: 'release/*' }, { ...ctx, branch: 'feature/x' })).toEqual({ run: false, reason: 'branch feature/x does not match release/*' });
    expect(evaluateWhen({ branch: 'main' }, ctx)).toEqual({ run: false, reason: 'branch is unknown, so it does not match main' });
  });

  test('changes', () => {
    const when = { changes: ['src/**', 'go.mod'] };
    expect(evaluateWhen(when, { ...ctx, changedFiles: ['README.md', 'src/a/b.go'] })).toEqual({ run: true, reason: 'changed file src/a/b.go matches src/**, go.mod' });
    expect(evaluateWhen(when, { ...ctx, changedFiles: ['go.mod'] }).run).toBe(true);
    expect(evaluateWhen(when, { ...ctx, changedFiles: ['README.md', 'docs/go.mod'] })).toEqual({ run: false, reason: 'no changed file matches src/**, go.mod' });
    expect(evaluateWhen(when, { ...ctx, changedFiles: [] }).run).toBe(false);
    expect(evaluateWhen(when, ctx)).toEqual({ run: true, reason: 'changed files are unknown, so changes (src/**, go.mod) are taken to match' });
  });

  test('expression', () => {
    expect(evaluateWhen({ expression: "${params.TARGET} == 'production'" }, ctx)).toEqual({ run: true, reason: "expression ${params.TARGET} == 'production' is true" });
    expect(evaluateWhen({ expression: '${params.DRY_RUN}' }, ctx)).toEqual({ run: false, reason: 'expression ${params.DRY_RUN} is false' });
  });

  test('environment', () => {
    expect(evaluateWhen({ environment: { name: 'BUILD_NUMBER', value: '7' } }, ctx)).toEqual({ run: true, reason: 'BUILD_NUMBER is "7"' });
    expect(evaluateWhen({ environment: { name: 'BUILD_NUMBER', value: '8' } }, ctx)).toEqual({ run: false, reason: 'BUILD_NUMBER is "7", not "8"' });
    expect(evaluateWhen({ environment: { name: 'DEPLOY', value: '1' } }, ctx)).toEqual({ run: false, reason: 'DEPLOY is not set, not "1"' });
  });

  test('not, allOf, anyOf', () => {
    const c = { ...ctx, branch: 'main' };
    expect(evaluateWhen({ not: { branch: 'main' } }, c)).toEqual({ run: false, reason: 'not (branch main matches main)' });
    expect(evaluateWhen({ not: { branch: 'dev' } }, c)).toEqual({ run: true, reason: 'not (branch main does not match dev)' });
    expect(evaluateWhen({ allOf: [{ branch: 'main' }, { expression: 'false' }] }, c)).toEqual({ run: false, reason: 'expression false is false' });
    expect(evaluateWhen({ allOf: [{ branch: 'main' }, { expression: 'true' }] }, c).run).toBe(true);
    expect(evaluateWhen({ anyOf: [{ branch: 'dev' }, { branch: 'ma*' }] }, c)).toEqual({ run: true, reason: 'branch main matches ma*' });
    expect(evaluateWhen({ anyOf: [{ branch: 'dev' }, { expression: 'false' }] }, c)).toEqual({
      run: false,
      reason: 'none of anyOf holds: branch main does not match dev; expression false is false',
    });
  });

  test('all conditions must hold; the first that fails is the reason', () => {
    const when = { branch: 'main', changes: ['src/**'], expression: "${BUILD_NUMBER} != '1'" };
    expect(evaluateWhen(when, { ...ctx, branch: 'main', changedFiles: ['src/x'] })).toEqual({
      run: true,
      reason: "branch main matches main; changed file src/x matches src/**; expression ${BUILD_NUMBER} != '1' is true",
    });
    expect(evaluateWhen(when, { ...ctx, branch: 'main', changedFiles: ['doc/x'] })).toEqual({ run: false, reason: 'no changed file matches src/**' });
    expect(evaluateWhen(when, { ...ctx, branch: 'dev', changedFiles: ['doc/x'] })).toEqual({ run: false, reason: 'branch dev does not match main' });
  });

  test('an empty when runs', () => {
    expect(evaluateWhen({}, ctx)).toEqual({ run: true, reason: 'no conditions' });
  });

  test('a bad expression is an InputError naming the field and location given', () => {
    const at = { file: 'slipway.yaml', line: 12, column: 7 };
    try {
      evaluateWhen({ allOf: [{ expression: '${X} ==' }] }, ctx, 'spec.stages[1].when', at);
      expect.unreachable();
    } catch (e) {
      expect(formatError(e as InputError)).toBe('slipway.yaml:12:7: spec.stages[1].when.allOf[0].expression: expected a value but the expression ended at offset 7 of expression "${X} =="');
    }
    expect(() => evaluateWhen({ expression: "${NOPE} == 'x'" }, ctx, 'when', at)).toThrow('when.expression: unknown variable "NOPE" in ${NOPE}');
  });
});
