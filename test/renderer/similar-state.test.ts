// SimilarState ("sounds like") without a DOM: what it asks for, what it shows, more on demand,
// why there is nothing, and that an answer for a track no longer shown is dropped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ResponseOf } from '../../src-main/api/contract.ts';
import { fakeClient } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';
import type * as SimilarModule from '../../src-renderer/features/inspector/similar.svelte.ts';

const { SimilarState, SIMILAR_PAGE, NO_EMBEDDING_TEXT } = await importRenderer<typeof SimilarModule>('features/inspector/similar.svelte.ts');

type Similar = ResponseOf<'similar.tracks'>;

function answer(trackId: number, n: number, searched = 100): Similar {
  return {
    trackId,
    path: `/m/${trackId}.flac`,
    modelVersion: 'm1',
    searched,
    searchMs: 3.5,
    tracks: Array.from({ length: Math.min(n, searched - 1) }, (_, i) => ({
      trackId: trackId * 100 + i,
      path: `/m/${trackId * 100 + i}.flac`,
      title: `Song ${i}`,
      artist: 'A',
      album: null,
      durationS: 60,
      similarity: 0.99 - i / 100,
    })),
  };
}

describe('SimilarState', () => {
  it('lists the nearest tracks of the shown track, then more on demand', async () => {
    const f = fakeClient({ 'similar.tracks': (r) => answer(r.trackId!, r.n!) });
    const similar = new SimilarState(f.client);
    await similar.show(7);
    assert.deepEqual(f.callsTo('similar.tracks'), [{ trackId: 7, n: SIMILAR_PAGE }]);
    assert.equal(similar.tracks.length, SIMILAR_PAGE);
    assert.equal(similar.tracks[0]!.title, 'Song 0');
    assert.equal(similar.searched, 100);
    assert.equal(similar.canShowMore, true);
    await similar.more();
    assert.deepEqual(f.callsTo('similar.tracks').at(-1), { trackId: 7, n: 2 * SIMILAR_PAGE });
    assert.equal(similar.tracks.length, 2 * SIMILAR_PAGE);
    assert.equal(similar.loading, false);
  });

  it('offers no more when every other track is listed', async () => {
    const f = fakeClient({ 'similar.tracks': (r) => answer(r.trackId!, r.n!, 6) });
    const similar = new SimilarState(f.client);
    await similar.show(1);
    assert.equal(similar.tracks.length, 5);
    assert.equal(similar.canShowMore, false);
  });

  it('says in its own words why a track has no look-alikes, for each reason the core gives', async () => {
    const reasons = ['not-analysed', 'analysis-failed', 'missing', 'other-model'] as const;
    for (const reason of reasons) {
      const f = fakeClient({
        'similar.tracks': () => ({
          trackId: 3,
          path: '/m/a.flac',
          modelVersion: null,
          searched: 0,
          searchMs: 0,
          tracks: [],
          unavailable: { reason, message: '/m/a.flac: the core\'s words.', hint: 'Run `betti analyze`, then ask again.' },
        }),
      });
      const similar = new SimilarState(f.client);
      await similar.show(3);
      assert.deepEqual(similar.tracks, []);
      assert.equal(similar.note?.message, NO_EMBEDDING_TEXT[reason].message);
      assert.equal(similar.note?.hint, NO_EMBEDDING_TEXT[reason].hint);
      assert.doesNotMatch(`${similar.note?.message} ${similar.note?.hint}`, /betti |\/m\/a\.flac/, 'no CLI command, no path');
    }
    assert.match(NO_EMBEDDING_TEXT['not-analysed'].message, /analysed/);
  });

  it('drops an answer for a track that is no longer shown, and clears for no track', async () => {
    let release: (() => void) | undefined;
    const f = fakeClient({
      'similar.tracks': (r) =>
        r.trackId === 1
          ? new Promise<Similar>((resolve) => {
              release = () => resolve(answer(1, r.n!));
            })
          : answer(r.trackId!, r.n!),
    });
    const similar = new SimilarState(f.client);
    const slow = similar.show(1);
    await similar.show(2);
    release!();
    await slow;
    assert.equal(similar.trackId, 2);
    assert.deepEqual(
      similar.tracks.slice(0, 2).map((t) => t.trackId),
      [200, 201],
      'the answer for track 2, not the late one for track 1',
    );
    assert.equal(f.callsTo('similar.tracks').length, 2);
    await similar.show(null);
    assert.deepEqual(similar.tracks, []);
    assert.equal(similar.note, null);
  });
});
