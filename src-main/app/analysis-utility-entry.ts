// Entry of an analysis worker running as an Electron utility process (bundled to
// out/main/analysis-worker.js by scripts/build-app.js). Thin: wraps `process.parentPort` as the
// worker's port and starts the same worker as a thread would (analysis/worker-start.ts), with the
// settings the parent put in BETTI_WORKER_INIT. tfjs picks tfjs-node when installed, else wasm.
import { reportStartFailure } from '../analysis/worker-server.ts';
import { startAnalysisWorker, workerInitOf } from '../analysis/worker-start.ts';
import { utilitySidePort, workerInitFromEnv, type ParentPortLike } from './utility-process-port.ts';

const parentPort = (process as { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) throw new Error('The analysis utility entry must run as an Electron utility process (process.parentPort is missing).');
const port = utilitySidePort(parentPort);
let init: unknown;
try {
  init = workerInitFromEnv(process.env);
} catch (err) {
  reportStartFailure(port, err);
}
if (init !== undefined) await startAnalysisWorker(port, workerInitOf(init));
