// The duration of a raw stream (AAC in ADTS frames, or a variable-bitrate MP3 without a Xing
// header): its frames counted header to header, and past the counted bytes, extrapolated from them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bufferSource } from '../../src-main/library/byte-source.ts';
import { rawStreamTiming } from '../../src-main/library/raw-stream-duration.ts';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { audioPacketCount, ffmpeg } from '../helpers/ffmpeg-fixtures.ts';
import { mutagenRead } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the duration of a raw audio stream', () => {
  const dir = tempDir({ after }, 'betti-raw-stream-');
  /**
   * A sweeping tone (frames differ in size, and more so as it rises), or for a long stream pink
   * noise: frames of every size all along, as in music whose texture does not change.
   */
  const make = (name: string, seconds: number, rate: number, codec: string[]) => {
    const path = join(dir, name);
    const source = seconds > 10 ? `anoisesrc=c=pink:a=0.3:r=${rate}:d=${seconds}:seed=1` : `aevalsrc=sin(2*PI*(200+400*t/${seconds})*t)*0.5:s=${rate}:d=${seconds}`;
    ffmpeg(['-f', 'lavfi', '-i', source, '-ac', '2', ...codec, path]);
    return path;
  };
  const adts = (name: string, seconds: number, rate: number) => make(name, seconds, rate, ['-c:a', 'aac', '-b:a', '96k', '-f', 'adts']);
  /** Variable bitrate without the Xing header that would say how long the stream is. */
  const vbrMp3 = (name: string, seconds: number, rate: number) => make(name, seconds, rate, ['-c:a', 'libmp3lame', '-q:a', '2', '-write_xing', '0', '-id3v2_version', '0']);

  it('counts every frame of a stream shorter than the counted bytes', async () => {
    for (const [path, rate, perFrame] of [
      [adts('short-44.aac', 2.5, 44100), 44100, 1024],
      [adts('short-22.aac', 2.5, 22050), 22050, 1024],
      [vbrMp3('short-44.mp3', 2.5, 44100), 44100, 1152], // MPEG-1 layer III
      [vbrMp3('short-22.mp3', 2.5, 22050), 22050, 576], // MPEG-2 layer III
    ] as const) {
      const bytes = readFileSync(path);
      const timing = await rawStreamTiming(bufferSource(bytes), path.endsWith('.aac') ? 'adts' : 'mpeg', 0, bytes.length);
      assert.ok(timing, path);
      assert.equal(timing.seconds, (audioPacketCount(path) * perFrame) / rate, path);
      assert.equal(timing.bitrate, (8 * bytes.length) / timing.seconds, path);
    }
  });

  it('extrapolates a longer stream from the frames it counted, close to the full count', async () => {
    for (const [path, kind, perFrame] of [
      [adts('long.aac', 20, 44100), 'adts', 1024],
      [vbrMp3('long.mp3', 20, 44100), 'mpeg', 1152],
    ] as const) {
      const bytes = readFileSync(path);
      const exact = (audioPacketCount(path) * perFrame) / 44100;
      const estimate = (await rawStreamTiming(bufferSource(bytes), kind, 0, bytes.length, 32 * 1024))!;
      assert.ok(Math.abs(estimate.seconds / exact - 1) < 0.03, `${path}: ${estimate.seconds} s from the first 32 kB, ${exact} s counted`);
    }
  });

  it('gives scanned files the counted duration and bitrate where music-metadata has none', async () => {
    const aac = join(dir, 'long.aac');
    const aacRecord = await readTrackFile(aac);
    assert.equal(aacRecord.audio.durationS, (audioPacketCount(aac) * 1024) / 44100);
    const ref = mutagenRead([aac])[aac]!;
    // mutagen guesses from its first 100 frames: within 1% (0.13 s over pink noise of 20 s), not to the frame.
    assert.ok(Math.abs(aacRecord.audio.durationS! / ref.duration! - 1) < 0.01, `mutagen estimates about the same: ${ref.duration}`);
    assert.ok(Math.abs(aacRecord.audio.bitrate! / ref.bitrate! - 1) < 0.05, `bitrate ${aacRecord.audio.bitrate} near mutagen's ${ref.bitrate}`);
    const mp3 = join(dir, 'long.mp3');
    const mp3Record = await readTrackFile(mp3);
    assert.equal(mp3Record.audio.durationS, (audioPacketCount(mp3) * 1152) / 44100, 'music-metadata has none for a VBR MP3 without a Xing header');
    assert.equal(mp3Record.audio.bitrate, (8 * readFileSync(mp3).length) / mp3Record.audio.durationS!);
  });

  it('a stream cut off in a frame, or followed by junk, counts what is there', async () => {
    const bytes = readFileSync(adts('cut.aac', 4, 44100));
    const whole = (await rawStreamTiming(bufferSource(bytes), 'adts', 0, bytes.length))!.seconds;
    const half = Math.floor(bytes.length / 2) + 3; // mid-frame
    const cut = (await rawStreamTiming(bufferSource(bytes.subarray(0, half)), 'adts', 0, half))!.seconds;
    assert.ok(Math.abs(cut - whole / 2) < 0.1, `${cut} s in half of a ${whole} s stream`);
    const junk = Buffer.concat([bytes, Buffer.alloc(500, 0x20)]);
    const withJunk = (await rawStreamTiming(bufferSource(junk), 'adts', 0, junk.length))!.seconds;
    assert.ok(withJunk >= whole && withJunk < whole + 0.05, `${withJunk} s with 500 bytes of junk after ${whole} s`);
  });

  it('bytes that are not such a stream have no duration', async () => {
    const text = Buffer.from('not an audio stream at all');
    assert.equal(await rawStreamTiming(bufferSource(text), 'adts', 0, text.length), null);
    assert.equal(await rawStreamTiming(bufferSource(text), 'mpeg', 0, text.length), null);
    const mp3 = readFileSync(join(dir, 'short-44.mp3'));
    assert.equal(await rawStreamTiming(bufferSource(mp3), 'adts', 0, mp3.length), null, 'MPEG layer III frames are not ADTS');
    const aac = readFileSync(join(dir, 'short-44.aac'));
    assert.equal(await rawStreamTiming(bufferSource(aac), 'mpeg', 0, aac.length), null, 'ADTS frames (layer 0) are not MPEG audio');
  });
});
