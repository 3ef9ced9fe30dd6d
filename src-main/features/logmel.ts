// The network's input: log-compressed Slaney mel power spectrogram of 16 kHz mono audio,
// log10(1 + 10000 · mel), frames × bands, row-major (DESIGN.md "The analysis spec", version 1).
import { specMelFilterbank, type SparseMelFilterbank } from './mel-filterbank.ts';
import { FEATURE_SPEC } from './spec.ts';
import { centredFrameCount, PowerStft } from './stft.ts';

export interface LogMel {
  frames: number;
  bands: number;
  /** Row-major frames × bands. */
  data: Float32Array;
}

/** Reuses one STFT, one filterbank and one power buffer for every call. */
export class LogMelExtractor {
  private readonly stft: PowerStft;
  private readonly bank: SparseMelFilterbank;
  private readonly power: Float64Array;
  private readonly multiplier: number;

  constructor() {
    this.stft = new PowerStft(FEATURE_SPEC.nFft, FEATURE_SPEC.hop);
    this.bank = specMelFilterbank();
    this.power = new Float64Array(this.stft.nBins);
    this.multiplier = FEATURE_SPEC.logMultiplier;
  }

  compute(samples: Float32Array): LogMel {
    const frames = centredFrameCount(samples.length, this.stft.hop);
    const { nMels: bands, start, length, offset, weights } = this.bank;
    const data = new Float32Array(frames * bands);
    const power = this.power;
    const multiplier = this.multiplier;
    for (let t = 0; t < frames; t++) {
      this.stft.powerFrame(samples, t, power);
      const row = t * bands;
      for (let b = 0; b < bands; b++) {
        const k0 = start[b]!;
        const w0 = offset[b]!;
        const n = length[b]!;
        let mel = 0;
        for (let j = 0; j < n; j++) mel += weights[w0 + j]! * power[k0 + j]!;
        data[row + b] = Math.log10(1 + multiplier * mel);
      }
    }
    return { frames, bands, data };
  }
}

let shared: LogMelExtractor | undefined;

/** Log-mel frames × FEATURE_SPEC.nMels of 16 kHz mono samples in [-1, 1]. */
export function logMel(samples: Float32Array): LogMel {
  shared ??= new LogMelExtractor();
  return shared.compute(samples);
}
