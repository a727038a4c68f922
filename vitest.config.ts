import { defineConfig } from 'vitest/config';

// Projects: `unit` (pure logic, no cluster), `parity` (our output against the real helm and
// kubectl of the scripts/cluster toolchain), `integration` (a real kube-apiserver from
// scripts/cluster, see test/integration/global-setup.ts) and `faults` (with the e2e tests
// that do the same), which stop and start that apiserver and so run alone, after the
// others (groupOrder 1).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          globalSetup: ['test/integration/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'parity',
          include: ['test/parity/**/*.test.ts'],
          testTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'faults',
          include: ['test/faults/**/*.test.ts', 'test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          globalSetup: ['test/integration/global-setup.ts'],
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
