// The plan for one file (pure: entry + what the file holds + settings → field changes) and the
// preview through the API.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { WriteSettings } from '../../src-main/api/schemas/settings.ts';
import { UnsupportedFormatError, UnwritableValueError } from '../../src-main/tags/errors.ts';
import { planFile, type PlanItem } from '../../src-main/tags/plan.ts';
import type { TagSnapshot } from '../../src-main/tags/snapshot.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile, openService } from './helpers/fixtures.ts';

const defaults = WriteSettings.parse({});

function snapshot(values: Record<string, string[]>, over: Partial<TagSnapshot> = {}): TagSnapshot {
  return { path: '/music/a.mp3', format: 'mp3', system: 'id3v2', id3Version: '2.4', nativeType: 'ID3v2.4', values: (f) => values[f] ?? [], preserved: {}, ...over };
}
const item = (set: Record<string, string[]>, extra: Partial<PlanItem> = {}): PlanItem => ({ path: '/music/a.mp3', set, remove: [], ...extra });

describe('the write plan of one file', () => {
  it('appends new values after the existing ones, once each, and says what kind of change each field is', () => {
    const p = planFile(item({ GENRE: ['Jazz', 'Rock', 'Jazz'], MOOD: ['calm'], BETTI_TAGS: [] }), snapshot({ GENRE: ['Rock'], BETTI_TAGS: ['piano'] }), defaults);
    assert.deepEqual(
      p.changes.map((c) => [c.field, c.location, c.before, c.after, c.change]),
      [
        ['GENRE', 'ID3v2.4 TCON', ['Rock'], ['Rock', 'Jazz'], 'append'],
        ['MOOD', 'ID3v2.4 TMOO', [], ['calm'], 'add'],
        ['BETTI_TAGS', 'ID3v2.4 TXXX:BETTI_TAGS', ['piano'], ['piano'], 'keep'],
      ],
    );
    assert.deepEqual(
      p.writes.map((w) => w.field),
      ['GENRE', 'MOOD'],
      'unchanged fields are not rewritten',
    );
  });

  it('replaces values in replace mode (from the entry or the settings) and removes the fields named in remove', () => {
    const snap = snapshot({ GENRE: ['Rock', 'Pop'], MOOD: ['sad'] });
    const p = planFile(item({ GENRE: ['Pop'] }, { remove: ['MOOD'], mode: 'replace' }), snap, defaults);
    assert.deepEqual(
      p.changes.map((c) => [c.field, c.after, c.change]),
      [
        ['GENRE', ['Pop'], 'replace'],
        ['MOOD', [], 'remove'],
      ],
    );
    const bySettings = planFile(item({ GENRE: ['Pop'] }), snap, { ...defaults, defaultMode: 'replace' });
    assert.deepEqual(bySettings.changes[0]!.after, ['Pop']);
  });

  it('places fields per format and ID3 version (Picard’s conventions)', () => {
    const vorbis = planFile(item({ MOOD: ['calm'], MY_TAGS: ['x'] }), snapshot({}, { format: 'flac', system: 'vorbis', id3Version: undefined }), defaults);
    assert.deepEqual(
      vorbis.changes.map((c) => c.location),
      ['Vorbis comment MOOD', 'Vorbis comment MY_TAGS'],
    );
    const mp4 = planFile(item({ GENRE: ['a'], MOOD: ['b'] }), snapshot({}, { format: 'm4a', system: 'mp4', id3Version: undefined }), defaults);
    assert.deepEqual(
      mp4.changes.map((c) => c.location),
      ['MP4 ©gen', 'MP4 ----:com.apple.iTunes:MOOD'],
    );
    const v23 = planFile(item({ GENRE: ['a'], MOOD: ['b'] }), snapshot({}), { ...defaults, id3Version: '2.3' });
    assert.deepEqual(
      v23.changes.map((c) => c.location),
      ['ID3v2.3 TCON', 'ID3v2.3 TXXX:MOOD'],
    );
  });

  it('carries Betti’s other fields over when the ID3 version changes, and notes it', () => {
    const p = planFile(item({ BETTI_TAGS: ['piano'] }), snapshot({ GENRE: ['Rock'], MOOD: ['calm'] }, { id3Version: '2.3', nativeType: 'ID3v2.3' }), defaults);
    assert.deepEqual(p.notes, ['saves the ID3v2.3 tag as ID3v2.4']);
    assert.deepEqual(p.writes, [
      { field: 'BETTI_TAGS', values: ['piano'] },
      { field: 'GENRE', values: ['Rock'] },
      { field: 'MOOD', values: ['calm'] },
    ]);
    const untouched = planFile(item({ GENRE: ['Rock'] }), snapshot({ GENRE: ['Rock'] }, { id3Version: '2.3' }), defaults);
    assert.deepEqual(untouched.writes, [], 'no conversion when nothing else changes');
  });

  it('refuses bad field names, a field both set and removed, too many values, and ID3v2.2 tags', () => {
    const snap = snapshot({});
    assert.throws(() => planFile(item({ 'bad name': ['x'] }), snap, defaults), (e: unknown) => e instanceof UnwritableValueError && e.where === 'bad name');
    assert.throws(() => planFile(item({ ARTIST: ['x'] }), snap, defaults), /standard field/);
    assert.throws(() => planFile(item({ MOOD: ['x'] }, { remove: ['MOOD'] }), snap, defaults), /both set and removed/);
    assert.throws(() => planFile(item({ MOOD: Array.from({ length: 1001 }, (_, i) => `m${i}`) }), snap, defaults), /at most 1000/);
    assert.throws(
      () => planFile(item({ MOOD: ['x'] }), snapshot({}, { id3Version: '2.2' }), defaults),
      (e: unknown) => e instanceof UnsupportedFormatError && /ID3v2\.2/.test(e.message) && /mid3v2/.test(e.hint ?? ''),
    );
  });
});

describe('write.preview', () => {
  it('shows each field before and after, the file state to expect, and a per-file error for a missing file', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'song', 'ogg', { genre: 'Rock' });
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const p = await svc.client['write.preview']({ plan: { files: [{ path, set: { GENRE: ['Ambient'] } }, { path: join(dir, 'gone.ogg'), set: { GENRE: ['x'] } }] } });
    assert.deepEqual(p.summary, { files: 2, change: 1, unchanged: 0, error: 1 });
    assert.deepEqual(p.files[0]!.fields, [{ field: 'GENRE', location: 'Vorbis comment GENRE', before: ['Rock'], after: ['Rock', 'Ambient'], change: 'append' }]);
    assert.equal(typeof p.files[0]!.expect?.fingerprint, 'string');
    assert.equal(p.files[1]!.status, 'error');
    assert.equal(p.files[1]!.error?.kind, 'io');
    // The preview's state, passed back as `expect`, makes apply refuse a file changed in between.
    const stale = { ...p.files[0]!.expect!, size: p.files[0]!.expect!.size + 1 };
    const r = await svc.client['write.apply']({ plan: { files: [{ path, set: { GENRE: ['Ambient'] }, expect: stale }] } });
    assert.equal(r.results[0]!.error?.kind, 'file-changed');
  });

  it('takes field names in any case ("genre" is GENRE) and refuses one field named twice in two cases', async (t) => {
    const dir = tempDir(t);
    const path = makeAudioFile(dir, 'song', 'flac', { genre: 'Rock' });
    const svc = openService(join(dir, 'lib.db'));
    t.after(() => svc.close());
    const p = await svc.client['write.preview']({ plan: { files: [{ path, set: { genre: ['Ambient'], ' Mood ': ['calm'] }, remove: ['grouping'] }] } });
    assert.deepEqual(
      p.files[0]!.fields.map((f) => [f.field, f.after]),
      [
        ['GENRE', ['Rock', 'Ambient']],
        ['MOOD', ['calm']],
        ['GROUPING', []],
      ],
    );
    await assert.rejects(svc.client['write.preview']({ plan: { files: [{ path, set: { genre: ['a'], GENRE: ['b'] } }] } }), /GENRE is set twice/);
  });
});
