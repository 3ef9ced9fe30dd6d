// LibraryState without a DOM: paging, sorting, filtering, selection, and stale answers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RequestOf, ResponseOf } from '../../src-main/api/contract.ts';
import { fakeClient, settle } from './helpers/fake-client.ts';
import { importRenderer } from './helpers/svelte.ts';
import type * as LibraryModule from '../../src-renderer/features/library/library.svelte.ts';

const { LibraryState, PREFETCH_PAGES, SEARCH_DEBOUNCE_MS } = await importRenderer<typeof LibraryModule>('features/library/library.svelte.ts');

type Row = ResponseOf<'library.list'>['tracks'][number];

function track(id: number): Row {
  return {
    id,
    path: `/music/${id}.flac`,
    size: 1,
    mtimeMs: 1,
    fingerprint: null,
    container: 'flac',
    audio: { format: 'flac', containerName: 'FLAC', codec: null, durationS: 60, sampleRate: 44100, channels: 2, bitrate: null, bitsPerSample: 16, lossless: true, tagTypes: [], hasPicture: false },
    tags: { title: `Track ${id}`, artist: 'A', artists: ['A'], album: null, albumArtist: null, trackNo: null, trackTotal: null, discNo: null, discTotal: null, year: null, genres: [], mood: null, bpm: null, comment: null },
    warnings: [],
    error: null,
    missing: false,
    addedAt: 0,
    scannedAt: 0,
  };
}

/** A library of `n` tracks with ids 1 … n in listing order. */
function library(n: number) {
  return fakeClient({
    'library.list': (r: RequestOf<'library.list'>) => {
      const offset = r.offset ?? 0;
      const total = r.search ? Math.floor(n / 2) : n;
      const ids = Array.from({ length: Math.max(0, Math.min(r.limit ?? 100, total - offset)) }, (_, i) => offset + i + 1);
      return { total, offset, limit: r.limit ?? 100, tracks: ids.map(track) };
    },
    'inspector.status': (r) => ({ tracks: r.trackIds.map((trackId) => ({ trackId, analysis: 'done' as const, error: null, pending: trackId % 3, accepted: 0, rejected: 0 })) }),
  });
}

describe('LibraryState', () => {
  it('loads the first page and the total, then the statuses of its tracks', async () => {
    const f = library(1000);
    const lib = new LibraryState(f.client, { pageSize: 50 });
    await lib.reload();
    assert.equal(lib.total, 1000);
    assert.equal(lib.libraryTotal, 1000);
    assert.equal(lib.row(49)?.id, 50);
    assert.equal(lib.row(50), undefined);
    assert.equal(lib.statusAt(4)?.pending, 5 % 3);
    assert.deepEqual(f.callsTo('inspector.status')[0]!.trackIds.length, 50);
  });

  it('fetches each page on screen once, however often the table asks, then the pages around it', async () => {
    const f = library(1000);
    const lib = new LibraryState(f.client, { pageSize: 50 });
    await lib.reload();
    lib.ensure(120, 160);
    lib.ensure(120, 160);
    await settle();
    const offsets = f.callsTo('library.list').map((r) => r.offset);
    // On screen (100, 150), then PREFETCH_PAGES ahead in the scroll's direction (200, 250), then one behind (50).
    assert.equal(PREFETCH_PAGES, 2);
    assert.deepEqual(offsets, [0, 100, 150, 200, 250, 50]);
    assert.equal(lib.row(160)?.id, 161);
    assert.equal(lib.row(299)?.id, 300, 'the rows below the screen are there before they scroll into view');
  });

  it('prefetches upwards when the table scrolls up, and nothing past either end', async () => {
    const f = library(1000);
    const lib = new LibraryState(f.client, { pageSize: 50 });
    await lib.reload();
    lib.ensure(900, 940);
    await settle();
    lib.ensure(700, 740);
    await settle();
    const offsets = f.callsTo('library.list').map((r) => r.offset);
    // Down to 900: on screen 900, ahead 950 (the last page), behind 850. Up to 700: on screen 700, ahead 650 and 600, behind 750.
    assert.deepEqual(offsets, [0, 900, 950, 850, 700, 650, 600, 750]);
  });

  it('sorts by a column, and flips the direction on the same column', async () => {
    const f = library(10);
    const lib = new LibraryState(f.client);
    await lib.setSort('title');
    await lib.setSort('title');
    const sorts = f.callsTo('library.list').map((r) => [r.sort, r.descending]);
    assert.deepEqual(sorts, [
      ['title', false],
      ['title', true],
    ]);
  });

  it('asks the server to search only after typing pauses', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const f = library(10);
    const lib = new LibraryState(f.client);
    lib.setSearch('b');
    lib.setSearch('bl');
    lib.setSearch('blue');
    assert.equal(f.callsTo('library.list').length, 0);
    t.mock.timers.tick(SEARCH_DEBOUNCE_MS);
    await settle();
    assert.deepEqual(
      f.callsTo('library.list').map((r) => r.search),
      ['blue'],
    );
    assert.equal(lib.total, 5);
    assert.equal(lib.libraryTotal, null, 'a filtered total is not the library total');
    assert.ok(lib.filtered);
  });

  it('sends format and error filters, and clears them', async () => {
    const f = library(10);
    const lib = new LibraryState(f.client);
    await lib.toggleFormat('flac');
    await lib.toggleFormat('mp3');
    await lib.setHasErrors(true);
    await lib.toggleFormat('flac');
    await lib.clearFilters();
    const reqs = f.callsTo('library.list');
    assert.deepEqual(reqs[2]!.formats, ['flac', 'mp3']);
    assert.equal(reqs[2]!.hasErrors, true);
    assert.deepEqual(reqs[3]!.formats, ['mp3']);
    assert.equal(reqs[4]!.formats, undefined);
    assert.equal(reqs[4]!.hasErrors, undefined);
  });

  it('sends the analysed, suggestions and tag filters (the tag after typing pauses), counts them as filtering, and clears them', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const f = library(10);
    const lib = new LibraryState(f.client);
    await lib.setAnalysed(false);
    assert.ok(lib.filtered);
    await lib.setHasSuggestions(true);
    lib.setTag('pi');
    lib.setTag(' piano ');
    assert.equal(f.callsTo('library.list').length, 2, 'no request while the tag is being typed');
    t.mock.timers.tick(SEARCH_DEBOUNCE_MS);
    await settle();
    await lib.setAnalysed(undefined);
    await lib.clearFilters();
    const reqs = f.callsTo('library.list');
    assert.deepEqual(
      reqs.map((r) => [r.analysed, r.hasSuggestions, r.tag]),
      [
        [false, undefined, undefined],
        [false, true, undefined],
        [false, true, 'piano'],
        [undefined, true, 'piano'],
        [undefined, undefined, undefined],
      ],
    );
    assert.equal(lib.tag, '');
    assert.equal(lib.filtered, false);
    lib.setTag('   ');
    assert.equal(lib.query().tag, undefined, 'a blank tag filters nothing');
  });

  it('fetches pages of the loaded listing while a new search waits for the pause, never a mix of both', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout'] });
    const f = library(1000);
    const lib = new LibraryState(f.client, { pageSize: 50 });
    await lib.reload();
    lib.setSearch('blue');
    lib.ensure(300, 340);
    await settle();
    assert.equal(lib.total, 1000, 'the total is still the listing on screen');
    assert.ok(f.callsTo('library.list').every((r) => r.search === undefined));
    t.mock.timers.tick(SEARCH_DEBOUNCE_MS);
    await settle();
    assert.equal(lib.total, 500);
    assert.equal(f.callsTo('library.list').at(-1)!.search, 'blue');
  });

  it('ignores a page that arrives after the listing changed', async () => {
    let release: () => void = () => undefined;
    const slow = new Promise<void>((r) => (release = r));
    const f = fakeClient({
      'library.list': async (r) => {
        if (r.sort === 'artist') await slow;
        return { total: r.sort === 'artist' ? 99 : 3, offset: 0, limit: 100, tracks: [track(r.sort === 'artist' ? 7 : 1)] };
      },
      'inspector.status': () => ({ tracks: [] }),
    });
    const lib = new LibraryState(f.client);
    const first = lib.reload();
    await lib.setSort('title');
    release();
    await first;
    assert.equal(lib.total, 3);
    assert.equal(lib.row(0)?.id, 1);
  });

  it('selects one row, adds with toggle, and a range from the anchor fetching rows not loaded', async () => {
    const f = library(500);
    const lib = new LibraryState(f.client, { pageSize: 100 });
    await lib.reload();
    await lib.select(2);
    assert.deepEqual([...lib.selection], [3]);
    assert.equal(lib.currentId, 3);
    await lib.select(5, 'toggle');
    await lib.select(2, 'toggle');
    assert.deepEqual([...lib.selection], [6]);
    lib.ensure(250, 260);
    await settle();
    await lib.select(250, 'range');
    // The anchor is the last row clicked (index 2): rows 2 … 250.
    assert.equal(lib.selection.size, 250 - 2 + 1);
    assert.ok(lib.selection.has(150), 'a row of a page never shown is selected too');
  });

  it('selects every matching track', async () => {
    const f = library(2500);
    const lib = new LibraryState(f.client, { pageSize: 100 });
    await lib.reload();
    await lib.selectAll();
    assert.equal(lib.selection.size, 2500);
    lib.clearSelection();
    assert.equal(lib.selection.size, 0);
  });

  it('moves the current row with the keyboard, fetching its page when needed', async () => {
    const f = library(1000);
    const lib = new LibraryState(f.client, { pageSize: 100 });
    await lib.reload();
    lib.move(1);
    assert.equal(lib.currentId, 1);
    lib.setCurrent(999);
    assert.equal(lib.currentIndex, 999);
    await settle();
    await settle();
    assert.equal(lib.currentId, 1000);
    lib.move(5);
    assert.equal(lib.currentIndex, 999, 'stays on the last row');
  });
});
