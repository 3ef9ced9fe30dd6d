// Contract part: personal tag models and similar tracks (issue 10). Betti learns the values a
// person already tags by hand (GENRE, MOOD, GROUPING, COMMENT keywords, the custom field, or any
// field they name) from the network's embeddings of their own tracks, reports how good each
// model is by cross-validation on those tracks, and suggests the values that clear the quality
// bar, labelled as personal. `similar.tracks` finds the tracks whose embeddings are closest.
// Pure: the renderer may import it.
import { z } from 'zod';
import { DEFAULT_BAR } from '../../model/quality-bar.ts';
import { canonicalFieldName, FIELD_NAME } from '../../tags/fields.ts';
import { method } from './define.ts';

/** A tag field name as Betti writes them: upper case letters, digits and _, starting with a letter. */
export const FieldName = z
  .string()
  .transform(canonicalFieldName)
  .pipe(z.string().regex(FIELD_NAME, 'a field name is 1-64 letters, digits or _, starting with a letter (GENRE, MOOD, GROUPING, COMMENT, BETTI_TAGS…)'));

const Count = z.number().int().min(0);
const Rate = z.number().min(0).max(1);

export const PersonalValue = z.object({
  field: z.string(),
  value: z.string(),
  /** Where its accepted suggestions are written (the field itself, or the custom field for one Betti does not write). */
  writesTo: z.string(),
  /** Analysed tracks with the value (accepted personal suggestions included), and without it. */
  positives: Count,
  negatives: Count,
  /** Cross-validated on the person's tracks, whole albums held out; null when not trained. */
  cvRocAuc: Rate.nullable(),
  cvPrecision: Rate.nullable(),
  cvRecall: Rate.nullable(),
  /** Probability at and above which a track is suggested the value. */
  threshold: Rate.nullable(),
  offered: z.boolean(),
  /** Why it is offered or not, in words. */
  reason: z.string(),
});
export type PersonalValue = z.infer<typeof PersonalValue>;

export const LearnReport = z.object({
  /** The network whose embeddings the models learned from (they are kept per version). */
  modelVersion: z.string(),
  /** Analysed tracks learned from. */
  tracks: Count,
  fields: z.array(z.string()),
  /** Ridge strength chosen by cross-validation; null when nothing was trained. */
  lambda: z.number().nullable(),
  values: z.array(PersonalValue.extend({ suggestions: Count })),
  /** Values on too few tracks to be listed one by one. */
  rareValues: Count,
  offered: Count,
  /** Pending personal suggestions made. */
  suggestions: Count,
  timing: z.object({ totalMs: z.number(), gramMs: z.number(), holdOutMs: z.number(), valuesMs: z.number() }),
});
export type LearnReport = z.infer<typeof LearnReport>;

export const PersonalModels = z.object({
  /** The model version most of the library is analysed with; null when nothing is analysed. */
  modelVersion: z.string().nullable(),
  /** When the models of that version were learned (ms since 1970), and from how many tracks. */
  trainedAt: z.number().nullable(),
  tracks: Count,
  models: z.array(
    PersonalValue.extend({
      /** Decisions on its suggestions that it has learned from since `betti learn`. */
      decisions: Count,
      pendingSuggestions: Count,
      retrainedAt: z.number().nullable(),
    }),
  ),
  /** Models learned from another model version's embeddings: unused until `betti learn` runs again. */
  otherVersions: z.array(z.object({ modelVersion: z.string(), models: Count })),
});
export type PersonalModels = z.infer<typeof PersonalModels>;

export const SimilarTrack = z.object({
  trackId: z.number().int(),
  path: z.string(),
  title: z.string().nullable(),
  artist: z.string().nullable(),
  album: z.string().nullable(),
  durationS: z.number().nullable(),
  /** Cosine similarity of the two embeddings (1: the same sound). */
  similarity: z.number().min(-1).max(1),
});
export type SimilarTrack = z.infer<typeof SimilarTrack>;

/**
 * Why a known track has no embedding to compare: not analysed yet (or being analysed), its
 * analysis failed, its file was missing at the last scan, or it was analysed with another model
 * than the rest of the library. The CLI prints the message; the app words each reason itself.
 */
export const NoEmbeddingReason = z.enum(['not-analysed', 'analysis-failed', 'missing', 'other-model']);
export type NoEmbeddingReason = z.infer<typeof NoEmbeddingReason>;

export const SimilarResult = z.object({
  trackId: z.number().int(),
  path: z.string(),
  /** The model whose embeddings were compared; null when no track is analysed yet. */
  modelVersion: z.string().nullable(),
  /** Tracks compared. */
  searched: Count,
  /** Time of the search itself (the embeddings are kept in memory between queries). */
  searchMs: z.number().min(0),
  tracks: z.array(SimilarTrack),
  /**
   * Why there is nothing to compare, for a known track without an embedding (not analysed yet,
   * its analysis failed, missing, another model's). An answer, not an error: the inspector asks
   * for every track it shows, and "not analysed yet" is an ordinary state of a track.
   */
  unavailable: z.object({ reason: NoEmbeddingReason, message: z.string(), hint: z.string() }).optional(),
});
export type SimilarResult = z.infer<typeof SimilarResult>;

export const personalMethods = {
  'personal.learn': method({
    summary: 'Learns a personal tag model for every value of the chosen fields that enough analysed tracks carry, reports its cross-validated quality, and suggests the values that reach the quality bar.',
    request: z
      .object({
        /** Fields to learn (default: GENRE, MOOD, GROUPING, COMMENT and the custom field). */
        fields: z.array(FieldName).min(1).max(32).optional(),
        /** Tracks that must carry a value before it is learned. */
        minPositives: z.number().int().min(5).max(100_000).default(DEFAULT_BAR.minPositives),
        /** The quality bar: cross-validated ROC-AUC and precision at the threshold. */
        minRocAuc: z.number().min(0.5).max(1).default(DEFAULT_BAR.minRocAuc),
        minPrecision: z.number().min(0).max(1).default(DEFAULT_BAR.minPrecision),
      })
      .strict(),
    response: LearnReport,
  }),
  'personal.models': method({
    summary: 'The personal tag models learned for the current model version, offered or not, with their quality and feedback.',
    request: z.object({}).strict(),
    response: PersonalModels,
  }),
  'similar.tracks': method({
    summary: 'The tracks that sound most like one track: nearest neighbours of its embedding by cosine similarity.',
    request: z
      .object({
        trackId: z.number().int().positive().optional(),
        /** The track by its file path (as scanned), instead of its id. */
        path: z.string().min(1).optional(),
        n: z.number().int().min(1).max(500).default(20),
      })
      .strict()
      .refine((r) => (r.trackId === undefined) !== (r.path === undefined), { message: 'give exactly one of `trackId` and `path`' }),
    response: SimilarResult,
  }),
};
