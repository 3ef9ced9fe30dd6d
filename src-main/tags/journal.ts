// The write journal's logic: recovery after a crash and the history views. The SQL is in
// library/db/queries/journal.ts.
//
// Recovery runs before anything reads or writes the journal in a process ("the next start"):
// every batch still marked running whose process is gone is closed as interrupted; each of its
// pending entries (a file whose write had begun) loses its temporary copy, and is marked written
// or failed according to what the file now holds: the new values (the rename happened) or the
// old ones (it did not). A write is atomic, so there is no third state; if one is ever seen it is
// reported, not guessed.
import { access } from 'node:fs/promises';
import { Settings } from '../api/schemas/settings.ts';
import type { BatchSummary, JournalEntry } from '../api/schemas/write.ts';
import type { LibraryDb } from '../library/db/open.ts';
import {
  countEntries,
  finishBatch,
  markEntryFailed,
  markEntryWritten,
  pendingEntries,
  runningBatches,
  type BatchRow,
  type EntryRow,
} from '../library/db/queries/journal.ts';
import type { FileErrorWire } from './errors.ts';
import { readFileState } from './file-state.ts';
import type { WriteIo } from './io.ts';
import { readSnapshot } from './snapshot.ts';
import { isProcessAlive, sweepTempFiles } from './temp-files.ts';
import { dirname } from 'node:path';

export interface RecoveryReport {
  batches: number[];
  written: number;
  notWritten: number;
  tempFilesRemoved: string[];
}

function valuesEqual(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

async function reconcile(db: LibraryDb, entry: EntryRow, separator: string, io: WriteIo, report: RecoveryReport): Promise<void> {
  if (entry.tempPath && (await exists(entry.tempPath))) {
    await io.remove(entry.tempPath);
    report.tempFilesRemoved.push(entry.tempPath);
  }
  const interrupted = (message: string, kind: FileErrorWire['kind'] = 'cancelled'): FileErrorWire => ({
    kind,
    message: `${entry.path}: ${message}`,
    path: entry.path,
    where: 'recovery',
    hint: 'Apply the plan again to write this file.',
  });
  let snapValues: (field: string) => string[];
  try {
    const snap = await readSnapshot(entry.path, separator);
    snapValues = (f) => snap.values(f);
  } catch (err) {
    markEntryFailed(db, entry.id, interrupted(`the write was interrupted and the file cannot be read now (${(err as Error).message}).`, 'io'));
    report.notWritten++;
    return;
  }
  const isNew = entry.changes.every((c) => valuesEqual(snapValues(c.field), c.after));
  const isOld = entry.changes.every((c) => valuesEqual(snapValues(c.field), c.before));
  if (isNew && !isOld) {
    markEntryWritten(db, entry.id, await readFileState(entry.path));
    report.written++;
  } else if (isOld) {
    markEntryFailed(db, entry.id, interrupted('the write was interrupted before the file was replaced; the file is unchanged.'));
    report.notWritten++;
  } else {
    markEntryFailed(db, entry.id, interrupted('the write was interrupted, and the file now holds neither the old nor the new values (was it edited meanwhile?).', 'file-changed'));
    report.notWritten++;
  }
}

/** Closes batches left running by processes that died, reconciling their files. */
export async function recoverInterruptedWrites(db: LibraryDb, io: WriteIo): Promise<RecoveryReport> {
  const report: RecoveryReport = { batches: [], written: 0, notWritten: 0, tempFilesRemoved: [] };
  for (const batch of runningBatches(db)) {
    if (isProcessAlive(batch.pid)) continue; // still being written (by us, or by another Betti)
    const parsed = Settings.safeParse(batch.settings);
    const separator = parsed.success ? parsed.data.write.id3v23Separator : '; ';
    const folders = new Set<string>();
    for (const entry of pendingEntries(db, batch.id)) {
      folders.add(dirname(entry.path));
      await reconcile(db, entry, separator, io, report);
    }
    for (const dir of folders) report.tempFilesRemoved.push(...(await sweepTempFiles(dir)));
    const n = countEntries(db, batch.id);
    finishBatch(db, batch.id, { written: n.written, unchanged: batch.filesUnchanged, failed: n.failed }, 'interrupted');
    report.batches.push(batch.id);
  }
  return report;
}

export function batchSummary(b: BatchRow): BatchSummary {
  return {
    id: b.id,
    kind: b.kind,
    source: b.source,
    undoes: b.undoesBatch,
    undoneBy: b.undoneBy,
    status: b.status,
    startedAt: new Date(b.startedAt).toISOString(),
    finishedAt: b.finishedAt === null ? null : new Date(b.finishedAt).toISOString(),
    files: b.filesTotal,
    written: b.filesWritten,
    unchanged: b.filesUnchanged,
    failed: b.filesFailed,
  };
}

export function journalEntry(e: EntryRow): JournalEntry {
  return { path: e.path, format: e.format, status: e.status, changes: e.changes, error: (e.error as JournalEntry['error']) ?? null };
}
