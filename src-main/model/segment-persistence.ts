// The persistence diagram of one channel in one segment of an analysed window, recomputed from the
// audio exactly as the analysis computed its input (predict.ts: only the window decoded, by
// seeking; log-mel, the first `window.frames` frames, the short-input rule, standardisation) and
// then the front end (front-end.ts), persistence and landscapes (features/). The inspector asks for
// it when a person picks a channel and segment.
import { BettiError } from '../api/errors.ts';
import { decodeMono16k } from '../audio/decode.ts';
import { landscapes } from '../features/landscape.ts';
import { logMel } from '../features/logmel.ts';
import { persistence0, type Diagram0 } from '../features/persistence.ts';
import { FEATURE_SPEC } from '../features/spec.ts';
import { segmentActivations, type FrontEndWeights } from './front-end.ts';
import { defaultModelDir } from './install-paths.ts';
import { minFrames, readModelJson, segmentsFor, type LayerConfig } from './model-files.ts';
import { loopToMinFrames, standardise } from './network-input.ts';
import { expectedShapes, memberPrefix, readWeights } from './weights.ts';

/** What the recomputation needs of a model folder: no tfjs, only the first layer's weights. */
export interface FrontEndModel {
  dir: string;
  modelVersion: string;
  architecture: string;
  config: LayerConfig;
  windowFrames: number;
  mean: Float32Array;
  std: Float32Array;
  weights: FrontEndWeights;
}

export function loadFrontEndModel(dir: string = defaultModelDir()): FrontEndModel {
  const json = readModelJson(dir);
  const weights = readWeights(dir, json.weightsManifest, expectedShapes(json.config, json.architecture, json.tags, json.members));
  // The first member's front end: the one whose landscapes the analysis stored (predict.ts).
  const first = memberPrefix(0, json.members);
  return {
    dir,
    modelVersion: json.modelVersion,
    architecture: json.architecture,
    config: json.config,
    windowFrames: json.window.frames,
    mean: Float32Array.from(json.input.standardisation.mean),
    std: Float32Array.from(json.input.standardisation.std),
    weights: { kernel: weights.get(`${first}front/kernel`)!.values, bias: weights.get(`${first}front/bias`)!.values },
  };
}

export interface SegmentPersistenceResult {
  activations: number[];
  diagram: Diagram0;
  landscape: number[];
  /** Seconds in the track the segment's frames cover. */
  start: number;
  end: number;
}

export interface WindowRange {
  /** Seconds from the start of the track. */
  offset: number;
  duration: number;
}

/**
 * `samples`: the window's audio (decodeWindow); `window`: where the analysed window lies.
 * Throws a BettiError naming the track when the segment or channel is not there.
 */
export function segmentPersistence(model: FrontEndModel, path: string, samples: Float32Array, window: WindowRange, segment: number, channel: number): SegmentPersistenceResult {
  let mel = logMel(samples);
  if (mel.frames > model.windowFrames) mel = { frames: model.windowFrames, bands: mel.bands, data: mel.data.subarray(0, model.windowFrames * mel.bands) };
  if (mel.frames === 0) throw new BettiError('decode-failed', `${path}: no audio in the window at ${window.offset.toFixed(1)} s`, { path, hint: 'Analyse the track again.' });
  mel = loopToMinFrames(mel, minFrames(model.config));
  // The front end reads the mel bands only: the input's chroma columns (and their stats) are not needed here.
  const bands = model.config.frontEnd.bands;
  const input = standardise(mel, model.mean.subarray(0, bands), model.std.subarray(0, bands));
  const cfg = model.config;
  const { segments } = segmentsFor(cfg, mel.frames);
  if (segment >= segments) {
    throw new BettiError('invalid-request', `${path}: the window at ${window.offset.toFixed(1)} s has ${segments} segment${segments === 1 ? '' : 's'}; there is no segment ${segment}`, { path });
  }
  const activations = segmentActivations(cfg, model.weights, input, mel.frames, segment, channel);
  const diagram = persistence0(activations);
  const frameSec = FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate;
  const firstFrame = segment * cfg.segment.stride * cfg.frontEnd.poolTime;
  const lastFrame = (segment * cfg.segment.stride + cfg.segment.steps) * cfg.frontEnd.poolTime + cfg.frontEnd.frames - 2;
  return {
    activations: Array.from(activations),
    diagram,
    landscape: Array.from(landscapes(diagram, cfg.landscape)),
    start: window.offset + firstFrame * frameSec,
    end: Math.min(window.offset + window.duration, window.offset + (lastFrame + 1) * frameSec),
  };
}

/** Decodes one analysed window as the analysis did: by seeking to it, nothing before or after. */
export async function decodeWindow(path: string, window: WindowRange): Promise<Float32Array> {
  return (await decodeMono16k(path, { offset: window.offset, duration: window.duration })).samples;
}
