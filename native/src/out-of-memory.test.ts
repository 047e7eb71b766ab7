import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { addonPath } from '../test/helpers.js';
import { packageRoot } from './binding.js';

interface CallReport {
  call: string;
  error?: { name: string; message: string } | null;
  ok?: boolean;
}

// test/out-of-memory-child.mjs runs under `ulimit -v` in its own process: V8's fatal
// "ArrayBuffer::New Allocation failed" there is an exit code here, not a crashed test runner.
describe.skipIf(process.platform !== 'linux')('out of memory', () => {
  it('gives a RangeError naming the size when an output or workspace cannot be allocated, and works afterwards', () => {
    const child = join(packageRoot, 'test', 'out-of-memory-child.mjs');
    const out = spawnSync('bash', ['-c', 'ulimit -v 3000000; exec "$0" "$1" "$2"', process.execPath, child, addonPath()], {
      cwd: packageRoot,
      encoding: 'utf8',
      timeout: 60_000,
    });
    const log = `exit ${out.status} ${out.signal ?? ''}\n${out.stdout}${out.stderr}`;
    expect(out.status, log).toBe(0);
    const calls = new Map(
      out.stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as CallReport)
        .map((r) => [r.call, r] as const),
    );
    const errorOf = (call: string) => calls.get(call)?.error;
    // 2^20 ids × 1024: 2^30 floats.
    expect(errorOf('embeddingForward'), log).toEqual({
      name: 'RangeError',
      message:
        'recurrent native: embeddingForward: out (a Float32Array of 1073741824 elements): could not allocate 4294967296 bytes (Array buffer allocation failed)',
    });
    // Whichever output the limit stops (the 7 GiB cache, or already the 1 GiB y), it is named.
    expect(errorOf('sequenceForward keepCache')?.name, log).toBe('RangeError');
    expect(errorOf('sequenceForward keepCache')?.message, log).toMatch(
      /^recurrent native: sequenceForward: (y|cache\.data) \(a Float32Array of \d+ elements\): could not allocate \d+ bytes/,
    );
    for (const call of ['sequenceForward', 'sequenceForwardAsync']) {
      expect(errorOf(call)?.name, log).toBe('RangeError');
      expect(errorOf(call)?.message, log).toMatch(/^recurrent native: .+: could not allocate \d+ bytes/);
    }
    expect(calls.get('afterwards')?.ok, log).toBe(true);
  });
});
