import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: '.test-results.json' }, include: ['src/**/*.test.ts', 'test/**/*.test.ts'], testTimeout: 120_000 },
});
