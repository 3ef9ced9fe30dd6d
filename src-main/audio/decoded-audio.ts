// What every decoder returns, and the time range a caller may ask for.
import { FEATURE_SPEC } from '../features/spec.ts';

export interface DecodedAudio {
  /** Mono (mean of channels), in [-1, 1], at FEATURE_SPEC.sampleRate. */
  samples: Float32Array;
  sampleRate: typeof FEATURE_SPEC.sampleRate;
  /** Seconds of audio decoded: samples.length / sampleRate. */
  durationSec: number;
  /** Which decoder produced it, e.g. `ffmpeg-system/soxr` (features depend slightly on the resampler). */
  decoder: string;
}

export interface DecodeRange {
  /** Seconds from the start of the file (default 0). */
  offset?: number;
  /** Seconds to decode (default: to the end). */
  duration?: number;
}

export interface DecodeOptions extends DecodeRange {
  signal?: AbortSignal;
}

/** Samples a range of `duration` seconds holds at the analysis rate. */
export function samplesFor(duration: number): number {
  return Math.round(duration * FEATURE_SPEC.sampleRate);
}
