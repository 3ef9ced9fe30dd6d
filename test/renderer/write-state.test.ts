// The write flow without a DOM: preview, then exactly the previewed plan pinned to the previewed
// file states; progress; history; undo.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { BettiError } from '../../src-main/api/errors.ts';
import { fakeClient, settle } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';
import type * as WriteModule from '../../src-renderer/features/write/write.svelte.ts';

const { WriteState, pinnedPlan } = await importRenderer<typeof WriteModule>('features/write/write.svelte.ts');

const plan: ResponseOf<'write.plan'>['plan'] = {
  files: [
    { path: '/m/a.flac', set: { BETTI_TAGS: ['piano'] }, remove: [] },
    { path: '/m/b.mp3', set: { GENRE: ['jazz'] }, remove: [] },
  ],
};
const preview: ResponseOf<'write.plan'>['preview'] = {
  files: [
    { path: '/m/a.flac', format: 'flac', status: 'change', fields: [{ field: 'BETTI_TAGS', location: 'Vorbis comment BETTI_TAGS', before: [], after: ['piano'], change: 'add' }], notes: [], expect: { size: 10, mtimeMs: 5, fingerprint: 'fa' } },
    { path: '/m/b.mp3', format: 'mp3', status: 'unchanged', fields: [], notes: [], expect: { size: 20, mtimeMs: 6, fingerprint: 'fb' } },
  ],
  summary: { files: 2, change: 1, unchanged: 1, error: 0 },
};
const applied: ResponseOf<'write.apply'> = {
  batchId: 7,
  dryRun: false,
  results: [{ path: '/m/a.flac', format: 'flac', status: 'ok', fields: preview.files[0]!.fields }],
  summary: { ok: 1, unchanged: 1, failed: 0, durationMs: 30 },
};
const batch: ResponseOf<'write.history'>['batches'][number] = {
  id: 7,
  kind: 'apply',
  source: 'plan',
  undoes: null,
  undoneBy: [],
  status: 'done',
  startedAt: new Date(0).toISOString(),
  finishedAt: new Date(0).toISOString(),
  files: 2,
  written: 1,
  unchanged: 1,
  failed: 0,
};

describe('WriteState', () => {
  it('pins every planned file to the state its preview read', () => {
    const pinned = pinnedPlan(plan, preview);
    assert.deepEqual(
      pinned.files.map((f) => f.expect?.fingerprint),
      ['fa', 'fb'],
    );
    assert.deepEqual(pinned.files[0]!.set, plan.files[0]!.set);
  });

  it('writes nothing before a preview, then exactly the previewed plan', async () => {
    const f = fakeClient({ 'write.plan': () => ({ plan, preview }), 'write.apply': () => applied, 'write.history': () => ({ batches: [batch], total: 1 }) });
    const write = new WriteState(f.client);
    assert.equal(await write.apply(), null);
    assert.equal(f.callsTo('write.apply').length, 0);
    await write.makePreview([1, 2]);
    assert.deepEqual(f.callsTo('write.plan'), [{ trackIds: [1, 2] }]);
    assert.equal(write.phase, 'previewed');
    assert.equal(write.changing, 1);
    assert.deepEqual(await write.apply(), applied);
    assert.deepEqual(f.callsTo('write.apply'), [{ plan: pinnedPlan(plan, preview) }]);
    assert.equal(write.phase, 'written');
    assert.deepEqual(write.history, [batch]);
  });

  it('shows write progress only while its own write runs', async () => {
    let finish: (r: typeof applied) => void = () => undefined;
    const f = fakeClient({ 'write.plan': () => ({ plan, preview }), 'write.apply': () => new Promise((r) => (finish = r)), 'write.history': () => ({ batches: [], total: 0 }) });
    const write = new WriteState(f.client);
    f.emit('write.progress', { batchId: 1, done: 1, total: 2, path: '/x', status: 'ok' });
    assert.equal(write.progress, null);
    await write.makePreview();
    const running = write.apply();
    await settle();
    f.emit('write.progress', { batchId: 7, done: 1, total: 2, path: '/m/a.flac', status: 'ok' });
    // (read through a function: TypeScript would keep the `null` narrowed by the first assert)
    const progress = () => write.progress;
    assert.equal(progress()?.path, '/m/a.flac');
    finish(applied);
    await running;
  });

  it('goes back to the preview with the reason when the write is refused', async () => {
    const f = fakeClient({
      'write.plan': () => ({ plan, preview }),
      'write.apply': () => {
        throw new BettiError('busy', 'Another write is running.');
      },
    });
    const write = new WriteState(f.client);
    await write.makePreview();
    assert.equal(await write.apply(), null);
    assert.equal(write.phase, 'previewed');
    assert.equal(write.error?.message, 'Another write is running.');
  });

  it('drops a preview when the write settings change, saying why, so what is written is what was previewed', async () => {
    const f = fakeClient({ 'write.plan': () => ({ plan, preview }) });
    const write = new WriteState(f.client);
    write.settingsChanged();
    assert.equal(write.notice, '', 'nothing previewed: nothing to say');
    await write.makePreview();
    write.settingsChanged();
    assert.equal(write.phase, 'idle');
    assert.equal(write.preview, null);
    assert.equal(await write.apply(), null);
    assert.match(write.notice, /settings changed.*preview again/);
    await write.makePreview();
    assert.equal(write.notice, '');
  });

  it('undoes a batch and reloads the history', async () => {
    const undone = { ...applied, batchId: 8 };
    const f = fakeClient({ 'write.undo': () => ({ undone: [7], batches: [undone] }), 'write.history': () => ({ batches: [{ ...batch, undoneBy: [8] }], total: 2 }) });
    const write = new WriteState(f.client);
    await write.undo(7);
    assert.deepEqual(f.callsTo('write.undo'), [{ batchId: 7 }]);
    assert.equal(write.lastUndo?.result.batchId, 8);
    assert.deepEqual(write.history[0]!.undoneBy, [8]);
    assert.equal(write.undoing, null);
  });
});
