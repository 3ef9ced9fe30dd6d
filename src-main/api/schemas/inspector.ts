// Contract part: what the UI needs beside the library listing and the analysis result — each
// visible track's analysis state and suggestion counts (the library table's status columns, the
// inspector's header), and the persistence diagram of one channel in one segment of an analysed
// track (the stored analysis keeps the landscapes, not the activations they came from).
import { z } from 'zod';
import { FEATURE_SPEC } from '../../features/spec.ts';
import { PCNN_CONFIG } from '../../model/config.ts';
import { method } from './define.ts';
import { PersistencePairSchema } from './persistence.ts';

/**
 * What the inspector needs to label its pictures. Where the landscape layer's segments lie in
 * time: segment s of a window starting at `offset` covers frames s·stride·pool … (s·stride +
 * steps)·pool + kernelFrames − 2 of that window, a frame being `frameSec` long. The mel bands:
 * `nMels` Slaney-scale bands from `fMin` to `fMax` Hz (for the frequency axis).
 */
export const INSPECTOR_GEOMETRY = {
  frameSec: FEATURE_SPEC.hop / FEATURE_SPEC.sampleRate,
  nMels: FEATURE_SPEC.nMels,
  fMin: FEATURE_SPEC.fMin,
  fMax: FEATURE_SPEC.fMax,
  kernelFrames: PCNN_CONFIG.frontEnd.frames,
  pool: PCNN_CONFIG.frontEnd.poolTime,
  steps: PCNN_CONFIG.segment.steps,
  stride: PCNN_CONFIG.segment.stride,
  landscape: PCNN_CONFIG.landscape,
} as const;

export const AnalysisState = z.enum(['none', 'pending', 'running', 'done', 'failed']);
export type AnalysisState = z.infer<typeof AnalysisState>;

export const TrackStatus = z.object({
  trackId: z.number().int(),
  /** none: never queued; pending: waiting in the queue; running; done: analysed; failed: see error. */
  analysis: AnalysisState,
  /** Why the last analysis failed, in words. */
  error: z.object({ kind: z.string(), message: z.string() }).nullable(),
  /** Suggestions by decision. */
  pending: z.number().int(),
  accepted: z.number().int(),
  rejected: z.number().int(),
});
export type TrackStatus = z.infer<typeof TrackStatus>;

export const SegmentPersistenceRequest = z
  .object({
    trackId: z.number().int().positive(),
    /** Index into analysis.result's windows. */
    window: z.number().int().min(0),
    segment: z.number().int().min(0),
    channel: z.number().int().min(0).max(PCNN_CONFIG.frontEnd.filters - 1),
  })
  .strict();

export const SegmentPersistence = z.object({
  trackId: z.number().int(),
  window: z.number().int(),
  segment: z.number().int(),
  channel: z.number().int(),
  /** Seconds in the track the segment covers. */
  start: z.number(),
  end: z.number(),
  /** The channel's pooled activations over the segment's steps (the sequence the diagram is of). */
  activations: z.array(z.number()),
  /** 0-dimensional superlevel persistence: the essential pair first. */
  diagram: z.array(PersistencePairSchema),
  /** λ₁ … λ_k at the network's sample points, k · points values. */
  landscape: z.array(z.number()),
  params: z.object({ k: z.number().int(), points: z.number().int(), lo: z.number(), hi: z.number() }),
});
export type SegmentPersistence = z.infer<typeof SegmentPersistence>;

export const inspectorMethods = {
  'inspector.status': method({
    summary: 'Analysis state and suggestion counts of the given tracks (at most one table page of them).',
    request: z.object({ trackIds: z.array(z.number().int().positive()).min(1).max(1000) }).strict(),
    response: z.object({ tracks: z.array(TrackStatus) }),
  }),
  'inspector.persistence': method({
    summary: 'The persistence diagram and landscapes of one channel in one segment of an analysed track (recomputed from its audio).',
    request: SegmentPersistenceRequest,
    response: SegmentPersistence,
  }),
};
