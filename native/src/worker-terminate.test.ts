import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath } from '../test/helpers.js';
import { packageRoot } from './binding.js';

// The rounds run in a child process (test/worker-terminate-child.mjs): an abort there is an
// exit code here, not a crashed test runner.
describe('worker threads', () => {
  it('survives 100 workers terminated during sequenceForwardAsync, and computes the same afterwards', () => {
    const out = spawnSync(process.execPath, [join(packageRoot, 'test', 'worker-terminate-child.mjs'), addonPath(), '100'], {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 110_000,
    });
    const log = `exit ${out.status} ${out.signal ?? ''}\n${out.stdout}${out.stderr}`;
    expect(out.status, log).toBe(0);
    const report = JSON.parse(out.stdout.trim().split('\n').at(-1)!) as {
      rounds: number;
      terminatedMidCall: number;
      sameHalfway: boolean;
      sameAfter: boolean;
    };
    expect(report.rounds).toBe(100);
    expect(report.terminatedMidCall, log).toBeGreaterThanOrEqual(10); // the rounds did hit running calls
    expect(report.sameHalfway, log).toBe(true);
    expect(report.sameAfter, log).toBe(true);
  });
});
