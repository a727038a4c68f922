import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { formatError, InputError } from '../../../src/core/index.js';
import { cacheKey, hashFiles, interpolate, interpolateDeep, scanTemplate } from '../../../src/pipeline/spec/index.js';

const lookup = { vars: { BUILD_NUMBER: '42', IMAGE: 'r/app', EMPTY: '', TARGET: 'from-vars' }, params: { TARGET: 'production', ONLY_PARAM: 'p' } };
const at = { file: 'slipway.yaml', line: 9, column: 5 };

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return formatError(e as InputError);
  }
  throw new Error('expected an error');
}

describe('interpolate', () => {
  test.each([
    ['plain text', 'plain text'],
    ['${BUILD_NUMBER}', '42'],
    ['${IMAGE}:${BUILD_NUMBER}', 'r/app:42'],
    ['v${env.BUILD_NUMBER}-x', 'v42-x'],
    ['${params.TARGET}', 'production'],
    ['${TARGET}', 'from-vars'],
    ['${ONLY_PARAM}', 'p'],
    ['[${EMPTY}]', '[]'],
    ['$${BUILD_NUMBER}', '${BUILD_NUMBER}'],
    // The escape is the `$${` that ends right before the name; the `$` in front stays.
    ['$$${BUILD_NUMBER}', '$${BUILD_NUMBER}'],
    ['cost: $5 and $HOME', 'cost: $5 and $HOME'],
    ['$$ alone', '$$ alone'],
    ['a } b', 'a } b'],
    ['${BUILD_NUMBER}${BUILD_NUMBER}', '4242'],
    ['', ''],
  ])('%j -> %j', (text, want) => {
    expect(interpolate(text, lookup, 'f')).toBe(want);
  });

  test('a value is not interpolated again', () => {
    expect(interpolate('${A}', { vars: { A: '${B}', B: 'no' }, params: {} }, 'f')).toBe('${B}');
  });

  test.each([
    ['${NOPE}', 'slipway.yaml:9:5: spec.env.X: unknown variable "NOPE" in ${NOPE}'],
    ['${IMAGES}', 'slipway.yaml:9:5: spec.env.X: unknown variable "IMAGES" in ${IMAGES} (did you mean IMAGE?)'],
    ['${params.TARGT}', 'slipway.yaml:9:5: spec.env.X: unknown parameter "TARGT" in ${params.TARGT} (did you mean TARGET?)'],
    ['${params.IMAGE}', 'slipway.yaml:9:5: spec.env.X: unknown parameter "IMAGE" in ${params.IMAGE}'],
    ['x ${BUILD', 'slipway.yaml:9:5: spec.env.X: unterminated "${" in "x ${BUILD" (write $${ for a literal ${)'],
    ['${}', 'slipway.yaml:9:5: spec.env.X: bad reference "${}"'],
    ['${ BUILD_NUMBER }', 'slipway.yaml:9:5: spec.env.X: bad reference "${ BUILD_NUMBER }"'],
    ['${other.X}', 'slipway.yaml:9:5: spec.env.X: bad reference "${other.X}"'],
    ['${1ABC}', 'slipway.yaml:9:5: spec.env.X: bad reference "${1ABC}"'],
    ['${hashFiles:go.sum}', 'slipway.yaml:9:5: spec.env.X: ${hashFiles:go.sum} is only allowed in cache keys'],
    ['${hashFiles:}', 'slipway.yaml:9:5: spec.env.X: bad reference "${hashFiles:}"'],
  ])('%j is an error', (text, want) => {
    expect(errorOf(() => interpolate(text, lookup, 'spec.env.X', at))).toContain(want);
  });

  test('without a location the error names the field only', () => {
    expect(errorOf(() => interpolate('${NOPE}', lookup, 'deploy.chart'))).toBe('deploy.chart: unknown variable "NOPE" in ${NOPE}');
  });

  test('scanTemplate splits text and references', () => {
    expect(scanTemplate('a $${x} ${B} ${env.C}${params.D} ${hashFiles:**/*.go}', 'f')).toEqual([
      'a ${x} ',
      { scope: 'var', name: 'B', raw: '${B}', offset: 8 },
      ' ',
      { scope: 'var', name: 'C', raw: '${env.C}', offset: 13 },
      { scope: 'params', name: 'D', raw: '${params.D}', offset: 21 },
      ' ',
      { scope: 'hashFiles', name: '**/*.go', raw: '${hashFiles:**/*.go}', offset: 33 },
    ]);
  });
});

describe('interpolateDeep', () => {
  test('strings inside objects and arrays; keys and other values untouched', () => {
    const value = {
      chart: 'charts/${IMAGE}',
      set: { 'image.${tag}': '${BUILD_NUMBER}', replicas: 3, on: true, none: null },
      values: ['a.yaml', 'b-${params.TARGET}.yaml'],
    };
    expect(interpolateDeep(value, lookup, 'deploy')).toEqual({
      chart: 'charts/r/app',
      set: { 'image.${tag}': '42', replicas: 3, on: true, none: null },
      values: ['a.yaml', 'b-production.yaml'],
    });
    expect(value.chart).toBe('charts/${IMAGE}');
  });

  test('errors name the path inside the value', () => {
    expect(errorOf(() => interpolateDeep({ values: ['ok', '${NOPE}'] }, lookup, 'spec.stages[0].steps[2].deploy', at))).toBe(
      'slipway.yaml:9:5: spec.stages[0].steps[2].deploy.values[1]: unknown variable "NOPE" in ${NOPE}',
    );
    expect(errorOf(() => interpolateDeep({ set: { 'image.tag': '${NOPE}' } }, lookup, 'deploy'))).toBe('deploy.set["image.tag"]: unknown variable "NOPE" in ${NOPE}');
  });

  test('skipKeys leaves those values alone at any depth', () => {
    const step = { script: 'echo ${HOME}', at: { file: '${x}' }, inner: { script: '${Y}', msg: '${BUILD_NUMBER}' } };
    expect(interpolateDeep(step, lookup, 's', undefined, { skipKeys: ['script', 'at'] })).toEqual({ script: 'echo ${HOME}', at: { file: '${x}' }, inner: { script: '${Y}', msg: '42' } });
  });

  test('a plain string and a non-string', () => {
    expect(interpolateDeep('${IMAGE}', lookup, 'f')).toBe('r/app');
    expect(interpolateDeep(5, lookup, 'f')).toBe(5);
  });
});

describe('cacheKey and hashFiles', () => {
  let ws: string;
  const sha = (s: string) => createHash('sha256').update(s).digest();
  beforeAll(async () => {
    ws = await mkdtemp(join(tmpdir(), 'slipway-hash-'));
    await writeFile(join(ws, 'go.sum'), 'sum-1\n');
    await mkdir(join(ws, 'mod/b'), { recursive: true });
    await writeFile(join(ws, 'mod/go.sum'), 'sum-2\n');
    await writeFile(join(ws, 'mod/b/go.sum'), 'sum-3\n');
    await writeFile(join(ws, 'mod/b/other.txt'), 'x');
    await mkdir(join(ws, '.git'), { recursive: true });
    await writeFile(join(ws, '.git/go.sum'), 'ignored');
  });
  afterAll(async () => {
    await rm(ws, { recursive: true, force: true });
  });

  test('one file: the first 16 hex digits of sha256 over its sha256', async () => {
    const want = createHash('sha256').update(sha('sum-1\n')).digest('hex').slice(0, 16);
    expect(await hashFiles(ws, 'go.sum')).toBe(want);
    expect(await hashFiles(ws, './go.sum')).toBe(want);
    expect(want).toMatch(/^[0-9a-f]{16}$/);
  });

  test('many files in sorted path order, .git skipped', async () => {
    const h = createHash('sha256');
    for (const content of ['sum-1\n', 'sum-3\n', 'sum-2\n']) h.update(sha(content)); // go.sum, mod/b/go.sum, mod/go.sum
    expect(await hashFiles(ws, '**/go.sum')).toBe(h.digest('hex').slice(0, 16));
    const unsorted = createHash('sha256');
    for (const content of ['sum-1\n', 'sum-2\n', 'sum-3\n']) unsorted.update(sha(content));
    expect(await hashFiles(ws, '**/go.sum')).not.toBe(unsorted.digest('hex').slice(0, 16));
  });

  test('a glob under a directory only reads that directory', async () => {
    const h = createHash('sha256').update(sha('sum-3\n')).digest('hex').slice(0, 16);
    expect(await hashFiles(ws, 'mod/b/*.sum')).toBe(h);
  });

  test('no matching file hashes to the empty string', async () => {
    expect(await hashFiles(ws, 'nothing/*.lock')).toBe('');
    expect(await hashFiles(ws, '*.lock')).toBe('');
  });

  test('the hash changes when a file changes', async () => {
    const before = await hashFiles(ws, 'mod/**');
    await writeFile(join(ws, 'mod/b/other.txt'), 'y');
    expect(await hashFiles(ws, 'mod/**')).not.toBe(before);
  });

  test('cacheKey resolves variables, params and hashFiles', async () => {
    const h = await hashFiles(ws, 'go.sum');
    expect(await cacheKey('go-${params.TARGET}-${IMAGE}-${hashFiles:go.sum}', ws, lookup)).toBe(`go-production-r/app-${h}`);
    expect(await cacheKey('plain', ws, lookup)).toBe('plain');
    expect(await cacheKey('$${hashFiles:go.sum}', ws, lookup)).toBe('${hashFiles:go.sum}');
  });

  test('cacheKey errors name the field', async () => {
    await expect(cacheKey('k-${NOPE}', ws, lookup, 'spec.caches[0].key', at)).rejects.toThrow('spec.caches[0].key: unknown variable "NOPE" in ${NOPE}');
    await expect(cacheKey('k-${hashFiles:x', ws, lookup)).rejects.toThrow('cache key: unterminated "${"');
  });
});
