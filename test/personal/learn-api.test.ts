// personal.learn, personal.models, similar.tracks and the feedback loop through the API, on a
// library whose embeddings are made to order (helpers.ts): the quality report, the suggestions
// for untagged look-alikes, what a decision changes, and where an accepted suggestion is written.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { methods } from '../../src-main/api/contract.ts';
import type { BettiError } from '../../src-main/api/errors.ts';
import { listModels } from '../../src-main/library/db/queries/personal.ts';
import { planFromAccepted } from '../../src-main/tags/accepted.ts';
import { loadSettings } from '../../src-main/tags/settings.ts';
import { albums, syntheticLibrary, type SyntheticTrack } from './helpers.ts';

// 4 styles; style 0 is what the person calls "Sunday Morning" (GROUPING), but 6 of its 48 tracks
// are not tagged yet (the last album); MOOD "Calm" is on only 12 tracks; the custom field holds
// "drums" (which the shipped model suggests) and "Live" (which it does not, on style 2).
function library(): SyntheticTrack[] {
  return [
    ...albums(0, 48, 6, 'Morning', (i) => (i < 42 ? { grouping: 'Sunday Morning', comment: 'coffee, slow start' } : {})),
    ...albums(1, 48, 6, 'Night', (i) => (i < 12 ? { mood: 'Calm' } : {})),
    ...albums(2, 48, 6, 'Stage', () => ({ native: { vorbis: [{ id: 'BETTI_TAGS', value: 'Live' }] } })),
    ...albums(3, 36, 6, 'Drums', () => ({ native: { vorbis: [{ id: 'BETTI_TAGS', value: 'drums' }] }, genres: ['Rock; Indie'] })),
  ];
}

const untaggedMorning = (ids: number[]) => ids.slice(42, 48);

describe('personal tag models through the API', () => {
  it('learns a GROUPING value, reports its cross-validated quality, and suggests it for the untagged look-alikes', async (t) => {
    const lib = syntheticLibrary(t, library());
    const report = methods['personal.learn'].response.parse(await lib.client['personal.learn']({ fields: ['grouping', 'MOOD', 'COMMENT', 'BETTI_TAGS', 'GENRE'] }));
    assert.equal(report.tracks, 180);
    assert.deepEqual(report.fields, ['GROUPING', 'MOOD', 'COMMENT', 'BETTI_TAGS', 'GENRE']);
    const byName = new Map(report.values.map((v) => [`${v.field}=${v.value}`, v]));

    const morning = byName.get('GROUPING=Sunday Morning')!;
    assert.equal(morning.positives, 42);
    assert.ok(morning.offered, morning.reason);
    assert.ok(morning.cvRocAuc! > 0.95, `cross-validated ROC-AUC ${morning.cvRocAuc}`);
    assert.ok(morning.cvPrecision! > 0.8 && morning.cvRecall! > 0.8);
    assert.ok(morning.threshold! >= 0.2 && morning.threshold! <= 1);

    // The untagged tracks of that style are what it suggests (and nothing of another style).
    const pending = await lib.client['review.list']({ decision: 'pending', limit: 1000 });
    const mine = pending.suggestions.filter((s) => s.source === 'personal' && s.tag === 'Sunday Morning');
    assert.deepEqual(mine.map((s) => s.trackId).sort((a, b) => a - b), untaggedMorning(lib.ids));
    assert.equal(morning.suggestions, 6);
    for (const s of mine) {
      assert.equal(s.category, 'grouping');
      assert.ok(s.confidence >= morning.threshold!);
    }

    // COMMENT keywords are learned too, and written to the custom field (Betti does not write COMMENT).
    const coffee = byName.get('COMMENT=coffee')!;
    assert.ok(coffee.offered);
    assert.equal(coffee.writesTo, 'BETTI_TAGS');
    // The custom field: "Live" is learned; "drums" is the shipped model's to suggest.
    assert.ok(byName.get('BETTI_TAGS=Live')!.offered);
    assert.match(byName.get('BETTI_TAGS=drums')!.reason, /shipped model/);
    // Too few tracks: listed with the reason, not trained.
    const calm = byName.get('MOOD=Calm')!;
    assert.equal(calm.offered, false);
    assert.equal(calm.cvRocAuc, null);
    assert.match(calm.reason, /only 12 tracks have it \(at least 20 needed\)/);
    // GENRE values joined with "; " count separately.
    assert.equal(byName.get('GENRE=Rock')!.positives, 36);
    assert.equal(byName.get('GENRE=Indie')!.positives, 36);
    assert.equal(report.offered, report.values.filter((v) => v.offered).length);

    const models = methods['personal.models'].response.parse(await lib.client['personal.models']({}));
    assert.equal(models.modelVersion, 'test-model-1');
    assert.equal(models.tracks, 180);
    const stored = models.models.find((m) => m.field === 'GROUPING')!;
    assert.equal(stored.pendingSuggestions, 6);
    assert.equal(stored.cvRocAuc, morning.cvRocAuc);
    assert.deepEqual(models.otherVersions, []);
  });

  it('a value whose tracks do not sound alike stays below the quality bar and suggests nothing', async (t) => {
    // "Random" is on every other track of every style: the embeddings cannot tell it.
    const tracks = [0, 1, 2, 3].flatMap((style) => albums(style, 40, 5, `S${style}`, (i) => (i % 2 === 0 ? { grouping: 'Random' } : {})));
    const lib = syntheticLibrary(t, tracks, { seed: 3 });
    const report = await lib.client['personal.learn']({ fields: ['GROUPING'] });
    const v = report.values.find((x) => x.value === 'Random')!;
    assert.equal(v.offered, false);
    assert.ok(v.cvRocAuc! < 0.7, `ROC-AUC ${v.cvRocAuc}`);
    assert.match(v.reason, /ROC-AUC .* is below 0\.8/);
    assert.equal(report.suggestions, 0);
    assert.equal((await lib.client['review.list']({ decision: 'all' })).total, 0);
  });

  it('a decision retrains the value at once: a rejected track is no longer suggested, an accepted one is written to the learned field', async (t) => {
    const lib = syntheticLibrary(t, library());
    await lib.client['personal.learn']({ fields: ['GROUPING', 'BETTI_TAGS'] });
    const before = listModels(lib.db).find((m) => m.value === 'Sunday Morning')!;
    assert.equal(before.feedback, 0);
    const list = (await lib.client['review.list']({ decision: 'pending', limit: 1000 })).suggestions.filter((s) => s.tag === 'Sunday Morning');
    const [rejected, accepted] = [list[0]!, list[1]!];
    await lib.client['review.decide']({ suggestionIds: [rejected.id], decision: 'rejected' });
    await lib.client['review.decide']({ suggestionIds: [accepted.id], decision: 'accepted' });

    const after = listModels(lib.db).find((m) => m.value === 'Sunday Morning')!;
    assert.equal(after.feedback, 2);
    assert.ok(after.retrainedAt !== null);
    assert.equal(lib.db.get<{ n: number }>('SELECT count(*) AS n FROM personal_feedback')!.n, 0, 'every decision was learned from');
    const all = (await lib.client['review.list']({ decision: 'all', limit: 1000 })).suggestions.filter((s) => s.tag === 'Sunday Morning');
    assert.equal(all.find((s) => s.id === rejected.id)?.decision, 'rejected', 'the decision stays');
    assert.equal(all.find((s) => s.id === accepted.id)?.decision, 'accepted');
    // The accepted personal suggestion goes to the field it was learned from, not the category's default.
    assert.equal(all.find((s) => s.id === accepted.id)?.field, after.field);
    const plan = planFromAccepted(lib.db, loadSettings(lib.db).write, {});
    assert.deepEqual(plan.files.map((f) => f.set), [{ [accepted.field]: ['Sunday Morning'] }]);
  });

  it('rejecting a suggestion moves the model away from that track', async (t) => {
    const lib = syntheticLibrary(t, library());
    await lib.client['personal.learn']({ fields: ['GROUPING'] });
    const list = (await lib.client['review.list']({ decision: 'pending', limit: 1000 })).suggestions.filter((s) => s.tag === 'Sunday Morning');
    // Reject all six: the person says the untagged album is not "Sunday Morning" after all.
    const weightsBefore = lib.db.get<{ w: Uint8Array }>("SELECT weights AS w FROM personal_models WHERE value = 'Sunday Morning'")!.w.slice();
    await lib.client['review.decide']({ suggestionIds: list.map((s) => s.id), decision: 'rejected' });
    const weightsAfter = lib.db.get<{ w: Uint8Array }>("SELECT weights AS w FROM personal_models WHERE value = 'Sunday Morning'")!.w;
    assert.notDeepEqual(Buffer.from(weightsAfter), Buffer.from(weightsBefore));
    // A new track like the rejected ones scores lower than before the rejections.
    const models = await lib.client['personal.models']({});
    assert.equal(models.models.find((m) => m.value === 'Sunday Morning')!.decisions, 6);
  });

  it('tracks analysed after learning get personal suggestions when the analysis run stops', async (t) => {
    const lib = syntheticLibrary(t, library());
    await lib.client['personal.learn']({ fields: ['GROUPING'] });
    const [fresh, other] = lib.add([{ style: 0, album: 'New Morning' }, { style: 3, album: 'New Drums' }], Date.now() + 1000);
    lib.bus.emit('analysis.progress', { done: 2, total: 2, tracksPerSec: 1, etaSec: 0, current: null, errors: 0, state: 'done' });
    const got = await lib.client['review.list']({ trackIds: [fresh!, other!], decision: 'pending' });
    assert.deepEqual(
      got.suggestions.filter((s) => s.source === 'personal').map((s) => [s.trackId, s.tag]),
      [[fresh, 'Sunday Morning']],
    );
  });

  it('similar.tracks finds the tracks of the same style first, by id or by path', async (t) => {
    const lib = syntheticLibrary(t, library());
    const byId = methods['similar.tracks'].response.parse(await lib.client['similar.tracks']({ trackId: lib.ids[100]!, n: 10 }));
    assert.equal(byId.searched, 180);
    assert.equal(byId.tracks.length, 10);
    assert.ok(!byId.tracks.some((x) => x.trackId === lib.ids[100]));
    // ids 96…143 are style 2.
    for (const x of byId.tracks) assert.ok(x.trackId >= lib.ids[96]! && x.trackId <= lib.ids[143]!, `track ${x.trackId}`);
    for (let i = 1; i < byId.tracks.length; i++) assert.ok(byId.tracks[i - 1]!.similarity >= byId.tracks[i]!.similarity);
    const byPath = await lib.client['similar.tracks']({ path: byId.path, n: 10 });
    assert.deepEqual(byPath.tracks, byId.tracks);
    assert.match(byId.tracks[0]!.path, /^\/music\/Stage_\d\//);
  });

  it('says why a track has no neighbours, and refuses a request naming no track', async (t) => {
    const lib = syntheticLibrary(t, albums(0, 12, 6, 'A'));
    await assert.rejects(lib.client['similar.tracks']({ trackId: 9999 }), (e: BettiError) => e.kind === 'not-found' && /no track 9999/.test(e.message));
    lib.db.run("UPDATE analysis_queue SET state = 'failed', error_kind = 'decode-failed', error_message = 'truncated file' WHERE track_id = ?", lib.ids[3]!);
    const failed = await lib.client['similar.tracks']({ trackId: lib.ids[3]! });
    assert.deepEqual(failed.tracks, []);
    assert.equal(failed.unavailable?.reason, 'analysis-failed');
    assert.match(failed.unavailable?.message ?? '', /analysis failed \(truncated file\)/);
    assert.match(failed.unavailable?.hint ?? '', /betti analyze/);
    await assert.rejects(lib.client['similar.tracks']({ n: 3 } as never), (e: BettiError) => e.kind === 'invalid-request');
  });

  it('refuses to learn without analysed tracks, saying what to run', async (t) => {
    const lib = syntheticLibrary(t, []);
    await assert.rejects(lib.client['personal.learn']({}), (e: BettiError) => e.kind === 'not-found' && /No track .* analysed/.test(e.message) && /betti analyze/.test(e.hint ?? ''));
    await assert.rejects(lib.client['personal.learn']({ fields: ['not a field'] }), (e: BettiError) => e.kind === 'invalid-request' && /field name/.test(e.message));
  });
});
