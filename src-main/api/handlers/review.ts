import { countSuggestions, decideSuggestions, listSuggestions } from '../../library/db/queries/suggestions.ts';
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
      const updated = decideSuggestions(
        ctx.db(),
        { suggestionIds: req.suggestionIds, trackIds: req.trackIds, tags: req.tags, minConfidence: req.minConfidence, onlyDecision: onlyPending ? 'pending' : undefined },
        req.decision,
      );
      return { updated };
    },
  };
}
