// The tokenizer music-metadata reads large files through: strtok3's read and peek semantics over
// a ByteSource (reads advance the position, peeks do not, a short read is an end of stream unless
// the caller accepts less), on a file source with blocking and with thread-pool reads alike.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EndOfStreamError } from 'strtok3';
import { openFileSource, type ClosableByteSource } from '../../src-main/library/byte-source.ts';
import { ByteSourceTokenizer } from '../../src-main/library/byte-source-tokenizer.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('ByteSourceTokenizer', () => {
  const dir = tempDir({ after }, 'betti-tokenizer-');
  const path = join(dir, 'bytes.bin');
  // 200 kB: reads cross the source's 64 kB cache blocks.
  const bytes = Buffer.from(Array.from({ length: 200_000 }, (_, i) => (i * 7 + (i >> 8)) & 0xff));
  writeFileSync(path, bytes);

  for (const blocking of [true, false]) {
    const open = (): Promise<ClosableByteSource> => openFileSource(path, { blocking });

    it(`${blocking ? 'blocking' : 'thread-pool'} reads: read advances, peek does not, positions may jump anywhere`, async () => {
      const src = await open();
      try {
        const t = new ByteSourceTokenizer(src, { path, mimeType: 'application/octet-stream' });
        assert.equal(t.fileInfo.size, bytes.length);
        assert.equal(t.supportsRandomAccess(), true);
        const a = new Uint8Array(10);
        assert.equal(await t.peekBuffer(a), 10);
        assert.equal(t.position, 0);
        assert.deepEqual(Buffer.from(a), bytes.subarray(0, 10));
        const b = new Uint8Array(70_000);
        assert.equal(await t.readBuffer(b, { position: 60_000 }), 70_000);
        assert.equal(t.position, 130_000);
        assert.deepEqual(Buffer.from(b), bytes.subarray(60_000, 130_000));
        t.setPosition(5);
        const c = new Uint8Array(3);
        await t.readBuffer(c);
        assert.deepEqual(Buffer.from(c), bytes.subarray(5, 8));
        assert.equal(t.position, 8);
      } finally {
        await src.close();
      }
    });

    it(`${blocking ? 'blocking' : 'thread-pool'} reads: past the end is an end of stream, unless less is acceptable`, async () => {
      const src = await open();
      try {
        const t = new ByteSourceTokenizer(src, { path });
        const buf = new Uint8Array(100);
        await assert.rejects(t.readBuffer(buf, { position: bytes.length - 40 }), EndOfStreamError);
        assert.equal(await t.peekBuffer(buf, { position: bytes.length - 40, mayBeLess: true }), 40);
        assert.deepEqual(Buffer.from(buf.subarray(0, 40)), bytes.subarray(bytes.length - 40));
      } finally {
        await src.close();
      }
    });
  }
});
