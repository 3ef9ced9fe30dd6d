// Per-track status as the library table and the inspector show it: where the track stands in the
// analysis queue and how many of its suggestions wait for a decision. One query for a page of
// rows (the ids of the rows on screen), served by the primary keys and suggestions_by_track.
import type { LibraryDb } from '../open.ts';

export type QueueStateOrNone = 'none' | 'pending' | 'running' | 'done' | 'failed';

export interface TrackStatusRow {
  trackId: number;
  /** 'none': never queued for analysis. */
  analysis: QueueStateOrNone;
  error: { kind: string; message: string } | null;
  pending: number;
  accepted: number;
  rejected: number;
}

interface DbRow {
  trackId: number;
  state: string | null;
  errorKind: string | null;
  errorMessage: string | null;
  pending: number;
  accepted: number;
  rejected: number;
}

/** Status of each existing track among `ids` (unknown ids are left out), in id order. */
export function trackStatuses(db: LibraryDb, ids: readonly number[]): TrackStatusRow[] {
  if (ids.length === 0) return [];
  const list = ids.map(() => '?').join(', ');
  const rows = db.all<DbRow>(
    `SELECT t.id AS trackId, q.state AS state, q.error_kind AS errorKind, q.error_message AS errorMessage,
       coalesce(s.pending, 0) AS pending, coalesce(s.accepted, 0) AS accepted, coalesce(s.rejected, 0) AS rejected
     FROM tracks t
     LEFT JOIN analysis_queue q ON q.track_id = t.id
     LEFT JOIN (
       SELECT track_id, sum(decision = 'pending') AS pending, sum(decision = 'accepted') AS accepted, sum(decision = 'rejected') AS rejected
       FROM suggestions WHERE track_id IN (${list}) GROUP BY track_id
     ) s ON s.track_id = t.id
     WHERE t.id IN (${list})
     ORDER BY t.id`,
    ...ids,
    ...ids,
  );
  return rows.map((r) => ({
    trackId: r.trackId,
    analysis: (r.state ?? 'none') as QueueStateOrNone,
    error: r.errorKind === null ? null : { kind: r.errorKind, message: r.errorMessage ?? '' },
    pending: r.pending,
    accepted: r.accepted,
    rejected: r.rejected,
  }));
}
