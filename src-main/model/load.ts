// Loading an exported model folder into a runnable network: validate model.json and tags.json
// (model-files.ts), read and check every weight (weights.ts), pick the tfjs backend (backend.ts),
// then build the network (network.ts). tfjs itself is imported lazily (loadTf), and callers
// outside src-main/model import this module lazily too, so `betti --help` never loads either.
import { backendFromEnv, chooseBackend, type Backend, type BackendChoice, type Importer } from './backend.ts';
import { ModelInvalidError } from './errors.ts';
import { defaultModelDir } from './install-paths.ts';
import { architectureDir, readModelJson, readTagsJson, type Architecture, type LayerConfig, type ModelTag } from './model-files.ts';
import { PcnnNetwork, type Tf } from './network.ts';
import { expectedShapes, memberPrefix, readWeights } from './weights.ts';

export { defaultModelDir } from './install-paths.ts';
export type { Architecture, ModelTag } from './model-files.ts';
export type { Backend } from './backend.ts';

export interface LoadModelOptions {
  /** The model folder (default: defaultModelDir()). */
  dir?: string;
  /** Which network of the folder: its default one (model.json at the top) when unset. */
  architecture?: Architecture;
  /** Force a tfjs backend (default: BETTI_TFJS_BACKEND, else the best one present). */
  backend?: Backend;
  /** How packages are imported (tests inject one to exercise the backend choice). */
  importer?: Importer;
}

export interface LoadedModel {
  /** The folder the files were read from. */
  readonly dir: string;
  readonly modelVersion: string;
  readonly specVersion: string;
  readonly architecture: Architecture;
  /** The tfjs backend actually in use. */
  readonly backend: Backend;
  /** Why better backends were passed over (empty when none was). */
  readonly backendNotes: BackendChoice['passedOver'];
  /** The vocabulary in output order, with the decision threshold of each tag. */
  readonly tags: readonly ModelTag[];
  /** The analysis window the model was trained on; shorter inputs are looped up to `frames`. */
  readonly window: { readonly frames: number; readonly seconds: number };
  readonly config: LayerConfig;
  /** Per-band standardisation applied to raw log-mel before the network. */
  readonly standardisation: { readonly mean: Float32Array; readonly std: Float32Array };
  /** A smoke-test model from `npm run train -- --quick`. */
  readonly quick: boolean;
  /** The first (or only) member: the network whose embedding and landscapes Betti keeps. */
  readonly network: PcnnNetwork;
  /** Every network that ships (trained alike from different seeds; `network` first): the prediction is the mean of their probabilities. */
  readonly members: readonly PcnnNetwork[];
  dispose(): void;
}

let tfModule: Promise<Tf> | undefined;

/** The tfjs namespace, imported once, with its console chatter off (warnings become errors we report). */
export function loadTf(): Promise<Tf> {
  tfModule ??= import('@tensorflow/tfjs').then((tf): Tf => {
    // PROD silences tfjs's console advice ("install tfjs-node…"); Betti reports the backend itself.
    tf.env().set('PROD', true);
    return tf;
  });
  return tfModule;
}

/** Reads, validates and builds the model of `opts.dir` (default: the shipped one). */
export async function loadModel(opts: LoadModelOptions = {}): Promise<LoadedModel> {
  const dir = architectureDir(opts.dir ?? defaultModelDir(), opts.architecture);
  const json = readModelJson(dir);
  if (opts.architecture !== undefined && json.architecture !== opts.architecture) {
    throw new ModelInvalidError(`${dir}/model.json`, `holds the ${json.architecture} network, not the requested ${opts.architecture}`, { where: 'architecture' });
  }
  const tags = readTagsJson(dir, json.tags);
  const weights = readWeights(dir, json.weightsManifest, expectedShapes(json.config, json.architecture, json.tags, json.members));

  const tf = await loadTf();
  const requested = opts.backend ?? backendFromEnv();
  const choice = await chooseBackend(tf, { ...(requested ? { requested } : {}), ...(opts.importer ? { importer: opts.importer } : {}) });
  const members = Array.from({ length: json.members }, (_, i) => new PcnnNetwork(tf, json.config, json.architecture, json.tags, weights, memberPrefix(i, json.members)));
  const network = members[0]!;
  return {
    dir,
    modelVersion: json.modelVersion,
    specVersion: json.specVersion,
    architecture: json.architecture,
    backend: choice.backend,
    backendNotes: choice.passedOver,
    tags,
    window: { frames: json.window.frames, seconds: json.window.seconds },
    config: json.config,
    standardisation: { mean: Float32Array.from(json.input.standardisation.mean), std: Float32Array.from(json.input.standardisation.std) },
    quick: json.quick,
    network,
    members,
    dispose: () => {
      for (const m of members) m.dispose();
    },
  };
}
