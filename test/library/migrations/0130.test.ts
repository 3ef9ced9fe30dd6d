import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';
import { KNOWN_FILES_SQL, knownFilesUnder } from '../../../src-main/library/db/queries/tracks.ts';

describe('migration 0130 (tracks reader version)', () => {
  it('marks every existing row as an older reader’s, and keeps the scan’s known files in the covering index', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 120 });
    db.run("INSERT INTO tracks (path, size, mtime_ms, container, lossless, added_at, scanned_at) VALUES ('/m/a.ogg', 10, 20, 'ogg', NULL, 1, 1)");
    migrate(db, 130);
    assert.equal(db.userVersion, 130);
    assert.deepEqual(
      [...knownFilesUnder(db, ['/m']).values()].map((k) => ({ ...k })),
      [{ id: 1, path: '/m/a.ogg', size: 10, mtimeMs: 20, missing: false, readerVersion: 0 }],
    );
    const plan = db
      .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${KNOWN_FILES_SQL}`, '/m/', '/m0')
      .map((r) => r.detail)
      .join(' ');
    assert.match(plan, /COVERING INDEX tracks_by_scan_state/);
  });
});
