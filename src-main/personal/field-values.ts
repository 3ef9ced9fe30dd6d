// The values a person has put in one field of each track, as a personal model learns them: GENRE
// and MOOD from the library's columns, GROUPING from music-metadata's common tags, COMMENT as the
// short keyword-like parts of the comment ("chill, workout" → chill, workout; a sentence is not a
// tag), and any other field (the custom field Betti writes, or one the person names) from the
// file's native frames where Betti would write it (TXXX:<name>, the Vorbis key, the iTunes name).
// Values are matched by their normalised form ("Sunday Morning" = "sunday morning").
import { normaliseTag, systemOfNative, texts } from '../analysis/suggestions.ts';
import type { TrackFieldSource } from '../library/db/queries/personal.ts';
import { fieldAliases, GENRE, GROUPING, MOOD } from '../tags/fields.ts';

export const COMMENT = 'COMMENT';

/** The fields learned when none are named: the ones people tag by hand, and Betti's custom field. */
export function defaultFields(customField: string): string[] {
  return [...new Set([GENRE, MOOD, GROUPING, COMMENT, customField])];
}

/** A comment part longer than this, or of more words, is prose rather than a keyword. */
const KEYWORD_CHARS = 40;
const KEYWORD_WORDS = 4;

/** Where a field's values come from in a track row. */
export type FieldSource = 'genres' | 'mood' | 'grouping' | 'comment' | 'native';

export function sourceOf(field: string): FieldSource {
  if (field === GENRE) return 'genres';
  if (field === MOOD) return 'mood';
  if (field === GROUPING) return 'grouping';
  if (field === COMMENT) return 'comment';
  return 'native';
}

/** Several values in one string: ID3v2.4's NUL (music-metadata leaves it in TIT1), the ID3v2.3 separator, or ";". */
function split(value: string, separator: string): string[] {
  const parts = value.split('\0').flatMap((v) => (separator ? v.split(separator) : [v])).flatMap((p) => p.split(';'));
  return parts.map((p) => p.trim()).filter((p) => p.length > 0);
}

function keywords(comment: string): string[] {
  return comment
    .split(/[,;|\n\r]+/)
    .map((p) => p.trim().replace(/^#/, ''))
    .filter((p) => p.length > 0 && p.length <= KEYWORD_CHARS && p.split(/\s+/).length <= KEYWORD_WORDS);
}

function nativeValues(nativeJson: string | null, field: string): string[] {
  if (!nativeJson) return [];
  const native = JSON.parse(nativeJson) as Record<string, { id: string; value: unknown }[]>;
  const out: string[] = [];
  for (const [type, frames] of Object.entries(native)) {
    const system = systemOfNative(type);
    if (!system) continue;
    const ids = new Set(fieldAliases(system, field).map((id) => (system === 'vorbis' ? id.toUpperCase() : id)));
    for (const f of frames) {
      if (ids.has(system === 'vorbis' ? f.id.toUpperCase() : f.id)) out.push(...texts(f.value));
    }
  }
  return out;
}

/** A json_extract result: a JSON array arrives as its text, a string as itself (which may start with "["). */
function extracted(value: unknown): unknown {
  if (typeof value !== 'string' || !value.startsWith('[')) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value; // a text that merely starts with a bracket, e.g. "[Live]"
  }
}

/** The raw values of `field` in one track row, before splitting. */
function rawValues(row: TrackFieldSource, field: string): string[] {
  switch (sourceOf(field)) {
    case 'genres':
      return JSON.parse(row.genres) as string[];
    case 'mood':
      return row.mood ? [row.mood] : [];
    case 'grouping':
      return texts(extracted(row.grouping));
    case 'comment':
      return row.comment ? [row.comment] : [];
    case 'native': {
      // A standard field music-metadata maps (COMPOSER → common.composer), and the native frames.
      const common = row.common ? (JSON.parse(row.common) as Record<string, unknown>)[field.toLowerCase()] : undefined;
      return [...texts(common), ...nativeValues(row.native, field)];
    }
  }
}

/** One track's values of a field: normalised key → the spelling found. */
export function valuesOf(row: TrackFieldSource, field: string, separator: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of rawValues(row, field)) {
    const parts = sourceOf(field) === 'comment' ? keywords(raw) : split(raw, separator);
    for (const p of parts) {
      const key = normaliseTag(p);
      if (key && !out.has(key)) out.set(key, p);
    }
  }
  return out;
}

/** The group a track is held out with in cross-validation: its album (by album artist), or itself. */
export function groupKeyOf(row: Pick<TrackFieldSource, 'id' | 'album' | 'albumArtist' | 'artist'>): string {
  if (!row.album || !row.album.trim()) return `track:${row.id}`;
  return `album:${normaliseTag(row.albumArtist ?? row.artist ?? '')}\u0000${normaliseTag(row.album)}`;
}
