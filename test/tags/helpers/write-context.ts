// A WriteContext over a fresh library for tests that drive the transaction directly, with the
// file-system steps and the writer replaceable (fault injection).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openLibraryDb, type LibraryDb } from '../../../src-main/library/db/open.ts';
import type { WriteContext } from '../../../src-main/tags/apply.ts';
import { realIo } from '../../../src-main/tags/io.ts';
import { loadSettings } from '../../../src-main/tags/settings.ts';
import { createTagWriter } from '../../../src-main/tags/writer.ts';

export function openWriteContext(dir: string, overrides: Partial<WriteContext> = {}): WriteContext & { db: LibraryDb } {
  const db = openLibraryDb(join(dir, 'library.db'));
  return { db, settings: loadSettings(db).write, writer: createTagWriter(), io: realIo, ...overrides };
}

/** sha256 of a whole file: "nothing changed" means these bytes are the same. */
export function fileSha(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** An Error like the one Node raises for a failed system call. */
export function sysError(code: string, syscall: string, path: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: simulated failure, ${syscall} '${path}'`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = syscall;
  err.path = path;
  return err;
}
