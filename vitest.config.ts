import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['decoders/**/*.test.ts', 'workers/**/*.test.ts', 'cli/**/*.test.ts', 'scripts/**/*.test.ts', 'web/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
