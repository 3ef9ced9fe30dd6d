// The worker_threads implementation of both ends of a worker port (worker-port.ts describes the
// Electron utility-process one). Plain Node: `betti analyze`, `betti serve` and the tests.
import { isMainThread, parentPort, Worker } from 'node:worker_threads';
import type { AnalysisMessage, AnalysisRequest } from './protocol.ts';
import type { SpawnWorker, WorkerExit, WorkerInit, WorkerPort, WorkerSidePort } from './worker-port.ts';

/** The shipped worker entry. */
export const workerEntryUrl = new URL('./worker-entry.ts', import.meta.url);

export interface ThreadSpawnOptions {
  /** The worker script (default: worker-entry.ts); tests pass scripts that hang or crash on purpose. */
  script?: URL;
  init?: WorkerInit;
  /** Environment of the worker (default: a copy of this process's). */
  env?: NodeJS.ProcessEnv;
}

export function spawnWorkerThread(opts: ThreadSpawnOptions = {}): WorkerPort {
  const worker = new Worker(opts.script ?? workerEntryUrl, {
    workerData: opts.init ?? {},
    env: opts.env ?? process.env,
    // Worker output would interleave with the progress bar: whatever a library inside the worker
    // prints (a wasm decoder's complaints) becomes a debug log message instead.
    stdout: true,
    stderr: true,
  });
  let killed = false;
  let lastError: Error | undefined;
  let exited: Promise<void> | undefined;
  worker.on('error', (err) => {
    lastError = err;
  });
  return {
    postMessage(request: AnalysisRequest) {
      worker.postMessage(request);
    },
    onMessage(listener) {
      worker.on('message', listener);
      for (const stream of [worker.stdout, worker.stderr]) {
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => {
          for (const line of text.split('\n')) if (line.trim()) listener({ type: 'log', jobId: 0, level: 'debug', message: line });
        });
      }
    },
    onExit(listener) {
      exited = new Promise((resolve) => {
        worker.once('exit', (code) => {
          const exit: WorkerExit = { code, reason: killed ? 'killed' : code === 0 && !lastError ? 'exited' : 'crashed' };
          if (lastError) exit.message = lastError.message;
          listener(exit);
          resolve();
        });
      });
    },
    async kill() {
      killed = true;
      await worker.terminate();
      await exited;
    },
  };
}

/** A SpawnWorker that starts worker threads with the same options each time. */
export function workerThreads(opts: ThreadSpawnOptions = {}): SpawnWorker {
  return () => spawnWorkerThread(opts);
}

/** The worker's end, inside a worker thread; throws when called anywhere else. */
export function threadSidePort(): WorkerSidePort {
  if (isMainThread || !parentPort) throw new Error('The analysis worker must run as a worker thread (or behind a utility-process port).');
  const port = parentPort;
  return {
    postMessage(message: AnalysisMessage, transfer?: ArrayBuffer[]) {
      port.postMessage(message, transfer);
    },
    onMessage(listener) {
      port.on('message', listener);
    },
    close() {
      port.close();
    },
  };
}
