// Which tags become suggestions: clearing the quality bar on valid, at or above the tag's
// threshold, and not already in the field Betti would write them to, whatever tag system and
// spelling the file uses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileTagValues, normaliseTag, pendingSuggestionsByTrack, suggestionsFrom } from '../../src-main/analysis/suggestions.ts';
import { WriteSettings } from '../../src-main/api/schemas/settings.ts';
import { putQueueEntry, registerModel } from '../../src-main/library/db/queries/analysis.ts';
import { upsertSuggestions } from '../../src-main/library/db/queries/suggestions.ts';
import { upsertTrack } from '../../src-main/library/db/queries/tracks.ts';
import { emptyTags } from '../../src-main/library/track.ts';
import { libraryDb, trackRecord } from './helpers.ts';

const settings = { customField: 'BETTI_TAGS', id3v23Separator: '; ' };
const track = (genres: string[], mood: string | null, native: Record<string, { id: string; value: unknown }[]>) => ({
  tags: { ...emptyTags(), genres, mood },
  raw: { common: {}, native },
});

test('normaliseTag treats case, spaces, underscores and hyphens alike', () => {
  assert.equal(normaliseTag(' Game Soundtrack '), 'game soundtrack');
  assert.equal(normaliseTag('game_soundtrack'), 'game soundtrack');
  assert.equal(normaliseTag('Electric-Guitar'), 'electric guitar');
});

test('the file values are GENRE, MOOD and the custom field in ID3v2 (TXXX), Vorbis (any case) and MP4 (freeform)', () => {
  const id3 = fileTagValues(track(['Classical; Ambient'], 'Calm', { 'ID3v2.3': [{ id: 'TXXX:BETTI_TAGS', value: 'piano; slow' }, { id: 'TXXX:OTHER', value: 'drums' }] }), settings);
  assert.deepEqual([...id3].sort(), ['ambient', 'calm', 'classical', 'classical; ambient', 'piano', 'piano; slow', 'slow']);
  const vorbis = fileTagValues(track([], null, { vorbis: [{ id: 'betti_tags', value: 'Electric_Guitar' }] }), settings);
  assert.ok(vorbis.has('electric guitar'));
  const mp4 = fileTagValues(track([], null, { iTunes: [{ id: '----:com.apple.iTunes:BETTI_TAGS', value: ['harp', 'choir'] }] }), settings);
  assert.deepEqual([...mp4].sort(), ['choir', 'harp']);
  const other = fileTagValues(track([], null, { 'ID3v2.4': [{ id: 'TXXX:MY_TAGS', value: 'harp' }] }), { ...settings, customField: 'MY_TAGS' });
  assert.ok(other.has('harp'), 'the custom field named in the settings');
});

test('suggestions are the tags at or above threshold that the file lacks, most confident first', () => {
  const tags = [
    { tag: 'piano', category: 'instrument', threshold: 0.5 },
    { tag: 'game_soundtrack', category: 'genre', threshold: 0.4 },
    { tag: 'slow', category: 'tempo', threshold: 0.6 },
    { tag: 'drums', category: 'instrument', threshold: 0.3 },
  ];
  const out = suggestionsFrom(Float32Array.of(0.5, 0.9, 0.59, 0.7), tags, new Set(['game soundtrack']));
  assert.deepEqual(
    out.map((s) => s.tag),
    ['drums', 'piano'],
  );
  assert.equal(out[1]!.confidence, 0.5, 'exactly at the threshold counts');
});

test('a tag below the quality bar on valid is never suggested, however confident the network is', () => {
  const tags = [
    { tag: 'piano', category: 'instrument', threshold: 0.3, valid: { rocAuc: 0.95, rocAucWithinSource: 0.95, precision: 0.8 } },
    { tag: 'minor', category: 'mode', threshold: 0.3, valid: { rocAuc: 0.69, rocAucWithinSource: 0.69, precision: 0.64 } }, // ROC-AUC below 0.8
    { tag: 'trumpet', category: 'instrument', threshold: 0.3, valid: { rocAuc: 0.87, rocAucWithinSource: 0.87, precision: 0.41 } }, // precision below 0.5
    { tag: 'harp', category: 'instrument', threshold: 0.3, valid: { rocAuc: 0.9, rocAucWithinSource: 0.9, precision: null } }, // nothing reached the threshold
    { tag: 'classical', category: 'genre', threshold: 0.3, valid: { rocAuc: 1, rocAucWithinSource: null, precision: 1 } }, // only ever told apart from another source
    { tag: 'drums', category: 'instrument', threshold: 0.3 }, // an older model folder: no measurements, no reason to withhold
  ];
  const out = suggestionsFrom(Float32Array.of(0.9, 1, 1, 1, 1, 0.8), tags, new Set());
  assert.deepEqual(
    out.map((s) => s.tag),
    ['piano', 'drums'],
  );
});

const exclusiveTags = [
  { tag: 'slow', category: 'tempo', threshold: 0.4, exclusive: true },
  { tag: 'medium', category: 'tempo', threshold: 0.4, exclusive: true },
  { tag: 'fast', category: 'tempo', threshold: 0.4, exclusive: true },
  { tag: 'strings', category: 'instrument', threshold: 0.4, exclusive: false },
  { tag: 'cello', category: 'instrument', threshold: 0.4, exclusive: false },
];

test('of an exclusive category only the most confident tag is suggested; other categories keep every tag', () => {
  const out = suggestionsFrom(Float32Array.of(0.93, 0.2, 0.47, 1, 0.99), exclusiveTags, new Set());
  assert.deepEqual(
    out.map((s) => s.tag),
    ['strings', 'cello', 'slow'],
  );
});

test('a file that already holds a tag of an exclusive category gets none of its rivals suggested', () => {
  const out = suggestionsFrom(Float32Array.of(0.93, 0.2, 0.47, 1, 0.99), exclusiveTags, new Set(['fast', 'cello']));
  assert.deepEqual(
    out.map((s) => s.tag),
    ['strings'],
  );
});

test('a model folder without the exclusive flag suggests every tag over its threshold, as before', () => {
  const plain = exclusiveTags.map(({ exclusive: _, ...t }) => t);
  const out = suggestionsFrom(Float32Array.of(0.93, 0.2, 0.47, 1, 0.99), plain, new Set());
  assert.deepEqual(
    out.map((s) => s.tag),
    ['strings', 'cello', 'slow', 'fast'],
  );
});

test('pending suggestions go quiet when the file gains a rival tag of their exclusive category after the analysis', (t) => {
  const db = libraryDb(t);
  registerModel(db, { modelVersion: 'm-1', specVersion: 's', architecture: 'pcnn', tags: exclusiveTags });
  const write = WriteSettings.parse({});
  const id = upsertTrack(db, trackRecord('/music/pads.mp3'));
  putQueueEntry(db, id, { contentKey: 'fp', specVersion: 's', modelVersion: 'm-1' }, 'done');
  upsertSuggestions(db, [
    { trackId: id, tag: 'slow', category: 'tempo', confidence: 0.93, source: 'model' },
    { trackId: id, tag: 'strings', category: 'instrument', confidence: 1, source: 'model' },
  ]);
  const before = pendingSuggestionsByTrack(db, write, { limit: 10, offset: 0 });
  assert.deepEqual(
    before.tracks[0]!.suggestions.map((s) => [s.tag, s.threshold]),
    [
      ['strings', 0.4],
      ['slow', 0.4],
    ],
  );
  // Another tagger writes FAST into the file's custom field; Betti rescans it.
  upsertTrack(db, trackRecord('/music/pads.mp3', { native: { 'ID3v2.4': [{ id: 'TXXX:BETTI_TAGS', value: 'fast' }] } }));
  const after = pendingSuggestionsByTrack(db, write, { limit: 10, offset: 0 });
  assert.deepEqual(
    after.tracks[0]!.suggestions.map((s) => s.tag),
    ['strings'],
  );
});
