import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './binding.js';

describe('memory', () => {
  it('stays flat over 1,000 training steps after warm-up (scripts/leak-check.mjs)', () => {
    const out = spawnSync(process.execPath, ['--expose-gc', join(packageRoot, 'scripts', 'leak-check.mjs'), '1000', '8'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    expect(out.stdout + out.stderr).toMatch(/growth/);
    expect(out.status, out.stdout + out.stderr).toBe(0);
  });
});
