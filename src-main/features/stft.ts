// Short-time power spectrum: periodic Hann window, centred frames over a zero-padded signal,
// |X|² per bin (DESIGN.md "The analysis spec"). One instance reuses its FFT tables and buffers,
// so it is cheap per frame and not safe to share between concurrent callers (there are none:
// each worker thread owns its own).
import FFT from 'fft.js';

/** w[n] = 0.5 − 0.5·cos(2πn / size): the periodic Hann window (scipy `hann(size, sym=False)`). */
export function periodicHann(size: number): Float64Array {
  const w = new Float64Array(size);
  for (let n = 0; n < size; n++) w[n] = 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / size);
  return w;
}

/** Frames of a centred STFT of `length` samples: 1 + floor(length / hop) (librosa, center=True). */
export function centredFrameCount(length: number, hop: number): number {
  return 1 + Math.floor(length / hop);
}

export class PowerStft {
  readonly nFft: number;
  readonly hop: number;
  readonly nBins: number;
  private readonly fft: FFT;
  private readonly window: Float64Array;
  private readonly frame: Float64Array;
  private readonly spectrum: Float64Array;

  constructor(nFft: number, hop: number) {
    if (!Number.isInteger(Math.log2(nFft)) || nFft < 4) throw new RangeError(`STFT size must be a power of two ≥ 4, got ${nFft}`);
    this.nFft = nFft;
    this.hop = hop;
    this.nBins = nFft / 2 + 1;
    this.fft = new FFT(nFft);
    this.window = periodicHann(nFft);
    this.frame = new Float64Array(nFft);
    this.spectrum = new Float64Array(2 * nFft);
  }

  /**
   * Writes |X_t[k]|², k = 0 … nFft/2, of frame t into `out`. Frame t is centred on sample t·hop:
   * it covers samples t·hop − nFft/2 … t·hop + nFft/2 − 1, zeros outside the signal.
   */
  powerFrame(samples: Float32Array, t: number, out: Float64Array): void {
    const { nFft, frame, window, spectrum } = this;
    const begin = t * this.hop - nFft / 2;
    const from = Math.max(0, -begin);
    const to = Math.min(nFft, samples.length - begin);
    if (from > 0 || to < nFft) frame.fill(0);
    for (let n = from; n < to; n++) frame[n] = samples[begin + n]! * window[n]!;
    // realTransform fills bins 0 … nFft/2 as interleaved (re, im); the rest is left untouched.
    this.fft.realTransform(spectrum, frame);
    for (let k = 0; k < this.nBins; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      out[k] = re * re + im * im;
    }
  }
}
