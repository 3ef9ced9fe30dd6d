import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0010 (tracks)', () => {
  it('creates the tracks table, its indexes and its search index from an empty database', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 0 });
    assert.equal(db.userVersion, 0);
    assert.deepEqual(db.all("SELECT name FROM sqlite_schema WHERE name LIKE 'track%'"), []);
    migrate(db, 10);
    assert.equal(db.userVersion, 10);
    const objects = db
      .all<{ type: string; name: string }>("SELECT type, name FROM sqlite_schema WHERE (name LIKE 'track%') AND name NOT LIKE 'track_search_%' ORDER BY type, name")
      .map((r) => `${r.type} ${r.name}`);
    assert.deepEqual(objects, [
      'index tracks_by_added',
      'index tracks_by_album',
      'index tracks_by_artist',
      'index tracks_by_duration',
      'index tracks_by_format',
      'index tracks_by_genre',
      'index tracks_by_title',
      'index tracks_by_year',
      'index tracks_fingerprint',
      'index tracks_missing',
      'index tracks_with_errors',
      'table track_search',
      'table tracks',
      'table tracks_deferred_schema',
      'trigger tracks_search_delete',
      'trigger tracks_search_insert',
      'trigger tracks_search_update',
    ]);
    const columns = db.all<{ name: string; type: string; notnull: number }>("SELECT name, type, \"notnull\" FROM pragma_table_info('tracks')");
    assert.deepEqual(
      columns.filter((c) => c.notnull === 1).map((c) => c.name),
      ['path', 'size', 'mtime_ms', 'container', 'tag_types', 'has_picture', 'artists', 'genres', 'raw_json', 'warnings_json', 'missing', 'added_at', 'scanned_at'],
    );
    assert.equal(columns.length, 39);
  });

  it('keeps the search index in step with inserts, updates and deletes', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 10 });
    const insert = (path: string, title: string) =>
      db.run("INSERT INTO tracks (path, size, mtime_ms, container, title, added_at, scanned_at) VALUES (?, 1, 1, 'mp3', ?, 1, 1)", path, title).lastInsertRowid;
    const find = (word: string) => db.all<{ rowid: number }>('SELECT rowid FROM track_search WHERE track_search MATCH ?', `"${word}"*`).map((r) => r.rowid);
    const a = insert('/m/one.mp3', 'Blue in Green');
    const b = insert('/m/two.mp3', 'So What');
    assert.deepEqual(find('blue'), [a]);
    db.run("UPDATE tracks SET title = 'Freddie Freeloader' WHERE id = ?", a);
    assert.deepEqual(find('blue'), []);
    assert.deepEqual(find('freddie'), [a]);
    db.run("UPDATE tracks SET path = '/m/renamed.mp3' WHERE id = ?", b);
    assert.deepEqual(find('renamed'), [b]);
    assert.deepEqual(find('two'), []);
    db.run('DELETE FROM tracks WHERE id = ?', a);
    assert.deepEqual(find('freddie'), []);
  });

  it('refuses two rows with one path', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 10 });
    db.run("INSERT INTO tracks (path, size, mtime_ms, container, added_at, scanned_at) VALUES ('/x.mp3', 1, 1, 'mp3', 1, 1)");
    assert.throws(() => db.run("INSERT INTO tracks (path, size, mtime_ms, container, added_at, scanned_at) VALUES ('/x.mp3', 2, 2, 'mp3', 2, 2)"), /UNIQUE constraint failed: tracks.path/);
  });
});
