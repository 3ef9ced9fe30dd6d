// The inspector's line of file facts, from what the scan reads out of real files: each part says
// what it is, so a FLAC file's Vorbis comments are not taken for its codec.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { emptyAudio } from '../../src-main/library/track.ts';
import { audioFacts } from '../../src-renderer/features/inspector/audio-facts.ts';
import type { Track } from '../../src-renderer/features/inspector/types.ts';
import { encode, fixtureFormats } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the file facts line', () => {
  const dir = tempDir({ after }, 'betti-facts-');

  it("names a FLAC file's format, depth and tag format apart", async () => {
    const path = encode(dir, 'facts', fixtureFormats.flac!, { seconds: 2, metadata: { title: 'T' } });
    const record = await readTrackFile(path);
    const line = audioFacts(record.audio as Track['audio'], record.container);
    assert.match(line, /^flac · 0:02 · 44\.1 kHz · (mono|stereo) · 16-bit · \d+ kbit\/s · lossless · tags: Vorbis comments$/);
  });

  it('adds the codec where the format does not say it, and cover art', () => {
    const audio: Track['audio'] = {
      format: 'm4a',
      containerName: 'M4A/isom/iso2',
      codec: 'MPEG-4/AAC',
      durationS: 187.4,
      sampleRate: 48000,
      channels: 6,
      bitrate: 256_300,
      bitsPerSample: null,
      lossless: false,
      tagTypes: ['MP4'],
      hasPicture: true,
    };
    assert.equal(audioFacts(audio, 'mp4'), 'm4a (MPEG-4/AAC) · 3:07 · 48 kHz · 6 channels · 256 kbit/s · lossy · tags: MP4 · cover art');
  });

  it('says what it does not know by leaving it out, and that a file has no tags', () => {
    const audio: Track['audio'] = emptyAudio(); // what the scan stores when it learnt nothing
    assert.equal(audioFacts(audio, 'wav'), 'wav · — · no tags');
  });
});
