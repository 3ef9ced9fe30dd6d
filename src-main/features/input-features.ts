// The network's input per frame (analysis spec version 2): the log-mel's bands, then the
// log-chroma's bins, one row per frame. Training (training/extract-features.ts) and every
// inference path compute it here, so both see the same numbers.
import { chroma } from './chroma.ts';
import { logMel, type LogMel } from './logmel.ts';
import { INPUT_BANDS } from './spec.ts';

/** Frames × INPUT_BANDS (mel bands first, then chroma bins); the same shape as a log-mel, wider. */
export type InputFeatures = LogMel;

/** The network's input features of 16 kHz mono samples in [-1, 1]. */
export function inputFeatures(samples: Float32Array): InputFeatures {
  const mel = logMel(samples);
  const pitch = chroma(samples);
  if (pitch.frames !== mel.frames) throw new Error(`inputFeatures: ${mel.frames} log-mel frames but ${pitch.frames} chroma frames`);
  const data = new Float32Array(mel.frames * INPUT_BANDS);
  for (let t = 0; t < mel.frames; t++) {
    data.set(mel.data.subarray(t * mel.bands, (t + 1) * mel.bands), t * INPUT_BANDS);
    data.set(pitch.data.subarray(t * pitch.bins, (t + 1) * pitch.bins), t * INPUT_BANDS + mel.bands);
  }
  return { frames: mel.frames, bands: INPUT_BANDS, data };
}

/** The log-mel part of input features (for pictures): the first `nMels` columns of each frame. */
export function melPart(features: InputFeatures, nMels: number): LogMel {
  if (features.bands === nMels) return features;
  const data = new Float32Array(features.frames * nMels);
  for (let t = 0; t < features.frames; t++) data.set(features.data.subarray(t * features.bands, t * features.bands + nMels), t * nMels);
  return { frames: features.frames, bands: nMels, data };
}
