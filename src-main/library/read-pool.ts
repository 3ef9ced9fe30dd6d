// The scan's read pool: worker threads that run readTrackFile (music-metadata, fingerprint) so a
// large scan uses every core and the calling thread (the app's main process) only writes rows.
// The pool starts its workers at once and takes files as the walk finds them, so starting the
// workers (loading the reader) and reading overlap the walk. Each worker holds a few batches, so
// it never waits for the caller between batches. A batch holds files of one kind, and each kind
// stays with one worker where it can (read-queue.ts): a reader warms up per format. A worker that
// dies takes only its in-flight files with it: they come back as per-file errors and a fresh
// worker carries on.
import { Worker } from 'node:worker_threads';
import { encodeTrack, type EncodedTrack } from './db/queries/tracks.ts';
import type { ReadJob, ReadPoolReply, ReadPoolRequest } from './read-pool-protocol.ts';
import { GroupedReadQueue } from './read-queue.ts';
import { failedTrackRecord } from './track.ts';

export interface ReadPoolOptions {
  /** Most worker threads. */
  workers: number;
  /** The worker script (default: read-worker-entry.js beside this module; the desktop app passes its bundle, as src-main is not shipped). */
  script?: URL;
  /**
   * Files queued per worker before one more starts (default 1000): a worker's start-up (loading
   * the reader, then warming it up) costs about as much as reading a few hundred small files, so
   * a small scan is read by one worker and a large one by all of them.
   */
  filesPerWorker?: number;
  /**
   * Bytes queued per worker before one more starts, whatever the file count (default 128 MiB). A
   * file's cost grows with its length (Ogg pages, MP4 sample tables), so a few dozen albums of
   * real-sized files are worth a second worker long before 1,000 files are: on one thread here,
   * a one-second file took about 0.25 ms and a three-minute one (4 MB on average) about 2.2 ms,
   * so a start-up's worth of reading is some 45 such files, about 180 MB.
   */
  bytesPerWorker?: number;
  /** Files per message. */
  batchSize?: number;
  signal?: AbortSignal;
}

export interface ReadPool {
  /** Queues one more file; its record comes to `onRecord` on this thread. */
  add(job: ReadJob): void;
  /**
   * Says no more files will come. Resolves when every queued file has its record, or when the
   * signal aborted and the batches in flight are back; the workers are then stopped. Rejects if
   * `onRecord` threw.
   */
  finish(): Promise<void>;
  /** Stops the workers now, dropping what is in flight; finish() then resolves. For a caller that failed. */
  stop(): void;
  /** Worker threads running now: one at first, more as the queue grows (see filesPerWorker, bytesPerWorker). */
  readonly workers: number;
}

/** Batches each worker holds at once: one being read, the rest queued behind it. */
const IN_FLIGHT_PER_WORKER = 3;
const MAX_RESPAWNS = 3;

function crashedRecord(job: ReadJob, why: string): EncodedTrack {
  return encodeTrack(failedTrackRecord(job, { kind: 'internal', message: `${job.path}: the reader stopped while reading this file (${why}); scan again to retry it` }));
}

/** Starts a pool of worker threads (up to `opts.workers`, as the queue grows) that read the files `add`ed, in batches, in no particular order. */
export function startReadPool(opts: ReadPoolOptions, onRecord: (job: ReadJob, record: EncodedTrack) => void): ReadPool {
  const batchSize = Math.max(1, opts.batchSize ?? 16);
  const workerUrl = opts.script ?? new URL('./read-worker-entry.js', import.meta.url);
  const queue = new GroupedReadQueue<Worker>();
  let batchSeq = 0;
  let respawns = 0;
  let ended = false;
  let failed = false;
  let settled = false;
  const inFlight = new Map<Worker, Map<number, ReadJob[]>>();
  let resolveDone!: () => void;
  let rejectDone!: (err: unknown) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  done.catch(() => undefined); // the caller sees the rejection through finish()

  let halted = false; // stop() was called
  const stopped = () => failed || halted || opts.signal?.aborted === true;

  const stopWorkers = () => {
    for (const w of inFlight.keys()) void w.terminate();
    inFlight.clear();
  };

  const fail = (err: unknown) => {
    failed = true;
    stopWorkers();
    if (!settled) {
      settled = true;
      rejectDone(err);
    }
  };

  const deliver = (job: ReadJob, record: EncodedTrack): boolean => {
    try {
      onRecord(job, record);
      return true;
    } catch (err) {
      fail(err);
      return false;
    }
  };

  const finishIfDone = () => {
    if (!ended || settled) return;
    for (const batches of inFlight.values()) if (batches.size > 0) return;
    if (queue.waiting > 0 && !stopped()) return;
    settled = true;
    stopWorkers();
    resolveDone();
  };

  const dispatch = (w: Worker) => {
    const batches = inFlight.get(w);
    if (!batches) return;
    // A partial batch goes out only once no more files will come.
    while (batches.size < IN_FLIGHT_PER_WORKER && !stopped()) {
      const batch = queue.take(w, batchSize, ended);
      if (!batch) break;
      const batchId = batchSeq++;
      batches.set(batchId, batch);
      const msg: ReadPoolRequest = { type: 'read', batchId, jobs: batch };
      w.postMessage(msg);
    }
  };
  const dispatchAll = () => {
    for (const w of inFlight.keys()) dispatch(w);
  };

  const spawn = (): Worker => {
    // A larger young generation: a parse leaves only short-lived garbage, and with V8's default
    // nursery a reader spends about a tenth of its time in scavenges (bench/scan).
    const w = new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: 64 } });
    inFlight.set(w, new Map());
    w.on('message', (reply: ReadPoolReply) => {
      const batches = inFlight.get(w);
      const batch = batches?.get(reply.batchId);
      if (!batches || !batch) return;
      batches.delete(reply.batchId);
      for (let i = 0; i < batch.length; i++) if (!deliver(batch[i]!, reply.records[i]!)) return;
      dispatch(w);
      finishIfDone();
    });
    const lost = (why: string) => {
      const batches = inFlight.get(w);
      if (!batches) return; // terminated on purpose
      inFlight.delete(w);
      queue.release(w);
      for (const batch of batches.values()) for (const job of batch) if (!deliver(job, crashedRecord(job, why))) return;
      const moreToRead = queue.waiting > 0 || !ended;
      if (moreToRead && !stopped() && respawns < MAX_RESPAWNS) {
        respawns += 1;
        dispatch(spawn());
      } else if (inFlight.size === 0 && !stopped()) {
        // Workers keep dying: report what is left (and what comes later) rather than loop.
        deadWhy = why;
        drainDead();
      }
      finishIfDone();
    };
    w.on('error', (err) => lost(err.message));
    w.on('exit', (code) => lost(`worker exited with code ${code}`));
    return w;
  };

  let deadWhy: string | undefined;
  const drainDead = () => {
    while (deadWhy !== undefined && queue.waiting > 0) {
      const job = queue.takeOne()!;
      if (!deliver(job, crashedRecord(job, deadWhy))) return;
    }
  };

  const maxWorkers = Math.max(1, opts.workers);
  const filesPerWorker = Math.max(1, opts.filesPerWorker ?? 1000);
  const bytesPerWorker = Math.max(1, opts.bytesPerWorker ?? 128 * 1024 * 1024);
  let spawned = 0; // workers started for the queue's size (respawns not counted)
  const worthAnother = () => spawned === 0 || queue.added >= spawned * filesPerWorker || queue.addedBytes >= spawned * bytesPerWorker;
  const growWithQueue = () => {
    while (spawned < maxWorkers && !stopped() && deadWhy === undefined && worthAnother()) {
      spawned += 1;
      dispatch(spawn());
    }
  };
  growWithQueue();
  const onAbort = () => finishIfDone();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  void done.finally(() => opts.signal?.removeEventListener('abort', onAbort)).catch(() => undefined);

  return {
    add(job) {
      if (ended) throw new Error('ReadPool.add after finish'); // a Betti bug, not a file problem
      queue.add(job);
      if (deadWhy !== undefined) {
        drainDead();
        return;
      }
      growWithQueue();
      if (queue.waiting >= batchSize) dispatchAll();
    },
    finish() {
      ended = true;
      if (deadWhy !== undefined) drainDead();
      else dispatchAll();
      finishIfDone();
      return done;
    },
    stop() {
      halted = true;
      stopWorkers();
      if (!settled) {
        settled = true;
        resolveDone();
      }
    },
    get workers() {
      return inFlight.size;
    },
  };
}
