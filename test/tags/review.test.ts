// Review and --accepted: suggestions (inserted through the query layer, as the analysis will),
// decisions in batches, the plan they make (genre → GENRE, mood → MOOD, the rest → the custom
// field), writing them, refusing files changed since the library read them, and the library
// track refreshed after a write.
import assert from 'node:assert/strict';
import { appendFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openLibraryDb } from '../../src-main/library/db/open.ts';
import { getTrackByPath } from '../../src-main/library/db/queries/tracks.ts';
import { upsertSuggestions, type NewSuggestion } from '../../src-main/library/db/queries/suggestions.ts';
import { tempDir } from '../helpers/tmp.ts';
import { makeAudioFile, openService } from './helpers/fixtures.ts';
import { mutagenRead, mutagenValues } from './helpers/readers.ts';

async function scannedLibrary(t: { after(fn: () => void): void }) {
  const dir = tempDir(t);
  const a = makeAudioFile(dir, 'a', 'flac', { genre: 'Rock' });
  const b = makeAudioFile(dir, 'b', 'mp3', { genre: 'Rock' });
  const svc = openService(join(dir, 'lib.db'));
  t.after(() => svc.close());
  const scan = await svc.client['library.scan']({ folders: [dir] });
  assert.equal(scan.new, 2);
  const db = openLibraryDb(join(dir, 'lib.db'));
  t.after(() => db.close());
  const ids = [a, b].map((p) => getTrackByPath(db, p)!.id);
  const rows: NewSuggestion[] = [];
  for (const trackId of ids) {
    rows.push(
      { trackId, tag: 'ambient', category: 'genre', confidence: 0.91, source: 'personal' },
      { trackId, tag: 'calm', category: 'mood', confidence: 0.85, source: 'personal' },
      { trackId, tag: 'piano', category: 'instrument', confidence: 0.95, source: 'model' },
      { trackId, tag: 'slow', category: 'tempo', confidence: 0.82, source: 'model' },
      { trackId, tag: 'drums', category: 'instrument', confidence: 0.4, source: 'model' },
    );
  }
  upsertSuggestions(db, rows);
  return { dir, a, b, ids, svc, db };
}

describe('review and writing accepted suggestions', () => {
  it('accepts every suggestion ≥ 0.8 for a set of tracks, keeping an earlier rejection, and lists them by decision', async (t) => {
    const { ids, svc } = await scannedLibrary(t);
    const pending = await svc.client['review.list']({ trackIds: [ids[0]!] });
    assert.equal(pending.total, 5);
    assert.deepEqual(
      pending.suggestions.map((s) => [s.tag, s.field]),
      [
        ['piano', 'BETTI_TAGS'],
        ['ambient', 'GENRE'],
        ['calm', 'MOOD'],
        ['slow', 'BETTI_TAGS'],
        ['drums', 'BETTI_TAGS'],
      ],
    );
    const slow = pending.suggestions.find((s) => s.tag === 'slow')!;
    assert.deepEqual(await svc.client['review.decide']({ suggestionIds: [slow.id], decision: 'rejected' }), { updated: 1 });
    const r = await svc.client['review.decide']({ trackIds: ids, minConfidence: 0.8, decision: 'accepted' });
    assert.equal(r.updated, 7, '4 for the second track, 3 for the first (its rejection is kept)');
    const accepted = await svc.client['review.list']({ decision: 'accepted' });
    assert.equal(accepted.total, 7);
    assert.ok(accepted.suggestions.every((s) => s.decidedAt !== null && s.confidence >= 0.8));
    const rejected = await svc.client['review.list']({ decision: 'rejected' });
    assert.deepEqual(
      rejected.suggestions.map((s) => s.tag),
      ['slow'],
    );
  });

  it('turns accepted suggestions into a plan with a preview, writes them, and refreshes the library track', async (t) => {
    const { a, b, ids, svc } = await scannedLibrary(t);
    await svc.client['review.decide']({ trackIds: ids, minConfidence: 0.8, decision: 'accepted' });
    const { plan, preview } = await svc.client['write.plan']({});
    assert.deepEqual(plan.files.find((f) => f.path === a)!.set, { BETTI_TAGS: ['piano', 'slow'], GENRE: ['ambient'], MOOD: ['calm'] });
    const pa = preview.files.find((f) => f.path === a)!;
    assert.equal(pa.status, 'change');
    assert.deepEqual(pa.fields.find((f) => f.field === 'GENRE'), { field: 'GENRE', location: 'Vorbis comment GENRE', before: ['Rock'], after: ['Rock', 'ambient'], change: 'append' });
    const r = await svc.client['write.apply']({ accepted: {} });
    assert.deepEqual(
      r.results.map((x) => x.status),
      ['ok', 'ok'],
    );
    const m = mutagenRead([a, b]);
    assert.deepEqual(mutagenValues(m[a]!, 'flac', 'BETTI_TAGS', '2.4'), ['piano', 'slow']);
    assert.deepEqual(mutagenValues(m[b]!, 'mp3', 'MOOD', '2.4'), ['calm']);
    const track = await svc.client['library.track']({ id: ids[0]! });
    assert.deepEqual(track.tags.genres, ['Rock', 'ambient'], 'the library shows what is in the file now');
    const again = await svc.client['write.apply']({ accepted: {} });
    assert.deepEqual(
      again.results.map((x) => x.status),
      ['unchanged', 'unchanged'],
      'applying the same accepted tags again changes nothing',
    );
  });

  it('refuses a file changed since the library read it, with a hint to scan again, and writes the other', async (t) => {
    const { a, b, ids, svc } = await scannedLibrary(t);
    await svc.client['review.decide']({ trackIds: ids, minConfidence: 0.8, decision: 'accepted' });
    appendFileSync(b, Buffer.alloc(16)); // another program touched it after the scan
    const later = new Date(Date.now() + 5000);
    utimesSync(b, later, later);
    const r = await svc.client['write.apply']({ accepted: {} });
    const rb = r.results.find((x) => x.path === b)!;
    assert.equal(rb.status, 'failed');
    assert.equal(rb.error?.kind, 'file-changed');
    assert.match(rb.error!.message, /changed since Betti read it/);
    assert.match(rb.error!.hint!, /betti scan/);
    assert.equal(r.results.find((x) => x.path === a)!.status, 'ok');
  });

  it('replace mode writes exactly the accepted tags of each field', async (t) => {
    const { a, ids, svc } = await scannedLibrary(t);
    await svc.client['review.decide']({ trackIds: [ids[0]!], tags: ['ambient'], decision: 'accepted' });
    const r = await svc.client['write.apply']({ accepted: { trackIds: [ids[0]!], mode: 'replace' } });
    assert.equal(r.results.length, 1);
    assert.deepEqual(mutagenValues(mutagenRead([a])[a]!, 'flac', 'GENRE', '2.4'), ['ambient']);
  });
});
