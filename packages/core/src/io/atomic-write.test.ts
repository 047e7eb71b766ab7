import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdtemp, open, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write.js';
import { readSafetensorsFile, serializeSafetensors } from './safetensors.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recurrent-atomic-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
/** The temporary-file name format of temp-files.ts, spelled out so the test pins it. */
const tempOf = (target: string, pid: number, random = 'abcd1234'): string =>
  `.${createHash('sha256').update(target).digest('hex').slice(0, 8)}.${pid}.${random}.tmp`;
const deadPid = (): number => spawnSync(process.execPath, ['-e', '']).pid!;

describe('writeFileAtomic', () => {
  it('keeps the permission bits of the file it replaces', async () => {
    const path = join(dir, 'private.bin');
    await writeFile(path, 'old');
    await chmod(path, 0o600);
    await writeFileAtomic(path, bytes('new'));
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(await readFile(path, 'utf8')).toBe('new');
  });

  it('writes through a symlink to its target and keeps the link', async () => {
    const real = join(dir, 'real.bin');
    const link = join(dir, 'link.bin');
    await writeFile(real, 'old');
    await symlink(real, link);
    await writeFileAtomic(link, bytes('new'));
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe(real);
    expect(await readFile(real, 'utf8')).toBe('new');
  });

  it('refuses a dangling symlink, naming where it points', async () => {
    const link = join(dir, 'dangling.bin');
    await symlink(join(dir, 'nowhere', 'x.bin'), link);
    await expect(writeFileAtomic(link, bytes('x'))).rejects.toThrow(
      `cannot save to '${link}': it is a symlink to '${join(dir, 'nowhere', 'x.bin')}', which does not exist`,
    );
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('saves to a name of 250 bytes (the temporary name is short, not the target name plus a suffix)', async () => {
    const path = join(dir, `${'n'.repeat(238)}.safetensors`);
    await writeFileAtomic(path, bytes('long'));
    expect(await readFile(path, 'utf8')).toBe('long');
  });

  it('removes temporary files a killed save left for the same target, and nothing else', async () => {
    const target = 'model.safetensors';
    const path = join(dir, target);
    const old = Date.now() / 1000 - 2 * 3600;
    const names = {
      deadProcess: tempOf(target, deadPid(), '00000001'),
      ownPidNotWriting: tempOf(target, process.pid, '00000002'),
      liveProcess: tempOf(target, process.ppid, '00000003'), // a concurrent save of a live process
      liveButUntouchedForHours: tempOf(target, process.ppid, '00000004'), // its pid was reused
      otherTarget: tempOf('other.safetensors', deadPid(), '00000005'),
      unrelated: `.${target}.tmp`,
    };
    for (const name of Object.values(names)) await writeFile(join(dir, name), 'partial');
    await utimes(join(dir, names.liveButUntouchedForHours), old, old);
    await writeFileAtomic(path, bytes('saved'));
    const left = await readdir(dir);
    expect(left).not.toContain(names.deadProcess);
    expect(left).not.toContain(names.ownPidNotWriting);
    expect(left).not.toContain(names.liveButUntouchedForHours);
    expect(left).toContain(names.liveProcess);
    expect(left).toContain(names.otherTarget);
    expect(left).toContain(names.unrelated);
    expect(await readFile(path, 'utf8')).toBe('saved');
  });

  it('lets concurrent saves of one target in one process both finish, leaving one of them whole', async () => {
    const path = join(dir, 'concurrent.bin');
    const a = new Uint8Array(8 << 20).fill(1);
    const b = new Uint8Array(8 << 20).fill(2);
    await Promise.all([writeFileAtomic(path, a), writeFileAtomic(path, b), writeFileAtomic(path, a)]);
    const got = new Uint8Array(await readFile(path));
    expect(got.length).toBe(8 << 20);
    expect(got.every((v) => v === got[0])).toBe(true);
    const ours = tempOf('concurrent.bin', process.pid, '').slice(0, -'.tmp'.length);
    expect((await readdir(dir)).filter((n) => n.startsWith(ours))).toEqual([]);
  });
});

describe('readSafetensorsFile over 2 GiB', () => {
  it('reads each tensor at its offset instead of the whole file (a sparse file of 2 GiB + 88 bytes)', async () => {
    const path = join(dir, 'big.safetensors');
    const small = serializeSafetensors({ a: { shape: [4], data: new Float32Array([1, 2, 3, 4]) } });
    const n = 2 ** 29; // 2 GiB of F32 zeros after 'a'
    const header = JSON.stringify({ a: { dtype: 'F32', shape: [4], data_offsets: [0, 16] }, z: { dtype: 'F32', shape: [n], data_offsets: [16, 16 + 4 * n] } });
    const json = bytes(header.padEnd(Math.ceil(header.length / 8) * 8, ' '));
    const head = new Uint8Array(8 + json.length + 16);
    new DataView(head.buffer).setBigUint64(0, BigInt(json.length), true);
    head.set(json, 8);
    head.set(small.subarray(small.length - 16), 8 + json.length); // a's data
    const handle = await open(path, 'w');
    await handle.write(head, 0, head.length, 0);
    await handle.truncate(head.length + 4 * n); // a hole: no disk used
    await handle.close();
    expect((await stat(path)).size).toBeGreaterThan(2 ** 31);

    const { tensors } = await readSafetensorsFile(path);
    expect(Array.from(tensors.get('a')!.data as Float32Array)).toEqual([1, 2, 3, 4]);
    const z = tensors.get('z')!.data as Float32Array;
    expect(z.length).toBe(n);
    expect([z[0], z[n >> 1], z[n - 1]]).toEqual([0, 0, 0]);
  }, 120_000);
});
