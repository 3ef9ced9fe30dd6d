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
// cost about 0.4 M multiply-adds per segment, under a tenth of the conv branch's matmul (6.6 M).

/** Keeps a silent filter at 0 instead of dividing by nothing (activations are of order 1). */
export const RHYTHM_EPS = 0.1;
/** Lags computed per pass over a segment (the unrolled loop below holds eight sums). */
const LAG_BLOCK = 8;

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
  // Zeros past the segment's end: every lag's sum then runs over the same bounds.
  const x = new Float64Array(N + lags + LAG_BLOCK);
  for (let b = 0; b < batch; b++) {
    for (let s = 0; s < S; s++) {
      const first = (b * frames + s * N) * C;
      const dest = (b * S + s) * C * lags;
      for (let c = 0; c < C; c++) {
        let mean = 0;
        for (let t = 0, i = first + c; t < N; t++, i += C) mean += activations[i]!;
        mean /= N;
        let energy = 0;
        for (let t = 0, i = first + c; t < N; t++, i += C) {
          const v = activations[i]! - mean;
          x[t] = v;
          energy += v * v;
        }
        const scale = 1 / (energy + RHYTHM_EPS);
        const o = dest + c * lags - 1; // out[o + l] is lag l
        let l = 1;
        // Eight lags per pass over the segment, the shifted samples carried in locals: each x[t]
        // is loaded once for eight products (bench/model: the branch took a fifth of a wasm
        // forward pass with one lag per pass, under a tenth with eight). Same sums, same order.
        for (; l + LAG_BLOCK - 1 <= lags; l += LAG_BLOCK) {
          let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
          let a1 = x[l]!, a2 = x[l + 1]!, a3 = x[l + 2]!, a4 = x[l + 3]!, a5 = x[l + 4]!, a6 = x[l + 5]!, a7 = x[l + 6]!;
          for (let t = 0, end = N - l; t < end; t++) {
            const xt = x[t]!;
            const a8 = x[t + l + 7]!;
            s0 += xt * a1;
            s1 += xt * a2;
            s2 += xt * a3;
            s3 += xt * a4;
            s4 += xt * a5;
            s5 += xt * a6;
            s6 += xt * a7;
            s7 += xt * a8;
            a1 = a2;
            a2 = a3;
            a3 = a4;
            a4 = a5;
            a5 = a6;
            a6 = a7;
            a7 = a8;
          }
          out[o + l] = s0 * scale;
          out[o + l + 1] = s1 * scale;
          out[o + l + 2] = s2 * scale;
          out[o + l + 3] = s3 * scale;
          out[o + l + 4] = s4 * scale;
          out[o + l + 5] = s5 * scale;
          out[o + l + 6] = s6 * scale;
          out[o + l + 7] = s7 * scale;
        }
        for (; l <= lags; l++) {
          let sum = 0;
          for (let t = 0, end = N - l; t < end; t++) sum += x[t]! * x[t + l]!;
          out[o + l] = sum * scale;
        }
      }
    }
  }
  return out;
}
