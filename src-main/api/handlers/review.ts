import { countSuggestions, decideSuggestions, listSuggestions } from '../../library/db/queries/suggestions.ts';
import { applyFeedback } from '../../personal/feedback.ts';
import { embeddingCacheOf } from '../../personal/service-cache.ts';
import { fieldForCategory } from '../../tags/accepted.ts';
import { loadSettings } from '../../tags/settings.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

export function reviewHandlers(ctx: ServiceContext): Handlers<'review.list' | 'review.decide'> {
  return {
    'review.list': async (req) => {
      const db = ctx.db();
      const { write } = loadSettings(db);
      const filter = {
        trackIds: req.trackIds,
        decision: req.decision === 'all' ? undefined : req.decision,
        minConfidence: req.minConfidence,
      };
      const rows = listSuggestions(db, { ...filter, limit: req.limit, offset: req.offset });
      return {
        total: countSuggestions(db, filter),
        suggestions: rows.map((r) => ({
          ...r,
          decidedAt: r.decidedAt === null ? null : new Date(r.decidedAt).toISOString(),
          field: r.field ?? fieldForCategory(r.category, write),
        })),
      };
    },
    'review.decide': async (req) => {
      const onlyPending = req.onlyPending ?? req.suggestionIds === undefined;
      const db = ctx.db();
      const updated = decideSuggestions(
        db,
        { suggestionIds: req.suggestionIds, trackIds: req.trackIds, tags: req.tags, minConfidence: req.minConfidence, onlyDecision: onlyPending ? 'pending' : undefined },
        req.decision,
      );
      if (updated > 0) {
        // Personal tag models learn from decisions on their suggestions at once (personal/feedback.ts).
        try {
          applyFeedback(db, () => embeddingCacheOf(ctx).get(db), loadSettings(db).write);
        } catch (err) {
          // The decisions are stored; the models take them in at the next decision or `betti learn`.
          process.stderr.write(`betti: personal tag models could not learn from these decisions yet: ${(err as Error).message}\n`);
        }
      }
      return { updated };
    },
  };
}
