import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { packageRoot } from './binding.js';

/** What loadNativeBackend does in a fresh process with `env` added: 'loaded <isa>' or '<Error name>: <message>'. */
function loadWith(env: Record<string, string>): string {
  const script =
    `import('./dist/index.js').then((m) => { try { const r = m.loadNativeBackend(); console.log(r.backend ? 'loaded ' + r.isa : 'unavailable'); } ` +
    `catch (e) { console.log(e.name + ': ' + e.message); } })`;
  const out = spawnSync(process.execPath, ['-e', script], { cwd: packageRoot, env: { ...process.env, ...env }, encoding: 'utf8' });
  expect(out.status, out.stderr).toBe(0);
  return out.stdout.trim();
}

describe('the variables the addon reads are checked before it loads', () => {
  it('an unknown RECURRENT_ISA is an EnvError listing the levels (names are exact: AVX2 and avx512f are unknown)', () => {
    for (const bad of ['garbage', 'AVX2', 'avx512f']) {
      expect(loadWith({ RECURRENT_ISA: bad })).toBe(`EnvError: RECURRENT_ISA='${bad}' is not accepted; expected one of avx512, avx2, scalar`);
    }
  });

  it('a RECURRENT_SPLIT_PATIENCE_US that is not an integer from 0 to 1000000 is an EnvError', () => {
    for (const bad of ['-5abc', '-5', '50us', '1e3', '1000001']) {
      expect(loadWith({ RECURRENT_SPLIT_PATIENCE_US: bad })).toBe(
        `EnvError: RECURRENT_SPLIT_PATIENCE_US='${bad}' is not accepted; expected an integer from 0 to 1000000`,
      );
    }
  });

  it('accepted values load', () => {
    expect(loadWith({ RECURRENT_ISA: 'scalar', RECURRENT_SPLIT_PATIENCE_US: '0' })).toBe('loaded scalar');
    expect(loadWith({ RECURRENT_ISA: '', RECURRENT_SPLIT_PATIENCE_US: '' })).toMatch(/^loaded (avx512|avx2|scalar)$/);
  });

  it('the addon itself, loaded past the check, ignores an unknown RECURRENT_ISA (its best level)', () => {
    const script =
      `const p = process.env.RECURRENT_NATIVE_ADDON; ` +
      `const b = p ? require(require('path').resolve(p)) : require('node-gyp-build')(${JSON.stringify(packageRoot)}); process.stdout.write(b.isa() + ' ' + b.availableIsas()[0]);`;
    const out = spawnSync(process.execPath, ['-e', script], { cwd: packageRoot, env: { ...process.env, RECURRENT_ISA: 'AVX2' }, encoding: 'utf8' });
    const [isa, best] = out.stdout.split(' ');
    expect(isa).toBe(best);
  });
});
