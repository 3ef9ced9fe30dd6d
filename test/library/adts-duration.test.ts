// A raw AAC (ADTS) stream's duration: its frames counted header to header (1024 samples per raw
// data block), and past the counted bytes, extrapolated from them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adtsDuration } from '../../src-main/library/adts-duration.ts';
import { bufferSource } from '../../src-main/library/byte-source.ts';
import { readTrackFile } from '../../src-main/library/read-track.ts';
import { ffmpeg } from '../helpers/ffmpeg-fixtures.ts';
import { mutagenRead } from '../helpers/library-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

/** The number of audio frames ffprobe counts in a file. */
function frameCount(path: string): number {
  const r = spawnSync('ffprobe', ['-v', 'error', '-count_packets', '-select_streams', 'a:0', '-show_entries', 'stream=nb_read_packets', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return Number(r.stdout.trim());
}

describe('the duration of a raw AAC (ADTS) stream', () => {
  const dir = tempDir({ after }, 'betti-adts-');
  const make = (name: string, seconds: number, rate: number, bitrate = '96k') => {
    const path = join(dir, name);
    // A sweeping tone, so frames differ in size as in music.
    ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=sin(2*PI*(200+400*t/${seconds})*t)*0.5:s=${rate}:d=${seconds}`, '-ac', '2', '-c:a', 'aac', '-b:a', bitrate, '-f', 'adts', path]);
    return path;
  };

  it('counts every frame of a stream shorter than the counted bytes', async () => {
    for (const rate of [44100, 22050]) {
      const path = make(`short-${rate}.aac`, 2.5, rate);
      const bytes = readFileSync(path);
      assert.equal(await adtsDuration(bufferSource(bytes), 0, bytes.length), (frameCount(path) * 1024) / rate);
    }
  });

  it('extrapolates a longer stream from the frames it counted, close to the full count and to mutagen', async () => {
    const path = make('long.aac', 20, 44100);
    const bytes = readFileSync(path);
    const exact = (frameCount(path) * 1024) / 44100;
    const estimate = (await adtsDuration(bufferSource(bytes), 0, bytes.length, 32 * 1024))!;
    assert.ok(Math.abs(estimate / exact - 1) < 0.02, `${estimate} s from the first 32 kB, ${exact} s counted`);
    const record = await readTrackFile(path);
    assert.equal(record.audio.durationS, exact, 'a 20-second stream is under the counted bytes: counted whole');
    assert.ok(Math.abs(record.audio.durationS! - mutagenRead([path])[path]!.duration!) < 0.1, 'mutagen estimates about the same');
  });

  it('a stream cut off in a frame, or followed by junk, counts what is there', async () => {
    const path = make('cut.aac', 4, 44100);
    const bytes = readFileSync(path);
    const whole = (await adtsDuration(bufferSource(bytes), 0, bytes.length))!;
    const half = Math.floor(bytes.length / 2) + 3; // mid-frame
    const cut = (await adtsDuration(bufferSource(bytes.subarray(0, half)), 0, half))!;
    assert.ok(Math.abs(cut - whole / 2) < 0.1, `${cut} s in half of a ${whole} s stream`);
    const junk = Buffer.concat([bytes, Buffer.alloc(500, 0x20)]);
    const withJunk = (await adtsDuration(bufferSource(junk), 0, junk.length))!;
    assert.ok(withJunk >= whole && withJunk < whole + 0.05, `${withJunk} s with 500 bytes of junk after ${whole} s`);
  });

  it('bytes that are not an ADTS stream have no duration', async () => {
    assert.equal(await adtsDuration(bufferSource(Buffer.from('not an AAC stream at all')), 0, 24), null);
    const mp3 = join(dir, 'a.mp3');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=0.5', '-c:a', 'libmp3lame', '-write_id3v2', '0', '-write_xing', '0', mp3]);
    const bytes = readFileSync(mp3);
    assert.equal(await adtsDuration(bufferSource(bytes), 0, bytes.length), null, 'MPEG layer III frames are not ADTS');
  });
});
