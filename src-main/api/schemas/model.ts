// Contract part: the shipped network — what it is (model.info), a file's tags (model.predict), and
// how well the app's own pipeline tags a labelled clip list (model.eval). The handlers load tfjs
// lazily; this file stays pure so the renderer may import it.
import { z } from 'zod';
import { WireErrorSchema } from './wire-error.ts';
import { PictureWindowSchema } from './analysis.ts';
import { method } from './define.ts';

// Literal lists kept here (not imported from src-main/model/) so this file pulls in no Node code.
export const ArchitectureSchema = z.enum(['pcnn', 'fcn']);
export const BackendSchema = z.enum(['tfjs-node', 'wasm', 'cpu']);
/** Bounds of window-plan.ts (MAX_WINDOWS). */
const MaxWindows = z.number().int().min(1).max(64);

const ModelSelection = {
  /** Model folder (default: the shipped resources/model). */
  dir: z.string().min(1).optional(),
  /** The folder's default network when unset. */
  architecture: ArchitectureSchema.optional(),
};

export const ModelTagSchema = z.object({
  tag: z.string(),
  category: z.string(),
  threshold: z.number(),
  /** Whether Betti suggests the tag: it clears the quality bar on the valid split (model/quality-bar.ts). */
  suggested: z.boolean(),
  /** Why, in words. */
  quality: z.string(),
});

export const ModelInfoResponse = z.object({
  dir: z.string(),
  modelVersion: z.string(),
  specVersion: z.string(),
  architecture: ArchitectureSchema,
  /** Networks of that architecture whose probabilities are averaged (seeds shipped together; 1: one network). */
  members: z.number().int().positive(),
  /** Networks the folder holds (the default one first). */
  available: z.array(ArchitectureSchema),
  backend: BackendSchema,
  /** Better backends passed over, and why. */
  backendNotes: z.array(z.object({ backend: BackendSchema, reason: z.string() })),
  quick: z.boolean(),
  window: z.object({ frames: z.number().int(), seconds: z.number() }),
  tags: z.array(ModelTagSchema),
});
export type ModelInfoResponse = z.infer<typeof ModelInfoResponse>;

const Timing = z.object({ decodeMs: z.number(), logMelMs: z.number(), convMs: z.number(), landscapeMs: z.number(), restMs: z.number() });

export const TrackDisplaySchema = z.object({
  /** The analysed windows' log-mels side by side (model/display.ts). */
  logMel: z.object({
    columns: z.number().int(),
    bands: z.number().int(),
    times: z.array(z.number()),
    /** Each window's block of columns, in time order. */
    windows: z.array(PictureWindowSchema),
    /** 0 … 255, row-major columns × bands. */
    values: z.array(z.number().int().min(0).max(255)),
    min: z.number(),
    max: z.number(),
  }),
  /** Per window, per segment: channels × k × points values, channel-major; empty lists for the FCN. */
  landscapes: z.array(z.array(z.array(z.number()))),
  landscapeShape: z.object({ channels: z.number().int(), k: z.number().int(), points: z.number().int() }),
});

export const PredictedFile = z.object({
  ok: z.literal(true),
  path: z.string(),
  durationSec: z.number(),
  windows: z.number().int(),
  /** Every tag of the vocabulary → probability (mean over windows), in vocabulary order. */
  tags: z.record(z.string(), z.number().min(0).max(1)),
  /** Tags at or above their threshold, most probable first. */
  aboveThreshold: z.array(z.string()),
  /** Probabilities in vocabulary order (model.info tags). */
  perWindow: z.array(z.object({ offset: z.number(), duration: z.number(), probabilities: z.array(z.number()) })),
  embedding: z.array(z.number()).optional(),
  display: TrackDisplaySchema.optional(),
  timing: Timing,
});

export const FailedFile = z.object({ ok: z.literal(false), path: z.string(), error: WireErrorSchema });

export const ModelPredictRequest = z
  .object({
    paths: z.array(z.string().min(1, 'a path must name an audio file')).min(1, 'give at least one file').max(100_000),
    ...ModelSelection,
    /** At most this many analysis windows per file (default: the window plan's). */
    maxWindows: MaxWindows.optional(),
    /** Include each file's 512-value embedding. */
    embedding: z.boolean().default(false),
    /** Include the spectrogram (of the analysed windows) and landscape pictures. */
    display: z.boolean().default(false),
  })
  .strict();

export const ModelPredictResponse = z.object({
  modelVersion: z.string(),
  architecture: ArchitectureSchema,
  backend: BackendSchema,
  /** Tags below the quality bar: scored, never suggested (model.info says why). */
  neverSuggested: z.array(z.string()),
  results: z.array(z.discriminatedUnion('ok', [PredictedFile, FailedFile])),
});
export type ModelPredictResponse = z.infer<typeof ModelPredictResponse>;

export const ModelEvalRequest = z
  .object({
    /** CSV with path,tags[,split,labelled_categories] (../shared/data/manifest.csv's columns). */
    manifest: z.string().min(1),
    /** Folder the manifest's paths are relative to (default: the manifest's folder). */
    root: z.string().min(1).optional(),
    split: z.string().min(1).optional(),
    /** At most this many clips, spread evenly over the selected rows. */
    limit: z.number().int().min(1).optional(),
    ...ModelSelection,
    maxWindows: MaxWindows.optional(),
  })
  .strict();

const Metric = z.number().nullable();

export const ModelEvalResponse = z.object({
  modelVersion: z.string(),
  architecture: ArchitectureSchema,
  backend: BackendSchema,
  manifest: z.string(),
  root: z.string(),
  split: z.string().nullable(),
  clips: z.number().int(),
  failed: z.array(z.object({ path: z.string(), error: WireErrorSchema })),
  unknownTags: z.array(z.string()),
  /** Masked per-tag metrics; null where the known labels hold only one class. */
  tags: z.array(z.object({ tag: z.string(), category: z.string(), known: z.number().int(), positives: z.number().int(), rocAuc: Metric, prAuc: Metric })),
  macro: z.object({ rocAuc: Metric, prAuc: Metric, tagsScored: z.number().int() }),
  seconds: z.number(),
});
export type ModelEvalResponse = z.infer<typeof ModelEvalResponse>;

export const ModelProgress = z.object({
  operation: z.enum(['predict', 'eval']),
  done: z.number().int().min(0),
  total: z.number().int().min(0),
  /** The file being worked on ('' at the end). */
  path: z.string(),
});

export const modelMethods = {
  'model.info': method({
    summary: 'The tagging model: versions, backend in use, window, and its tags with their thresholds.',
    request: z.object(ModelSelection).strict(),
    response: ModelInfoResponse,
  }),
  'model.predict': method({
    summary: "Each file's tag probabilities (windows spread over the track, averaged); per-file errors do not stop the others.",
    request: ModelPredictRequest,
    response: ModelPredictResponse,
  }),
  'model.eval': method({
    summary: 'Masked per-tag and macro ROC-AUC and PR-AUC of the app pipeline on a labelled clip list.',
    request: ModelEvalRequest,
    response: ModelEvalResponse,
  }),
};

export const modelEvents = {
  'model.progress': ModelProgress,
};
