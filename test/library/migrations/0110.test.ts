import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0110 (suggestions by tag)', () => {
  it('indexes suggestions by tag without regard to case, keeping every row', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 100 });
    const track = db.run("INSERT INTO tracks (path, size, mtime_ms, container, added_at, scanned_at) VALUES ('/m/a.mp3', 1, 1, 'mp3', 1, 1)").lastInsertRowid;
    db.run("INSERT INTO suggestions (track_id, tag, category, confidence, source, created_at) VALUES (?, 'Piano', 'instrument', 0.9, 'model', 1)", track);
    migrate(db, 110);
    assert.equal(db.userVersion, 110);
    assert.deepEqual(db.all('SELECT tag, decision FROM suggestions').map((r) => ({ ...r })), [{ tag: 'Piano', decision: 'pending' }]);
    const plan = db
      .all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT track_id FROM suggestions WHERE tag = 'piano' COLLATE NOCASE AND decision IN ('pending', 'accepted')")
      .map((r) => r.detail)
      .join(' ');
    assert.match(plan, /COVERING INDEX suggestions_by_tag/);
    assert.deepEqual(db.all("SELECT track_id AS t FROM suggestions WHERE tag = 'PIANO' COLLATE NOCASE").map((r) => ({ ...r })), [{ t: Number(track) }]);
  });
});
