import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openLibraryDb, type LibraryDb } from '../../../src-main/library/db/open.ts';
import {
  findTracksByFingerprintOutside,
  getTrackById,
  getTrackByPath,
  fingerprintsOf,
  KNOWN_FILES_SQL,
  knownFileAt,
  knownFilesUnder,
  listTracks,
  listTracksSql,
  markTracksMissing,
  moveTrack,
  toMatchQuery,
  upsertTrack,
} from '../../../src-main/library/db/queries/tracks.ts';
import { putQueueEntry } from '../../../src-main/library/db/queries/analysis.ts';
import { decideSuggestions, upsertSuggestions } from '../../../src-main/library/db/queries/suggestions.ts';
import { emptyAudio, emptyTags, READER_VERSION, type TrackRecord, type TrackTags } from '../../../src-main/library/track.ts';

function record(path: string, tags: Partial<TrackTags> = {}, extra: Partial<TrackRecord> = {}): TrackRecord {
  return {
    path,
    size: 1000,
    mtimeMs: 1_700_000_000_000,
    fingerprint: `fp-${path}`,
    container: 'flac',
    audio: { ...emptyAudio(), format: 'flac', codec: 'FLAC', durationS: 180, sampleRate: 44100, channels: 2, lossless: true, tagTypes: ['Vorbis'] },
    tags: { ...emptyTags(), ...tags },
    raw: { common: { title: tags.title ?? null }, native: { vorbis: [{ id: 'TITLE', value: tags.title ?? null }] } },
    warnings: [],
    error: null,
    ...extra,
  };
}

function freshDb(): LibraryDb {
  return openLibraryDb(':memory:');
}

describe('the tracks queries', () => {
  it('stores a record and reads every field back by path and by id', () => {
    const db = freshDb();
    const r = record('/music/a/01.flac', {
      title: 'Song',
      artist: 'A; B',
      artists: ['A', 'B'],
      album: 'Album',
      albumArtist: 'AA',
      trackNo: 1,
      trackTotal: 10,
      discNo: 1,
      discTotal: 2,
      year: 2001,
      genres: ['Jazz', 'Funk'],
      mood: 'Happy',
      bpm: 120.5,
      comment: 'hi',
    });
    r.audio.hasPicture = true;
    r.warnings = ['a warning'];
    const id = upsertTrack(db, r, 42);
    const byPath = getTrackByPath(db, r.path)!;
    assert.deepEqual(byPath, { ...r, id, missing: false, addedAt: 42, scannedAt: 42 });
    assert.deepEqual(getTrackById(db, id), byPath);
    assert.equal(getTrackById(db, id + 1), undefined);
  });

  it('replaces the row of the same path instead of adding one, keeping its id and added time', () => {
    const db = freshDb();
    const id = upsertTrack(db, record('/m/x.flac', { title: 'Old' }), 1);
    markTracksMissing(db, [id], 2);
    const again = upsertTrack(db, record('/m/x.flac', { title: 'New' }, { size: 2000, error: { kind: 'tag-read-failed', message: 'bad' } }), 3);
    assert.equal(again, id);
    const row = getTrackById(db, id)!;
    assert.equal(row.tags.title, 'New');
    assert.equal(row.size, 2000);
    assert.equal(row.missing, false);
    assert.equal(row.addedAt, 1);
    assert.equal(row.scannedAt, 3);
    assert.deepEqual(row.error, { kind: 'tag-read-failed', message: 'bad' });
    assert.equal(db.get<{ n: number }>('SELECT count(*) AS n FROM tracks')!.n, 1);
  });

  it('moves a row to a new path keeping its id', () => {
    const db = freshDb();
    const id = upsertTrack(db, record('/m/old name.flac', { title: 'T' }));
    moveTrack(db, id, record('/m/new name.flac', { title: 'T' }));
    assert.equal(getTrackByPath(db, '/m/old name.flac'), undefined);
    assert.equal(getTrackByPath(db, '/m/new name.flac')!.id, id);
    assert.deepEqual(listTracks(db, { search: 'new' }).tracks.map((t) => t.id), [id]);
    assert.equal(listTracks(db, { search: 'old' }).total, 0);
  });

  it('lists the files under a folder by path range, not by prefix text', () => {
    const db = freshDb();
    for (const p of ['/m/a/1.flac', '/m/a/b/2.flac', '/m/ab/3.flac', '/m/a.flac', '/n/4.flac']) upsertTrack(db, record(p));
    assert.deepEqual([...knownFilesUnder(db, ['/m/a']).keys()].sort(), ['/m/a/1.flac', '/m/a/b/2.flac']);
    assert.deepEqual([...knownFilesUnder(db, ['/m/a/', '/n']).keys()].sort(), ['/m/a/1.flac', '/m/a/b/2.flac', '/n/4.flac']);
    const k = knownFilesUnder(db, ['/n']).get('/n/4.flac')!;
    assert.deepEqual(k, { id: k.id, path: '/n/4.flac', size: 1000, mtimeMs: 1_700_000_000_000, missing: false, readerVersion: READER_VERSION });
    assert.deepEqual(knownFileAt(db, '/n/4.flac'), k, 'one known file, by its exact path');
    assert.equal(knownFileAt(db, '/n'), undefined);
  });

  it('reads the known files of a rescan from the covering index alone (query plan)', () => {
    const db = freshDb();
    const plan = db
      .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${KNOWN_FILES_SQL}`, '/m/', '/m0')
      .map((r) => r.detail)
      .join(' | ');
    assert.match(plan, /SEARCH tracks USING COVERING INDEX tracks_by_scan_state \(path>\? AND path<\?\)/);
  });

  it("gives the fingerprints of the rows asked for, leaving out rows that have none", () => {
    const db = freshDb();
    const ids = ['/m/1.flac', '/m/2.flac'].map((p) => upsertTrack(db, record(p)));
    const bare = upsertTrack(db, record('/m/3.flac', {}, { fingerprint: null }));
    const many = Array.from({ length: 1200 }, (_, i) => upsertTrack(db, record(`/z/${i}.flac`)));
    assert.deepEqual(fingerprintsOf(db, [...ids, bare, 999_999]), new Map([[ids[0]!, 'fp-/m/1.flac'], [ids[1]!, 'fp-/m/2.flac']]));
    assert.equal(fingerprintsOf(db, many).size, 1200, 'ids in chunks');
    assert.equal(fingerprintsOf(db, []).size, 0);
  });

  it('finds rows with a fingerprint outside given folders only', () => {
    const db = freshDb();
    for (const p of ['/m/a/1.flac', '/m/a b/2.flac', '/m/b/3.flac', '/z/4.flac', '/a/5.flac']) upsertTrack(db, record(p, {}, { fingerprint: 'same' }));
    const outside = findTracksByFingerprintOutside(db, 'same', ['/m/b', '/m/a']).map((r) => r.path).sort();
    assert.deepEqual(outside, ['/a/5.flac', '/m/a b/2.flac', '/z/4.flac']);
  });

  it('filters by format, missing, errors, folder and words, and pages the result', () => {
    const db = freshDb();
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const fmt = i % 3 === 0 ? 'mp3' : 'flac';
      const r = record(`/music/${i % 2 ? 'odd' : 'even'}/track ${String(i).padStart(2, '0')}.${fmt}`, { title: `Title ${i}`, artist: i < 10 ? 'Björk' : 'Other Artist', genres: i % 5 === 0 ? ['Jazz'] : [] });
      r.audio.format = fmt;
      if (i === 7) r.error = { kind: 'unsupported-format', message: 'not audio' };
      ids.push(upsertTrack(db, r));
    }
    markTracksMissing(db, [ids[3]!, ids[4]!]);
    assert.equal(listTracks(db, {}).total, 30);
    assert.equal(listTracks(db, { formats: ['mp3'] }).total, 10);
    assert.equal(listTracks(db, { formats: ['mp3', 'flac'] }).total, 30);
    assert.deepEqual(listTracks(db, { missing: true }).tracks.map((t) => t.id).sort(), [ids[3], ids[4]]);
    assert.equal(listTracks(db, { missing: false }).total, 28);
    assert.deepEqual(listTracks(db, { hasErrors: true }).tracks.map((t) => t.id), [ids[7]]);
    assert.equal(listTracks(db, { hasErrors: false }).total, 29);
    assert.equal(listTracks(db, { under: '/music/odd' }).total, 15);
    // Words match as prefixes, case- and accent-insensitively, across fields; all must match.
    assert.equal(listTracks(db, { search: 'bjork' }).total, 10);
    assert.equal(listTracks(db, { search: 'BJÖ title' }).total, 10);
    assert.equal(listTracks(db, { search: 'jazz' }).total, 6);
    assert.equal(listTracks(db, { search: 'odd jazz' }).total, 3);
    assert.equal(listTracks(db, { search: 'nothing-like-this' }).total, 0);
    assert.equal(listTracks(db, { search: '  ' }).total, 30, 'blank search matches everything');
    const page = listTracks(db, { sort: 'path', offset: 10, limit: 5 });
    assert.equal(page.total, 30);
    assert.equal(page.tracks.length, 5);
    const all = listTracks(db, { sort: 'path', limit: 1000 }).tracks.map((t) => t.path);
    assert.deepEqual(page.tracks.map((t) => t.path), all.slice(10, 15));
    assert.deepEqual(all, [...all].sort());
  });

  // Five tracks; 0–3 fingerprinted, 4 without a fingerprint (its analysis key is the 'file:' one).
  function analysisLibrary(): { db: LibraryDb; ids: number[] } {
    const db = freshDb();
    const ids = [0, 1, 2, 3, 4].map((i) =>
      upsertTrack(db, record(`/m/${i}.flac`, { title: `T${i}`, genres: i === 1 ? ['Hip-Hop', 'Jazz'] : [], mood: i === 2 ? 'Mellow' : null }, i === 4 ? { fingerprint: null, mtimeMs: 1_732_531_234_567.8916 } : {})),
    );
    const versions = { specVersion: 'spec-1', modelVersion: 'model-1' };
    putQueueEntry(db, ids[0]!, { contentKey: 'fp-/m/0.flac', ...versions }, 'done');
    putQueueEntry(db, ids[1]!, { contentKey: 'fp-/m/1.flac', ...versions }, 'pending');
    putQueueEntry(db, ids[2]!, { contentKey: 'fp-of-older-audio', ...versions }, 'done');
    putQueueEntry(db, ids[4]!, { contentKey: `file:1000:${1_732_531_234_567.8916}:/m/4.flac`, ...versions }, 'done');
    return { db, ids };
  }

  it('filters analysed tracks: done for the audio the file has now, a fractional mtime included', () => {
    const { db, ids } = analysisLibrary();
    const idsOf = (q: Parameters<typeof listTracks>[1]) => listTracks(db, { ...q, sort: 'path' }).tracks.map((t) => t.id);
    assert.deepEqual(idsOf({ analysed: true }), [ids[0], ids[4]]);
    // 1 waits, 2 was analysed for audio it no longer has, 3 was never queued.
    assert.deepEqual(idsOf({ analysed: false }), [ids[1], ids[2], ids[3]]);
    // The file moved (a new path): its 'file:' key no longer names it.
    db.run("UPDATE tracks SET path = '/m/4-moved.flac' WHERE id = ?", ids[4]!);
    assert.deepEqual(idsOf({ analysed: true }), [ids[0]]);
  });

  it('filters tracks with suggestions waiting for a decision', () => {
    const { db, ids } = analysisLibrary();
    const s = (trackId: number, tag: string) => ({ trackId, tag, category: 'instrument', confidence: 0.9, source: 'model' as const });
    upsertSuggestions(db, [s(ids[0]!, 'piano'), s(ids[0]!, 'drums'), s(ids[1]!, 'guitar'), s(ids[3]!, 'piano')]);
    decideSuggestions(db, { trackIds: [ids[1]!] }, 'accepted');
    decideSuggestions(db, { trackIds: [ids[3]!] }, 'rejected');
    const idsOf = (hasSuggestions: boolean) => listTracks(db, { hasSuggestions, sort: 'path' }).tracks.map((t) => t.id);
    assert.deepEqual(idsOf(true), [ids[0]]);
    assert.deepEqual(idsOf(false), [ids[1], ids[2], ids[3], ids[4]]);
    assert.equal(listTracks(db, { hasSuggestions: true, analysed: true }).total, 1, 'filters combine');
  });

  it('filters by a tag in the file (genre or mood) or a pending or accepted suggestion, ignoring case', () => {
    const { db, ids } = analysisLibrary();
    const s = (trackId: number, tag: string) => ({ trackId, tag, category: 'instrument', confidence: 0.9, source: 'model' as const });
    upsertSuggestions(db, [s(ids[0]!, 'Piano'), s(ids[3]!, 'piano'), s(ids[4]!, 'piano'), s(ids[2]!, 'jazz')]);
    decideSuggestions(db, { trackIds: [ids[3]!] }, 'accepted');
    decideSuggestions(db, { trackIds: [ids[4]!] }, 'rejected');
    const idsOf = (tag: string) => listTracks(db, { tag, sort: 'path' }).tracks.map((t) => t.id);
    assert.deepEqual(idsOf('piano'), [ids[0], ids[3]], 'a rejected suggestion is not a tag');
    assert.deepEqual(idsOf('JAZZ'), [ids[1], ids[2]], 'a genre of the file or a suggestion');
    assert.deepEqual(idsOf('hip-hop'), [ids[1]]);
    assert.deepEqual(idsOf('hip'), [], 'a whole value, not a part of one');
    assert.deepEqual(idsOf('mellow'), [ids[2]]);
    assert.deepEqual(idsOf('%'), [], 'LIKE wildcards in a tag are literal');
    assert.deepEqual(idsOf('  '), [ids[0], ids[1], ids[2], ids[3], ids[4]], 'a blank tag filters nothing');
  });

  it('pages rare matches in the same order as common ones (sorted read instead of an index walk)', () => {
    const db = freshDb();
    for (let i = 0; i < 60; i++) upsertTrack(db, record(`/m/${String(i).padStart(2, '0')}.flac`, { artist: `Artist ${i % 7}`, genres: i % 20 === 0 ? ['Rare'] : ['Common'] }));
    const rare = listTracks(db, { tag: 'rare', sort: 'artist', limit: 2, offset: 1 });
    const all = listTracks(db, { sort: 'artist', limit: 100 }).tracks.filter((t) => t.tags.genres[0] === 'Rare');
    assert.equal(rare.total, 3);
    assert.deepEqual(rare.tracks.map((t) => t.id), all.slice(1, 3).map((t) => t.id));
    const { sql, params } = listTracksSql({ tag: 'rare', sort: 'artist' }, '/', { walkIndex: false });
    const plan = db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params).map((r) => r.detail).join(' | ');
    assert.match(plan, /USE TEMP B-TREE FOR ORDER BY/);
    assert.doesNotMatch(plan, /tracks_by_artist/);
  });

  it('finds suggestions of a tag through suggestions_by_tag (query plan)', () => {
    const db = freshDb();
    const { sql, params } = listTracksSql({ tag: 'piano' });
    const plan = db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params).map((r) => r.detail).join(' | ');
    assert.match(plan, /suggestions USING COVERING INDEX suggestions_by_tag \(tag=\? AND decision=\?\)/);
    assert.match(plan, /SCAN tracks USING INDEX tracks_by_artist/, 'the listing still walks the sort index');
  });

  it('sorts by artist, album, disc and track, case-insensitively, and backwards', () => {
    const db = freshDb();
    const rows: [string, Partial<TrackTags>][] = [
      ['/m/1', { artist: 'beta', album: 'Z', discNo: 1, trackNo: 2 }],
      ['/m/2', { artist: 'Alpha', album: 'b', discNo: 1, trackNo: 1 }],
      ['/m/3', { artist: 'beta', album: 'Z', discNo: 1, trackNo: 1 }],
      ['/m/4', { artist: 'Alpha', album: 'A', discNo: 2, trackNo: 1 }],
      ['/m/5', { artist: 'beta', album: 'a', discNo: 1, trackNo: 5 }],
    ];
    for (const [p, t] of rows) upsertTrack(db, record(p, t));
    assert.deepEqual(listTracks(db, { sort: 'artist' }).tracks.map((t) => t.path), ['/m/4', '/m/2', '/m/5', '/m/3', '/m/1']);
    assert.deepEqual(listTracks(db, { sort: 'artist', descending: true }).tracks.map((t) => t.path), ['/m/1', '/m/3', '/m/5', '/m/2', '/m/4']);
  });

  it('turns typed words into a safe FTS query', () => {
    assert.equal(toMatchQuery('  '), undefined);
    assert.equal(toMatchQuery('AC/DC "live"'), '"AC"* "DC"* "live"*');
    assert.equal(toMatchQuery('NEAR( OR *'), '"NEAR"* "OR"*');
  });

  it('serves the library sorts and the folder filter from indexes (query plan)', () => {
    const db = freshDb();
    const plan = (q: Parameters<typeof listTracksSql>[0]): string => {
      const { sql, params } = listTracksSql(q);
      return db
        .all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params)
        .map((r) => r.detail)
        .join(' | ');
    };
    // The main sort walks its index: no temporary sort b-tree.
    const main = plan({ sort: 'artist', limit: 100 });
    assert.match(main, /SCAN tracks USING INDEX tracks_by_artist/);
    assert.doesNotMatch(main, /TEMP B-TREE/);
    assert.doesNotMatch(plan({ sort: 'artist', descending: true }), /TEMP B-TREE/);
    for (const [sort, index] of [['album', 'tracks_by_album'], ['title', 'tracks_by_title'], ['genre', 'tracks_by_genre'], ['year', 'tracks_by_year'], ['duration', 'tracks_by_duration'], ['added', 'tracks_by_added']] as const) {
      const p = plan({ sort });
      assert.match(p, new RegExp(`USING INDEX ${index}`), sort);
      assert.doesNotMatch(p, /TEMP B-TREE/, sort);
    }
    assert.match(plan({ under: '/music/jazz', sort: 'path' }), /SEARCH tracks USING INDEX sqlite_autoindex_tracks_1 \(path>\? AND path<\?\)/);
    assert.match(plan({ search: 'miles' }), /VIRTUAL TABLE INDEX/);
    const fp = db.all<{ detail: string }>("EXPLAIN QUERY PLAN SELECT id FROM tracks WHERE fingerprint = ? AND path < ?", 'x', '/m/').map((r) => r.detail).join(' ');
    assert.match(fp, /USING (COVERING )?INDEX tracks_fingerprint/);
  });
});
