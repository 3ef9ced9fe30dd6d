// A run over a library database with the fake-model worker: queue planning, the cache, storage,
// suggestions, resume after a kill, pause/resume/cancel and progress. (The real model end to end
// is in cli-analyze.test.ts.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analysisComputeCounts, claimPending, getAnalysis, getDisplay, getQueueRow, queueCounts } from '../../src-main/library/db/queries/analysis.ts';
import { decideSuggestions, listSuggestions } from '../../src-main/library/db/queries/suggestions.ts';
import { getTrackById, moveTrack, upsertTrack } from '../../src-main/library/db/queries/tracks.ts';
import { addTracks, fakeRun, libraryDb, trackRecord } from './helpers.ts';

const tagsOf = (db: Parameters<typeof listSuggestions>[0], trackId: number) =>
  listSuggestions(db, { trackIds: [trackId] })
    .map((s) => s.tag)
    .sort();

describe('analysis run', () => {
  test('analyses each queued track once, stores compact arrays, and suggests only tags the file lacks', async (t) => {
    const db = libraryDb(t);
    const [a, b, c, bad] = addTracks(db, [
      trackRecord('/music/a.mp3', { genres: ['Classical'] }),
      trackRecord('/music/b.mp3'),
      trackRecord('/music/c.mp3', { native: { 'ID3v2.4': [{ id: 'TXXX:BETTI_TAGS', value: 'Piano' }] } }),
      trackRecord('/music/corrupt.mp3'),
    ]) as [number, number, number, number];
    const { run, events } = fakeRun(db);
    const prepared = await run.prepare();
    assert.equal(prepared.total, 4);
    assert.equal(prepared.model?.modelVersion, 'fake-1');
    const status = await run.execute();
    assert.equal(status.state, 'done');
    assert.equal(status.analysed, 3);
    assert.equal(status.errors, 1);
    assert.deepEqual(
      status.failures.map((f) => [f.path, f.kind, f.attempts]),
      [['/music/corrupt.mp3', 'decode-failed', 2]],
    );

    assert.deepEqual(tagsOf(db, a), ['drums', 'piano'], 'classical is already the genre');
    assert.deepEqual(tagsOf(db, b), ['classical', 'drums', 'piano'], 'slow stays under its 0.9 threshold');
    assert.deepEqual(tagsOf(db, c), ['classical', 'drums'], 'piano is already in the custom field');
    assert.deepEqual(tagsOf(db, bad), []);
    assert.ok(listSuggestions(db, {}).every((s) => s.source === 'model' && s.decision === 'pending'));

    const stored = getAnalysis(db, { contentKey: 'fp-/music/b.mp3', specVersion: 'betti-features-1', modelVersion: 'fake-1' });
    assert.ok(stored);
    assert.deepEqual([...stored.confidences], [...Float32Array.of(0.6, 0.7, 0.8, 0.3)]);
    assert.deepEqual([...stored.windowOffsets], [5, 15]);
    assert.equal(stored.windowProbabilities.length, 8);
    assert.equal(stored.embedding.length, 512);
    assert.equal(stored.computedCount, 1);
    const display = getDisplay(db, stored.id);
    assert.ok(display);
    assert.equal(display.logMel.data.length, 12);
    assert.deepEqual([...display.logMel.times], [...Float32Array.of(5, 5.032, 15, 15.032)]);
    assert.deepEqual(display.landscapes.shape, [2, 1, 1, 1, 2]);

    const failed = getQueueRow(db, bad);
    assert.equal(failed?.state, 'failed');
    assert.equal(failed?.attempts, 2);
    assert.match(failed?.error?.message ?? '', /invalid data found/);

    assert.equal(events.at(-1)?.state, 'done');
    assert.deepEqual(events.at(-1) && [events.at(-1)!.done, events.at(-1)!.total, events.at(-1)!.errors], [4, 4, 1]);
    for (let i = 1; i < events.length; i++) assert.ok(events[i]!.done >= events[i - 1]!.done, 'done never goes back');
  });

  test('a second run has nothing to do; a moved file is not analysed again; a copy of analysed audio comes from the cache', async (t) => {
    const db = libraryDb(t);
    const [a] = addTracks(db, [trackRecord('/music/a.mp3'), trackRecord('/music/b.mp3')]) as [number, number];
    await (async () => {
      const { run } = fakeRun(db);
      await run.prepare();
      await run.execute();
    })();

    const again = fakeRun(db);
    assert.equal((await again.run.prepare()).total, 0);
    assert.equal((await again.run.execute()).analysed, 0);

    // The file moves; the next scan points its row at the new path (same audio fingerprint).
    moveTrack(db, a, trackRecord('/music/moved/a.mp3', { fingerprint: 'fp-/music/a.mp3' }));
    // A copy of b's audio under another name is a new track with b's fingerprint.
    const copy = upsertTrack(db, trackRecord('/music/copy-of-b.mp3', { fingerprint: 'fp-/music/b.mp3' }));
    const third = fakeRun(db);
    const plan = await third.run.prepare();
    assert.equal(plan.total, 0);
    assert.equal(plan.cached, 1);
    await third.run.execute();
    assert.deepEqual(tagsOf(db, copy), ['classical', 'drums', 'piano'], 'the copy got its suggestions from the cache');
    assert.ok(analysisComputeCounts(db).every((r) => r.computedCount === 1));
    assert.equal(analysisComputeCounts(db).length, 2);
    assert.equal(getTrackById(db, a)?.path, '/music/moved/a.mp3');
  });

  test('a new model version queues every track again and keeps the decisions a person made', async (t) => {
    const db = libraryDb(t);
    const [a] = addTracks(db, [trackRecord('/music/a.mp3'), trackRecord('/music/b.mp3')]) as [number, number];
    const first = fakeRun(db);
    await first.run.prepare();
    await first.run.execute();
    decideSuggestions(db, { trackIds: [a], tags: ['piano'] }, 'accepted');
    decideSuggestions(db, { trackIds: [a], tags: ['drums'] }, 'rejected');

    const second = fakeRun(db, { modelDir: 'v2' });
    assert.equal((await second.run.prepare()).total, 2);
    assert.equal((await second.run.execute()).analysed, 2);
    const decisions = Object.fromEntries(listSuggestions(db, { trackIds: [a] }).map((s) => [s.tag, s.decision]));
    assert.deepEqual(decisions, { piano: 'accepted', drums: 'rejected', classical: 'pending' });
    assert.equal(analysisComputeCounts(db).length, 4, 'one analysis per audio and model version');
  });

  test('a tag its model folder now measures below the quality bar: pending suggestions of it go, decided ones stay', async (t) => {
    const db = libraryDb(t);
    const [a, b] = addTracks(db, [trackRecord('/music/a.mp3'), trackRecord('/music/b.mp3')]) as [number, number];
    const first = fakeRun(db);
    await first.run.prepare();
    await first.run.execute();
    assert.deepEqual(tagsOf(db, b), ['classical', 'drums', 'piano']);
    decideSuggestions(db, { trackIds: [a], tags: ['drums'] }, 'accepted');

    // The same model version, its tags.json now with measurements: nothing to analyse again.
    const second = fakeRun(db, { modelDir: 'measured' });
    assert.equal((await second.run.prepare()).total, 0);
    await second.run.execute();
    assert.deepEqual(tagsOf(db, b), ['classical', 'piano'], 'no list or batch accept can pick the pending one up');
    assert.deepEqual(
      listSuggestions(db, { trackIds: [a] }).map((s) => [s.tag, s.decision]).sort(),
      [['classical', 'pending'], ['drums', 'accepted'], ['piano', 'pending']],
      'a decision a person made stays',
    );
  });

  test('resumes where a killed run stopped: tracks it left running go back to the queue', async (t) => {
    const db = libraryDb(t);
    addTracks(
      db,
      Array.from({ length: 6 }, (_, i) => trackRecord(`/music/${i}.mp3`)),
    );
    const first = fakeRun(db);
    await first.run.prepare();
    // A run that was killed: two tracks claimed (running) and never finished; the pool never ran.
    claimPending(db, 2);
    first.run.cancel();
    await first.run.execute();
    assert.equal(queueCounts(db).running, 2);

    const second = fakeRun(db);
    const plan = await second.run.prepare();
    assert.equal(plan.resumed, 2);
    assert.equal(plan.total, 6);
    await second.run.execute();
    assert.deepEqual(queueCounts(db), { pending: 0, running: 0, done: 6, failed: 0 });
    assert.ok(analysisComputeCounts(db).every((r) => r.computedCount === 1));
  });

  test('pause takes effect at once, nothing finishes while paused, and resume carries on to the end', async (t) => {
    const db = libraryDb(t);
    addTracks(
      db,
      Array.from({ length: 8 }, (_, i) => trackRecord(`/music/slow-${i}.mp3`)),
    );
    const { run, events } = fakeRun(db, { jobs: 1 });
    await run.prepare();
    const finished = run.execute();
    while (!events.some((e) => e.done >= 1)) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    run.pause();
    assert.equal(events.at(-1)?.state, 'paused');
    assert.ok(performance.now() - t0 < 50);
    const doneAtPause = events.at(-1)!.done;
    await new Promise((r) => setTimeout(r, 700));
    assert.equal(run.status().done, doneAtPause, 'no track finished while paused (the in-flight one was cancelled)');
    assert.equal(queueCounts(db).running, 0, 'the cancelled track went back to the queue');
    run.resume();
    const status = await finished;
    assert.equal(status.state, 'done');
    assert.equal(status.analysed, 8);
    assert.ok(events.some((e) => e.state === 'running' && e.tracksPerSec > 0 && e.etaSec !== null), 'rate and time left were reported');
    const states = events.map((e) => e.state).filter((s, i, all) => s !== all[i - 1]);
    assert.deepEqual(states, ['running', 'paused', 'running', 'done']);
    assert.ok(analysisComputeCounts(db).every((r) => r.computedCount === 1));
  });

  test('cancel stops the run within a second and leaves the rest queued for the next run', async (t) => {
    const db = libraryDb(t);
    addTracks(
      db,
      Array.from({ length: 10 }, (_, i) => trackRecord(`/music/slow-${i}.mp3`)),
    );
    const { run, events } = fakeRun(db, { jobs: 2 });
    await run.prepare();
    const finished = run.execute();
    while (!events.some((e) => e.done >= 2)) await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    run.cancel();
    const status = await finished;
    assert.ok(performance.now() - t0 < 1000, `stopped in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.equal(status.state, 'cancelled');
    assert.equal(events.at(-1)?.state, 'cancelled');
    const counts = queueCounts(db);
    assert.equal(counts.running, 0);
    assert.equal(counts.done, status.analysed);
    assert.equal(counts.pending, 10 - status.analysed);
  });

  test('a model that cannot load fails the run before anything is queued', async (t) => {
    const db = libraryDb(t);
    addTracks(db, [trackRecord('/music/a.mp3')]);
    const { run } = fakeRun(db, { modelDir: 'broken' });
    await assert.rejects(run.prepare(), /model\.json: not JSON/);
    assert.equal(run.state, 'failed');
    assert.deepEqual(queueCounts(db), { pending: 0, running: 0, done: 0, failed: 0 });
  });

  test('a track whose worker hangs is killed after the time limit and recorded; the others are analysed', async (t) => {
    const db = libraryDb(t);
    const [, hung] = addTracks(db, [trackRecord('/music/a.mp3'), trackRecord('/music/stuck.mp3'), trackRecord('/music/c.mp3')]) as [number, number, number];
    const { run } = fakeRun(db, { jobs: 1, timeoutMs: 500, env: { ...process.env, BETTI_TEST_HANG_PATTERN: 'stuck' } });
    await run.prepare();
    const status = await run.execute();
    assert.equal(status.analysed, 2);
    assert.deepEqual(
      status.failures.map((f) => [f.trackId, f.reason, f.attempts]),
      [[hung, 'timeout', 2]],
    );
    assert.equal(getQueueRow(db, hung)?.state, 'failed');
    assert.match(getQueueRow(db, hung)?.error?.message ?? '', /did not finish within 0\.5 s/);
  });
});
