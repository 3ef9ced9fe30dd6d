// personal.* and similar.* handlers: a thin layer over personal/ (learn.ts, models-info.ts,
// similar-tracks.ts). The learning code is imported when first asked for, so `betti --help` and
// a service that never learns do not load it. When an analysis run stops, the tracks it analysed
// are scored by the personal models already learned (personal/score-new.ts).
import { DEFAULT_BAR } from '../../model/quality-bar.ts';
import { defaultFields } from '../../personal/field-values.ts';
import { scoreNewTracks } from '../../personal/score-new.ts';
import { embeddingCacheOf } from '../../personal/service-cache.ts';
import { loadSettings } from '../../tags/settings.ts';
import type { ServiceContext } from '../context.ts';
import { BettiError } from '../errors.ts';
import type { Handlers } from '../service.ts';

export function personalHandlers(ctx: ServiceContext): Handlers<'personal.learn' | 'personal.models' | 'similar.tracks'> {
  const cache = embeddingCacheOf(ctx);
  let learning = false;
  // Synchronous, inside the run's last progress event: a CLI `betti analyze` closes the database
  // right after it, and the new tracks' personal suggestions must be stored by then.
  ctx.bus.on('analysis.progress', (p) => {
    if (p.state !== 'done' && p.state !== 'cancelled') return;
    try {
      const db = ctx.db();
      scoreNewTracks(db, () => cache.get(db), loadSettings(db).write);
    } catch (err) {
      // The analysis itself succeeded; its tracks get personal suggestions at the next `betti learn`.
      process.stderr.write(`betti: could not score the newly analysed tracks with the personal tag models: ${(err as Error).message}\n`);
    }
  });
  return {
    'personal.learn': async (req) => {
      // A run yields to the event loop while it computes (personal/breather.ts): a second one must wait its turn.
      if (learning) throw new BettiError('busy', 'Betti is already learning your tags.', { hint: 'Wait for that run to finish, then ask again.' });
      learning = true;
      try {
        const { learn } = await import('../../personal/learn.ts');
        const db = ctx.db();
        const settings = loadSettings(db).write;
        const fields = [...new Set(req.fields ?? defaultFields(settings.customField))];
        return await learn(db, cache.get(db), settings, fields, { ...DEFAULT_BAR, minPositives: req.minPositives, minRocAuc: req.minRocAuc, minPrecision: req.minPrecision });
      } finally {
        learning = false;
      }
    },
    'personal.models': async () => {
      const { personalModels } = await import('../../personal/models-info.ts');
      const db = ctx.db();
      return personalModels(db, loadSettings(db).write);
    },
    'similar.tracks': async (req) => {
      const { similarTracks } = await import('../../personal/similar-tracks.ts');
      return similarTracks(ctx.db(), cache, req, req.n);
    },
  };
}
