// Worker-thread entry of the scan's read pool (read-pool.ts): reads the files it is sent with
// readTrackFile and posts the records back. It holds no library state and never touches the
// database; every failure comes back as data, keyed by the job id.
import { isMainThread, parentPort } from 'node:worker_threads';
import { readTrackFile } from './read-track.ts';
import type { ReadJob, ReadPoolReply, ReadPoolRequest } from './read-pool-protocol.ts';
import type { TrackRecord } from './track.ts';
import { emptyAudio, emptyTags } from './track.ts';

if (isMainThread || !parentPort) throw new Error('read-worker.ts must run as a worker thread (see library/read-pool.ts)');
const port = parentPort;

async function readOne(job: ReadJob): Promise<TrackRecord> {
  try {
    return await readTrackFile(job.path, { stat: { size: job.size, mtimeMs: job.mtimeMs } });
  } catch (err) {
    // readTrackFile reports file problems as data; reaching this is a Betti bug, kept per file.
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
      error: { kind: 'internal', message: `${job.path}: reading failed unexpectedly: ${(err as Error).message}` },
    };
  }
}

port.on('message', (msg: ReadPoolRequest) => {
  if (msg.type === 'shutdown') {
    port.close();
    return;
  }
  void (async () => {
    const records = await Promise.all(msg.jobs.map(readOne));
    const reply: ReadPoolReply = { type: 'results', batchId: msg.batchId, records };
    port.postMessage(reply);
  })();
});
