// Apply: one transaction per file (DESIGN.md "Writes are transactions"; issue 6 §3):
//   refuse if the file changed since it was read (size, mtime, audio fingerprint)
//   → journal the planned change ahead of time ('pending', naming the temporary copy)
//   → copy the file to a temporary file in the same folder (permissions and owner kept)
//   → write the tags into the copy → restore ID3v1 as found → keep mtime if asked → fsync
//   → verify the copy with an independent parser (every planned value, nothing else changed,
//     audio payload byte-identical) → check the original is still as read
//   → atomic rename over the original → fsync the folder → journal 'written' with the new state.
// Any failure removes the temporary copy, leaves the original untouched, and becomes that file's
// result (with the step it happened at); the batch goes on with the other files. A process killed
// at any moment leaves either the old or the new file; journal.ts reconciles on the next start.
import type { Stats } from 'node:fs';
import { access, constants, lstat, realpath, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { WriteSettings } from '../api/schemas/settings.ts';
import type { ApplyResult, FieldChange, FileResult, WriteProgress } from '../api/schemas/write.ts';
import { BettiError } from '../api/errors.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { hashAudioPayload } from '../library/audio-payload.ts';
import {
  createBatch,
  finishBatch,
  insertEntry,
  markEntryFailed,
  markEntryWritten,
  runningBatches,
  type BatchKind,
  type BatchSource,
} from '../library/db/queries/journal.ts';
import { asTagError, FileChangedError, WriteIoError, type FileErrorWire } from './errors.ts';
import { describeChange, readFileState, sameState, sameStat, type FileState } from './file-state.ts';
import { readId3v1, restoreId3v1 } from './id3v1.ts';
import type { WriteIo } from './io.ts';
import { libraryState, refreshLibraryTrack } from './library-link.ts';
import { absolutePath, planFile, type PlanItem } from './plan.ts';
import { readSnapshot } from './snapshot.ts';
import { isProcessAlive, sweepTempFiles, tempPathFor } from './temp-files.ts';
import { verifyCopy } from './verify.ts';
import type { TagWriter } from './writer.ts';

/** The steps of one file's transaction, as `where` in errors and as test hooks. */
export type Step = 'stat' | 'read' | 'permissions' | 'journal' | 'copy' | 'write' | 'fsync' | 'verify' | 'rename';

export interface WriteContext {
  readonly db: LibraryDb;
  readonly settings: WriteSettings;
  readonly writer: TagWriter;
  readonly io: WriteIo;
  readonly onProgress?: ((p: WriteProgress) => void) | undefined;
  /** Called as each step of each file begins (tests use it to change files mid-write). */
  readonly onStep?: ((step: Step, path: string) => void | Promise<void>) | undefined;
}

export interface BatchSpec {
  readonly kind: BatchKind;
  readonly source: BatchSource;
  readonly undoesBatch: number | null;
}

let writing = false;

/** Refuses to start while another batch is being written (here or in another live Betti process). */
function assertNotBusy(db: LibraryDb): void {
  const other = runningBatches(db).find((b) => b.pid !== process.pid && isProcessAlive(b.pid));
  if (writing || other) {
    throw new BettiError('busy', `Another write is in progress${other ? ` (batch ${other.id}, process ${other.pid})` : ''}.`, {
      hint: 'Wait for it to finish (or stop it), then apply again.',
    });
  }
}

export async function applyPlan(wctx: WriteContext, items: readonly PlanItem[], spec: BatchSpec): Promise<ApplyResult> {
  const t0 = performance.now();
  const { db } = wctx;
  assertNotBusy(db);
  writing = true;
  let batchId: number | null = null;
  const counts = { written: 0, unchanged: 0, failed: 0 };
  const results: FileResult[] = [];
  try {
    const ensureBatch = (): number => {
      batchId ??= createBatch(db, { ...spec, pid: process.pid, filesTotal: items.length, settings: { write: wctx.settings } });
      return batchId;
    };
    // An undo or redo is recorded even when every file already holds the old values, so it
    // leaves the undo stack.
    if (spec.kind !== 'apply') ensureBatch();
    // "Changed since read" needs a reading from before this batch writes anything: the library's
    // row, the preview's `expect`, or (for a file Betti has never read) a reading taken now.
    const expected: (FileState | Error)[] = [];
    for (const item of items) {
      const path = absolutePath(item.path);
      try {
        expected.push(item.expect ?? libraryState(db, path) ?? (await readFileState(path)));
      } catch (err) {
        expected.push(err instanceof Error ? err : new Error(String(err)));
      }
    }
    const swept = new Set<string>();
    for (let i = 0; i < items.length; i++) {
      const item = { ...items[i]!, path: absolutePath(items[i]!.path) };
      const dir = dirname(item.path);
      if (!swept.has(dir)) {
        swept.add(dir);
        await sweepTempFiles(dir);
      }
      const result = await writeFile(wctx, item, expected[i]!, ensureBatch);
      results.push(result);
      if (result.status === 'ok') counts.written++;
      else if (result.status === 'unchanged') counts.unchanged++;
      else counts.failed++;
      wctx.onProgress?.({ batchId, done: i + 1, total: items.length, path: item.path, status: result.status });
    }
    if (batchId !== null) finishBatch(db, batchId, counts, 'done');
  } finally {
    writing = false;
  }
  return {
    batchId,
    dryRun: false,
    results,
    summary: { ok: counts.written, unchanged: counts.unchanged, failed: counts.failed, durationMs: Math.round(performance.now() - t0) },
  };
}

/**
 * Runs one journal transaction with synchronous=FULL: the pending entry must be on the disk
 * before the rename it describes, or a power cut could leave a new file the journal does not
 * know. Other journal updates may be lost to a power cut without harm (recovery reconciles a
 * pending entry from the file itself), so they keep the library's NORMAL setting.
 */
function durably<T>(db: LibraryDb, fn: () => T): T {
  const previous = Number(db.get<{ synchronous: number }>('PRAGMA synchronous')?.synchronous ?? 1);
  db.exec('PRAGMA synchronous = FULL');
  try {
    return db.transaction(fn);
  } finally {
    db.exec(`PRAGMA synchronous = ${previous}`);
  }
}

/** Refuses files Betti must not replace: read-only ones, read-only folders, hard-linked files. */
async function checkReplaceable(path: string, st: Stats, format: string): Promise<void> {
  const dir = dirname(path);
  const refuse = (message: string, hint: string) => new WriteIoError(`${path}: ${message}`, { path, format, where: 'permissions', hint });
  // Mode bits first: they say what the person wants even when Betti runs as root.
  if ((st.mode & 0o222) === 0) {
    throw refuse('the file is read-only; Betti leaves it as it is.', 'Make it writable (e.g. `chmod u+w`) if you want Betti to tag it.');
  }
  try {
    await access(path, constants.W_OK);
  } catch {
    throw refuse('you do not have permission to change the file.', 'Give your user write permission on it.');
  }
  const dst = await stat(dir);
  let dirWritable = (dst.mode & 0o222) !== 0;
  try {
    await access(dir, constants.W_OK);
  } catch {
    dirWritable = false;
  }
  if (!dirWritable) {
    throw refuse(
      'its folder is read-only, and Betti writes a temporary copy beside the file and renames it over the original.',
      'Make the folder writable if you want Betti to tag files in it.',
    );
  }
  if (st.nlink > 1) {
    throw refuse(
      `the file has ${st.nlink} hard links; replacing it would leave the other names with the old tags.`,
      'Tag it through another tool, or remove the extra links first.',
    );
  }
}

async function writeFile(wctx: WriteContext, item: PlanItem, expectedOrError: FileState | Error, ensureBatch: () => number): Promise<FileResult> {
  const { db, settings, io } = wctx;
  const path = item.path;
  let step: Step = 'stat';
  let format: string | undefined;
  let fields: FieldChange[] = [];
  let tempPath: string | undefined;
  let entryId: number | undefined;
  const enter = async (s: Step) => {
    step = s;
    await wctx.onStep?.(s, path);
  };
  try {
    await enter('stat');
    if (expectedOrError instanceof Error) throw expectedOrError;
    const expected = expectedOrError;
    const link = await lstat(path);
    // Write through symbolic links to the file they name; the link itself stays.
    const target = link.isSymbolicLink() ? await realpath(path) : path;
    const st = await stat(target);
    if (!st.isFile()) throw new WriteIoError(`${path}: not a regular file.`, { path, where: 'stat', hint: 'Name audio files in the plan.' });
    const current = await readFileState(target);
    if (!sameState(expected, current)) {
      const undoing = item.expectValues !== undefined;
      throw new FileChangedError(`${path} changed since Betti ${undoing ? 'wrote' : 'read'} it (${describeChange(expected, current)}).`, {
        path,
        where: 'stat',
        hint: undoing
          ? 'Undo leaves files changed by other programs as they are; edit this one by hand if you want the old values back.'
          : `Run \`betti scan ${dirname(path)}\` and preview again; nothing was written.`,
      });
    }

    await enter('read');
    const snap = await readSnapshot(target, settings.id3v23Separator);
    format = snap.format;
    const plan = planFile(item, snap, settings);
    fields = plan.changes;
    if (item.expectValues) {
      // Undo: the file must still hold what Betti wrote; if it already holds the old values, there is nothing to do.
      const drifted = Object.entries(item.expectValues).filter(([f, v]) => JSON.stringify(snap.values(f)) !== JSON.stringify(v));
      const alreadyRestored = plan.writes.length === 0;
      if (drifted.length && !alreadyRestored) {
        throw new FileChangedError(`${path}: ${drifted.map(([f]) => f).join(', ')} changed since Betti wrote it.`, {
          path,
          format,
          where: drifted[0]![0],
          hint: 'Undo leaves this file as it is; edit it by hand if you want the old values back.',
        });
      }
    }
    if (plan.writes.length === 0) return { path, format, status: 'unchanged', fields };

    await enter('permissions');
    await checkReplaceable(target, st, format);

    await enter('journal');
    tempPath = tempPathFor(target);
    const pending = {
      path,
      format,
      status: 'pending' as const,
      tempPath,
      changes: plan.changes.filter((c) => c.change !== 'keep').map(({ field, before, after }) => ({ field, before, after })),
      before: current,
      id3Before: snap.id3Version ?? null,
      id3After: snap.system === 'id3v2' ? plan.id3Version : null,
    };
    entryId = durably(db, () => insertEntry(db, { ...pending, batchId: ensureBatch() }));

    await enter('copy');
    const originalAudioHash = await hashAudioPayload(target, 'full');
    const originalId3v1 = await readId3v1(target);
    await io.copyFile(target, tempPath);
    await io.chmod(tempPath, st.mode & 0o7777);
    const made = await stat(tempPath);
    if (made.uid !== st.uid || made.gid !== st.gid) await io.chown(tempPath, st.uid, st.gid);

    await enter('write');
    try {
      await wctx.writer.write({ path: tempPath, format: snap.format, writes: plan.writes, id3Version: plan.id3Version, separator: settings.id3v23Separator });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code) throw err;
      throw asTagError(err, path, 'write', format);
    }
    await restoreId3v1(tempPath, originalId3v1);
    if (settings.keepMtime) await io.utimes(tempPath, st.atime, st.mtime);

    await enter('fsync');
    await io.fsyncFile(tempPath);

    await enter('verify');
    await verifyCopy({ copyPath: tempPath, path, original: snap, originalAudioHash, originalId3v1, writes: plan.writes, id3Version: plan.id3Version, separator: settings.id3v23Separator });
    const now = await stat(target);
    if (!sameStat(now, current)) {
      throw new FileChangedError(`${path} changed while Betti was writing it (${describeChange(current, { ...current, size: now.size, mtimeMs: now.mtimeMs })}).`, {
        path,
        format,
        where: 'rename',
        hint: 'Another program is editing it; close it and apply again. Nothing was written.',
      });
    }
    const written = await stat(tempPath);

    await enter('rename');
    await io.rename(tempPath, target);
    tempPath = undefined; // it is the file now
    try {
      await io.fsyncDir(dirname(target));
    } catch {
      // The rename happened and is visible; only its durability across a power cut is unconfirmed.
    }
    // The audio is byte-identical (verified), so the sampled fingerprint is unchanged.
    markEntryWritten(db, entryId, { size: written.size, mtimeMs: written.mtimeMs, fingerprint: current.fingerprint });
    try {
      await refreshLibraryTrack(db, path);
    } catch {
      // The file is written; the library catches up at the next scan.
    }
    return { path, format, status: 'ok', fields };
  } catch (err) {
    let error = asTagError(err, path, step, format).toWire() as FileErrorWire;
    if (tempPath) {
      try {
        await io.remove(tempPath);
      } catch (cleanup) {
        error = { ...error, message: `${error.message} The temporary copy ${tempPath} could not be removed (${(cleanup as Error).message}); Betti removes it at its next start.` };
      }
    }
    try {
      if (entryId !== undefined) markEntryFailed(db, entryId, error);
      else insertEntry(db, { batchId: ensureBatch(), path, format: format ?? null, status: 'failed', tempPath: null, changes: [], before: null, id3Before: null, id3After: null, error });
    } catch {
      // The journal is unwritable (disk full?): the result below still reports this file.
    }
    return { path, ...(format ? { format } : {}), status: 'failed', fields, error };
  }
}
