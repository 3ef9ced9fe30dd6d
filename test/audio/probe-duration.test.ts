// probeDuration reads a track's length from its headers, without decoding it.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { DecodeError } from '../../src-main/audio/errors.ts';
import { probeDuration } from '../../src-main/audio/probe-duration.ts';
import { makeAudio } from '../helpers/ffmpeg-fixtures.ts';
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

  it('names the file when it is missing or not audio', async (t) => {
    const dir = tempDir(t);
    const missing = join(dir, 'gone.flac');
    await assert.rejects(probeDuration(missing), (err: unknown) => err instanceof DecodeError && err.kind === 'not-found' && err.path === missing);
    const text = join(dir, 'notes.mp3');
    writeFileSync(text, 'not audio at all\n'.repeat(50));
    await assert.rejects(probeDuration(text), (err: unknown) => err instanceof DecodeError && err.kind === 'unsupported-format' && err.path === text);
  });
});
