import assert from 'node:assert/strict';
import { mkdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { BettiError } from '../../src-main/api/errors.ts';
import { openLibraryDb, type LibraryDb } from '../../src-main/library/db/open.ts';
import { getTrackByPath, listTracks } from '../../src-main/library/db/queries/tracks.ts';
import { scanFolders } from '../../src-main/library/scan.ts';
import { READER_VERSION } from '../../src-main/library/track.ts';
import { copy, encode, fixtureFormats, mutagenWrite } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

const counts = (s: { scanned: number; new: number; changed: number; moved: number; missing: number; errors: number; unchanged: number }) => ({
  scanned: s.scanned,
  new: s.new,
  changed: s.changed,
  moved: s.moved,
  missing: s.missing,
  errors: s.errors,
  unchanged: s.unchanged,
});

describe('incremental scans', () => {
  const dir = tempDir({ after }, 'betti-scan-');
  const sources: string[] = [];
  before(() => {
    // Four different recordings (different audio, so different fingerprints).
    for (const [i, key] of (['mp3', 'flac', 'ogg', 'm4a'] as const).entries()) {
      sources.push(encode(dir, `src${i}`, fixtureFormats[key]!, { seconds: 0.4 + i * 0.1, metadata: { title: `Song ${i}`, artist: 'Band' } }));
    }
  });

  function library(name: string): { root: string; db: LibraryDb } {
    const root = join(dir, name);
    mkdirSync(join(root, 'album'), { recursive: true });
    sources.forEach((s, i) => copy(s, join(root, 'album', `${i}${s.slice(s.lastIndexOf('.'))}`)));
    const db = openLibraryDb(join(dir, `${name}.db`));
    return { root, db };
  }

  it('classifies renamed, edited, deleted and added files between two scans', async () => {
    const { root, db } = library('lib1');
    const first = await scanFolders(db, [root], { workers: 0 });
    assert.deepEqual(counts(first), { scanned: 4, new: 4, changed: 0, moved: 0, missing: 0, errors: 0, unchanged: 0 });
    const before0 = getTrackByPath(db, join(root, 'album', '0.mp3'))!;
    const before1 = getTrackByPath(db, join(root, 'album', '1.flac'))!;
    const before2 = getTrackByPath(db, join(root, 'album', '2.ogg'))!;
    const before3 = getTrackByPath(db, join(root, 'album', '3.m4a'))!;

    mkdirSync(join(root, 'renamed'));
    renameSync(join(root, 'album', '0.mp3'), join(root, 'renamed', 'zero.mp3')); // moved and renamed
    mutagenWrite(join(root, 'album', '1.flac'), { title: 'Edited title', genres: ['Edited'] }); // edited
    rmSync(join(root, 'album', '2.ogg')); // deleted
    copy(sources[2]!, join(dir, 'elsewhere.ogg'));
    const added = encode(join(root, 'album'), 'added', fixtureFormats.opus!, { seconds: 0.3 }); // added

    const second = await scanFolders(db, [root], { workers: 0 });
    assert.deepEqual(counts(second), { scanned: 4, new: 1, changed: 1, moved: 1, missing: 1, errors: 0, unchanged: 1 });

    const moved = getTrackByPath(db, join(root, 'renamed', 'zero.mp3'))!;
    assert.equal(moved.id, before0.id, 'a moved file keeps its row');
    assert.equal(moved.fingerprint, before0.fingerprint);
    assert.equal(getTrackByPath(db, join(root, 'album', '0.mp3')), undefined);

    const edited = getTrackByPath(db, join(root, 'album', '1.flac'))!;
    assert.equal(edited.id, before1.id);
    assert.equal(edited.tags.title, 'Edited title');
    assert.deepEqual(edited.tags.genres, ['Edited']);
    assert.equal(edited.fingerprint, before1.fingerprint, 'retagging leaves the audio fingerprint alone');

    const gone = getTrackByPath(db, join(root, 'album', '2.ogg'))!;
    assert.equal(gone.id, before2.id, 'a deleted file is marked missing, not forgotten');
    assert.equal(gone.missing, true);

    const unchanged = getTrackByPath(db, join(root, 'album', '3.m4a'))!;
    assert.equal(unchanged.scannedAt, before3.scannedAt, 'an unchanged file is not read again');
    assert.equal(getTrackByPath(db, added)!.missing, false);

    // The deleted file comes back under a new name: its missing row is reused.
    renameSync(join(dir, 'elsewhere.ogg'), join(root, 'album', 'back.ogg'));
    const third = await scanFolders(db, [root], { workers: 0 });
    assert.deepEqual(counts(third), { scanned: 5, new: 0, changed: 0, moved: 1, missing: 0, errors: 0, unchanged: 4 });
    const back = getTrackByPath(db, join(root, 'album', 'back.ogg'))!;
    assert.equal(back.id, before2.id);
    assert.equal(back.missing, false);
    assert.equal(listTracks(db, {}).total, 5);
    db.close();
  });

  it('recognises a file moved in from outside the scanned folder, and one whose old folder was not scanned', async () => {
    const { root, db } = library('lib2');
    const other = join(dir, 'lib2-other');
    mkdirSync(other);
    copy(sources[3]!, join(other, 'outside.m4a'));
    await scanFolders(db, [root, other], { workers: 0 });
    const outsideId = getTrackByPath(db, join(other, 'outside.m4a'))!.id;
    renameSync(join(other, 'outside.m4a'), join(root, 'came-in.m4a'));
    // Only `root` is scanned: the old path lies outside it and no longer exists.
    const s = await scanFolders(db, [root], { workers: 0 });
    assert.equal(s.moved, 1);
    assert.equal(s.new, 0);
    assert.equal(getTrackByPath(db, join(root, 'came-in.m4a'))!.id, outsideId);
    db.close();
  });

  it('keeps two identical copies as two tracks, and a copy of a present file is new, not a move', async () => {
    const { root, db } = library('lib3');
    await scanFolders(db, [root], { workers: 0 });
    copy(join(root, 'album', '1.flac'), join(root, 'album', '1 (copy).flac'));
    const s = await scanFolders(db, [root], { workers: 0 });
    assert.equal(s.new, 1);
    assert.equal(s.moved, 0);
    const a = getTrackByPath(db, join(root, 'album', '1.flac'))!;
    const b = getTrackByPath(db, join(root, 'album', '1 (copy).flac'))!;
    assert.notEqual(a.id, b.id);
    assert.equal(a.fingerprint, b.fingerprint);
    db.close();
  });

  it('re-reads a file whose size or modification time changed, even with the same content', async () => {
    const { root, db } = library('lib4');
    await scanFolders(db, [root], { workers: 0 });
    const path = join(root, 'album', '3.m4a');
    utimesSync(path, new Date(), new Date(Date.now() + 5000));
    const s = await scanFolders(db, [root], { workers: 0 });
    assert.equal(s.changed, 1);
    assert.equal(s.unchanged, 3);
    db.close();
  });

  it('leaves nothing marked missing when a scan is cancelled', async () => {
    const { root, db } = library('lib5');
    await scanFolders(db, [root], { workers: 0 });
    rmSync(join(root, 'album', '0.mp3'));
    for (let i = 0; i < 6; i++) copy(sources[1]!, join(root, `new${i}.flac`));
    const controller = new AbortController();
    let reads = 0;
    const s = await scanFolders(db, [root], {
      workers: 0,
      concurrency: 1,
      progressEveryMs: 0,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'read' && ++reads === 2) controller.abort();
      },
    });
    assert.equal(s.cancelled, true);
    assert.equal(s.missing, 0);
    assert.ok(s.new >= 1 && s.new < 6, `some but not all new files were read (${s.new})`);
    assert.equal(getTrackByPath(db, join(root, 'album', '0.mp3'))!.missing, false);
    const again = await scanFolders(db, [root], { workers: 0 });
    assert.equal(again.missing, 1);
    assert.equal(again.new, 6 - s.new);
    assert.equal(listTracks(db, {}).total, 10);
    db.close();
  });

  it('reads in worker threads exactly what it reads on the calling thread', async () => {
    const root = join(dir, 'lib6');
    mkdirSync(root);
    for (let i = 0; i < 80; i++) copy(sources[i % 4]!, join(root, `t${String(i).padStart(2, '0')}${sources[i % 4]!.slice(sources[i % 4]!.lastIndexOf('.'))}`));
    const inline = openLibraryDb(join(dir, 'lib6-inline.db'));
    const pooled = openLibraryDb(join(dir, 'lib6-pooled.db'));
    const a = await scanFolders(inline, [root], { workers: 0 });
    const b = await scanFolders(pooled, [root], { workers: 2, poolFromFiles: 1 });
    assert.deepEqual(counts(a), counts(b));
    const strip = (db: LibraryDb) => listTracks(db, { sort: 'path', limit: 1000 }).tracks.map(({ id: _id, addedAt: _a, scannedAt: _s, ...rest }) => rest);
    assert.deepEqual(strip(pooled), strip(inline));
    inline.close();
    pooled.close();
  });

  it('reads a small scan on the calling thread: worker threads start only from poolFromFiles files to read', async () => {
    // Workers that die as they start: a scan that used them would report every file it gave them.
    const broken = join(dir, 'broken-worker.js');
    writeFileSync(broken, "throw new Error('this worker must not be started');\n");
    // 100 files: a few albums added to a library, the common rescan; the default pools from 500.
    const root = join(dir, 'lib-small');
    mkdirSync(root);
    for (let i = 0; i < 100; i++) copy(sources[i % 4]!, join(root, `s${String(i).padStart(3, '0')}${sources[i % 4]!.slice(sources[i % 4]!.lastIndexOf('.'))}`));
    const db = openLibraryDb(join(dir, 'lib-small.db'));
    const s = await scanFolders(db, [root], { readWorker: pathToFileURL(broken) });
    assert.deepEqual(counts(s), { scanned: 100, new: 100, changed: 0, moved: 0, missing: 0, errors: 0, unchanged: 0 });
    db.close();
    const pooled = library('lib-small-pooled');
    const p = await scanFolders(pooled.db, [pooled.root], { readWorker: pathToFileURL(broken), workers: 1, poolFromFiles: 4 });
    assert.equal(p.errors, 4, 'from poolFromFiles files the workers read them (and here, fail)');
    assert.match(p.errorFiles[0]!.message, /this worker must not be started/);
    pooled.db.close();
  });

  it('builds the indexes once at the end of a large scan, with the same rows, sorts and search results as row by row', async () => {
    const root = join(dir, 'lib7');
    mkdirSync(root);
    for (let i = 0; i < 40; i++) copy(sources[i % 4]!, join(root, `b${String(i).padStart(2, '0')}${sources[i % 4]!.slice(sources[i % 4]!.lastIndexOf('.'))}`));
    const rowByRow = openLibraryDb(join(dir, 'lib7-rows.db'));
    const bulk = openLibraryDb(join(dir, 'lib7-bulk.db'));
    const schema = (db: LibraryDb) => db.all("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name = 'tracks' ORDER BY name");
    const schemaBefore = schema(bulk);
    const a = await scanFolders(rowByRow, [root], { workers: 0, bulkFromRows: Number.POSITIVE_INFINITY });
    const b = await scanFolders(bulk, [root], { workers: 0, bulkFromRows: 1 });
    assert.deepEqual(counts(a), counts(b));
    assert.deepEqual(schema(bulk), schemaBefore, 'every index and trigger is back');
    assert.equal(bulk.get<{ n: number }>('SELECT count(*) AS n FROM tracks_deferred_schema')!.n, 0);
    const view = (db: LibraryDb, q: Parameters<typeof listTracks>[1]) => listTracks(db, { limit: 1000, ...q }).tracks.map((t) => t.path);
    for (const q of [{ sort: 'title' as const }, { sort: 'artist' as const, descending: true }, { search: 'song 2' }, { search: 'b1' }]) {
      assert.deepEqual(view(bulk, q), view(rowByRow, q), JSON.stringify(q));
    }
    assert.equal(view(bulk, { search: 'band' }).length, 40);
    // A rescan that changes a few files writes row by row, through the restored indexes.
    mutagenWrite(join(root, 'b01.flac'), { title: 'Renamed in place' });
    const again = await scanFolders(bulk, [root], { workers: 0, bulkFromRows: 1 });
    assert.equal(again.changed, 1);
    assert.deepEqual(view(bulk, { search: 'renamed' }), [join(root, 'b01.flac')]);
    rowByRow.close();
    bulk.close();
  });

  it('refuses a folder that does not exist, before touching the library', async () => {
    const db = openLibraryDb(':memory:');
    await assert.rejects(
      scanFolders(db, [join(dir, 'no-such-folder')]),
      // The hint reads right in the app as in the CLI: no command to type.
      (err: unknown) => err instanceof BettiError && err.kind === 'not-found' && /no such folder/.test(err.message) && /then scan again/.test(err.hint ?? '') && !/betti/.test(err.hint ?? ''),
    );
    db.close();
  });

  it('reads again the rows an older Betti wrote, their files unchanged, and counts them as unchanged', async () => {
    const { root, db } = library('lib-reader');
    await scanFolders(db, [root], { workers: 0 });
    const ogg = join(root, 'album', '2.ogg');
    // What an older reader left in the row: no lossless flag, and its own version.
    db.run('UPDATE tracks SET reader_version = ?, lossless = NULL, title = ? WHERE path = ?', READER_VERSION - 1, 'as the old reader read it', ogg);
    const s = await scanFolders(db, [root], { workers: 0 });
    assert.deepEqual(counts(s), { scanned: 4, new: 0, changed: 0, moved: 0, missing: 0, errors: 0, unchanged: 4 });
    assert.equal(s.refreshed, 1, 'the summary says one unchanged file was read again for this version');
    const row = getTrackByPath(db, ogg)!;
    assert.equal(row.audio.lossless, false);
    assert.equal(row.tags.title, 'Song 2');
    // A row this reader wrote is not read again while its file is unchanged.
    db.run("UPDATE tracks SET title = 'not read again' WHERE path = ?", ogg);
    assert.equal((await scanFolders(db, [root], { workers: 0 })).refreshed, 0);
    assert.equal(getTrackByPath(db, ogg)!.tags.title, 'not read again');
    // Nor is a single file given as the root, until its row is an older reader's.
    await scanFolders(db, [ogg], { workers: 0 });
    assert.equal(getTrackByPath(db, ogg)!.tags.title, 'not read again');
    db.run('UPDATE tracks SET reader_version = 0 WHERE path = ?', ogg);
    assert.equal((await scanFolders(db, [ogg], { workers: 0 })).unchanged, 1);
    assert.equal(getTrackByPath(db, ogg)!.tags.title, 'Song 2');
    db.close();
  });

  it('scans a single file given as a root', async () => {
    const db = openLibraryDb(':memory:');
    const s = await scanFolders(db, [sources[0]!], { workers: 0 });
    assert.equal(s.new, 1);
    const again = await scanFolders(db, [sources[0]!], { workers: 0 });
    assert.equal(again.unchanged, 1);
    db.close();
  });
});
