// The rhythm branch (DESIGN.md allows "other pooling" beside the paper's two branches): per
// segment and front-end filter, the normalised autocorrelation of the filter's activations frame
// by frame (before the time pooling), at lags 1 … lags. The conv branch max-pools a segment and
// the landscape keeps heights, not positions, so neither sees a beat period, a bar or a swung
// eighth; an onset-like filter's autocorrelation peaks at exactly those lags.
//
//   r[c, l] = Σ_t a[t, c]·a[t + l, c] / (Σ_t a[t, c]² + RHYTHM_EPS),
//
// a = the segment's activations of filter c minus their mean over the segment, samples past the
// segment's end counting as zero. training/pcnn/rhythm.py computes the same numbers through the
// FFT (parity.json holds the two together); here, direct sums in float64 are exact enough and
// cost about 0.5 M multiply-adds per segment, under a tenth of the conv branch's matmul (6.6 M).

/** Keeps a silent filter at 0 instead of dividing by nothing (activations are of order 1). */
export const RHYTHM_EPS = 0.1;

export interface RhythmLayout {
  readonly batch: number;
  /** Frames of front-end output per window in `activations` (≥ segments · segmentFrames). */
  readonly frames: number;
  readonly channels: number;
}

export interface RhythmParams {
  readonly segments: number;
  /** Front-end frames per segment (segment steps × time pool). */
  readonly segmentFrames: number;
  readonly lags: number;
}

/**
 * activations [batch, frames, channels] (row-major, channels fastest: tfjs's conv1d output)
 * → [batch, segments, channels · lags], channel-major per segment (index c·lags + l − 1).
 */
export function segmentAutocorrelation(activations: Float32Array, layout: RhythmLayout, params: RhythmParams): Float32Array {
  const { batch, frames, channels: C } = layout;
  const { segments: S, segmentFrames: N, lags } = params;
  if (activations.length !== batch * frames * C) throw new Error(`rhythm: ${activations.length} values do not fill [${batch}, ${frames}, ${C}]`);
  if (S * N > frames) throw new Error(`rhythm: ${S} segments of ${N} frames do not fit in ${frames} frames`);
  if (!(lags >= 1 && lags < N)) throw new Error(`rhythm: lags must be in 1 … ${N - 1}, got ${lags}`);
  const out = new Float32Array(batch * S * C * lags);
  const x = new Float64Array(N);
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < S; s++) {
      const first = (b * frames + s * N) * C;
      const dest = (b * S + s) * C * lags;
      for (let c = 0; c < C; c++) {
        let mean = 0;
        for (let t = 0; t < N; t++) mean += activations[first + t * C + c]!;
        mean /= N;
        let energy = 0;
        for (let t = 0; t < N; t++) {
          const v = activations[first + t * C + c]! - mean;
          x[t] = v;
          energy += v * v;
        }
        const scale = 1 / (energy + RHYTHM_EPS);
        for (let l = 1; l <= lags; l++) {
          let sum = 0;
          for (let t = 0; t + l < N; t++) sum += x[t]! * x[t + l]!;
          out[dest + c * lags + l - 1] = sum * scale;
        }
      }
    }
  }
  return out;
}
