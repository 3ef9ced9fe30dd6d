// Contract part: analysing the library in the background (analysis.start/pause/resume/cancel/
// status, with `analysis.progress` events), what the inspector draws for one track
// (analysis.result) and the suggestions the analysis made (analysis.suggest). Pure: the renderer
// may import it.
import { z } from 'zod';
import { WireErrorSchema } from './wire-error.ts';
import { method } from './define.ts';

const Count = z.number().int().min(0);

export const AnalysisProgress = z.object({
  /** Tracks finished in this run (analysed or failed). */
  done: Count,
  /** Tracks this run has to analyse (found in the cache: not counted). */
  total: Count,
  tracksPerSec: z.number().min(0),
  /** Seconds left at the recent rate; null until there is one. */
  etaSec: z.number().min(0).nullable(),
  /** The file a worker started most recently. */
  current: z.string().nullable(),
  /** Tracks that failed in this run (after their retry). */
  errors: Count,
  state: z.enum(['running', 'paused', 'cancelled', 'done']),
});
export type AnalysisProgress = z.infer<typeof AnalysisProgress>;

export const AnalysisFailure = z.object({
  trackId: z.number().int(),
  path: z.string(),
  kind: WireErrorSchema.shape.kind,
  message: z.string(),
  /** error: the worker reported it (corrupt audio, too short…); timeout: killed past the time limit; worker-died: the worker crashed. */
  reason: z.enum(['error', 'timeout', 'worker-died']),
  attempts: Count,
});

const ModelIdentity = z.object({
  modelVersion: z.string(),
  specVersion: z.string(),
  architecture: z.string(),
  backend: z.string(),
  tags: z.array(z.object({ tag: z.string(), category: z.string(), threshold: z.number() })),
});

export const AnalysisStatus = AnalysisProgress.extend({
  /** idle: no run since Betti started; failed: the run stopped as a whole (see error). */
  state: z.enum(['idle', 'starting', 'running', 'paused', 'cancelled', 'done', 'failed']),
  /** Tracks analysed in this run. */
  analysed: Count,
  /** Tracks whose audio was already analysed (a copy, a file that came back): no work. */
  cached: Count,
  /** Tracks already analysed for this model before the run. */
  upToDate: Count,
  /** Tracks a previous run left unfinished (it was killed), taken up again. */
  resumed: Count,
  elapsedSec: z.number().min(0),
  /** Workers in the pool. */
  jobs: Count,
  workerRestarts: Count,
  failures: z.array(AnalysisFailure),
  model: ModelIdentity.nullable(),
  workers: z.array(
    z.object({
      index: Count,
      state: z.string(),
      jobsDone: Count,
      memory: z.object({ rss: z.number(), heapUsed: z.number(), external: z.number(), tensors: z.number().nullable() }).nullable(),
    }),
  ),
  error: WireErrorSchema.nullable(),
  /** The whole library's queue after (or during) the run. */
  library: z.object({ pending: Count, running: Count, done: Count, failed: Count }),
});
export type AnalysisStatus = z.infer<typeof AnalysisStatus>;

/** Bytes as base64 (quantised pictures: value = min + byte / 255 · (max − min)). */
const QuantizedPicture = z.object({ shape: z.array(Count), min: z.number(), max: z.number(), base64: z.string() });

/**
 * One analysed window in a spectrogram picture: where it lies in the track (s) and the columns that
 * show it (firstColumn … firstColumn + columns − 1). Only the windows are decoded, so the picture
 * is these blocks side by side; the track between them is not in it.
 */
export const PictureWindowSchema = z.object({ offset: z.number(), duration: z.number(), firstColumn: Count, columns: Count });

export const AnalysisResult = z.object({
  trackId: z.number().int(),
  path: z.string(),
  modelVersion: z.string(),
  specVersion: z.string(),
  backend: z.string(),
  durationSec: z.number(),
  analysedAt: z.number(),
  /** Every tag of the model, in its order. */
  tags: z.array(
    z.object({
      tag: z.string(),
      category: z.string(),
      threshold: z.number(),
      confidence: z.number(),
      aboveThreshold: z.boolean(),
      /** The tag clears the quality bar on the valid split, so Betti may suggest it (model/quality-bar.ts). */
      suggested: z.boolean(),
      /** Why or why not, in words. */
      quality: z.string(),
      /** The file already carries it (GENRE, MOOD or the custom field). */
      inFile: z.boolean(),
      /**
       * In a category whose tags exclude each other (tempo, mode, …), the rival that stands in this
       * tag's way: the one the file holds, or the more confident one suggested instead. Null when
       * nothing does.
       */
      instead: z.string().nullable(),
    }),
  ),
  /** Each analysed window: where it lies and each tag's probability there (tags order). */
  windows: z.array(z.object({ offset: z.number(), duration: z.number(), probabilities: z.array(z.number()) })),
  /** What the inspector draws; null when the run was told not to compute pictures. */
  display: z
    .object({
      /**
       * The analysed windows' log-mels: shape [columns, bands], band 0 lowest; `times` gives each
       * column's time in the track (s), `windows` the block of columns of each window, in time order
       * (a picture stored before pictures were cut to the windows is one block over the whole track).
       */
      logMel: QuantizedPicture.extend({ times: z.array(z.number()), windows: z.array(PictureWindowSchema) }),
      /** shape [windows, segments, channels, k, points]: the landscape layer's output. */
      landscapes: QuantizedPicture,
    })
    .nullable(),
});
export type AnalysisResult = z.infer<typeof AnalysisResult>;

export const TrackSuggestions = z.object({
  trackId: z.number().int(),
  path: z.string(),
  suggestions: z.array(
    z.object({
      id: z.number().int(),
      tag: z.string(),
      category: z.string(),
      confidence: z.number(),
      /** The tag's decision threshold (model suggestions), null for personal ones. */
      threshold: z.number().nullable(),
      source: z.enum(['model', 'personal']),
    }),
  ),
});

const Empty = z.object({}).strict();

export const analysisMethods = {
  'analysis.start': method({
    summary: 'Starts analysing every track that needs it (new, changed, or analysed with another model) in the background; returns once the queue is planned.',
    request: z
      .object({
        /** Worker count (default: CPU cores − 1, at least 1). */
        jobs: z.number().int().min(1).max(64).optional(),
        /** A track still running after this many seconds is stopped (its worker killed) and retried once. */
        timeoutSec: z.number().min(0.1).max(3600).default(120),
        /** Try again the tracks that failed with the current model. */
        retryFailed: z.boolean().default(false),
        /** Store the inspector's pictures (log-mel, landscapes). */
        pictures: z.boolean().default(true),
        /** At most this many windows per track (default: the window plan's). */
        maxWindows: z.number().int().min(1).max(64).optional(),
      })
      .strict(),
    response: AnalysisStatus,
  }),
  'analysis.pause': method({ summary: 'Pauses the running analysis (tracks in flight go back to the queue).', request: Empty, response: AnalysisStatus }),
  'analysis.resume': method({ summary: 'Resumes a paused analysis.', request: Empty, response: AnalysisStatus }),
  'analysis.cancel': method({ summary: 'Stops the analysis; what is left stays queued for the next run.', request: Empty, response: AnalysisStatus }),
  'analysis.status': method({ summary: 'The current or last analysis run, and the library queue.', request: Empty, response: AnalysisStatus }),
  'analysis.result': method({
    summary: "One track's analysis as the inspector draws it: tags with confidences, windows, pictures.",
    request: z.object({ trackId: z.number().int() }).strict(),
    response: AnalysisResult,
  }),
  'analysis.suggest': method({
    summary: 'Per track, the pending suggestions at or above their thresholds that the file does not already carry.',
    request: z
      .object({
        /** Only suggestions at least this confident (on top of each tag's threshold). */
        minConfidence: z.number().min(0).max(1).optional(),
        trackIds: z.array(z.number().int()).min(1).max(1_000_000).optional(),
        limit: z.number().int().min(1).max(100_000).default(10_000),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    response: z.object({ tracks: z.array(TrackSuggestions), totalTracks: Count }),
  }),
};

export const analysisEvents = {
  'analysis.progress': AnalysisProgress,
};
