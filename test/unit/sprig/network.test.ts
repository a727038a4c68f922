import { describe, expect, test } from 'vitest';
import { networkFuncs, offlineResolver } from '../../../src/engines/gotemplate/sprig/network.js';

// sprig's TestGetHostByName resolves www.google.com over the network and checks it got an IP.
// The engine is pure: the lookup is injected, and without one every name resolves to ''.

function getHostByName(resolve?: (name: string) => string): (name: string) => unknown {
  const f = networkFuncs(resolve).find((g) => g.name === 'getHostByName')!;
  expect(f.params).toEqual(['string']);
  return f.fn as (name: string) => unknown;
}

describe('getHostByName', () => {
  test.each([['www.google.com'], ['localhost'], ['']])('resolves %j to "" without a resolver', (name) => {
    expect(getHostByName()(name)).toBe('');
    expect(offlineResolver(name)).toBe('');
  });

  test.each([
    ['www.google.com', '142.250.74.36'],
    ['db.internal', '10.0.0.7'],
    ['unknown.example', ''],
  ])('resolves %j to %j through an injected resolver', (name, want) => {
    const table: Record<string, string> = { 'www.google.com': '142.250.74.36', 'db.internal': '10.0.0.7' };
    const seen: string[] = [];
    const resolve = (n: string) => {
      seen.push(n);
      return table[n] ?? '';
    };
    expect(getHostByName(resolve)(name)).toBe(want);
    expect(seen).toEqual([name]);
  });
});
