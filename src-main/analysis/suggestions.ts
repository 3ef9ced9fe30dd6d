// From a track's analysis to its tag suggestions: every tag that clears the quality bar
// (model/quality-bar.ts), whose confidence reaches its threshold (both measured on the validation
// split and shipped with the model) and that the file does not already carry in the field Betti
// would write it to (GENRE, MOOD or the custom field). Decisions a person already made are kept
// (upsertSuggestions never overturns one).
import type { WriteSettings } from '../api/schemas/settings.ts';
import { dropStaleModelSuggestions, getModel, getQueueRow, type ModelRecord } from '../library/db/queries/analysis.ts';
import { listSuggestions, upsertSuggestions, type NewSuggestion } from '../library/db/queries/suggestions.ts';
import { getTrackById } from '../library/db/queries/tracks.ts';
import type { LibraryDb } from '../library/db/open.ts';
import type { ModelTag } from '../model/model-files.ts';
import { modelTagVerdict } from '../model/quality-bar.ts';
import type { TrackRow } from '../library/track.ts';
import { fieldAliases, type TagSystem } from '../tags/fields.ts';

/** "Game Soundtrack", "game_soundtrack" and "game-soundtrack" are the same tag. */
export function normaliseTag(value: string): string {
  return value.normalize('NFKC').trim().toLowerCase().replace(/[\s_-]+/g, ' ');
}

/** music-metadata's native tag families, by the tag system they belong to. */
export function systemOfNative(type: string): TagSystem | undefined {
  if (type.startsWith('ID3v2')) return 'id3v2';
  if (type === 'vorbis') return 'vorbis';
  if (type === 'iTunes') return 'mp4';
  return undefined;
}

export function texts(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(texts);
  if (value && typeof value === 'object' && 'text' in value) return texts((value as { text: unknown }).text);
  return [];
}

/** Every value (normalised) the file holds in GENRE, MOOD and the custom field Betti writes to. */
export function fileTagValues(track: Pick<TrackRow, 'tags' | 'raw'>, settings: Pick<WriteSettings, 'customField' | 'id3v23Separator'>): Set<string> {
  const out = new Set<string>();
  const add = (v: string) => {
    // ID3v2.3 (and many taggers) join several values into one string.
    for (const part of [v, ...v.split(settings.id3v23Separator), ...v.split(/[;,/]/)]) {
      const n = normaliseTag(part);
      if (n) out.add(n);
    }
  };
  for (const g of track.tags.genres) add(g);
  if (track.tags.mood) add(track.tags.mood);
  for (const [type, frames] of Object.entries(track.raw.native)) {
    const system = systemOfNative(type);
    if (!system) continue;
    const ids = new Set(fieldAliases(system, settings.customField).map((id) => (system === 'vorbis' ? id.toUpperCase() : id)));
    for (const f of frames) {
      const id = system === 'vorbis' ? f.id.toUpperCase() : f.id;
      if (ids.has(id)) for (const v of texts(f.value)) add(v);
    }
  }
  return out;
}

/** The tags to suggest: clearing the quality bar, at or above threshold, not already in the file, most confident first. */
export function suggestionsFrom(confidences: Float32Array, tags: readonly ModelTag[], inFile: ReadonlySet<string>): { tag: string; category: string; confidence: number }[] {
  const out: { tag: string; category: string; confidence: number }[] = [];
  tags.forEach((t, i) => {
    const confidence = confidences[i]!;
    if (confidence < t.threshold || inFile.has(normaliseTag(t.tag)) || !modelTagVerdict(t.valid).suggested) return;
    out.push({ tag: t.tag, category: t.category, confidence: Math.min(1, Math.max(0, confidence)) });
  });
  return out.sort((a, b) => b.confidence - a.confidence);
}

/** Fills a track's model suggestions from its analysis, in one transaction. Returns how many it holds now. */
export function fillSuggestions(db: LibraryDb, track: TrackRow, confidences: Float32Array, tags: readonly ModelTag[], settings: WriteSettings): number {
  const rows: NewSuggestion[] = suggestionsFrom(confidences, tags, fileTagValues(track, settings)).map((s) => ({ trackId: track.id, source: 'model', ...s }));
  db.transaction(() => {
    dropStaleModelSuggestions(
      db,
      track.id,
      rows.map((r) => r.tag),
    );
    upsertSuggestions(db, rows);
  });
  return rows.length;
}

export interface TrackSuggestionList {
  trackId: number;
  path: string;
  suggestions: { id: number; tag: string; category: string; confidence: number; threshold: number | null; source: 'model' | 'personal' }[];
}

/**
 * Pending suggestions grouped by track (tracks in id order, most confident first), without the tags
 * the file has gained since the analysis (written by Betti or another tagger). Pages by track.
 */
export function pendingSuggestionsByTrack(
  db: LibraryDb,
  settings: WriteSettings,
  opts: { minConfidence?: number | undefined; trackIds?: readonly number[] | undefined; limit: number; offset: number },
): { tracks: TrackSuggestionList[]; totalTracks: number } {
  const rows = listSuggestions(db, { decision: 'pending', minConfidence: opts.minConfidence, trackIds: opts.trackIds });
  const byTrack = new Map<number, typeof rows>();
  for (const r of rows) {
    let list = byTrack.get(r.trackId);
    if (!list) byTrack.set(r.trackId, (list = []));
    list.push(r);
  }
  const models = new Map<string, ModelRecord | undefined>();
  const thresholdOf = (trackId: number, tag: string): number | null => {
    const version = getQueueRow(db, trackId)?.modelVersion;
    if (version === undefined) return null;
    if (!models.has(version)) models.set(version, getModel(db, version));
    return models.get(version)?.tags.find((t) => t.tag === tag)?.threshold ?? null;
  };
  const tracks: TrackSuggestionList[] = [];
  for (const [trackId, list] of byTrack) {
    const track = getTrackById(db, trackId);
    if (!track) continue;
    const inFile = fileTagValues(track, settings);
    const suggestions = list
      .filter((s) => !inFile.has(normaliseTag(s.tag)))
      .map((s) => ({ id: s.id, tag: s.tag, category: s.category, confidence: s.confidence, threshold: s.source === 'model' ? thresholdOf(trackId, s.tag) : null, source: s.source }));
    if (suggestions.length > 0) tracks.push({ trackId, path: track.path, suggestions });
  }
  return { tracks: tracks.slice(opts.offset, opts.offset + opts.limit), totalTracks: tracks.length };
}
