// The file source the container walkers read through: the same bytes whichever way a read is
// served (cached blocks, a read across two blocks, a large read straight from the file, a large
// transient read into a reused buffer), and short only at the end of the file.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bufferSource, openFileSource } from '../../src-main/library/byte-source.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the file source', () => {
  const dir = tempDir({ after }, 'betti-byte-source-');
  const path = join(dir, 'bytes.bin');
  // 700 kB: larger than the 64 kB cache blocks and than the Ogg walk's 256 kB windows.
  const bytes = Buffer.from(Array.from({ length: 700_000 }, (_, i) => (i * 13 + (i >> 9)) & 0xff));
  writeFileSync(path, bytes);

  for (const blocking of [true, false]) {
    it(`${blocking ? 'blocking' : 'thread-pool'} reads: small, straddling and large reads return the file's bytes`, async () => {
      const src = await openFileSource(path, { blocking });
      try {
        assert.equal(src.size, bytes.length);
        assert.deepEqual(await src.read(10, 27), bytes.subarray(10, 37));
        assert.deepEqual(await src.read(65_530, 20), bytes.subarray(65_530, 65_550), 'across two cache blocks');
        assert.deepEqual(await src.read(100_000, 300_000), bytes.subarray(100_000, 400_000), 'larger than a block');
        assert.deepEqual(await src.read(699_990, 100), bytes.subarray(699_990), 'short at the end of the file');
        assert.equal((await src.read(700_000, 10)).length, 0);
      } finally {
        await src.close();
      }
    });

    it(`${blocking ? 'blocking' : 'thread-pool'} reads: large transient reads reuse one buffer, valid until the next one`, async () => {
      const src = await openFileSource(path, { blocking });
      try {
        const first = await src.read(0, 256 * 1024, true);
        assert.deepEqual(first, bytes.subarray(0, 256 * 1024));
        const last = await src.read(600_000, 256 * 1024, true);
        assert.equal(last.length, 100_000, 'shortened by the end of the file');
        assert.equal(last.buffer, first.buffer, 'the same buffer again');
        assert.deepEqual(last, bytes.subarray(600_000));
        assert.deepEqual(first.subarray(0, 100_000), bytes.subarray(600_000), 'the earlier result was overwritten, as documented');
        const kept = await src.read(100_000, 200_000);
        assert.notEqual(kept.buffer, first.buffer, 'a read that is not transient gets its own buffer');
        assert.deepEqual(kept, bytes.subarray(100_000, 300_000));
        const small = await src.read(5, 10, true);
        assert.notEqual(small.buffer, first.buffer, 'small reads come from the cache');
        assert.deepEqual(small, bytes.subarray(5, 15));
        const larger = await src.read(0, 400_000, true);
        assert.deepEqual(larger, bytes.subarray(0, 400_000), 'the reused buffer grows for a larger read');
      } finally {
        await src.close();
      }
    });
  }

  it('bytes read stay valid until the source is closed, and its buffers then serve the next source', async () => {
    const otherPath = join(dir, 'other.bin');
    const other = Buffer.from(bytes.map((b) => b ^ 0x5a));
    writeFileSync(otherPath, other);
    const a = await openFileSource(path, { blocking: true });
    const early = await a.read(10, 27);
    const usedByA = new Set<ArrayBufferLike>([early.buffer]);
    // Ten blocks: more than the source caches, so the block of `early` is evicted and others read after it.
    for (let k = 1; k <= 10; k++) {
      const r = await a.read(k * 65_536 + 3, 40);
      assert.deepEqual(r, bytes.subarray(k * 65_536 + 3, k * 65_536 + 43));
      usedByA.add(r.buffer);
    }
    assert.deepEqual(early, bytes.subarray(10, 37), 'an evicted block is not reused while its source is open');
    await a.close();

    const b = await openFileSource(otherPath, { blocking: true });
    try {
      const first = await b.read(10, 27);
      assert.ok(usedByA.has(first.buffer), 'a block buffer of the closed source, reused');
      assert.deepEqual(first, other.subarray(10, 37));
      for (let k = 1; k <= 10; k++) assert.deepEqual(await b.read(k * 65_536 + 3, 40), other.subarray(k * 65_536 + 3, k * 65_536 + 43));
      assert.deepEqual(await b.read(65_530, 20), other.subarray(65_530, 65_550), 'across two reused blocks');
      assert.deepEqual(first, other.subarray(10, 37));
    } finally {
      await b.close();
    }
  });

  it('a buffer source serves the same reads from memory, transient or not', async () => {
    const src = bufferSource(bytes);
    const r = await src.read(100_000, 300_000, true);
    assert.deepEqual(r, bytes.subarray(100_000, 400_000));
    assert.equal(r.buffer, bytes.buffer, 'a view of the source, not a copy');
    assert.deepEqual(await src.read(699_990, 100), bytes.subarray(699_990));
  });
});
