// Migrations 0060/0070 and the analysis queries: exact schema after migrating, typed arrays that
// come back bit for bit, the cache key's uniqueness, and the queue's state changes.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import {
  claimPending,
  countClaimable,
  getAnalysis,
  getDisplay,
  getModel,
  markFailed,
  putAnalysis,
  putQueueEntry,
  queueCounts,
  registerModel,
  releaseClaim,
  resetInterrupted,
} from '../../src-main/library/db/queries/analysis.ts';
import { markTracksMissing } from '../../src-main/library/db/queries/tracks.ts';
import { tempDir } from '../helpers/tmp.ts';
import { addTracks, libraryDb, trackRecord } from './helpers.ts';

test('migrating 0050 → 0070 creates the analysis tables, empty, with the cache key unique', (t) => {
  const db = openLibraryDb(join(tempDir(t), 'lib.db'), { migrateUpTo: 50 });
  t.after(() => db.close());
  assert.equal(db.userVersion, 50);
  db.close();
  const migrated = openLibraryDb(db.path);
  t.after(() => migrated.close());
  assert.ok(migrated.userVersion >= 70);
  const tables = migrated.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'analys%' ORDER BY name").map((r) => r.name);
  assert.deepEqual(tables, ['analyses', 'analysis_display', 'analysis_models', 'analysis_queue']);
  const unique = migrated.all<{ name: string; unique: number }>("PRAGMA index_list('analyses')").filter((i) => i.unique === 1);
  assert.equal(unique.length, 1);
  const cols = migrated.all<{ name: string }>(`PRAGMA index_info('${unique[0]!.name}')`).map((c) => c.name);
  assert.deepEqual(cols, ['content_key', 'spec_version', 'model_version']);
  for (const table of tables) assert.equal(migrated.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`)!.n, 0);
});

test('stored arrays and pictures come back bit for bit; storing the same key again counts the repeat', (t) => {
  const db = libraryDb(t);
  registerModel(db, { modelVersion: 'm1', specVersion: 's1', architecture: 'pcnn', tags: [{ tag: 'piano', category: 'instrument', threshold: 0.5 }] });
  assert.equal(getModel(db, 'm1')?.tags[0]?.tag, 'piano');
  const key = { contentKey: 'fp', specVersion: 's1', modelVersion: 'm1' };
  const embedding = Float32Array.from({ length: 512 }, (_, i) => Math.fround(Math.sin(i) * 1e-3));
  const analysis = {
    ...key,
    backend: 'wasm',
    durationSec: 12.5,
    confidences: Float32Array.of(0.123456789),
    windowOffsets: Float32Array.of(1.5, 6),
    windowDurations: Float32Array.of(4.32, 4.32),
    windowProbabilities: Float32Array.of(0.1, 0.2),
    embedding,
    timing: { decodeMs: 3 },
  };
  const display = {
    logMel: { frames: 2, bands: 2, min: -1, max: 3, data: Uint8Array.of(0, 1, 254, 255), times: Float32Array.of(0.016, 0.048) },
    landscapes: { shape: [1, 1, 1, 1, 3], min: 0, max: 2.5, data: Uint8Array.of(9, 8, 7) },
  };
  const id = putAnalysis(db, analysis, display);
  const back = getAnalysis(db, key)!;
  assert.equal(back.id, id);
  assert.deepEqual(back.embedding, embedding);
  assert.deepEqual(back.confidences, Float32Array.of(0.123456789));
  assert.deepEqual(back.windowOffsets, Float32Array.of(1.5, 6));
  assert.equal(back.windows, 2);
  assert.equal(back.computedCount, 1);
  const bytes = db.get<{ n: number }>('SELECT length(embedding) AS n FROM analyses')!.n;
  assert.equal(bytes, 2048, 'a Float32 BLOB, not JSON');
  assert.deepEqual(getDisplay(db, id), display);
  assert.equal(putAnalysis(db, analysis, null), id);
  assert.equal(getAnalysis(db, key)!.computedCount, 2);
  assert.equal(getDisplay(db, id), undefined, 'storing without pictures drops stale ones');
});

test('the queue hands out present tracks in order, puts back released and interrupted ones, and keeps failures', (t) => {
  const db = libraryDb(t);
  const ids = addTracks(db, [trackRecord('/m/1.mp3'), trackRecord('/m/2.mp3'), trackRecord('/m/3.mp3'), trackRecord('/m/gone.mp3')]);
  for (const id of ids) putQueueEntry(db, id, { contentKey: `k${id}`, specVersion: 's', modelVersion: 'm' }, 'pending');
  markTracksMissing(db, [ids[3]!]);
  assert.equal(countClaimable(db), 3, 'a missing file is not handed out');
  const claimed = claimPending(db, 2);
  assert.deepEqual(claimed.map((c) => c.path), ['/m/1.mp3', '/m/2.mp3']);
  assert.deepEqual(claimed[0]!.key, { contentKey: `k${ids[0]}`, specVersion: 's', modelVersion: 'm' });
  releaseClaim(db, ids[0]!);
  markFailed(db, ids[1]!, { kind: 'decode-failed', message: 'bad' });
  assert.deepEqual(queueCounts(db), { pending: 3, running: 0, done: 0, failed: 1 });
  claimPending(db, 5);
  assert.equal(resetInterrupted(db), 2);
  assert.deepEqual(queueCounts(db), { pending: 3, running: 0, done: 0, failed: 1 });
});
