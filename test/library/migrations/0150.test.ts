import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { migrate, openLibraryDb } from '../../../src-main/library/db/open.ts';

describe('migration 0150 (reader version 3)', () => {
  it('marks reader 2’s rows as reader 3’s except those without a year whose Vorbis comment has a YEAR, and leaves older rows as they are', () => {
    const db = openLibraryDb(':memory:', { migrateUpTo: 140 });
    const vorbis = (fields: Record<string, string>) => JSON.stringify({ common: {}, native: { vorbis: Object.entries(fields).map(([id, value]) => ({ id, value })) } });
    const rows: [string, number, number | null, string][] = [
      ['/m/year-only.flac', 2, null, vorbis({ TITLE: 'Old Tagger', YEAR: '1997' })], // reader 3 finds 1997
      ['/m/year-only.ogg', 2, null, vorbis({ YEAR: '1997-05' })],
      ['/m/date.flac', 2, 2001, vorbis({ DATE: '2001', YEAR: '1997' })], // DATE wins, as before
      ['/m/no-year.ogg', 2, null, vorbis({ TITLE: 'Undated' })],
      ['/m/ape-year.wv', 2, null, JSON.stringify({ common: {}, native: { APEv2: [{ id: 'Year', value: 'someday' }] } })], // mapped by music-metadata already
      ['/m/older.flac', 1, null, vorbis({ YEAR: '1997' })], // reader 1's: read again as before
    ];
    for (const [path, version, year, raw] of rows) {
      db.run(
        "INSERT INTO tracks (path, size, mtime_ms, container, year, raw_json, added_at, scanned_at, reader_version) VALUES (?, 1, 1, 'flac', ?, ?, 1, 1, ?)",
        path, year, raw, version,
      );
    }
    migrate(db, 150);
    assert.equal(db.userVersion, 150);
    const versions = Object.fromEntries(db.all<{ path: string; reader_version: number }>('SELECT path, reader_version FROM tracks').map((r) => [r.path, r.reader_version]));
    assert.deepEqual(versions, {
      '/m/year-only.flac': 2,
      '/m/year-only.ogg': 2,
      '/m/date.flac': 3,
      '/m/no-year.ogg': 3,
      '/m/ape-year.wv': 3,
      '/m/older.flac': 1,
    });
  });
});
