// probeDuration reads a track's length from its headers, without decoding it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DecodeError } from '../../src-main/audio/errors.ts';
import { probeDuration } from '../../src-main/audio/probe-duration.ts';
import { ffmpeg, makeAudio } from '../helpers/ffmpeg-fixtures.ts';
import { tempDir } from '../helpers/tmp.ts';

describe('probeDuration', () => {
  it('gives the length of flac, ogg, opus and mp3 files to within 50 ms', async (t) => {
    const dir = tempDir(t);
    for (const ext of ['flac', 'ogg', 'opus', 'mp3']) {
      const path = makeAudio(dir, 'tone', ext, { exprs: '0.3*sin(2*PI*440*t)', seconds: 3.5 });
      const seconds = await probeDuration(path);
      assert.ok(Math.abs(seconds - 3.5) < 0.05, `.${ext}: ${seconds} s`);
    }
  });

  it('gives the length of long Ogg Vorbis and Opus files (past the pages music-metadata reads) and of an mp3 without a Xing header', async (t) => {
    const dir = tempDir(t);
    for (const ext of ['ogg', 'opus']) {
      const path = makeAudio(dir, 'long', ext, { exprs: '0.3*sin(2*PI*440*t)+0.05*(random(0)-0.5)', seconds: 75 });
      assert.ok(Math.abs((await probeDuration(path)) - 75) < 0.05, `.${ext}`);
    }
    const noXing = join(dir, 'no-xing.mp3');
    ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=440:duration=40', '-c:a', 'libmp3lame', '-b:a', '128k', '-write_xing', '0', noXing]);
    const estimate = await probeDuration(noXing);
    assert.ok(Math.abs(estimate - 40) < 0.4, `estimated from the bitrate: ${estimate} s`);
  });

  it('names the file when it is missing or not audio', async (t) => {
    const dir = tempDir(t);
    const missing = join(dir, 'gone.flac');
    await assert.rejects(probeDuration(missing), (err: unknown) => err instanceof DecodeError && err.kind === 'not-found' && err.path === missing);
    const text = join(dir, 'notes.mp3');
    writeFileSync(text, 'not audio at all\n'.repeat(50));
    await assert.rejects(probeDuration(text), (err: unknown) => err instanceof DecodeError && err.kind === 'unsupported-format' && err.path === text);
  });
});
