// Migration 0040: tag suggestions (from the shipped model or a personal tag model) and what the
// person decided about each. One row per (track, tag, source); a new analysis updates the
// confidence of a pending suggestion but never overturns a decision.
import type { Migration } from './index.ts';

export const migration0040: Migration = {
  version: 40,
  name: 'suggestions',
  up(db) {
    db.exec(`
      CREATE TABLE suggestions (
        id INTEGER PRIMARY KEY,
        track_id INTEGER NOT NULL REFERENCES tracks (id) ON DELETE CASCADE,
        tag TEXT NOT NULL CHECK (length(tag) > 0),
        category TEXT NOT NULL,
        confidence REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
        source TEXT NOT NULL CHECK (source IN ('model', 'personal')),
        decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'accepted', 'rejected')),
        decided_at INTEGER,
        created_at INTEGER NOT NULL,
        UNIQUE (track_id, tag, source)
      ) STRICT;
      CREATE INDEX suggestions_by_decision ON suggestions (decision, track_id);
      CREATE INDEX suggestions_by_track ON suggestions (track_id, confidence DESC);
    `);
  },
};
