// Migration 0150: reader 3 (track.ts READER_VERSION) reads a Vorbis comment's YEAR where a file has
// no DATE. Only rows without a year whose raw tags hold such a field can read differently, so
// reader 2's other rows are marked as reader 3's here and the first scan after the upgrade reads
// again just those. Rows of older readers are left as they are (read again, as before).
import type { Migration } from './index.ts';

export const migration0150: Migration = {
  version: 150,
  name: 'reader-version-3',
  up(db) {
    // instr, not LIKE: LIKE ignores case, and APEv2's own "Year" (which music-metadata maps) is no reason to read a file again.
    db.exec(`UPDATE tracks SET reader_version = 3 WHERE reader_version = 2 AND NOT (year IS NULL AND instr(raw_json, '"id":"YEAR"') > 0)`);
  },
};
