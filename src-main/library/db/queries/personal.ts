// Typed queries for personal tag models and track similarity (issue 10): the tracks' embeddings
// and tags they learn from, the stored models and their shared solver, the feedback queue, and
// personal suggestions. The only SQL about them (../../../../shared/STYLE.md §2). Numbers are
// little-endian BLOBs, as in analysis.ts.
import type { LibraryDb } from '../open.ts';

const bytes = (a: Float64Array | Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
/** Typed arrays over copies (a BLOB's bytes need not be aligned). */
const f64 = (b: Uint8Array): Float64Array => new Float64Array(b.slice().buffer);
const f32 = (b: Uint8Array): Float32Array => new Float32Array(b.slice().buffer);
const i32 = (b: Uint8Array): Int32Array => new Int32Array(b.slice().buffer);

// --- what the models learn from ----------------------------------------------------------------

/**
 * Changes whenever another connection (another Betti process) commits to the database: with the
 * events of this process, what tells a cached embedding matrix it may be stale.
 */
export function dataVersion(db: LibraryDb): number {
  return Number(db.get<{ data_version: number }>('PRAGMA data_version')!.data_version);
}

/** The model version most of the library is analysed with (ties: the most recently registered). */
export function prevalentModelVersion(db: LibraryDb): string | undefined {
  return db.get<{ model_version: string }>(
    `SELECT q.model_version FROM analysis_queue q LEFT JOIN analysis_models m ON m.model_version = q.model_version
     WHERE q.state = 'done' GROUP BY q.model_version ORDER BY count(*) DESC, max(m.registered_at) DESC LIMIT 1`,
  )?.model_version;
}

/** Tags of the model version (to leave out values the shipped model already suggests). */
export function modelTagNames(db: LibraryDb, modelVersion: string): string[] {
  const r = db.get<{ tags_json: string }>('SELECT tags_json FROM analysis_models WHERE model_version = ?', modelVersion);
  return r ? (JSON.parse(r.tags_json) as { tag: string }[]).map((t) => t.tag) : [];
}

/** Each present track's current analysis embedding under this model version, by track id. */
export function embeddingRows(db: LibraryDb, modelVersion: string): { trackId: number; embedding: Uint8Array }[] {
  return db.all<{ trackId: number; embedding: Uint8Array }>(
    `SELECT t.id AS trackId, a.embedding AS embedding FROM tracks t
     JOIN analysis_queue q ON q.track_id = t.id
     JOIN analyses a ON a.content_key = q.content_key AND a.spec_version = q.spec_version AND a.model_version = q.model_version
     WHERE q.state = 'done' AND q.model_version = ? AND t.missing = 0 AND t.error_kind IS NULL ORDER BY t.id`,
    modelVersion,
  );
}

/** Tracks whose analysis under this model version was finished (or found in the cache) after `since` (ms). */
export function tracksAnalysedSince(db: LibraryDb, modelVersion: string, since: number): number[] {
  return db
    .all<{ id: number }>(
      `SELECT q.track_id AS id FROM analysis_queue q JOIN tracks t ON t.id = q.track_id
       WHERE q.state = 'done' AND q.model_version = ? AND q.finished_at > ? AND t.missing = 0 ORDER BY q.track_id`,
      modelVersion,
      since,
    )
    .map((r) => r.id);
}

/** The tag columns a personal model may learn from, per present track. */
export interface TrackFieldSource {
  id: number;
  album: string | null;
  albumArtist: string | null;
  artist: string | null;
  /** JSON array. */
  genres: string;
  mood: string | null;
  comment: string | null;
  /** music-metadata's common `grouping` (ID3 TIT1/GRP1, Vorbis GROUPING, MP4 ©grp). */
  grouping: unknown;
  /** The native tags and the common ones as JSON (only when asked for: they are the large part of a row). */
  native: string | null;
  common: string | null;
}

/** Every present, readable track's tag sources (or only those of `ids`), in id order. */
export function trackFieldSources(db: LibraryDb, opts: { raw: boolean; ids?: readonly number[] | undefined }): TrackFieldSource[] {
  return db.all<TrackFieldSource>(
    `SELECT id, album, album_artist AS albumArtist, artist, genres, mood, comment,
       json_extract(raw_json, '$.common.grouping') AS grouping,
       ${opts.raw ? "json_extract(raw_json, '$.native')" : 'NULL'} AS native,
       ${opts.raw ? "json_extract(raw_json, '$.common')" : 'NULL'} AS common
     FROM tracks WHERE missing = 0 AND error_kind IS NULL ${opts.ids ? 'AND id IN (SELECT value FROM json_each(?))' : ''} ORDER BY id`,
    ...(opts.ids ? [JSON.stringify(opts.ids)] : []),
  );
}

export interface TrackSummaryRow {
  id: number;
  path: string;
  title: string | null;
  artist: string | null;
  album: string | null;
  durationS: number | null;
}

/** Path and display tags of these tracks (any order). */
export function trackSummaries(db: LibraryDb, ids: readonly number[]): TrackSummaryRow[] {
  return db.all<TrackSummaryRow>(
    `SELECT id, path, title, artist, album, duration_s AS durationS FROM tracks WHERE id IN (SELECT value FROM json_each(?))`,
    JSON.stringify(ids),
  );
}

/** A track id by its path (for commands that name a track by its file). */
export function trackIdByPath(db: LibraryDb, path: string): number | undefined {
  return db.get<{ id: number }>('SELECT id FROM tracks WHERE path = ?', path)?.id;
}

export function trackExists(db: LibraryDb, id: number): { path: string; missing: boolean } | undefined {
  const r = db.get<{ path: string; missing: number }>('SELECT path, missing FROM tracks WHERE id = ?', id);
  return r && { path: r.path, missing: r.missing === 1 };
}

// --- the solver all models of one version share -------------------------------------------------

export interface PersonalSolver {
  modelVersion: string;
  dims: number;
  lambda: number;
  mean: Float64Array;
  scale: Float64Array;
  normalMatrix: Float64Array;
  trackIds: Int32Array;
  leverages: Float32Array;
  trainedAt: number;
  scoredAt: number;
}

export function putSolver(db: LibraryDb, s: PersonalSolver): void {
  db.run(
    `INSERT OR REPLACE INTO personal_solvers (model_version, dims, lambda, mean, scale, normal_matrix, track_ids, leverages, trained_at, scored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    s.modelVersion,
    s.dims,
    s.lambda,
    bytes(s.mean),
    bytes(s.scale),
    bytes(s.normalMatrix),
    bytes(s.trackIds),
    bytes(s.leverages),
    s.trainedAt,
    s.scoredAt,
  );
}

export function getSolver(db: LibraryDb, modelVersion: string): PersonalSolver | undefined {
  const r = db.get<{
    dims: number;
    lambda: number;
    mean: Uint8Array;
    scale: Uint8Array;
    normal_matrix: Uint8Array;
    track_ids: Uint8Array;
    leverages: Uint8Array;
    trained_at: number;
    scored_at: number;
  }>('SELECT * FROM personal_solvers WHERE model_version = ?', modelVersion);
  if (!r) return undefined;
  return {
    modelVersion,
    dims: r.dims,
    lambda: r.lambda,
    mean: f64(r.mean),
    scale: f64(r.scale),
    normalMatrix: f64(r.normal_matrix),
    trackIds: i32(r.track_ids),
    leverages: f32(r.leverages),
    trainedAt: r.trained_at,
    scoredAt: r.scored_at,
  };
}

export function setSolverScoredAt(db: LibraryDb, modelVersion: string, scoredAt: number): void {
  db.run('UPDATE personal_solvers SET scored_at = ? WHERE model_version = ?', scoredAt, modelVersion);
}

// --- models --------------------------------------------------------------------------------------

export interface PersonalModelRow {
  id: number;
  modelVersion: string;
  field: string;
  value: string;
  valueKey: string;
  positives: number;
  negatives: number;
  cvRocAuc: number | null;
  cvPrecision: number | null;
  cvRecall: number | null;
  threshold: number | null;
  calibrationSlope: number | null;
  calibrationOffset: number | null;
  offered: boolean;
  reason: string;
  feedback: number;
  trainedAt: number;
  retrainedAt: number | null;
}

/** A model with its numbers (offered models only have them). */
export interface PersonalModelWeights {
  weights: Float64Array;
  targets: Float64Array;
  positiveIds: Int32Array;
}

export type NewPersonalModel = Omit<PersonalModelRow, 'id' | 'feedback' | 'retrainedAt'> & { numbers: PersonalModelWeights | null };

const MODEL_COLUMNS = `id, model_version AS modelVersion, field, value, value_key AS valueKey, positives, negatives, cv_roc_auc AS cvRocAuc,
  cv_precision AS cvPrecision, cv_recall AS cvRecall, threshold, calibration_slope AS calibrationSlope, calibration_offset AS calibrationOffset,
  offered, reason, feedback, trained_at AS trainedAt, retrained_at AS retrainedAt`;

const toModel = (r: Omit<PersonalModelRow, 'offered'> & { offered: unknown }): PersonalModelRow => ({ ...r, offered: r.offered === 1 });

/** Replaces every model of these fields under this version with `rows` (one learning run's result). */
export function replaceModels(db: LibraryDb, modelVersion: string, fields: readonly string[], rows: readonly NewPersonalModel[]): void {
  db.transaction(() => {
    db.run('DELETE FROM personal_models WHERE model_version = ? AND field IN (SELECT value FROM json_each(?))', modelVersion, JSON.stringify(fields));
    for (const m of rows) {
      db.run(
        `INSERT INTO personal_models (model_version, field, value, value_key, positives, negatives, cv_roc_auc, cv_precision, cv_recall, threshold,
           calibration_slope, calibration_offset, offered, reason, weights, targets, positive_ids, trained_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        m.modelVersion,
        m.field,
        m.value,
        m.valueKey,
        m.positives,
        m.negatives,
        m.cvRocAuc,
        m.cvPrecision,
        m.cvRecall,
        m.threshold,
        m.calibrationSlope,
        m.calibrationOffset,
        m.offered ? 1 : 0,
        m.reason,
        m.numbers ? bytes(m.numbers.weights) : null,
        m.numbers ? bytes(m.numbers.targets) : null,
        m.numbers ? bytes(m.numbers.positiveIds) : null,
        m.trainedAt,
      );
    }
  });
}

/** Every model of a version (or of all versions), offered first, best first. */
export function listModels(db: LibraryDb, modelVersion?: string): PersonalModelRow[] {
  const where = modelVersion === undefined ? '' : 'WHERE model_version = ?';
  return db
    .all<Omit<PersonalModelRow, 'offered'> & { offered: unknown }>(
      `SELECT ${MODEL_COLUMNS} FROM personal_models ${where} ORDER BY model_version, offered DESC, field, cv_roc_auc DESC, positives DESC, value`,
      ...(modelVersion === undefined ? [] : [modelVersion]),
    )
    .map(toModel);
}

export function getModelByKey(db: LibraryDb, modelVersion: string, field: string, valueKey: string): (PersonalModelRow & { numbers: PersonalModelWeights | null }) | undefined {
  const r = db.get<Omit<PersonalModelRow, 'offered'> & { offered: unknown; weights: Uint8Array | null; targets: Uint8Array | null; positive_ids: Uint8Array | null }>(
    `SELECT ${MODEL_COLUMNS}, weights, targets, positive_ids FROM personal_models WHERE model_version = ? AND field = ? AND value_key = ?`,
    modelVersion,
    field,
    valueKey,
  );
  if (!r) return undefined;
  const { weights, targets, positive_ids, ...row } = r;
  return {
    ...toModel(row),
    numbers: weights && targets && positive_ids ? { weights: f64(weights), targets: f64(targets), positiveIds: i32(positive_ids) } : null,
  };
}

/** Offered models of a version with their weights (for scoring tracks). */
export function offeredModels(db: LibraryDb, modelVersion: string): (PersonalModelRow & { weights: Float64Array })[] {
  return db
    .all<Omit<PersonalModelRow, 'offered'> & { offered: unknown; weights: Uint8Array }>(
      `SELECT ${MODEL_COLUMNS}, weights FROM personal_models WHERE model_version = ? AND offered = 1 AND weights IS NOT NULL ORDER BY id`,
      modelVersion,
    )
    .map((r) => ({ ...toModel(r), weights: f64(r.weights) }));
}

/** New weights for a model after feedback, and how many decisions they include. */
export function updateModelWeights(db: LibraryDb, id: number, weights: Float64Array, feedback: number, now = Date.now()): void {
  db.run('UPDATE personal_models SET weights = ?, feedback = ?, retrained_at = ? WHERE id = ?', bytes(weights), feedback, now, id);
}

// --- feedback --------------------------------------------------------------------------------------
// A personal suggestion's category is the field its model learned from, in lower case.

/** Values whose personal suggestions were decided (or reset) since their model last learned from decisions. */
export function pendingFeedback(db: LibraryDb): { category: string; tag: string }[] {
  return db.all<{ category: string; tag: string }>('SELECT category, tag FROM personal_feedback ORDER BY category, tag');
}

export function clearFeedback(db: LibraryDb, items: readonly { category: string; tag: string }[]): void {
  for (const f of items) db.run('DELETE FROM personal_feedback WHERE category = ? AND tag = ?', f.category, f.tag);
}

/** Decided personal suggestions learned from one field (its category) whose tag is one of `tags`. */
export function personalDecisions(db: LibraryDb, category: string, tags: readonly string[]): { trackId: number; accepted: boolean }[] {
  return db
    .all<{ trackId: number; decision: string }>(
      `SELECT track_id AS trackId, decision FROM suggestions
       WHERE source = 'personal' AND category = ? AND tag IN (SELECT value FROM json_each(?)) AND decision <> 'pending' ORDER BY track_id`,
      category,
      JSON.stringify(tags),
    )
    .map((r) => ({ trackId: r.trackId, accepted: r.decision === 'accepted' }));
}

/** Every decided personal suggestion, for a learning run's labels. */
export function allPersonalDecisions(db: LibraryDb): { category: string; tag: string; trackId: number; accepted: boolean }[] {
  return db
    .all<{ category: string; tag: string; trackId: number; decision: string }>(
      `SELECT category, tag, track_id AS trackId, decision FROM suggestions WHERE source = 'personal' AND decision <> 'pending'`,
    )
    .map((r) => ({ category: r.category, tag: r.tag, trackId: r.trackId, accepted: r.decision === 'accepted' }));
}

/** Distinct spellings of the personal suggestions learned from one field. */
export function personalTags(db: LibraryDb, category: string): string[] {
  return db.all<{ tag: string }>("SELECT DISTINCT tag FROM suggestions WHERE source = 'personal' AND category = ?", category).map((r) => r.tag);
}

// --- personal suggestions ----------------------------------------------------------------------

export interface PersonalSuggestion {
  trackId: number;
  confidence: number;
}

/**
 * Adds or refreshes personal suggestions of one value learned from one field (`category`), written
 * to `field`. One already there from the same field takes the new confidence (its decision
 * stays); one of the same tag learned from another field is taken over only while pending and
 * less confident (a track holds one suggestion per tag and source).
 */
export function upsertPersonalSuggestions(db: LibraryDb, category: string, field: string, tag: string, rows: readonly PersonalSuggestion[], now = Date.now()): void {
  for (const r of rows) {
    db.run(
      `INSERT INTO suggestions (track_id, tag, category, confidence, source, created_at, field) VALUES (?, ?, ?, ?, 'personal', ?, ?)
       ON CONFLICT (track_id, tag, source) DO UPDATE SET confidence = excluded.confidence, category = excluded.category, field = excluded.field
       WHERE suggestions.category = excluded.category OR (suggestions.decision = 'pending' AND suggestions.confidence < excluded.confidence)`,
      r.trackId,
      tag,
      category,
      Math.min(1, Math.max(0, r.confidence)),
      now,
      field,
    );
  }
}

/** Removes pending personal suggestions of a value (any of its spellings) for tracks not in `keep`. */
export function dropPendingPersonal(db: LibraryDb, category: string, tags: readonly string[], keep: readonly number[]): number {
  return db.run(
    `DELETE FROM suggestions WHERE source = 'personal' AND decision = 'pending' AND category = ? AND tag IN (SELECT value FROM json_each(?))
       AND track_id NOT IN (SELECT value FROM json_each(?))`,
    category,
    JSON.stringify(tags),
    JSON.stringify(keep),
  ).changes;
}

/** Removes pending personal suggestions learned from these fields whose tag is none of `keepTags`. */
export function dropPendingPersonalExcept(db: LibraryDb, categories: readonly string[], keepTags: readonly string[]): number {
  return db.run(
    `DELETE FROM suggestions WHERE source = 'personal' AND decision = 'pending' AND category IN (SELECT value FROM json_each(?))
       AND tag NOT IN (SELECT value FROM json_each(?))`,
    JSON.stringify(categories),
    JSON.stringify(keepTags),
  ).changes;
}

/** How many personal suggestions of one value are pending. */
export function countPendingPersonal(db: LibraryDb, category: string, tag: string): number {
  return db.get<{ n: number }>("SELECT count(*) AS n FROM suggestions WHERE source = 'personal' AND decision = 'pending' AND category = ? AND tag = ?", category, tag)!.n;
}
