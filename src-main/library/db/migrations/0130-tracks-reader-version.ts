// Migration 0130: which reader wrote each track's row (track.ts READER_VERSION), so a scan reads
// again the rows an older Betti wrote, their files unchanged or not, and the library shows what
// this version reads. Rows from before this migration were written by reader 0. The scan's
// covering index (migration 0120) takes the column too, so a rescan still reads that index alone.
import type { Migration } from './index.ts';

export const migration0130: Migration = {
  version: 130,
  name: 'tracks-reader-version',
  up(db) {
    db.exec('ALTER TABLE tracks ADD COLUMN reader_version INTEGER NOT NULL DEFAULT 0');
    db.exec('DROP INDEX tracks_by_scan_state');
    db.exec('CREATE INDEX tracks_by_scan_state ON tracks (path, size, mtime_ms, missing, reader_version)');
  },
};
