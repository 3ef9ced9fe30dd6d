import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openLibraryDb, type LibraryDb } from '../../../src-main/library/db/open.ts';
import { deferTrackIndexes, restoreTrackIndexes, trackIndexesDeferred } from '../../../src-main/library/db/queries/deferred-track-indexes.ts';
import { getTrackByPath, listTracks, listTracksSql, upsertTrack } from '../../../src-main/library/db/queries/tracks.ts';
import { emptyAudio, emptyTags, type TrackRecord } from '../../../src-main/library/track.ts';
import { tempDir } from '../../helpers/tmp.ts';

function record(path: string, title: string): TrackRecord {
  return {
    path,
    size: 1,
    mtimeMs: 1,
    fingerprint: `fp-${path}`,
    container: 'mp3',
    audio: { ...emptyAudio(), format: 'mp3' },
    tags: { ...emptyTags(), title, artist: 'Band' },
    raw: { common: {}, native: {} },
    warnings: [],
    error: null,
  };
}

/** The tracks table's indexes and triggers as the schema holds them. */
const schemaOf = (db: LibraryDb) =>
  db.all<{ type: string; name: string; sql: string }>("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'tracks' AND type IN ('index', 'trigger') ORDER BY name");
const found = (db: LibraryDb, words: string) => listTracks(db, { search: words }).tracks.map((t) => t.path);
const plan = (db: LibraryDb) => {
  const { sql, params } = listTracksSql({ sort: 'title' });
  return db.all<{ detail: string }>(`EXPLAIN QUERY PLAN ${sql}`, ...params).map((r) => r.detail).join(' | ');
};

describe('deferring the tracks indexes for a bulk load', () => {
  const dir = tempDir({ after }, 'betti-deferred-');

  it('drops the sort indexes and the search insert trigger, then restores them exactly, with every new row searchable', () => {
    const db = openLibraryDb(':memory:');
    upsertTrack(db, record('/m/old.mp3', 'Old song'));
    const before = schemaOf(db);
    deferTrackIndexes(db);
    assert.equal(trackIndexesDeferred(db), true);
    const during = schemaOf(db).map((o) => o.name);
    assert.ok(!during.some((n) => n.startsWith('tracks_by_')), `no sort index while deferred: ${during.join(', ')}`);
    assert.ok(!during.includes('tracks_search_insert'));
    assert.ok(during.includes('tracks_fingerprint') && during.includes('tracks_search_update'), 'what the scan itself needs stays');
    for (let i = 0; i < 5; i++) upsertTrack(db, record(`/m/new${i}.mp3`, `Fresh tune ${i}`));
    assert.deepEqual(found(db, 'old'), ['/m/old.mp3'], 'rows from before stay searchable');
    restoreTrackIndexes(db);
    assert.equal(trackIndexesDeferred(db), false);
    assert.deepEqual(schemaOf(db), before);
    assert.equal(found(db, 'fresh').length, 5);
    assert.match(plan(db), /USING INDEX tracks_by_title/);
    db.close();
  });

  it('is restored by the next open when the process that deferred it died', () => {
    const path = join(dir, 'killed.db');
    const first = openLibraryDb(path);
    const before = schemaOf(first);
    deferTrackIndexes(first);
    upsertTrack(first, record('/m/a.mp3', 'Loaded before the crash'));
    first.close(); // no restore: as if the scan had been killed

    const next = openLibraryDb(path);
    assert.equal(trackIndexesDeferred(next), false);
    assert.deepEqual(schemaOf(next), before);
    assert.deepEqual(found(next, 'crash'), ['/m/a.mp3']);
    // The restored trigger indexes new rows again.
    upsertTrack(next, record('/m/b.mp3', 'After the restart'));
    assert.deepEqual(found(next, 'restart'), ['/m/b.mp3']);
    next.close();
  });

  it('finds a row added and then retitled while deferred by its new title only', () => {
    const db = openLibraryDb(':memory:');
    deferTrackIndexes(db);
    upsertTrack(db, record('/m/x.mp3', 'First title'));
    upsertTrack(db, record('/m/x.mp3', 'Second title')); // the update trigger indexes it already
    restoreTrackIndexes(db);
    assert.deepEqual(found(db, 'second'), ['/m/x.mp3']);
    assert.deepEqual(found(db, 'first'), []);
    assert.equal(getTrackByPath(db, '/m/x.mp3')!.tags.title, 'Second title');
    db.close();
  });

  it('does nothing when deferred twice or restored with nothing deferred', () => {
    const db = openLibraryDb(':memory:');
    const before = schemaOf(db);
    restoreTrackIndexes(db);
    assert.deepEqual(schemaOf(db), before);
    deferTrackIndexes(db);
    deferTrackIndexes(db);
    restoreTrackIndexes(db);
    assert.deepEqual(schemaOf(db), before);
    db.close();
  });
});
