// Shared set-up for the analysis tests: a library database, track records as a scan would store
// them, and runs over the fake-model worker (fixtures/fake-worker.ts).
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { AnalysisPool } from '../../src-main/analysis/pool.ts';
import { AnalysisRun, type RunOptions, type RunProgress } from '../../src-main/analysis/run.ts';
import { workerThreads } from '../../src-main/analysis/worker-thread-port.ts';
import { openLibraryDb, type LibraryDb } from '../../src-main/library/db/open.ts';
import { upsertTrack } from '../../src-main/library/db/queries/tracks.ts';
import { emptyAudio, emptyTags, type TrackRecord } from '../../src-main/library/track.ts';
import { tempDir } from '../helpers/tmp.ts';

export const fakeWorker = new URL('./fixtures/fake-worker.ts', import.meta.url);

export function libraryDb(t: TestContext): LibraryDb {
  const db = openLibraryDb(join(tempDir(t, 'betti-analysis-'), 'library.db'));
  t.after(() => db.close());
  return db;
}

export function trackRecord(path: string, opts: { fingerprint?: string | null; genres?: string[]; native?: TrackRecord['raw']['native'] } = {}): TrackRecord {
  return {
    path,
    size: 1000,
    mtimeMs: 1_700_000_000_000,
    fingerprint: opts.fingerprint === undefined ? `fp-${path}` : opts.fingerprint,
    container: 'mp3',
    audio: { ...emptyAudio(), format: 'mp3', durationS: 30 },
    tags: { ...emptyTags(), genres: opts.genres ?? [] },
    raw: { common: {}, native: opts.native ?? {} },
    warnings: [],
    error: null,
  };
}

export function addTracks(db: LibraryDb, records: TrackRecord[]): number[] {
  return records.map((r) => upsertTrack(db, r));
}

export interface FakeRun {
  run: AnalysisRun;
  events: RunProgress[];
}

export function fakeRun(db: LibraryDb, opts: { jobs?: number; modelDir?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } & RunOptions = {}): FakeRun {
  const spawnOpts: Parameters<typeof workerThreads>[0] = { script: fakeWorker, init: opts.modelDir ? { modelDir: opts.modelDir } : {} };
  if (opts.env) spawnOpts.env = opts.env;
  const pool = new AnalysisPool({ size: opts.jobs ?? 2, spawn: workerThreads(spawnOpts), jobTimeoutMs: opts.timeoutMs ?? 10_000, graceMs: 500 });
  const events: RunProgress[] = [];
  const run = new AnalysisRun(db, pool, (p) => events.push(p), { progressIntervalMs: 50, ...opts });
  return { run, events };
}
