// Bulk loading of the tracks table. Keeping eight sort indexes and the search index up to date
// row by row costs about two thirds of a row's insert; building them once over the finished table
// (one sort per index, one bulk insert into the search index) costs a fraction of that. So a scan
// that adds many rows defers them: it drops the sort indexes and the search insert trigger, loads,
// and restores them at the end. Meanwhile queries stay correct (only sorts are slower, and new
// rows are not yet searchable).
//
// The statements that restore them are taken from the schema itself and stored in
// tracks_deferred_schema in the same transaction as the drop, so whatever kills the scan, the
// next open of the library (db/open.ts) finds them and restores the indexes.
import type { LibraryDb } from '../open.ts';

const SEARCH_COLUMNS = 'title, artist, album, album_artist, genre, path';

/** Drops the sort indexes and the search insert trigger of `tracks`, keeping what rebuilds them. */
export function deferTrackIndexes(db: LibraryDb): void {
  db.transaction(() => {
    if (trackIndexesDeferred(db)) return;
    const deferred = db.all<{ type: string; name: string; sql: string }>(
      `SELECT type, name, sql FROM sqlite_schema
       WHERE tbl_name = 'tracks' AND ((type = 'index' AND name LIKE 'tracks\\_by\\_%' ESCAPE '\\') OR (type = 'trigger' AND name = 'tracks_search_insert'))
       ORDER BY type, name`,
    );
    const lastId = db.get<{ id: number | null }>('SELECT max(id) AS id FROM tracks')!.id ?? 0;
    // Rows added from now on get their search entries at the end. The delete first: a row added
    // meanwhile and then edited (its update trigger) may already have one.
    const restore = [
      `DELETE FROM track_search WHERE rowid > ${lastId}`,
      `INSERT INTO track_search (rowid, ${SEARCH_COLUMNS}) SELECT id, ${SEARCH_COLUMNS} FROM tracks WHERE id > ${lastId}`,
      ...deferred.map((d) => d.sql),
    ];
    for (const sql of restore) db.run('INSERT INTO tracks_deferred_schema (sql) VALUES (?)', sql);
    for (const d of deferred) db.exec(`DROP ${d.type === 'index' ? 'INDEX' : 'TRIGGER'} "${d.name.replaceAll('"', '""')}"`);
  });
}

/** Rebuilds what deferTrackIndexes dropped (by this process or by one that was killed); a no-op when nothing is deferred. */
export function restoreTrackIndexes(db: LibraryDb): void {
  db.transaction(() => {
    const statements = db.all<{ seq: number; sql: string }>('SELECT seq, sql FROM tracks_deferred_schema ORDER BY seq');
    for (const s of statements) db.exec(s.sql);
    if (statements.length > 0) db.run('DELETE FROM tracks_deferred_schema');
  });
}

export function trackIndexesDeferred(db: LibraryDb): boolean {
  return db.get('SELECT 1 FROM tracks_deferred_schema LIMIT 1') !== undefined;
}
