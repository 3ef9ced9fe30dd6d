// Migration 0100: personal tag models (issue 10), learned from the tags already in a person's
// library on the network's embeddings, and versioned with the model that made the embeddings.
//
// - suggestions.field: the field a suggestion is written to. A personal suggestion carries the
//   field its model learned from (an accepted "Sunday morning" learned from GROUPING goes back to
//   GROUPING; one learned from a field Betti does not write, such as COMMENT, goes to the custom
//   field); NULL keeps the category's field (genre → GENRE, mood → MOOD, else the custom field).
//   A personal suggestion's category is the field it was learned from, in lower case.
// - personal_solvers: per model version, what every personal model of that version shares: the
//   embedding standardisation, the ridge normal matrix over the training tracks, those tracks,
//   and each one's leverage. A decision on a personal suggestion updates a model from these
//   without reading the whole library again (personal/feedback.ts).
// - personal_models: one row per (model version, field, value) considered, offered or not, with
//   its cross-validated quality and, when offered, its weights.
// - personal_feedback: which models have decisions they have not learned from yet; filled by a
//   trigger, so a decision made by any process (the app, the CLI, `betti serve`) is not missed.
import type { Migration } from './index.ts';

export const migration0100: Migration = {
  version: 100,
  name: 'personal-models',
  up(db) {
    db.exec(`
      ALTER TABLE suggestions ADD COLUMN field TEXT CHECK (field IS NULL OR length(field) > 0);

      CREATE TABLE personal_solvers (
        model_version TEXT PRIMARY KEY,
        dims INTEGER NOT NULL CHECK (dims > 0),
        lambda REAL NOT NULL CHECK (lambda > 0),
        -- Float64 × dims each.
        mean BLOB NOT NULL,
        scale BLOB NOT NULL,
        -- Float64 × (dims + 1)²: AᵀA + λI over the training tracks' standardised embeddings and a bias.
        normal_matrix BLOB NOT NULL,
        -- Int32, ascending: the training tracks; Float32 per training track: its leverage.
        track_ids BLOB NOT NULL,
        leverages BLOB NOT NULL,
        trained_at INTEGER NOT NULL,
        -- Analyses stored after this (ms) have not been scored by this version's models yet.
        scored_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE personal_models (
        id INTEGER PRIMARY KEY,
        model_version TEXT NOT NULL,
        field TEXT NOT NULL CHECK (length(field) > 0),
        -- The value as the library spells it most often, and its normalised form.
        value TEXT NOT NULL CHECK (length(value) > 0),
        value_key TEXT NOT NULL,
        positives INTEGER NOT NULL,
        negatives INTEGER NOT NULL,
        -- Cross-validated (held-out album) quality; NULL when the value was not trained.
        cv_roc_auc REAL,
        cv_precision REAL,
        cv_recall REAL,
        threshold REAL,
        calibration_slope REAL,
        calibration_offset REAL,
        offered INTEGER NOT NULL CHECK (offered IN (0, 1)),
        reason TEXT NOT NULL,
        -- Float64 × (dims + 1) each (standardised space, bias last): the weights in use, and Aᵀy
        -- of the labels they were learned from; Int32 ascending: the tracks labelled positive then.
        weights BLOB,
        targets BLOB,
        positive_ids BLOB,
        -- Decisions on this model's suggestions that its weights include.
        feedback INTEGER NOT NULL DEFAULT 0,
        trained_at INTEGER NOT NULL,
        retrained_at INTEGER,
        UNIQUE (model_version, field, value_key)
      ) STRICT;

      -- category: the learned field in lower case (a personal suggestion's category).
      CREATE TABLE personal_feedback (
        category TEXT NOT NULL,
        tag TEXT NOT NULL,
        PRIMARY KEY (category, tag)
      ) STRICT;
      CREATE TRIGGER personal_feedback_on_decision AFTER UPDATE OF decision ON suggestions
        WHEN new.source = 'personal' AND new.decision IS NOT old.decision
      BEGIN
        INSERT OR IGNORE INTO personal_feedback (category, tag) VALUES (new.category, new.tag);
      END;
      CREATE INDEX suggestions_personal ON suggestions (category, tag) WHERE source = 'personal';
    `);
  },
};
