// The file-system steps of a write transaction, behind one interface so tests can make any step
// fail the way real disks do (ENOSPC while copying, EBUSY on rename, EIO on fsync) without
// needing root or a full disk. Production uses `realIo`.
import { constants } from 'node:fs';
import { chmod, chown, copyFile, open, rename, rm, utimes } from 'node:fs/promises';

export interface WriteIo {
  /** Copies src to a new file dst (fails if dst exists). */
  copyFile(src: string, dst: string): Promise<void>;
  chmod(path: string, mode: number): Promise<void>;
  chown(path: string, uid: number, gid: number): Promise<void>;
  utimes(path: string, atime: Date, mtime: Date): Promise<void>;
  /** Flushes a file's data and metadata to the disk. */
  fsyncFile(path: string): Promise<void>;
  /** Flushes a folder's entries (so a rename in it survives a power cut). */
  fsyncDir(dir: string): Promise<void>;
  rename(src: string, dst: string): Promise<void>;
  remove(path: string): Promise<void>;
}

async function fsyncPath(path: string, flags: number): Promise<void> {
  const fh = await open(path, flags);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

export const realIo: WriteIo = {
  copyFile: (src, dst) => copyFile(src, dst, constants.COPYFILE_EXCL),
  chmod: (path, mode) => chmod(path, mode),
  chown: (path, uid, gid) => chown(path, uid, gid),
  utimes: (path, atime, mtime) => utimes(path, atime, mtime),
  fsyncFile: (path) => fsyncPath(path, constants.O_RDWR),
  fsyncDir: async (dir) => {
    try {
      await fsyncPath(dir, constants.O_RDONLY);
    } catch (err) {
      // Windows cannot open a folder for fsync; its rename is already durable (MoveFileEx).
      if (process.platform !== 'win32') throw err;
    }
  },
  rename: (src, dst) => rename(src, dst),
  remove: (path) => rm(path, { force: true }),
};
