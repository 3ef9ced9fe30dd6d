// Entry of an analysis worker thread (thin, ../shared/STYLE.md §1): checks it runs as a worker
// thread, loads the model once, then serves analysis requests with the model's own predictTrack
// (the same window plan and inference as `betti predict`). The logic is in worker-server.ts.
import { workerData } from 'node:worker_threads';
import { encodePrediction } from './encode.ts';
import { reportStartFailure, serveAnalysis } from './worker-server.ts';
import type { WorkerInit } from './worker-port.ts';
import { threadSidePort } from './worker-thread-port.ts';

const port = threadSidePort(); // throws "must run as a worker thread" anywhere else

function initOf(data: unknown): WorkerInit {
  const d = (typeof data === 'object' && data !== null ? data : {}) as Record<string, unknown>;
  const init: WorkerInit = {};
  if (typeof d.modelDir === 'string') init.modelDir = d.modelDir;
  if (d.architecture === 'pcnn' || d.architecture === 'fcn') init.architecture = d.architecture;
  if (d.backend === 'tfjs-node' || d.backend === 'wasm' || d.backend === 'cpu') init.backend = d.backend;
  return init;
}

try {
  const init = initOf(workerData);
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
      tags: model.tags.map((t) => ({ tag: t.tag, category: t.category, threshold: t.threshold })),
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
