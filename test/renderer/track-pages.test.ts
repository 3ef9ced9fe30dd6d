import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TrackPages } from '../../src-renderer/features/library/track-pages.ts';

describe('TrackPages', () => {
  it('asks only for pages that are neither loaded nor on their way', () => {
    const pages = new TrackPages<number>(10);
    assert.deepEqual(pages.missing(0, 35, 100), [0, 1, 2, 3]);
    pages.markLoading(1);
    pages.store(0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(pages.missing(0, 35, 100), [2, 3]);
  });

  it('never asks beyond the last row', () => {
    const pages = new TrackPages<number>(10);
    assert.deepEqual(pages.missing(90, 500, 95), [9]);
    assert.deepEqual(pages.missing(0, 10, 0), []);
  });

  it('finds a row by its index in the listing', () => {
    const pages = new TrackPages<string>(3);
    pages.store(2, ['g', 'h', 'i']);
    assert.equal(pages.get(7), 'h');
    assert.equal(pages.get(1), undefined);
  });

  it('forgets the least recently used pages beyond its limit', () => {
    const pages = new TrackPages<number>(1, 3);
    pages.store(0, [0]);
    pages.store(1, [1]);
    pages.store(2, [2]);
    pages.touch(0);
    pages.store(3, [3]);
    assert.equal(pages.get(1), undefined, 'page 1 was the least recently used');
    assert.equal(pages.get(0), 0);
    assert.equal(pages.loadedPages, 3);
  });

  it('lets a failed page be asked for again', () => {
    const pages = new TrackPages<number>(10);
    pages.markLoading(0);
    assert.deepEqual(pages.missing(0, 5, 10), []);
    pages.failed(0);
    assert.deepEqual(pages.missing(0, 5, 10), [0]);
  });

  it('refuses a page size that is not a positive whole number', () => {
    assert.throws(() => new TrackPages(0), RangeError);
  });
});
