// Typed queries for the analysis queue, the stored analyses and the models they came from: the only
// SQL about analysis (../../../../shared/STYLE.md §2). Numbers go in and out as typed arrays stored
// as little-endian BLOBs (every platform Betti ships for is little-endian).
import type { ModelTag } from '../../../model/model-files.ts';
import type { LibraryDb } from '../open.ts';

export interface ModelRecord {
  modelVersion: string;
  specVersion: string;
  architecture: string;
  tags: ModelTag[];
}

export interface AnalysisKey {
  contentKey: string;
  specVersion: string;
  modelVersion: string;
}

export type QueueState = 'pending' | 'running' | 'done' | 'failed';

/** What planning needs to know about each present, readable track. */
export interface QueueCandidate {
  trackId: number;
  path: string;
  size: number;
  mtimeMs: number;
  fingerprint: string | null;
  queued: (AnalysisKey & { state: QueueState }) | null;
}

export interface ClaimedTrack {
  trackId: number;
  path: string;
  key: AnalysisKey;
}

/** An analysis as stored, numbers as typed arrays (per-tag arrays in the model's tag order). */
export interface StoredAnalysis extends AnalysisKey {
  id: number;
  backend: string;
  durationSec: number;
  windows: number;
  confidences: Float32Array;
  windowOffsets: Float32Array;
  windowDurations: Float32Array;
  windowProbabilities: Float32Array;
  embedding: Float32Array;
  timing: Record<string, number>;
  computedCount: number;
  analysedAt: number;
}

export interface StoredDisplay {
  logMel: { frames: number; bands: number; min: number; max: number; data: Uint8Array; times: Float32Array };
  landscapes: { shape: number[]; min: number; max: number; data: Uint8Array };
}

export type NewAnalysis = Omit<StoredAnalysis, 'id' | 'computedCount' | 'analysedAt' | 'windows'>;

const bytes = (a: Float32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** A Float32Array over a copy (a BLOB's bytes need not be 4-byte aligned). */
const floats = (b: Uint8Array): Float32Array => new Float32Array(b.slice().buffer);

// --- models -------------------------------------------------------------------------------------

export function registerModel(db: LibraryDb, m: ModelRecord, now = Date.now()): void {
  db.run(
    `INSERT INTO analysis_models (model_version, spec_version, architecture, tags_json, registered_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (model_version) DO UPDATE SET spec_version = excluded.spec_version, architecture = excluded.architecture, tags_json = excluded.tags_json`,
    m.modelVersion,
    m.specVersion,
    m.architecture,
    JSON.stringify(m.tags),
    now,
  );
}

export function getModel(db: LibraryDb, modelVersion: string): ModelRecord | undefined {
  const r = db.get<{ model_version: string; spec_version: string; architecture: string; tags_json: string }>(
    'SELECT model_version, spec_version, architecture, tags_json FROM analysis_models WHERE model_version = ?',
    modelVersion,
  );
  return r && { modelVersion: r.model_version, specVersion: r.spec_version, architecture: r.architecture, tags: JSON.parse(r.tags_json) as ModelRecord['tags'] };
}

// --- queue ----------------------------------------------------------------------------------------

/** Puts back to pending the rows a run had claimed but never finished (it was killed). */
export function resetInterrupted(db: LibraryDb): number {
  return db.run("UPDATE analysis_queue SET state = 'pending' WHERE state = 'running'").changes;
}

/** Every present track that was read without error, with its queue row if it has one. */
export function queueCandidates(db: LibraryDb): QueueCandidate[] {
  const rows = db.all<{
    id: number;
    path: string;
    size: number;
    mtime_ms: number;
    fingerprint: string | null;
    content_key: string | null;
    spec_version: string | null;
    model_version: string | null;
    state: QueueState | null;
  }>(
    `SELECT t.id, t.path, t.size, t.mtime_ms, t.fingerprint, q.content_key, q.spec_version, q.model_version, q.state
     FROM tracks t LEFT JOIN analysis_queue q ON q.track_id = t.id
     WHERE t.missing = 0 AND t.error_kind IS NULL ORDER BY t.id`,
  );
  return rows.map((r) => ({
    trackId: r.id,
    path: r.path,
    size: r.size,
    mtimeMs: r.mtime_ms,
    fingerprint: r.fingerprint,
    queued: r.state === null ? null : { contentKey: r.content_key!, specVersion: r.spec_version!, modelVersion: r.model_version!, state: r.state },
  }));
}

/** Sets a track's queue row: the analysis it needs now and the state it starts in. */
export function putQueueEntry(db: LibraryDb, trackId: number, key: AnalysisKey, state: 'pending' | 'done', now = Date.now()): void {
  db.run(
    `INSERT INTO analysis_queue (track_id, content_key, spec_version, model_version, state, attempts, enqueued_at, finished_at)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?)
     ON CONFLICT (track_id) DO UPDATE SET content_key = excluded.content_key, spec_version = excluded.spec_version,
       model_version = excluded.model_version, state = excluded.state, attempts = 0, error_kind = NULL, error_message = NULL,
       enqueued_at = excluded.enqueued_at, started_at = NULL, finished_at = excluded.finished_at`,
    trackId,
    key.contentKey,
    key.specVersion,
    key.modelVersion,
    state,
    now,
    state === 'done' ? now : null,
  );
}

/** Puts failed rows of these versions back to pending (a person asked to try them again). */
export function requeueFailed(db: LibraryDb, specVersion: string, modelVersion: string): number {
  return db.run(
    "UPDATE analysis_queue SET state = 'pending', attempts = 0, error_kind = NULL, error_message = NULL WHERE state = 'failed' AND spec_version = ? AND model_version = ?",
    specVersion,
    modelVersion,
  ).changes;
}

/** Marks the next `limit` pending tracks running (oldest track first) and returns them. */
export function claimPending(db: LibraryDb, limit: number, now = Date.now()): ClaimedTrack[] {
  return db.transaction(() => {
    const rows = db.all<{ track_id: number; path: string; content_key: string; spec_version: string; model_version: string }>(
      `SELECT q.track_id, t.path, q.content_key, q.spec_version, q.model_version FROM analysis_queue q JOIN tracks t ON t.id = q.track_id
       WHERE q.state = 'pending' AND t.missing = 0 AND t.error_kind IS NULL ORDER BY q.track_id LIMIT ?`,
      limit,
    );
    for (const r of rows) db.run("UPDATE analysis_queue SET state = 'running', attempts = attempts + 1, started_at = ? WHERE track_id = ?", now, r.track_id);
    return rows.map((r) => ({ trackId: r.track_id, path: r.path, key: { contentKey: r.content_key, specVersion: r.spec_version, modelVersion: r.model_version } }));
  });
}

/** Puts a claimed track back to pending (its job was cancelled by a pause or a cancel). */
export function releaseClaim(db: LibraryDb, trackId: number): void {
  db.run("UPDATE analysis_queue SET state = 'pending', attempts = max(attempts - 1, 0) WHERE track_id = ? AND state = 'running'", trackId);
}

/** Counts extra worker starts (a retry within a run) against a claimed track. */
export function addAttempts(db: LibraryDb, trackId: number, extra: number): void {
  if (extra > 0) db.run('UPDATE analysis_queue SET attempts = attempts + ? WHERE track_id = ?', extra, trackId);
}

export function markFailed(db: LibraryDb, trackId: number, error: { kind: string; message: string }, now = Date.now()): void {
  db.run("UPDATE analysis_queue SET state = 'failed', error_kind = ?, error_message = ?, finished_at = ? WHERE track_id = ?", error.kind, error.message, now, trackId);
}

export function markDone(db: LibraryDb, trackId: number, now = Date.now()): void {
  db.run("UPDATE analysis_queue SET state = 'done', error_kind = NULL, error_message = NULL, finished_at = ? WHERE track_id = ?", now, trackId);
}

/** Pending tracks a run can claim now (present and readable). */
export function countClaimable(db: LibraryDb): number {
  return db.get<{ n: number }>(
    "SELECT count(*) AS n FROM analysis_queue q JOIN tracks t ON t.id = q.track_id WHERE q.state = 'pending' AND t.missing = 0 AND t.error_kind IS NULL",
  )!.n;
}

export function queueCounts(db: LibraryDb): Record<QueueState, number> {
  const out: Record<QueueState, number> = { pending: 0, running: 0, done: 0, failed: 0 };
  for (const r of db.all<{ state: QueueState; n: number }>('SELECT state, count(*) AS n FROM analysis_queue GROUP BY state')) out[r.state] = r.n;
  return out;
}

export interface QueueRow extends AnalysisKey {
  trackId: number;
  path: string;
  state: QueueState;
  attempts: number;
  error: { kind: string; message: string } | null;
}

export function getQueueRow(db: LibraryDb, trackId: number): QueueRow | undefined {
  const r = db.get<{
    track_id: number;
    path: string;
    content_key: string;
    spec_version: string;
    model_version: string;
    state: QueueState;
    attempts: number;
    error_kind: string | null;
    error_message: string | null;
  }>(
    `SELECT q.track_id, t.path, q.content_key, q.spec_version, q.model_version, q.state, q.attempts, q.error_kind, q.error_message
     FROM analysis_queue q JOIN tracks t ON t.id = q.track_id WHERE q.track_id = ?`,
    trackId,
  );
  if (!r) return undefined;
  return {
    trackId: r.track_id,
    path: r.path,
    contentKey: r.content_key,
    specVersion: r.spec_version,
    modelVersion: r.model_version,
    state: r.state,
    attempts: r.attempts,
    error: r.error_kind === null ? null : { kind: r.error_kind, message: r.error_message ?? '' },
  };
}

/** Failed tracks, oldest track first. */
export function failedTracks(db: LibraryDb, limit = 100): { trackId: number; path: string; kind: string; message: string }[] {
  return db.all<{ trackId: number; path: string; kind: string; message: string }>(
    `SELECT q.track_id AS trackId, t.path AS path, q.error_kind AS kind, q.error_message AS message
     FROM analysis_queue q JOIN tracks t ON t.id = q.track_id WHERE q.state = 'failed' ORDER BY q.track_id LIMIT ?`,
    limit,
  );
}

// --- analyses -----------------------------------------------------------------------------------

export function findAnalysisId(db: LibraryDb, key: AnalysisKey): number | undefined {
  return db.get<{ id: number }>('SELECT id FROM analyses WHERE content_key = ? AND spec_version = ? AND model_version = ?', key.contentKey, key.specVersion, key.modelVersion)?.id;
}

/**
 * Stores an analysis under its key and returns its id. Storing the same key again replaces the
 * numbers and counts the repeat in computed_count (which tests read to prove work was not repeated).
 */
export function putAnalysis(db: LibraryDb, a: NewAnalysis, display: StoredDisplay | null, now = Date.now()): number {
  return db.transaction(() => {
    const windows = a.windowOffsets.length;
    const row = db.get<{ id: number }>(
      `INSERT INTO analyses (content_key, spec_version, model_version, backend, duration_s, windows, confidences, window_offsets,
         window_durations, window_probabilities, embedding, timing_json, analysed_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (content_key, spec_version, model_version) DO UPDATE SET backend = excluded.backend, duration_s = excluded.duration_s,
         windows = excluded.windows, confidences = excluded.confidences, window_offsets = excluded.window_offsets,
         window_durations = excluded.window_durations, window_probabilities = excluded.window_probabilities,
         embedding = excluded.embedding, timing_json = excluded.timing_json, analysed_at = excluded.analysed_at,
         computed_count = computed_count + 1
       RETURNING id`,
      a.contentKey,
      a.specVersion,
      a.modelVersion,
      a.backend,
      a.durationSec,
      windows,
      bytes(a.confidences),
      bytes(a.windowOffsets),
      bytes(a.windowDurations),
      bytes(a.windowProbabilities),
      bytes(a.embedding),
      JSON.stringify(a.timing),
      now,
    )!;
    if (display) {
      db.run(
        `INSERT OR REPLACE INTO analysis_display (analysis_id, logmel, logmel_frames, logmel_bands, logmel_min, logmel_max, logmel_times,
           landscapes, landscapes_shape, landscapes_min, landscapes_max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        row.id,
        display.logMel.data,
        display.logMel.frames,
        display.logMel.bands,
        display.logMel.min,
        display.logMel.max,
        bytes(display.logMel.times),
        display.landscapes.data,
        JSON.stringify(display.landscapes.shape),
        display.landscapes.min,
        display.landscapes.max,
      );
    } else {
      db.run('DELETE FROM analysis_display WHERE analysis_id = ?', row.id);
    }
    return row.id;
  });
}

interface AnalysisDbRow {
  id: number;
  content_key: string;
  spec_version: string;
  model_version: string;
  backend: string;
  duration_s: number;
  windows: number;
  confidences: Uint8Array;
  window_offsets: Uint8Array;
  window_durations: Uint8Array;
  window_probabilities: Uint8Array;
  embedding: Uint8Array;
  timing_json: string;
  computed_count: number;
  analysed_at: number;
}

export function getAnalysis(db: LibraryDb, key: AnalysisKey): StoredAnalysis | undefined {
  const r = db.get<AnalysisDbRow>('SELECT * FROM analyses WHERE content_key = ? AND spec_version = ? AND model_version = ?', key.contentKey, key.specVersion, key.modelVersion);
  if (!r) return undefined;
  return {
    id: r.id,
    contentKey: r.content_key,
    specVersion: r.spec_version,
    modelVersion: r.model_version,
    backend: r.backend,
    durationSec: r.duration_s,
    windows: r.windows,
    confidences: floats(r.confidences),
    windowOffsets: floats(r.window_offsets),
    windowDurations: floats(r.window_durations),
    windowProbabilities: floats(r.window_probabilities),
    embedding: floats(r.embedding),
    timing: JSON.parse(r.timing_json) as Record<string, number>,
    computedCount: r.computed_count,
    analysedAt: r.analysed_at,
  };
}

export function getDisplay(db: LibraryDb, analysisId: number): StoredDisplay | undefined {
  const r = db.get<{
    logmel: Uint8Array;
    logmel_frames: number;
    logmel_bands: number;
    logmel_min: number;
    logmel_max: number;
    logmel_times: Uint8Array;
    landscapes: Uint8Array;
    landscapes_shape: string;
    landscapes_min: number;
    landscapes_max: number;
  }>('SELECT * FROM analysis_display WHERE analysis_id = ?', analysisId);
  if (!r) return undefined;
  return {
    logMel: { frames: r.logmel_frames, bands: r.logmel_bands, min: r.logmel_min, max: r.logmel_max, data: r.logmel, times: floats(r.logmel_times) },
    landscapes: { shape: JSON.parse(r.landscapes_shape) as number[], min: r.landscapes_min, max: r.landscapes_max, data: r.landscapes },
  };
}

/** computed_count of every analysis (tests and the kill/resume check). */
export function analysisComputeCounts(db: LibraryDb): { contentKey: string; computedCount: number }[] {
  return db.all<{ contentKey: string; computedCount: number }>('SELECT content_key AS contentKey, computed_count AS computedCount FROM analyses ORDER BY id');
}

// --- suggestions from analyses ------------------------------------------------------------------

/**
 * Deletes the pending model suggestions of `tags` on the tracks analysed with `modelVersion`: tags
 * its model folder now measures below the quality bar, suggested before it did. Decided ones stay
 * (a person's decision is kept). Returns how many went.
 */
export function dropWithheldModelSuggestions(db: LibraryDb, modelVersion: string, tags: readonly string[]): number {
  if (tags.length === 0) return 0;
  return db.run(
    `DELETE FROM suggestions WHERE source = 'model' AND decision = 'pending' AND tag IN (SELECT value FROM json_each(?))
       AND track_id IN (SELECT track_id FROM analysis_queue WHERE model_version = ?)`,
    JSON.stringify(tags),
    modelVersion,
  ).changes;
}

/**
 * Removes a track's pending model suggestions whose tag the latest analysis no longer suggests
 * (an older model's, or a tag since written into the file). Decided suggestions are never touched.
 */
export function dropStaleModelSuggestions(db: LibraryDb, trackId: number, keepTags: readonly string[]): number {
  return db.run(
    `DELETE FROM suggestions WHERE track_id = ? AND source = 'model' AND decision = 'pending' AND tag NOT IN (SELECT value FROM json_each(?))`,
    trackId,
    JSON.stringify(keepTags),
  ).changes;
}
