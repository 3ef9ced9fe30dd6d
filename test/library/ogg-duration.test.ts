// A large Ogg file's duration comes from its last page (music-metadata stops after the first dozen
// pages): granule position over the sample rate, and for Opus over 48 kHz after the pre-skip.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { bufferSource } from '../../src-main/library/byte-source.ts';
import { oggDurationFromLastPage } from '../../src-main/library/ogg-duration.ts';
import { ffmpeg } from '../helpers/ffmpeg-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('the duration of an Ogg file from its last page', () => {
  const dir = tempDir({ after }, 'betti-ogg-duration-');
  const make = (name: string, codec: string[], rate: number, seconds: number) => {
    const path = join(dir, name);
    ffmpeg(['-f', 'lavfi', '-i', `sine=frequency=330:sample_rate=${rate}:duration=${seconds}`, ...codec, path]);
    return bufferSource(readFileSync(path));
  };

  it('Vorbis: the last granule position over the sample rate', async () => {
    const src = make('a.ogg', ['-c:a', 'libvorbis'], 44100, 3.5);
    assert.equal(await oggDurationFromLastPage(src, 44100), 3.5);
  });

  it('Opus: counted at 48 kHz from after the pre-skip, whatever rate the caller names', async () => {
    const src = make('a.opus', ['-c:a', 'libopus'], 48000, 2.25);
    assert.equal(await oggDurationFromLastPage(src, 44100), 2.25);
  });

  it('a file that is not Ogg, or an Ogg stream without a rate, has none', async () => {
    assert.equal(await oggDurationFromLastPage(bufferSource(Buffer.from('ID3\x04\x00\x00 not ogg at all, just bytes')), 44100), null);
    assert.equal(await oggDurationFromLastPage(make('b.ogg', ['-c:a', 'libvorbis'], 22050, 1), null), null);
  });

  it('a file cut short ends at its last whole page header', async () => {
    const path = join(dir, 'cut.ogg');
    const whole = readFileSync(join(dir, 'a.ogg'));
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length * 0.6)));
    const d = await oggDurationFromLastPage(bufferSource(readFileSync(path)), 44100);
    assert.ok(d !== null && d > 1 && d < 3.5, `duration of the part that is there: ${d}`);
  });
});
