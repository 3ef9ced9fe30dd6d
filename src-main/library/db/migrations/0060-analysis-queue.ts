// Migration 0060: the analysis queue, one row per track, persisted so that a crash or a quit
// resumes where it stopped. A row says which analysis the track needs (its content key and the
// feature-spec and model versions) and how far it got: pending, running (a run claimed it; a run
// that died leaves it so, and the next run puts it back to pending), done, or failed (the reason
// is kept with the track; a failed track is tried again when its audio, the spec or the model
// changes, or when a person asks). The models a queue row may name are recorded in
// analysis_models with their tag vocabulary and thresholds, so stored per-tag arrays can be read.
import type { Migration } from './index.ts';

export const migration0060: Migration = {
  version: 60,
  name: 'analysis-queue',
  up(db) {
    db.exec(`
      CREATE TABLE analysis_models (
        model_version TEXT PRIMARY KEY,
        spec_version TEXT NOT NULL,
        architecture TEXT NOT NULL,
        -- [{tag, category, threshold}] in the model's output order: the order of every per-tag BLOB.
        tags_json TEXT NOT NULL,
        registered_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE analysis_queue (
        track_id INTEGER PRIMARY KEY REFERENCES tracks (id) ON DELETE CASCADE,
        -- The audio fingerprint, or for a file Betti cannot fingerprint 'file:<size>:<mtime>:<path>'.
        content_key TEXT NOT NULL,
        spec_version TEXT NOT NULL,
        model_version TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
        -- How many times a worker started on this track for this key (retries and resumed runs included).
        attempts INTEGER NOT NULL DEFAULT 0,
        error_kind TEXT,
        error_message TEXT,
        enqueued_at INTEGER NOT NULL,
        started_at INTEGER,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX analysis_queue_by_state ON analysis_queue (state, track_id);
    `);
  },
};
