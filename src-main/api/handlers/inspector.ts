// Handlers of the inspector area (schemas/inspector.ts). The persistence of a segment needs the
// model's first layer and the track's audio: the model folder is read once (no tfjs), and the
// last decoded track is kept, so stepping through channels and segments of one track is instant.
import { trackAnalysisResult } from '../../analysis/result.ts';
import { trackStatuses } from '../../library/db/queries/track-status.ts';
import type { FrontEndModel } from '../../model/segment-persistence.ts';
import { BettiError } from '../errors.ts';
import type { ServiceContext } from '../context.ts';
import type { Handlers } from '../service.ts';

export function inspectorHandlers(ctx: ServiceContext): Handlers<'inspector.status' | 'inspector.persistence'> {
  let model: FrontEndModel | undefined;
  let decoded: { path: string; samples: Promise<Float32Array> } | undefined;

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
          hint: 'Run `betti analyze` to analyse it with the installed model.',
        });
      }
      if (model.architecture !== 'pcnn') {
        throw new BettiError('invalid-request', `the installed model is the ${model.architecture} network, which has no landscape layer`, { hint: 'Install the PCNN model.' });
      }
      if (decoded?.path !== result.path) {
        decoded = { path: result.path, samples: core.decodeWholeTrack(result.path) };
        decoded.samples.catch(() => (decoded = undefined));
      }
      const r = core.segmentPersistence(model, result.path, await decoded.samples, w, segment, channel);
      return { trackId, window, segment, channel, ...r, params: { ...model.config.landscape } };
    },
  };
}
