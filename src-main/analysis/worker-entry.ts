// Entry of an analysis worker thread (thin, ../shared/STYLE.md §1): checks it runs as a worker
// thread, then starts the worker (worker-start.ts) with the settings from workerData.
import { workerData } from 'node:worker_threads';
import { startAnalysisWorker, workerInitOf } from './worker-start.ts';
import { threadSidePort } from './worker-thread-port.ts';

const port = threadSidePort(); // throws "must run as a worker thread" anywhere else
await startAnalysisWorker(port, workerInitOf(workerData));
