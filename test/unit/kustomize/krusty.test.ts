import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, expect, test } from 'vitest';
import { memoryFileSystem } from '../../../src/core/index.js';
import { kustomize, toKustomizeYaml, type KustomizeOptions } from '../../../src/engines/kustomize/index.js';

// kustomize's own end-to-end tests (sigs.k8s.io/kustomize/api v0.21.1, api/krusty/*_test.go):
// every test that only writes a few files, builds and compares with an expected stream or an
// error, with the files and the expected text exactly as upstream wrote them. krusty runs
// without the final legacy sort unless a test asks for it, so these build with reorder 'none'.

interface KrustyCase {
  name: string;
  source: string;
  files: Record<string, string>;
  build: string;
  expected?: string;
  errorContains?: string[];
  options?: { Reorder?: string; LoadRestrictions?: string; AddManagedbyLabel?: string };
}

const { cases } = JSON.parse(readFileSync(new URL('./testdata/krusty-cases.json', import.meta.url), 'utf8')) as { cases: KrustyCase[] };

function build(c: KrustyCase): string {
  // krusty's in-memory file system reads relative paths from "/".
  const files: Record<string, string> = {};
  for (const [p, text] of Object.entries(c.files)) files[posix.resolve('/', p)] = text;
  const options: KustomizeOptions = {
    reorder: c.options?.Reorder === 'krusty.ReorderOptionLegacy' ? 'legacy' : 'none',
    loadRestrictor: c.options?.LoadRestrictions === 'types.LoadRestrictionsNone' ? 'LoadRestrictionsNone' : 'LoadRestrictionsRootOnly',
  };
  return toKustomizeYaml(kustomize(posix.resolve('/', c.build), memoryFileSystem(files), options).resources);
}

describe('upstream krusty tests', () => {
  test('the extracted set is not empty', () => {
    expect(cases.length).toBeGreaterThan(150);
  });

  test.each(cases.filter((c) => c.expected !== undefined && !c.options?.AddManagedbyLabel))('$name ($source) builds as upstream expects', (c) => {
    expect(build(c)).toBe(c.expected);
  });

  test.each(cases.filter((c) => c.errorContains !== undefined))('$name ($source) fails as upstream expects', (c) => {
    let message = '';
    try {
      build(c);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).not.toBe('');
    for (const part of c.errorContains!) expect(message).toContain(part);
  });
});
