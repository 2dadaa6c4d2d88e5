import { defineConfig } from 'vitest/config';

export default defineConfig({
  // The example imports Fanout by its package name ('fanout/runtime'…): tsconfig.json maps it to the sources.
  resolve: { tsconfigPaths: true },
  test: {
    include: ['test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    globalSetup: ['test/support/dynamodb-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Two files at once on 2 cores: most tests wait on emulators and queues, not on the CPU.
    maxWorkers: 2,
  },
});
