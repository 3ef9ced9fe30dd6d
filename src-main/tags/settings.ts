// Loading and saving the settings: stored rows (key "section.name" → JSON) laid over the schema's
// defaults. A stored value the schema no longer accepts falls back to its default instead of
// breaking every write.
import { z } from 'zod';
import { BettiError } from '../api/errors.ts';
import { Settings, WriteSettings, type SettingsPatch } from '../api/schemas/settings.ts';
import type { LibraryDb } from '../library/db/open.ts';
import { getStoredSettings, putStoredSettings } from '../library/db/queries/settings.ts';

export function loadSettings(db: LibraryDb): Settings {
  const stored = getStoredSettings(db);
  const write: Record<string, unknown> = {};
  for (const key of Object.keys(WriteSettings.shape)) {
    const value = stored.get(`write.${key}`);
    if (value === undefined) continue;
    const one = WriteSettings.shape[key as keyof typeof WriteSettings.shape].safeParse(value);
    if (one.success) write[key] = one.data;
  }
  return Settings.parse({ write });
}

export function updateSettings(db: LibraryDb, patch: SettingsPatch): Settings {
  const current = loadSettings(db);
  const merged = { write: { ...current.write, ...patch.write } };
  const checked = Settings.safeParse(merged);
  if (!checked.success) {
    throw new BettiError('invalid-request', `settings.set: ${z.prettifyError(checked.error)}`, {
      hint: 'Nothing was saved: every setting is as it was.',
    });
  }
  // The checked values are stored, not the patch's: the schema puts some in Betti's form (customField).
  const write = checked.data.write;
  const entries = Object.keys(patch.write ?? {}).map((k) => [`write.${k}`, write[k as keyof typeof write]] as [string, unknown]);
  putStoredSettings(db, entries);
  return checked.data;
}
