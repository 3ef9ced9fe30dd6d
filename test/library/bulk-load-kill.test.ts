// A first scan of many files defers the library's sort and search indexes (db/queries/
// deferred-track-indexes.ts). This kills `betti scan` while they are dropped and checks that the
// next open puts every one of them back and that the rescan finishes the library.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openLibraryDb, type LibraryDb } from '../../src-main/library/db/open.ts';
import { listTracks } from '../../src-main/library/db/queries/tracks.ts';
import { bettiBin, parseJsonOutput, repoRoot, runBetti } from '../helpers/cli.ts';
import { copy, encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Enough new files for a scan of an empty library to defer its indexes (scan.ts: 1000 rows). */
const COUNT = 1200;

const schemaOf = (db: LibraryDb) => db.all("SELECT type, name, sql FROM sqlite_schema WHERE tbl_name IN ('tracks', 'track_search') ORDER BY name");

describe('a scan killed while its indexes are deferred', () => {
  const dir = tempDir({ after }, 'betti-bulk-kill-');

  it('leaves a library whose next open restores every index, and a rescan completes it', async () => {
    const root = join(dir, 'music');
    const mp3 = encode(dir, 'tone', fixtureFormats.mp3!, { seconds: 0.2, metadata: { title: 'Kept Tune', artist: 'Nadia' } });
    for (let i = 0; i < COUNT; i++) {
      const sub = join(root, `disc${i % 12}`);
      if (i < 12) mkdirSync(sub, { recursive: true });
      copy(mp3, join(sub, `track ${String(i).padStart(4, '0')}.mp3`));
    }
    const dbPath = join(dir, 'library.db');
    const child = spawn(process.execPath, [bettiBin, '--db', dbPath, 'scan', root, '--json'], { cwd: repoRoot, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    // Kill it once rows are committed while the indexes are dropped.
    let committed = 0;
    for (let waited = 0; waited < 120_000 && committed === 0; waited += 5) {
      await sleep(5);
      try {
        const peek = new DatabaseSync(dbPath, { readOnly: true });
        const deferred = peek.prepare("SELECT count(*) AS n FROM sqlite_schema WHERE name = 'tracks_deferred_schema'").get() as { n: number };
        if (deferred.n > 0 && peek.prepare('SELECT 1 FROM tracks_deferred_schema LIMIT 1').get()) {
          committed = (peek.prepare('SELECT count(*) AS n FROM tracks').get() as { n: number }).n;
        }
        peek.close();
      } catch {
        // not created yet, or mid-migration
      }
    }
    child.kill('SIGKILL');
    assert.equal(await exited, 'SIGKILL');
    assert.ok(committed > 0 && committed < COUNT, `killed mid-way with the indexes deferred (${committed} of ${COUNT} rows committed)`);

    const fresh = openLibraryDb(':memory:');
    const expected = schemaOf(fresh);
    fresh.close();
    const reopened = openLibraryDb(dbPath);
    assert.deepEqual(schemaOf(reopened), expected, 'every index and trigger is back');
    assert.equal(reopened.get<{ n: number }>('SELECT count(*) AS n FROM tracks_deferred_schema')!.n, 0);
    const rows = reopened.get<{ n: number }>('SELECT count(*) AS n FROM tracks')!.n;
    assert.ok(rows >= committed);
    assert.equal(listTracks(reopened, { search: 'kept tune' }).total, rows, 'rows loaded before the kill are searchable');
    reopened.close();

    const r = runBetti(['--db', dbPath, 'scan', root, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = parseJsonOutput<{ scanned: number; new: number; unchanged: number; errors: number; missing: number }>(r);
    assert.deepEqual([s.scanned, s.new + s.unchanged, s.errors, s.missing], [COUNT, COUNT, 0, 0]);
    assert.ok(s.unchanged >= rows, `rows committed before the kill were kept (${s.unchanged} ≥ ${rows})`);
    const done = openLibraryDb(dbPath);
    assert.deepEqual(schemaOf(done), expected);
    assert.equal(listTracks(done, { search: 'nadia' }).total, COUNT);
    assert.deepEqual(done.all('PRAGMA integrity_check').map((x) => Object.values(x)[0]), ['ok']);
    done.close();
  });
});
