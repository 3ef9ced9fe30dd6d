import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeTrack, type EncodedTrack } from '../../src-main/library/db/queries/tracks.ts';
import type { ReadJob } from '../../src-main/library/read-pool-protocol.ts';
import { startReadPool } from '../../src-main/library/read-pool.ts';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { copy, encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the scan read pool', () => {
  const dir = tempDir({ after }, 'betti-read-pool-');
  const jobs: ReadJob[] = [];
  before(() => {
    const sources = (['mp3', 'flac', 'ogg'] as const).map((k, i) => encode(dir, `src${i}`, fixtureFormats[k]!, { seconds: 0.3, metadata: { title: `Piece ${i}` } }));
    for (let i = 0; i < 45; i++) {
      const src = sources[i % 3]!;
      const path = join(dir, `f${String(i).padStart(2, '0')}${src.slice(src.lastIndexOf('.'))}`);
      copy(src, path);
      const st = statSync(path);
      jobs.push({ path, size: st.size, mtimeMs: st.mtimeMs });
    }
  });

  it('reads every file added, once, exactly as the calling thread reads it, starting workers as the queue grows', async () => {
    const got = new Map<string, EncodedTrack>();
    const pool = startReadPool({ workers: 3, filesPerWorker: 10, batchSize: 4 }, (job, record) => {
      assert.ok(!got.has(job.path), `${job.path} came back twice`);
      assert.equal(record.path, job.path);
      got.set(job.path, record);
    });
    const gone = { path: join(dir, 'deleted meanwhile.mp3'), size: 100, mtimeMs: 1 };
    const workersAt = new Map<number, number>();
    [...jobs, gone].forEach((job, i) => {
      pool.add(job);
      workersAt.set(i + 1, pool.workers);
    });
    assert.deepEqual([workersAt.get(1), workersAt.get(9), workersAt.get(10), workersAt.get(20), workersAt.get(46)], [1, 1, 2, 3, 3]);
    await pool.finish();
    assert.equal(pool.workers, 0, 'stopped once done');
    assert.equal(got.size, jobs.length + 1);
    for (const job of jobs.slice(0, 6)) {
      assert.deepEqual(got.get(job.path), encodeTrack(await readTrackFile(job.path, { stat: job })), job.path);
    }
    assert.equal(got.get(gone.path)!.error?.code, 'ENOENT');
  });

  it('starts another worker for a few large files as it would for many small ones', async () => {
    const got: string[] = [];
    const pool = startReadPool({ workers: 2, filesPerWorker: 1000, bytesPerWorker: 3 * 1024 * 1024, batchSize: 4 }, (job) => got.push(job.path));
    // The walk's sizes are what counts: three files said to be 1.5 MB each (their records still come from the real files).
    const large = jobs.slice(0, 3).map((j) => ({ ...j, size: 1.5 * 1024 * 1024 }));
    pool.add(large[0]!);
    assert.equal(pool.workers, 1);
    pool.add(large[1]!);
    assert.equal(pool.workers, 2, 'two files of 1.5 MB fill the first worker’s 3 MB');
    pool.add(large[2]!);
    await pool.finish();
    assert.deepEqual(got.sort(), large.map((j) => j.path).sort());
  });

  it('stops after the batches in flight when the scan is cancelled', async () => {
    const controller = new AbortController();
    let records = 0;
    const pool = startReadPool({ workers: 1, batchSize: 2, signal: controller.signal }, () => {
      if (++records === 1) controller.abort();
    });
    for (const job of jobs) pool.add(job);
    await pool.finish();
    assert.ok(records >= 1 && records < jobs.length, `some but not all files were read (${records})`);
  });

  it('stops its workers at once when the caller gives up', async () => {
    let records = 0;
    const pool = startReadPool({ workers: 2, filesPerWorker: 5, batchSize: 3 }, () => {
      records += 1;
    });
    for (const job of jobs) pool.add(job);
    assert.equal(pool.workers, 2);
    pool.stop();
    assert.equal(pool.workers, 0);
    await pool.finish();
    assert.ok(records < jobs.length, `not every file was read (${records})`);
  });

  it('rejects, and stops its workers, when taking a record fails', async () => {
    const pool = startReadPool({ workers: 2, filesPerWorker: 5, batchSize: 3 }, () => {
      throw new Error('the database is gone');
    });
    for (const job of jobs) pool.add(job);
    await assert.rejects(pool.finish(), /the database is gone/);
  });
});
