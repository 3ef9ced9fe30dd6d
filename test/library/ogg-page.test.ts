import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEGINNING_OF_STREAM, packetPieces, pageHeaderAt } from '../../src-main/library/payload/ogg-page.ts';
import { oggPage } from '../helpers/ogg-pages.ts';

describe('Ogg page headers', () => {
  it('decodes flags, granule position, serial, header and body length', () => {
    const buf = Buffer.concat([Buffer.from('junk'), oggPage({ flags: BEGINNING_OF_STREAM, granule: 2n ** 40n + 5n, serial: 0xdeadbeef, lacing: [255, 10, 0, 30] })]);
    assert.deepEqual(pageHeaderAt(buf, 4), { flags: 2, granule: 2 ** 40 + 5, serial: 0xdeadbeef, lacingAt: 31, segments: 4, headerLength: 31, bodyLength: 295 });
  });

  it('gives no granule position for a page where no packet ends (all bits set)', () => {
    const p = pageHeaderAt(oggPage({ granule: 2n ** 64n - 1n, lacing: [255] }), 0);
    assert.ok(typeof p === 'object');
    assert.equal(p.granule, null);
  });

  it('tells a buffer that ends inside the header from bytes that are no page', () => {
    const whole = oggPage({ lacing: [100, 100, 100] });
    assert.equal(pageHeaderAt(whole.subarray(0, 20), 0), 'short');
    assert.equal(pageHeaderAt(whole.subarray(0, 28), 0), 'short', 'the lacing values run past the end');
    assert.equal(pageHeaderAt(Buffer.from('ID3\x04\x00 and more than twenty-seven bytes'), 0), 'not-a-page');
    const v1 = Buffer.from(whole);
    v1[4] = 1; // stream structure version 1 does not exist
    assert.equal(pageHeaderAt(v1, 0), 'not-a-page');
  });

  it('splits a page into packets by its lacing values, a packet of 255 × n bytes going on to the next page', () => {
    const buf = oggPage({ lacing: [255, 10, 0, 30, 255, 255] });
    const p = pageHeaderAt(buf, 0);
    assert.ok(typeof p === 'object');
    assert.deepEqual([...packetPieces(buf, p)], [
      { offset: 0, length: 265, ends: true },
      { offset: 265, length: 0, ends: true },
      { offset: 265, length: 30, ends: true },
      { offset: 295, length: 510, ends: false },
    ]);
    const empty = pageHeaderAt(oggPage({ lacing: [] }), 0);
    assert.ok(typeof empty === 'object');
    assert.deepEqual([...packetPieces(oggPage({ lacing: [] }), empty)], []);
  });
});
