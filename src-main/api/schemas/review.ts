// Contract part: reviewing tag suggestions. The analysis fills suggestions (tag, category,
// confidence, source); a person accepts or rejects them one by one or in batches ("accept every
// suggestion ≥ 0.8 for these 300 tracks"); `write.plan` turns the accepted ones into a plan.
import { z } from 'zod';
import { method } from './define.ts';

export const Decision = z.enum(['pending', 'accepted', 'rejected']);
export type Decision = z.infer<typeof Decision>;

export const Suggestion = z.object({
  id: z.number().int(),
  trackId: z.number().int(),
  path: z.string(),
  tag: z.string(),
  category: z.string(),
  confidence: z.number(),
  source: z.enum(['model', 'personal']),
  decision: Decision,
  decidedAt: z.string().nullable(),
  /** The field it is written to with the current settings (GENRE, MOOD or the custom field). */
  field: z.string(),
});
export type Suggestion = z.infer<typeof Suggestion>;

const TrackIds = z.array(z.number().int()).min(1).max(1_000_000);

export const reviewMethods = {
  'review.list': method({
    summary: 'Suggestions for one or more tracks, or all of them, filtered by decision (pending by default).',
    request: z
      .object({
        trackIds: TrackIds.optional(),
        decision: z.union([Decision, z.literal('all')]).default('pending'),
        minConfidence: z.number().min(0).max(1).optional(),
        limit: z.number().int().min(1).max(10_000).default(500),
        offset: z.number().int().min(0).default(0),
      })
      .strict(),
    response: z.object({ suggestions: z.array(Suggestion), total: z.number() }),
  }),
  'review.decide': method({
    summary: 'Accepts, rejects or resets suggestions by id, or by track (optionally only tags at or above a confidence).',
    request: z
      .object({
        suggestionIds: z.array(z.number().int()).min(1).optional(),
        trackIds: TrackIds.optional(),
        tags: z.array(z.string()).min(1).optional(),
        minConfidence: z.number().min(0).max(1).optional(),
        decision: Decision,
        /** Only change suggestions still pending (default when selecting by track), so a batch accept keeps earlier rejections. */
        onlyPending: z.boolean().optional(),
      })
      .strict()
      .refine((r) => r.suggestionIds !== undefined || r.trackIds !== undefined, { message: 'give `suggestionIds` or `trackIds`' }),
    response: z.object({ updated: z.number() }),
  }),
};
