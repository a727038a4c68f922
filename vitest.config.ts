import { defineConfig } from 'vitest/config';

// Two projects: `unit` (pure logic, no cluster) and `integration` (a real kube-apiserver
// started by scripts/cluster; KUBECONFIG or .slipway/cluster/kubeconfig).
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
    ],
  },
});
