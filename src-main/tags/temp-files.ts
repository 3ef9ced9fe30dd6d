// Temporary copies: where a write happens before it replaces the original. They sit in the same
// folder as the original (so the final rename is atomic: same file system) and are named
// recognisably, `.<name>.betti-tmp-<pid>-<random>`: hidden from file browsers and players, and
// the pid tells a later Betti whether the process that made one is still alive, so leftovers of
// a crash are swept on the next start (journal recovery) or the next write in that folder.
import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

const MARK = '.betti-tmp-';
const NAME_MAX_BYTES = 255; // ext4, APFS, NTFS
const TEMP_NAME = /^\.(.*)\.betti-tmp-(\d+)-([0-9a-f]{8})$/su;

export function tempPathFor(path: string, pid = process.pid): string {
  const suffix = `${MARK}${pid}-${randomBytes(4).toString('hex')}`;
  let name = basename(path);
  // Keep the whole name within NAME_MAX: shorten the original's part, never the marker.
  while (Buffer.byteLength(`.${name}${suffix}`) > NAME_MAX_BYTES) name = [...name].slice(0, -1).join('');
  return join(dirname(path), `.${name}${suffix}`);
}

/** The pid of the process that made a temporary copy, or undefined if the name is not one. */
export function tempOwner(name: string): number | undefined {
  const m = TEMP_NAME.exec(name);
  return m ? Number(m[2]) : undefined;
}

export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // alive, owned by someone else
  }
}

/**
 * Removes the temporary copies in `dir` left by processes that are no longer running.
 * Returns the paths removed. Unreadable folders are skipped (the write there reports its error).
 */
export async function sweepTempFiles(dir: string, alive: (pid: number) => boolean = isProcessAlive): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = tempOwner(name);
    if (pid === undefined || alive(pid)) continue;
    const p = join(dir, name);
    try {
      await rm(p, { force: true });
      removed.push(p);
    } catch {
      // read-only folder: the next write there reports it
    }
  }
  return removed;
}
