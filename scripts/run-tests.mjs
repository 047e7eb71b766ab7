#!/usr/bin/env node
// `npm test`: runs every workspace's tests through turbo, then prints one summary line
// ("N passed, N failed") from the JSON reports the vitest configs write.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const workspaces = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces;
const reports = workspaces.map((w) => join(root, w, '.test-results.json'));
for (const r of reports) rmSync(r, { force: true });

const turbo = spawnSync('npx', ['turbo', 'run', 'test', '--concurrency=1', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });

let passed = 0;
let failed = 0;
let skipped = 0;
for (const r of reports) {
  if (!existsSync(r)) continue;
  const j = JSON.parse(readFileSync(r, 'utf8'));
  passed += j.numPassedTests;
  failed += j.numFailedTests + (j.numFailedTestSuites ?? 0);
  skipped += j.numPendingTests + (j.numTodoTests ?? 0);
}
console.log(`\ntests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1);
