import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const cli = join(dirname(fileURLToPath(import.meta.url)), '../dist/cli.js');
const run = promisify(execFile);

describe('the CLI main job (what `npm start` runs)', () => {
  it('trains briefly on Moby Dick, scores held-out text and samples', async () => {
    const { stdout } = await run(process.execPath, [cli, 'train-charlm', '--seconds', '3', '--hidden', '16', '--embedding', '8', '--steps', '16', '--batch', '4', '--eval-chars', '2000', '--samples', '1', '--sample-length', '40'], { env: { ...process.env, RECURRENT_BACKEND: 'ts' } });
    expect(stdout).toContain('backend: TypeScript');
    expect(stdout).toMatch(/Moby Dick: 1,2\d\d,\d{3} characters/);
    const heldOut = /held-out loss: ([\d.]+) nats\/char/.exec(stdout);
    expect(heldOut).not.toBeNull();
    // Better than a uniform guess over the vocabulary after a few seconds of training.
    const uniform = Number(/would be ([\d.]+) nats\/char/.exec(stdout)![1]);
    expect(Number(heldOut![1])).toBeLessThan(uniform);
    expect(stdout).toContain('--- sample 1');
  });
  it('rejects an unknown flag with the list of flags', async () => {
    await expect(run(process.execPath, [cli, 'train-charlm', '--secs', '3'])).rejects.toMatchObject({ stderr: expect.stringContaining('unknown flag --secs; expected one of --seconds') });
  });
});
