// Contract part: what the UI needs beside the library listing and the analysis result — each
// visible track's analysis state and suggestion counts (the library table's status columns,
// the inspector's header).
import { z } from 'zod';
import { method } from './define.ts';

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

export const inspectorMethods = {
  'inspector.status': method({
    summary: 'Analysis state and suggestion counts of the given tracks (at most one table page of them).',
    request: z.object({ trackIds: z.array(z.number().int().positive()).min(1).max(1000) }).strict(),
    response: z.object({ tracks: z.array(TrackStatus) }),
  }),
};
