import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BEGINNING_OF_STREAM, packetPieces, pageHeaderAt } from '../../src-main/library/payload/ogg-page.ts';

/** An Ogg page header (CRC left zero: the decoder does not check it) followed by `body` bytes of zeros. */
function page(opts: { flags?: number; granule?: bigint; serial?: number; lacing: number[] }): Buffer {
  const head = Buffer.alloc(27 + opts.lacing.length);
  head.write('OggS', 0, 'latin1');
  head[5] = opts.flags ?? 0;
  head.writeBigUInt64LE(opts.granule ?? 0n, 6);
  head.writeUInt32LE(opts.serial ?? 1, 14);
  head[26] = opts.lacing.length;
  opts.lacing.forEach((v, k) => (head[27 + k] = v));
  return Buffer.concat([head, Buffer.alloc(opts.lacing.reduce((n, v) => n + v, 0))]);
}

describe('Ogg page headers', () => {
  it('decodes flags, granule position, serial, header and body length', () => {
    const buf = Buffer.concat([Buffer.from('junk'), page({ flags: BEGINNING_OF_STREAM, granule: 2n ** 40n + 5n, serial: 0xdeadbeef, lacing: [255, 10, 0, 30] })]);
    assert.deepEqual(pageHeaderAt(buf, 4), { flags: 2, granule: 2 ** 40 + 5, serial: 0xdeadbeef, lacingAt: 31, segments: 4, headerLength: 31, bodyLength: 295 });
  });

  it('gives no granule position for a page where no packet ends (all bits set)', () => {
    const p = pageHeaderAt(page({ granule: 2n ** 64n - 1n, lacing: [255] }), 0);
    assert.ok(typeof p === 'object');
    assert.equal(p.granule, null);
  });

  it('tells a buffer that ends inside the header from bytes that are no page', () => {
    const whole = page({ lacing: [100, 100, 100] });
    assert.equal(pageHeaderAt(whole.subarray(0, 20), 0), 'short');
    assert.equal(pageHeaderAt(whole.subarray(0, 28), 0), 'short', 'the lacing values run past the end');
    assert.equal(pageHeaderAt(Buffer.from('ID3\x04\x00 and more than twenty-seven bytes'), 0), 'not-a-page');
    const v1 = Buffer.from(whole);
    v1[4] = 1; // stream structure version 1 does not exist
    assert.equal(pageHeaderAt(v1, 0), 'not-a-page');
  });

  it('splits a page into packets by its lacing values, a packet of 255 × n bytes going on to the next page', () => {
    const buf = page({ lacing: [255, 10, 0, 30, 255, 255] });
    const p = pageHeaderAt(buf, 0);
    assert.ok(typeof p === 'object');
    assert.deepEqual([...packetPieces(buf, p)], [
      { offset: 0, length: 265, ends: true },
      { offset: 265, length: 0, ends: true },
      { offset: 265, length: 30, ends: true },
      { offset: 295, length: 510, ends: false },
    ]);
    const empty = pageHeaderAt(page({ lacing: [] }), 0);
    assert.ok(typeof empty === 'object');
    assert.deepEqual([...packetPieces(page({ lacing: [] }), empty)], []);
  });
});
