// analysis.* handlers: a thin layer over analysis/controller.ts (the run), analysis/result.ts (the
// inspector's view of one track) and analysis/suggestions.ts (what `betti suggest` lists).
import { AnalysisController } from '../../analysis/controller.ts';
import { trackAnalysisResult } from '../../analysis/result.ts';
import { pendingSuggestionsByTrack } from '../../analysis/suggestions.ts';
import { loadSettings } from '../../tags/settings.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

type AnalysisMethod = 'analysis.start' | 'analysis.pause' | 'analysis.resume' | 'analysis.cancel' | 'analysis.status' | 'analysis.result' | 'analysis.suggest';

/** Workers start as the context says (ctx.analysisSpawn: utility processes in the app, else worker threads); tests pass a controller. */
export function analysisHandlers(
  ctx: ServiceContext,
  controller = new AnalysisController({
    db: () => ctx.db(),
    onProgress: (p) => ctx.bus.emit('analysis.progress', p),
    ...(ctx.analysisSpawn ? { spawn: ctx.analysisSpawn } : {}),
  }),
): Handlers<AnalysisMethod> {
  // Closing the service (CLI exit, `betti serve` stopping, the app quitting) stops a running
  // analysis and its worker threads; the queue keeps what is left for the next run.
  let started = false;
  ctx.onClose(async () => {
    if (!started) return; // nothing to stop, and no reason to open the database now
    controller.cancel();
    await controller.finished();
  });
  return {
    'analysis.start': (r) => {
      started = true;
      return controller.start({
        timeoutSec: r.timeoutSec,
        retryFailed: r.retryFailed,
        pictures: r.pictures,
        ...(r.jobs === undefined ? {} : { jobs: r.jobs }),
        ...(r.maxWindows === undefined ? {} : { maxWindows: r.maxWindows }),
      });
    },
    'analysis.pause': async () => controller.pause(),
    'analysis.resume': async () => controller.resume(),
    'analysis.cancel': async () => controller.cancel(),
    'analysis.status': async () => controller.status(),
    'analysis.result': async (r) => trackAnalysisResult(ctx.db(), r.trackId),
    'analysis.suggest': async (r) => {
      const db = ctx.db();
      return pendingSuggestionsByTrack(db, loadSettings(db).write, r);
    },
  };
}
