// SQL for the settings table: raw key → JSON value pairs. Validation and defaults belong to the
// settings schema (api/schemas/settings.ts); this module only stores what it is given.
import type { LibraryDb } from '../open.ts';

/** Every stored setting as key → parsed JSON value (unparseable rows are skipped: defaults win). */
export function getStoredSettings(db: LibraryDb): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const row of db.all<{ key: string; value_json: string }>('SELECT key, value_json FROM settings')) {
    try {
      out.set(row.key, JSON.parse(row.value_json));
    } catch {
      // A hand-edited database may hold junk; the default applies and the next save repairs it.
    }
  }
  return out;
}

export function putStoredSettings(db: LibraryDb, entries: Iterable<[string, unknown]>, now = Date.now()): void {
  db.transaction(() => {
    for (const [key, value] of entries) {
      db.run(
        'INSERT INTO settings (key, value_json, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json, updated_at = excluded.updated_at',
        key,
        JSON.stringify(value),
        now,
      );
    }
  });
}
