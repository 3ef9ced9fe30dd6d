// The worker's side of the protocol: takes requests from its port one job at a time, runs the
// track analysis it was given, and answers with a result or an error for that jobId. It holds no
// library state (DESIGN.md "Workers are pure"): a path in, features and predictions out.
import { toWireError } from '../api/errors.ts';
import type { AnalysisStage, AnalyzeOptions, ModelIdentity, TrackAnalysis, WorkerMemory } from './protocol.ts';
import { isAnalysisRequest } from './protocol.ts';
import type { WorkerSidePort } from './worker-port.ts';

export interface AnalyseContext {
  signal: AbortSignal;
  /** Reports a stage reached (sent to the pool as a `progress` message). */
  stage(stage: AnalysisStage): void;
}

export type AnalyseTrack = (path: string, options: AnalyzeOptions, ctx: AnalyseContext) => Promise<TrackAnalysis>;

export interface AnalysisServer {
  identity: ModelIdentity;
  analyse: AnalyseTrack;
  memory(): WorkerMemory;
  /** Releases the model (called on shutdown). */
  dispose(): void | Promise<void>;
}

/**
 * TEST-ONLY hook: when BETTI_TEST_HANG_PATTERN is set and a job's path contains it, the worker
 * blocks its thread before decoding, as a decoder stuck in native code would: it answers nothing,
 * not even `cancel`, until the pool kills it. Lets tests check the pool's timeout on a real worker.
 */
function hangIfTestAsks(path: string): void {
  const pattern = process.env.BETTI_TEST_HANG_PATTERN;
  if (!pattern || !path.includes(pattern)) return;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

function buffersOf(a: TrackAnalysis): ArrayBuffer[] {
  const arrays: ArrayBufferView[] = [a.confidences, a.windowOffsets, a.windowDurations, a.windowProbabilities, a.embedding];
  if (a.display) arrays.push(a.display.logMel.data, a.display.logMelTimes, a.display.landscapes.data);
  const out = new Set<ArrayBuffer>();
  for (const v of arrays) if (v.buffer instanceof ArrayBuffer) out.add(v.buffer);
  return [...out];
}

/** Serves analysis requests on `port` until `shutdown`. The caller has already loaded the model. */
export function serveAnalysis(port: WorkerSidePort, server: AnalysisServer): void {
  const queue: { jobId: number; path: string; options: AnalyzeOptions }[] = [];
  let current: { jobId: number; abort: AbortController } | undefined;
  let stopping = false;

  const log = (jobId: number, level: 'debug' | 'info' | 'warn' | 'error', message: string) => port.postMessage({ type: 'log', jobId, level, message });

  const next = async (): Promise<void> => {
    if (current || stopping) return;
    const job = queue.shift();
    if (!job) return;
    const abort = new AbortController();
    current = { jobId: job.jobId, abort };
    try {
      port.postMessage({ type: 'progress', jobId: job.jobId, stage: 'started' });
      hangIfTestAsks(job.path);
      const analysis = await server.analyse(job.path, job.options, {
        signal: abort.signal,
        stage: (stage) => port.postMessage({ type: 'progress', jobId: job.jobId, stage }),
      });
      port.postMessage({ type: 'result', jobId: job.jobId, analysis, memory: server.memory() }, buffersOf(analysis));
    } catch (err) {
      const error = abort.signal.aborted ? { kind: 'cancelled' as const, message: `analysis of ${job.path} was cancelled`, path: job.path } : toWireError(err);
      error.path ??= job.path;
      port.postMessage({ type: 'error', jobId: job.jobId, error });
    } finally {
      current = undefined;
    }
    void next();
  };

  const shutdown = async (): Promise<void> => {
    stopping = true;
    current?.abort.abort();
    try {
      await server.dispose();
    } catch (err) {
      log(0, 'warn', `releasing the model failed: ${(err as Error).message}`);
    }
    port.close();
  };

  port.onMessage((raw) => {
    if (!isAnalysisRequest(raw)) {
      log(0, 'error', `ignored a malformed request: ${JSON.stringify(raw)?.slice(0, 200)}`);
      return;
    }
    switch (raw.type) {
      case 'analyze':
        queue.push({ jobId: raw.jobId, path: raw.path, options: raw.options });
        void next();
        return;
      case 'cancel': {
        if (current?.jobId === raw.jobId) {
          current.abort.abort();
          return;
        }
        const i = queue.findIndex((j) => j.jobId === raw.jobId);
        if (i >= 0) {
          const [job] = queue.splice(i, 1);
          port.postMessage({ type: 'error', jobId: raw.jobId, error: { kind: 'cancelled', message: `analysis of ${job!.path} was cancelled`, path: job!.path } });
        }
        return;
      }
      case 'shutdown':
        void shutdown();
        return;
    }
  });
  port.postMessage({ type: 'ready', jobId: 0, model: server.identity });
}

/** Tells the pool the worker could not start (the model did not load), then lets it exit. */
export function reportStartFailure(port: WorkerSidePort, err: unknown): void {
  port.postMessage({ type: 'error', jobId: 0, error: toWireError(err) });
  port.close();
}
