// The pitch-class input (FEATURE_SPEC.chroma): per frame, the power of a long STFT summed by
// pitch class and log-compressed like the mel bands. Frames are centred on the same samples as
// the log-mel's (t · hop), so row t of both describes the same moment.
import { FEATURE_SPEC, type FeatureSpec } from './spec.ts';
import { centredFrameCount, PowerStft } from './stft.ts';

export interface Chroma {
  frames: number;
  bins: number;
  /** Row-major frames × bins; bin 0 is C. */
  data: Float32Array;
}

/** Pitch class (C = 0 … B = 11) of frequency `hz`: the nearest equal-tempered semitone, A4 = 440 Hz. */
export function pitchClass(hz: number): number {
  const semitone = Math.round(12 * Math.log2(hz / 440)) + 9;
  return ((semitone % 12) + 12) % 12;
}

/** Reuses one STFT and one power buffer for every call (one instance per thread). */
export class ChromaExtractor {
  private readonly stft: PowerStft;
  private readonly power: Float64Array;
  /** FFT bins first … first + classOf.length − 1 are summed; classOf[i] is bin (first + i)'s class. */
  private readonly first: number;
  private readonly classOf: Uint8Array;
  private readonly sums: Float64Array;
  /** logMultiplier · scale: the factor inside the log. */
  private readonly gain: number;

  constructor(spec: FeatureSpec = FEATURE_SPEC) {
    const { nFft, fMin, fMax, bins, scale } = spec.chroma;
    this.stft = new PowerStft(nFft, spec.hop);
    this.power = new Float64Array(this.stft.nBins);
    const binHz = spec.sampleRate / nFft;
    this.first = Math.ceil(fMin / binHz);
    const last = Math.ceil(fMax / binHz) - 1; // f < fMax
    this.classOf = Uint8Array.from({ length: last - this.first + 1 }, (_, i) => pitchClass((this.first + i) * binHz));
    this.sums = new Float64Array(bins);
    this.gain = spec.logMultiplier * scale;
  }

  compute(samples: Float32Array): Chroma {
    const frames = centredFrameCount(samples.length, this.stft.hop);
    const { power, classOf, first, sums, gain } = this;
    const bins = sums.length;
    const data = new Float32Array(frames * bins);
    for (let t = 0; t < frames; t++) {
      this.stft.powerFrame(samples, t, power);
      sums.fill(0);
      for (let i = 0; i < classOf.length; i++) sums[classOf[i]!]! += power[first + i]!;
      for (let c = 0; c < bins; c++) data[t * bins + c] = Math.log10(1 + gain * sums[c]!);
    }
    return { frames, bins, data };
  }
}

let shared: ChromaExtractor | undefined;

/** Log-chroma frames × FEATURE_SPEC.chroma.bins of 16 kHz mono samples in [-1, 1]. */
export function chroma(samples: Float32Array): Chroma {
  shared ??= new ChromaExtractor();
  return shared.compute(samples);
}
