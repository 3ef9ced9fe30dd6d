// Accepted suggestions → a write plan: one entry per track, genre tags to GENRE, mood tags to
// MOOD, every other tag to the custom field from the settings, highest confidence first. A
// suggestion that names its field (a personal one: the field its model learned from) goes there.
import type { WriteMode, WriteSettings } from '../api/schemas/settings.ts';
import type { PlanEntry, WritePlan } from '../api/schemas/write.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { acceptedSuggestions } from '../library/db/queries/suggestions.ts';
import { GENRE, MOOD } from './fields.ts';

/** The field a suggestion of this category is written to. */
export function fieldForCategory(category: string, settings: WriteSettings): string {
  const c = category.toLowerCase();
  return c === 'genre' ? GENRE : c === 'mood' ? MOOD : settings.customField;
}

export function planFromAccepted(db: LibraryDb, settings: WriteSettings, opts: { trackIds?: readonly number[] | undefined; mode?: WriteMode | undefined }): WritePlan {
  const byPath = new Map<string, PlanEntry>();
  for (const s of acceptedSuggestions(db, opts.trackIds)) {
    let entry = byPath.get(s.path);
    if (!entry) {
      entry = { path: s.path, set: {}, remove: [], mode: opts.mode ?? settings.defaultMode };
      byPath.set(s.path, entry);
    }
    const field = s.field ?? fieldForCategory(s.category, settings);
    const values = (entry.set[field] ??= []);
    if (!values.includes(s.tag)) values.push(s.tag);
  }
  return { files: [...byPath.values()] };
}
