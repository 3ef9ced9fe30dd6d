// The protocol between the analysis pool (main side) and an analysis worker (../shared/STYLE.md §2):
// requests and messages are discriminated unions, every one keyed by a jobId, so the same protocol
// runs over a worker_threads port, an Electron utility process's parentPort or anything else that
// carries structured-cloneable values. Logs and errors travel as data; a worker never prints.
//
// jobId 0 names the worker itself: its `ready` announcement, a failure to load the model, logs
// that belong to no job, and `shutdown`.
import type { WireError } from '../api/errors.ts';
import type { ModelTag } from '../model/model-files.ts';

/** What a worker loaded: the cache key's versions, and the tags its outputs are ordered by. */
export interface ModelIdentity {
  modelVersion: string;
  specVersion: string;
  architecture: string;
  /** The tfjs backend actually in use (tfjs-node, wasm, cpu). */
  backend: string;
  tags: ModelTag[];
}

export interface AnalyzeOptions {
  /** Compute the inspector's pictures (log-mel, landscapes) too. */
  display: boolean;
  /** At most this many windows (default: the window plan's own count). */
  maxWindows?: number;
}

export type AnalysisRequest =
  | { type: 'analyze'; jobId: number; path: string; options: AnalyzeOptions }
  /** Stop that job as soon as possible; the worker answers with an `error` of kind `cancelled` (or the result, if it was done). */
  | { type: 'cancel'; jobId: number }
  /** Release the model and exit. */
  | { type: 'shutdown'; jobId: 0 };

/** Values quantised to bytes: value = min + byte / 255 · (max − min). Shape is row-major. */
export interface QuantizedArray {
  shape: number[];
  min: number;
  max: number;
  data: Uint8Array;
}

/** What the inspector draws, at display resolution. */
export interface DisplayData {
  /** Log-mel, frames × bands. */
  logMel: QuantizedArray;
  /** Time in the track (seconds) of each log-mel frame (the analysed windows, not the whole track). */
  logMelTimes: Float32Array;
  /** The landscape layer's output: windows × segments × channels × k × points. */
  landscapes: QuantizedArray;
}

export interface StageTiming {
  decodeMs: number;
  logMelMs: number;
  convMs: number;
  landscapeMs: number;
  restMs: number;
}

/** One track's analysis in compact, transferable form; per-tag arrays follow ModelIdentity.tags. */
export interface TrackAnalysis {
  modelVersion: string;
  specVersion: string;
  backend: string;
  durationSec: number;
  /** Mean over windows of each tag's probability. */
  confidences: Float32Array;
  /** Start and length (seconds) of each analysed window. */
  windowOffsets: Float32Array;
  windowDurations: Float32Array;
  /** windows × tags. */
  windowProbabilities: Float32Array;
  /** The network's 512-unit embedding, mean over windows (similarity, personal tag models). */
  embedding: Float32Array;
  display: DisplayData | null;
  timing: StageTiming;
}

/** The worker's memory after a job (RSS is the whole process's for a worker thread). */
export interface WorkerMemory {
  rss: number;
  heapUsed: number;
  external: number;
  /** Live tfjs tensors; constant from job to job when every tensor is disposed. */
  tensors: number | null;
}

/** Stages a worker reports for a job (only its start so far: the run shows it as the current file). */
export type AnalysisStage = 'started';

export type AnalysisMessage =
  | { type: 'ready'; jobId: 0; model: ModelIdentity }
  | { type: 'progress'; jobId: number; stage: AnalysisStage }
  | { type: 'result'; jobId: number; analysis: TrackAnalysis; memory: WorkerMemory }
  | { type: 'error'; jobId: number; error: WireError }
  | { type: 'log'; jobId: number; level: 'debug' | 'info' | 'warn' | 'error'; message: string };

const messageTypes = new Set(['ready', 'progress', 'result', 'error', 'log']);
const requestTypes = new Set(['analyze', 'cancel', 'shutdown']);

function keyed(value: unknown, types: Set<string>): value is { type: string; jobId: number } {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; jobId?: unknown };
  return typeof v.type === 'string' && types.has(v.type) && typeof v.jobId === 'number' && Number.isInteger(v.jobId) && v.jobId >= 0;
}

/** A worker's message as the pool receives it (the shape check of the boundary; payloads are checked where used). */
export function isAnalysisMessage(value: unknown): value is AnalysisMessage {
  return keyed(value, messageTypes);
}

export function isAnalysisRequest(value: unknown): value is AnalysisRequest {
  if (!keyed(value, requestTypes)) return false;
  const v = value as { type: string; path?: unknown; options?: unknown };
  return v.type !== 'analyze' || (typeof v.path === 'string' && typeof v.options === 'object' && v.options !== null);
}
