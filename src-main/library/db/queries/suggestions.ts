// SQL for tag suggestions and the decisions a person makes about them (review).
import type { LibraryDb, SqlParam } from '../open.ts';

export type SuggestionSource = 'model' | 'personal';
export type Decision = 'pending' | 'accepted' | 'rejected';

export interface SuggestionRow {
  id: number;
  trackId: number;
  path: string;
  tag: string;
  category: string;
  confidence: number;
  source: SuggestionSource;
  decision: Decision;
  decidedAt: number | null;
  createdAt: number;
  /** The field it is written to; null: the one its category maps to (tags/accepted.ts). */
  field: string | null;
}

export interface NewSuggestion {
  trackId: number;
  tag: string;
  category: string;
  confidence: number;
  source: SuggestionSource;
  /** The field to write it to (a personal suggestion's learned field); default: by category. */
  field?: string | null | undefined;
}

const COLUMNS = `s.id AS id, s.track_id AS trackId, t.path AS path, s.tag AS tag, s.category AS category,
  s.confidence AS confidence, s.source AS source, s.decision AS decision, s.decided_at AS decidedAt, s.created_at AS createdAt, s.field AS field`;

/**
 * Adds suggestions; an existing (track, tag, source) keeps its decision and takes the new
 * confidence and category (a re-analysis refines a suggestion, it never overturns a decision).
 */
export function upsertSuggestions(db: LibraryDb, rows: readonly NewSuggestion[], now = Date.now()): void {
  db.transaction(() => {
    for (const r of rows) {
      db.run(
        `INSERT INTO suggestions (track_id, tag, category, confidence, source, created_at, field) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (track_id, tag, source) DO UPDATE SET confidence = excluded.confidence, category = excluded.category, field = excluded.field`,
        r.trackId,
        r.tag,
        r.category,
        r.confidence,
        r.source,
        now,
        r.field ?? null,
      );
    }
  });
}

export interface SuggestionFilter {
  trackIds?: readonly number[] | undefined;
  decision?: Decision | undefined;
  minConfidence?: number | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
}

function where(f: SuggestionFilter): { sql: string; params: SqlParam[] } {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (f.trackIds) {
    parts.push(`s.track_id IN (SELECT value FROM json_each(?))`);
    params.push(JSON.stringify(f.trackIds));
  }
  if (f.decision) {
    parts.push('s.decision = ?');
    params.push(f.decision);
  }
  if (f.minConfidence !== undefined) {
    parts.push('s.confidence >= ?');
    params.push(f.minConfidence);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

export function listSuggestions(db: LibraryDb, f: SuggestionFilter): SuggestionRow[] {
  const w = where(f);
  return db.all<SuggestionRow>(
    `SELECT ${COLUMNS} FROM suggestions s JOIN tracks t ON t.id = s.track_id ${w.sql}
     ORDER BY s.track_id, s.confidence DESC, s.id LIMIT ? OFFSET ?`,
    ...w.params,
    f.limit ?? -1,
    f.offset ?? 0,
  );
}

export function countSuggestions(db: LibraryDb, f: SuggestionFilter): number {
  const w = where(f);
  return Number(db.get<{ n: number }>(`SELECT count(*) AS n FROM suggestions s ${w.sql}`, ...w.params)?.n ?? 0);
}

export interface DecideTarget {
  suggestionIds?: readonly number[] | undefined;
  trackIds?: readonly number[] | undefined;
  tags?: readonly string[] | undefined;
  minConfidence?: number | undefined;
  /** Only suggestions currently in this state (e.g. accept the pending ones, keep rejections). */
  onlyDecision?: Decision | undefined;
}

/** Sets the decision of every suggestion the target selects; returns how many changed. */
export function decideSuggestions(db: LibraryDb, target: DecideTarget, decision: Decision, now = Date.now()): number {
  const parts: string[] = [];
  const params: SqlParam[] = [];
  if (target.suggestionIds) {
    parts.push('id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(target.suggestionIds));
  }
  if (target.trackIds) {
    parts.push('track_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(target.trackIds));
  }
  if (target.tags) {
    parts.push('tag IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(target.tags));
  }
  if (target.minConfidence !== undefined) {
    parts.push('confidence >= ?');
    params.push(target.minConfidence);
  }
  if (target.onlyDecision) {
    parts.push('decision = ?');
    params.push(target.onlyDecision);
  }
  if (parts.length === 0) return 0; // never "decide everything" by accident
  parts.push('decision <> ?');
  params.push(decision);
  const r = db.run(
    `UPDATE suggestions SET decision = ?, decided_at = ? WHERE ${parts.join(' AND ')}`,
    decision,
    decision === 'pending' ? null : now,
    ...params,
  );
  return r.changes;
}

/** Accepted suggestions grouped for writing: one row per (track, tag), best confidence first. */
export function acceptedSuggestions(db: LibraryDb, trackIds?: readonly number[]): SuggestionRow[] {
  return listSuggestions(db, { decision: 'accepted', trackIds });
}
