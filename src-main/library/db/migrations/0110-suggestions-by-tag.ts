// Migration 0110: suggestions by tag, for the library's "has tag" filter (tracks.ts whereOf): the
// tracks with a pending or accepted suggestion of one tag, found without reading every suggestion.
// Numbered after 0100, not in the free slot 0080: a library already at version 100 would never
// apply a migration numbered below it.
import type { Migration } from './index.ts';

export const migration0110: Migration = {
  version: 110,
  name: 'suggestions-by-tag',
  up(db) {
    db.exec('CREATE INDEX suggestions_by_tag ON suggestions (tag COLLATE NOCASE, decision, track_id)');
  },
};
