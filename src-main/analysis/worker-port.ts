// How the pool and a worker see each other: only as ports. The pool never knows whether a worker
// is a worker thread (plain Node: `betti analyze`, tests) or an Electron utility process (the app);
// each kind is one small module implementing these two interfaces.
//
// Implementing WorkerPort for Electron (src-main/app/, the only place that may import electron):
//   const child = utilityProcess.fork(<built worker entry>, [], { serviceName: 'betti-analysis', env });
//   postMessage(m)   → child.postMessage(m)            (structured clone, like worker_threads)
//   onMessage(l)     → child.on('message', l)
//   onExit(l)        → child.once('exit', (code) => l({ code, reason: killed ? 'killed' : code === 0 ? 'exited' : 'crashed' }))
//   kill()           → child.kill(), resolved on 'exit'
// and the child's entry wraps `process.parentPort` as a WorkerSidePort (parentPort.on('message',
// (e) => l(e.data)), parentPort.postMessage(m)) before calling serveAnalysis (worker-server.ts).
// The worker's start-up settings (WorkerInit) reach it through `workerData` for a thread and
// through the environment variable BETTI_WORKER_INIT (JSON) for a process.
import type { AnalysisMessage, AnalysisRequest } from './protocol.ts';

export interface WorkerExit {
  /** The exit code, when the worker ended by itself. */
  code: number | null;
  /** exited: it stopped after `shutdown`; crashed: it died on its own; killed: the pool stopped it. */
  reason: 'exited' | 'crashed' | 'killed';
  /** What killed it, when known (an uncaught error's message, an out-of-memory note). */
  message?: string;
}

/** The pool's end of one worker. */
export interface WorkerPort {
  postMessage(request: AnalysisRequest): void;
  /** Registers the listener for everything the worker sends (one listener; called once after spawn). */
  onMessage(listener: (message: unknown) => void): void;
  /** Registers the listener called once when the worker is gone, however it went. */
  onExit(listener: (exit: WorkerExit) => void): void;
  /** Stops the worker at once (it did not answer in time); resolves when it is gone. */
  kill(): Promise<void>;
}

/** Starts worker number `index` (0-based) of the pool. */
export type SpawnWorker = (index: number) => WorkerPort;

/** The worker's end: what worker-server.ts needs from its host. */
export interface WorkerSidePort {
  /** Sends a message; `transfer` lists buffers the message may move instead of copying. */
  postMessage(message: AnalysisMessage, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (request: unknown) => void): void;
  /** Lets the worker exit once nothing else keeps it alive. */
  close(): void;
}

/** What a worker needs to start: which model to load. Plain JSON. */
export interface WorkerInit {
  /** The model folder (default: the shipped model). */
  modelDir?: string;
  architecture?: 'pcnn' | 'fcn';
  backend?: 'tfjs-node' | 'wasm' | 'cpu';
}
