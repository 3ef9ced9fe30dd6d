// The persisted analysis queue: which tracks need an analysis for the current model and spec, and
// how far each got. Planning runs at the start of every run: tracks that are new, whose audio
// changed, or whose analysis was made with another spec or model are queued; tracks whose audio
// is already analysed under the current key (moved, renamed, duplicated files) are done at once
// from the cache. Rows a killed run left `running` go back to pending, so a run resumes there.
import type { LibraryDb } from '../library/db/open.ts';
import {
  claimPending,
  countClaimable,
  queueCandidates,
  putQueueEntry,
  queueCounts,
  requeueFailed,
  resetInterrupted,
  type AnalysisKey,
  type ClaimedTrack,
  type QueueState,
} from '../library/db/queries/analysis.ts';
import { analysisKeyOf, cachedAnalysis, sameKey } from './cache.ts';

export interface QueuePlan {
  /** Tracks waiting for a worker after planning (resumed ones included). */
  pending: number;
  /** Newly queued by this plan (new, changed, or analysed with an older spec or model). */
  queued: number;
  /** Left `running` by a run that did not finish, now pending again. */
  resumed: number;
  /** Found in the cache: done without work (their suggestions still need filling). */
  cached: { trackId: number; analysisId: number; key: AnalysisKey }[];
  /** Already done for the current key before this plan. */
  upToDate: number;
  /** Failed earlier for the current key and not retried (unless retryFailed). */
  failed: number;
}

export function planQueue(db: LibraryDb, model: { specVersion: string; modelVersion: string }, opts: { retryFailed?: boolean } = {}, now = Date.now()): QueuePlan {
  return db.transaction(() => {
    const resumed = resetInterrupted(db);
    if (opts.retryFailed) requeueFailed(db, model.specVersion, model.modelVersion);
    let queued = 0;
    const cached: QueuePlan['cached'] = [];
    for (const c of queueCandidates(db)) {
      const key = analysisKeyOf(c, model);
      if (c.queued && sameKey(c.queued, key)) continue;
      const hit = cachedAnalysis(db, key);
      if (hit !== undefined) {
        putQueueEntry(db, c.trackId, key, 'done', now);
        cached.push({ trackId: c.trackId, analysisId: hit, key });
      } else {
        putQueueEntry(db, c.trackId, key, 'pending', now);
        queued += 1;
      }
    }
    const counts = queueCounts(db);
    return { pending: countClaimable(db), queued, resumed, cached, upToDate: counts.done - cached.length, failed: counts.failed };
  });
}

/** Claims the next tracks for workers (marks them running). */
export function claimNext(db: LibraryDb, limit: number): ClaimedTrack[] {
  return limit > 0 ? claimPending(db, limit) : [];
}

export function counts(db: LibraryDb): Record<QueueState, number> {
  return queueCounts(db);
}
