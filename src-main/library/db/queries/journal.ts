// SQL for the write journal (migration 0050): batches and their per-file entries. The logic that
// decides what to record lives in tags/journal.ts; this module only stores and fetches it.
import type { LibraryDb } from '../open.ts';

export type BatchKind = 'apply' | 'undo' | 'redo';
export type BatchSource = 'plan' | 'accepted' | 'undo';
export type BatchStatus = 'running' | 'done' | 'interrupted';
export type EntryStatus = 'pending' | 'written' | 'failed';

/** A file's identity at one moment: what "changed since" compares. */
export interface FileState {
  size: number;
  mtimeMs: number;
  fingerprint: string;
}

/** One field as the journal keeps it: the exact values before and after the write. */
export interface JournalChange {
  field: string;
  before: string[];
  after: string[];
}

export interface BatchRow {
  id: number;
  kind: BatchKind;
  source: BatchSource;
  undoesBatch: number | null;
  status: BatchStatus;
  pid: number;
  filesTotal: number;
  filesWritten: number;
  filesUnchanged: number;
  filesFailed: number;
  settings: unknown;
  startedAt: number;
  finishedAt: number | null;
  /** Batches that undo this one (newest last). */
  undoneBy: number[];
}

export interface EntryRow {
  id: number;
  batchId: number;
  path: string;
  format: string | null;
  status: EntryStatus;
  tempPath: string | null;
  changes: JournalChange[];
  /** The file's ID3v2 version before and after the write (null: none / not an ID3 format). */
  id3Before: string | null;
  id3After: string | null;
  before: FileState | null;
  after: FileState | null;
  error: unknown;
  updatedAt: number;
}

interface RawBatch {
  id: number;
  kind: BatchKind;
  source: BatchSource;
  undoes_batch: number | null;
  status: BatchStatus;
  pid: number;
  files_total: number;
  files_written: number;
  files_unchanged: number;
  files_failed: number;
  settings_json: string;
  started_at: number;
  finished_at: number | null;
  undone_by: string | null;
}

interface RawEntry {
  id: number;
  batch_id: number;
  path: string;
  format: string | null;
  status: EntryStatus;
  temp_path: string | null;
  changes_json: string;
  id3_before: string | null;
  id3_after: string | null;
  before_size: number | null;
  before_mtime_ms: number | null;
  before_fingerprint: string | null;
  after_size: number | null;
  after_mtime_ms: number | null;
  after_fingerprint: string | null;
  error_json: string | null;
  updated_at: number;
}

const BATCH_SELECT = `SELECT b.*, (SELECT json_group_array(u.id) FROM (SELECT id FROM write_batches WHERE undoes_batch = b.id ORDER BY id) u) AS undone_by FROM write_batches b`;

function toBatch(r: RawBatch): BatchRow {
  return {
    id: r.id,
    kind: r.kind,
    source: r.source,
    undoesBatch: r.undoes_batch,
    status: r.status,
    pid: r.pid,
    filesTotal: r.files_total,
    filesWritten: r.files_written,
    filesUnchanged: r.files_unchanged,
    filesFailed: r.files_failed,
    settings: JSON.parse(r.settings_json) as unknown,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    undoneBy: r.undone_by ? (JSON.parse(r.undone_by) as number[]) : [],
  };
}

function state(size: number | null, mtimeMs: number | null, fingerprint: string | null): FileState | null {
  return size === null || mtimeMs === null || fingerprint === null ? null : { size, mtimeMs, fingerprint };
}

function toEntry(r: RawEntry): EntryRow {
  return {
    id: r.id,
    batchId: r.batch_id,
    path: r.path,
    format: r.format,
    status: r.status,
    tempPath: r.temp_path,
    changes: JSON.parse(r.changes_json) as JournalChange[],
    id3Before: r.id3_before,
    id3After: r.id3_after,
    before: state(r.before_size, r.before_mtime_ms, r.before_fingerprint),
    after: state(r.after_size, r.after_mtime_ms, r.after_fingerprint),
    error: r.error_json ? (JSON.parse(r.error_json) as unknown) : null,
    updatedAt: r.updated_at,
  };
}

export function createBatch(
  db: LibraryDb,
  b: { kind: BatchKind; source: BatchSource; undoesBatch: number | null; pid: number; filesTotal: number; settings: unknown },
  now = Date.now(),
): number {
  return db.run(
    'INSERT INTO write_batches (kind, source, undoes_batch, pid, files_total, settings_json, started_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    b.kind,
    b.source,
    b.undoesBatch,
    b.pid,
    b.filesTotal,
    JSON.stringify(b.settings),
    now,
  ).lastInsertRowid;
}

export function finishBatch(
  db: LibraryDb,
  id: number,
  counts: { written: number; unchanged: number; failed: number },
  status: BatchStatus,
  now = Date.now(),
): void {
  db.run(
    'UPDATE write_batches SET status = ?, files_written = ?, files_unchanged = ?, files_failed = ?, finished_at = ? WHERE id = ?',
    status,
    counts.written,
    counts.unchanged,
    counts.failed,
    now,
    id,
  );
}

export function getBatch(db: LibraryDb, id: number): BatchRow | undefined {
  const r = db.get<RawBatch>(`${BATCH_SELECT} WHERE b.id = ?`, id);
  return r && toBatch(r);
}

export function listBatches(db: LibraryDb, opts: { limit: number; offset: number }): BatchRow[] {
  return db.all<RawBatch>(`${BATCH_SELECT} ORDER BY b.id DESC LIMIT ? OFFSET ?`, opts.limit, opts.offset).map(toBatch);
}

export function countBatches(db: LibraryDb): number {
  return Number(db.get<{ n: number }>('SELECT count(*) AS n FROM write_batches')?.n ?? 0);
}

/** The newest batches that wrote something and have not been undone (the undo stack), newest first. */
export function undoStack(db: LibraryDb, limit: number): BatchRow[] {
  return db
    .all<RawBatch>(
      `${BATCH_SELECT} WHERE b.kind IN ('apply', 'redo') AND b.files_written > 0
       AND NOT EXISTS (SELECT 1 FROM write_batches u WHERE u.undoes_batch = b.id) ORDER BY b.id DESC LIMIT ?`,
      limit,
    )
    .map(toBatch);
}

export function runningBatches(db: LibraryDb): BatchRow[] {
  return db.all<RawBatch>(`${BATCH_SELECT} WHERE b.status = 'running' ORDER BY b.id`).map(toBatch);
}

export function insertEntry(
  db: LibraryDb,
  // A new entry is an EntryRow before the database gives it an id and before the file is written.
  e: Omit<EntryRow, 'id' | 'after' | 'error' | 'updatedAt'> & { error?: unknown },
  now = Date.now(),
): number {
  return db.run(
    `INSERT INTO write_entries (batch_id, path, format, status, temp_path, changes_json, id3_before, id3_after, before_size, before_mtime_ms, before_fingerprint, error_json, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    e.batchId,
    e.path,
    e.format,
    e.status,
    e.tempPath,
    JSON.stringify(e.changes),
    e.id3Before,
    e.id3After,
    e.before?.size ?? null,
    e.before?.mtimeMs ?? null,
    e.before?.fingerprint ?? null,
    e.error === undefined ? null : JSON.stringify(e.error),
    now,
  ).lastInsertRowid;
}

export function markEntryWritten(db: LibraryDb, id: number, after: FileState, now = Date.now()): void {
  db.run(
    `UPDATE write_entries SET status = 'written', temp_path = NULL, after_size = ?, after_mtime_ms = ?, after_fingerprint = ?, error_json = NULL, updated_at = ? WHERE id = ?`,
    after.size,
    after.mtimeMs,
    after.fingerprint,
    now,
    id,
  );
}

export function markEntryFailed(db: LibraryDb, id: number, error: unknown, now = Date.now()): void {
  db.run(`UPDATE write_entries SET status = 'failed', temp_path = NULL, error_json = ?, updated_at = ? WHERE id = ?`, JSON.stringify(error), now, id);
}

export function listEntries(db: LibraryDb, batchId: number): EntryRow[] {
  return db.all<RawEntry>('SELECT * FROM write_entries WHERE batch_id = ? ORDER BY id', batchId).map(toEntry);
}

export function pendingEntries(db: LibraryDb, batchId: number): EntryRow[] {
  return db.all<RawEntry>(`SELECT * FROM write_entries WHERE batch_id = ? AND status = 'pending' ORDER BY id`, batchId).map(toEntry);
}

/** How many entries of a batch are in each state (for finishing an interrupted batch). */
export function countEntries(db: LibraryDb, batchId: number): { written: number; failed: number; pending: number } {
  const rows = db.all<{ status: EntryStatus; n: number }>('SELECT status, count(*) AS n FROM write_entries WHERE batch_id = ? GROUP BY status', batchId);
  const out = { written: 0, failed: 0, pending: 0 };
  for (const r of rows) out[r.status] = Number(r.n);
  return out;
}

/** The state Betti last left a file in (its newest written entry in any batch). */
export function latestWrittenState(db: LibraryDb, path: string): FileState | undefined {
  const r = db.get<{ after_size: number | null; after_mtime_ms: number | null; after_fingerprint: string | null }>(
    `SELECT after_size, after_mtime_ms, after_fingerprint FROM write_entries WHERE path = ? AND status = 'written' ORDER BY id DESC LIMIT 1`,
    path,
  );
  return (r && state(r.after_size, r.after_mtime_ms, r.after_fingerprint)) ?? undefined;
}
