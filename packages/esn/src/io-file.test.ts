import { chmod, lstat, mkdtemp, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EchoStateNetwork } from './esn.js';
import { loadEsn, saveEsn } from './io.js';

// saveEsn goes through core's writeFileAtomic (as saveModel does): these pin that it does.
describe('saveEsn file mechanics', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'esn-io-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const esn = new EchoStateNetwork({ units: 10, inputs: 1, seed: 3 });

  it('keeps the mode of the file it replaces and writes through a symlink', async () => {
    const real = join(dir, 'real.safetensors');
    const link = join(dir, 'link.safetensors');
    await writeFile(real, 'old');
    await chmod(real, 0o600);
    await symlink(real, link);
    await saveEsn(esn, link);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect((await stat(real)).mode & 0o777).toBe(0o600);
    expect((await loadEsn(link)).reservoir.W.values).toEqual(esn.reservoir.W.values);
  });

  it('saves to a 250-byte file name', async () => {
    const path = join(dir, `${'e'.repeat(238)}.safetensors`);
    await saveEsn(esn, path);
    expect((await loadEsn(path)).reservoir.Win).toEqual(esn.reservoir.Win);
  });
});
