import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { useFastestBackend } from './backend-choice.js';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const saved = process.env.RECURRENT_BACKEND;

describe('useFastestBackend and the environment', () => {
  afterEach(() => {
    if (saved === undefined) delete process.env.RECURRENT_BACKEND;
    else process.env.RECURRENT_BACKEND = saved;
  });

  it('rejects an unknown RECURRENT_BACKEND, listing the accepted ones, instead of picking one', async () => {
    process.env.RECURRENT_BACKEND = 'garbage';
    await expect(useFastestBackend()).rejects.toThrow("RECURRENT_BACKEND='garbage' is not accepted; expected one of ts, ts64, native");
  });

  it('RECURRENT_BACKEND=ts forces TypeScript', async () => {
    process.env.RECURRENT_BACKEND = 'ts';
    expect((await useFastestBackend()).message).toBe('backend: TypeScript (RECURRENT_BACKEND=ts)');
  });

  it('rejects a bad RECURRENT_ISA rather than falling back to TypeScript', () => {
    const script = `import('./dist/index.js').then((m) => m.useFastestBackend()).then((s) => console.log(s.message), (e) => console.log(e.name + ': ' + e.message))`;
    const env: NodeJS.ProcessEnv = { ...process.env, RECURRENT_ISA: 'garbage' };
    delete env.RECURRENT_BACKEND;
    const out = spawnSync(process.execPath, ['-e', script], { cwd: packageDir, env, encoding: 'utf8' });
    expect(out.stdout.trim()).toBe("EnvError: RECURRENT_ISA='garbage' is not accepted; expected one of avx512, avx2, scalar");
  });
});
