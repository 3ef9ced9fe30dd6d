import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0040 (suggestions)', () => {
  it('creates the suggestions table tied to tracks, with its checks and indexes', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 30 });
    migrate(db, 40);
    assert.equal(db.userVersion, 40);
    const objects = db.all<{ type: string; name: string }>("SELECT type, name FROM sqlite_schema WHERE tbl_name = 'suggestions' ORDER BY type, name").map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(objects, ['index sqlite_autoindex_suggestions_1', 'index suggestions_by_decision', 'index suggestions_by_track', 'table suggestions']);
    const track = db.run("INSERT INTO tracks (path, size, mtime_ms, container, added_at, scanned_at) VALUES ('/m/a.mp3', 1, 1, 'mp3', 1, 1)").lastInsertRowid;
    const add = (tag: string, confidence: number, source = 'model', decision = 'pending') =>
      db.run('INSERT INTO suggestions (track_id, tag, category, confidence, source, decision, created_at) VALUES (?, ?, ?, ?, ?, ?, 1)', track, tag, 'instrument', confidence, source, decision);
    add('piano', 0.9);
    assert.throws(() => add('piano', 0.5), /UNIQUE/, 'one row per track, tag and source');
    add('piano', 0.5, 'personal');
    assert.throws(() => add('organ', 1.5), /CHECK/);
    assert.throws(() => add('organ', 0.5, 'guess'), /CHECK/);
    assert.throws(() => add('organ', 0.5, 'model', 'maybe'), /CHECK/);
    assert.throws(() => db.run("INSERT INTO suggestions (track_id, tag, category, confidence, source, created_at) VALUES (999, 'x', 'c', 0.5, 'model', 1)"), /FOREIGN KEY/);
    db.run('DELETE FROM tracks WHERE id = ?', track);
    assert.equal(db.get<{ n: number }>('SELECT count(*) AS n FROM suggestions')!.n, 0, 'suggestions go with their track');
  });
});
