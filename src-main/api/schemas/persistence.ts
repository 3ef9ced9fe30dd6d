// Contract part: the persistence calculator. Given sequences, their 0-dimensional superlevel
// persistence diagrams and landscapes, exactly as the network's landscape layer computes them
// (src-main/features/persistence.ts, landscape.ts), so anyone can check them against GUDHI.
import { z } from 'zod';
import { PCNN_CONFIG } from '../../model/config.ts';
import { method } from './define.ts';

// Bounds keep one request to a size a calculator answers in a moment; the network itself never
// goes through this method.
const MAX_SEGMENTS = 100_000;
const MAX_SEGMENT_LENGTH = 100_000;
const MAX_LANDSCAPE_VALUES = 1_000_000;

export const LandscapeParamsSchema = z
  .object({
    k: z.number().int().min(1).max(1000),
    points: z.number().int().min(1).max(10_000),
    lo: z.number(),
    hi: z.number(),
  })
  .strict()
  .refine((p) => p.lo < p.hi, { message: 'lo must be smaller than hi', path: ['hi'] });

export const PersistencePairSchema = z.object({
  birth: z.number(),
  death: z.number(),
  birthIndex: z.number().int().min(0),
  deathIndex: z.number().int().min(0),
});

export const PersistenceRequest = z
  .object({
    /** Each segment a sequence of finite numbers (zod refuses NaN and ±Infinity, naming the index). */
    segments: z.array(z.array(z.number()).max(MAX_SEGMENT_LENGTH)).max(MAX_SEGMENTS),
    /** Landscape sampling; defaults to the network's (src-main/model/config.ts). */
    landscape: LandscapeParamsSchema.default({ ...PCNN_CONFIG.landscape }),
  })
  .strict()
  .refine((r) => r.segments.length * r.landscape.k * r.landscape.points <= MAX_LANDSCAPE_VALUES, {
    // Not toLocaleString: formatting at import time would load ICU (~35 ms) into every `betti` start.
    message: `segments × k × points must stay within ${String(MAX_LANDSCAPE_VALUES).replace(/\B(?=(\d{3})+$)/g, ',')} landscape values`,
    path: ['segments'],
  });

export const PersistenceResponse = z.object({
  /** One diagram per segment: the essential pair (death = the segment's minimum) first, then by persistence. */
  diagrams: z.array(z.array(PersistencePairSchema)),
  /** One row per segment: λ₁ at every sample point, then λ₂, … (k · points values). */
  landscapes: z.array(z.array(z.number())),
  params: LandscapeParamsSchema,
});
export type PersistenceResponse = z.infer<typeof PersistenceResponse>;

export const persistenceMethods = {
  'features.persistence': method({
    summary: '0-dimensional superlevel persistence diagrams and landscapes of the given sequences.',
    request: PersistenceRequest,
    response: PersistenceResponse,
  }),
};
