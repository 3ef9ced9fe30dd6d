// What every analysis worker does once it has a port, whatever hosts it (a worker thread,
// worker-entry.ts; an Electron utility process, app/analysis-utility-entry.ts): reads its
// start-up settings, loads the model once, then serves analysis requests with the model's own
// predictTrack (the same window plan and inference as `betti predict`).
import { encodePrediction } from './encode.ts';
import type { WorkerInit, WorkerSidePort } from './worker-port.ts';
import { reportStartFailure, serveAnalysis } from './worker-server.ts';

/** WorkerInit from untrusted data (workerData, or the parsed BETTI_WORKER_INIT): unknown fields are dropped. */
export function workerInitOf(data: unknown): WorkerInit {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const init: WorkerInit = {};
  if (typeof d.modelDir === 'string') init.modelDir = d.modelDir;
  if (d.architecture === 'pcnn' || d.architecture === 'fcn') init.architecture = d.architecture;
  if (d.backend === 'tfjs-node' || d.backend === 'wasm' || d.backend === 'cpu') init.backend = d.backend;
  return init;
}

/** Loads the model and serves `port`; a model that cannot load is reported on the port, not thrown. */
export async function startAnalysisWorker(port: WorkerSidePort, init: WorkerInit): Promise<void> {
  try {
    // Imported here, not at the top: a worker host stays cheap to load until it really starts.
    const { loadModel, loadTf } = await import('../model/load.ts');
    const { predictTrack } = await import('../model/predict.ts');
    const model = await loadModel({
      ...(init.modelDir ? { dir: init.modelDir } : {}),
      ...(init.architecture ? { architecture: init.architecture } : {}),
      ...(init.backend ? { backend: init.backend } : {}),
    });
    const tf = await loadTf();
    serveAnalysis(port, {
      identity: {
        modelVersion: model.modelVersion,
        specVersion: model.specVersion,
        architecture: model.architecture,
        backend: model.backend,
        // With each tag's `valid` measurements: the pool decides by them which may be suggested.
        tags: [...model.tags],
      },
      async analyse(path, options, { signal }) {
        const prediction = await predictTrack(model, path, {
          signal,
          display: options.display,
          ...(options.maxWindows === undefined ? {} : { maxWindows: options.maxWindows }),
        });
        return encodePrediction(model, prediction);
      },
      memory() {
        const m = process.memoryUsage();
        return { rss: m.rss, heapUsed: m.heapUsed, external: m.external, tensors: tf.memory().numTensors };
      },
      dispose: () => model.dispose(),
    });
  } catch (err) {
    reportStartFailure(port, err);
  }
}
