// Worker-thread entry of the scan's read pool (read-pool.ts): reads the files it is sent with
// readTrackFile and posts the records back, encoded as table columns. It holds no library state
// and never touches the database; every failure comes back as data, keyed by the job id.
import { isMainThread, parentPort } from 'node:worker_threads';
import { encodeTrack, type EncodedTrack } from './db/queries/tracks.ts';
import type { ReadJob, ReadPoolReply, ReadPoolRequest } from './read-pool-protocol.ts';
import { loadTagReader, readTrackFile } from './read-track.ts';
import { failedTrackRecord } from './track.ts';

if (isMainThread || !parentPort) throw new Error('read-worker.ts must run as a worker thread (see library/read-pool.ts)');
const port = parentPort;

// The tag reader loads while the first batch is on its way (the pool starts workers during the
// walk). A failure to load it is reported by each file's read, so it is not reported here.
const ready = loadTagReader().catch(() => undefined);

async function readOne(job: ReadJob): Promise<EncodedTrack> {
  try {
    // Blocking reads: this thread does nothing else, and they are several times faster here.
    return encodeTrack(await readTrackFile(job.path, { stat: { size: job.size, mtimeMs: job.mtimeMs }, blockingReads: true }));
  } catch (err) {
    // readTrackFile reports file problems as data; reaching this is a Betti bug, kept per file.
    return encodeTrack(failedTrackRecord(job, { kind: 'internal', message: `${job.path}: reading failed unexpectedly: ${(err as Error).message}` }));
  }
}

port.on('message', (msg: ReadPoolRequest) => {
  if (msg.type === 'shutdown') {
    port.close();
    return;
  }
  void (async () => {
    await ready;
    // The files of a batch are read at once so the waits of large files (async reads) overlap.
    const records = await Promise.all(msg.jobs.map(readOne));
    const reply: ReadPoolReply = { type: 'results', batchId: msg.batchId, records };
    port.postMessage(reply);
  })();
});
