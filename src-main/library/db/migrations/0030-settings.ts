// Migration 0030: the settings a person chooses (one row per key, the value as JSON). Defaults
// live in code (api/schemas/settings.ts), so a missing row means "the default", and a new
// setting needs no migration.
import type { Migration } from './index.ts';

export const migration0030: Migration = {
  version: 30,
  name: 'settings',
  up(db) {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value_json TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
