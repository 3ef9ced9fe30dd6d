// The analysis.* methods over the controller, with the fake-model worker: every response and
// event matches the contract's schemas; one run at a time; the inspector's view of a track.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { AnalysisController, defaultJobs } from '../../src-main/analysis/controller.ts';
import { workerThreads } from '../../src-main/analysis/worker-thread-port.ts';
import { createContext } from '../../src-main/api/context.ts';
import { methods } from '../../src-main/api/contract.ts';
import type { BettiError } from '../../src-main/api/errors.ts';
import { EventBus } from '../../src-main/api/events.ts';
import { analysisHandlers } from '../../src-main/api/handlers/analysis.ts';
import { AnalysisProgress } from '../../src-main/api/schemas/analysis.ts';
import { upsertTrack } from '../../src-main/library/db/queries/tracks.ts';
import { tempDir } from '../helpers/tmp.ts';
import { FAKE_TAGS, MEASURED_FAKE_TAGS } from './fixtures/fake-model-tags.ts';
import { fakeWorker, trackRecord } from './helpers.ts';


function setup(t: Parameters<typeof tempDir>[0]) {
  const bus = new EventBus();
  const ctx = createContext({ dbPath: join(tempDir(t), 'lib.db'), bus });
  t.after(() => ctx.close());
  const events: unknown[] = [];
  bus.on('analysis.progress', (p) => events.push(p));
  const controller = new AnalysisController({ db: () => ctx.db(), onProgress: (p) => bus.emit('analysis.progress', p), spawn: workerThreads({ script: fakeWorker }) });
  return { ctx, events, controller, api: analysisHandlers(ctx, controller) };
}

test('the default pool is every core but one, at least one', () => {
  assert.equal(defaultJobs(8), 7);
  assert.equal(defaultJobs(1), 1);
  assert.ok(defaultJobs() >= 1);
});

test('start plans and runs in the background; a second start is refused as busy; status and events follow the contract', async (t) => {
  const { ctx, events, controller, api } = setup(t);
  const idle = methods['analysis.status'].response.parse(await api['analysis.status']({}));
  assert.equal(idle.state, 'idle');
  const ids = ['a', 'b', 'slow-c', 'slow-d'].map((n) => upsertTrack(ctx.db(), trackRecord(`/music/${n}.mp3`)));

  const started = methods['analysis.start'].response.parse(await api['analysis.start']({ jobs: 1, timeoutSec: 30, retryFailed: false, pictures: true }));
  assert.equal(started.total, 4);
  assert.equal(started.jobs, 1);
  assert.equal(started.model?.modelVersion, 'fake-1');
  await assert.rejects(api['analysis.start']({ jobs: 1, timeoutSec: 30, retryFailed: false, pictures: true }), (e: BettiError) => e.kind === 'busy');

  const end = methods['analysis.status'].response.parse(await controller.finished());
  assert.equal(end.state, 'done');
  assert.deepEqual(end.library, { pending: 0, running: 0, done: 4, failed: 0 });
  assert.ok(events.length >= 2);
  for (const e of events) AnalysisProgress.parse(e);

  const result = methods['analysis.result'].response.parse(await api['analysis.result']({ trackId: ids[0]! }));
  assert.deepEqual(result.tags.map((x) => [x.tag, x.aboveThreshold]), [['piano', true], ['drums', true], ['classical', true], ['slow', false]]);
  assert.equal(result.windows.length, 2);
  assert.deepEqual(result.display?.logMel.shape, [4, 3]);
  assert.equal(Buffer.from(result.display!.logMel.base64, 'base64').length, 12);

  const suggested = methods['analysis.suggest'].response.parse(await api['analysis.suggest']({ limit: 2, offset: 0 }));
  assert.equal(suggested.totalTracks, 4);
  assert.equal(suggested.tracks.length, 2);
  assert.deepEqual(suggested.tracks[0]!.suggestions.map((s) => [s.tag, s.threshold]), [['classical', 0.5], ['drums', 0.5], ['piano', 0.5]]);
  const confident = await api['analysis.suggest']({ minConfidence: 0.75, limit: 100, offset: 0 });
  assert.ok(confident.tracks.every((x) => x.suggestions.every((s) => s.tag === 'classical')));
});

test('analysis.result says of each tag whether its model suggests it, and why', async (t) => {
  const { ctx, controller, api } = setup(t);
  const id = upsertTrack(ctx.db(), trackRecord('/music/a.mp3'));
  await api['analysis.start']({ jobs: 1, timeoutSec: 30, retryFailed: false, pictures: false });
  await controller.finished();
  const unmeasured = methods['analysis.result'].response.parse(await api['analysis.result']({ trackId: id }));
  assert.ok(unmeasured.tags.every((x) => x.suggested && x.quality === 'no validation measurements in this model folder'));

  // The model as a folder with measurements records it (analysis/run.ts registers it so).
  ctx.db().run('UPDATE analysis_models SET tags_json = ? WHERE model_version = ?', JSON.stringify(MEASURED_FAKE_TAGS), 'fake-1');
  const result = methods['analysis.result'].response.parse(await api['analysis.result']({ trackId: id }));
  const drums = result.tags.find((x) => x.tag === 'drums')!;
  assert.equal(drums.aboveThreshold, true);
  assert.equal(drums.suggested, false);
  assert.equal(drums.quality, 'validation ROC-AUC 0.690 is below 0.8');
  assert.equal(result.tags.find((x) => x.tag === 'piano')!.suggested, true);
});

test('analysis.result names the rival that keeps a tag of an exclusive category from being suggested', async (t) => {
  const { ctx, controller, api } = setup(t);
  const id = upsertTrack(ctx.db(), trackRecord('/music/a.mp3'));
  await api['analysis.start']({ jobs: 1, timeoutSec: 30, retryFailed: false, pictures: false });
  await controller.finished();
  // The fake model scores piano 0.6 and drums 0.7, both over 0.5: as rivals, only drums may stand.
  const rivals = FAKE_TAGS.map((x) => (x.category === 'instrument' ? { ...x, category: 'lead', exclusive: true } : x));
  ctx.db().run('UPDATE analysis_models SET tags_json = ? WHERE model_version = ?', JSON.stringify(rivals), 'fake-1');
  const result = methods['analysis.result'].response.parse(await api['analysis.result']({ trackId: id }));
  const instead = Object.fromEntries(result.tags.map((x) => [x.tag, x.instead]));
  assert.deepEqual(instead, { piano: 'drums', drums: null, classical: null, slow: null });
  // Once the file holds piano, drums is the one kept out.
  upsertTrack(ctx.db(), trackRecord('/music/a.mp3', { genres: ['Piano'] }));
  const held = methods['analysis.result'].response.parse(await api['analysis.result']({ trackId: id }));
  assert.deepEqual(
    held.tags.map((x) => [x.tag, x.inFile, x.instead]),
    [
      ['piano', true, null],
      ['drums', false, 'piano'],
      ['classical', false, null],
      ['slow', false, null],
    ],
  );
});

test('pause, resume and cancel through the API answer at once with the new state', async (t) => {
  const { ctx, controller, api } = setup(t);
  for (let i = 0; i < 6; i++) upsertTrack(ctx.db(), trackRecord(`/music/slow-${i}.mp3`));
  await api['analysis.start']({ jobs: 1, timeoutSec: 30, retryFailed: false, pictures: false });
  assert.equal((await api['analysis.pause']({})).state, 'paused');
  assert.equal((await api['analysis.resume']({})).state, 'running');
  const t0 = performance.now();
  assert.equal((await api['analysis.cancel']({})).state, 'cancelled');
  const end = await controller.finished();
  assert.ok(performance.now() - t0 < 1000);
  assert.equal(end.state, 'cancelled');
  assert.equal(end.library.running, 0);
  assert.equal(end.library.pending + end.library.done, 6);
});

test('analysis.result says why a track has nothing to show', async (t) => {
  const { ctx, api } = setup(t);
  const id = upsertTrack(ctx.db(), trackRecord('/music/new.mp3'));
  await assert.rejects(api['analysis.result']({ trackId: id }), (e: BettiError) => e.kind === 'not-found' && /not been analysed yet/.test(e.message) && e.hint === 'Run `betti analyze`.');
  await assert.rejects(api['analysis.result']({ trackId: 999 }), (e: BettiError) => e.kind === 'not-found' && /no track 999/.test(e.message));
});
