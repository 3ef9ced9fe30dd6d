// Decisions, undo and batches without a DOM, against a fake review API that keeps decisions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestOf, ResponseOf } from '../../src-main/api/contract.ts';
import { fakeClient } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';
import type * as ReviewModule from '../../src-renderer/features/review/review.svelte.ts';
import type * as DecisionLogModule from '../../src-renderer/features/review/decision-log.svelte.ts';

const { DecisionLog } = await importRenderer<typeof DecisionLogModule>('features/review/decision-log.svelte.ts');
const { ReviewState } = await importRenderer<typeof ReviewModule>('features/review/review.svelte.ts');

type Suggestion = ResponseOf<'review.list'>['suggestions'][number];

/** A review API over an in-memory table of suggestions (what review.list/decide do, in small). */
function reviewApi(rows: Suggestion[]) {
  const f = fakeClient({
    'review.list': (r: RequestOf<'review.list'>) => {
      const hits = rows.filter(
        (s) => (!r.trackIds || r.trackIds.includes(s.trackId)) && (r.decision === 'all' || s.decision === (r.decision ?? 'pending')) && (r.minConfidence === undefined || s.confidence >= r.minConfidence),
      );
      const offset = r.offset ?? 0;
      return { total: hits.length, suggestions: hits.slice(offset, offset + (r.limit ?? 500)).map((s) => ({ ...s })) };
    },
    'review.decide': (r) => {
      let updated = 0;
      for (const s of rows) {
        if (r.suggestionIds?.includes(s.id) && s.decision !== r.decision) {
          s.decision = r.decision;
          updated++;
        }
      }
      return { updated };
    },
  });
  return f;
}

function suggestion(id: number, trackId: number, tag: string, confidence: number, decision: Suggestion['decision'] = 'pending'): Suggestion {
  return { id, trackId, path: `/m/${trackId}.flac`, tag, category: 'instrument', confidence, source: 'model', decision, decidedAt: null, field: 'BETTI_TAGS' };
}

const table = () => [
  suggestion(1, 1, 'piano', 0.9),
  suggestion(2, 1, 'strings', 0.7),
  suggestion(3, 1, 'drums', 0.4),
  suggestion(4, 2, 'piano', 0.85),
  suggestion(5, 2, 'bass', 0.6, 'rejected'),
  suggestion(6, 3, 'choir', 0.95),
];

describe('DecisionLog', () => {
  it('sends only suggestions whose decision changes, and undo restores each one as it was', async () => {
    const rows = table();
    const f = reviewApi(rows);
    const log = new DecisionLog(f.client);
    const seen: [number, string][] = [];
    log.onChange((changes) => seen.push(...changes));
    assert.equal(await log.decide([rows[0]!, rows[4]!], 'accepted', 'batch'), 2);
    assert.equal(await log.decide([{ id: 1, decision: 'accepted' }], 'accepted', 'again'), 0, 'nothing changes, nothing is logged');
    assert.deepEqual(
      rows.map((s) => s.decision),
      ['accepted', 'pending', 'pending', 'pending', 'accepted', 'pending'],
    );
    assert.equal(log.steps.length, 1);
    const undone = await log.undo();
    assert.equal(undone?.label, 'batch');
    assert.deepEqual(
      rows.map((s) => s.decision),
      ['pending', 'pending', 'pending', 'pending', 'rejected', 'pending'],
    );
    assert.deepEqual(seen, [
      [1, 'accepted'],
      [5, 'accepted'],
      [1, 'pending'],
      [5, 'rejected'],
    ]);
    assert.equal(await log.undo(), null);
  });
});

describe('ReviewState', () => {
  it('lists pending suggestions; a accepts and moves on to the next pending one; r rejects', async () => {
    const rows = table();
    const review = new ReviewState(reviewApi(rows).client, new DecisionLog(reviewApi(rows).client));
    await review.load();
    assert.deepEqual(
      review.items.map((s) => s.id),
      [1, 2, 3, 4, 6],
    );
    await review.accept();
    assert.equal(review.items[0]!.decision, 'accepted');
    assert.equal(review.cursor, 1);
    await review.reject();
    assert.equal(review.items[1]!.decision, 'rejected');
    assert.equal(review.cursor, 2);
    assert.deepEqual(
      rows.slice(0, 2).map((s) => s.decision),
      ['accepted', 'rejected'],
    );
  });

  it('u undoes the last decision and puts the cursor back on it', async () => {
    const rows = table();
    const f = reviewApi(rows);
    const review = new ReviewState(f.client, new DecisionLog(f.client));
    await review.load();
    await review.accept();
    await review.reject();
    await review.undo();
    assert.equal(review.cursor, 1);
    assert.equal(review.items[1]!.decision, 'pending');
    assert.equal(rows[1]!.decision, 'pending');
    assert.equal(rows[0]!.decision, 'accepted');
    assert.match(review.message, /Undid/);
  });

  it("accepts a track's pending suggestions at or above their tags' thresholds", async () => {
    const rows = table();
    const f = reviewApi(rows);
    const review = new ReviewState(f.client, new DecisionLog(f.client));
    review.thresholds = new Map([
      ['piano', 0.5],
      ['strings', 0.75],
      ['drums', 0.3],
    ]);
    await review.load();
    assert.equal(await review.acceptTrack(1), 2);
    assert.deepEqual(
      rows.slice(0, 3).map((s) => s.decision),
      ['accepted', 'pending', 'accepted'],
    );
  });

  it('plans a batch by counting first, then accepts exactly those as one undoable step, keeping rejections', async () => {
    const rows = table();
    const f = reviewApi(rows);
    const log = new DecisionLog(f.client);
    const review = new ReviewState(f.client, log);
    const plan = await review.planBatch([1, 2], 0.6);
    assert.equal(plan.count, 3);
    assert.ok(rows.every((s) => s.id === 5 ? s.decision === 'rejected' : s.decision === 'pending'), 'planning changes nothing');
    assert.equal(await review.runBatch(plan), 3);
    assert.deepEqual(
      rows.map((s) => s.decision),
      ['accepted', 'accepted', 'pending', 'accepted', 'rejected', 'pending'],
    );
    await review.undo();
    assert.deepEqual(
      rows.map((s) => s.decision),
      ['pending', 'pending', 'pending', 'pending', 'rejected', 'pending'],
    );
  });

  it('keeps a decision made elsewhere (the inspector) in its list', async () => {
    const rows = table();
    const f = reviewApi(rows);
    const log = new DecisionLog(f.client);
    const review = new ReviewState(f.client, log);
    await review.load();
    await log.decide([{ id: 6, decision: 'pending' }], 'rejected', 'from the inspector');
    assert.equal(review.items.find((s) => s.id === 6)?.decision, 'rejected');
  });
});
