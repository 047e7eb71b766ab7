import { randomBytes } from 'node:crypto';
import { chmod, lstat, open, readlink, realpath, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { removeStaleTemps, tempName, trackTemp } from './temp-files.js';

/**
 * Writes `bytes` to `path` so that a crash leaves either the old file or the new one, never
 * half of one: write a temporary file in the same directory (same file system, so the rename
 * is atomic), fsync it, rename it over the target, then fsync the directory so the rename
 * itself is durable. The temporary file is removed on any failure; ones left by a killed
 * process are removed by the next save of the same target (see temp-files.ts).
 *
 * - A symlink is written through: the file it points to is replaced, the link stays.
 * - An existing file keeps its permission bits (a 600 file stays 600); a new one gets the
 *   usual 666 minus the umask.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const target = await resolveTarget(path);
  const dir = dirname(target);
  const mode = await existingMode(target);
  await removeStaleTemps(target);
  const tmp = join(dir, tempName(target, process.pid, randomBytes(4).toString('hex')));
  const untrack = trackTemp(tmp);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', mode ?? 0o666); // 'x': never reuse a file someone else created
    if (mode !== undefined) await chmod(tmp, mode); // open's mode is masked by the umask
    await handle.writeFile(bytes);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(tmp, target);
  } catch (err) {
    if (handle !== undefined) await handle.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined); // may not exist if open itself failed
    throw err;
  } finally {
    untrack();
  }
  await syncDirectory(dir);
}

/** The file to replace: `path` itself, or what it links to (through any chain of symlinks). */
async function resolveTarget(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Missing: a new file, unless path is a symlink whose target is missing.
  const info = await lstat(path).catch(() => undefined);
  if (info?.isSymbolicLink()) {
    const to = resolve(dirname(path), await readlink(path));
    throw Object.assign(new Error(`cannot save to '${path}': it is a symlink to '${to}', which does not exist; create the target or remove the link`), {
      code: 'ENOENT',
    });
  }
  return resolve(path);
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o7777;
  } catch {
    return undefined;
  }
}

async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the file itself is synced.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
