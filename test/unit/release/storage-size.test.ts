import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { ReleaseTooLargeError, SECRET_DATA_LIMIT, checkReleaseSize, encodeRelease, formatBytes, type Release } from '../../../src/release/index.js';

function release(files: { name: string; data: string }[], manifest = ''): Release {
  return {
    name: 'big',
    namespace: 'default',
    version: 3,
    info: { deleted: '', status: 'pending-upgrade' },
    chart: { metadata: { name: 'big', version: '1.0.0' }, lock: null, templates: [{ name: 'templates/cm.yaml', data: 'YQ==' }], values: { a: 1 }, schema: null, files },
    config: {},
    manifest,
    hooks: [],
  };
}

describe('the size check before writing a release Secret', () => {
  test('a release that fits passes', () => {
    const r = release([{ name: 'files/a.txt', data: Buffer.from('hello').toString('base64') }]);
    expect(() => checkReleaseSize(r, encodeRelease(r))).not.toThrow();
  });

  test('one over the limit fails naming the limit, its size and the biggest parts', () => {
    const blob = randomBytes(900 * 1024).toString('base64');
    const r = release([{ name: 'files/blob.bin', data: blob }, { name: 'files/small.txt', data: 'eA==' }], 'kind: ConfigMap\n'.repeat(10));
    const encoded = encodeRelease(r);
    let err: ReleaseTooLargeError | undefined;
    try {
      checkReleaseSize(r, encoded);
    } catch (e) {
      err = e as ReleaseTooLargeError;
    }
    expect(err).toBeInstanceOf(ReleaseTooLargeError);
    expect(err!.limit).toBe(SECRET_DATA_LIMIT);
    expect(err!.size).toBe(encoded.length + 'release'.length);
    expect(err!.message).toMatch(/^release "big" revision 3 is too large to store: its Secret would hold 1\.\d\d MiB \(\d+ bytes\), over the 1\.00 MiB \(1048576 bytes\) limit of a Kubernetes Secret\. /);
    expect(err!.message).toMatch(/Biggest parts, compressed: chart files 1\.\d\d MiB \(largest: files\/blob\.bin 900\.0 KiB, files\/small\.txt 1 B\); /);
    expect(err!.message).toContain('manifest');
  });

  test.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [3 * 1024 * 1024, '3.00 MiB'],
  ])('%i bytes read %s', (n, text) => {
    expect(formatBytes(n)).toBe(text);
  });
});
