import { describe, expect, test } from 'vitest';
import { foldOrbit } from '../../../src/engines/goruntime/index.js';
import { compileRegexp, mustCompileRegexp, RegexpSyntaxError } from '../../../src/engines/goruntime/index.js';

// The Go regexp port below the sprig functions: limits that need patterns too big for a
// table, the compile cache, and the case-folding orbits (?i) relies on. Expected errors
// were checked against Go 1.26's regexp.Compile.

describe('regexp limits', () => {
  test('1000 nested groups compile, 1001 nest too deeply', () => {
    expect(compileRegexp('('.repeat(999) + 'a' + ')'.repeat(999)).matchString('a')).toBe(true);
    const deep = '('.repeat(1000) + 'a' + ')'.repeat(1000);
    expect(() => compileRegexp(deep)).toThrow(`error parsing regexp: expression nests too deeply: \`${deep}\``);
  });

  test('a program over 128 MB is too large; repetition products over 1000 are invalid counts', () => {
    const large = '(' + 'abcdefghij'.repeat(400) + '){1000}';
    expect(() => compileRegexp(large)).toThrow(`error parsing regexp: expression too large: \`${large}\``);
    expect(compileRegexp('(' + 'abcdefghij'.repeat(300) + '){1000}').matchString('a')).toBe(false);
    expect(() => compileRegexp('((a{10}){10}){11}')).toThrow('error parsing regexp: invalid repeat count: `{11}`');
    expect(compileRegexp('((a{10}){10}){10}').matchString('a'.repeat(1000))).toBe(true);
  });

  test('errors are RegexpSyntaxError with the code and the offending text', () => {
    let err: unknown;
    try {
      compileRegexp('x(?<=a)');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RegexpSyntaxError);
    expect(err).toMatchObject({ code: 'invalid named capture', expr: '(?<=a)' });
  });

  test('MustCompile panics with the pattern quoted as Go quotes it', () => {
    expect(() => mustCompileRegexp('a(')).toThrow('regexp: Compile(`a(`): error parsing regexp: missing closing ): `a(`');
    expect(() => mustCompileRegexp('`(')).toThrow('regexp: Compile("`("): error parsing regexp: missing closing ): ``(`');
  });

  test('compiled patterns are cached', () => {
    expect(compileRegexp('^cache-me$')).toBe(compileRegexp('^cache-me$'));
  });
});

describe('case folding orbits (unicode.SimpleFold)', () => {
  test.each([
    ['k', ['K', 'k', '\u212a']],
    ['s', ['S', 's', '\u017f']],
    ['σ', ['Σ', 'ς', 'σ']],
    ['ǅ', ['Ǆ', 'ǅ', 'ǆ']],
    ['ß', ['ß', 'ẞ']],
    ['ι', ['\u0345', 'Ι', 'ι', '\u1fbe']],
    ['i', ['I', 'i']],
    ['ı', ['ı']],
    ['İ', ['İ']],
    ['1', ['1']],
  ])('%s', (ch, orbit) => {
    expect(foldOrbit(ch.codePointAt(0)!).map((r) => String.fromCodePoint(r))).toEqual(orbit);
  });
});

describe('matching details', () => {
  test('positions are in runes, not UTF-16 units', () => {
    expect(compileRegexp('').findAllString('😀é', -1)).toEqual(['', '', '']);
    expect(compileRegexp('.').split('a😀b', -1)).toEqual(['', '', '', '']);
  });

  test('$name expands the first group of that name that took part in the match', () => {
    expect(compileRegexp('(?P<x>a)|(?P<x>b)').replaceAllString('ab', '[$x]')).toBe('[a][b]');
  });
});
