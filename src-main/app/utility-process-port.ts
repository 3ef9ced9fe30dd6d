// Both ends of an analysis worker running as an Electron utility process (the desktop app's
// workers; analysis/worker-thread-port.ts is the worker-thread twin for the CLI and `betti
// serve`). The pool sees the same WorkerPort either way. Electron is not imported here: the
// parent end takes `utilityProcess` as an argument (the app passes Electron's, tests a fake that
// forks a Node child), and the child end takes `process.parentPort`.
import type { AnalysisMessage, AnalysisRequest } from '../analysis/protocol.ts';
import type { SpawnWorker, WorkerExit, WorkerInit, WorkerPort, WorkerSidePort } from '../analysis/worker-port.ts';

/** The environment variable carrying the worker's WorkerInit (JSON) into the child. */
export const WORKER_INIT_ENV = 'BETTI_WORKER_INIT';

/** What the parent end uses of a forked child: a structural subset of Electron's UtilityProcess. */
export interface UtilityChild {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'error', listener: (type: string, location: string, report: string) => void): unknown;
  once(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
  readonly stdout: NodeJS.ReadableStream | null;
  readonly stderr: NodeJS.ReadableStream | null;
}

/** Electron's `utilityProcess` module, as far as the pool needs it. */
export interface UtilityProcessModule {
  fork(modulePath: string, args?: string[], options?: { env?: Record<string, string>; serviceName?: string; stdio?: 'pipe' | 'inherit' | 'ignore' }): UtilityChild;
}

export interface UtilitySpawnOptions {
  utilityProcess: UtilityProcessModule;
  /** The bundled child entry (out/main/analysis-worker.js, see bundle-layout.ts). */
  entry: string;
  init?: WorkerInit;
  /** Environment of the child (default: a copy of this process's). */
  env?: NodeJS.ProcessEnv;
}

/** The child's environment: the parent's (minus unset entries) plus the serialised WorkerInit. */
export function childEnv(env: NodeJS.ProcessEnv, init: WorkerInit): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  out[WORKER_INIT_ENV] = JSON.stringify(init);
  return out;
}

export function spawnUtilityProcess(opts: UtilitySpawnOptions, index: number): WorkerPort {
  const child = opts.utilityProcess.fork(opts.entry, [], {
    env: childEnv(opts.env ?? process.env, opts.init ?? {}),
    serviceName: `betti-analysis-${index}`,
    // Piped, not inherited: what a library prints inside the worker becomes a debug log message
    // instead of interleaving with the app's own output.
    stdio: 'pipe',
  });
  let killed = false;
  let fatal: string | undefined;
  let exited: Promise<void> | undefined;
  child.on('error', (type, location) => {
    fatal = `${type} at ${location}`;
  });
  return {
    postMessage(request: AnalysisRequest) {
      child.postMessage(request);
    },
    onMessage(listener) {
      child.on('message', listener);
      for (const stream of [child.stdout, child.stderr]) {
        if (!stream) continue;
        stream.setEncoding('utf8');
        stream.on('data', (text: string) => {
          for (const line of text.split('\n')) if (line.trim()) listener({ type: 'log', jobId: 0, level: 'debug', message: line });
        });
      }
    },
    onExit(listener) {
      exited = new Promise((resolve) => {
        child.once('exit', (code) => {
          const exit: WorkerExit = { code, reason: killed ? 'killed' : code === 0 && !fatal ? 'exited' : 'crashed' };
          if (fatal) exit.message = fatal;
          listener(exit);
          resolve();
        });
      });
    },
    async kill() {
      killed = true;
      // false: the child is already gone (its 'exit' has fired or is about to).
      child.kill();
      await exited;
    },
  };
}

/** A SpawnWorker that starts utility processes with the same options each time. */
export function utilityProcesses(opts: UtilitySpawnOptions): SpawnWorker {
  return (index) => spawnUtilityProcess(opts, index);
}

/** The child's view of its parent: Electron's `process.parentPort`. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  removeAllListeners(event: 'message'): unknown;
  postMessage(message: unknown): void;
}

/** How long a closing child waits for its last messages to leave before it exits. */
export const EXIT_GRACE_MS = 100;

/**
 * The worker's end inside a utility process. Unlike a worker thread, a utility process does not
 * end when its event loop empties (its parent port keeps it), so close() exits the process, after
 * a moment for the messages already posted (the start failure, the last log) to leave.
 */
export function utilitySidePort(parentPort: ParentPortLike, exit: (code: number) => void = (code) => process.exit(code)): WorkerSidePort {
  return {
    // parentPort.postMessage takes no transfer list: the typed arrays are copied, which costs
    // little next to an analysis.
    postMessage(message: AnalysisMessage) {
      parentPort.postMessage(message);
    },
    onMessage(listener) {
      parentPort.on('message', (event) => listener(event.data));
    },
    close() {
      parentPort.removeAllListeners('message');
      setTimeout(() => exit(0), EXIT_GRACE_MS);
    },
  };
}

/** The WorkerInit the parent put in the environment; a malformed value is an error naming the variable. */
export function workerInitFromEnv(env: NodeJS.ProcessEnv): unknown {
  const raw = env[WORKER_INIT_ENV];
  if (raw === undefined || raw === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch (err) {
    throw new Error(`${WORKER_INIT_ENV} is not valid JSON (${(err as Error).message})`, { cause: err });
  }
}
