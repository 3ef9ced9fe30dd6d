// Migration 0050: the write journal (DESIGN.md "Writes are transactions"). A batch is one apply
// or one undo; each file it touched has one entry holding every changed field's values before
// and after, and the file's state after the write, so undo can restore exactly what it changed
// and refuse files changed since. Entries are written ahead of the rename ('pending') so a
// write killed at any moment is reconciled on the next start.
import type { Migration } from './index.ts';

export const migration0050: Migration = {
  version: 50,
  name: 'write-journal',
  up(db) {
    db.exec(`
      CREATE TABLE write_batches (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('apply', 'undo', 'redo')),
        source TEXT NOT NULL CHECK (source IN ('plan', 'accepted', 'undo')),
        undoes_batch INTEGER REFERENCES write_batches (id),
        status TEXT NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'done', 'interrupted')),
        pid INTEGER NOT NULL,
        files_total INTEGER NOT NULL DEFAULT 0,
        files_written INTEGER NOT NULL DEFAULT 0,
        files_unchanged INTEGER NOT NULL DEFAULT 0,
        files_failed INTEGER NOT NULL DEFAULT 0,
        settings_json TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX write_batches_undoes ON write_batches (undoes_batch) WHERE undoes_batch IS NOT NULL;
      CREATE INDEX write_batches_running ON write_batches (id) WHERE status = 'running';

      CREATE TABLE write_entries (
        id INTEGER PRIMARY KEY,
        batch_id INTEGER NOT NULL REFERENCES write_batches (id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        format TEXT,
        status TEXT NOT NULL CHECK (status IN ('pending', 'written', 'failed')),
        temp_path TEXT,
        changes_json TEXT NOT NULL DEFAULT '[]',
        id3_before TEXT,
        id3_after TEXT,
        before_size INTEGER,
        before_mtime_ms REAL,
        before_fingerprint TEXT,
        after_size INTEGER,
        after_mtime_ms REAL,
        after_fingerprint TEXT,
        error_json TEXT,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX write_entries_by_batch ON write_entries (batch_id, id);
      CREATE INDEX write_entries_pending ON write_entries (batch_id) WHERE status = 'pending';
      CREATE INDEX write_entries_by_path ON write_entries (path, id);
    `);
  },
};
