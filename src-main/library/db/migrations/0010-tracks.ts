// Migration 0010: the tracks table, its search index and the indexes behind the library's sorts.
// One row per file path. The audio fingerprint ties a row to its audio so a moved file keeps its
// row (and, through the fingerprint, its analyses). Typed columns hold what the library table
// sorts and filters on; raw_json holds everything the reader found.
import type { Migration } from './index.ts';

export const migration0010: Migration = {
  version: 10,
  name: 'tracks',
  up(db) {
    db.exec(`
      CREATE TABLE tracks (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        fingerprint TEXT,
        container TEXT NOT NULL,
        format TEXT,
        container_name TEXT,
        codec TEXT,
        duration_s REAL,
        sample_rate INTEGER,
        channels INTEGER,
        bitrate INTEGER,
        bits_per_sample INTEGER,
        lossless INTEGER,
        tag_types TEXT NOT NULL DEFAULT '[]',
        has_picture INTEGER NOT NULL DEFAULT 0,
        title TEXT,
        artist TEXT,
        artists TEXT NOT NULL DEFAULT '[]',
        album TEXT,
        album_artist TEXT,
        genre TEXT,
        genres TEXT NOT NULL DEFAULT '[]',
        year INTEGER,
        track_no INTEGER,
        track_total INTEGER,
        disc_no INTEGER,
        disc_total INTEGER,
        bpm REAL,
        mood TEXT,
        comment TEXT,
        raw_json TEXT NOT NULL DEFAULT '{"common":{},"native":{}}',
        warnings_json TEXT NOT NULL DEFAULT '[]',
        error_kind TEXT,
        error_message TEXT,
        missing INTEGER NOT NULL DEFAULT 0,
        added_at INTEGER NOT NULL,
        scanned_at INTEGER NOT NULL
      ) STRICT;

      CREATE INDEX tracks_fingerprint ON tracks (fingerprint, path) WHERE fingerprint IS NOT NULL;
      CREATE INDEX tracks_by_artist ON tracks (artist COLLATE NOCASE, album COLLATE NOCASE, disc_no, track_no, id);
      CREATE INDEX tracks_by_album ON tracks (album COLLATE NOCASE, disc_no, track_no, id);
      CREATE INDEX tracks_by_title ON tracks (title COLLATE NOCASE, id);
      CREATE INDEX tracks_by_genre ON tracks (genre COLLATE NOCASE, id);
      CREATE INDEX tracks_by_year ON tracks (year, id);
      CREATE INDEX tracks_by_duration ON tracks (duration_s, id);
      CREATE INDEX tracks_by_added ON tracks (added_at, id);
      CREATE INDEX tracks_by_format ON tracks (format, id);
      CREATE INDEX tracks_with_errors ON tracks (id) WHERE error_kind IS NOT NULL;
      CREATE INDEX tracks_missing ON tracks (id) WHERE missing = 1;

      -- Word-prefix search over the fields people type: tags and the file path (untagged files).
      CREATE VIRTUAL TABLE track_search USING fts5 (
        title, artist, album, album_artist, genre, path,
        content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER tracks_search_insert AFTER INSERT ON tracks BEGIN
        INSERT INTO track_search (rowid, title, artist, album, album_artist, genre, path)
        VALUES (new.id, new.title, new.artist, new.album, new.album_artist, new.genre, new.path);
      END;
      CREATE TRIGGER tracks_search_update AFTER UPDATE OF title, artist, album, album_artist, genre, path ON tracks BEGIN
        DELETE FROM track_search WHERE rowid = old.id;
        INSERT INTO track_search (rowid, title, artist, album, album_artist, genre, path)
        VALUES (new.id, new.title, new.artist, new.album, new.album_artist, new.genre, new.path);
      END;
      CREATE TRIGGER tracks_search_delete AFTER DELETE ON tracks BEGIN
        DELETE FROM track_search WHERE rowid = old.id;
      END;

      -- While a large scan loads rows, the sort indexes and the search insert trigger are dropped
      -- and rebuilt once at the end (queries/deferred-track-indexes.ts). The statements that
      -- rebuild them wait here, written in the transaction that dropped them, so a scan killed
      -- half-way leaves a library that the next open repairs.
      CREATE TABLE tracks_deferred_schema (
        seq INTEGER PRIMARY KEY,
        sql TEXT NOT NULL
      ) STRICT;
    `);
  },
};
