// Running a loaded model: on feature windows (predictWindows), and on a track end to end
// (predictTrack): plan the windows (window-plan.ts) → decode only those → input features (log-mel
// and chroma, features/input-features.ts) → the network
// → the mean over windows of each tag's probability and of the embedding.
import { BettiError } from '../api/errors.ts';
import { decodeMono16k, decodeRangesMono16k, type DecodedAudio, type DecodeRange, type DecodeRequest } from '../audio/decode.ts';
import { DecodeError } from '../audio/errors.ts';
import { probeDuration } from '../audio/probe-duration.ts';
import { inputFeatures, melPart, type InputFeatures } from '../features/input-features.ts';
import { FEATURE_SPEC } from '../features/spec.ts';
import { TFJS_NAME, type Backend } from './backend.ts';
import { spectrogramPicture, type SpectrogramPicture } from './display.ts';
import { loadTf, type LoadedModel } from './load.ts';
import { inputBands, minFrames } from './model-files.ts';
import { loopToMinFrames, standardise } from './network-input.ts';
import type { ForwardTiming } from './network.ts';
import { planWindows, type AnalysisWindow } from './window-plan.ts';

/** Windows of equal length run through the network together, at most this many at a time. */
export const MAX_BATCH = 16;

export interface WindowOutput {
  /** Frames the network saw (after the short-input rule). */
  readonly frames: number;
  readonly segments: number;
  /** Per tag (model.tags order): the mean over segments (and over the model's members) of the segment sigmoids. */
  readonly probabilities: Float32Array;
  /** [segments, tags], the first member's */
  readonly segmentLogits: Float32Array;
  /** The last head layer's output, mean over segments (512 values in PCNN_CONFIG). */
  readonly embedding: Float32Array;
  /** [segments, conv branch channels] */
  readonly convBranch: Float32Array;
  /** [segments, filters · k · points] (64 channels × 5 landscapes × 10 points), channel-major; null for the FCN. */
  readonly landscapeBranch: Float32Array | null;
  /** [segments, filters · lags] (64 channels × 64 lags), channel-major; null without a rhythm branch. */
  readonly rhythmBranch: Float32Array | null;
  /** [segments, chroma profiles]; null without a chroma branch. */
  readonly chromaBranch: Float32Array | null;
}

/** Makes tfjs run on the model's backend (the setting is process-wide; another model may have moved it). */
async function useBackend(backend: Backend): Promise<void> {
  const tf = await loadTf();
  const name = TFJS_NAME[backend];
  if (tf.getBackend() !== name && !(await tf.setBackend(name))) throw new BettiError('internal', `the ${backend} tfjs backend this model was loaded on no longer initialises`);
}

/**
 * The network on raw feature windows (as features/input-features.ts computes them; standardised here).
 * Windows shorter than one segment are looped (the short-input rule); any longer length works
 * and gives more segments. `timing`, when given, accumulates the stages' milliseconds.
 */
export async function predictWindows(model: LoadedModel, windows: readonly InputFeatures[], timing?: ForwardTiming): Promise<WindowOutput[]> {
  const { network, config } = model;
  const bands = inputBands(config);
  const least = minFrames(config);
  const inputs = windows.map((mel, i) => {
    if (mel.bands !== bands) throw new BettiError('invalid-request', `feature window ${i} has ${mel.bands} columns per frame, the model takes ${bands} (${config.frontEnd.bands} mel bands and the chroma bins)`);
    if (mel.frames < 1 || mel.data.length !== mel.frames * mel.bands) throw new BettiError('invalid-request', `feature window ${i}: ${mel.data.length} values do not fill ${mel.frames} frames × ${mel.bands} columns (≥ 1 frame needed)`);
    return loopToMinFrames(mel, least);
  });
  await useBackend(model.backend);

  const outputs = new Array<WindowOutput>(inputs.length);
  const byLength = new Map<number, number[]>();
  inputs.forEach((mel, i) => byLength.set(mel.frames, [...(byLength.get(mel.frames) ?? []), i]));
  const tagCount = network.tags;
  const units = network.embeddingSize;
  for (const [frames, sameLength] of byLength) {
    for (let from = 0; from < sameLength.length; from += MAX_BATCH) {
      const batch = sameLength.slice(from, from + MAX_BATCH);
      const x = new Float32Array(batch.length * frames * bands);
      batch.forEach((w, b) => standardise(inputs[w]!, model.standardisation.mean, model.standardisation.std, x, b * frames * bands));
      // Every member runs; the probabilities are their mean, the other outputs the first member's.
      const runs = model.members.map((m) => m.forward(x, batch.length, frames));
      const r = runs[0]!;
      if (timing) {
        for (const run of runs) {
          timing.convMs += run.timing.convMs;
          timing.landscapeMs += run.timing.landscapeMs;
          timing.restMs += run.timing.restMs;
        }
      }
      const S = r.segments;
      // Every batch output holds the windows one after another, each the same share of it.
      const ofWindow = (all: Float32Array, b: number): Float32Array => {
        const size = all.length / batch.length;
        return all.slice(b * size, (b + 1) * size);
      };
      batch.forEach((w, b) => {
        const logits = ofWindow(r.logits, b);
        const probabilities = new Float32Array(tagCount);
        const embedding = new Float32Array(units);
        const share = 1 / (S * runs.length);
        for (const run of runs) {
          const own = ofWindow(run.logits, b);
          for (let s = 0; s < S; s++) for (let t = 0; t < tagCount; t++) probabilities[t] += share / (1 + Math.exp(-own[s * tagCount + t]!));
        }
        for (let s = 0; s < S; s++) for (let u = 0; u < units; u++) embedding[u] += r.embedding[(b * S + s) * units + u]! / S;
        outputs[w] = {
          frames,
          segments: S,
          probabilities,
          segmentLogits: logits,
          embedding,
          convBranch: ofWindow(r.convBranch, b),
          landscapeBranch: r.landscapeBranch ? ofWindow(r.landscapeBranch, b) : null,
          rhythmBranch: r.rhythmBranch ? ofWindow(r.rhythmBranch, b) : null,
          chromaBranch: r.chromaBranch ? ofWindow(r.chromaBranch, b) : null,
        };
      });
    }
  }
  return outputs;
}

export interface TrackTiming extends ForwardTiming {
  decodeMs: number;
  /** The input features: log-mel and chroma. */
  logMelMs: number;
}

export interface TrackDisplay {
  /** The analysed windows' log-mels (what the network heard), each window a block of columns. */
  readonly logMel: SpectrogramPicture;
  /** Per window, per segment: filters × k × points landscape values (64 × 5 × 10), channel-major. Empty for the FCN. */
  readonly landscapes: number[][][];
  readonly landscapeShape: { readonly channels: number; readonly k: number; readonly points: number };
}

export interface TrackPrediction {
  readonly path: string;
  readonly durationSec: number;
  readonly windows: number;
  readonly backend: Backend;
  readonly modelVersion: string;
  readonly architecture: LoadedModel['architecture'];
  /** Every tag of the model's vocabulary → mean probability over the windows, in vocabulary order. */
  readonly tags: Record<string, number>;
  /** Tags at or above their threshold (tags.json), most probable first. */
  readonly aboveThreshold: string[];
  /** Mean over windows of the window embeddings. */
  readonly embedding: number[];
  /** `probabilities` in vocabulary order (model.tags). */
  readonly perWindow: { offset: number; duration: number; probabilities: number[] }[];
  readonly display?: TrackDisplay;
  readonly timing: TrackTiming;
}

export interface PredictTrackOptions {
  readonly signal?: AbortSignal;
  /** At most this many windows (window-plan.ts DEFAULT_WINDOWS when unset). */
  readonly maxWindows?: number;
  /** Also return the pictures, made of the windows' log-mels (nothing more is decoded). */
  readonly display?: boolean;
  /** Decoder choice, for tests and benchmarks (decode.ts). */
  readonly decoder?: DecodeRequest['decoder'];
  /** The decoding function (default decodeRangesMono16k), for tests that watch what is decoded. */
  readonly decodeRanges?: (path: string, ranges: readonly DecodeRange[], request: Omit<DecodeRequest, keyof DecodeRange>) => Promise<DecodedAudio[]>;
}

function checkAborted(path: string, signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DecodeError('cancelled', path, 'cancelled', { cause: signal.reason });
}

const samplesAt = (seconds: number) => Math.round(seconds * FEATURE_SPEC.sampleRate);

/** The first `frames` frames of a window's features (a decoded window may give one frame more than the window). */
function firstFrames(mel: InputFeatures, frames: number): InputFeatures {
  return mel.frames <= frames ? mel : { frames, bands: mel.bands, data: mel.data.subarray(0, frames * mel.bands) };
}

const cutWindows = (whole: Float32Array, plan: readonly AnalysisWindow[]) => plan.map((w) => whole.subarray(samplesAt(w.offset), samplesAt(w.offset + w.duration)));

/**
 * Decodes the planned windows of `path` — only them, by seeking, pictures or not (issue 7) — and
 * computes their log-mels; the picture, when asked for, is made of those same log-mels.
 */
async function windowLogMels(model: LoadedModel, path: string, opts: PredictTrackOptions, timing: TrackTiming): Promise<{ durationSec: number; plan: AnalysisWindow[]; mels: InputFeatures[]; picture?: SpectrogramPicture }> {
  const decodeRanges = opts.decodeRanges ?? decodeRangesMono16k;
  const request = { ...(opts.signal ? { signal: opts.signal } : {}), ...(opts.decoder ? { decoder: opts.decoder } : {}) };
  const planOpts = { path, ...(opts.maxWindows === undefined ? {} : { maxWindows: opts.maxWindows }) };
  let t = performance.now();
  let whole: Float32Array | undefined;
  let durationSec: number;
  try {
    durationSec = await probeDuration(path);
  } catch (err) {
    // No duration in the headers (or a format music-metadata does not know): decode it all once.
    if (!(err instanceof DecodeError) || err.kind !== 'unsupported-format') throw err;
    whole = (await decodeMono16k(path, request)).samples;
    durationSec = whole.length / FEATURE_SPEC.sampleRate;
  }
  const plan = planWindows(durationSec, model.window, planOpts);
  checkAborted(path, opts.signal);
  const pieces = whole ? cutWindows(whole, plan) : (await decodeRanges(path, plan, request)).map((d) => d.samples);
  timing.decodeMs += performance.now() - t;

  t = performance.now();
  const mels: InputFeatures[] = [];
  const kept: AnalysisWindow[] = [];
  pieces.forEach((samples, i) => {
    // A header may promise more audio than the file holds: a window past the real end is dropped.
    if (samples.length < samplesAt(0.1)) return;
    mels.push(firstFrames(inputFeatures(samples), model.window.frames));
    kept.push(plan[i]!);
  });
  const picture = opts.display ? spectrogramPicture(kept.map((w, i) => ({ offset: w.offset, duration: w.duration, mel: melPart(mels[i]!, model.config.frontEnd.bands) }))) : undefined;
  timing.logMelMs += performance.now() - t;
  if (mels.length === 0) throw new DecodeError('decode-failed', path, `no audio could be decoded in the analysis windows (the headers say ${durationSec.toFixed(1)} s)`, { hint: 'Check that the file plays to its end; it may be truncated.' });
  return { durationSec, plan: kept, mels, ...(picture ? { picture } : {}) };
}

/** Mean of equally long vectors. */
function meanOf(vectors: readonly Float32Array[]): number[] {
  const out = new Array<number>(vectors[0]!.length).fill(0);
  for (const v of vectors) for (let i = 0; i < v.length; i++) out[i] += v[i]! / vectors.length;
  return out;
}

/** A track's tags: windows spread over it (window-plan.ts), probabilities and embeddings averaged. */
export async function predictTrack(model: LoadedModel, path: string, opts: PredictTrackOptions = {}): Promise<TrackPrediction> {
  const timing: TrackTiming = { decodeMs: 0, logMelMs: 0, convMs: 0, landscapeMs: 0, restMs: 0 };
  checkAborted(path, opts.signal);
  const { durationSec, plan, mels, picture } = await windowLogMels(model, path, opts, timing);
  checkAborted(path, opts.signal);
  const outputs = await predictWindows(model, mels, timing);

  const mean = meanOf(outputs.map((o) => o.probabilities));
  const tags: Record<string, number> = {};
  model.tags.forEach((t, i) => (tags[t.tag] = mean[i]!));
  const aboveThreshold = model.tags
    .map((t, i) => ({ tag: t.tag, p: mean[i]!, above: mean[i]! >= t.threshold }))
    .filter((t) => t.above)
    .sort((a, b) => b.p - a.p)
    .map((t) => t.tag);
  const prediction: TrackPrediction = {
    path,
    durationSec,
    windows: outputs.length,
    backend: model.backend,
    modelVersion: model.modelVersion,
    architecture: model.architecture,
    tags,
    aboveThreshold,
    embedding: meanOf(outputs.map((o) => o.embedding)),
    perWindow: plan.map((w, i) => ({ offset: w.offset, duration: w.duration, probabilities: Array.from(outputs[i]!.probabilities) })),
    timing,
  };
  if (!opts.display || !picture) return prediction;
  const { filters: channels } = model.config.frontEnd;
  const { k, points } = model.config.landscape;
  const size = channels * k * points;
  const landscapes = outputs.map((o) => {
    const land = o.landscapeBranch;
    if (!land) return [];
    return Array.from({ length: o.segments }, (_, s) => Array.from(land.subarray(s * size, (s + 1) * size)));
  });
  return { ...prediction, display: { logMel: picture, landscapes, landscapeShape: { channels, k, points } } };
}
