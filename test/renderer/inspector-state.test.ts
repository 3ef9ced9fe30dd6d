// InspectorState and AnalysisRun without a DOM.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { fakeClient, settle } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';
import type * as InspectorModule from '../../src-renderer/features/inspector/inspector.svelte.ts';
import type * as DecisionLogModule from '../../src-renderer/features/review/decision-log.svelte.ts';
import type * as AnalysisModule from '../../src-renderer/features/library/analysis.svelte.ts';

const { InspectorState } = await importRenderer<typeof InspectorModule>('features/inspector/inspector.svelte.ts');
const { DecisionLog } = await importRenderer<typeof DecisionLogModule>('features/review/decision-log.svelte.ts');
const { AnalysisRun } = await importRenderer<typeof AnalysisModule>('features/library/analysis.svelte.ts');

type Status = ResponseOf<'inspector.status'>['tracks'][number];
type Suggestion = ResponseOf<'review.list'>['suggestions'][number];

const track = { id: 4, path: '/m/a.flac', tags: { title: 'A' } } as unknown as ResponseOf<'library.track'>;
const result: ResponseOf<'analysis.result'> = {
  trackId: 4,
  path: '/m/a.flac',
  modelVersion: 'm',
  specVersion: 's',
  backend: 'cpu',
  durationSec: 20,
  analysedAt: 0,
  tags: [
    { tag: 'piano', category: 'instrument', threshold: 0.5, confidence: 0.8, aboveThreshold: true, suggested: true, quality: 'validation ROC-AUC 0.950 (0.940 within sources), precision 0.800 at the threshold', inFile: false, instead: null },
    { tag: 'slow', category: 'tempo', threshold: 0.9, confidence: 0.6, aboveThreshold: false, suggested: true, quality: 'validation ROC-AUC 0.970 (0.960 within sources), precision 0.850 at the threshold', inFile: false, instead: null },
  ],
  windows: [
    { offset: 8, duration: 4.32, probabilities: [0.8, 0.6] },
    { offset: 1, duration: 4.32, probabilities: [0.8, 0.6] },
  ],
  display: {
    logMel: {
      shape: [2, 1],
      min: 0,
      max: 1,
      base64: Buffer.from([9, 10]).toString('base64'),
      times: [1, 8],
      windows: [
        { offset: 1, duration: 4.32, firstColumn: 0, columns: 1 },
        { offset: 8, duration: 4.32, firstColumn: 1, columns: 1 },
      ],
    },
    landscapes: { shape: [2, 1, 1, 1, 1], min: 0, max: 1, base64: Buffer.from([1, 2]).toString('base64') },
  },
};
const suggestions: Suggestion[] = [
  { id: 1, trackId: 4, path: '/m/a.flac', tag: 'piano', category: 'instrument', confidence: 0.8, source: 'model', decision: 'pending', decidedAt: null, field: 'BETTI_TAGS' },
  { id: 2, trackId: 4, path: '/m/a.flac', tag: 'slow', category: 'tempo', confidence: 0.6, source: 'model', decision: 'pending', decidedAt: null, field: 'BETTI_TAGS' },
];

function inspectorApi(status: Status['analysis']) {
  return fakeClient({
    'inspector.status': () => ({ tracks: [{ trackId: 4, analysis: status, error: status === 'failed' ? { kind: 'decode-failed', message: 'truncated' } : null, pending: 2, accepted: 0, rejected: 0 }] }),
    'library.track': () => track,
    'analysis.result': () => result,
    'review.list': () => ({ suggestions: suggestions.map((s) => ({ ...s })), total: 2 }),
    'inspector.persistence': (r) => ({ ...r, start: 0, end: 1, activations: [1, 0], diagram: [{ birth: 1, death: 0, birthIndex: 0, deathIndex: 1 }], landscape: [0], params: { k: 1, points: 1, lo: 0, hi: 5 } }),
    'review.decide': (r) => ({ updated: r.suggestionIds?.length ?? 0 }),
  });
}

describe('InspectorState', () => {
  it("shows an analysed track's pictures and asks for the first segment's diagram (segments in time order)", async () => {
    const f = inspectorApi('done');
    const inspector = new InspectorState(f.client, new DecisionLog(f.client));
    await inspector.show(4);
    assert.equal(inspector.track?.path, '/m/a.flac');
    assert.equal(inspector.spectrogram?.columns, 2);
    assert.equal(inspector.spectrogram?.windows.length, 2, 'a block per analysed window');
    assert.deepEqual(
      inspector.spans.map((s) => s.window),
      [1, 0],
      'the window at 1 s comes before the one at 8 s',
    );
    assert.deepEqual(f.callsTo('inspector.persistence'), [{ trackId: 4, window: 1, segment: 0, channel: 0 }]);
    await inspector.choose(1, 5);
    assert.deepEqual(f.callsTo('inspector.persistence')[1], { trackId: 4, window: 0, segment: 0, channel: 5 });
    assert.equal(inspector.persistence?.channel, 5);
  });

  it('does not ask for an analysis a track does not have, and says why', async () => {
    const f = inspectorApi('failed');
    const inspector = new InspectorState(f.client, new DecisionLog(f.client));
    await inspector.show(4);
    assert.equal(f.callsTo('analysis.result').length, 0);
    assert.equal(inspector.result, null);
    assert.match(inspector.analysisNote?.message ?? '', /failed: truncated/);
  });

  it("accepts the suggestions at or above their tag's threshold, through the shared decision log", async () => {
    const f = inspectorApi('done');
    const log = new DecisionLog(f.client);
    const inspector = new InspectorState(f.client, log);
    await inspector.show(4);
    assert.deepEqual(
      inspector.aboveThreshold.map((s) => s.tag),
      ['piano'],
    );
    assert.equal(await inspector.acceptAboveThreshold(), 1);
    assert.deepEqual(f.callsTo('review.decide'), [{ suggestionIds: [1], decision: 'accepted', onlyPending: false }]);
    assert.equal(inspector.suggestions[0]!.decision, 'accepted');
    await log.undo();
    assert.equal(inspector.suggestions[0]!.decision, 'pending');
  });
});

describe('AnalysisRun', () => {
  const status = (state: ResponseOf<'analysis.status'>['state']): ResponseOf<'analysis.status'> => ({
    done: 0,
    total: 0,
    tracksPerSec: 0,
    etaSec: null,
    current: null,
    errors: 0,
    state,
    analysed: 3,
    cached: 0,
    upToDate: 0,
    resumed: 0,
    elapsedSec: 1,
    jobs: 1,
    workerRestarts: 0,
    failures: [],
    model: null,
    workers: [],
    error: null,
    library: { pending: 0, running: 0, done: 3, failed: 0 },
  });

  it('follows progress events and refreshes the status when the run ends', async () => {
    const f = fakeClient({ 'analysis.start': () => status('running'), 'analysis.status': () => status('done'), 'analysis.pause': () => status('paused') });
    const run = new AnalysisRun(f.client);
    const seen: number[] = [];
    run.onProgress((p) => seen.push(p.done));
    await run.start();
    assert.ok(run.running);
    f.emit('analysis.progress', { done: 1, total: 4, tracksPerSec: 2, etaSec: 1.5, current: '/m/a.flac', errors: 0, state: 'running' });
    assert.equal(run.fraction, 0.25);
    await run.pause();
    assert.equal(run.state, 'paused');
    f.emit('analysis.progress', { done: 4, total: 4, tracksPerSec: 2, etaSec: 0, current: null, errors: 0, state: 'done' });
    await settle();
    assert.equal(run.state, 'done');
    assert.equal(f.callsTo('analysis.status').length, 1);
    assert.deepEqual(seen, [1, 4]);
  });
});
