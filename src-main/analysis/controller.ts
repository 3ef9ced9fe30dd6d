// The one analysis run a Betti process may have at a time, behind the analysis.* API: starts a
// run (a pool of workers + AnalysisRun), forwards pause/resume/cancel, and answers status for the
// current run or the last one. The app passes a SpawnWorker for Electron utility processes; the
// CLI, `betti serve` and tests get worker threads.
import { availableParallelism } from 'node:os';
import { BettiError } from '../api/errors.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { queueCounts } from '../library/db/queries/analysis.ts';
import { AnalysisPool } from './pool.ts';
import type { SpawnWorker } from './worker-port.ts';
import { AnalysisRun, type RunProgress, type RunStatus } from './run.ts';
import { workerThreads } from './worker-thread-port.ts';

export interface StartOptions {
  jobs?: number;
  timeoutSec: number;
  retryFailed: boolean;
  pictures: boolean;
  maxWindows?: number;
}

export type ControllerStatus = Omit<RunStatus, 'state'> & {
  state: RunStatus['state'] | 'idle';
  library: ReturnType<typeof queueCounts>;
};

/** Default pool size: every core but one for the rest of the machine (the UI, the main process), at least 1. */
export function defaultJobs(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

export interface ControllerDeps {
  db: () => LibraryDb;
  onProgress: (p: RunProgress) => void;
  /** How workers are started (default: worker threads running worker-entry.ts with the shipped model). */
  spawn?: SpawnWorker;
  /** Pool and run notes (worker restarts, timeouts); default: stderr when BETTI_DEBUG is set. */
  onLog?: (level: 'debug' | 'info' | 'warn' | 'error', message: string) => void;
}

const debugLog = (level: string, message: string) => {
  if (process.env.BETTI_DEBUG) process.stderr.write(`betti analysis ${level}: ${message}\n`);
};

export class AnalysisController {
  readonly #deps: ControllerDeps;
  #run: AnalysisRun | undefined;
  #finished: Promise<RunStatus> | undefined;

  constructor(deps: ControllerDeps) {
    this.#deps = deps;
  }

  /** Starts a run and returns once its queue is planned; the run goes on in the background. */
  async start(opts: StartOptions): Promise<ControllerStatus> {
    const state = this.#run?.state;
    if (state === 'starting' || state === 'running' || state === 'paused') {
      throw new BettiError('busy', 'An analysis is already running.', { hint: 'Pause, resume or cancel it (analysis.cancel, Ctrl+C in `betti analyze`), or wait for it to finish.' });
    }
    const db = this.#deps.db();
    const spawn = this.#deps.spawn ?? workerThreads();
    const pool = new AnalysisPool({ size: opts.jobs ?? defaultJobs(), spawn, jobTimeoutMs: opts.timeoutSec * 1000, onLog: this.#deps.onLog ?? debugLog });
    const run = new AnalysisRun(db, pool, this.#deps.onProgress, {
      display: opts.pictures,
      retryFailed: opts.retryFailed,
      ...(opts.maxWindows === undefined ? {} : { maxWindows: opts.maxWindows }),
    });
    this.#run = run;
    this.#finished = undefined;
    await run.prepare(); // rejects when no worker can load the model
    this.#finished = run.execute();
    // Failures inside a run are recorded per track; this only keeps an unexpected rejection from going unhandled.
    this.#finished.catch((err: unknown) => debugLog('error', `the analysis run stopped: ${(err as Error).stack ?? String(err)}`));
    return this.status();
  }

  pause(): ControllerStatus {
    this.#run?.pause();
    return this.status();
  }

  resume(): ControllerStatus {
    this.#run?.resume();
    return this.status();
  }

  cancel(): ControllerStatus {
    this.#run?.cancel();
    return this.status();
  }

  /** Resolves when the current run has ended (at once when there is none). */
  async finished(): Promise<ControllerStatus> {
    await this.#finished?.catch(() => undefined);
    return this.status();
  }

  status(): ControllerStatus {
    const library = queueCounts(this.#deps.db());
    if (this.#run) return { ...this.#run.status(), library };
    return {
      done: 0,
      total: 0,
      tracksPerSec: 0,
      etaSec: null,
      current: null,
      errors: 0,
      state: 'idle',
      analysed: 0,
      cached: 0,
      upToDate: 0,
      resumed: 0,
      elapsedSec: 0,
      jobs: 0,
      workerRestarts: 0,
      failures: [],
      model: null,
      workers: [],
      error: null,
      library,
    };
  }
}
