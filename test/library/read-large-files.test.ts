// Files too large to read whole (over 2 MB) take the other path of read-track.ts: a block-cached
// file source, shared by the payload walk and the tag parser. Real-sized files in the common
// formats, tagged by mutagen (an ID3v1 tag and an MP4 index at the end of the file included), read
// with blocking and with thread-pool reads, must give the same record, and the tags mutagen reads
// (Ogg's duration too, which music-metadata leaves to Betti on large files: ogg-duration.ts).
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hashAudioPayload } from '../../src-main/library/audio-payload.ts';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import type { TrackRecord } from '../../src-main/library/track.ts';
import { audioPacketBytes } from '../helpers/ffmpeg-fixtures.ts';
import { encode, mutagenRead, mutagenWrite, richTags, type FixtureFormat, type MutagenFields } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

/** Encoder settings and lengths that make each file a few megabytes. */
// (A sine compresses well: the lossless and VBR ones need minutes.)
const large: Record<string, FixtureFormat & { seconds: number; extra?: string[] }> = {
  // ffmpeg writes the ID3v1 tag (it needs a tag to write one); mutagen then updates it.
  mp3: { ext: 'mp3', codec: ['-c:a', 'libmp3lame', '-b:a', '320k'], format: 'mp3', seconds: 70, extra: ['-write_id3v1', '1', '-metadata', 'title=v1'] },
  flac: { ext: 'flac', codec: ['-c:a', 'flac', '-compression_level', '0'], format: 'flac', seconds: 160 },
  m4a: { ext: 'm4a', codec: ['-c:a', 'aac', '-b:a', '256k'], format: 'm4a', seconds: 80 },
  ogg: { ext: 'ogg', codec: ['-c:a', 'libvorbis', '-q:a', '10'], format: 'ogg', seconds: 180 },
  opus: { ext: 'opus', codec: ['-c:a', 'libopus', '-b:a', '160k'], format: 'opus', seconds: 120 },
  wav: { ext: 'wav', codec: ['-c:a', 'pcm_s16le'], format: 'wav', seconds: 15 },
};

describe('reading files larger than the whole-file limit', () => {
  const dir = tempDir({ after }, 'betti-large-');
  const paths: Record<string, string> = {};
  let reference: Record<string, MutagenFields>;

  before(() => {
    for (const [key, fmt] of Object.entries(large)) {
      const path = encode(dir, `large-${key}`, fmt, { seconds: fmt.seconds, ...(fmt.extra ? { extra: fmt.extra } : {}) });
      mutagenWrite(path, richTags);
      paths[key] = path;
    }
    reference = mutagenRead(Object.values(paths));
  });

  for (const key of Object.keys(large)) {
    it(`${key}: blocking and thread-pool reads give one record, with the tags mutagen reads`, async () => {
      const path = paths[key]!;
      const st = statSync(path);
      assert.ok(st.size > 2 * 1024 * 1024, `${path} is ${st.size} bytes: too small to take the large-file path`);
      const blocking = await readTrackFile(path, { stat: st, blockingReads: true });
      const pooled = await readTrackFile(path, { stat: st });
      assert.deepEqual(blocking, pooled);
      assert.equal(blocking.error, null, blocking.error?.message);
      assert.equal(blocking.fingerprint, await hashAudioPayload(path, 'sampled'), 'the fingerprint does not depend on how the file was read');
      const ref = reference[path]!;
      const t: TrackRecord['tags'] = blocking.tags;
      assert.deepEqual(
        { title: t.title, artists: t.artists, album: t.album, genres: t.genres, year: t.year, track: t.trackNo, picture: blocking.audio.hasPicture },
        { title: ref.title, artists: ref.artists, album: ref.album, genres: ref.genres, year: ref.year, track: ref.track, picture: ref.picture === true },
      );
      assert.ok(Math.abs(blocking.audio.durationS! - ref.duration!) < 0.05 * ref.duration!, `duration ${blocking.audio.durationS} against mutagen's ${ref.duration}`);
      if (key === 'mp3') assert.ok(blocking.audio.tagTypes.includes('ID3v1'), `the ID3v1 tag at the end is found: ${blocking.audio.tagTypes.join(', ')}`);
      if (key === 'opus') {
        // music-metadata stops before the last page, so has no bitrate: Betti's is the audio
        // stream's bytes (ffprobe's packets, counted independently) per second.
        const packetBytes = audioPacketBytes(path);
        const expected = (8 * packetBytes) / blocking.audio.durationS!;
        assert.ok(Math.abs(blocking.audio.bitrate! / expected - 1) < 0.001, `bitrate ${blocking.audio.bitrate} against ${expected}`);
      }
    });
  }

  it('a large file cut short is an error that says so, on both paths', async () => {
    const { truncateSync, copyFileSync } = await import('node:fs');
    const cut = join(dir, 'cut.m4a');
    copyFileSync(paths.m4a!, cut);
    truncateSync(cut, statSync(cut).size - 200_000); // the MP4 index at the end is gone
    const st = statSync(cut);
    const blocking = await readTrackFile(cut, { stat: st, blockingReads: true });
    const pooled = await readTrackFile(cut, { stat: st });
    assert.deepEqual(blocking, pooled);
    assert.ok(blocking.error, 'a truncated MP4 is an error');
    assert.match(blocking.error.message, /cut\.m4a/);
  });
});
