// personal.* and similar.* handlers: a thin layer over personal/ (learn.ts, models-info.ts,
// similar-tracks.ts). The learning code is imported when first asked for, so `betti --help` and
// a service that never learns do not load it. When an analysis run stops, the tracks it analysed
// are scored by the personal models already learned (personal/score-new.ts).
import { DEFAULT_BAR } from '../../personal/train.ts';
import { defaultFields } from '../../personal/field-values.ts';
import { scoreNewTracks } from '../../personal/score-new.ts';
import { embeddingCacheOf } from '../../personal/service-cache.ts';
import { loadSettings } from '../../tags/settings.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

export function personalHandlers(ctx: ServiceContext): Handlers<'personal.learn' | 'personal.models' | 'similar.tracks'> {
  const cache = embeddingCacheOf(ctx);
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
      const { learn } = await import('../../personal/learn.ts');
      const db = ctx.db();
      const settings = loadSettings(db).write;
      const fields = [...new Set(req.fields ?? defaultFields(settings.customField))];
      return learn(db, cache.get(db), settings, fields, { ...DEFAULT_BAR, minPositives: req.minPositives, minRocAuc: req.minRocAuc, minPrecision: req.minPrecision });
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
