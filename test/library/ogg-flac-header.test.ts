// FLAC in Ogg keeps its tags in header packets music-metadata never reads: Betti lays them end to
// end as a native FLAC header and reads that. What mutagen reads from the same file is the reference.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bufferSource } from '../../src-main/library/byte-source.ts';
import { oggFlacHeader } from '../../src-main/library/ogg-flac-header.ts';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { encode, fixtureFormats, mutagenRead, mutagenWrite } from '../helpers/library-fixtures.ts';
import { oggPageOfPackets } from '../helpers/ogg-pages.ts';
import { tempDir } from '../helpers/tmp.ts';

/** The metadata blocks of a native FLAC header: [type, last-block flag, length]. */
function blocksOf(header: Buffer): [number, boolean, number][] {
  assert.equal(header.toString('latin1', 0, 4), 'fLaC');
  const out: [number, boolean, number][] = [];
  for (let at = 4; at < header.length; ) {
    const length = header.readUIntBE(at + 1, 3);
    out.push([header[at]! & 0x7f, (header[at]! & 0x80) !== 0, length]);
    at += 4 + length;
    assert.ok(at <= header.length, 'a block runs past the end of the header');
  }
  return out;
}

describe('FLAC-in-Ogg tags', () => {
  const dir = tempDir({ after }, 'betti-ogg-flac-');
  const oga = fixtureFormats.oga!;

  it('a Vorbis comment spread over several pages is read whole, as mutagen reads it', async () => {
    const path = encode(dir, 'long-comment', oga, { seconds: 1 });
    const comment = 'A liner note that goes on. '.repeat(600); // 16,200 characters: four pages of mutagen's 4 kB
    mutagenWrite(path, { title: 'Long', artists: ['One', 'Two'], album: 'Notes', track: 4, trackTotal: 10, comment, picture: true });
    const ref = mutagenRead([path])[path]!;
    const record = await readTrackFile(path);
    assert.equal(record.error, null);
    assert.deepEqual(record.warnings, []);
    assert.equal(record.tags.title, ref.title);
    assert.deepEqual(record.tags.artists, ref.artists);
    assert.equal(record.tags.album, ref.album);
    assert.equal(record.tags.trackNo, ref.track);
    assert.equal(record.tags.trackTotal, ref.trackTotal);
    assert.equal(record.tags.comment, comment);
    assert.equal(record.audio.hasPicture, true);
    assert.deepEqual(record.audio.tagTypes, ['Vorbis']);
    // The stream facts stay those of the Ogg stream.
    assert.equal(record.container, 'ogg');
    assert.equal(record.audio.lossless, true);
    assert.equal(record.audio.durationS, 1);
  });

  it('the header is STREAMINFO and each header packet, the last block flagged last', async () => {
    const path = encode(dir, 'plain', oga, { metadata: { title: 'Plain' } });
    const header = await oggFlacHeader(bufferSource(readFileSync(path)));
    assert.ok(header);
    assert.deepEqual(
      blocksOf(header).map(([type, last]) => [type, last]),
      [[0, false], [4, true]], // STREAMINFO, VORBIS_COMMENT
    );
    assert.equal(blocksOf(header)[0]![2], 34, 'STREAMINFO is 34 bytes');
  });

  it('blocks past the size limit are left out, and what is kept is still a whole header', async () => {
    const path = join(dir, 'long-comment.oga');
    const header = await oggFlacHeader(bufferSource(readFileSync(path)), 1000);
    assert.ok(header);
    assert.deepEqual(blocksOf(header), [[0, true, 34]]);
  });

  it('finds the FLAC stream behind another stream that begins first, and skips the other stream’s pages', async () => {
    const streaminfo = Buffer.alloc(34, 7);
    const mapping = Buffer.concat([Buffer.from([0x7f]), Buffer.from('FLAC', 'latin1'), Buffer.from([1, 0, 0, 1]), Buffer.from('fLaC', 'latin1'), Buffer.from([0, 0, 0, 34]), streaminfo]);
    const vendor = Buffer.from('test', 'latin1');
    const entry = Buffer.from('TITLE=Behind a Skeleton', 'latin1');
    const commentBody = Buffer.alloc(4 + vendor.length + 4 + 4 + entry.length);
    let o = commentBody.writeUInt32LE(vendor.length, 0);
    o += vendor.copy(commentBody, o);
    o = commentBody.writeUInt32LE(1, o);
    o = commentBody.writeUInt32LE(entry.length, o);
    entry.copy(commentBody, o);
    const commentBlock = Buffer.concat([Buffer.from([0x84, 0, 0, commentBody.length]), commentBody]);
    const file = Buffer.concat([
      oggPageOfPackets(1, 0x02, [Buffer.concat([Buffer.from('fishead\0', 'latin1'), Buffer.alloc(56)])]),
      oggPageOfPackets(2, 0x02, [mapping]),
      oggPageOfPackets(1, 0x04, [Buffer.from('fisbone\0', 'latin1')]),
      oggPageOfPackets(2, 0x00, [commentBlock]),
      oggPageOfPackets(2, 0x00, [Buffer.from([0xff, 0xf8, 0x69, 0x08])]), // the first audio frame
    ]);
    const header = await oggFlacHeader(bufferSource(file));
    assert.ok(header);
    assert.deepEqual(blocksOf(header), [[0, false, 34], [4, true, commentBody.length]]);
    assert.ok(header.subarray(8, 42).equals(streaminfo));
    assert.ok(header.subarray(46).equals(commentBody));
  });

  it('an Ogg file of another codec has no FLAC header', async () => {
    const vorbis = encode(dir, 'vorbis', fixtureFormats.ogg!);
    assert.equal(await oggFlacHeader(bufferSource(readFileSync(vorbis))), null);
    assert.equal(await oggFlacHeader(bufferSource(Buffer.from('OggS but nothing after it'))), null);
  });
});
