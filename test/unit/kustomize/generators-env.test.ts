/**
 * Env files as kustomize api/kv/kv.go reads them (bufio.Scanner lines, utf8 check, BOM,
 * unicode.IsSpace trimming), through generateConfigMap.
 */
import { describe, expect, test } from 'vitest';
import { generateConfigMap } from '../../../src/engines/kustomize/generators/index.js';

function envData(content: string | Uint8Array): unknown {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return generateConfigMap({ name: 'cm', envs: ['app.env'] }, { read: () => bytes }).object.data;
}

describe('env files (kv_test.go TestKeyValuesFromLines and more)', () => {
  test.each([
    ['valid content', '\n\t\tk1=v1\n\t\tk2=v2\n\t\t', { k1: 'v1', k2: 'v2' }],
    ['comments', '\n\t\tk1=v1\n\t\t#k2=v2\n\t\t', { k1: 'v1' }],
    ['no value with equals', 'k1=\n', { k1: '' }],
    ['no value without equals', 'k1\n', { k1: '' }],
    ['values keep quotes and trailing space', 'A="q" \nB=\'s\'\n', { A: '"q" ', B: "'s'" }],
    ['keys keep inner and trailing space', ' B = x \n', { 'B ': ' x ' }],
    ['export is part of the key', 'export A=1\n', { 'export A': '1' }],
    ['values with =', 'URL=a=b=c\n', { URL: 'a=b=c' }],
    ['an empty key skips the line', '=x\nA=1\n', { A: '1' }],
    ['CRLF: one CR per line dropped', 'A=1\r\nB=2\r\r\n', { A: '1', B: '2\r' }],
    ['a lone CR stays', 'A=1\rB=2\n', { A: '1\rB=2' }],
    ['no final newline', 'A=1\nB=2', { A: '1', B: '2' }],
    ['a BOM on the first line goes', '\ufeffA=1\n', { A: '1' }],
    ['a BOM before spaces goes too', '\ufeff  A=1\n', { A: '1' }],
    ['a BOM on a later line stays in the key', 'A=1\n\ufeffB=2\n', { A: '1', '\ufeffB': '2' }],
    ['NEL, NBSP and ideographic space are white space', '\u0085A=1\n\u00a0B=2\n\u3000C=3\n', { A: '1', B: '2', C: '3' }],
    ['vertical tab and form feed are white space', '\v\fA=1\n', { A: '1' }],
    ['unicode keys and values', 'GRÜSSE=héllo ✓\n日本=語\n', { GRÜSSE: 'héllo ✓', 日本: '語' }],
    ['empty file', '', undefined],
    ['only comments', '# a\n  # b\n', undefined],
  ])('%s', (_, content, want) => {
    expect(envData(content)).toEqual(want);
  });

  test('a line of 65535 bytes is read', () => {
    expect(envData(`A=${'x'.repeat(65533)}\nB=2\n`)).toEqual({ A: 'x'.repeat(65533), B: '2' });
  });

  test('a line of 65536 bytes stops bufio.Scanner, and kv.go ignores that error: it and the rest are dropped', () => {
    expect(envData(`A=1\nB=${'x'.repeat(65534)}\nC=3\n`)).toEqual({ A: '1' });
    expect(envData(`A=1\nB=${'x'.repeat(65534)}`)).toEqual({ A: '1' });
  });

  test('invalid UTF-8 names the raw bytes of the line', () => {
    expect(() => envData(new Uint8Array([0x41, 0x3d, 0x31, 0x0a, 0x62, 0x3d, 0x80, 0x81]))).toThrow(
      'loading KV pairs: env source files: [app.env]: line [98 61 128 129] has invalid utf8 bytes : b=\ufffd\ufffd',
    );
  });

  test('a UTF-8-encoded surrogate is invalid UTF-8', () => {
    expect(() => envData(new Uint8Array([0x41, 0x3d, 0xed, 0xa0, 0x80]))).toThrow(/has invalid utf8 bytes/);
  });
});
