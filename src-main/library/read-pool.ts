// The scan's read pool: worker threads that run readTrackFile (music-metadata, fingerprint) so a
// large scan uses every core and the calling thread (the app's main process) only writes rows.
// Each worker holds at most two batches, so it never waits for the caller between batches.
// A worker that dies takes only its in-flight files with it: they come back as per-file errors
// and a fresh worker carries on.
import { Worker } from 'node:worker_threads';
import type { ReadJob, ReadPoolReply, ReadPoolRequest } from './read-pool-protocol.ts';
import { emptyAudio, emptyTags, type TrackRecord } from './track.ts';

export interface ReadPoolOptions {
  workers: number;
  /** Files per message. */
  batchSize?: number;
  signal?: AbortSignal;
}

const IN_FLIGHT_PER_WORKER = 2;
const MAX_RESPAWNS = 3;

function crashedRecord(job: ReadJob, why: string): TrackRecord {
  return {
    path: job.path,
    size: job.size,
    mtimeMs: job.mtimeMs,
    fingerprint: null,
    container: 'unknown',
    audio: emptyAudio(),
    tags: emptyTags(),
    raw: { common: {}, native: {} },
    warnings: [],
    error: { kind: 'internal', message: `${job.path}: the reader stopped while reading this file (${why}); scan again to retry it` },
  };
}

/**
 * Reads every job in worker threads and calls `onRecord` on this thread for each record as it
 * arrives (in no particular order). Resolves when all are done, or when the signal aborts and the
 * batches in flight are back. Rejects if `onRecord` throws.
 */
export function readInWorkers(jobs: readonly ReadJob[], opts: ReadPoolOptions, onRecord: (job: ReadJob, record: TrackRecord) => void): Promise<void> {
  const batchSize = Math.max(1, opts.batchSize ?? 16);
  const workerUrl = new URL('./read-worker.ts', import.meta.url);
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let batchSeq = 0;
    let respawns = 0;
    let failed = false;
    const inFlight = new Map<Worker, Map<number, ReadJob[]>>();

    const finishIfDone = () => {
      for (const batches of inFlight.values()) if (batches.size > 0) return;
      if (next < jobs.length && !opts.signal?.aborted && !failed) return;
      for (const w of inFlight.keys()) void w.terminate();
      inFlight.clear();
      resolve();
    };

    const dispatch = (w: Worker) => {
      const batches = inFlight.get(w);
      if (!batches) return;
      while (batches.size < IN_FLIGHT_PER_WORKER && next < jobs.length && !opts.signal?.aborted && !failed) {
        const batch = jobs.slice(next, next + batchSize);
        next += batch.length;
        const batchId = batchSeq++;
        batches.set(batchId, batch);
        const msg: ReadPoolRequest = { type: 'read', batchId, jobs: batch };
        w.postMessage(msg);
      }
    };

    const spawn = () => {
      const w = new Worker(workerUrl);
      inFlight.set(w, new Map());
      w.on('message', (reply: ReadPoolReply) => {
        const batches = inFlight.get(w);
        const batch = batches?.get(reply.batchId);
        if (!batches || !batch) return;
        batches.delete(reply.batchId);
        try {
          reply.records.forEach((record, i) => onRecord(batch[i]!, record));
        } catch (err) {
          failed = true;
          for (const other of inFlight.keys()) void other.terminate();
          inFlight.clear();
          reject(err);
          return;
        }
        dispatch(w);
        finishIfDone();
      });
      const lost = (why: string) => {
        const batches = inFlight.get(w);
        if (!batches) return; // terminated on purpose
        inFlight.delete(w);
        try {
          for (const batch of batches.values()) for (const job of batch) onRecord(job, crashedRecord(job, why));
        } catch (err) {
          failed = true;
          reject(err);
          return;
        }
        if (next < jobs.length && !opts.signal?.aborted && respawns < MAX_RESPAWNS) {
          respawns += 1;
          dispatch(spawn());
        } else if (inFlight.size === 0 && next < jobs.length && !opts.signal?.aborted) {
          // Workers keep dying: report what is left rather than loop.
          for (const job of jobs.slice(next)) onRecord(job, crashedRecord(job, why));
          next = jobs.length;
        }
        finishIfDone();
      };
      w.on('error', (err) => lost(err.message));
      w.on('exit', (code) => lost(`worker exited with code ${code}`));
      return w;
    };

    const count = Math.max(1, Math.min(opts.workers, Math.ceil(jobs.length / batchSize)));
    for (let i = 0; i < count; i++) dispatch(spawn());
    opts.signal?.addEventListener('abort', finishIfDone, { once: true });
    finishIfDone();
  });
}
