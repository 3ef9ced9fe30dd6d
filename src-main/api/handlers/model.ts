// `model.*`: the network behind the contract. tfjs and the model modules load on first use (so
// `betti --help` and every other command never pay for them), and a loaded model stays cached for
// the life of the service (one per folder and architecture), as `betti serve` predicts repeatedly.
import { toWireError } from '../errors.ts';
import type { ServiceContext } from '../context.ts';
import type { ParsedRequestOf } from '../contract.ts';
import type { Handlers } from '../service.ts';
import type { LoadedModel } from '../../model/load.ts';
import { modelTagVerdict, neverSuggestedTags } from '../../model/quality-bar.ts';

type Selection = Pick<ParsedRequestOf<'model.info'>, 'dir' | 'architecture'>;

export function modelHandlers(ctx: ServiceContext): Handlers<'model.info' | 'model.predict' | 'model.eval'> {
  const cache = new Map<string, Promise<LoadedModel>>();

  const model = (sel: Selection): Promise<LoadedModel> => {
    const key = `${sel.dir ?? ''}\u0000${sel.architecture ?? ''}`;
    let loading = cache.get(key);
    if (!loading) {
      loading = import('../../model/load.ts').then(({ loadModel }) =>
        loadModel({ ...(sel.dir ? { dir: sel.dir } : {}), ...(sel.architecture ? { architecture: sel.architecture } : {}) }),
      );
      cache.set(key, loading);
      // A failed load is not remembered: the next call reports the (maybe fixed) files afresh.
      loading.catch(() => cache.delete(key));
    }
    return loading;
  };

  return {
    'model.info': async (req) => {
      const m = await model(req);
      const [{ availableArchitectures }, { defaultModelDir }] = await Promise.all([import('../../model/model-files.ts'), import('../../model/install-paths.ts')]);
      return {
        dir: m.dir,
        modelVersion: m.modelVersion,
        specVersion: m.specVersion,
        architecture: m.architecture,
        members: m.members.length,
        available: availableArchitectures(req.dir ?? defaultModelDir()),
        backend: m.backend,
        backendNotes: [...m.backendNotes],
        quick: m.quick,
        window: { ...m.window },
        tags: m.tags.map((t) => ({ tag: t.tag, category: t.category, threshold: t.threshold, ...modelTagVerdict(t.valid) })),
      };
    },

    'model.predict': async (req) => {
      const m = await model(req);
      const { predictTrack } = await import('../../model/predict.ts');
      const results = [];
      for (const [i, path] of req.paths.entries()) {
        ctx.bus.emit('model.progress', { operation: 'predict', done: i, total: req.paths.length, path });
        try {
          const p = await predictTrack(m, path, { ...(req.maxWindows ? { maxWindows: req.maxWindows } : {}), display: req.display });
          results.push({
            ok: true as const,
            path,
            durationSec: p.durationSec,
            windows: p.windows,
            tags: p.tags,
            aboveThreshold: p.aboveThreshold,
            perWindow: p.perWindow,
            ...(req.embedding ? { embedding: p.embedding } : {}),
            ...(p.display ? { display: p.display } : {}),
            timing: p.timing,
          });
        } catch (err) {
          results.push({ ok: false as const, path, error: toWireError(err) });
        }
      }
      ctx.bus.emit('model.progress', { operation: 'predict', done: req.paths.length, total: req.paths.length, path: '' });
      return { modelVersion: m.modelVersion, architecture: m.architecture, backend: m.backend, neverSuggested: neverSuggestedTags(m.tags), results };
    },

    'model.eval': async (req) => {
      const { evaluateManifest, selectEvalClips } = await import('../../model/evaluate.ts');
      const opts = {
        manifest: req.manifest,
        ...(req.root ? { root: req.root } : {}),
        ...(req.split ? { split: req.split } : {}),
        ...(req.limit ? { limit: req.limit } : {}),
        ...(req.maxWindows ? { maxWindows: req.maxWindows } : {}),
        onProgress: (done: number, total: number, path: string) => ctx.bus.emit('model.progress', { operation: 'eval', done, total, path }),
      };
      // A bad manifest or split is reported before the model loads.
      const clips = selectEvalClips(opts);
      const m = await model(req);
      const r = await evaluateManifest(m, opts, clips);
      return { modelVersion: m.modelVersion, architecture: m.architecture, backend: m.backend, ...r };
    },
  };
}
