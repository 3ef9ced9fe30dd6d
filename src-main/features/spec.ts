// The analysis spec, version 1 (DESIGN.md "The analysis spec"): every number that turns decoded
// audio into the network's input lives here. Cached analyses and the shipped model carry
// `version`; a mismatch is an error, never a silent re-use, so change the version with any number.
export const FEATURE_SPEC = {
  version: 'betti-features-1',
  /** Mono, samples in [-1, 1], anti-aliased resample to this rate (Hz). */
  sampleRate: 16000,
  /** STFT size and window length (samples). */
  nFft: 512,
  /** Samples between frame starts. */
  hop: 512,
  /** Frames are centred: the signal is padded by nFft / 2 samples on each side. */
  center: true,
  /** The centring pad is zeros (not librosa's default reflect padding). */
  padMode: 'zeros',
  /** Periodic Hann: w[n] = 0.5 - 0.5 cos(2πn / nFft), n = 0 … nFft − 1 (scipy `hann(sym=False)`). */
  window: 'hann-periodic',
  nMels: 128,
  fMin: 0,
  fMax: 8000,
  /** Slaney (Auditory Toolbox) mel scale: linear below 1 kHz, logarithmic above. */
  melScale: 'slaney',
  /** Each triangle scaled to unit area: 2 / (upper − lower edge in Hz). */
  melNorm: 'slaney',
  /** Compression: log10(1 + logMultiplier · mel power). */
  logMultiplier: 10000,
} as const;

export type FeatureSpec = typeof FEATURE_SPEC;
