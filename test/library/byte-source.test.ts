// The file source the container walkers read through: the same bytes whichever way a read is
// served (cached blocks, a read across two blocks, a large read straight from the file, a large
// read into the caller's scratch buffer), and short only at the end of the file.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bufferSource, openFileSource } from '../../src-main/library/byte-source.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the file source', () => {
  const dir = tempDir({ after }, 'betti-byte-source-');
  const path = join(dir, 'bytes.bin');
  // 700 kB: larger than the 64 kB cache blocks and than a 256 kB scratch window.
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

    it(`${blocking ? 'blocking' : 'thread-pool'} reads: a large read lands in the caller's scratch buffer, and is valid until the next one`, async () => {
      const src = await openFileSource(path, { blocking });
      const scratch = Buffer.alloc(256 * 1024);
      try {
        const first = await src.read(0, scratch.length, scratch);
        assert.equal(first.buffer, scratch.buffer, 'no new buffer');
        assert.deepEqual(first, bytes.subarray(0, scratch.length));
        const last = await src.read(600_000, scratch.length, scratch);
        assert.equal(last.length, 100_000, 'shortened by the end of the file');
        assert.equal(last.buffer, scratch.buffer);
        assert.deepEqual(last, bytes.subarray(600_000));
        assert.deepEqual(first.subarray(0, 100_000), bytes.subarray(600_000), 'the earlier result was overwritten, as documented');
        const small = await src.read(5, 10, scratch);
        assert.notEqual(small.buffer, scratch.buffer, 'small reads come from the cache, not the scratch');
        assert.deepEqual(small, bytes.subarray(5, 15));
        const tooSmall = Buffer.alloc(100);
        assert.deepEqual(await src.read(0, 200_000, tooSmall), bytes.subarray(0, 200_000), 'a scratch too small for the read is not used');
      } finally {
        await src.close();
      }
    });
  }

  it('a buffer source serves the same reads from memory, ignoring the scratch', async () => {
    const src = bufferSource(bytes);
    const scratch = Buffer.alloc(256 * 1024);
    const r = await src.read(100_000, 300_000, scratch);
    assert.deepEqual(r, bytes.subarray(100_000, 400_000));
    assert.equal(r.buffer, bytes.buffer, 'a view of the source, not a copy');
    assert.deepEqual(await src.read(699_990, 100), bytes.subarray(699_990));
  });
});
