// The Slaney mel filterbank (Auditory Toolbox; librosa's `filters.mel(htk=False, norm='slaney')`),
// stored sparse: each band is a triangle over a few dozen FFT bins, so applying it costs about
// 2 × (nFft / 2 + 1) multiply-adds per frame instead of nMels × (nFft / 2 + 1).
import { FEATURE_SPEC } from './spec.ts';

// Slaney's scale: linear (3 mels per 200 Hz) below 1 kHz, logarithmic above, continuous at 1 kHz.
const F_SP = 200 / 3;
const MIN_LOG_HZ = 1000;
const MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
const LOG_STEP = Math.log(6.4) / 27;

export function hzToMelSlaney(hz: number): number {
  return hz >= MIN_LOG_HZ ? MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOG_STEP : hz / F_SP;
}

export function melToHzSlaney(mel: number): number {
  return mel >= MIN_LOG_MEL ? MIN_LOG_HZ * Math.exp(LOG_STEP * (mel - MIN_LOG_MEL)) : F_SP * mel;
}

export interface MelFilterbankOptions {
  sampleRate: number;
  nFft: number;
  nMels: number;
  fMin: number;
  fMax: number;
}

/** Band b weighs FFT bins start[b] … start[b] + length[b] − 1 with weights[offset[b] …]. */
export interface SparseMelFilterbank {
  readonly nMels: number;
  readonly nBins: number;
  readonly start: Int32Array;
  readonly length: Int32Array;
  readonly offset: Int32Array;
  readonly weights: Float64Array;
}

/** Dense band × bin matrix of the filterbank (row-major), e.g. to compare with a reference. */
export function denseMelFilterbank(opts: MelFilterbankOptions): Float64Array {
  const { sampleRate, nFft, nMels, fMin, fMax } = opts;
  const nBins = Math.floor(nFft / 2) + 1;
  // nMels + 2 edges equally spaced on the mel scale, back in Hz.
  const melMin = hzToMelSlaney(fMin);
  const melMax = hzToMelSlaney(fMax);
  const edges = new Float64Array(nMels + 2);
  for (let i = 0; i < nMels + 2; i++) edges[i] = melToHzSlaney(melMin + ((melMax - melMin) * i) / (nMels + 1));
  const dense = new Float64Array(nMels * nBins);
  for (let b = 0; b < nMels; b++) {
    const lo = edges[b]!;
    const mid = edges[b + 1]!;
    const hi = edges[b + 2]!;
    // Slaney norm: each triangle has unit area in Hz, so wide high bands do not dominate.
    const enorm = 2 / (hi - lo);
    for (let k = 0; k < nBins; k++) {
      const f = (k * sampleRate) / nFft;
      const rising = (f - lo) / (mid - lo);
      const falling = (hi - f) / (hi - mid);
      const w = Math.max(0, Math.min(rising, falling));
      dense[b * nBins + k] = w * enorm;
    }
  }
  return dense;
}

export function sparseMelFilterbank(opts: MelFilterbankOptions): SparseMelFilterbank {
  const { nMels } = opts;
  const nBins = Math.floor(opts.nFft / 2) + 1;
  const dense = denseMelFilterbank(opts);
  const start = new Int32Array(nMels);
  const length = new Int32Array(nMels);
  const offset = new Int32Array(nMels);
  const weights: number[] = [];
  for (let b = 0; b < nMels; b++) {
    let first = -1;
    let last = -1;
    for (let k = 0; k < nBins; k++) {
      if (dense[b * nBins + k]! !== 0) {
        if (first < 0) first = k;
        last = k;
      }
    }
    offset[b] = weights.length;
    if (first < 0) continue; // a band narrower than the bin spacing holds no weight (none in spec 1)
    start[b] = first;
    length[b] = last - first + 1;
    for (let k = first; k <= last; k++) weights.push(dense[b * nBins + k]!);
  }
  return { nMels, nBins, start, length, offset, weights: Float64Array.from(weights) };
}

let specBank: SparseMelFilterbank | undefined;

/** The filterbank of FEATURE_SPEC, built once. */
export function specMelFilterbank(): SparseMelFilterbank {
  specBank ??= sparseMelFilterbank(FEATURE_SPEC);
  return specBank;
}
