/**
 * Temporary files of writeFileAtomic: `.<hash>.<pid>.<random>.tmp` beside the target, where
 * <hash> is 8 hex digits of the target's file name. The name is short (about 30 bytes, so a
 * target name of up to 255 bytes still fits) and says whose it is, so a save can remove the
 * ones a killed process left behind for the same target.
 */
import { createHash } from 'node:crypto';
import { readdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A temporary file untouched this long cannot belong to a live save (it writes, then renames at once). */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/** Temporary files this process is writing now (full paths), so its other saves leave them alone. */
const inFlight = new Set<string>();

export function tempName(target: string, pid: number, random: string): string {
  return `.${targetHash(target)}.${pid}.${random}.tmp`;
}

/** Marks `tmp` as being written by this process until the returned function is called. */
export function trackTemp(tmp: string): () => void {
  inFlight.add(tmp);
  return () => inFlight.delete(tmp);
}

/**
 * Removes temporary files of `target` that no save is writing: those whose process is gone,
 * those with this process's pid that it is not writing (left by an earlier process that had the
 * same pid), and those untouched for STALE_AFTER_MS (their pid was reused). A concurrent save by
 * a live process keeps its file. Best effort: a file that vanishes or cannot be removed is skipped.
 */
export async function removeStaleTemps(target: string, now = Date.now()): Promise<string[]> {
  const dir = dirname(target);
  const pattern = new RegExp(`^\\.${targetHash(target)}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = pattern.exec(name);
    if (match === null) continue;
    const path = join(dir, name);
    const pid = Number(match[1]);
    if (pid === process.pid && inFlight.has(path)) continue;
    let stale = pid === process.pid || !isAlive(pid);
    if (!stale) {
      const modified = await stat(path).then((s) => s.mtimeMs, () => undefined);
      stale = modified !== undefined && now - modified > STALE_AFTER_MS;
    }
    if (stale && (await unlink(path).then(() => true, () => false))) removed.push(path);
  }
  return removed;
}

function targetHash(target: string): string {
  return createHash('sha256').update(basename(target)).digest('hex').slice(0, 8);
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false; // kill(0) would signal our own process group
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by someone else
  }
}
