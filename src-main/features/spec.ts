// The analysis spec (DESIGN.md "The analysis spec"): every number that turns decoded audio into
// the network's input lives here. Cached analyses and the shipped model carry `version`; a
// mismatch is an error, never a silent re-use, so change the version with any number.
// Version 2 keeps version 1's log-mel as it was and appends a 12-bin log-chroma to each frame:
// the mel bands resolve semitones only above about 1 kHz, so the log-mel alone carries too
// little of a piece's key and mode (training/README.md, "Why a chroma").
export const FEATURE_SPEC = {
  version: 'betti-features-2',
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
  /**
   * The pitch-class input, appended to each log-mel frame: frame t is a second STFT centred on
   * the same sample t·hop (periodic Hann of `nFft` samples, zeros outside the signal, so the
   * frames line up with the log-mel's one for one). Bin k (frequency k·sampleRate/nFft) in
   * [fMin, fMax) adds |X_k|² · scale to pitch class round(12·log2(f / 440)) + 9 mod 12 (C = 0);
   * each class is compressed as the mel bands are: log10(1 + logMultiplier · sum).
   */
  chroma: {
    /** 4096 samples at 16 kHz: 3.9 Hz bins, and a Hann main lobe of ±7.8 Hz, so a note keeps most of its power in its own class from about 130 Hz (C3) up; lower notes spill into their neighbours. */
    nFft: 4096,
    fMin: 55,
    fMax: 2000,
    bins: 12,
    /** (512 / 4096)²: a steady tone's bin power grows with the window's length squared; this keeps chroma values on the mel bands' scale. */
    scale: 1 / 64,
  },
} as const;

/** Columns of the network's input per frame: the mel bands, then the chroma bins. */
export const INPUT_BANDS = FEATURE_SPEC.nMels + FEATURE_SPEC.chroma.bins;

export type FeatureSpec = typeof FEATURE_SPEC;
