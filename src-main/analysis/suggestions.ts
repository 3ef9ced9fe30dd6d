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

/** The model's exclusive categories (tags.json `exclusive`), each with its tags, normalised. */
export function exclusiveCategories(tags: readonly ModelTag[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of tags) {
    if (!t.exclusive) continue;
    let set = out.get(t.category);
    if (!set) out.set(t.category, (set = new Set()));
    set.add(normaliseTag(t.tag));
  }
  return out;
}

/**
 * Without the suggestions that would contradict the file or each other. In an exclusive category (a
 * clip is slow, medium or fast, never two of them) only the most confident tag is kept, and none
 * when the file already holds one of the category's tags: accepting suggestions must never leave
 * a file tagged both slow and fast. Elsewhere, a tag the file already holds is dropped.
 */
export function withoutContradictions<T extends { tag: string; category: string; confidence: number }>(
  candidates: readonly T[],
  exclusive: ReadonlyMap<string, ReadonlySet<string>>,
  inFile: ReadonlySet<string>,
): T[] {
  const best = new Map<string, T>();
  const out: T[] = [];
  for (const c of candidates) {
    const group = exclusive.get(c.category);
    if (!group?.has(normaliseTag(c.tag))) {
      if (!inFile.has(normaliseTag(c.tag))) out.push(c);
      continue;
    }
    if ([...group].some((t) => inFile.has(t))) continue;
    const held = best.get(c.category);
    if (!held || c.confidence > held.confidence) best.set(c.category, c);
  }
  return [...out, ...best.values()].sort((a, b) => b.confidence - a.confidence);
}

/** A tag the model would suggest on its confidence alone: at or above its threshold, clearing the quality bar. */
export function clearsThreshold(t: ModelTag, confidence: number): boolean {
  return confidence >= t.threshold && modelTagVerdict(t.valid).suggested;
}

/** The tags to suggest: clearing the quality bar, at or above threshold, contradicting neither the file nor each other, most confident first. */
export function suggestionsFrom(confidences: Float32Array, tags: readonly ModelTag[], inFile: ReadonlySet<string>): { tag: string; category: string; confidence: number }[] {
  const candidates: { tag: string; category: string; confidence: number }[] = [];
  tags.forEach((t, i) => {
    const confidence = confidences[i]!;
    if (!clearsThreshold(t, confidence)) return;
    candidates.push({ tag: t.tag, category: t.category, confidence: Math.min(1, Math.max(0, confidence)) });
  });
  return withoutContradictions(candidates, exclusiveCategories(tags), inFile);
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
  const models = new Map<string, { record: ModelRecord; exclusive: Map<string, Set<string>> } | undefined>();
  const modelOf = (trackId: number) => {
    const version = getQueueRow(db, trackId)?.modelVersion;
    if (version === undefined) return undefined;
    if (!models.has(version)) {
      const record = getModel(db, version);
      models.set(version, record && { record, exclusive: exclusiveCategories(record.tags) });
    }
    return models.get(version);
  };
  const none = new Map<string, Set<string>>();
  const tracks: TrackSuggestionList[] = [];
  for (const [trackId, list] of byTrack) {
    const track = getTrackById(db, trackId);
    if (!track) continue;
    const inFile = fileTagValues(track, settings);
    const model = modelOf(trackId);
    // The file may have gained a tag of an exclusive category since the analysis (by hand, or an
    // accepted suggestion): the pending rivals of that tag go quiet too.
    const kept = [
      ...withoutContradictions(
        list.filter((s) => s.source === 'model'),
        model?.exclusive ?? none,
        inFile,
      ),
      ...withoutContradictions(
        list.filter((s) => s.source !== 'model'),
        none,
        inFile,
      ),
    ].sort((a, b) => b.confidence - a.confidence);
    const suggestions = kept.map((s) => ({
      id: s.id,
      tag: s.tag,
      category: s.category,
      confidence: s.confidence,
      threshold: s.source === 'model' ? (model?.record.tags.find((t) => t.tag === s.tag)?.threshold ?? null) : null,
      source: s.source,
    }));
    if (suggestions.length > 0) tracks.push({ trackId, path: track.path, suggestions });
  }
  return { tracks: tracks.slice(opts.offset, opts.offset + opts.limit), totalTracks: tracks.length };
}
