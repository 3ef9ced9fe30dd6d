// Handlers of the inspector area (schemas/inspector.ts). The persistence of a segment needs the
// model's first layer and the analysed window's audio: the model folder is read once (no tfjs),
// and only the asked window is decoded (by seeking, as the analysis did, so the recomputed
// landscapes are the stored ones). The last few windows are kept, so stepping through the
// channels and segments of a track decodes each of its windows once.
import { trackAnalysisResult } from '../../analysis/result.ts';
import { trackStatuses } from '../../library/db/queries/track-status.ts';
import type { FrontEndModel } from '../../model/segment-persistence.ts';
import { BettiError } from '../errors.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

/** Decoded windows kept (a few seconds of 16 kHz audio each: 3 default windows are ~0.8 MB). */
const KEPT_WINDOWS = 16;

export function inspectorHandlers(ctx: ServiceContext): Handlers<'inspector.status' | 'inspector.persistence'> {
  let model: FrontEndModel | undefined;
  /** Decoded windows by path and range, oldest first. */
  const decoded = new Map<string, Promise<Float32Array>>();

  return {
    'inspector.status': async ({ trackIds }) => ({ tracks: trackStatuses(ctx.db(), [...new Set(trackIds)]) }),

    'inspector.persistence': async ({ trackId, window, segment, channel }) => {
      const result = trackAnalysisResult(ctx.db(), trackId);
      const w = result.windows[window];
      if (!w) {
        throw new BettiError('invalid-request', `${result.path}: the analysis has ${result.windows.length} window${result.windows.length === 1 ? '' : 's'}; there is no window ${window}`, { path: result.path });
      }
      const core = await import('../../model/segment-persistence.ts');
      model ??= core.loadFrontEndModel();
      if (model.modelVersion !== result.modelVersion) {
        throw new BettiError('version-mismatch', `${result.path} was analysed with model ${result.modelVersion}; the installed model is ${model.modelVersion}`, {
          path: result.path,
          hint: 'Analyse it again: the analysis then uses the installed model.',
        });
      }
      if (model.architecture !== 'pcnn') {
        throw new BettiError('invalid-request', `the installed model is the ${model.architecture} network, which has no landscape layer`, { hint: 'Install the PCNN model.' });
      }
      const key = `${result.path}\0${w.offset}\0${w.duration}`;
      let samples = decoded.get(key);
      decoded.delete(key); // re-inserted below as the newest
      if (!samples) {
        const decoding = core.decodeWindow(result.path, w);
        decoding.catch(() => decoded.get(key) === decoding && decoded.delete(key));
        samples = decoding;
      }
      decoded.set(key, samples);
      for (const oldest of decoded.keys()) if (decoded.size > KEPT_WINDOWS) decoded.delete(oldest);
      const r = core.segmentPersistence(model, result.path, await samples, w, segment, channel);
      return { trackId, window, segment, channel, ...r, params: { ...model.config.landscape } };
    },
  };
}
