// Migration 0070: stored analyses, keyed by content key (the audio fingerprint) + feature-spec
// version + model version, so a moved, renamed, retagged or duplicated file costs nothing.
// Numbers are compact little-endian BLOBs (Float32 arrays; display pictures quantised to bytes),
// never JSON arrays; per-tag arrays follow analysis_models.tags_json of the model version.
// The pictures live in their own table: listing or joining analyses never reads them.
import type { Migration } from './index.ts';

export const migration0070: Migration = {
  version: 70,
  name: 'analyses',
  up(db) {
    db.exec(`
      CREATE TABLE analyses (
        id INTEGER PRIMARY KEY,
        content_key TEXT NOT NULL,
        spec_version TEXT NOT NULL,
        model_version TEXT NOT NULL REFERENCES analysis_models (model_version),
        backend TEXT NOT NULL,
        duration_s REAL NOT NULL,
        windows INTEGER NOT NULL CHECK (windows >= 1),
        -- Float32 × tags: mean over windows.
        confidences BLOB NOT NULL,
        -- Float32 × windows each: start and length (s) of each analysed window.
        window_offsets BLOB NOT NULL,
        window_durations BLOB NOT NULL,
        -- Float32 × windows × tags.
        window_probabilities BLOB NOT NULL,
        -- Float32 × 512: the network's embedding, mean over windows.
        embedding BLOB NOT NULL,
        -- Stage times of the computation (ms), for benchmarks and the inspector.
        timing_json TEXT NOT NULL,
        -- How many times this analysis was computed and stored: 1 unless work was repeated.
        computed_count INTEGER NOT NULL DEFAULT 1,
        analysed_at INTEGER NOT NULL,
        UNIQUE (content_key, spec_version, model_version)
      ) STRICT;

      CREATE TABLE analysis_display (
        analysis_id INTEGER PRIMARY KEY REFERENCES analyses (id) ON DELETE CASCADE,
        -- Log-mel at display resolution, bytes (frames × bands); value = min + byte/255·(max − min).
        logmel BLOB NOT NULL,
        logmel_frames INTEGER NOT NULL,
        logmel_bands INTEGER NOT NULL,
        logmel_min REAL NOT NULL,
        logmel_max REAL NOT NULL,
        -- Float32 × frames: time in the track of each frame (s).
        logmel_times BLOB NOT NULL,
        -- Landscape layer output, bytes, with its shape [windows, segments, channels, k, points] as JSON.
        landscapes BLOB NOT NULL,
        landscapes_shape TEXT NOT NULL,
        landscapes_min REAL NOT NULL,
        landscapes_max REAL NOT NULL
      ) STRICT;
    `);
  },
};
