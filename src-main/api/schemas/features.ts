// Contract part: the network's input for one file (or a range of it), as `betti features` and the
// inspector's spectrogram see it: decode to 16 kHz mono, then log-mel and log-chroma per the
// feature spec.
import { z } from 'zod';
import { FEATURE_SPEC } from '../../features/spec.ts';
import { method } from './define.ts';

/** The spec as data (the constant in src-main/features/spec.ts, echoed so results say what made them). */
export const FeatureSpecSchema = z.object({
  version: z.literal(FEATURE_SPEC.version),
  sampleRate: z.number(),
  nFft: z.number().int(),
  hop: z.number().int(),
  center: z.boolean(),
  padMode: z.string(),
  window: z.string(),
  nMels: z.number().int(),
  fMin: z.number(),
  fMax: z.number(),
  melScale: z.string(),
  melNorm: z.string(),
  logMultiplier: z.number(),
  chroma: z.object({ nFft: z.number().int(), fMin: z.number(), fMax: z.number(), bins: z.number().int(), scale: z.number() }),
});

export const FeaturesComputeRequest = z
  .object({
    path: z.string().min(1, 'path must name an audio file'),
    /** Seconds from the start of the file. */
    offset: z.number().finite().min(0).optional(),
    /** Seconds to analyse (default: to the end of the file). */
    duration: z.number().finite().positive().optional(),
  })
  .strict();

export const FeaturesComputeResponse = z.object({
  spec: FeatureSpecSchema,
  path: z.string(),
  /** Which decoder ran (see src-main/audio/decode.ts), e.g. `ffmpeg-system/soxr`. */
  decoder: z.string(),
  /** Seconds of audio decoded. */
  durationSec: z.number(),
  frames: z.number().int().min(0),
  bands: z.number().int(),
  /** frames × bands log-mel values, log10(1 + 10000 · mel power). */
  logMel: z.array(z.array(z.number())),
  /** frames × 12 log-chroma values (C first), the network's other input columns. */
  chroma: z.array(z.array(z.number())),
  timing: z.object({ decodeMs: z.number(), logMelMs: z.number(), chromaMs: z.number() }),
});
export type FeaturesComputeResponse = z.infer<typeof FeaturesComputeResponse>;

export const featuresMethods = {
  'features.compute': method({
    summary: 'Decode a file (or a range of it) to 16 kHz mono and compute its log-mel spectrogram and chroma.',
    request: FeaturesComputeRequest,
    response: FeaturesComputeResponse,
  }),
};
