import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results.json' },
    include: ['**/*.test.mjs'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
  },
});
